// Turns a function's IR and its (checkpointed) output into the list of
// invocations it must make next: chain, parallel fan-out, map, fan-in and
// conditional edges, with payload modifiers applied. Pure: no datastore or
// platform access, so a duplicate invocation that recomputes the plan from
// the same checkpoint gets the same plan.
#ifndef UNUM_RUNTIME_CONTINUATION_PLAN_H_
#define UNUM_RUNTIME_CONTINUATION_PLAN_H_

#include <chrono>
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
  // kInvoke: start no earlier than this from now (a Step Functions Wait).
  std::chrono::milliseconds delay{0};
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
  // kFanIn, Step Functions layer: the ready-set member (default: this
  // instance) and, when `slot` is set, a checkpoint written under that
  // name (put-if-absent, collected by the aggregator like a branch's) with
  // `slot_output` before the add. `next_item_origin`: after the add, start
  // the next waiting item of the Map that instance fanned out
  // (MaxConcurrency; see ContinuationPlanner::DeferredStep).
  std::string member;
  std::string slot;
  nlohmann::json slot_output;
  std::string next_item_origin;
};

// Everything an instance does after its user code, decided from its
// (checkpointed) output.
struct Plan {
  std::vector<PlannedStep> steps;
  // How many children collect this instance's checkpoint: default (-1)
  // steps.size(). More when a join reads it too, or items are deferred.
  int64_t gc_children = -1;
  // Set: nothing is checkpointed; the same instance is invoked again after
  // `retry->delay` with `retry->payload` (a Step Functions Retry).
  std::optional<PlannedStep> retry;
  // When `steps` is empty the instance is terminal: the session SUCCEEDS
  // with `result` (default: the output) unless `failed`, then it FAILS
  // with `error` and `cause`.
  std::optional<nlohmann::json> result;
  bool failed = false;
  std::string error;
  std::string cause;

  int64_t GcChildren() const {
    return gc_children >= 0 ? gc_children : static_cast<int64_t>(steps.size());
  }
};

// Plans a function's continuations in place of its IR edges (the Step
// Functions layer). Deterministic in the output, like PlanContinuations.
class ContinuationPlanner {
 public:
  virtual ~ContinuationPlanner() = default;
  // `payload` is the instance's own payload, `instance` its name.
  virtual Result<Plan> PlanFrom(const nlohmann::json& output,
                                const Payload& payload,
                                const std::string& instance) const = 0;
  // A Map item that ended (`branch_payload` is its payload) starts the next
  // waiting item of the Map that `origin` fanned out (`origin_output` is
  // its checkpointed output). A step without a function: none is waiting.
  virtual Result<PlannedStep> DeferredStep(
      const nlohmann::json& origin_output, const std::string& origin,
      const Payload& branch_payload) const = 0;
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
