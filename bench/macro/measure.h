// Runs one benchmark case repeatedly on one datastore URL and one platform
// URL and summarises the runs as JSON (see bench/README.md for the
// fields). A URL that does not open (an option this build does not know,
// no server) makes the case "skipped" with the error; a run that fails or
// gives a wrong answer makes it "failed".
#ifndef UNUM_BENCH_MACRO_MEASURE_H_
#define UNUM_BENCH_MACRO_MEASURE_H_

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/macro/workloads.h"
#include "runtime/runtime.h"

namespace unum::bench {

struct MeasureOptions {
  std::string store_url = "memory://";
  std::string platform_url = "inproc://";
  runtime::GcPolicy gc = runtime::GcPolicy::kDelete;
  int reps = 5;
  int warmup = 1;  // untimed runs first
  // Record the session trace (one trace event per delivery, in the store)
  // and time every delivery, as `unum run` does by default; false: as
  // `unum run --no-trace`.
  bool trace = true;
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
};

nlohmann::json Measure(const Workload& workload, const MeasureOptions& options);

// The row of a skipped case (e.g. its workload could not be built).
nlohmann::json SkippedCase(const std::string& name,
                           const MeasureOptions& options,
                           const std::string& error);

// A markdown table of Measure results.
std::string MarkdownTable(const nlohmann::json& results);

}  // namespace unum::bench

#endif  // UNUM_BENCH_MACRO_MEASURE_H_
