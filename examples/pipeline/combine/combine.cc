// Combine: stage B of the pipeline (Combine-unumIndex-<i>). Its input is
// the array of the Stage outputs it waited for: [Stage_0] for i == 0,
// [Stage_(i-1), Stage_i] otherwise. It returns that array unchanged, so the
// workflow result shows which stage outputs each Combine saw.
//
// Input/Output: [{"i": ..., "v": ...}, ...]   (one or two entries)
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Combine)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array() || input.empty() || input.size() > 2) {
    throw std::invalid_argument(
        "Combine: input must be an array of one or two Stage outputs");
  }
  for (const unum::Json& stage : input) {
    if (!stage.is_object() || !stage.contains("i") || !stage.contains("v")) {
      throw std::invalid_argument(
          "Combine: every Stage output needs the fields \"i\" and \"v\"");
    }
  }
  return input;
}
