// JsonPath: a States Language JSONPath, parsed once into an AST and
// evaluated many times against nlohmann::json documents.
//
// Syntax: `$` (the input) or `$$` (the context object), then steps:
// `.name`, `['name']` / `["name"]`, `[n]` (negative counts from the end),
// `*` / `[*]`, recursive descent `..name` / `..*` / `..[...]`, slices
// `[start:end:step]`, unions `[0,2]` / `['a','b']` and filters
// `[?(@.k op literal)]` with == != < <= > >= && || ! and parentheses, where
// `[?(@.k)]` tests that @.k exists. Filters are parsed into a tree here and
// evaluated by walking it; no user text reaches an interpreter.
//
// A path is *definite* when every step is a name or a single index; it
// selects at most one node and evaluates to that node's value. Any other
// path is *indefinite* and evaluates to the array of its matches (possibly
// empty, as Jayway JsonPath does in AWS Step Functions). A *Reference Path*
// (the spec's term, required for ResultPath) is a definite `$` path whose
// indices are all non-negative.
//
// Thread-safety: a parsed JsonPath is immutable; share it freely.
#ifndef UNUM_ASL_DATAFLOW_JSON_PATH_H_
#define UNUM_ASL_DATAFLOW_JSON_PATH_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "unum/status.h"

namespace unum::asl {

struct FilterExpr;

// What one step selects from each node it is applied to.
struct PathSelector {
  enum class Kind { kName, kIndex, kWildcard, kSlice, kUnion, kFilter };
  Kind kind = Kind::kName;
  std::string name;                        // kName
  std::int64_t index = 0;                  // kIndex
  std::optional<std::int64_t> start, end;  // kSlice; absent = default
  std::int64_t step = 1;                   // kSlice; never 0
  std::vector<std::variant<std::string, std::int64_t>> members;  // kUnion
  std::shared_ptr<const FilterExpr> filter;                      // kFilter
};

struct PathStep {
  bool recursive = false;  // `..`: apply to the node and all descendants
  PathSelector selector;
};

// One side of a filter comparison: a literal, or a path relative to the
// current node (`@...`) or to the document root (`$...`).
struct FilterOperand {
  enum class Kind { kLiteral, kCurrent, kRoot };
  Kind kind = Kind::kLiteral;
  nlohmann::json literal;
  std::vector<PathStep> steps;
};

struct FilterExpr {
  enum class Kind { kOr, kAnd, kNot, kCompare, kExists };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  Kind kind = Kind::kExists;
  std::vector<FilterExpr> children;  // kOr, kAnd (2+), kNot (1)
  Op op = Op::kEq;                   // kCompare
  FilterOperand lhs;                 // kCompare, kExists
  FilterOperand rhs;                 // kCompare
};

class JsonPath {
 public:
  // Parses `text`. Errors are InvalidArgument naming the offset in `text`.
  static Result<JsonPath> Parse(std::string_view text);

  // The text the path was parsed from.
  const std::string& text() const { return text_; }
  // True for `$$...` paths, which read the context object.
  bool is_context() const { return context_; }
  bool is_definite() const;
  bool is_reference() const;
  const std::vector<PathStep>& steps() const { return steps_; }

  // The nodes the path selects, in document order; pointers into `input`
  // (or into `context` for a context path), valid while those live.
  std::vector<const nlohmann::json*> Select(
      const nlohmann::json& input, const nlohmann::json& context) const;

  // A definite path: the selected value, or nullopt when nothing matches.
  // An indefinite path: the array of matched values (never nullopt).
  std::optional<nlohmann::json> Evaluate(const nlohmann::json& input,
                                         const nlohmann::json& context) const;

 private:
  std::string text_;
  bool context_ = false;
  std::vector<PathStep> steps_;
};

// Applies `steps` starting from `start`; `root` is what `$` in a filter
// refers to. Used by JsonPath and by filter operands.
std::vector<const nlohmann::json*> SelectSteps(
    const std::vector<PathStep>& steps, const nlohmann::json& start,
    const nlohmann::json& root);

// True when every step is a name or an index (at most one match).
bool StepsAreDefinite(const std::vector<PathStep>& steps);

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_JSON_PATH_H_
