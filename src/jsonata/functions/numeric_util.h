// Number helpers shared by the numeric and formatting functions.
#ifndef UNUM_JSONATA_FUNCTIONS_NUMERIC_UTIL_H_
#define UNUM_JSONATA_FUNCTIONS_NUMERIC_UTIL_H_

#include <string>

namespace unum::jsonata {

// jsonata's $round: half to even at `precision` decimal places (negative:
// tens, hundreds...), shifting the decimal point in the number's text so
// that 1.255 rounds as written.
double RoundHalfEven(double x, double precision);
// An integral double in `radix` (2-36), as JavaScript's toString(radix)
// writes it.
std::string IntegerToRadix(double x, int radix);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_NUMERIC_UTIL_H_
