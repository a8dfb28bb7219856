// Numbers as JavaScript writes them: jsonata's results and $string follow
// Number.prototype.toString, and $string rounds to 15 significant digits
// first (toPrecision(15)).
#ifndef UNUM_JSONATA_NUMBER_TEXT_H_
#define UNUM_JSONATA_NUMBER_TEXT_H_

#include <string>

namespace unum::jsonata {

// JavaScript's Number.prototype.toString(): the shortest round-trip
// digits; exponent form below 1e-6 and from 1e21.
std::string JsNumberToString(double x);
// Number(x.toPrecision(15)).
double RoundToPrecision15(double x);
// The digits and decimal exponent of x rounded to `digits` significant
// digits (ties away from zero): x ~ 0.d1d2d3... * 10^exponent.
void DecimalDigits(double x, int digits, std::string* out, int* exponent);
// The shortest round-trip digits of |x| and its decimal exponent in the
// same form.
void ShortestDigits(double x, std::string* out, int* exponent);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_NUMBER_TEXT_H_
