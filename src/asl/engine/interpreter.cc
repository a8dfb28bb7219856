#include "asl/engine/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>
#include <thread>

#include "asl/dataflow/context_object.h"
#include "asl/dataflow/payload_template.h"
#include "asl/dataflow/timestamp.h"
#include "common/json_text.h"

namespace unum::asl {

using nlohmann::json;

namespace {

// In-place states run at most this many times between two functions (a
// Choice loop that never reaches a Task would otherwise never end).
constexpr int kMaxInPlaceStates = 10000;

json TaskThen(const std::string& function, const std::string& entry, json input,
              int64_t delay_ms) {
  json t = json::object();
  t.emplace("Function", function);
  t.emplace("Entry", entry);
  t.emplace("Input", std::move(input));
  if (delay_ms > 0) t.emplace("DelayMs", delay_ms);
  return Wrap("Task", std::move(t));
}

void SleepMs(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Outcome<int64_t> WaitMs(const State& s, const json& input,
                        const json& context) {
  if (s.seconds) return *s.seconds * 1000;
  std::optional<std::string> stamp = s.timestamp;
  if (s.seconds_path) {
    auto v = EvalPathText(*s.seconds_path, input, context);
    if (!v.ok()) return v.error();
    if (!v->is_number_integer() || v->get<int64_t>() < 0) {
      return StatesError{
          kStatesRuntime,
          "SecondsPath " + *s.seconds_path +
              " is not a non-negative integer: " + ToJsonText(*v)};
    }
    return v->get<int64_t>() * 1000;
  }
  if (s.timestamp_path) {
    auto v = EvalPathText(*s.timestamp_path, input, context);
    if (!v.ok()) return v.error();
    if (!v->is_string()) {
      return StatesError{kStatesRuntime, "TimestampPath " + *s.timestamp_path +
                                             " is not a string"};
    }
    stamp = v->get<std::string>();
  }
  if (!stamp) return int64_t{0};
  auto ts = ParseTimestamp(*stamp);
  if (!ts) {
    return StatesError{kStatesRuntime,
                       "\"" + *stamp + "\" is not an RFC 3339 timestamp"};
  }
  const int64_t at = ts->seconds * 1000 + ts->nanos / 1000000;
  return std::max<int64_t>(0, at - NowUnixMs());
}

// The error a Fail state raises (or the error evaluating its paths).
StatesError FailStateError(const State& s, const json& input,
                           const json& context) {
  StatesError e;
  if (s.error) e.error = *s.error;
  if (s.cause) e.cause = *s.cause;
  for (auto [path, out] : {std::pair{&s.error_path, &e.error},
                           std::pair{&s.cause_path, &e.cause}}) {
    if (!*path) continue;
    auto v = EvalPathText(**path, input, context);
    if (!v.ok()) return v.error();
    if (!v->is_string()) {
      return StatesError{kStatesRuntime,
                         **path + " does not give a string: " + ToJsonText(*v)};
    }
    *out = v->get<std::string>();
  }
  return e;
}

json FanOut(const Workflow& wf, const StateInfo& info, json value,
            const Execution& exec, int64_t attempt = 0,
            const json& retries = nullptr, int64_t delay_ms = 0);

}  // namespace

json RetryFanOut(const Workflow& wf, const State& s, json raw_input,
                 const Execution& exec, int64_t attempt, const json& retries,
                 int64_t delay_ms) {
  wf.CountTransition();  // a retried Parallel/Map is entered again
  return FanOut(wf, *wf.Find(s.name), std::move(raw_input), exec, attempt,
                retries, delay_ms);
}

Outcome<json> EvalPathText(const std::string& text, const json& input,
                           const json& context) {
  auto tmpl = PayloadTemplate::Compile(json{{"v.$", text}}, "path");
  if (!tmpl.ok()) {
    return StatesError{kStatesRuntime, tmpl.status().message()};
  }
  auto v = tmpl->Evaluate(input, context);
  if (!v.ok()) return v.error();
  return (*v)["v"];
}

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string NowRfc3339() {
  const int64_t ms = NowUnixMs();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

json ContextFor(const Execution& exec, const std::string& state,
                int64_t retry_count) {
  ContextObject c;
  c.execution_id = exec.id;
  if (exec.input != nullptr) c.execution_input = *exec.input;
  c.execution_name = exec.id;
  c.execution_start_time = exec.start_time;
  c.state_name = state;
  c.state_entered_time = NowRfc3339();
  c.state_retry_count = retry_count;
  return c.ToJson();
}

json ContextIfUsed(const StateInfo& info, const Execution& exec,
                   int64_t retry_count) {
  if (!info.uses_context) return json();
  return ContextFor(exec, info.state->name, retry_count);
}

int64_t RetryDelayMs(const Retrier& r, int64_t count) {
  double seconds = static_cast<double>(r.interval_seconds) *
                   std::pow(r.backoff_rate, static_cast<double>(count));
  if (r.max_delay_seconds) {
    seconds = std::min(seconds, static_cast<double>(*r.max_delay_seconds));
  }
  int64_t ms = static_cast<int64_t>(std::llround(seconds * 1000.0));
  if (r.jitter_strategy == JitterStrategy::kFull && ms > 0) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    ms = std::uniform_int_distribution<int64_t>(0, ms)(rng);
  }
  return ms;
}

const json& FieldOf(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

json Wrap(const char* key, json value) {
  json out = json::object();
  out.emplace(key, std::move(value));
  return out;
}

json FailThen(const StatesError& error) {
  return json{{"Fail", {{"Error", error.error}, {"Cause", error.cause}}}};
}

bool ErrorMatches(const std::vector<std::string>& error_equals,
                  const std::string& error) {
  if (error == kStatesRuntime) return false;
  for (const std::string& e : error_equals) {
    if (e == error || e == kStatesAll) return true;
    if (e == kStatesTaskFailed && error != kStatesTimeout) return true;
  }
  return false;
}

json CatchOrFail(const Workflow& wf, const State& s, const StatesError& error,
                 const json& raw_input, const Execution& exec) {
  for (const Catcher& c : s.catchers) {
    if (!ErrorMatches(c.error_equals, error.error)) continue;
    const json error_output = {{"Error", error.error}, {"Cause", error.cause}};
    auto rule =
        ResultPathRule::Compile(c.result_path ? &*c.result_path : nullptr,
                                s.name + ".Catch.ResultPath");
    if (!rule.ok()) {
      return FailThen({kStatesRuntime, rule.status().message()});
    }
    auto out = rule->Apply(raw_input, error_output);
    if (!out.ok()) return FailThen(out.error());
    return RunFrom(wf, c.next, std::move(out).value(), exec);
  }
  return FailThen(error);
}

json RunAfter(const Workflow& wf, const State& s, json output,
              const Execution& exec) {
  if (s.end || !s.next) return Wrap("End", std::move(output));
  return RunFrom(wf, *s.next, std::move(output), exec);
}

json RunFrom(const Workflow& wf, const std::string& start, json value,
             const Execution& exec) {
  std::string name = start;
  int64_t delay_ms = 0;
  for (int steps = 0; steps < kMaxInPlaceStates; ++steps) {
    const StateInfo* info = wf.Find(name);
    if (info == nullptr) {
      return FailThen({kStatesRuntime, "no state \"" + name + "\""});
    }
    const State& s = *info->state;
    if (s.type == StateType::kTask) {
      // Entered when its function runs (step_wrapper.cc counts it there).
      return TaskThen(wf.TaskFunction(s.name), s.name, std::move(value),
                      delay_ms);
    }
    SleepMs(delay_ms);  // only a Task's invocation can be delayed
    delay_ms = 0;
    wf.CountTransition();
    if (s.type == StateType::kParallel || s.type == StateType::kMap) {
      return FanOut(wf, *info, std::move(value), exec);
    }
    const json context = ContextIfUsed(*info, exec);
    auto effective = info->io.EffectiveInput(value, context);
    if (!effective.ok()) return FailThen(effective.error());
    switch (s.type) {
      case StateType::kPass: {
        auto out = info->io.Output(std::move(value),
                                   info->io.PassResult(std::move(*effective)),
                                   context);
        if (!out.ok()) return FailThen(out.error());
        value = std::move(out).value();
        break;
      }
      case StateType::kChoice: {
        std::optional<std::string> next;
        for (const ChoiceRule& rule : info->choices) {
          auto holds = rule.Evaluate(*effective, context);
          if (!holds.ok()) return FailThen(holds.error());
          if (*holds) {
            next = rule.next();
            break;
          }
        }
        if (!next) next = s.default_next;
        if (!next) {
          return FailThen(
              {kStatesNoChoiceMatched, "no Choice rule of \"" + s.name +
                                           "\" matched and it has no Default"});
        }
        auto out =
            info->io.Output(std::move(value), std::move(*effective), context);
        if (!out.ok()) return FailThen(out.error());
        value = std::move(out).value();
        name = *next;
        continue;
      }
      case StateType::kWait: {
        auto ms = WaitMs(s, *effective, context);
        if (!ms.ok()) return FailThen(ms.error());
        delay_ms += *ms;
        auto out =
            info->io.Output(std::move(value), std::move(*effective), context);
        if (!out.ok()) return FailThen(out.error());
        value = std::move(out).value();
        break;
      }
      case StateType::kSucceed: {
        auto out =
            info->io.Output(std::move(value), std::move(*effective), context);
        if (!out.ok()) return FailThen(out.error());
        return Wrap("End", std::move(out).value());
      }
      case StateType::kFail: {
        return FailThen(FailStateError(s, *effective, context));
      }
      default:
        break;
    }
    if (s.end || !s.next) {
      SleepMs(delay_ms);
      return Wrap("End", std::move(value));
    }
    name = *s.next;
  }
  return FailThen(
      {kStatesRuntime, "more than " + std::to_string(kMaxInPlaceStates) +
                           " states ran without a Task (from \"" + start +
                           "\"); is a Choice looping forever?"});
}

Outcome<json> JoinOutput(const Workflow& wf, const State& s,
                         const json& raw_input,
                         const std::vector<const json*>& branches,
                         const Execution& exec) {
  json results = json::array();
  results.get_ref<json::array_t&>().reserve(branches.size());
  for (const json* b : branches) {
    if (const json& fail = FieldOf(*b, "Fail"); !fail.is_null()) {
      return StatesError{fail.value("Error", ""), fail.value("Cause", "")};
    }
    results.push_back(FieldOf(*b, "End"));
  }
  const StateInfo* info = wf.Find(s.name);
  return info->io.Output(raw_input, std::move(results),
                         ContextIfUsed(*info, exec));
}

namespace {

json FanOut(const Workflow& wf, const StateInfo& info, json value,
            const Execution& exec, int64_t attempt, const json& retries,
            int64_t delay_ms) {
  const State& s = *info.state;
  const json context = ContextIfUsed(info, exec);
  auto effective = info.io.EffectiveInput(value, context);
  if (!effective.ok())
    return CatchOrFail(wf, s, effective.error(), value, exec);
  // Each branch's (or item's) machine and input.
  std::vector<std::pair<int, json>> runs;
  if (s.type == StateType::kParallel) {
    for (size_t b = 0; b < s.branches.size(); ++b) {
      runs.emplace_back(wf.BranchMachine(s.name, static_cast<int>(b)),
                        *effective);
    }
  } else {
    auto items = info.io.MapItems(*effective, context);
    if (!items.ok()) return CatchOrFail(wf, s, items.error(), value, exec);
    const int machine = wf.BranchMachine(s.name, -1);
    for (size_t i = 0; i < items->size(); ++i) {
      auto in = info.io.MapItemInput(*effective, static_cast<int64_t>(i),
                                     std::move((*items)[i]), context);
      if (!in.ok()) return CatchOrFail(wf, s, in.error(), value, exec);
      runs.emplace_back(machine, std::move(in).value());
    }
  }
  json branches = json::array();
  branches.get_ref<json::array_t&>().reserve(runs.size());
  bool any_function = false;
  std::vector<json> ends;  // the Then of each branch that finished here
  for (auto& [machine, input] : runs) {
    const std::string& helper = wf.BranchStartFunction(machine);
    if (!helper.empty()) {
      json start = json::object();
      start.emplace("Function", helper);
      start.emplace("Entry", "");
      start.emplace("Input", std::move(input));
      if (delay_ms > 0) start.emplace("DelayMs", delay_ms);
      branches.push_back(std::move(start));
      any_function = true;
      continue;
    }
    const StateMachine& m = *wf.machines()[machine].machine;
    json then = RunFrom(wf, m.start_at, std::move(input), exec);
    if (auto task = then.find("Task"); task != then.end()) {
      if (delay_ms > 0) {
        (*task)["DelayMs"] = task->value("DelayMs", int64_t{0}) + delay_ms;
      }
      branches.push_back(std::move(*task));
      any_function = true;
    } else if (then.contains("End")) {
      branches.push_back(Wrap("Value", then["End"]));
      ends.push_back(std::move(then));
    } else {
      branches.push_back(then["Fail"]);
      ends.push_back(std::move(then));
    }
  }
  if (!any_function) {
    // Every branch finished here: join in place.
    std::vector<const json*> end_ptrs;
    end_ptrs.reserve(ends.size());
    for (const json& e : ends) end_ptrs.push_back(&e);
    auto out = JoinOutput(wf, s, value, end_ptrs, exec);
    if (!out.ok()) return CatchOrFail(wf, s, out.error(), value, exec);
    return RunAfter(wf, s, std::move(out).value(), exec);
  }
  int64_t max = s.max_concurrency;
  if (s.max_concurrency_path) {
    auto v = EvalPathText(*s.max_concurrency_path, *effective, context);
    if (!v.ok()) return CatchOrFail(wf, s, v.error(), value, exec);
    if (!v->is_number_integer() || v->get<int64_t>() < 0) {
      return CatchOrFail(wf, s,
                         {kStatesRuntime,
                          "MaxConcurrencyPath is not a "
                          "non-negative integer"},
                         value, exec);
    }
    max = v->get<int64_t>();
  }
  json fanout = {{"State", s.name},
                 {"Input", std::move(value)},
                 {"Branches", std::move(branches)}};
  if (max > 0) fanout["Max"] = max;
  if (attempt > 0) {
    fanout["Attempt"] = attempt;
    fanout["Retries"] = retries;
  }
  return json{{"Fanout", std::move(fanout)}};
}

}  // namespace

}  // namespace unum::asl
