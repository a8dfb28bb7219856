// ParseStateMachine and ParseMachine: the machine-level fields (StartAt,
// States, Comment, TimeoutSeconds, Version, QueryLanguage, ProcessorConfig)
// of the top-level definition, Parallel branches and Map item processors.
#include <set>
#include <string>
#include <utility>

#include "asl/definition/intrinsic_util.h"
#include "asl/definition/parse_util.h"

namespace unum::asl {
namespace {

using nlohmann::json;

// AWS limits state names to 80 characters.
constexpr size_t kMaxStateNameChars = 80;

Status CheckProcessorConfig(const OJson& value, const Location& loc) {
  if (!value.is_object()) {
    return loc.Error("ProcessorConfig",
                     "must be a JSON object, got " + TypeOf(value));
  }
  FieldReader f(value, loc, "ProcessorConfig.");
  for (const auto& [key, v] : value.items()) {
    if (key == "ExecutionType") {
      return f.Error(key, "not supported (distributed Map)");
    }
    if (key != "Mode") return f.Error(key, "unknown field");
  }
  UNUM_ASSIGN_OR_RETURN(auto mode, f.String("Mode"));
  if (!mode || *mode == "INLINE") return Status::Ok();
  if (*mode == "DISTRIBUTED") {
    return f.Error("Mode", "DISTRIBUTED is not supported (only INLINE)");
  }
  return f.Error(
      "Mode", "must be \"INLINE\" or \"DISTRIBUTED\", got \"" + *mode + "\"");
}

Result<StateMachine> ParseTopLevel(const OJson& value) {
  UNUM_ASSIGN_OR_RETURN(StateMachine machine,
                        ParseMachine(value, Location(), MachineKind::kTop));
  UNUM_RETURN_IF_ERROR(ValidateStateMachine(machine));
  return machine;
}

}  // namespace

Result<StateMachine> ParseMachine(const OJson& value, const Location& loc,
                                  MachineKind kind) {
  if (!value.is_object()) {
    return loc.Error("", "must be a JSON object, got " + TypeOf(value));
  }
  FieldReader f(value, loc);
  std::set<std::string_view> allowed = {"StartAt", "States", "Comment"};
  if (kind == MachineKind::kTop) {
    allowed.insert({"TimeoutSeconds", "Version", "QueryLanguage"});
  }
  if (kind == MachineKind::kItemProcessor) allowed.insert("ProcessorConfig");
  for (const auto& [key, v] : value.items()) {
    if (allowed.count(key)) continue;
    if (key == "QueryLanguage") {
      return f.Error(key, "allowed only at the top level and on states");
    }
    return f.Error(key, "unknown field");
  }
  if (kind == MachineKind::kTop) UNUM_RETURN_IF_ERROR(CheckQueryLanguage(f));
  if (f.Has("ProcessorConfig")) {
    UNUM_RETURN_IF_ERROR(CheckProcessorConfig(value["ProcessorConfig"], loc));
  }

  StateMachine machine;
  UNUM_ASSIGN_OR_RETURN(machine.comment, f.String("Comment"));
  if (kind == MachineKind::kTop) {
    UNUM_ASSIGN_OR_RETURN(machine.timeout_seconds,
                          f.Integer("TimeoutSeconds", 1));
    UNUM_ASSIGN_OR_RETURN(machine.version, f.String("Version"));
  }
  UNUM_ASSIGN_OR_RETURN(auto start_at, f.String("StartAt"));
  if (!start_at) return f.Error("StartAt", "is required");
  machine.start_at = std::move(*start_at);

  if (!f.Has("States")) return f.Error("States", "is required");
  const OJson& states = value["States"];
  if (!states.is_object() || states.empty()) {
    return f.Error("States", "must be a non-empty JSON object");
  }
  for (const auto& [name, state_value] : states.items()) {
    if (name.empty()) return f.Error("States", "a state name is empty");
    if (CountCodePoints(name) > kMaxStateNameChars) {
      return loc.State(name).Error("", "the name is longer than 80 characters");
    }
    UNUM_ASSIGN_OR_RETURN(State state, ParseState(name, state_value, loc));
    machine.states.push_back(std::move(state));
  }
  machine.IndexStates();
  return machine;
}

Result<StateMachine> ParseStateMachine(std::string_view definition_text) {
  UNUM_RETURN_IF_ERROR(CheckDuplicateKeys(definition_text));
  try {
    OJson value = OJson::parse(definition_text);
    return ParseTopLevel(value);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("state machine: ") + e.what());
  }
}

Result<StateMachine> ParseStateMachine(const json& definition) {
  try {
    OJson value = definition;
    return ParseTopLevel(value);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("state machine: ") + e.what());
  }
}

}  // namespace unum::asl
