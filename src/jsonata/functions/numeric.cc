// $number, $floor, $ceil, $round, $abs, $sqrt, $power, $random,
// $formatBase.
#include <cmath>
#include <cstdlib>
#include <random>

#include "jsonata/error.h"
#include "jsonata/functions/numeric_util.h"
#include "jsonata/functions/registry.h"
#include "jsonata/number_text.h"

namespace unum::jsonata {
namespace {

bool MatchesJsonNumber(const std::string& s) {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) {
    return k < s.size() && s[k] >= '0' && s[k] <= '9';
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

// 0x.., 0o.., 0b.. as JavaScript's Number() reads them.
std::optional<double> PrefixedInteger(const std::string& s) {
  if (s.size() < 3 || s[0] != '0') return std::nullopt;
  int base = 0;
  switch (s[1]) {
    case 'x':
    case 'X':
      base = 16;
      break;
    case 'o':
    case 'O':
      base = 8;
      break;
    case 'b':
    case 'B':
      base = 2;
      break;
    default:
      return std::nullopt;
  }
  double n = 0;
  for (std::size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : 99;
    if (d >= base) return std::nullopt;
    n = n * base + d;
  }
  return n;
}

Value Number(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  if (v.is_number()) return v;
  if (v.is_bool()) return Value::Number(v.boolean() ? 1 : 0);
  if (v.is_string()) {
    const std::string& s = v.string();
    if (MatchesJsonNumber(s)) {
      double n = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(n)) return Value::Number(n);
    } else if (auto n = PrefixedInteger(s)) {
      return Value::Number(*n);
    }
  }
  throw JsonataError("D3030", -1).With(v);
}

template <double (*F)(double)>
Value Unary(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return Value::Number(F(v.number()) + 0.0);  // + 0.0: no negative zero
}

Value Round(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return Value::Number(RoundHalfEven(v.number(), Arg(args, 1).number()));
}

Value Sqrt(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  if (v.number() < 0) throw JsonataError("D3060", -1).With(v);
  return Value::Number(std::sqrt(v.number()));
}

Value Power(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& base = Arg(args, 0);
  if (base.undefined()) return Value();
  double r = std::pow(base.number(), Arg(args, 1).number());
  if (!std::isfinite(r)) throw JsonataError("D3061", -1).With(base);
  return Value::Number(r);
}

Value Random(Evaluator&, const CallContext&, std::vector<Value>&) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return Value::Number(std::uniform_real_distribution<double>(0, 1)(rng));
}

Value FormatBase(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  double value = RoundHalfEven(v.number(), 0);
  const Value& r = Arg(args, 1);
  double radix = r.undefined() ? 10 : r.number();
  if (radix < 2 || radix > 36) throw JsonataError("D3100", -1).With(r);
  return Value::String(IntegerToRadix(value, static_cast<int>(radix)));
}

}  // namespace

void AddNumericFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"number", "<(nsb)-:n>", Number});
  out.push_back({"floor", "<n-:n>", Unary<std::floor>});
  out.push_back({"ceil", "<n-:n>", Unary<std::ceil>});
  out.push_back({"abs", "<n-:n>", Unary<std::fabs>});
  out.push_back({"round", "<n-n?:n>", Round});
  out.push_back({"sqrt", "<n-:n>", Sqrt});
  out.push_back({"power", "<n-n:n>", Power});
  out.push_back({"random", "<:n>", Random});
  out.push_back({"formatBase", "<n-n?:s>", FormatBase});
}

}  // namespace unum::jsonata
