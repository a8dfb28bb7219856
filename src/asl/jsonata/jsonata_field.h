// JsonataField: one field of a `QueryLanguage: JSONata` state (Arguments,
// Output, an Assign value, Condition, Items, ItemSelector, TimeoutSeconds,
// a Catch's Output, a Fail's Error/Cause...) compiled once and evaluated
// per run.
//
// A field value is JSON in which any string written `{% <expression> %}`
// (starting with `{%` and ending with `%}`, nothing around them) is a
// JSONata expression; every other value, object keys included, is
// literal. Expressions may sit at any depth in objects and arrays. They
// read `$states` ({input, result, errorOutput, context}, each present only
// where the state has it) and the workflow variables as `$name`, and may
// call AWS's added functions (aws_functions.h); `$eval` is hidden.
//
// A failing expression, or one that gives no value (undefined, which JSON
// cannot hold), fails the state with States.QueryEvaluationError and a
// cause naming the field and the expression. A syntax error is found when
// the field is compiled: an InvalidArgument naming the field.
#ifndef UNUM_ASL_JSONATA_JSONATA_FIELD_H_
#define UNUM_ASL_JSONATA_JSONATA_FIELD_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "asl/states_error.h"
#include "unum/jsonata.h"
#include "unum/status.h"

namespace unum::asl {

// The error a failing JSONata expression raises (AWS's name).
inline constexpr char kStatesQueryEvaluationError[] =
    "States.QueryEvaluationError";

// True when `text` is a whole `{% ... %}` expression.
bool IsJsonataExpression(std::string_view text);

// What the expressions of one state read. Borrowed; null members are
// absent (a state before its work has no result; only a Catch has an
// error output). `variables` is an object of every visible variable.
struct StatesScope {
  const nlohmann::json* input = nullptr;
  const nlohmann::json* result = nullptr;
  const nlohmann::json* error_output = nullptr;
  const nlohmann::json* context = nullptr;
  const nlohmann::json* variables = nullptr;
};

class JsonataField {
 public:
  // Compiles `value`, the field `field_name` (e.g. "Arguments",
  // "Assign.total") of a state. Errors name the field, the expression and
  // jsonata's syntax error code and position.
  static Result<JsonataField> Compile(const nlohmann::json& value,
                                      std::string field_name);

  // The field's value in `scope`.
  Outcome<nlohmann::json> Evaluate(const StatesScope& scope) const;
  // The same, for fields whose value has one type (else
  // States.QueryEvaluationError naming the field and what it gave):
  // Choice `Condition` (a boolean), Map `Items` (an array), Fail
  // `Error`/`Cause` and Wait `Timestamp` (a string), and `Seconds`,
  // `TimeoutSeconds`, `HeartbeatSeconds` (an integer from `min_seconds`
  // to 99999999; a number with a zero fraction counts).
  Outcome<bool> EvaluateCondition(const StatesScope& scope) const;
  Outcome<nlohmann::json> EvaluateArray(const StatesScope& scope) const;
  Outcome<std::string> EvaluateString(const StatesScope& scope) const;
  Outcome<int64_t> EvaluateSeconds(const StatesScope& scope,
                                   int64_t min_seconds) const;

  // False when the value holds no expression (it evaluates to itself).
  bool HasExpressions() const;
  // Whether an expression's text names `$states` (else the field cannot
  // read the input, result, error output or context object).
  bool MentionsStates() const;
  const std::string& field_name() const { return field_name_; }

  struct Node;

 private:
  JsonataField(std::shared_ptr<const Node> root, std::string field_name);
  StatesError WrongType(const nlohmann::json& value,
                        const std::string& wanted) const;

  std::shared_ptr<const Node> root_;
  std::string field_name_;
};

}  // namespace unum::asl

#endif  // UNUM_ASL_JSONATA_JSONATA_FIELD_H_
