// Function values: lambdas (closures over a frame), built-ins, host
// functions, partial applications, compositions (`f ~> g`), regex
// matchers and transforms.
#ifndef UNUM_JSONATA_FUNCTION_H_
#define UNUM_JSONATA_FUNCTION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/signature.h"
#include "jsonata/value.h"
#include "unum/jsonata.h"

namespace unum::jsonata {

class Frame;
class Evaluator;
class Regex;
using FramePtr = std::shared_ptr<Frame>;

// What a built-in receives beside its arguments: the context value (for
// `-` parameters it is already substituted) and the caller's frame.
struct CallContext {
  Value input;
  FramePtr env;
};

using BuiltinImpl = Value (*)(Evaluator& ev, const CallContext& call,
                              std::vector<Value>& args);

class Function {
 public:
  enum class Kind {
    kLambda,
    kBuiltin,
    kHost,
    kPartial,
    kComposed,
    kRegex,
    kMatchNext,
    kTransform,
  };
  explicit Function(Kind kind) : kind_(kind) {}
  virtual ~Function() = default;
  Kind kind() const { return kind_; }
  // How many arguments a higher-order function passes it.
  virtual int Arity() const = 0;

  std::shared_ptr<const Signature> signature;

 private:
  Kind kind_;
};

struct Lambda : Function {
  Lambda() : Function(Kind::kLambda) {}
  int Arity() const override { return static_cast<int>(params.size()); }
  std::vector<std::string> params;
  const Node* body = nullptr;
  Value input;  // the context where the lambda was defined
  FramePtr env;
  bool thunk = false;
  // Keeps the syntax tree alive (a tree parsed by $eval).
  std::shared_ptr<const void> owner;
};

struct Builtin : Function {
  Builtin() : Function(Kind::kBuiltin) {}
  int Arity() const override { return arity; }
  std::string name;
  BuiltinImpl impl = nullptr;
  int arity = 0;
};

struct HostFn : Function {
  HostFn() : Function(Kind::kHost) {}
  int Arity() const override {
    return signature ? signature->param_count() : 1;
  }
  std::string name;
  const HostFunctionSpec* spec = nullptr;
};

// A built-in (or host function) with some arguments supplied; the holes
// (`?`) are filled, in order, by the call's arguments.
struct PartialNative : Function {
  PartialNative() : Function(Kind::kPartial) {}
  int Arity() const override {
    int holes = 0;
    for (const auto& a : args) holes += a.has_value() ? 0 : 1;
    return holes;
  }
  FunctionPtr target;
  std::string name;
  std::vector<std::optional<Value>> args;
};

// `f ~> g` for two functions: x -> g(f(x)).
struct Composed : Function {
  Composed() : Function(Kind::kComposed) {}
  int Arity() const override { return 1; }
  Value first, second;
};

// A regex literal used as a function: matches its argument and returns
// {match, start, end, groups, next}.
struct RegexFn : Function {
  RegexFn() : Function(Kind::kRegex) {}
  int Arity() const override { return 1; }
  std::shared_ptr<const Regex> regex;
};

// The `next` of a regex match: the following match in the same string.
struct MatchNext : Function {
  MatchNext() : Function(Kind::kMatchNext) {}
  int Arity() const override { return 0; }
  std::shared_ptr<const Regex> regex;
  std::shared_ptr<const std::string> subject;
  std::size_t from = 0;
};

// The function a transform `| pattern | update, delete |` evaluates to.
struct TransformFn : Function {
  TransformFn() : Function(Kind::kTransform) {}
  int Arity() const override { return 1; }
  const Node* node = nullptr;
  FramePtr env;
};

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTION_H_
