// Reducer: sums the per-mapper counts of every word in its partition.
//
// Input:  {"partition": r, "words": {"word": [n, ...], ...}}
// Output: {"partition": r, "counts": {"word": total, ...}}
#include <cstdint>
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Reducer)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("words") ||
      !input["words"].is_object()) {
    throw std::invalid_argument(
        "Reducer: input field \"words\" must be an object");
  }
  if (!input.contains("partition") || !input["partition"].is_number_integer()) {
    throw std::invalid_argument(
        "Reducer: input field \"partition\" must be an integer");
  }
  unum::Json counts = unum::Json::object();
  for (const auto& [word, values] : input["words"].items()) {
    if (!values.is_array()) {
      throw std::invalid_argument("Reducer: \"words\" entry \"" + word +
                                  "\" must be an array of counts");
    }
    int64_t sum = 0;
    for (const unum::Json& v : values) {
      if (!v.is_number_integer()) {
        throw std::invalid_argument("Reducer: counts of \"" + word +
                                    "\" must be integers");
      }
      sum += v.get<int64_t>();
    }
    counts[word] = sum;
  }
  return {{"partition", input["partition"]}, {"counts", counts}};
}
