#include "jsonata/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace unum::jsonata {

void ShortestDigits(double x, std::string* out, int* exponent) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(x),
                           std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
  std::size_t e = text.find('e');
  out->clear();
  for (char c : text.substr(0, e)) {
    if (c != '.') *out += c;
  }
  *exponent = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;
  while (out->size() > 1 && out->back() == '0') out->pop_back();
}

void DecimalDigits(double x, int digits, std::string* out, int* exponent) {
  // 40 significant digits show the exact binary value far enough to see a
  // tie at `digits` (JavaScript rounds ties up in magnitude; printf to
  // even).
  char buf[80];
  std::snprintf(buf, sizeof buf, "%.39e", std::fabs(x));
  std::string_view text(buf);
  std::size_t e = text.find('e');
  std::string all;
  for (char c : text.substr(0, e)) {
    if (c != '.') all += c;
  }
  int exp = std::atoi(std::string(text.substr(e + 1)).c_str()) + 1;
  std::string kept = all.substr(0, static_cast<std::size_t>(digits));
  bool round_up = all[static_cast<std::size_t>(digits)] >= '5';
  if (round_up) {
    int i = digits - 1;
    while (i >= 0 && kept[static_cast<std::size_t>(i)] == '9') {
      kept[static_cast<std::size_t>(i)] = '0';
      --i;
    }
    if (i < 0) {
      kept.insert(kept.begin(), '1');
      kept.pop_back();
      ++exp;
    } else {
      ++kept[static_cast<std::size_t>(i)];
    }
  }
  *out = kept;
  *exponent = exp;
}

double RoundToPrecision15(double x) {
  if (!std::isfinite(x) || x == 0) return x;
  std::string digits;
  int exp = 0;
  DecimalDigits(x, 15, &digits, &exp);
  std::string text =
      (x < 0 ? "-0." : "0.") + digits + "e" + std::to_string(exp);
  return std::strtod(text.c_str(), nullptr);
}

std::string JsNumberToString(double x) {
  if (std::isnan(x)) return "NaN";
  if (x == 0) return "0";
  if (std::isinf(x)) return x < 0 ? "-Infinity" : "Infinity";
  std::string digits;
  int n = 0;
  ShortestDigits(x, &digits, &n);
  int k = static_cast<int>(digits.size());
  std::string out = x < 0 ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace unum::jsonata
