// The evaluator's entry points, limits and the simple node kinds; paths
// are in eval_path.cc, operators in eval_ops.cc, calls in eval_call.cc.
#include "jsonata/evaluator.h"

#include <pthread.h>

#include <algorithm>

#include "jsonata/error.h"
#include "jsonata/eval_path.h"

namespace unum::jsonata {
namespace {

// Native stack kept free below the evaluator's budget (for built-ins,
// regex matching and error handling).
constexpr std::size_t kStackReserve = 256 * 1024;
constexpr std::size_t kMaxStackBudget = 64u << 20;

// The lowest address of this thread's stack (nullptr: unknown). Asking
// is slow for the main thread (glibc reads /proc/self/maps), so each
// thread asks once.
const char* StackLow() {
  thread_local const char* low = [] {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
      return (const char*)nullptr;
    void* base = nullptr;
    std::size_t size = 0;
    pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
    return static_cast<const char*>(base);
  }();
  return low;
}

// Bytes of native stack left below `here` on this thread.
std::size_t StackAvailable(const char* here) {
  const char* low = StackLow();
  if (low == nullptr || here <= low) return 1u << 20;
  return static_cast<std::size_t>(here - low);
}

}  // namespace

Evaluator::DepthGuard::DepthGuard(Evaluator& e) : ev(e) {
  char probe = 0;
  std::size_t used = static_cast<std::size_t>(e.stack_start_ - &probe);
  if (++e.depth_ > e.limits_.max_depth ||
      (&probe < e.stack_start_ && used > e.stack_budget_)) {
    --e.depth_;
    throw JsonataError("U1001", -1);
  }
}

Evaluator::Evaluator(const Limits& limits, const Bindings& bindings)
    : limits_(limits), bindings_(bindings) {
  char probe = 0;
  stack_start_ = &probe;
  std::size_t available = StackAvailable(&probe);
  stack_budget_ =
      available > 2 * kStackReserve ? available - kStackReserve : available / 2;
  stack_budget_ = std::min(stack_budget_, kMaxStackBudget);
  if (limits.timeout.count() > 0) {
    has_deadline_ = true;
    deadline_ = std::chrono::steady_clock::now() + limits.timeout;
  }
  now_millis_ = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

Evaluator::~Evaluator() {
  // Break the cycles closures and frames form.
  for (const auto& weak : frames_) {
    if (FramePtr f = weak.lock()) f->Clear();
  }
}

FramePtr Evaluator::NewFrame(const FramePtr& parent) {
  auto frame = std::make_shared<Frame>(parent);
  frames_.push_back(frame);
  if (frames_.size() >= frames_prune_at_) {
    frames_.erase(std::remove_if(frames_.begin(), frames_.end(),
                                 [](const std::weak_ptr<Frame>& w) {
                                   return w.expired();
                                 }),
                  frames_.end());
    frames_prune_at_ = std::max<std::size_t>(1024, frames_.size() * 2);
  }
  return frame;
}

void Evaluator::Tick() {
  if ((++ticks_ & 1023u) != 0 || !has_deadline_) return;
  if (std::chrono::steady_clock::now() > deadline_) {
    throw JsonataError("U1002", -1);
  }
}

void Evaluator::CheckSize(std::size_t string_bytes,
                          std::size_t array_items) const {
  if (string_bytes > limits_.max_string_bytes ||
      array_items > limits_.max_array_items) {
    throw JsonataError("U1003", -1);
  }
}

Value Evaluator::EvaluateRoot(
    const Node& root, const Value& input,
    const std::vector<std::pair<std::string, Value>>& vars) {
  root_frame_ = NewFrame(nullptr);
  for (const auto& [name, value] : vars) root_frame_->Bind(name, value);
  root_frame_->Bind("$", input);
  Value context = input;
  if (input.is_array() && !input.is_sequence()) {
    ArrayPtr wrapper = NewSequence();
    wrapper->outer_wrapper = true;
    wrapper->items.push_back(input);
    context = Value::Of(std::move(wrapper));
  }
  Value result = Eval(root, context, root_frame_);
  if (result.is_sequence()) {
    // A sequence left at the end is returned as a plain array.
    const Array& seq = result.array();
    ArrayPtr plain = NewArray();
    plain->items = seq.items;
    result = Value::Of(std::move(plain));
  }
  return result;
}

Value Evaluator::Lookup(const std::string& name, const FramePtr& env) const {
  if (const Value* v = env->Lookup(name)) return *v;
  auto spec = bindings_.functions.find(name);
  if (spec != bindings_.functions.end()) {
    // Made on first use in this evaluation.
    FunctionPtr& fn = host_functions_[name];
    if (!fn) {
      auto host = std::make_shared<HostFn>();
      host->name = name;
      host->spec = &spec->second;
      if (!spec->second.signature.empty()) {
        host->signature = Signature::Parse(spec->second.signature, 0);
      }
      fn = std::move(host);
    }
    return Value::Of(fn);
  }
  if (std::find(bindings_.hidden.begin(), bindings_.hidden.end(), name) !=
      bindings_.hidden.end()) {
    return Value();
  }
  if (FunctionPtr builtin = FindBuiltin(name)) return Value::Of(builtin);
  return Value();
}

Value Evaluator::EvalVariable(const Node& n, const Value& input,
                              const FramePtr& env) {
  if (n.value.empty()) {
    if (input.is_array() && input.array().outer_wrapper &&
        !input.array().items.empty()) {
      return input.array().items[0];
    }
    return input;
  }
  return Lookup(n.value, env);
}

Value Evaluator::EvalBlock(const Node& n, const Value& input,
                           const FramePtr& env) {
  FramePtr frame = NewFrame(env);
  Value result;
  for (const NodePtr& item : n.items) result = Eval(*item, input, frame);
  return result;
}

Value Evaluator::Eval(const Node& n, const Value& input, const FramePtr& env) {
  DepthGuard guard(*this);
  Tick();
  Value result;
  switch (n.type) {
    case NodeType::kPath:
      result = PathEvaluator(*this).EvalPath(n, input, env);
      break;
    case NodeType::kBinary:
      result = EvalBinary(n, input, env);
      break;
    case NodeType::kUnary:
      result = EvalUnary(n, input, env);
      break;
    case NodeType::kName:
      result = LookupField(input, n.value);
      break;
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
      result = n.literal;
      break;
    case NodeType::kWildcard:
      result = Wildcard(input);
      break;
    case NodeType::kDescendant:
      result = Descendants(input);
      break;
    case NodeType::kParent: {
      const Value* v = env->Lookup(n.slot->label);
      if (v != nullptr) result = *v;
      break;
    }
    case NodeType::kCondition: {
      Value c = Eval(*n.condition, input, env);
      if (Truthy(c)) {
        result = Eval(*n.then, input, env);
      } else if (n.otherwise) {
        result = Eval(*n.otherwise, input, env);
      }
      break;
    }
    case NodeType::kBlock:
      result = EvalBlock(n, input, env);
      break;
    case NodeType::kBind:
      result = Eval(*n.rhs, input, env);
      env->Bind(n.lhs->value, result);
      break;
    case NodeType::kRegex: {
      auto fn = std::make_shared<RegexFn>();
      fn->regex = n.regex;
      result = Value::Of(FunctionPtr(std::move(fn)));
      break;
    }
    case NodeType::kFunction:
      result = EvalFunctionCall(n, input, env, nullptr);
      break;
    case NodeType::kPartial:
      result = EvalPartial(n, input, env);
      break;
    case NodeType::kVariable:
      result = EvalVariable(n, input, env);
      break;
    case NodeType::kLambda:
      result = EvalLambda(n, input, env);
      break;
    case NodeType::kApply:
      result = EvalApplyChain(n, input, env);
      break;
    case NodeType::kTransform:
      result = EvalTransform(n, input, env);
      break;
    case NodeType::kSort:
    case NodeType::kPlaceholder:
      break;
  }
  if (!n.predicates.empty()) {
    PathEvaluator path(*this);
    for (const NodePtr& p : n.predicates) {
      result = path.Filter(*p, result, env);
    }
  }
  if (n.type != NodeType::kPath && n.group) {
    result = PathEvaluator(*this).Group(n, result, env);
  }
  if (result.is_sequence() && !result.array().tuple_stream) {
    Array& seq = result.array();
    if (n.keep_array) seq.keep_singleton = true;
    if (seq.items.empty()) {
      result = Value();
    } else if (seq.items.size() == 1 && !seq.keep_singleton) {
      Value only = seq.items[0];
      result = std::move(only);
    }
  }
  return result;
}

}  // namespace unum::jsonata
