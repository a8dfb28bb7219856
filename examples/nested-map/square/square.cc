// Square: one element of one row (instance Square-unumIndex-<j>.<i>).
//
// Input:  int x
// Output: x * x
#include <cstdint>
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Square)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_number_integer()) {
    throw std::invalid_argument("Square: input must be an integer");
  }
  const int64_t x = input.get<int64_t>();
  int64_t square = 0;
  if (__builtin_mul_overflow(x, x, &square)) {
    throw std::invalid_argument("Square: input is too large to square");
  }
  return square;
}
