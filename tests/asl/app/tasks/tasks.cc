// The fixed task table of the ASL differential corpus (tests/asl/TASKS.md),
// the C++ side: the same behaviour as tests/asl/peer/tasks.mjs.
#include <unum/function.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>

namespace {

using unum::Json;
using unum::TaskError;

TaskError Invalid(const std::string& task, const std::string& what) {
  return TaskError("InvalidInput", task + ": " + what);
}

bool IsInteger(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

}  // namespace

UNUM_FUNCTION(Echo)(const Json& input, unum::Context&) { return input; }

UNUM_FUNCTION(Add)(const Json& input, unum::Context&) {
  if (!input.is_object() || !input.contains("a") || !input.contains("b") ||
      !input["a"].is_number() || !input["b"].is_number()) {
    throw Invalid("Add", "expects {\"a\": number, \"b\": number}");
  }
  if (input["a"].is_number_integer() && input["b"].is_number_integer()) {
    return Json(input["a"].get<int64_t>() + input["b"].get<int64_t>());
  }
  return Json(input["a"].get<double>() + input["b"].get<double>());
}

UNUM_FUNCTION(Double)(const Json& input, unum::Context&) {
  auto twice = [](const Json& n) {
    return n.is_number_integer() ? Json(2 * n.get<int64_t>())
                                 : Json(2 * n.get<double>());
  };
  if (input.is_number()) return twice(input);
  if (input.is_object() && input.contains("value") &&
      input["value"].is_number()) {
    return Json{{"value", twice(input["value"])}};
  }
  throw Invalid("Double", "expects a number or {\"value\": number}");
}

UNUM_FUNCTION(Concat)(const Json& input, unum::Context&) {
  if (!input.is_object() || !input.contains("strings") ||
      !input["strings"].is_array()) {
    throw Invalid("Concat", "expects {\"strings\": [string...]}");
  }
  for (const Json& s : input["strings"]) {
    if (!s.is_string())
      throw Invalid("Concat", "expects {\"strings\": [string...]}");
  }
  std::string sep;
  if (input.contains("sep")) {
    if (!input["sep"].is_string())
      throw Invalid("Concat", "\"sep\" must be a string");
    sep = input["sep"].get<std::string>();
  }
  std::string out;
  for (size_t i = 0; i < input["strings"].size(); ++i) {
    if (i > 0) out += sep;
    out += input["strings"][i].get<std::string>();
  }
  return out;
}

UNUM_FUNCTION(Fail)(const Json& input, unum::Context&) {
  std::string name = "CustomError", cause = "failed on purpose";
  if (input.is_object()) {
    if (input.contains("error") && input["error"].is_string()) {
      name = input["error"].get<std::string>();
    }
    if (input.contains("cause") && input["cause"].is_string()) {
      cause = input["cause"].get<std::string>();
    }
  }
  throw TaskError(name, cause);
}

UNUM_FUNCTION(FailUntil)(const Json& input, unum::Context&) {
  if (!input.is_object() || !input.contains("attempt") ||
      !input.contains("succeedAt") || !IsInteger(input["attempt"]) ||
      !IsInteger(input["succeedAt"])) {
    throw Invalid("FailUntil",
                  "expects {\"attempt\": integer, \"succeedAt\": integer}");
  }
  const int64_t n = input["attempt"].get<int64_t>();
  if (n < input["succeedAt"].get<int64_t>()) {
    throw TaskError("Transient", "attempt " + std::to_string(n));
  }
  return Json{{"succeededOnAttempt", n}};
}

UNUM_FUNCTION(Sleep)(const Json& input, unum::Context&) {
  if (!input.is_object() || !input.contains("ms") || !IsInteger(input["ms"]) ||
      input["ms"].get<int64_t>() < 0 || input["ms"].get<int64_t>() > 2500) {
    throw Invalid("Sleep", "expects {\"ms\": integer 0..2500}");
  }
  std::this_thread::sleep_for(
      std::chrono::milliseconds(input["ms"].get<int64_t>()));
  return input;
}
