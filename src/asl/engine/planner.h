// The continuations of a Step Functions function, from its checkpointed
// envelope (step_wrapper.h): invoke the next Task (after a Wait's delay),
// fan out a Parallel/Map (at most MaxConcurrency items at once; each item
// that ends starts the next), join branches into the function that
// aggregates them, end the session (SUCCEEDED, or FAILED with Error and
// Cause), or schedule a Retry.
//
// Fan-in: the aggregator reads, in order, each branch's end (the checkpoint
// of the one Task that can end the branch, or a slot the branch's end
// writes) and, last, the instance that fanned out (its envelope holds the
// Parallel's/Map's input). That instance is kept for the join: its GC
// child count is its invoked branches + 1.
#ifndef UNUM_ASL_ENGINE_PLANNER_H_
#define UNUM_ASL_ENGINE_PLANNER_H_

#include <memory>
#include <string>

#include "asl/engine/workflow.h"
#include "runtime/continuation_plan.h"

namespace unum::asl {

class StepPlanner : public runtime::ContinuationPlanner {
 public:
  StepPlanner(std::shared_ptr<const Workflow> wf, CompiledFunction function);

  Result<runtime::Plan> PlanFrom(const nlohmann::json& output,
                                 const runtime::Payload& payload,
                                 const std::string& instance) const override;
  Result<runtime::PlannedStep> DeferredStep(
      const nlohmann::json& origin_output, const std::string& origin,
      const runtime::Payload& branch_payload) const override;

 private:
  // The machine this function's states belong to.
  int HomeMachine() const;
  int64_t RoundFor(const std::string& target, int64_t round) const;
  runtime::PlannedStep InvokeStep(const nlohmann::json& task,
                                  const runtime::Payload& from,
                                  const ir::FanOutStack& stack,
                                  const nlohmann::json& exec,
                                  bool new_frame) const;
  // The fan-in step of the branch at `stack` (stack[0] is its level) of
  // Parallel/Map `state`.
  Result<runtime::PlannedStep> JoinStep(const std::string& state,
                                        const ir::FanOutStack& stack,
                                        const std::string& session,
                                        const nlohmann::json& exec) const;
  std::string EndKey(const std::string& state,
                     const ir::FanOutStack& stack) const;

  std::shared_ptr<const Workflow> wf_;
  CompiledFunction f_;
};

}  // namespace unum::asl

#endif  // UNUM_ASL_ENGINE_PLANNER_H_
