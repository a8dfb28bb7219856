// One seeded simulation run: a workflow on the real Runtime, over a
// MemoryDatastore (virtual clock) wrapped by RecordingDatastore and
// FaultDatastore, on the SimPlatform; then the invariant check.
//
// The seed fixes everything: the fault profile of the run (how likely each
// fault kind is), the workflow input (patterns draw their shape from it),
// the schedule, every fault decision and every user-code nonce. Replaying
// a seed with the same workflow and config reproduces the run exactly
// (same trace hash).
#ifndef UNUM_SIM_SIMULATION_H_
#define UNUM_SIM_SIMULATION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "sim/workflows.h"

namespace unum::sim {

struct SimConfig {
  // Force Checkpoint:false on every function (fan-in branches still
  // checkpoint: the runtime requires it). Shows the forks the checker finds.
  bool checkpoint_off = false;
  // Override the runtime's tombstone TTL (default: RuntimeOptions's 7 h,
  // above the platform's 6 h maximum event age).
  std::optional<std::chrono::seconds> tombstone_ttl;
  // The runtime's garbage collection policy (unum-sim --gc).
  runtime::GcPolicy gc = runtime::GcPolicy::kDelete;
  bool record_trace = false;
  // The platform carries the runtime's decoded payloads (inproc://'s path)
  // instead of JSON.
  bool decoded_payloads = false;
  // Tests only: a bug planted on the decoded path (SimOptions).
  std::function<std::shared_ptr<const runtime::Payload>(
      std::shared_ptr<const runtime::Payload>)>
      mutate_decoded;
};

// "json" or "decoded".
const char* PayloadModeName(bool decoded_payloads);

struct RunResult {
  uint64_t seed = 0;
  std::string workflow;
  bool decoded_payloads = false;
  std::vector<std::string> violations;
  std::map<std::string, int64_t> faults;  // injected, by kind
  std::map<std::string, int64_t> work;    // deliveries, user runs, ...
  uint64_t trace_hash = 0;
  std::vector<std::string> trace;  // with record_trace
  std::string profile;             // the run's fault probabilities
};

RunResult RunSimulation(const Workflow& workflow, uint64_t seed,
                        const SimConfig& config);

}  // namespace unum::sim

#endif  // UNUM_SIM_SIMULATION_H_
