// The workflows the macro benchmark runs, each ready for app::RunWorkflow:
// generated in code (chain, map with fan-in, parallel pipeline), every
// example app under examples/ (its module and its example input), and
// Step Functions state machines run with no-op (identity) tasks.
//
// A case is named by a spec string:
//   chain-N          N functions in a chain
//   map-N            Fan -Map-> N x Work -> fan-in Gather
//   pipeline-WxD     Source -Map-> W lanes of D stages -> fan-in Sink
//   example-NAME     examples/NAME with events/event.json
//   sfn-chain-N      a state machine of N Task states
//   sfn-map-N        Task -> Map of N items (one Task each) -> Task
//   sfn-example-NAME examples/NAME/unum-step-functions.json, no-op tasks
#ifndef UNUM_BENCH_MACRO_WORKLOADS_H_
#define UNUM_BENCH_MACRO_WORKLOADS_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/app.h"
#include "app/function_table.h"
#include "unum/status.h"

namespace unum::bench {

struct Workload {
  std::string name;
  app::App app;
  app::FunctionTable functions;
  nlohmann::json input;
  // Function instances one run executes, when known in advance.
  std::optional<int64_t> expected_instances;
  // The result a run must produce, when known in advance.
  std::optional<nlohmann::json> expected_result;
  std::shared_ptr<void> keep_alive;  // e.g. a temporary app directory
};

struct WorkloadDirs {
  std::string examples;  // the repository's examples/
  std::string modules;   // where <ApplicationName>.so modules are built
};

// Builds the case named by `spec`. kInvalidArgument for an unknown spec;
// kNotFound for a missing example or module.
Result<Workload> MakeWorkload(const std::string& spec,
                              const WorkloadDirs& dirs);

// A state machine case (sfn-*): its ASL definition and input, for the
// side-by-side peer (bench/sfn-local/run.mjs), and the result a run must
// give.
// Task states are no-ops: each returns what its resource's real function
// returned for the same input in one run of the example's IR workflow
// (`task_outputs`, recorded here: every branch its own), or its input when
// the resource has no recording (sfn-chain, sfn-map). A Task whose input
// was not recorded fails the run: the state machine and the IR workflow
// disagree.
struct StateMachineCase {
  nlohmann::json definition;
  nlohmann::json input;
  // By Resource: [{"input": x, "output": y}, ...].
  nlohmann::json task_outputs = nlohmann::json::object();
  // The result: the IR workflow's for an example; computed for the others.
  nlohmann::json expected;
};
Result<StateMachineCase> MakeStateMachine(const std::string& spec,
                                          const WorkloadDirs& dirs);

}  // namespace unum::bench

#endif  // UNUM_BENCH_MACRO_WORKLOADS_H_
