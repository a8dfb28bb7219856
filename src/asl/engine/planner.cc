#include "asl/engine/planner.h"

#include "asl/engine/interpreter.h"
#include "asl/engine/step_wrapper.h"
#include "ir/fanout.h"

namespace unum::asl {

using nlohmann::json;
using runtime::Payload;
using runtime::Plan;
using runtime::PlannedStep;

namespace {

// ".i1.i2..." for the levels of `stack` outside the innermost.
std::string OuterSuffix(const ir::FanOutStack& stack) {
  std::string s;
  for (size_t i = 1; i < stack.size(); ++i) {
    s += "." + ir::LevelName(stack[i].index, stack[i].attempt);
  }
  return s;
}

}  // namespace

StepPlanner::StepPlanner(std::shared_ptr<const Workflow> wf,
                         CompiledFunction function)
    : wf_(std::move(wf)), f_(std::move(function)) {}

int StepPlanner::HomeMachine() const {
  switch (f_.role) {
    case FunctionRole::kStart:
      return 0;
    case FunctionRole::kBranchStart:
      return f_.machine;
    case FunctionRole::kTask:
    case FunctionRole::kJoin:
      return wf_->Find(f_.state)->machine;
  }
  return 0;
}

int64_t StepPlanner::RoundFor(const std::string& target, int64_t round) const {
  const CompiledFunction* t = wf_->FindFunction(target);
  if (t == nullptr || t->role != FunctionRole::kTask) return 0;
  const int loop = wf_->Find(t->state)->loop;
  if (loop < 0) return 0;
  const bool same_loop =
      f_.role == FunctionRole::kTask && wf_->Find(f_.state)->loop == loop;
  return same_loop ? round + 1 : 1;
}

PlannedStep StepPlanner::InvokeStep(const json& task, const Payload& from,
                                    const ir::FanOutStack& stack,
                                    const json& exec, bool new_frame) const {
  PlannedStep step;
  step.function = task.value("Function", "");
  step.delay = std::chrono::milliseconds(task.value("DelayMs", int64_t{0}));
  step.payload.session = from.session;
  step.payload.value = FieldOf(task, "Input");
  step.payload.fanout = stack;
  // A branch's first function starts a new round count (its stack is new).
  step.payload.round = RoundFor(step.function, new_frame ? 0 : from.round);
  step.payload.step = {{"Entry", task.value("Entry", "")}, {"Exec", exec}};
  return step;
}

std::string StepPlanner::EndKey(const std::string& state,
                                const ir::FanOutStack& stack) const {
  const int machine =
      wf_->BranchMachine(state, static_cast<int>(stack[0].index));
  return ir::InstanceName(wf_->machines()[machine].end_function, stack);
}

Result<PlannedStep> StepPlanner::JoinStep(const std::string& state,
                                          const ir::FanOutStack& stack,
                                          const std::string& session,
                                          const json& exec) const {
  const StateInfo* info = wf_->Find(state);
  const int64_t n = stack[0].size;
  PlannedStep step;
  step.kind = PlannedStep::Kind::kFanIn;
  step.function = wf_->JoinFunction(state);
  step.payload.session = session;
  step.payload.fan_in = true;
  step.payload.fanout.assign(stack.begin() + 1, stack.end());
  // A join after a Retry of the whole state is a new instance (its join
  // helper runs on no loop, so its round counts the attempts).
  step.payload.round =
      stack[0].attempt > 0 ? stack[0].attempt : RoundFor(step.function, 0);
  step.payload.step = {{"Entry", state}, {"Exec", exec}};
  step.aggregator_instance =
      runtime::InstanceNameOf(step.function, step.payload);
  step.ready_set = runtime::FanInSetName(step.aggregator_instance);
  step.ready_size = n;
  const std::string outer = OuterSuffix(stack);
  const int64_t attempt = stack[0].attempt;
  if (info->state->type == StateType::kMap) {
    const std::string& end =
        wf_->machines()[wf_->BranchMachine(state, -1)].end_function;
    step.sources.push_back(ir::BoundNameTemplate::Glob(
        end + "-unumIndex-",
        (attempt > 0 ? "a" + std::to_string(attempt) : "") + outer, n));
  } else {
    for (int64_t b = 0; b < n; ++b) {
      const std::string& end =
          wf_->machines()[wf_->BranchMachine(state, static_cast<int>(b))]
              .end_function;
      step.sources.push_back(ir::BoundNameTemplate::Single(
          end + "-unumIndex-" + ir::LevelName(b, attempt) + outer));
    }
  }
  if (stack[0].origin.empty()) {
    return Status::Internal("fan-out level of \"" + state + "\" has no Origin");
  }
  step.sources.push_back(ir::BoundNameTemplate::Single(stack[0].origin));
  if (info->state->type == StateType::kMap &&
      (info->state->max_concurrency > 0 || info->state->max_concurrency_path)) {
    step.next_item_origin = stack[0].origin;
  }
  return step;
}

Result<Plan> StepPlanner::PlanFrom(const json& output, const Payload& payload,
                                   const std::string& instance) const {
  Plan plan;
  const json& exec = FieldOf(output, "Exec").is_object()
                         ? FieldOf(output, "Exec")
                         : FieldOf(payload.step, "Exec");
  if (const json& retry = FieldOf(output, "Retry"); retry.is_object()) {
    PlannedStep again;
    again.function = f_.name;
    again.delay = std::chrono::milliseconds(retry.value("DelayMs", int64_t{0}));
    again.payload = payload;
    again.payload.step["Retries"] = FieldOf(retry, "Retries");
    again.payload.step["Exec"] = exec;
    if (!FieldOf(payload.step, "Entry").is_string()) {
      again.payload.step["Entry"] = f_.state;
    }
    plan.retry = std::move(again);
    return plan;
  }
  const json& then = FieldOf(output, "Then");
  if (const json& task = FieldOf(then, "Task"); task.is_object()) {
    plan.steps.push_back(
        InvokeStep(task, payload, payload.fanout, exec, /*new_frame=*/false));
    return plan;
  }
  if (const json& fanout = FieldOf(then, "Fanout"); fanout.is_object()) {
    const std::string state = fanout.value("State", "");
    const StateInfo* info = wf_->Find(state);
    if (info == nullptr) return Status::Internal("fan-out of unknown state");
    const json& branches = FieldOf(fanout, "Branches");
    const int64_t n = static_cast<int64_t>(branches.size());
    const int64_t max = fanout.value("Max", int64_t{0});
    const std::string type =
        info->state->type == StateType::kMap ? "Map" : "Parallel";
    const int64_t attempt = fanout.value("Attempt", int64_t{0});
    int64_t invoked = 0, functions = 0;
    plan.steps.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const json& b = branches[i];
      ir::FanOutStack stack = payload.fanout;
      stack.insert(stack.begin(), ir::FanOut{type, i, n, instance, attempt});
      if (b.contains("Function")) {
        ++functions;
        if (max > 0 && invoked >= max) continue;  // started by an earlier item
        ++invoked;
        plan.steps.push_back(
            InvokeStep(b, payload, stack, exec, /*new_frame=*/true));
        continue;
      }
      // Finished here: leave the result where the join reads it.
      UNUM_ASSIGN_OR_RETURN(PlannedStep join,
                            JoinStep(state, stack, payload.session, exec));
      join.next_item_origin.clear();
      join.slot = EndKey(state, stack);
      join.member = join.slot;
      join.slot_output = {{"Then", b.contains("Value")
                                       ? json{{"End", b["Value"]}}
                                       : json{{"Fail", b}}}};
      plan.steps.push_back(std::move(join));
    }
    plan.gc_children = functions + 1;
    return plan;
  }
  const bool ended = then.is_object() && then.contains("End");
  const json& fail = FieldOf(then, "Fail");
  if (!ended && !fail.is_object()) {
    return Status::Internal("function \"" + f_.name +
                            "\" produced no continuation");
  }
  const int home = HomeMachine();
  if (home == 0) {
    if (fail.is_object()) {
      plan.failed = true;
      plan.error = fail.value("Error", "");
      plan.cause = fail.value("Cause", "");
    } else {
      plan.result = then["End"];
    }
    return plan;
  }
  // The end of a branch or item: join.
  const MachineInfo& m = wf_->machines()[home];
  if (payload.fanout.empty()) {
    return Status::Internal("branch end of \"" + m.parent +
                            "\" without fan-out");
  }
  UNUM_ASSIGN_OR_RETURN(PlannedStep join, JoinStep(m.parent, payload.fanout,
                                                   payload.session, exec));
  const std::string key = EndKey(m.parent, payload.fanout);
  join.member = key;
  if (key != instance) {
    join.slot = key;
    join.slot_output = {{"Then", then}};
    plan.gc_children = 0;
  }
  plan.steps.push_back(std::move(join));
  return plan;
}

Result<PlannedStep> StepPlanner::DeferredStep(
    const json& origin_output, const std::string& origin,
    const Payload& branch_payload) const {
  const json& fanout = FieldOf(FieldOf(origin_output, "Then"), "Fanout");
  const json& branches = FieldOf(fanout, "Branches");
  const int64_t max = fanout.value("Max", int64_t{0});
  if (!branches.is_array() || max <= 0 || branch_payload.fanout.empty()) {
    return PlannedStep{};
  }
  const int64_t me = branch_payload.fanout[0].index;
  // Items that run a function, in order; this item's rank among them.
  std::vector<int64_t> items;
  int64_t rank = -1;
  for (int64_t i = 0; i < static_cast<int64_t>(branches.size()); ++i) {
    if (!branches[i].contains("Function")) continue;
    if (i == me) rank = static_cast<int64_t>(items.size());
    items.push_back(i);
  }
  if (rank < 0 || rank + max >= static_cast<int64_t>(items.size())) {
    return PlannedStep{};
  }
  const int64_t next = items[rank + max];
  ir::FanOutStack stack = branch_payload.fanout;
  stack[0].index = next;
  stack[0].origin = origin;
  const json& exec = FieldOf(branch_payload.step, "Exec");
  return InvokeStep(branches[next], branch_payload, stack, exec,
                    /*new_frame=*/true);
}

}  // namespace unum::asl
