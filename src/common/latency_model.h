// LatencyModel: simulated cloud latency for the embedded platform and the
// memory store, so one laptop reproduces the shape of a run on AWS Lambda
// and DynamoDB (docs/benchmarks.md).
//
// Each operation waits a sample around its median: median * e^(spread * Z)
// with Z standard normal (a log-normal spread, as service latencies are).
// The "aws" preset uses published medians: an asynchronous Lambda invoke
// 44 ms from call to callee start, a strongly consistent DynamoDB read
// 7 ms, a conditional write 20 ms.
//
// URL options (on inproc:// and memory://, each using its own part):
//   latency=aws|none   preset (default none); the options below override
//                      it in any order
//   invoke_ms=44       median of an asynchronous invoke (inproc)
//   read_ms=7          median of a read (memory)
//   write_ms=20        median of a write (memory)
//   latency_spread=0.25  log-normal sigma, 0 = every sample is the median
//   max_in_flight=64   invokes one delivery sends at once (inproc); the
//                      k-th batch of a fan-out starts k invoke latencies in
//                      (as the Lambda platform sends them)
#ifndef UNUM_COMMON_LATENCY_MODEL_H_
#define UNUM_COMMON_LATENCY_MODEL_H_

#include <chrono>
#include <string_view>

#include "unum/status.h"

namespace unum {

struct LatencyModel {
  std::chrono::microseconds invoke{0};
  std::chrono::microseconds read{0};
  std::chrono::microseconds write{0};
  double spread = 0;
  int max_in_flight = 64;

  // The "aws" preset.
  static LatencyModel Aws();

  bool enabled() const {
    return invoke.count() > 0 || read.count() > 0 || write.count() > 0;
  }

  // One sample around `median` (thread-safe; a per-thread generator).
  std::chrono::microseconds Sample(std::chrono::microseconds median) const;
};

// Applies URL option `name`=`value` to `model` when it is one of the
// options above and returns true; false when `name` is not a latency
// option. Errors name the option and the accepted values.
Result<bool> ApplyLatencyOption(std::string_view name, std::string_view value,
                                LatencyModel* model);

}  // namespace unum

#endif  // UNUM_COMMON_LATENCY_MODEL_H_
