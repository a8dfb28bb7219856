// Internal helpers of the state machine parser and validator: Location
// (how error messages name a place in a definition) and FieldReader (typed
// access to the fields of one JSON object, with those messages).
#ifndef UNUM_ASL_DEFINITION_PARSE_UTIL_H_
#define UNUM_ASL_DEFINITION_PARSE_UTIL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/definition/state_machine.h"
#include "unum/status.h"

namespace unum::asl {

// The parser reads ordered JSON so states keep their definition order.
using OJson = nlohmann::ordered_json;

// A place in a definition: `state "P" > branch 1 > state "B"`.
class Location {
 public:
  Location Child(std::string segment) const {
    Location out = *this;
    out.segments_.push_back(std::move(segment));
    return out;
  }
  Location State(std::string_view name) const {
    return Child("state \"" + std::string(name) + "\"");
  }
  Location Branch(size_t i) const {
    return Child("branch " + std::to_string(i));
  }

  std::string ToString() const {
    if (segments_.empty()) return "state machine";
    std::string out;
    for (const std::string& s : segments_) {
      if (!out.empty()) out += " > ";
      out += s;
    }
    return out;
  }

  // "<location>: <field>: <what>" (no field part when `field` is empty).
  Status Error(std::string_view field, std::string_view what) const {
    std::string msg = ToString();
    if (!field.empty()) msg += ": " + std::string(field);
    msg += ": " + std::string(what);
    return Status::InvalidArgument(std::move(msg));
  }

 private:
  std::vector<std::string> segments_;
};

// "string", "number", "boolean", "null", "array", "object".
std::string TypeOf(const OJson& v);

// Reads the fields of one JSON object. Field names in messages are
// `prefix + key`, e.g. "Retry[0].MaxAttempts".
class FieldReader {
 public:
  FieldReader(const OJson& object, Location loc, std::string prefix = "")
      : object_(object), loc_(std::move(loc)), prefix_(std::move(prefix)) {}

  bool Has(std::string_view key) const;
  const Location& loc() const { return loc_; }
  std::string Name(std::string_view key) const {
    return prefix_ + std::string(key);
  }
  Status Error(std::string_view key, std::string_view what) const {
    return loc_.Error(Name(key), what);
  }

  Result<std::optional<std::string>> String(std::string_view key) const;
  Result<std::optional<bool>> Bool(std::string_view key) const;
  // An integer >= min ("a positive integer" for 1, "a non-negative
  // integer" for 0).
  Result<std::optional<int64_t>> Integer(std::string_view key,
                                         int64_t min) const;
  Result<std::optional<double>> Number(std::string_view key) const;
  // A path string starting with '$'.
  Result<std::optional<std::string>> Path(std::string_view key) const;
  // A path string or null (InputPath, OutputPath, ResultPath).
  Result<std::optional<nlohmann::json>> NullablePath(
      std::string_view key) const;
  // A payload template: a JSON object, kept as written.
  Result<std::optional<nlohmann::json>> Template(std::string_view key) const;
  // Any JSON value (Pass's Result).
  std::optional<nlohmann::json> Raw(std::string_view key) const;
  // A non-empty array of strings (ErrorEquals).
  Result<std::optional<std::vector<std::string>>> StringList(
      std::string_view key) const;

 private:
  const OJson* Get(std::string_view key) const;

  const OJson& object_;
  Location loc_;
  std::string prefix_;
};

// Shared by the parsers of the top-level machine, branches and item
// processors.
enum class MachineKind { kTop, kBranch, kItemProcessor };

Result<StateMachine> ParseMachine(const OJson& value, const Location& loc,
                                  MachineKind kind);
Result<State> ParseState(const std::string& name, const OJson& value,
                         const Location& machine_loc);

// Checks a QueryLanguage value: JSONPath is fine, JSONata is not
// supported, anything else is invalid.
Status CheckQueryLanguage(const FieldReader& fields);

// Fails on a repeated key anywhere in `text` (naming the state machine
// place), on malformed JSON and on JSON nested deeper than 512 levels.
Status CheckDuplicateKeys(std::string_view text);

}  // namespace unum::asl

#endif  // UNUM_ASL_DEFINITION_PARSE_UTIL_H_
