// What `unum compile` writes and prints for a compiled state machine: the
// IR of every function (one unum_config.json each, helpers included) and a
// summary with, for each path through the workflow, the invocations Unum
// needs and the state transitions Step Functions would bill.
#ifndef UNUM_ASL_ENGINE_COMPILE_REPORT_H_
#define UNUM_ASL_ENGINE_COMPILE_REPORT_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "asl/engine/workflow.h"

namespace unum::asl {

// A count that may grow with the number of items of Map states: a
// constant plus, per Map (or nested Maps, joined with "*"), a coefficient.
struct Count {
  std::map<std::string, int64_t> terms;  // "" = constant

  void Add(const Count& other, const std::string& per = "");
  // "3", "2 + 1 per item of \"Each\"".
  std::string ToString() const;
};

struct PathReport {
  std::vector<std::string> states;  // top-level states in order
  std::string ending;  // "succeeds", "fails (Error)", "loops back to X"
  Count unum_invocations;
  Count sfn_transitions;
};

// The paths from StartAt (a Choice splits them; a loop is followed once).
// Parallel branches and Map item processors are counted along their first
// path.
std::vector<PathReport> ReportPaths(const Workflow& wf);

// The IR document of `function` (edges list where it can hand control).
// `definition_ref` is how the IR names the definition file.
nlohmann::json FunctionIr(const Workflow& wf, const CompiledFunction& function,
                          const std::string& definition_ref);

// The possible next functions of `function`: {"Name", "Kind" (Task,
// Catch, Parallel, Map, Fan-in), "Via": [the in-place states on the way,
// e.g. a Pass and a Choice]}.
nlohmann::json FunctionTargets(const Workflow& wf,
                               const CompiledFunction& function);

// The human summary `unum compile` prints.
std::string CompileSummary(const Workflow& wf, const std::string& app_name);

}  // namespace unum::asl

#endif  // UNUM_ASL_ENGINE_COMPILE_REPORT_H_
