// $keys, $lookup, $spread, $merge, $type, $clone, $error, $assert, $eval.
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/eval_path.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/registry.h"

namespace unum::jsonata {
namespace {

Value Keys(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  ArrayPtr keys = NewSequence();
  auto add_keys = [&](const Value& o) {
    if (!o.is_object()) return;
    for (const auto& [k, x] : o.object().entries()) {
      bool seen = false;
      for (const Value& have : keys->items) seen = seen || have.string() == k;
      if (!seen) keys->items.push_back(Value::String(k));
    }
  };
  if (v.is_array()) {
    for (const Value& item : v.array().items) add_keys(item);
  } else {
    add_keys(v);
  }
  if (keys->items.empty()) return Value();
  return Value::Of(std::move(keys));
}

Value LookupFn(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return LookupField(Arg(args, 0), Arg(args, 1).string());
}

Value SpreadValue(const Value& v) {
  if (v.is_array()) {
    ArrayPtr out = NewSequence();
    for (const Value& item : v.array().items) {
      Value spread = SpreadValue(item);
      if (spread.is_array()) {
        for (const Value& x : spread.array().items) out->items.push_back(x);
      } else if (!spread.undefined()) {
        out->items.push_back(spread);
      }
    }
    return Value::Of(std::move(out));
  }
  if (!v.is_object()) return v;
  ArrayPtr out = NewSequence();
  for (const auto& [k, x] : v.object().entries()) {
    ObjectPtr single = NewObject();
    single->Set(k, x);
    out->items.push_back(Value::Of(std::move(single)));
  }
  return Value::Of(std::move(out));
}

Value Spread(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return SpreadValue(Arg(args, 0));
}

Value Merge(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  ObjectPtr out = NewObject();
  for (const Value& o : v.array().items) {
    for (const auto& [k, x] : o.object().entries()) out->Set(k, x);
  }
  return Value::Of(std::move(out));
}

Value Type(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return Value::String(std::string(TypeName(v)));
}

// A copy the way JSON.parse(JSON.stringify(v)) makes it: functions and
// undefined members dropped (null in arrays).
Value JsonCopy(const Value& v, int depth) {
  CheckNesting(depth);
  if (v.is_number() && !std::isfinite(v.number())) {
    throw JsonataError("D1001", -1).With(Value::Null());
  }
  if (v.is_array()) {
    ArrayPtr out = NewArray();
    for (const Value& x : v.array().items) {
      out->items.push_back(x.undefined() || x.is_function()
                               ? Value::Null()
                               : JsonCopy(x, depth + 1));
    }
    return Value::Of(std::move(out));
  }
  if (v.is_object()) {
    ObjectPtr out = NewObject();
    for (const auto& [k, x] : v.object().entries()) {
      if (x.undefined() || x.is_function()) continue;
      out->Set(k, JsonCopy(x, depth + 1));
    }
    return Value::Of(std::move(out));
  }
  return v;
}

Value Clone(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return JsonCopy(v, 0);
}

Value ErrorFn(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& m = Arg(args, 0);
  JsonataError e("D3137", -1);
  if (m.is_string()) e.Message(m.string());
  throw e;
}

Value Assert(Evaluator&, const CallContext&, std::vector<Value>& args) {
  if (!Arg(args, 0).boolean()) {
    JsonataError e("D3141", -1);
    const Value& m = Arg(args, 1);
    if (m.is_string()) e.Message(m.string());
    throw e;
  }
  return Value();
}

Value Eval(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& text = Arg(args, 0);
  if (text.undefined()) return Value();
  Value context = call.input;
  const Value& focus = Arg(args, 1);
  if (!focus.undefined()) {
    context = focus;
    if (focus.is_array() && !focus.is_sequence()) {
      ArrayPtr wrapper = NewSequence();
      wrapper->outer_wrapper = true;
      wrapper->items.push_back(focus);
      context = Value::Of(std::move(wrapper));
    }
  }
  return ev.EvalText(text.string(), context, call.env);
}

}  // namespace

void AddObjectFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"keys", "<x-:a<s>>", Keys});
  out.push_back({"lookup", "<x-s:x>", LookupFn});
  out.push_back({"spread", "<x-:a<o>>", Spread});
  out.push_back({"merge", "<a<o>:o>", Merge});
  out.push_back({"type", "<x:s>", Type});
  out.push_back({"clone", "<(oa)-:o>", Clone});
  out.push_back({"error", "<s?:x>", ErrorFn});
  out.push_back({"assert", "<bs?:x>", Assert});
  out.push_back({"eval", "<sx?:x>", Eval});
}

}  // namespace unum::jsonata
