// $sum, $count, $max, $min, $average.
#include <algorithm>

#include "jsonata/functions/registry.h"

namespace unum::jsonata {
namespace {

Value Sum(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value();
  double total = 0;
  for (const Value& v : a.array().items) total += v.number();
  return Value::Number(total);
}

Value Count(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value::Number(0);
  return Value::Number(static_cast<double>(a.array().items.size()));
}

template <bool kMax>
Value Extreme(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined() || a.array().items.empty()) return Value();
  double best = a.array().items[0].number();
  for (const Value& v : a.array().items) {
    best = kMax ? std::max(best, v.number()) : std::min(best, v.number());
  }
  return Value::Number(best);
}

Value Average(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined() || a.array().items.empty()) return Value();
  double total = 0;
  for (const Value& v : a.array().items) total += v.number();
  return Value::Number(total / static_cast<double>(a.array().items.size()));
}

}  // namespace

void AddAggregateFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"sum", "<a<n>:n>", Sum});
  out.push_back({"count", "<a:n>", Count});
  out.push_back({"max", "<a<n>:n>", Extreme<true>});
  out.push_back({"min", "<a<n>:n>", Extreme<false>});
  out.push_back({"average", "<a<n>:n>", Average});
}

}  // namespace unum::jsonata
