#include "asl/engine/step_wrapper.h"

#include <algorithm>

namespace unum::asl {

using nlohmann::json;

namespace {

class StepFunction {
 public:
  StepFunction(std::shared_ptr<const Workflow> wf, CompiledFunction f,
               runtime::UserFunction user)
      : wf_(std::move(wf)), f_(std::move(f)), user_(std::move(user)) {}

  Result<json> operator()(const json& input, Context& ctx) const {
    static const json kNoStep;
    const json& step = ctx.step != nullptr ? *ctx.step : kNoStep;
    const bool at_start = step.is_null();
    Execution exec;
    if (at_start) {
      exec.id = ctx.session;
      exec.input = &input;
      exec.start_time = NowRfc3339();
      if (wf_->machine().timeout_seconds) {
        exec.deadline_ms = NowUnixMs() + *wf_->machine().timeout_seconds * 1000;
      }
    } else {
      exec = ExecutionFrom(FieldOf(step, "Exec"), ctx.session);
    }
    json envelope = Run(input, ctx, step, exec);
    if (exec.deadline_ms > 0 && NowUnixMs() > exec.deadline_ms) {
      envelope =
          Wrap("Then", FailThen({kStatesTimeout, "Execution timed out"}));
    }
    if (at_start) {
      envelope.emplace("Exec",
                       ExecutionToJson(exec, wf_->needs_execution_input()));
    }
    return envelope;
  }

 private:
  json Run(const json& input, Context& ctx, const json& step,
           const Execution& exec) const {
    const StateMachine& top = wf_->machine();
    switch (f_.role) {
      case FunctionRole::kStart:
        return Wrap("Then", RunFrom(*wf_, top.start_at, input, exec));
      case FunctionRole::kBranchStart:
        return Wrap("Then",
                    RunFrom(*wf_, wf_->machines()[f_.machine].machine->start_at,
                            input, exec));
      case FunctionRole::kJoin:
        return Wrap("Then", Join(f_.state, input, exec));
      case FunctionRole::kTask:
        break;
    }
    const json* raw = &input;
    json joined;  // the raw input a join computed
    const json& entry = FieldOf(step, "Entry");
    if (entry.is_string() && entry.get_ref<const std::string&>() != f_.state) {
      // A join: this Task follows the Parallel/Map `entry`.
      json then = Join(entry.get<std::string>(), input, exec);
      const json& task_entry = FieldOf(FieldOf(then, "Task"), "Entry");
      if (!task_entry.is_string() ||
          task_entry.get_ref<const std::string&>() != f_.state) {
        return Wrap("Then", std::move(then));  // e.g. a Catch took another way
      }
      joined = std::move(then["Task"]["Input"]);
      raw = &joined;
    }
    std::vector<int64_t> retries;
    const StateInfo& info = *wf_->Find(f_.state);
    retries.assign(info.state->retry.size(), 0);
    const json& given = FieldOf(step, "Retries");
    if (given.is_array()) {
      for (size_t i = 0; i < given.size() && i < retries.size(); ++i) {
        if (given[i].is_number_integer()) retries[i] = given[i].get<int64_t>();
      }
    }
    return RunTask(info, *raw, ctx, retries, exec);
  }

  json RunTask(const StateInfo& info, const json& raw, Context& ctx,
               std::vector<int64_t> retries, const Execution& exec) const {
    const State& s = *info.state;
    wf_->CountTransition();  // the Task state is entered (each attempt)
    int64_t retry_count = 0;
    for (int64_t r : retries) retry_count += r;
    const json context = ContextIfUsed(info, exec, retry_count);
    ctx.retry_count = retry_count;
    // The user function's input: `raw` itself unless InputPath/Parameters
    // make another value.
    const json* input = &raw;
    Outcome<json> made = json();
    if (!info.io.effective_input_is_raw()) {
      made = info.io.EffectiveInput(raw, context);
      if (!made.ok()) return OnError(info, made.error(), raw, retries, exec);
      input = &*made;
    }
    std::optional<int64_t> timeout = s.timeout_seconds;
    if (s.timeout_seconds_path) {
      auto t = EvalPathText(*s.timeout_seconds_path, *input, context);
      if (!t.ok()) return OnError(info, t.error(), raw, retries, exec);
      if (!t->is_number_integer() || t->get<int64_t>() <= 0) {
        return OnError(
            info,
            {kStatesRuntime, "TimeoutSecondsPath " + *s.timeout_seconds_path +
                                 " is not a positive integer"},
            raw, retries, exec);
      }
      timeout = t->get<int64_t>();
    }
    const int64_t started = timeout ? NowUnixMs() : 0;
    Result<json> result = Status::Internal("the function did not run");
    if (user_) {
      result = user_(*input, ctx);
    }
    if (timeout && NowUnixMs() - started > *timeout * 1000) {
      return OnError(info, {kStatesTimeout, kStatesTimeout}, raw, retries,
                     exec);
    }
    if (!result.ok()) {
      const Status& st = result.status();
      StatesError e{st.error_type().empty() ? std::string(kStatesTaskFailed)
                                            : st.error_type(),
                    st.message()};
      return OnError(info, e, raw, retries, exec);
    }
    auto out = info.io.Output(raw, std::move(result).value(), context);
    if (!out.ok()) return OnError(info, out.error(), raw, retries, exec);
    return Wrap("Then", RunAfter(*wf_, s, std::move(out).value(), exec));
  }

  json OnError(const StateInfo& info, const StatesError& error, const json& raw,
               std::vector<int64_t> retries, const Execution& exec) const {
    const State& s = *info.state;
    if (error.error != kStatesRuntime) {
      for (size_t k = 0; k < s.retry.size(); ++k) {
        if (!ErrorMatches(s.retry[k].error_equals, error.error)) continue;
        if (retries[k] >= s.retry[k].max_attempts) break;  // exhausted
        const int64_t delay = RetryDelayMs(s.retry[k], retries[k]);
        ++retries[k];
        return {{"Retry", {{"DelayMs", delay}, {"Retries", retries}}}};
      }
    }
    return Wrap("Then", CatchOrFail(*wf_, s, error, raw, exec));
  }

  // Joins Parallel/Map `state` from the envelopes of its branch ends and,
  // last, of the instance that fanned out.
  json Join(const std::string& state, const json& input,
            const Execution& exec) const {
    const StateInfo* info = wf_->Find(state);
    if (info == nullptr || !input.is_array() || input.empty()) {
      return FailThen(
          {kStatesRuntime, "join of \"" + state + "\" got no branch results"});
    }
    const json& fanout = FieldOf(FieldOf(input.back(), "Then"), "Fanout");
    const json& raw = FieldOf(fanout, "Input");
    std::vector<const json*> ends;
    ends.reserve(input.size() - 1);
    for (size_t i = 0; i + 1 < input.size(); ++i) {
      ends.push_back(&FieldOf(input[i], "Then"));
    }
    auto out = JoinOutput(*wf_, *info->state, raw, ends, exec);
    if (!out.ok()) {
      // The Retry of the whole Parallel/Map: run every branch again.
      const State& s = *info->state;
      std::vector<int64_t> retries(s.retry.size(), 0);
      const json& given = FieldOf(fanout, "Retries");
      for (size_t k = 0;
           given.is_array() && k < given.size() && k < retries.size(); ++k) {
        if (given[k].is_number_integer()) retries[k] = given[k].get<int64_t>();
      }
      if (out.error().error != kStatesRuntime) {
        for (size_t k = 0; k < s.retry.size(); ++k) {
          if (!ErrorMatches(s.retry[k].error_equals, out.error().error))
            continue;
          if (retries[k] >= s.retry[k].max_attempts) break;
          const int64_t delay = RetryDelayMs(s.retry[k], retries[k]);
          ++retries[k];
          return RetryFanOut(*wf_, s, raw, exec,
                             fanout.value("Attempt", int64_t{0}) + 1, retries,
                             delay);
        }
      }
      return CatchOrFail(*wf_, s, out.error(), raw, exec);
    }
    return RunAfter(*wf_, *info->state, std::move(out).value(), exec);
  }

  std::shared_ptr<const Workflow> wf_;
  CompiledFunction f_;
  runtime::UserFunction user_;
};

}  // namespace

Execution ExecutionFrom(const json& exec, const std::string& session) {
  Execution e;
  e.id = session;
  e.input = &FieldOf(exec, "Input");
  const json& start = FieldOf(exec, "StartTime");
  if (start.is_string()) e.start_time = start.get<std::string>();
  const json& deadline = FieldOf(exec, "Deadline");
  if (deadline.is_number_integer()) e.deadline_ms = deadline.get<int64_t>();
  return e;
}

json ExecutionToJson(const Execution& exec, bool with_input) {
  json j = {{"StartTime", exec.start_time}};
  if (with_input) j["Input"] = exec.input ? *exec.input : json();
  if (exec.deadline_ms > 0) j["Deadline"] = exec.deadline_ms;
  return j;
}

runtime::UserFunction WrapStep(std::shared_ptr<const Workflow> wf,
                               const CompiledFunction& function,
                               runtime::UserFunction user) {
  return StepFunction(std::move(wf), function, std::move(user));
}

}  // namespace unum::asl
