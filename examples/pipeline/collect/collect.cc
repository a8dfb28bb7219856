// Collect: the terminal fan-in of every Combine, in index order.
//
// Input/Output: [<Combine_0 output>, <Combine_1 output>, ...]
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Collect)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array()) {
    throw std::invalid_argument(
        "Collect: input must be the array of Combine outputs");
  }
  return input;
}
