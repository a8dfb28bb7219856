// $formatNumber: an XPath format-number picture (sub-pictures for positive
// and negative numbers, digits, optional digits, grouping and decimal
// separators, percent, per-mille, exponent), with the decimal format
// properties an options object may change. Rounding is half to even on the
// number as written (as $round does).
#include <cmath>
#include <cstdio>

#include "jsonata/error.h"
#include "jsonata/functions/format_integer.h"
#include "jsonata/functions/format_pictures.h"
#include "jsonata/functions/numeric_util.h"
#include "jsonata/functions/registry.h"
#include "jsonata/number_text.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

struct DecimalFormat {
  std::string decimal = ".", grouping = ",", exponent = "e";
  std::string infinity = "Infinity", minus = "-", nan = "NaN";
  std::string percent = "%", per_mille = "\u2030";
  std::uint32_t zero = '0';
  std::string digit = "#", pattern = ";";
};

DecimalFormat ReadOptions(const Value& options) {
  DecimalFormat f;
  if (!options.is_object()) return f;
  for (const auto& [k, v] : options.object().entries()) {
    const std::string& s = v.string();
    if (k == "decimal-separator") f.decimal = s;
    if (k == "grouping-separator") f.grouping = s;
    if (k == "exponent-separator") f.exponent = s;
    if (k == "infinity") f.infinity = s;
    if (k == "minus-sign") f.minus = s;
    if (k == "NaN") f.nan = s;
    if (k == "percent") f.percent = s;
    if (k == "per-mille") f.per_mille = s;
    if (k == "digit") f.digit = s;
    if (k == "pattern-separator") f.pattern = s;
    if (k == "zero-digit" && !s.empty()) f.zero = CodePoints(s)[0];
  }
  return f;
}

enum class Kind { kPassive, kDigit, kOptional, kDecimal, kGrouping, kExponent };

struct SubPicture {
  std::string prefix, suffix;
  bool percent = false, per_mille = false, exponent = false;
  int min_int = 0, min_frac = 0, max_frac = 0, min_exp = 0, scaling = 0;
  bool force_separator = false;
  std::vector<std::pair<int, std::string>> int_groups, frac_groups;
  int regular_every = 0;
};

std::size_t Count(const std::string& s, const std::string& part) {
  if (part.empty()) return 0;
  std::size_t n = 0;
  for (std::size_t at = s.find(part); at != std::string::npos;
       at = s.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

[[noreturn]] void Fail(const char* code) { throw JsonataError(code, -1); }

SubPicture Analyse(const std::string& text, const DecimalFormat& f) {
  SubPicture sub;
  std::vector<std::uint32_t> cps = CodePoints(text);
  auto is = [&](std::uint32_t cp, const std::string& prop) {
    std::vector<std::uint32_t> p = CodePoints(prop);
    return p.size() == 1 && p[0] == cp;
  };
  std::vector<Kind> kinds(cps.size(), Kind::kPassive);
  int exponent_at = -1;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint32_t cp = cps[i];
    if (cp >= f.zero && cp <= f.zero + 9) {
      kinds[i] = Kind::kDigit;
    } else if (is(cp, f.digit)) {
      kinds[i] = Kind::kOptional;
    } else if (is(cp, f.decimal)) {
      kinds[i] = Kind::kDecimal;
    } else if (is(cp, f.grouping)) {
      kinds[i] = Kind::kGrouping;
    } else if (is(cp, f.exponent) && exponent_at < 0 && i > 0 &&
               kinds[i - 1] != Kind::kPassive) {
      kinds[i] = Kind::kExponent;
      exponent_at = static_cast<int>(i);
    }
  }
  int first = -1, last = -1;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (kinds[i] == Kind::kPassive) continue;
    if (first < 0) first = static_cast<int>(i);
    last = static_cast<int>(i);
  }
  if (Count(text, f.decimal) > 1) Fail("D3081");
  std::size_t percents = Count(text, f.percent);
  std::size_t per_milles = Count(text, f.per_mille);
  if (percents > 1) Fail("D3082");
  if (per_milles > 1) Fail("D3083");
  if (percents > 0 && per_milles > 0) Fail("D3084");
  sub.percent = percents > 0;
  sub.per_mille = per_milles > 0;
  if (first < 0) Fail("D3085");
  int mantissa_end = exponent_at >= 0 ? exponent_at : last + 1;
  bool has_digit = false;
  for (int i = first; i < mantissa_end; ++i) {
    has_digit =
        has_digit || kinds[i] == Kind::kDigit || kinds[i] == Kind::kOptional;
  }
  if (!has_digit) Fail("D3085");
  if (sub.percent || sub.per_mille) {
    std::string middle = FromCodePoints(cps, first, last + 1);
    if (middle.find(f.exponent) != std::string::npos) Fail("D3092");
  }
  for (int i = first; i < mantissa_end; ++i) {
    if (kinds[i] == Kind::kPassive) Fail("D3086");
  }
  int decimal_at = -1;
  for (int i = first; i < mantissa_end; ++i) {
    if (kinds[i] == Kind::kDecimal) decimal_at = i;
  }
  int int_end = decimal_at >= 0 ? decimal_at : mantissa_end;
  for (int i = first; i < mantissa_end; ++i) {
    if (kinds[i] != Kind::kGrouping) continue;
    if ((i > first && kinds[i - 1] == Kind::kDecimal) ||
        (i + 1 < mantissa_end && kinds[i + 1] == Kind::kDecimal)) {
      Fail("D3087");
    }
  }
  if (int_end > first && kinds[int_end - 1] == Kind::kGrouping) Fail("D3088");
  for (int i = first; i + 1 < mantissa_end; ++i) {
    if (kinds[i] == Kind::kGrouping && kinds[i + 1] == Kind::kGrouping) {
      Fail("D3089");
    }
  }
  bool seen_digit = false;
  for (int i = first; i < int_end; ++i) {
    if (kinds[i] == Kind::kDigit) seen_digit = true;
    if (kinds[i] == Kind::kOptional && seen_digit) Fail("D3090");
  }
  bool seen_optional = false;
  for (int i = int_end + 1; i < mantissa_end; ++i) {
    if (kinds[i] == Kind::kOptional) seen_optional = true;
    if (kinds[i] == Kind::kDigit && seen_optional) Fail("D3091");
  }
  if (exponent_at >= 0) {
    sub.exponent = true;
    if (exponent_at + 1 > last) Fail("D3093");
    for (int i = exponent_at + 1; i <= last; ++i) {
      if (kinds[i] != Kind::kDigit) Fail("D3093");
      ++sub.min_exp;
    }
  }
  sub.prefix = FromCodePoints(cps, 0, static_cast<std::size_t>(first));
  sub.suffix =
      FromCodePoints(cps, static_cast<std::size_t>(last) + 1, cps.size());
  bool int_optional = false;
  int digits_right = 0;
  for (int i = int_end - 1; i >= first; --i) {
    if (kinds[i] == Kind::kDigit) ++sub.min_int;
    if (kinds[i] == Kind::kOptional) int_optional = true;
    if (kinds[i] == Kind::kDigit || kinds[i] == Kind::kOptional) {
      ++digits_right;
    } else if (kinds[i] == Kind::kGrouping) {
      sub.int_groups.insert(sub.int_groups.begin(), {digits_right, f.grouping});
    }
  }
  int digits_left = 0;
  for (int i = int_end + 1; i < mantissa_end; ++i) {
    if (kinds[i] == Kind::kDigit) ++sub.min_frac;
    if (kinds[i] == Kind::kDigit || kinds[i] == Kind::kOptional) {
      ++sub.max_frac;
      ++digits_left;
    } else if (kinds[i] == Kind::kGrouping) {
      sub.frac_groups.push_back({digits_left, f.grouping});
    }
  }
  if (!sub.int_groups.empty()) {
    int n = sub.int_groups.back().first;
    bool regular = n > 0;
    for (std::size_t k = 0; k < sub.int_groups.size() && regular; ++k) {
      regular = sub.int_groups[sub.int_groups.size() - 1 - k].first ==
                n * static_cast<int>(k + 1);
    }
    if (regular) sub.regular_every = n;
  }
  sub.scaling = sub.min_int;
  sub.force_separator = sub.exponent && sub.min_int == 0 && sub.max_frac == 0;
  if (sub.min_int == 0 && sub.max_frac == 0 && !sub.exponent) sub.min_int = 1;
  if (sub.exponent && sub.min_int == 0 && int_optional) sub.min_int = 1;
  return sub;
}

std::string ToFixed(double x, int digits) {
  if (std::fabs(x) >= 1e21) return JsNumberToString(x);
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Fractional digits with separators inserted at positions from the left.
std::string GroupFraction(
    const std::string& digits,
    const std::vector<std::pair<int, std::string>>& groups) {
  std::vector<std::uint32_t> cps = CodePoints(digits);
  std::string out;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    for (const auto& [pos, sep] : groups) {
      if (pos == static_cast<int>(i) && i > 0) out += sep;
    }
    AppendUtf8(out, cps[i]);
  }
  return out;
}

std::string Format(double value, const SubPicture& sub,
                   const DecimalFormat& f) {
  double v = std::fabs(value);
  if (sub.percent) v *= 100;
  if (sub.per_mille) v *= 1000;
  if (std::isinf(v)) return f.infinity;
  int exponent = 0;
  if (sub.exponent && v != 0) {
    double lower = sub.scaling > 0 ? std::pow(10, sub.scaling - 1) : 0.1;
    double upper = std::pow(10, sub.scaling);
    while (v < lower) {
      v *= 10;
      --exponent;
    }
    while (v >= upper) {
      v /= 10;
      ++exponent;
    }
  }
  double rounded = RoundHalfEven(v, sub.max_frac);
  std::string text = ToFixed(rounded, sub.max_frac);
  std::size_t dot = text.find('.');
  std::string int_digits = text.substr(0, dot);
  std::string frac_digits =
      dot == std::string::npos ? "" : text.substr(dot + 1);
  while (!int_digits.empty() && int_digits[0] == '0' &&
         static_cast<int>(int_digits.size()) > sub.min_int) {
    int_digits.erase(0, 1);
  }
  while (static_cast<int>(int_digits.size()) < sub.min_int) {
    int_digits.insert(int_digits.begin(), '0');
  }
  while (!frac_digits.empty() && frac_digits.back() == '0' &&
         static_cast<int>(frac_digits.size()) > sub.min_frac) {
    frac_digits.pop_back();
  }
  if (int_digits.empty() && frac_digits.empty()) frac_digits = "0";
  std::string out = GroupDigits(MapDigits(int_digits, f.zero), sub.int_groups,
                                sub.regular_every);
  if (!frac_digits.empty() || sub.force_separator) {
    out += f.decimal;
    out += GroupFraction(MapDigits(frac_digits, f.zero), sub.frac_groups);
  }
  if (sub.exponent) {
    std::string e = std::to_string(std::abs(exponent));
    while (static_cast<int>(e.size()) < sub.min_exp) e.insert(e.begin(), '0');
    out += f.exponent;
    if (exponent < 0) out += f.minus;
    out += MapDigits(e, f.zero);
  }
  return out;
}

Value FormatNumber(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  DecimalFormat f = ReadOptions(Arg(args, 2));
  const std::string& picture = Arg(args, 1).string();
  std::vector<std::string> parts;
  std::size_t start = 0, at;
  while (!f.pattern.empty() &&
         (at = picture.find(f.pattern, start)) != std::string::npos) {
    parts.push_back(picture.substr(start, at - start));
    start = at + f.pattern.size();
  }
  parts.push_back(picture.substr(start));
  if (parts.size() > 2) Fail("D3080");
  std::vector<SubPicture> subs;
  for (const std::string& p : parts) subs.push_back(Analyse(p, f));
  double value = v.number();
  if (std::isnan(value)) return Value::String(f.nan);
  const SubPicture& positive = subs[0];
  if (value < 0) {
    std::string body = Format(value, positive, f);
    if (subs.size() == 2) {
      return Value::String(subs[1].prefix + body + subs[1].suffix);
    }
    return Value::String(f.minus + positive.prefix + body + positive.suffix);
  }
  return Value::String(positive.prefix + Format(value, positive, f) +
                       positive.suffix);
}

}  // namespace

void AddFormatFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"formatNumber", "<n-so?:s>", FormatNumber});
  out.push_back({"formatInteger", "<n-s:s>", FormatIntegerFn});
  out.push_back({"parseInteger", "<s-s:n>", ParseIntegerFn});
}

}  // namespace unum::jsonata
