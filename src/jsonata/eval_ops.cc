// Operators: arithmetic, comparison, equality, boolean (short-circuit),
// string concatenation `&`, range `..`, membership `in`, unary minus and
// the array and object constructors.
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/eval_path.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/string_cast.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// Beyond this many items the range operator fails (D2014), as jsonata.
constexpr double kMaxRange = 1e7;

Value Arithmetic(const Node& n, const Value& lhs, const Value& rhs) {
  if (!lhs.undefined() && !lhs.is_numeric()) {
    throw JsonataError("T2001", n.position).Token(n.value).With(lhs);
  }
  if (!rhs.undefined() && !rhs.is_numeric()) {
    throw JsonataError("T2002", n.position).Token(n.value).With(rhs);
  }
  if (lhs.undefined() || rhs.undefined()) return Value();
  double a = lhs.number();
  double b = rhs.number();
  switch (n.value[0]) {
    case '+':
      return Value::Number(a + b);
    case '-':
      return Value::Number(a - b);
    case '*':
      return Value::Number(a * b);
    case '/':
      return Value::Number(a / b);
    default:
      return Value::Number(std::fmod(a, b));
  }
}

Value Compare(const Node& n, const Value& lhs, const Value& rhs) {
  auto comparable = [](const Value& v) {
    return v.undefined() || v.is_string() || v.is_number();
  };
  if (!comparable(lhs) || !comparable(rhs)) {
    throw JsonataError("T2010", n.position)
        .Token(n.value)
        .With(comparable(lhs) ? rhs : lhs);
  }
  if (lhs.undefined() || rhs.undefined()) return Value();
  if (lhs.type() != rhs.type()) {
    throw JsonataError("T2009", n.position).Token(n.value).With(lhs).With2(rhs);
  }
  int c;
  if (lhs.is_number()) {
    double a = lhs.number(), b = rhs.number();
    if (std::isnan(a) || std::isnan(b)) return Value::Bool(false);
    c = a < b ? -1 : (a > b ? 1 : 0);
  } else {
    c = CompareUtf16(lhs.string(), rhs.string());
  }
  const std::string& op = n.value;
  if (op == "<") return Value::Bool(c < 0);
  if (op == "<=") return Value::Bool(c <= 0);
  if (op == ">") return Value::Bool(c > 0);
  return Value::Bool(c >= 0);
}

// JavaScript's === for `in`: primitives by value, the rest by identity.
bool StrictEqual(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  if (a.is_array() || a.is_object() || a.is_function()) {
    return a.identity() == b.identity();
  }
  return DeepEqual(a, b);
}

}  // namespace

Value Evaluator::EvalBinary(const Node& n, const Value& input,
                            const FramePtr& env) {
  const std::string& op = n.value;
  Value lhs = Eval(*n.lhs, input, env);
  if (op == "and") {
    return Value::Bool(Truthy(lhs) && Truthy(Eval(*n.rhs, input, env)));
  }
  if (op == "or") {
    return Value::Bool(Truthy(lhs) || Truthy(Eval(*n.rhs, input, env)));
  }
  Value rhs = Eval(*n.rhs, input, env);
  switch (op[0]) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return Arithmetic(n, lhs, rhs);
    case '=':
      if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
      return Value::Bool(DeepEqual(lhs, rhs));
    case '!':
      if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
      return Value::Bool(!DeepEqual(lhs, rhs));
    case '<':
    case '>':
      return Compare(n, lhs, rhs);
    case '&': {
      try {
        std::string out = lhs.undefined() ? "" : CastToString(lhs, false);
        out += rhs.undefined() ? "" : CastToString(rhs, false);
        CheckSize(out.size(), 0);
        return Value::String(std::move(out));
      } catch (JsonataError& e) {
        if (!e.has_position()) e.set_position(n.position);
        if (!e.has_token()) e.Token(op);
        throw;
      }
    }
    default:
      break;
  }
  if (op == "..") {
    if (!lhs.undefined() &&
        (!lhs.is_number() || lhs.number() != std::floor(lhs.number()))) {
      throw JsonataError("T2003", n.position).Token(op).With(lhs);
    }
    if (!rhs.undefined() &&
        (!rhs.is_number() || rhs.number() != std::floor(rhs.number()))) {
      throw JsonataError("T2004", n.position).Token(op).With(rhs);
    }
    if (lhs.undefined() || rhs.undefined()) return Value();
    double from = lhs.number(), to = rhs.number();
    if (from > to) return Value();
    double size = to - from + 1;
    if (size > kMaxRange) {
      throw JsonataError("D2014", n.position)
          .Token(op)
          .With(Value::Number(size));
    }
    CheckSize(0, static_cast<std::size_t>(size));
    ArrayPtr range = NewArray();
    range->items.reserve(static_cast<std::size_t>(size));
    for (double x = from; x <= to; ++x) {
      range->items.push_back(Value::Number(x));
    }
    return Value::Of(std::move(range));
  }
  if (op == "in") {
    if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
    if (!rhs.is_array()) return Value::Bool(StrictEqual(lhs, rhs));
    for (const Value& item : rhs.array().items) {
      if (StrictEqual(lhs, item)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  throw JsonataError("S0204", n.position).Token(op);
}

Value Evaluator::EvalUnary(const Node& n, const Value& input,
                           const FramePtr& env) {
  if (n.value == "-") {
    Value v = Eval(*n.lhs, input, env);
    if (v.undefined()) return v;
    if (!v.is_number()) {
      throw JsonataError("D1002", n.position).Token("-").With(v);
    }
    if (!std::isfinite(v.number())) {
      throw JsonataError("D1001", -1).With(Value::Null());
    }
    return Value::Number(-v.number());
  }
  if (n.value == "[") return EvalArray(n, input, env);
  return PathEvaluator(*this).Group(n, input, env);
}

Value Evaluator::EvalArray(const Node& n, const Value& input,
                           const FramePtr& env) {
  ArrayPtr result = NewArray();
  for (const NodePtr& item : n.items) {
    Value v = Eval(*item, input, env);
    if (v.undefined()) continue;
    bool nested = item->type == NodeType::kUnary && item->value == "[";
    if (v.is_array() && !nested) {
      const auto& more = v.array().items;
      result->items.insert(result->items.end(), more.begin(), more.end());
    } else {
      result->items.push_back(std::move(v));
    }
    CheckSize(0, result->items.size());
  }
  result->cons = n.cons_array;
  return Value::Of(std::move(result));
}

}  // namespace unum::jsonata
