// $map, $filter, $single, $reduce, $sift, $each.
#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/registry.h"

namespace unum::jsonata {
namespace {

// Calls `args[1]` on each item of the array `args[0]` (with its index and
// the array, as the callback declares); `keep` decides what each result
// adds to the output sequence.
template <typename Keep>
Value EachItem(Evaluator& ev, const CallContext& call,
               const std::vector<Value>& args, Keep keep) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value();
  ArrayPtr out = NewSequence();
  const auto& items = a.array().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value r = ev.CallBack(Arg(args, 1), items[i],
                          Value::Number(static_cast<double>(i)), a, call.env);
    keep(out->items, items[i], std::move(r));
  }
  return Value::Of(std::move(out));
}

Value Map(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  return EachItem(ev, call, args,
                  [](std::vector<Value>& out, const Value&, Value r) {
                    if (!r.undefined()) out.push_back(std::move(r));
                  });
}

Value Filter(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  return EachItem(ev, call, args,
                  [](std::vector<Value>& out, const Value& item, Value r) {
                    if (Truthy(r)) out.push_back(item);
                  });
}

Value Single(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value();
  const Value& fn = Arg(args, 1);
  const auto& items = a.array().items;
  bool found = false;
  Value result;
  for (std::size_t i = 0; i < items.size(); ++i) {
    bool match = true;
    if (!fn.undefined()) {
      match = Truthy(ev.CallBack(
          fn, items[i], Value::Number(static_cast<double>(i)), a, call.env));
    }
    if (!match) continue;
    if (found) throw JsonataError("D3138", -1);
    found = true;
    result = items[i];
  }
  if (!found) throw JsonataError("D3139", -1);
  return result;
}

Value Reduce(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value();
  const Value& fn = Arg(args, 1);
  if (!fn.is_function()) throw JsonataError("D3050", -1);
  int arity = fn.function().Arity();
  if (arity < 2) throw JsonataError("D3050", -1);
  const auto& items = a.array().items;
  std::size_t i = 0;
  Value acc = Arg(args, 2);
  if (acc.undefined() && !items.empty()) {
    acc = items[0];
    i = 1;
  }
  for (; i < items.size(); ++i) {
    std::vector<Value> call_args{acc, items[i]};
    if (arity >= 3) call_args.push_back(Value::Number(static_cast<double>(i)));
    if (arity >= 4) call_args.push_back(a);
    acc = ev.Apply(fn, std::move(call_args), Value::Null(), call.env);
  }
  return acc;
}

Value Sift(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& o = Arg(args, 0);
  if (o.undefined()) return Value();
  ObjectPtr out = NewObject();
  for (const auto& [k, v] : o.object().entries()) {
    if (Truthy(ev.CallBack(args[1], v, Value::String(k), o, call.env))) {
      out->Set(k, v);
    }
  }
  if (out->empty()) return Value();
  return Value::Of(std::move(out));
}

Value Each(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& o = Arg(args, 0);
  if (o.undefined()) return Value();
  ArrayPtr out = NewSequence();
  for (const auto& [k, v] : o.object().entries()) {
    Value r = ev.CallBack(args[1], v, Value::String(k), o, call.env);
    if (!r.undefined()) out->items.push_back(std::move(r));
  }
  return Value::Of(std::move(out));
}

}  // namespace

void AddHigherOrderFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"map", "<af>", Map});
  out.push_back({"filter", "<af>", Filter});
  out.push_back({"single", "<af?>", Single});
  out.push_back({"reduce", "<afj?:j>", Reduce});
  out.push_back({"sift", "<o-f?:o>", Sift});
  out.push_back({"each", "<o-f:a>", Each});
}

}  // namespace unum::jsonata
