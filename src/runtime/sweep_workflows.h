// The workflows the runtime's fault sweeps run (fault_sweep_test.cc,
// concurrent_faults_test.cc): one per shape the examples use, each with
// its exact expected result, and the check of a finished session.
#ifndef UNUM_RUNTIME_SWEEP_WORKFLOWS_H_
#define UNUM_RUNTIME_SWEEP_WORKFLOWS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "runtime/session_record.h"
#include "unum/ir.h"

namespace unum::runtime::testing {

struct SweepFunction {
  ir::FunctionConfig config;
  UserFunction fn;
};
struct SweepWorkflow {
  std::string name;
  std::vector<SweepFunction> functions;
  std::string start;
  nlohmann::json input;
  nlohmann::json expected;  // null: checked by shape (nondeterministic)
  bool fan_in = false;      // has a fan-in
};

std::vector<SweepWorkflow> SweepWorkflows();
void PrintTo(const SweepWorkflow& wf, std::ostream* os);

// Checks one finished session of `wf` with GoogleTest assertions: exactly
// one SUCCEEDED result, the expected one, and nothing live left in the
// store (`live_keys`: every key but the session record and tombstones).
void CheckSession(const SweepWorkflow& wf,
                  const std::optional<SessionOutcome>& outcome,
                  const std::vector<std::string>& live_keys);

// The keys of `session` in `store` other than the record and tombstones.
std::vector<std::string> LiveKeys(Datastore& store, const std::string& session);
// The session record of `session`, decoded; nullopt when absent.
std::optional<SessionOutcome> ReadOutcome(Datastore& store,
                                          const std::string& session);

}  // namespace unum::runtime::testing

#endif  // UNUM_RUNTIME_SWEEP_WORKFLOWS_H_
