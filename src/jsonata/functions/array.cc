// $append, $reverse, $distinct, $zip, $sort, $shuffle.
#include <random>

#include "jsonata/error.h"
#include "jsonata/eval_path.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/registry.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

Value AppendFn(Evaluator& ev, const CallContext&, std::vector<Value>& args) {
  Value out = Append(Arg(args, 0), Arg(args, 1));
  if (out.is_array()) ev.CheckSize(0, out.array().items.size());
  return out;
}

Value Reverse(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined() || a.array().items.size() <= 1) return a;
  ArrayPtr out = NewArray();
  out->items.assign(a.array().items.rbegin(), a.array().items.rend());
  return Value::Of(std::move(out));
}

Value Distinct(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (!a.is_array() || a.array().items.size() <= 1) return a;
  ArrayPtr out = a.is_sequence() ? NewSequence() : NewArray();
  for (const Value& v : a.array().items) {
    bool seen = false;
    for (const Value& w : out->items) {
      if (DeepEqual(v, w)) {
        seen = true;
        break;
      }
    }
    if (!seen) out->items.push_back(v);
  }
  return Value::Of(std::move(out));
}

Value Zip(Evaluator&, const CallContext&, std::vector<Value>& args) {
  ArrayPtr out = NewArray();
  std::size_t length = SIZE_MAX;
  for (const Value& a : args) {
    length = std::min(length, a.is_array() ? a.array().items.size() : 0);
  }
  if (args.empty()) length = 0;
  for (std::size_t i = 0; i < length; ++i) {
    ArrayPtr tuple = NewArray();
    for (const Value& a : args) tuple->items.push_back(a.array().items[i]);
    out->items.push_back(Value::Of(std::move(tuple)));
  }
  return Value::Of(std::move(out));
}

Value Sort(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined() || a.array().items.size() <= 1) return a;
  std::vector<Value> items = a.array().items;
  const Value& fn = Arg(args, 1);
  if (!fn.undefined()) {
    MergeSort(items, [&](const Value& x, const Value& y) {
      return JsTruthy(ev.Apply(fn, {x, y}, Value::Null(), call.env));
    });
  } else if (IsArrayOfNumbers(a)) {
    MergeSort(items, [](const Value& x, const Value& y) {
      return x.number() > y.number();
    });
  } else if (IsArrayOfStrings(a)) {
    MergeSort(items, [](const Value& x, const Value& y) {
      return CompareUtf16(x.string(), y.string()) > 0;
    });
  } else {
    throw JsonataError("D3070", -1);
  }
  ArrayPtr out = NewArray();
  out->items = std::move(items);
  return Value::Of(std::move(out));
}

Value Shuffle(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined() || a.array().items.size() <= 1) return a;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  ArrayPtr out = NewArray();
  out->items = a.array().items;
  std::shuffle(out->items.begin(), out->items.end(), rng);
  return Value::Of(std::move(out));
}

}  // namespace

void AddArrayFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"append", "<xx:a>", AppendFn});
  out.push_back({"reverse", "<a:a>", Reverse});
  out.push_back({"distinct", "<x:x>", Distinct});
  out.push_back({"zip", "<a+>", Zip});
  out.push_back({"sort", "<af?:a>", Sort});
  out.push_back({"shuffle", "<a:a>", Shuffle});
}

}  // namespace unum::jsonata
