#include "asl/engine/workflow.h"

#include <algorithm>
#include <functional>
#include <set>

#include "asl/dataflow/payload_template.h"
#include "common/json_text.h"

namespace unum::asl {

using nlohmann::json;

namespace {

StateIoKind IoKind(StateType type) {
  switch (type) {
    case StateType::kTask:
      return StateIoKind::kTask;
    case StateType::kPass:
      return StateIoKind::kPass;
    case StateType::kChoice:
      return StateIoKind::kChoice;
    case StateType::kWait:
      return StateIoKind::kWait;
    case StateType::kSucceed:
      return StateIoKind::kSucceed;
    case StateType::kFail:
      return StateIoKind::kFail;
    case StateType::kParallel:
      return StateIoKind::kParallel;
    case StateType::kMap:
      return StateIoKind::kMap;
  }
  return StateIoKind::kPass;
}

// The states control may go to after `s` finishes (not into branches).
std::vector<std::string> Successors(const State& s) {
  std::vector<std::string> out;
  if (s.next) out.push_back(*s.next);
  for (const Catcher& c : s.catchers) out.push_back(c.next);
  for (const ChoiceEntry& c : s.choices) out.push_back(c.next);
  if (s.default_next) out.push_back(*s.default_next);
  return out;
}

// What can be reached from entering `start` through in-place states: the
// Task/Parallel/Map states, and whether an end (Succeed, Fail, End: true,
// an unmatched Choice) can be.
struct Reach {
  std::set<std::string> stops;
  bool normal_end = false;  // Succeed or End: true
  bool any_end = false;
};

Reach ReachFrom(const StateMachine& m, const std::string& start) {
  Reach r;
  std::set<std::string> seen;
  std::vector<std::string> todo{start};
  while (!todo.empty()) {
    std::string name = todo.back();
    todo.pop_back();
    if (!seen.insert(name).second) continue;
    const State* s = m.Find(name);
    if (s == nullptr) continue;
    if (!RunsInPlace(s->type)) {
      r.stops.insert(name);
      continue;
    }
    if (s->type == StateType::kSucceed || s->end) {
      r.normal_end = true;
      r.any_end = true;
    }
    if (s->type == StateType::kFail) r.any_end = true;
    if (s->type == StateType::kChoice && !s->default_next) r.any_end = true;
    for (const std::string& n : Successors(*s)) todo.push_back(n);
  }
  return r;
}

// What can follow `s` (a Task/Parallel/Map) finishing, normally or caught.
Reach ReachAfter(const StateMachine& m, const State& s) {
  Reach r;
  if (s.end) {
    r.normal_end = r.any_end = true;
  }
  for (const std::string& n : Successors(s)) {
    Reach x = ReachFrom(m, n);
    r.stops.insert(x.stops.begin(), x.stops.end());
    r.normal_end = r.normal_end || x.normal_end;
    r.any_end = r.any_end || x.any_end;
  }
  return r;
}

// See StateInfo::uses_context.
bool UsesContext(const State& s, const StateIo& io,
                 const std::vector<ChoiceRule>& choices) {
  if (io.uses_context()) return true;
  for (const ChoiceRule& rule : choices) {
    if (rule.uses_context()) return true;
  }
  for (const std::optional<std::string>* text :
       {&s.timeout_seconds_path, &s.seconds_path, &s.timestamp_path,
        &s.error_path, &s.cause_path, &s.max_concurrency_path}) {
    if (*text && PathTextUsesContext(**text)) return true;
  }
  return false;
}

}  // namespace

bool RunsInPlace(StateType t) {
  return t == StateType::kPass || t == StateType::kChoice ||
         t == StateType::kWait || t == StateType::kSucceed ||
         t == StateType::kFail;
}

std::string FunctionNameFor(std::string_view state) {
  std::string out;
  for (char c : state) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_' || c == '-';
    out += keep ? c : '_';
  }
  if (out.empty()) out = "_";
  return out;
}

std::string Workflow::UniqueName(std::string_view wanted) {
  const std::string base = FunctionNameFor(wanted);
  std::string name = base;
  for (int i = 2; function_index_.contains(name); ++i) {
    name = base + "-" + std::to_string(i);
  }
  function_index_[name] = SIZE_MAX;  // reserved; set when added
  return name;
}

const StateInfo* Workflow::Find(std::string_view state) const {
  auto it = states_.find(state);
  return it == states_.end() ? nullptr : &it->second;
}

const CompiledFunction* Workflow::FindFunction(std::string_view name) const {
  auto it = function_index_.find(name);
  if (it == function_index_.end() || it->second >= functions_.size()) {
    return nullptr;
  }
  return &functions_[it->second];
}

const std::string& Workflow::TaskFunction(std::string_view state) const {
  static const std::string kNone;
  auto it = task_function_.find(state);
  return it == task_function_.end() ? kNone : it->second;
}

const std::string& Workflow::JoinFunction(std::string_view state) const {
  static const std::string kNone;
  auto it = join_function_.find(state);
  return it == join_function_.end() ? kNone : it->second;
}

const std::string& Workflow::BranchStartFunction(int machine) const {
  static const std::string kNone;
  auto it = branch_start_.find(machine);
  return it == branch_start_.end() ? kNone : it->second;
}

int Workflow::BranchMachine(std::string_view state, int branch) const {
  auto it = branch_machines_.find(state);
  if (it == branch_machines_.end() || it->second.empty()) return -1;
  if (it->second.size() == 1) return it->second[0];
  if (branch < 0 || branch >= static_cast<int>(it->second.size())) return -1;
  return it->second[branch];
}

Status Workflow::Index(const StateMachine& m, const json& raw, int parent,
                       const std::string& parent_state, int branch) {
  const int id = static_cast<int>(machines_.size());
  machines_.push_back(MachineInfo{&m, parent_state, branch, "", false});
  if (!parent_state.empty()) branch_machines_[parent_state].push_back(id);
  (void)parent;
  const json& raw_states = raw.at("States");
  for (const State& s : m.states) {
    const json& rs = raw_states.at(s.name);
    StateInfo info;
    info.state = &s;
    info.raw = &rs;
    info.machine = id;
    auto io = StateIo::Compile(rs, IoKind(s.type), s.name);
    if (!io.ok()) return io.status().WithContext("state \"" + s.name + "\"");
    info.io = std::move(io).value();
    for (size_t i = 0; i < s.choices.size(); ++i) {
      auto rule = ChoiceRule::Parse(
          s.choices[i].rule, s.name + ".Choices[" + std::to_string(i) + "]",
          /*top_level=*/true);
      if (!rule.ok()) return rule.status();
      info.choices.push_back(std::move(rule).value());
    }
    info.uses_context = UsesContext(s, info.io, info.choices);
    states_.emplace(s.name, std::move(info));
    if (s.type == StateType::kParallel) {
      for (size_t b = 0; b < s.branches.size(); ++b) {
        UNUM_RETURN_IF_ERROR(Index(s.branches[b], rs.at("Branches").at(b), id,
                                   s.name, static_cast<int>(b)));
      }
    }
    if (s.type == StateType::kMap && s.item_processor) {
      const json& proc = rs.contains("ItemProcessor") ? rs.at("ItemProcessor")
                                                      : rs.at("Iterator");
      UNUM_RETURN_IF_ERROR(Index(*s.item_processor, proc, id, s.name, -1));
    }
  }
  return Status::Ok();
}

Status Workflow::FindLoops() {
  // Per machine: a graph over its Task/Parallel/Map states (an edge where
  // one can follow the other through in-place states); Tarjan's SCCs.
  int next_loop = 0;
  for (const MachineInfo& mi : machines_) {
    const StateMachine& m = *mi.machine;
    std::vector<std::string> nodes;
    std::map<std::string, std::vector<std::string>> edges;
    for (const State& s : m.states) {
      if (RunsInPlace(s.type)) continue;
      nodes.push_back(s.name);
      Reach r = ReachAfter(m, s);
      edges[s.name].assign(r.stops.begin(), r.stops.end());
    }
    std::map<std::string, int> index, low;
    std::set<std::string> on_stack;
    std::vector<std::string> stack;
    int counter = 0;
    Status error;
    std::function<void(const std::string&)> visit = [&](const std::string& v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack.insert(v);
      for (const std::string& w : edges[v]) {
        if (!index.contains(w)) {
          visit(w);
          low[v] = std::min(low[v], low[w]);
        } else if (on_stack.contains(w)) {
          low[v] = std::min(low[v], index[w]);
        }
      }
      if (low[v] != index[v]) return;
      std::vector<std::string> scc;
      std::string w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack.erase(w);
        scc.push_back(w);
      } while (w != v);
      const auto& self = edges[v];
      const bool loop = scc.size() > 1 ||
                        std::find(self.begin(), self.end(), v) != self.end();
      if (!loop) return;
      const int id = next_loop++;
      for (const std::string& s : scc) {
        StateInfo& info = states_.at(s);
        if (info.state->type != StateType::kTask && error.ok()) {
          std::string names;
          for (const std::string& n : scc) {
            names += (names.empty() ? "\"" : ", \"") + n + "\"";
          }
          error = Status::InvalidArgument(
              "state \"" + s + "\": a " +
              std::string(StateTypeName(info.state->type)) +
              " state on a loop (through " + names +
              ") is not supported yet; move the loop inside a branch or "
              "unroll it");
        }
        info.loop = id;
      }
    };
    for (const std::string& n : nodes) {
      if (!index.contains(n)) visit(n);
    }
    UNUM_RETURN_IF_ERROR(error);
  }
  return Status::Ok();
}

Status Workflow::AssignFunctions(const std::vector<std::string>& app) {
  auto add = [&](CompiledFunction f) {
    function_index_[f.name] = functions_.size();
    functions_.push_back(std::move(f));
  };
  // Tasks first, so they keep their state names.
  for (const MachineInfo& mi : machines_) {
    for (const State& s : mi.machine->states) {
      if (s.type != StateType::kTask) continue;
      CompiledFunction f;
      f.name = UniqueName(s.name);
      f.role = FunctionRole::kTask;
      f.state = s.name;
      f.handler = s.resource;
      if (s.resource.rfind("arn:", 0) == 0) {
        auto name = LambdaFunctionName(s.resource);
        if (!name.ok()) {
          return name.status().WithContext("state \"" + s.name +
                                           "\": Resource");
        }
        f.handler = *name;
      }
      if (!app.empty() &&
          std::find(app.begin(), app.end(), f.handler) == app.end()) {
        std::string have;
        for (const std::string& a : app) have += (have.empty() ? "" : ", ") + a;
        return Status::InvalidArgument(
            "state \"" + s.name + "\": Resource: \"" + s.resource +
            "\" names no function of the app (it has: " + have + ")");
      }
      task_function_[s.name] = f.name;
      add(std::move(f));
    }
  }
  // The start.
  const State* first = machine_.Find(machine_.start_at);
  if (first->type == StateType::kTask) {
    start_function_ = task_function_.at(first->name);
    functions_[function_index_.at(start_function_)].start = true;
  } else {
    CompiledFunction f;
    f.name = UniqueName("unum-start");
    f.role = FunctionRole::kStart;
    f.start = true;
    f.reason = "the workflow starts with " +
               std::string(StateTypeName(first->type)) + " state \"" +
               first->name + "\", which no Task runs before";
    start_function_ = f.name;
    add(std::move(f));
  }
  // Joins and branch starts.
  for (const MachineInfo& mi : machines_) {
    const StateMachine& m = *mi.machine;
    for (const State& s : m.states) {
      if (s.type != StateType::kParallel && s.type != StateType::kMap) continue;
      // A Task directly after (through Pass states only) joins it.
      std::string after = s.next.value_or("");
      const State* t = s.next ? m.Find(after) : nullptr;
      while (t != nullptr && t->type == StateType::kPass && t->next) {
        t = m.Find(*t->next);
      }
      if (s.retry.empty() && t != nullptr && t->type == StateType::kTask) {
        const std::string& fn = task_function_.at(t->name);
        join_function_[s.name] = fn;
        functions_[function_index_.at(fn)].joins.push_back(s.name);
        continue;
      }
      CompiledFunction f;
      f.name = UniqueName("unum-join-" + s.name);
      f.role = FunctionRole::kJoin;
      f.state = s.name;
      f.reason =
          std::string(StateTypeName(s.type)) + " state \"" + s.name + "\" " +
          (!s.retry.empty() ? "has a Retry (its join starts it again)"
           : s.end          ? "ends its machine"
                            : "is followed by " +
                         std::string(
                             StateTypeName(t ? t->type : StateType::kPass)) +
                         " state \"" + (t ? t->name : after) + "\"") +
          ", so no Task can join its branches";
      join_function_[s.name] = f.name;
      add(std::move(f));
    }
  }
  for (size_t id = 1; id < machines_.size(); ++id) {
    const MachineInfo& mi = machines_[id];
    Reach r = ReachFrom(*mi.machine, mi.machine->start_at);
    bool nested = false;
    for (const std::string& s : r.stops) {
      if (mi.machine->Find(s)->type != StateType::kTask) nested = true;
    }
    if (!nested) continue;
    const std::string where =
        mi.branch >= 0 ? "branch " + std::to_string(mi.branch) + " of \"" +
                             mi.parent + "\""
                       : "the item processor of \"" + mi.parent + "\"";
    CompiledFunction f;
    f.name = UniqueName(mi.branch >= 0 ? "unum-branch-" + mi.parent + "-" +
                                             std::to_string(mi.branch)
                                       : "unum-items-" + mi.parent);
    f.role = FunctionRole::kBranchStart;
    f.machine = static_cast<int>(id);
    f.reason = where + " starts with a Parallel or Map state";
    branch_start_[static_cast<int>(id)] = f.name;
    add(std::move(f));
  }
  return Status::Ok();
}

void Workflow::AssignBranchEnds() {
  for (size_t id = 1; id < machines_.size(); ++id) {
    MachineInfo& mi = machines_[id];
    const StateMachine& m = *mi.machine;
    std::set<std::string> enders;
    bool slot = ReachFrom(m, m.start_at).normal_end;
    for (const State& s : m.states) {
      if (RunsInPlace(s.type)) continue;
      if (!ReachAfter(m, s).normal_end) continue;
      if (s.type == StateType::kTask) {
        enders.insert(task_function_.at(s.name));
        if (states_.at(s.name).loop >= 0) slot = true;
      } else {
        enders.insert(join_function_.at(s.name));
      }
    }
    if (!slot && enders.size() == 1) {
      const CompiledFunction* f = FindFunction(*enders.begin());
      if (f->role == FunctionRole::kTask) {
        mi.end_function = f->name;
        continue;
      }
    }
    mi.end_is_slot = true;
    mi.end_function =
        UniqueName(mi.branch >= 0 ? "unum-end-" + mi.parent + "-" +
                                        std::to_string(mi.branch)
                                  : "unum-end-" + mi.parent);
  }
}

Result<std::shared_ptr<const Workflow>> Workflow::Compile(
    std::string_view definition_text,
    const std::vector<std::string>& functions) {
  auto wf = std::make_shared<Workflow>();
  UNUM_ASSIGN_OR_RETURN(wf->machine_, ParseStateMachine(definition_text));
  UNUM_ASSIGN_OR_RETURN(wf->definition_,
                        ParseJsonText(definition_text, "definition"));
  UNUM_RETURN_IF_ERROR(wf->Index(wf->machine_, wf->definition_, -1, "", -1));
  UNUM_RETURN_IF_ERROR(wf->FindLoops());
  UNUM_RETURN_IF_ERROR(wf->AssignFunctions(functions));
  wf->AssignBranchEnds();
  // The execution's input travels in the payload when any state reads the
  // context object, however it names the input (`$$.Execution.Input`,
  // `$$['Execution']`, or the whole of `$$`).
  wf->needs_execution_input_ =
      std::any_of(wf->states_.begin(), wf->states_.end(),
                  [](const auto& entry) { return entry.second.uses_context; });
  return std::shared_ptr<const Workflow>(std::move(wf));
}

}  // namespace unum::asl
