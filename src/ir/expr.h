// The safe expression language of the IR (Conditional, Fan-in Values,
// Payload Modifiers). Parsed by our own recursive-descent parser into an
// AST; evaluated against an environment. Never evaluated by an
// interpreter of a general-purpose language.
//
// Grammar (lowest to highest precedence):
//   expr    := or
//   or      := and ( "||" and )*
//   and     := not ( "&&" not )*       -- "!" binds tighter, see unary
//   cmp     := add ( ("=="|"!="|"<"|"<="|">"|">=") add )?
//   add     := mul ( ("+"|"-") mul )*
//   mul     := unary ( ("*"|"/"|"%") unary )*
//   unary   := ("!"|"-") unary | postfix
//   postfix := primary ( "." IDENT | "[" expr "]" )*
//   primary := NUMBER | STRING | "true" | "false" | "null"
//            | "$out" | "$" DIGITS | "$size" | "(" expr ")"
// Strings use '...' or "..." with backslash escapes. Integers stay int64;
// any double operand makes the result a double; int / int truncates toward
// zero; division or modulo by zero is an error. && || ! need booleans and
// short-circuit. == and != compare any JSON values; < <= > >= compare two
// numbers or two strings. `.field` on an object with no such field is null;
// `.field` on a non-object, `[i]` out of range or on a non-array is an
// error. Errors say what failed and where (column) in the source text.
//
// Thread-safety: a parsed Expr is immutable; Eval may run concurrently.
#ifndef UNUM_IR_EXPR_H_
#define UNUM_IR_EXPR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/fanout.h"
#include "unum/status.h"

namespace unum::ir {

// What `$out`, `$0..$n` and `$size` refer to during one evaluation.
struct ExprEnv {
  const nlohmann::json* out = nullptr;      // null: `$out` is an error
  const FanOutStack* fanout = nullptr;      // null: treated as empty
};

struct ExprNode;  // private AST
class BoundNameTemplate;  // ir/name_template.h

class Expr {
 public:
  // Parses `source`; kInvalidArgument with the column on syntax errors.
  static Result<Expr> Parse(std::string_view source);

  Result<nlohmann::json> Eval(const ExprEnv& env) const;
  // Eval, then requires a boolean result.
  Result<bool> EvalBool(const ExprEnv& env) const;
  // Eval, then requires an integer result.
  Result<int64_t> EvalInt(const ExprEnv& env) const;

  const std::string& source() const { return source_; }
  // True when the expression reads `$out`.
  bool uses_out() const { return uses_out_; }
  // The deepest fan-out level the expression reads: the largest k such
  // that `$k` appears (`$size` counts as level 0), or -1.
  int max_index_var() const { return max_index_var_; }

 private:
  std::string source_;
  std::shared_ptr<const ExprNode> root_;
  bool uses_out_ = false;
  int max_index_var_ = -1;
};

// A fan-in value: an instance-name template such as "A-unumIndex-*",
// "B-unumIndex-$0.$1", "A-unumIndex-($0+1)" or a plain "CreatePost".
// Literal text, with `*` (every index 0..$size-1 of the innermost fan-out),
// `$k`, `$size` and `( expr )` (an integer expression) substituted.
class NameTemplate {
 public:
  static Result<NameTemplate> Parse(std::string_view source);

  // The instance names this template stands for under `fanout`, in index
  // order of the glob (one name without a glob). Errors when a variable is
  // deeper than the stack, a `*` has no fan-out, or an index is negative.
  Result<std::vector<std::string>> Expand(const FanOutStack& fanout) const;
  // Evaluates the variables and expressions under `fanout` (same errors as
  // Expand) without building the names; Expand is Bind(...).Names().
  Result<BoundNameTemplate> Bind(const FanOutStack& fanout) const;

  const std::string& source() const { return source_; }
  bool has_glob() const { return has_glob_; }

 private:
  struct Part {
    enum class Kind { kText, kGlob, kExpr } kind;
    std::string text;
    std::shared_ptr<const Expr> expr;
  };
  std::string source_;
  std::vector<Part> parts_;
  bool has_glob_ = false;
};

// A payload modifier: "Pop" (drop the innermost fan-out), "$k = expr" (set
// the index of level k) or "$size = expr" (set the innermost size).
class Modifier {
 public:
  static Result<Modifier> Parse(std::string_view source);

  // Applies this modifier to `fanout`; errors when the stack is too shallow
  // (for example Pop on an empty stack) or the value is not an integer.
  Status Apply(FanOutStack* fanout) const;

  const std::string& source() const { return source_; }

 private:
  enum class Kind { kPop, kSetIndex, kSetSize };
  Kind kind_ = Kind::kPop;
  int level_ = 0;
  std::shared_ptr<const Expr> value_;
  std::string source_;
};

}  // namespace unum::ir

#endif  // UNUM_IR_EXPR_H_
