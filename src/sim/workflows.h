// The workflows the simulator runs: the pattern set (IR built in code:
// chain, parallel, map, fan-in, nested map, partial fan-in pipeline,
// conditional branches) and every example app under examples/ (IR loaded
// with app::LoadApp, user code from the app's built module), one workflow
// per event file.
//
// User code here is deterministic and untagged; the simulator wraps it so
// every execution is non-deterministic (see sim/tagging.h). Each workflow
// knows its input for a given seed and the (untagged) result that input
// must produce, so the checker also verifies the answer, not only the
// protocol.
#ifndef UNUM_SIM_WORKFLOWS_H_
#define UNUM_SIM_WORKFLOWS_H_

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "sim/rng.h"
#include "unum/ir.h"
#include "unum/status.h"

namespace unum::sim {

struct Workflow {
  std::string
      name;  // "chain", "example/wordcount", "example/iot-pipeline@cool"
  std::string shape;  // one line for reports
  std::vector<ir::FunctionConfig> functions;
  std::map<std::string, runtime::UserFunction> code;  // by function name
  std::string start;                                  // the Start function
  // The workflow input of a run (drawn from the run's input RNG).
  std::function<nlohmann::json(Rng&)> make_input;
  // The untagged result that input must produce (nullopt: unknown).
  std::function<std::optional<nlohmann::json>(const nlohmann::json&)> expected;
  std::shared_ptr<void> keep_alive;  // e.g. the loaded app module
  // A compiled Step Functions state machine: each function's planner, and
  // its code is the step wrapper (outputs are envelopes, not tagged).
  bool state_machine = false;
  std::map<std::string, std::shared_ptr<const runtime::ContinuationPlanner>>
      planners;
};

// The pattern set, built in code. Errors mean a bug in the IR below.
Result<std::vector<Workflow>> PatternWorkflows();

// One workflow per app directory under `examples_dir` that has an
// unum-template.yaml, and per event file in its events/ (and the same
// again from the app's unum-step-functions.json, named "...@sfn") (expected
// result: expected/<same file name>, or expected/output.json for event.json).
// Modules are read from `module_dir`/<ApplicationName>.so. Errors name the
// app and what is missing (e.g. a module that was not built).
Result<std::vector<Workflow>> ExampleWorkflows(const std::string& examples_dir,
                                               const std::string& module_dir);

}  // namespace unum::sim

#endif  // UNUM_SIM_WORKFLOWS_H_
