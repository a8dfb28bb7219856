// Turns a function's IR and its (checkpointed) output into the list of
// invocations it must make next: chain, parallel fan-out, map, fan-in and
// conditional edges, with payload modifiers applied. Pure: no datastore or
// platform access, so a duplicate invocation that recomputes the plan from
// the same checkpoint gets the same plan.
#ifndef UNUM_RUNTIME_CONTINUATION_PLAN_H_
#define UNUM_RUNTIME_CONTINUATION_PLAN_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ir/expr.h"
#include "ir/fanout.h"
#include "ir/name_template.h"
#include "runtime/payload.h"
#include "unum/ir.h"
#include "unum/status.h"

namespace unum::runtime {

struct CompiledEdge {
  ir::Edge edge;
  std::optional<ir::Expr> condition;
  std::vector<ir::NameTemplate> values;  // fan-in only
  std::vector<ir::Modifier> modifiers;   // function-level, then edge-level
  int parallel_index = -1;               // position among Scalar edges
};

// One function's IR with every expression parsed.
struct CompiledFunction {
  ir::FunctionConfig config;
  std::vector<CompiledEdge> edges;
  int scalar_edges = 0;
  bool has_fan_in_edge = false;

  // Fan-in branches always checkpoint: the aggregator reads their output.
  bool checkpoints() const { return config.checkpoint || has_fan_in_edge; }
};

Result<CompiledFunction> CompileFunction(const ir::FunctionConfig& config);

struct PlannedStep {
  enum class Kind { kInvoke, kFanIn };
  Kind kind = Kind::kInvoke;
  std::string function;  // the callee
  // Complete except GC (added by the runtime) and, for kFanIn, the
  // aggregator's input names (payload.sources is empty: see FanInSources).
  Payload payload;
  // kFanIn only: the aggregator's instance, the ready set this branch
  // joins, how many members complete it, and the aggregator's inputs as
  // the fan-in Values bound to this branch's fan-out stack. An N-way
  // fan-in is planned by each of its N branches, so the N input names are
  // built only by the branch that invokes the aggregator.
  std::string aggregator_instance;
  std::string ready_set;
  int64_t ready_size = 0;
  std::vector<ir::BoundNameTemplate> sources;
};

// The aggregator's input instance names of a kFanIn step, in order (the
// Values templates' names concatenated): its payload's `sources`.
std::vector<std::string> FanInSources(const PlannedStep& step);

// Plans the continuations of one instance. `stack` is the instance's
// fan-out stack, `instance` its name. Errors (kInvalidArgument /
// kFailedPrecondition) are deterministic: a Map edge whose output is not an
// array, a condition that does not evaluate to a boolean, Values that do
// not include this instance...
Result<std::vector<PlannedStep>> PlanContinuations(const CompiledFunction& fn,
                                                   const nlohmann::json& output,
                                                   const ir::FanOutStack& stack,
                                                   const std::string& session,
                                                   const std::string& instance);

// Name of the ready set of a fan-in into `aggregator_instance`.
std::string FanInSetName(const std::string& aggregator_instance);
// Name of the GC set of `parent_instance`.
std::string GcSetName(const std::string& parent_instance);

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_CONTINUATION_PLAN_H_
