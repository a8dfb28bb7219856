// The States Language intrinsic functions (States.Format ... States.UUID):
// parsed once when a definition is compiled, evaluated per execution.
//
// Grammar (spec, "Intrinsic functions"): `States.Name(arg, arg, ...)` where
// an argument is a string literal in single quotes (escapes: \' \{ \}
// and \\), a number, true/false/null, a path (`$...` or `$$...`), or a
// nested intrinsic call. Nothing is evaluated by an interpreter: the call is
// parsed into an IntrinsicCall tree here.
#ifndef UNUM_ASL_DEFINITION_INTRINSICS_H_
#define UNUM_ASL_DEFINITION_INTRINSICS_H_

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "asl/states_error.h"
#include "unum/status.h"

namespace unum::asl {

struct IntrinsicCall;

// One argument of an intrinsic call.
struct IntrinsicArg {
  struct Path {
    std::string text;  // "$.a.b" or "$$.Execution.Id", as written
  };
  // A literal (string, number, bool, null), a path, or a nested call.
  std::variant<nlohmann::json, Path, std::shared_ptr<IntrinsicCall>> value;
  // For a string literal only: the text between the quotes with its escapes
  // kept, so that States.Format tells a `{}` placeholder from `\{\}`.
  // Empty for other arguments and for literals built by hand (then every
  // `{}` in the literal's value is a placeholder).
  std::string literal_source = {};
};

struct IntrinsicCall {
  std::string name;  // "States.Format"
  std::vector<IntrinsicArg> args;
};

// Parses `text` (the whole string value of a `key.$` field). Errors
// (unknown function, wrong argument count or literal type where it is
// known statically, bad syntax) are InvalidArgument and say where in the
// text the problem is.
Result<IntrinsicCall> ParseIntrinsic(std::string_view text);

// The greatest nesting depth of calls in one field (AWS allows 10).
inline constexpr int kMaxIntrinsicNesting = 10;

// True when `text` starts like an intrinsic call ("States." after
// optional whitespace) rather than a path.
bool LooksLikeIntrinsic(std::string_view text);

// Resolves a path argument to its value (or a StatesError, normally
// States.ParameterPathFailure when it matches nothing).
using PathResolver =
    std::function<Outcome<nlohmann::json>(std::string_view path)>;

// Evaluates `call`. Runtime failures (bad argument types, invalid JSON in
// States.StringToJson, out-of-range index...) are States.IntrinsicFailure.
Outcome<nlohmann::json> EvaluateIntrinsic(const IntrinsicCall& call,
                                          const PathResolver& resolve);

}  // namespace unum::asl

#endif  // UNUM_ASL_DEFINITION_INTRINSICS_H_
