// Runs the states of a compiled workflow that need no function of their
// own (Pass, Choice, Wait, Succeed, Fail, and Parallel/Map up to their
// fan-out) from a given state until control reaches a Task, a fan-out or
// the end of the machine. The result is the "Then" part of an envelope,
// the output every Step Functions function checkpoints:
//
//   {"Task":   {"Function": f, "Entry": state, "Input": v, "DelayMs": d}}
//   {"Fanout": {"State": P, "Input": P's input, "Max": c,
//               "Branches": [{"Function": f, "Entry": s, "Input": v,
//                             "DelayMs": d} | {"Value": v} |
//                            {"Error": e, "Cause": c}, ...]}}
//   {"End": v}                         the machine ended with v
//   {"Fail": {"Error": e, "Cause": c}}  the machine failed
//
// Deterministic in its inputs except where the States Language is not
// (States.UUID, States.MathRandom, times): the caller checkpoints the
// result, so a re-run never recomputes it.
#ifndef UNUM_ASL_ENGINE_INTERPRETER_H_
#define UNUM_ASL_ENGINE_INTERPRETER_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "asl/engine/workflow.h"
#include "asl/states_error.h"

namespace unum::asl {

// What $$.Execution says, carried from the start in every payload.
struct Execution {
  std::string id;
  // The execution input, not owned (it lives in the invocation's input or
  // payload, which outlive the Execution); null when the payload does not
  // carry it (no state reads $$.Execution).
  const nlohmann::json* input = nullptr;
  std::string start_time;   // RFC 3339
  int64_t deadline_ms = 0;  // unix ms; 0: no TimeoutSeconds
};

// The context object for `state` entered now.
nlohmann::json ContextFor(const Execution& exec, const std::string& state,
                          int64_t retry_count = 0);

// ContextFor(exec, info's state, retry_count) when the state reads the
// context object (StateInfo::uses_context), else null: what its data flow
// gets as `context`.
nlohmann::json ContextIfUsed(const StateInfo& info, const Execution& exec,
                             int64_t retry_count = 0);

// Now as RFC 3339 (UTC, milliseconds).
std::string NowRfc3339();
int64_t NowUnixMs();

// Runs from entering `state` with input `value`.
nlohmann::json RunFrom(const Workflow& wf, const std::string& state,
                       nlohmann::json value, const Execution& exec);

// What follows a Task/Parallel/Map state `s` that produced `output`.
nlohmann::json RunAfter(const Workflow& wf, const State& s,
                        nlohmann::json output, const Execution& exec);

// A Task/Parallel/Map state `s` failed with `error` on input `raw_input`:
// its first matching Catcher's route, else {"Fail": ...}. (Retry is the
// caller's business.) States.Runtime is never caught.
nlohmann::json CatchOrFail(const Workflow& wf, const State& s,
                           const StatesError& error,
                           const nlohmann::json& raw_input,
                           const Execution& exec);

// Whether `error` matches an ErrorEquals list.
bool ErrorMatches(const std::vector<std::string>& error_equals,
                  const std::string& error);

// The output of Parallel/Map `s` on `raw_input` whose branches ended as
// `branches` (each {"End": v} or {"Fail": ...}, in branch order): the
// first failure, or the values through ResultSelector/ResultPath/OutputPath.
Outcome<nlohmann::json> JoinOutput(
    const Workflow& wf, const State& s, const nlohmann::json& raw_input,
    const std::vector<const nlohmann::json*>& branches, const Execution& exec);

nlohmann::json FailThen(const StatesError& error);

// {key: value}: an envelope or a "Then" part built around `value` without
// copying it.
nlohmann::json Wrap(const char* key, nlohmann::json value);

// `obj[key]`, or a null when `obj` is no object or lacks `key` (reading
// envelopes and payload Step objects).
const nlohmann::json& FieldOf(const nlohmann::json& obj, const char* key);

// Runs Parallel/Map `s` again on `raw_input` (its Retry): attempt
// `attempt` (its branches are new instances, see ir::FanOut::attempt),
// `retries` the counts per Retrier so far, branches delayed by `delay_ms`.
nlohmann::json RetryFanOut(const Workflow& wf, const State& s,
                           nlohmann::json raw_input, const Execution& exec,
                           int64_t attempt, const nlohmann::json& retries,
                           int64_t delay_ms);

// The delay before retry number `count` + 1 of Retrier `r` (IntervalSeconds
// * BackoffRate^count, at most MaxDelaySeconds; FULL jitter: uniform in
// [0, that]).
int64_t RetryDelayMs(const Retrier& r, int64_t count);

// A path or an intrinsic call given as text (ErrorPath, SecondsPath,
// TimeoutSecondsPath...), evaluated against `input` / `context`.
Outcome<nlohmann::json> EvalPathText(const std::string& text,
                                     const nlohmann::json& input,
                                     const nlohmann::json& context);

}  // namespace unum::asl

#endif  // UNUM_ASL_ENGINE_INTERPRETER_H_
