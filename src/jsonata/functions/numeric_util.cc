#include "jsonata/functions/numeric_util.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "jsonata/number_text.h"

namespace unum::jsonata {
namespace {

// x * 10^shift through the decimal text, as "<text>e<shift>" parses.
double ShiftDecimal(double x, int shift) {
  std::string text = JsNumberToString(x);
  std::size_t e = text.find('e');
  int exponent = shift;
  if (e != std::string::npos) {
    exponent += std::atoi(text.c_str() + e + 1);
    text.resize(e);
  }
  text += "e" + std::to_string(exponent);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

double RoundHalfEven(double x, double precision) {
  int p = static_cast<int>(precision);
  double value = p != 0 ? ShiftDecimal(x, p) : x;
  double result = std::floor(value + 0.5);  // Math.round
  double diff = result - value;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) {
    result -= 1;
  }
  if (p != 0) result = ShiftDecimal(result, -p);
  return result + 0.0;
}

std::string IntegerToRadix(double x, int radix) {
  // As V8 writes integers in a radix: digits below the double's precision
  // (while the quotient is 2^53 or more) are written as zeros.
  static const char* kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x < 0 ? "-Infinity" : "Infinity";
  bool negative = x < 0;
  double n = std::floor(std::fabs(x));
  std::string digits;
  while (n / radix >= 9007199254740992.0) {
    n /= radix;
    digits += '0';
  }
  do {
    double remainder = std::fmod(n, radix);
    digits += kDigits[static_cast<int>(remainder)];
    n = (n - remainder) / radix;
  } while (n > 0);
  std::reverse(digits.begin(), digits.end());
  return negative && digits != "0" ? "-" + digits : digits;
}

}  // namespace unum::jsonata
