// Report: runs when the average temperature is at or below the threshold
// (the Conditional on Aggregator's other edge). Reports that no action is
// needed.
//
// Input:  Aggregator's output
// Output: {"action": "none", "average": mean, "threshold": 25,
//          "count": n, "min": lowest, "max": highest}
#include <stdexcept>
#include <string>

#include "unum/function.h"

namespace {

// Must match the Conditional "$out.average <= 25" in aggregator's IR.
constexpr int kThresholdCelsius = 25;

}  // namespace

UNUM_FUNCTION(Report)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object()) {
    throw std::invalid_argument("Report: input must be Aggregator's output");
  }
  for (const char* field : {"average", "count", "min", "max"}) {
    if (!input.contains(field) || !input[field].is_number()) {
      throw std::invalid_argument(std::string("Report: input field \"") +
                                  field + "\" must be a number");
    }
  }
  return {{"action", "none"},
          {"average", input["average"]},
          {"threshold", kThresholdCelsius},
          {"count", input["count"]},
          {"min", input["min"]},
          {"max", input["max"]}};
}
