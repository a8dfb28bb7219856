#include "jsonata/error.h"

#include <string_view>
#include <unordered_map>

#include "jsonata/serialize.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// What each code means; {token}, {value}, {value2} and {index} are filled
// from the error.
const std::unordered_map<std::string_view, std::string_view>& Templates() {
  static const auto* kTemplates =
      new std::unordered_map<std::string_view, std::string_view>{
          {"S0101", "String literal is not terminated by a matching quote"},
          {"S0102", "Number out of range: {token}"},
          {"S0103", "Unsupported escape sequence: \\{token}"},
          {"S0104", "The escape sequence \\u needs 4 hex digits"},
          {"S0105", "Quoted property name is not terminated by a backquote"},
          {"S0106", "Comment has no closing */"},
          {"S0201", "Syntax error: {token}"},
          {"S0202", "Expected {value}, got {token}"},
          {"S0203", "Expected {value} before the end of the expression"},
          {"S0204", "Unknown operator: {token}"},
          {"S0205", "Unexpected token: {token}"},
          {"S0206", "Unknown expression type: {token}"},
          {"S0207", "Unexpected end of expression"},
          {"S0208",
           "Parameter {index} of a function definition must be a "
           "variable name (starting with $)"},
          {"S0209",
           "A predicate cannot follow a grouping expression in a "
           "step"},
          {"S0210", "Each step can have only one grouping expression"},
          {"S0211", "The symbol {token} cannot be used as a unary operator"},
          {"S0212",
           "The left side of := must be a variable name (starting "
           "with $)"},
          {"S0213", "The literal value {value} cannot be a step of a path"},
          {"S0214",
           "The right side of {token} must be a variable name "
           "(starting with $)"},
          {"S0215",
           "A context variable binding must precede any predicates "
           "on a step"},
          {"S0216",
           "A context variable binding must precede the 'order-by' "
           "clause on a step"},
          {"S0217",
           "The object representing the 'parent' cannot be derived "
           "from this expression"},
          {"S0301", "Empty regular expressions are not allowed"},
          {"S0302", "No terminating / in regular expression"},
          {"S0303", "Invalid regular expression"},
          {"S0401", "Type parameters apply only to functions and arrays"},
          {"S0402",
           "Choice groups with parameterized types are not "
           "supported"},
          {"T0410",
           "Argument {index} of function {token} does not match its "
           "signature"},
          {"T0411",
           "The context value does not fit argument {index} of "
           "function {token}"},
          {"T0412",
           "Argument {index} of function {token} must be an array "
           "of {value2}"},
          {"D1001", "Number out of range: {value}"},
          {"D1002", "Cannot negate a non-numeric value: {value}"},
          {"T1003",
           "Key in object structure must evaluate to a string; got: "
           "{value}"},
          {"D1004", "Regular expression matches zero length string"},
          {"T1005",
           "Attempted to invoke a non-function. Did you mean "
           "${token}?"},
          {"T1006", "Attempted to invoke a non-function"},
          {"T1007",
           "Attempted to partially apply a non-function. Did you "
           "mean ${token}?"},
          {"T1008", "Attempted to partially apply a non-function"},
          {"D1009", "Multiple key definitions evaluate to same key: {value}"},
          {"T2001",
           "The left side of the {token} operator must evaluate to "
           "a number"},
          {"T2002",
           "The right side of the {token} operator must evaluate to "
           "a number"},
          {"T2003",
           "The left side of the range operator (..) must evaluate "
           "to an integer"},
          {"T2004",
           "The right side of the range operator (..) must evaluate "
           "to an integer"},
          {"T2006",
           "The right side of the function application operator ~> "
           "must be a function"},
          {"T2007",
           "Type mismatch when comparing values {value} and "
           "{value2} in order-by clause"},
          {"T2008",
           "The expressions within an order-by clause must evaluate "
           "to numeric or string values"},
          {"T2009",
           "The values {value} and {value2} either side of operator "
           "{token} must be of the same data type"},
          {"T2010",
           "The expressions either side of operator {token} must "
           "evaluate to numeric or string values"},
          {"T2011",
           "The insert/update clause of the transform expression "
           "must evaluate to an object: {value}"},
          {"T2012",
           "The delete clause of the transform expression must "
           "evaluate to a string or array of strings: {value}"},
          {"T2013",
           "The transform expression clones its input with "
           "$clone(), which is not a function in this scope"},
          {"T2014",
           "The transform expression cannot update a value that is "
           "not an object: {value}"},
          {"D2014",
           "The range operator (..) cannot allocate more than 1e7 "
           "items; asked for {value}"},
          {"D3001", "Attempting to invoke string function on Infinity or NaN"},
          {"D3010",
           "Second argument of replace function cannot be an empty "
           "string"},
          {"D3011",
           "Fourth argument of replace function must evaluate to a "
           "positive number"},
          {"D3012",
           "Attempted to replace a matched string with a "
           "non-string value"},
          {"D3020",
           "Third argument of split function must evaluate to a "
           "positive number"},
          {"D3030", "Unable to cast value to a number: {value}"},
          {"D3040",
           "Third argument of match function must evaluate to a "
           "positive number"},
          {"D3050",
           "The second argument of reduce function must be a "
           "function with at least two arguments"},
          {"D3060",
           "The sqrt function cannot be applied to a negative "
           "number: {value}"},
          {"D3061",
           "The power function has resulted in a value that cannot "
           "be represented as a JSON number"},
          {"D3070",
           "The single argument form of the sort function can only "
           "be applied to an array of strings or an array of "
           "numbers"},
          {"D3080",
           "The picture string must only contain a maximum of two "
           "sub-pictures"},
          {"D3081",
           "The sub-picture must not contain more than one "
           "'decimal-separator' character"},
          {"D3082",
           "The sub-picture must not contain more than one "
           "'percent' character"},
          {"D3083",
           "The sub-picture must not contain more than one "
           "'per-mille' character"},
          {"D3084",
           "The sub-picture must not contain both a 'percent' and a "
           "'per-mille' character"},
          {"D3085",
           "The mantissa part of a sub-picture must contain at least "
           "one 'optional digit' or 'decimal digit' character"},
          {"D3086",
           "The sub-picture must not contain a passive character "
           "between active characters"},
          {"D3087",
           "The sub-picture must not contain a 'grouping-separator' "
           "next to a 'decimal-separator'"},
          {"D3088",
           "The sub-picture must not end with a "
           "'grouping-separator'"},
          {"D3089",
           "The sub-picture must not contain two adjacent "
           "'grouping-separator' characters"},
          {"D3090",
           "The integer part of the sub-picture must not contain a "
           "'decimal digit' before an 'optional digit'"},
          {"D3091",
           "The fractional part of the sub-picture must not contain "
           "an 'optional digit' before a 'decimal digit'"},
          {"D3092",
           "A sub-picture with a 'percent' or 'per-mille' character "
           "must not have an exponent separator"},
          {"D3093",
           "The exponent part of the sub-picture must have only "
           "'decimal digit' characters"},
          {"D3100",
           "The radix of the formatBase function must be between 2 "
           "and 36; it was {value}"},
          {"D3110",
           "The argument of the toMillis function must be an ISO "
           "8601 timestamp; given {value}"},
          {"D3120", "Syntax error in expression passed to function eval"},
          {"D3121",
           "Dynamic error evaluating the expression passed to "
           "function eval"},
          {"D3130",
           "Formatting or parsing an integer as a sequence starting "
           "with {value} is not supported by this implementation"},
          {"D3131",
           "In a decimal digit pattern, all digits must be from the "
           "same decimal group"},
          {"D3132",
           "Unknown component specifier {value} in date/time "
           "picture string"},
          {"D3133",
           "The 'name' modifier can only be applied to months and "
           "days in the date/time picture string, not {value}"},
          {"D3134",
           "The timezone integer format specifier cannot have more "
           "than four digits"},
          {"D3135",
           "No matching closing bracket ']' in date/time picture "
           "string"},
          {"D3136",
           "The date/time picture string is missing specifiers "
           "required to parse the timestamp"},
          {"D3137", "$error() function evaluated"},
          {"D3138",
           "The $single() function expected exactly 1 matching "
           "result; got more"},
          {"D3139",
           "The $single() function expected exactly 1 matching "
           "result; got none"},
          {"D3140", "Malformed URL passed to {token}(): {value}"},
          {"D3141", "Assertion failed"},
          {"U1001",
           "Stack overflow: the expression nests too deeply (check "
           "for a non-terminating recursive function; consider "
           "rewriting it as tail-recursive)"},
          {"U1002",
           "Expression evaluation timed out (check for an infinite "
           "loop)"},
          {"U1003",
           "A string or array grew beyond the evaluation's size "
           "limit"},
      };
  return *kTemplates;
}

std::string Describe(const Value& v) {
  if (v.undefined()) return "undefined";
  if (v.is_function()) return "a function";
  return Serialize(v, false);
}

void ReplaceAll(std::string& s, std::string_view from, const std::string& to) {
  std::size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
}

}  // namespace

int CharPosition(std::string_view text, int byte) {
  if (byte < 0) return byte;
  return static_cast<int>(
      Utf16Offset(text, std::min(static_cast<std::size_t>(byte), text.size())));
}

Error JsonataError::ToError(std::string_view text) const {
  Error e;
  e.code = code_;
  e.position = CharPosition(text, position_);
  if (!message_.empty()) {
    e.message = message_;
    return e;
  }
  auto it = Templates().find(code_);
  std::string m =
      it != Templates().end() ? std::string(it->second) : "Error " + code_;
  ReplaceAll(m, "{token}", has_token_ ? "\"" + token_ + "\"" : "");
  ReplaceAll(m, "{value}", Describe(value_));
  ReplaceAll(m, "{value2}",
             value2_.is_string() ? value2_.string() : Describe(value2_));
  ReplaceAll(m, "{index}", std::to_string(index_));
  e.message = std::move(m);
  return e;
}

}  // namespace unum::jsonata
