// Row: one row of the matrix (instance Row-unumIndex-<i>). Passes the row's
// numbers on; its IR maps them onto Square instances, which nests a second
// fan-out inside the first (instance Square-unumIndex-<j>.<i>).
//
// Input:  [int, ...]   (non-empty)
// Output: [int, ...]   (the same numbers)
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Row)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array() || input.empty()) {
    throw std::invalid_argument("Row: input must be a non-empty array");
  }
  for (const unum::Json& x : input) {
    if (!x.is_number_integer()) {
      throw std::invalid_argument("Row: every element must be an integer");
    }
  }
  return input;
}
