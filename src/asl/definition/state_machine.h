// The typed model of an Amazon States Language state machine, and the entry
// points that parse and validate a definition into it.
//
// Parsing checks everything a definition must satisfy on its own: field
// names and types per state type, field combinations the States Language
// forbids, transitions (StartAt, Next, Default, Choices, Catch) naming
// existing states, reachability, Retry/Catch rules, and features Unum does
// not support (JSONata, distributed Map, ItemReader, ...). Path and payload
// template values are kept as written (strings or raw JSON): the dataflow
// library compiles them. Choice rules are kept as raw JSON for the same
// reason. Every error is InvalidArgument and names where it is: the state,
// the enclosing branch / item processor for nested machines, and the field,
// e.g. `state "P" > branch 1 > state "B": Next: "X" names no state`.
//
// Value types; thread-compatible.
#ifndef UNUM_ASL_DEFINITION_STATE_MACHINE_H_
#define UNUM_ASL_DEFINITION_STATE_MACHINE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "unum/status.h"

namespace unum::asl {

enum class StateType {
  kTask,
  kPass,
  kChoice,
  kWait,
  kSucceed,
  kFail,
  kParallel,
  kMap
};

// "Task", "Pass", ...
std::string_view StateTypeName(StateType type);

enum class JitterStrategy { kNone, kFull };

// One element of a Retry array, with the spec's defaults filled in.
struct Retrier {
  std::vector<std::string> error_equals;
  int64_t interval_seconds = 1;
  int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  JitterStrategy jitter_strategy = JitterStrategy::kNone;

  friend bool operator==(const Retrier&, const Retrier&) = default;
};

// One element of a Catch array.
struct Catcher {
  std::vector<std::string> error_equals;
  std::string next;
  // Absent, a path string, or null (discard the error output).
  std::optional<nlohmann::json> result_path;

  friend bool operator==(const Catcher&, const Catcher&) = default;
};

// One element of a Choice state's Choices: the rule exactly as written
// (including its Next) and its Next, which the validator checks.
struct ChoiceEntry {
  nlohmann::json rule;
  std::string next;

  friend bool operator==(const ChoiceEntry&, const ChoiceEntry&) = default;
};

struct State;

// A state machine: the top-level definition, a Parallel branch, or a Map
// item processor.
struct StateMachine {
  std::string start_at;
  // In the order of the definition text (ParseStateMachine(text)) or of
  // the JSON object (ParseStateMachine(json), which sorts keys).
  std::vector<State> states;
  std::optional<std::string> comment;
  std::optional<int64_t> timeout_seconds;  // top level only
  std::optional<std::string> version;      // top level only

  // nullptr when there is no state `name`. Constant time once
  // IndexStates() ran (the parser calls it); a linear scan otherwise.
  const State* Find(std::string_view name) const;

  // Indexes `states` by name for Find (the first of duplicate names wins,
  // as in a scan). Call it again after changing `states`; Find checks the
  // entry it finds, so a stale index is slow, never wrong.
  void IndexStates();

  // Compares the definition, not the index.
  friend bool operator==(const StateMachine& a, const StateMachine& b);

 private:
  std::unordered_map<std::string, size_t> index_;  // name -> position
};

struct State {
  std::string name;
  StateType type = StateType::kPass;
  std::optional<std::string> comment;

  // Transition (not on Choice, Succeed, Fail): exactly one of them.
  std::optional<std::string> next;
  bool end = false;

  // InputPath / OutputPath / ResultPath: absent, a path string, or null.
  std::optional<nlohmann::json> input_path;
  std::optional<nlohmann::json> output_path;
  std::optional<nlohmann::json> result_path;
  // Payload templates, as written (JSON objects).
  std::optional<nlohmann::json> parameters;       // Pass, Task, Parallel
  std::optional<nlohmann::json> result_selector;  // Task, Parallel, Map

  // Task, Parallel, Map.
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;

  // Pass.
  std::optional<nlohmann::json> result;

  // Task.
  std::string resource;
  std::optional<int64_t> timeout_seconds;
  std::optional<std::string> timeout_seconds_path;

  // Choice.
  std::vector<ChoiceEntry> choices;
  std::optional<std::string> default_next;

  // Wait: exactly one of the four.
  std::optional<int64_t> seconds;
  std::optional<std::string> seconds_path;
  std::optional<std::string> timestamp;
  std::optional<std::string> timestamp_path;

  // Fail (ErrorPath / CausePath may be a path or an intrinsic call).
  std::optional<std::string> error;
  std::optional<std::string> error_path;
  std::optional<std::string> cause;
  std::optional<std::string> cause_path;

  // Parallel.
  std::vector<StateMachine> branches;

  // Map (INLINE). `item_processor` is from ItemProcessor or, in older
  // definitions, Iterator; `item_selector` from ItemSelector or, in older
  // definitions, the Map's Parameters (then `parameters` stays empty).
  std::optional<StateMachine> item_processor;
  bool uses_iterator_field = false;  // written as "Iterator"
  std::optional<std::string> items_path;
  std::optional<nlohmann::json> item_selector;
  int64_t max_concurrency = 0;  // 0: no limit
  std::optional<std::string> max_concurrency_path;

  friend bool operator==(const State&, const State&) = default;
};

// Parses and validates a definition. The text form also rejects duplicate
// keys (nlohmann::json keeps only the last one, so a repeated state name
// would silently vanish); the json form cannot see them.
Result<StateMachine> ParseStateMachine(std::string_view definition_text);
Result<StateMachine> ParseStateMachine(const nlohmann::json& definition);
// Text overloads (a string converts to both of the above).
inline Result<StateMachine> ParseStateMachine(const char* definition_text) {
  return ParseStateMachine(std::string_view(definition_text));
}
inline Result<StateMachine> ParseStateMachine(
    const std::string& definition_text) {
  return ParseStateMachine(std::string_view(definition_text));
}

// Checks the transitions of `machine` and of every nested machine: StartAt
// and every Next / Default / Choices[].Next / Catch[].Next name a state of
// the same machine, every state is reachable, transitions are consistent
// with the state type, and no state name is used twice anywhere in the
// definition (nested machines included, as the spec requires).
// ParseStateMachine already calls it.
Status ValidateStateMachine(const StateMachine& machine);

// The Resource of every Task state, nested machines included, each once,
// in order of first appearance.
std::vector<std::string> TaskResources(const StateMachine& machine);

// NAME from `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`
// (PARTITION aws, aws-cn, aws-us-gov...); InvalidArgument otherwise.
Result<std::string> LambdaFunctionName(std::string_view arn);

}  // namespace unum::asl

#endif  // UNUM_ASL_DEFINITION_STATE_MACHINE_H_
