// Aggregator: the entry function of the IoT pipeline. Summarises one batch
// of temperature readings. Its IR has two conditional edges on the
// average: above 25 degrees HvacController runs, otherwise Report runs, so
// exactly one of them produces the workflow result.
//
// Input:  {"readings": [{"sensor": "id", "temperature": t}, ...]}  (non-empty)
// Output: {"count": n, "average": mean, "min": lowest, "max": highest,
//          "hottest_sensor": "id"}   (first sensor with the highest reading)
#include <stdexcept>
#include <string>

#include "unum/function.h"

UNUM_FUNCTION(Aggregator)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("readings") ||
      !input["readings"].is_array() || input["readings"].empty()) {
    throw std::invalid_argument(
        "Aggregator: input field \"readings\" must be a non-empty array");
  }
  double sum = 0;
  double min = 0;
  double max = 0;
  std::string hottest;
  const unum::Json& readings = input["readings"];
  for (size_t i = 0; i < readings.size(); ++i) {
    const unum::Json& r = readings[i];
    const std::string where = "Aggregator: readings[" + std::to_string(i) + "]";
    if (!r.is_object() || !r.contains("sensor") || !r["sensor"].is_string()) {
      throw std::invalid_argument(where + " field \"sensor\" must be a string");
    }
    if (!r.contains("temperature") || !r["temperature"].is_number()) {
      throw std::invalid_argument(where +
                                  " field \"temperature\" must be a number");
    }
    const double t = r["temperature"].get<double>();
    sum += t;
    if (i == 0 || t < min) min = t;
    if (i == 0 || t > max) {
      max = t;
      hottest = r["sensor"].get<std::string>();
    }
  }
  return {{"count", readings.size()},
          {"average", sum / static_cast<double>(readings.size())},
          {"min", min},
          {"max", max},
          {"hottest_sensor", hottest}};
}
