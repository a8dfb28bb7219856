// Stage: stage A of the pipeline, one instance per item
// (Stage-unumIndex-<i>). Its IR has three conditional fan-in edges to
// Combine so that Combine_i starts as soon as Stage_(i-1) and Stage_i are
// done, without waiting for the other stages (a partial fan-in).
//
// Input:  {"i": i, "item": x}
// Output: {"i": i, "v": x * 10}
#include <cstdint>
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Stage)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("i") ||
      !input["i"].is_number_integer()) {
    throw std::invalid_argument("Stage: input field \"i\" must be an integer");
  }
  if (!input.contains("item") || !input["item"].is_number_integer()) {
    throw std::invalid_argument(
        "Stage: input field \"item\" must be an integer");
  }
  int64_t v = 0;
  if (__builtin_mul_overflow(input["item"].get<int64_t>(), int64_t{10}, &v)) {
    throw std::invalid_argument("Stage: input field \"item\" is too large");
  }
  return {{"i", input["i"]}, {"v", v}};
}
