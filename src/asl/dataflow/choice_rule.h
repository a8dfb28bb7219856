// ChoiceRule: one rule of a Choice state (States Language spec, "Choice
// Rules"), parsed once from its JSON and evaluated per execution.
//
// A rule is a Boolean expression (And, Or, Not) or a comparison of the
// value at `Variable` with a literal or, for the `...Path` operators, with
// the value at another path of the same input (or of the context object).
// Evaluation follows the spec: a type mismatch makes a comparison false,
// not an error; a Variable (or `...Path` operand) that matches nothing is a
// States.Runtime error, except under IsPresent, which then is false.
//
// Thread-safety: immutable after parsing.
#ifndef UNUM_ASL_DATAFLOW_CHOICE_RULE_H_
#define UNUM_ASL_DATAFLOW_CHOICE_RULE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/dataflow/json_path.h"
#include "asl/dataflow/timestamp.h"
#include "asl/states_error.h"
#include "unum/status.h"

namespace unum::asl {

enum class ChoiceOp {
  kStringEquals,
  kStringLessThan,
  kStringGreaterThan,
  kStringLessThanEquals,
  kStringGreaterThanEquals,
  kStringMatches,
  kNumericEquals,
  kNumericLessThan,
  kNumericGreaterThan,
  kNumericLessThanEquals,
  kNumericGreaterThanEquals,
  kBooleanEquals,
  kTimestampEquals,
  kTimestampLessThan,
  kTimestampGreaterThan,
  kTimestampLessThanEquals,
  kTimestampGreaterThanEquals,
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp,
};

class ChoiceRule {
 public:
  enum class Kind { kAnd, kOr, kNot, kComparison };

  // Parses `rule`. A top-level rule (an element of `Choices`) must have a
  // string `Next`; a nested one (inside And, Or, Not) must not. `where`
  // names the rule in error messages, e.g. "States.Check.Choices[2]";
  // nested rules extend it (".And[0]", ".Not"). Errors are
  // InvalidArgument: "<where>: <field>: <problem>".
  static Result<ChoiceRule> Parse(const nlohmann::json& rule,
                                  std::string_view where, bool top_level);

  // Whether the rule holds for `input`; `context` is what `$$` reads.
  Outcome<bool> Evaluate(const nlohmann::json& input,
                         const nlohmann::json& context) const;

  Kind kind() const { return kind_; }
  // The target state of a top-level rule ("" for nested rules).
  const std::string& next() const { return next_; }
  // kAnd, kOr: the operands; kNot: the single operand.
  const std::vector<ChoiceRule>& children() const { return children_; }
  // kComparison only.
  ChoiceOp op() const { return op_; }
  const std::optional<JsonPath>& variable() const { return variable_; }
  // The operand: a literal, or a path for the `...Path` operators.
  const nlohmann::json& literal() const { return literal_; }
  const std::optional<JsonPath>& operand_path() const { return operand_path_; }
  // Whether Evaluate reads `context`: a `$$` Variable or `...Path` operand
  // here or in a nested rule.
  bool uses_context() const;

 private:
  Outcome<bool> Compare(const nlohmann::json& value,
                        const nlohmann::json& operand) const;

  Kind kind_ = Kind::kComparison;
  std::string next_;
  std::vector<ChoiceRule> children_;
  ChoiceOp op_ = ChoiceOp::kIsPresent;
  std::optional<JsonPath> variable_;
  nlohmann::json literal_;
  std::optional<JsonPath> operand_path_;
  // StringMatches: the pattern split at its unescaped '*'s.
  std::vector<std::string> pattern_parts_;
};

// Splits a StringMatches pattern at its unescaped '*'s, resolving the
// escapes \* and \\. Any other backslash is InvalidArgument.
Result<std::vector<std::string>> ParseStringPattern(std::string_view pattern);

// True when `text` matches the pattern split into `parts`: each gap
// between consecutive parts matches any (possibly empty) substring.
bool MatchStringPattern(const std::vector<std::string>& parts,
                        std::string_view text);

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_CHOICE_RULE_H_
