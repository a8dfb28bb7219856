// Evaluator: walks a processed syntax tree against an input value.
//
// One Evaluator serves one evaluation (one thread); the tree it walks is
// shared and never modified. Its state holds the limits (depth, stack,
// deadline, sizes), the timestamp $now reports during this evaluation,
// the host's bindings, and every frame created, to break closure cycles
// when the evaluation ends.
#ifndef UNUM_JSONATA_EVALUATOR_H_
#define UNUM_JSONATA_EVALUATOR_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/frame.h"
#include "jsonata/function.h"
#include "jsonata/value.h"
#include "unum/jsonata.h"

namespace unum::jsonata {

class Evaluator {
 public:
  Evaluator(const Limits& limits, const Bindings& bindings);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Evaluates a whole expression: binds `$$` and the host's variables,
  // wraps an array input as jsonata does.
  Value EvaluateRoot(const Node& root, const Value& input,
                     const std::vector<std::pair<std::string, Value>>& vars);

  Value Eval(const Node& n, const Value& input, const FramePtr& env);

  // Calls `fn` with `args` (validated against its signature); `position`
  // and `name` go into errors that have none.
  Value Apply(const Value& fn, std::vector<Value> args, const Value& input,
              const FramePtr& env, int position = -1,
              const std::string& name = "");
  // Calls a callback of a higher-order function with as many of (value,
  // index, array) as the callback declares parameters.
  Value CallBack(const Value& fn, const Value& value, const Value& index,
                 const Value& array, const FramePtr& env);

  FramePtr NewFrame(const FramePtr& parent);

  // A function value's name for error messages.
  std::string NameOf(const Value& fn) const;
  // Milliseconds since the epoch at the start of this evaluation ($now,
  // $millis).
  double now_millis() const { return now_millis_; }
  const Limits& limits() const { return limits_; }
  // Throws U1003 when a string or array outgrows the limits.
  void CheckSize(std::size_t string_bytes, std::size_t array_items) const;
  // Parses and evaluates `text` for $eval (D3120/D3121 on failure).
  Value EvalText(const std::string& text, const Value& input,
                 const FramePtr& env);

 private:
  friend class PathEvaluator;
  // Value-kind dispatch helpers (evaluator.cc, eval_ops.cc, eval_call.cc).
  Value EvalBinary(const Node& n, const Value& input, const FramePtr& env);
  Value EvalUnary(const Node& n, const Value& input, const FramePtr& env);
  Value EvalArray(const Node& n, const Value& input, const FramePtr& env);
  Value EvalBlock(const Node& n, const Value& input, const FramePtr& env);
  Value EvalVariable(const Node& n, const Value& input, const FramePtr& env);
  Value EvalFunctionCall(const Node& n, const Value& input, const FramePtr& env,
                         const Value* applied_to);
  Value EvalPartial(const Node& n, const Value& input, const FramePtr& env);
  Value EvalLambda(const Node& n, const Value& input, const FramePtr& env);
  Value EvalApplyChain(const Node& n, const Value& input, const FramePtr& env);
  Value EvalTransform(const Node& n, const Value& input, const FramePtr& env);
  Value ApplyInner(const Value& fn, std::vector<Value> args, const Value& input,
                   const FramePtr& env);
  Value ApplyLambda(const Lambda& lambda, std::vector<Value> args);
  Value ApplyTransform(const TransformFn& t, const Value& arg);
  Value Lookup(const std::string& name, const FramePtr& env) const;
  void Tick();

  struct DepthGuard {
    explicit DepthGuard(Evaluator& e);
    ~DepthGuard() { --ev.depth_; }
    Evaluator& ev;
  };

  const Limits& limits_;
  const Bindings& bindings_;
  // Host functions looked up so far (Lookup is const: a cache).
  mutable std::map<std::string, FunctionPtr> host_functions_;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  int depth_ = 0;
  std::uint32_t ticks_ = 0;
  double now_millis_ = 0;
  const char* stack_start_ = nullptr;
  std::size_t stack_budget_ = 0;
  std::vector<std::weak_ptr<Frame>> frames_;
  std::size_t frames_prune_at_ = 1024;
  FramePtr root_frame_;
  // Trees parsed by $eval during this evaluation.
  std::vector<std::shared_ptr<const void>> eval_trees_;
};

// The built-in function named `name`, or nullptr (functions/registry.cc).
FunctionPtr FindBuiltin(const std::string& name);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_EVALUATOR_H_
