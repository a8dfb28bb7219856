// The runtime wrapper of a function compiled from a Step Functions state
// machine: turns the invocation's input into the state's input (a join's
// branch results, the path rules), calls the user function (Tasks only),
// handles Retry (asks for a delayed re-invocation), Catch and timeouts,
// and runs the in-place states that follow. Its output is the envelope the
// runtime checkpoints and the planner (planner.h) reads:
//
//   {"Then": <see interpreter.h>, "Exec": {...}}        (Exec at the start)
//   {"Retry": {"DelayMs": d, "Retries": [n per Retrier]}, "Exec": {...}}
//
// The invocation payload's "Step" object carries {"Entry": state entered,
// "Retries": [...], "Exec": {"Input", "StartTime", "Deadline"}}.
#ifndef UNUM_ASL_ENGINE_STEP_WRAPPER_H_
#define UNUM_ASL_ENGINE_STEP_WRAPPER_H_

#include <memory>

#include "asl/engine/interpreter.h"
#include "asl/engine/workflow.h"
#include "runtime/runtime.h"

namespace unum::asl {

// Wraps `user` (null for helper functions) as function `function` of `wf`.
runtime::UserFunction WrapStep(std::shared_ptr<const Workflow> wf,
                               const CompiledFunction& function,
                               runtime::UserFunction user);

// Reads the Exec object of a payload's Step (or of an envelope).
Execution ExecutionFrom(const nlohmann::json& exec, const std::string& session);
nlohmann::json ExecutionToJson(const Execution& exec, bool with_input);

}  // namespace unum::asl

#endif  // UNUM_ASL_ENGINE_STEP_WRAPPER_H_
