// RowSum: the fan-in of one row's squares (instance RowSum-unumIndex-<i>).
// Its input is the array of Square outputs of row i, in column order.
//
// Input:  [int, ...]
// Output: int (their sum)
#include <cstdint>
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(RowSum)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array()) {
    throw std::invalid_argument("RowSum: input must be an array of integers");
  }
  int64_t sum = 0;
  for (const unum::Json& x : input) {
    if (!x.is_number_integer()) {
      throw std::invalid_argument("RowSum: every element must be an integer");
    }
    if (__builtin_add_overflow(sum, x.get<int64_t>(), &sum)) {
      throw std::invalid_argument("RowSum: sum overflows int64");
    }
  }
  return sum;
}
