// HvacController: runs when the average temperature is above the
// threshold (the Conditional on Aggregator's edge). Issues a cooling
// command; no device is contacted in this example.
//
// Input:  Aggregator's output
// Output: {"action": "cool", "average": mean, "threshold": 25,
//          "excess": mean - 25, "hottest_sensor": "id"}
#include <stdexcept>

#include "unum/function.h"

namespace {

// Must match the Conditional "$out.average > 25" in aggregator's IR.
constexpr int kThresholdCelsius = 25;

}  // namespace

UNUM_FUNCTION(HvacController)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("average") ||
      !input["average"].is_number()) {
    throw std::invalid_argument(
        "HvacController: input field \"average\" must be a number");
  }
  if (!input.contains("hottest_sensor") ||
      !input["hottest_sensor"].is_string()) {
    throw std::invalid_argument(
        "HvacController: input field \"hottest_sensor\" must be a string");
  }
  const double average = input["average"].get<double>();
  return {{"action", "cool"},
          {"average", average},
          {"threshold", kThresholdCelsius},
          {"excess", average - kThresholdCelsius},
          {"hottest_sensor", input["hottest_sensor"]}};
}
