// Total: the terminal fan-in of all RowSums, in row order.
//
// Input:  [int, ...]
// Output: {"row_sums": [int, ...], "total": int}
#include <cstdint>
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Total)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array()) {
    throw std::invalid_argument("Total: input must be an array of integers");
  }
  int64_t total = 0;
  for (const unum::Json& x : input) {
    if (!x.is_number_integer()) {
      throw std::invalid_argument("Total: every element must be an integer");
    }
    if (__builtin_add_overflow(total, x.get<int64_t>(), &total)) {
      throw std::invalid_argument("Total: sum overflows int64");
    }
  }
  return {{"row_sums", input}, {"total", total}};
}
