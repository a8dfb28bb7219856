// JSONata: parse an expression once, evaluate it many times over JSON.
//
// A C++ evaluator of the JSONata query and transformation language as the
// jsonata 2.0 package defines it (the version AWS Step Functions
// implements): paths, predicates, wildcards, descendants, parent `%`,
// positional `#` and focus `@` bindings, order-by, grouping, object and
// array constructors, conditionals, `~>` chains, variables and blocks,
// lambdas with closures, partial application and signatures, the transform
// operator, regular expressions, ranges, and the built-in function library.
// src/jsonata/README.md describes the design and the known differences.
//
// Errors carry jsonata's codes (S0xxx syntax, T0xxx/T1xxx/T2xxx type,
// D1xxx-D3xxx dynamic) and the character position jsonata reports. Limits
// against hostile expressions (nesting depth, time, sizes) raise U1001,
// U1002 and U1003.
//
// Thread-safety: a parsed Expression is immutable; any number of threads
// may evaluate it at once.
#ifndef UNUM_JSONATA_H_
#define UNUM_JSONATA_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unum/status.h"

namespace unum::jsonata {

// Why a parse or an evaluation failed, as jsonata reports it.
struct Error {
  std::string code;   // e.g. "T2001"
  int position = -1;  // character offset in the expression (-1: none)
  std::string message;
  // "<code> at position <p>: <message>" (InvalidArgument), or
  // ResourceExhausted / DeadlineExceeded for the U1xxx limits.
  Status ToStatus() const;
};

// Bounds on one evaluation. The defaults let ordinary expressions run,
// including deep (tail-)recursion, and stop runaway ones.
struct Limits {
  // Nested evaluation depth (the native stack is bounded by this): U1001.
  int max_depth = 2000;
  // Wall-clock budget for one evaluation: U1002. Zero: no limit.
  std::chrono::milliseconds timeout{10000};
  // Largest string or array one step may build: U1003.
  std::size_t max_string_bytes = 64u << 20;
  std::size_t max_array_items = 10'000'000;
};

// A function the host adds to the expression language, called with JSON
// arguments (jsonata's `undefined` is an empty optional). It returns a
// value, nothing (undefined), or an Error (its code is kept).
using HostFunction = std::function<Result<std::optional<nlohmann::json>>(
    const std::vector<std::optional<nlohmann::json>>& args)>;

struct HostFunctionSpec {
  // A jsonata signature such as "<n-n?:n>" (validated as jsonata does),
  // or empty for none.
  std::string signature;
  HostFunction call;
};

// Variables and functions visible to an expression, beside the built-ins.
// Names have no leading `$`.
struct Bindings {
  std::map<std::string, nlohmann::json> values;
  std::map<std::string, HostFunctionSpec> functions;
  // Built-in functions hidden from the expression (their names become
  // undefined), e.g. {"eval"}.
  std::vector<std::string> hidden;
};

class Expression {
 public:
  // Parses `text`; a syntax error is returned with its S0xxx code.
  static Result<Expression> Parse(std::string_view text,
                                  Error* error = nullptr);

  // Evaluates against `input` (an empty optional: no input, jsonata's
  // undefined). The result is empty when the expression yields undefined.
  // Functions in the result become null. On failure, *error (if given)
  // holds jsonata's code and position.
  Result<std::optional<nlohmann::json>> Evaluate(
      const std::optional<nlohmann::json>& input, const Bindings& bindings = {},
      const Limits& limits = {}, Error* error = nullptr) const;
  // The same, with objects read in their document order (jsonata keeps
  // key order; nlohmann::json sorts keys).
  Result<std::optional<nlohmann::ordered_json>> EvaluateOrdered(
      const std::optional<nlohmann::ordered_json>& input,
      const Bindings& bindings = {}, const Limits& limits = {},
      Error* error = nullptr) const;

  const std::string& text() const;

  struct Impl;

 private:
  explicit Expression(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_H_
