// Calls: function invocation with signature checks, lambdas and closures,
// tail calls (thunks trampolined in Apply), partial application, `~>`
// chains and composition, the transform operator, regex matchers, host
// functions, and $eval.
#include <memory>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/regex_match.h"
#include "jsonata/json_convert.h"
#include "jsonata/parser.h"

namespace unum::jsonata {
namespace {

// The name a call site uses for its function (`$name(...)` or `name(...)`).
std::string ProcedureName(const Node& procedure) {
  if (procedure.type == NodeType::kPath && !procedure.items.empty()) {
    return procedure.items[0]->value;
  }
  return procedure.value;
}

// Whether `name(...)` was probably meant as `$name(...)`.
bool MeantVariable(const Node& procedure, const FramePtr& env,
                   const Evaluator& ev, const Value& looked_up) {
  return procedure.type == NodeType::kPath && !procedure.items.empty() &&
         procedure.items[0]->type == NodeType::kName && !looked_up.undefined();
}

}  // namespace

Value Evaluator::EvalFunctionCall(const Node& n, const Value& input,
                                  const FramePtr& env,
                                  const Value* applied_to) {
  Value proc = Eval(*n.procedure, input, env);
  std::string name = ProcedureName(*n.procedure);
  if (proc.undefined() && n.procedure->type == NodeType::kPath &&
      MeantVariable(*n.procedure, env, *this, Lookup(name, env))) {
    throw JsonataError("T1005", n.position).Token(name);
  }
  std::vector<Value> args;
  args.reserve(n.items.size() + 1);
  if (applied_to != nullptr) args.push_back(*applied_to);
  for (const NodePtr& arg : n.items) args.push_back(Eval(*arg, input, env));
  return Apply(proc, std::move(args), input, env, n.position, name);
}

Value Evaluator::Apply(const Value& fn, std::vector<Value> args,
                       const Value& input, const FramePtr& env, int position,
                       const std::string& name) {
  DepthGuard guard(*this);
  try {
    Value result = ApplyInner(fn, std::move(args), input, env);
    // Tail calls come back as thunks: run them here, without nesting.
    while (result.is_function() &&
           result.function().kind() == Function::Kind::kLambda &&
           static_cast<const Lambda&>(result.function()).thunk) {
      Tick();
      auto thunk = result.function_ptr();
      const auto& lambda = static_cast<const Lambda&>(*thunk);
      const Node& call = *lambda.body;
      Value next = Eval(*call.procedure, lambda.input, lambda.env);
      std::vector<Value> next_args;
      next_args.reserve(call.items.size());
      for (const NodePtr& arg : call.items) {
        next_args.push_back(Eval(*arg, lambda.input, lambda.env));
      }
      result = ApplyInner(next, std::move(next_args), input, env);
    }
    return result;
  } catch (JsonataError& e) {
    if (!e.has_position()) e.set_position(position);
    if (!e.has_token() && !name.empty()) e.Token(name);
    throw;
  }
}

Value Evaluator::ApplyInner(const Value& fn, std::vector<Value> args,
                            const Value& input, const FramePtr& env) {
  if (!fn.is_function()) throw JsonataError("T1006", -1);
  FunctionPtr f = fn.function_ptr();
  if (f->signature) args = f->signature->Validate(args, input);
  switch (f->kind()) {
    case Function::Kind::kLambda:
      return ApplyLambda(static_cast<const Lambda&>(*f), std::move(args));
    case Function::Kind::kBuiltin: {
      CallContext call{input, env};
      return static_cast<const Builtin&>(*f).impl(*this, call, args);
    }
    case Function::Kind::kHost: {
      const auto& host = static_cast<const HostFn&>(*f);
      std::vector<std::optional<nlohmann::json>> json_args;
      json_args.reserve(args.size());
      for (const Value& a : args)
        json_args.push_back(ToJson<nlohmann::json>(a));
      auto result = host.spec->call(json_args);
      if (!result.ok()) {
        const Status& s = result.status();
        throw JsonataError(s.error_type().empty() ? "D3137" : s.error_type(),
                           -1)
            .Message(s.message());
      }
      return result->has_value() ? FromJson(**result) : Value();
    }
    case Function::Kind::kPartial: {
      const auto& partial = static_cast<const PartialNative&>(*f);
      std::vector<Value> full;
      std::size_t next = 0;
      for (const auto& a : partial.args) {
        if (a.has_value()) {
          full.push_back(*a);
        } else {
          full.push_back(next < args.size() ? args[next] : Value());
          ++next;
        }
      }
      return ApplyInner(Value::Of(partial.target), std::move(full), input, env);
    }
    case Function::Kind::kComposed: {
      const auto& composed = static_cast<const Composed&>(*f);
      Value first = Apply(composed.first, std::move(args), input, env);
      return Apply(composed.second, {first}, input, env);
    }
    case Function::Kind::kRegex: {
      const auto& re = static_cast<const RegexFn&>(*f);
      Value subject = args.empty() ? Value() : args[0];
      if (!subject.is_string()) return Value();
      return RegexMatchObject(
          re.regex, std::make_shared<std::string>(subject.string()), 0);
    }
    case Function::Kind::kMatchNext: {
      const auto& next = static_cast<const MatchNext&>(*f);
      if (next.from >= next.subject->size()) return Value();
      Value m = RegexMatchObject(next.regex, next.subject, next.from);
      const Value* text = m.is_object() ? m.object().Find("match") : nullptr;
      if (text != nullptr && text->string().empty()) {
        throw JsonataError("D1004", -1)
            .With(Value::String(next.regex->pattern()));
      }
      return m;
    }
    case Function::Kind::kTransform:
      return ApplyTransform(static_cast<const TransformFn&>(*f),
                            args.empty() ? Value() : args[0]);
  }
  throw JsonataError("T1006", -1);
}

Value Evaluator::ApplyLambda(const Lambda& lambda, std::vector<Value> args) {
  FramePtr frame = NewFrame(lambda.env);
  for (std::size_t i = 0; i < lambda.params.size(); ++i) {
    frame->Bind(lambda.params[i], i < args.size() ? args[i] : Value());
  }
  return Eval(*lambda.body, lambda.input, frame);
}

Value Evaluator::CallBack(const Value& fn, const Value& value,
                          const Value& index, const Value& array,
                          const FramePtr& env) {
  std::vector<Value> args{value};
  int arity = fn.is_function() ? fn.function().Arity() : 1;
  if (arity >= 2) args.push_back(index);
  if (arity >= 3) args.push_back(array);
  return Apply(fn, std::move(args), Value::Null(), env);
}

Value Evaluator::EvalLambda(const Node& n, const Value& input,
                            const FramePtr& env) {
  auto lambda = std::make_shared<Lambda>();
  for (const NodePtr& p : n.items) lambda->params.push_back(p->value);
  lambda->body = n.body.get();
  lambda->input = input;
  lambda->env = env;
  lambda->thunk = n.thunk;
  lambda->signature = n.signature;
  return Value::Of(FunctionPtr(std::move(lambda)));
}

Value Evaluator::EvalPartial(const Node& n, const Value& input,
                             const FramePtr& env) {
  Value proc = Eval(*n.procedure, input, env);
  std::string name = ProcedureName(*n.procedure);
  if (proc.undefined() && n.procedure->type == NodeType::kPath &&
      MeantVariable(*n.procedure, env, *this, Lookup(name, env))) {
    throw JsonataError("T1007", n.position).Token(name);
  }
  std::vector<std::optional<Value>> args;
  for (const NodePtr& arg : n.items) {
    if (arg->type == NodeType::kPlaceholder) {
      args.emplace_back(std::nullopt);
    } else {
      args.emplace_back(Eval(*arg, input, env));
    }
  }
  if (!proc.is_function()) {
    throw JsonataError("T1008", n.position).Token(name);
  }
  if (proc.function().kind() == Function::Kind::kLambda) {
    const auto& target = static_cast<const Lambda&>(proc.function());
    auto lambda = std::make_shared<Lambda>();
    lambda->env = NewFrame(target.env);
    for (std::size_t i = 0; i < target.params.size(); ++i) {
      if (i < args.size() && !args[i].has_value()) {
        lambda->params.push_back(target.params[i]);
      } else {
        lambda->env->Bind(target.params[i],
                          i < args.size() ? *args[i] : Value());
      }
    }
    lambda->body = target.body;
    lambda->input = target.input;
    return Value::Of(FunctionPtr(std::move(lambda)));
  }
  auto partial = std::make_shared<PartialNative>();
  partial->target = proc.function_ptr();
  partial->name = name;
  partial->args = std::move(args);
  return Value::Of(FunctionPtr(std::move(partial)));
}

Value Evaluator::EvalApplyChain(const Node& n, const Value& input,
                                const FramePtr& env) {
  Value lhs = Eval(*n.lhs, input, env);
  if (n.rhs->type == NodeType::kFunction) {
    return EvalFunctionCall(*n.rhs, input, env, &lhs);
  }
  Value func = Eval(*n.rhs, input, env);
  if (!func.is_function()) {
    throw JsonataError("T2006", n.position).With(func);
  }
  if (lhs.is_function()) {
    auto composed = std::make_shared<Composed>();
    composed->first = lhs;
    composed->second = func;
    return Value::Of(FunctionPtr(std::move(composed)));
  }
  return Apply(func, {lhs}, Value::Null(), env, n.position);
}

Value Evaluator::EvalTransform(const Node& n, const Value& input,
                               const FramePtr& env) {
  static const auto kSignature = Signature::Parse("<(oa):o>", 0);
  auto fn = std::make_shared<TransformFn>();
  fn->node = &n;
  fn->env = env;
  fn->signature = kSignature;
  return Value::Of(FunctionPtr(std::move(fn)));
}

Value Evaluator::ApplyTransform(const TransformFn& t, const Value& arg) {
  if (arg.undefined()) return Value();
  const Node& n = *t.node;
  Value clone_fn = Lookup("clone", t.env);
  if (!clone_fn.is_function()) {
    throw JsonataError("T2013", n.position);
  }
  Value result = Apply(clone_fn, {arg}, Value::Null(), t.env);
  Value matches = Eval(*n.pattern, result, t.env);
  if (matches.undefined()) return result;
  std::vector<Value> list;
  if (matches.is_array()) {
    list = matches.array().items;
  } else {
    list.push_back(matches);
  }
  for (const Value& match : list) {
    Value update = Eval(*n.update, match, t.env);
    if (!update.undefined()) {
      if (!update.is_object()) {
        throw JsonataError("T2011", n.update->position).With(update);
      }
      if (match.is_object()) {
        // A copy, so that a match cannot come to contain itself.
        for (const auto& [k, v] : update.object().entries()) {
          match.object().Set(k, DeepCopy(v));
        }
      } else if (!match.is_array() && !update.object().empty()) {
        throw JsonataError("T2014", n.update->position).With(match);
      }
    }
    if (n.deletion) {
      Value deletions = Eval(*n.deletion, match, t.env);
      if (deletions.undefined()) continue;
      Value names = deletions;
      if (!names.is_array()) names = SequenceOf(deletions);
      if (!IsArrayOfStrings(names)) {
        throw JsonataError("T2012", n.deletion->position).With(deletions);
      }
      if (match.is_object()) {
        for (const Value& name : names.array().items) {
          match.object().Erase(name.string());
        }
      }
    }
  }
  return result;
}

Value Evaluator::EvalText(const std::string& text, const Value& input,
                          const FramePtr& env) {
  std::shared_ptr<const Node> tree;
  try {
    tree = std::shared_ptr<const Node>(ParseExpression(text).release());
  } catch (const JsonataError& e) {
    throw JsonataError("D3120", -1)
        .Message("Syntax error in expression passed to function eval: " +
                 e.ToError(text).message);
  }
  eval_trees_.push_back(tree);
  Value context = input;
  try {
    return Eval(*tree, context, env);
  } catch (const JsonataError& e) {
    if (e.code().rfind("U1", 0) == 0) throw;  // limits are not caught
    throw JsonataError("D3121", -1)
        .Message(
            "Dynamic error evaluating the expression passed to function "
            "eval: " +
            e.ToError(text).message);
  }
}

std::string Evaluator::NameOf(const Value& fn) const {
  if (!fn.is_function()) return "";
  const Function& f = fn.function();
  if (f.kind() == Function::Kind::kBuiltin) {
    return static_cast<const Builtin&>(f).name;
  }
  if (f.kind() == Function::Kind::kHost) {
    return static_cast<const HostFn&>(f).name;
  }
  return "";
}

}  // namespace unum::jsonata
