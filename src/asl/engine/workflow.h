// A Step Functions state machine compiled for Unum: which functions exist
// (one per Task state, plus helpers where no Task can carry the logic),
// which function joins each Parallel and Map, where each branch leaves its
// result for the join, and which Tasks run on a loop. Built once from the
// definition; the runtime wrapper (step_wrapper.h) and the planner
// (planner.h) read it. See docs/asl-compiler-design.md.
//
// Immutable after Compile (but for a statistics counter); safe to share
// between threads.
#ifndef UNUM_ASL_ENGINE_WORKFLOW_H_
#define UNUM_ASL_ENGINE_WORKFLOW_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asl/dataflow/choice_rule.h"
#include "asl/dataflow/path_rules.h"
#include "asl/definition/state_machine.h"
#include "unum/status.h"

namespace unum::asl {

// What a compiled function does when invoked.
enum class FunctionRole {
  kTask,         // runs Task state `state` (and joins `joins`, if any)
  kStart,        // helper: runs the machine from StartAt (workflow start)
  kBranchStart,  // helper: runs nested machine `machine` from its StartAt
  kJoin,         // helper: joins Parallel/Map `state`, runs what follows
};

struct CompiledFunction {
  std::string name;  // the IR Name
  FunctionRole role = FunctionRole::kTask;
  std::string state;    // kTask: the Task; kJoin: the Parallel/Map
  int machine = 0;      // kBranchStart: the nested machine
  std::string handler;  // kTask: the app function the Resource names
  std::string reason;   // helpers: why it exists (for `unum compile`)
  bool start = false;   // the workflow's Start function
  std::vector<std::string> joins;  // Parallel/Map states it aggregates
};

// One machine: the top level (index 0), a Parallel branch or a Map's item
// processor.
struct MachineInfo {
  const StateMachine* machine = nullptr;
  std::string parent;  // the Parallel/Map state ("" for the top level)
  int branch = -1;     // Parallel: the branch index; Map: -1
  // Where this machine's result waits for the join: the function whose
  // checkpoint is the result when it is the only Task that can end the
  // machine (and runs on no loop), else a slot name (a helper-free key).
  std::string end_function;
  bool end_is_slot = false;
};

// One state with its compiled data flow.
struct StateInfo {
  const State* state = nullptr;
  const nlohmann::json* raw = nullptr;  // the state's JSON object
  int machine = 0;
  StateIo io;
  std::vector<ChoiceRule> choices;  // Choice
  // Task: the loop (strongly connected set of Tasks) it is on, or -1.
  int loop = -1;
  // Whether running the state reads the context object (`$$`) in any field:
  // its I/O paths and templates, Choice rules, TimeoutSecondsPath,
  // SecondsPath, TimestampPath, ErrorPath, CausePath, MaxConcurrencyPath.
  // When false the engine does not build the context object.
  bool uses_context = true;
};

class Workflow {
 public:
  // Compiles `definition_text`. `functions` are the app's function names
  // (a Task's Resource must name one, directly or by Lambda ARN); empty
  // accepts any name. Errors are InvalidArgument naming the state/field.
  static Result<std::shared_ptr<const Workflow>> Compile(
      std::string_view definition_text,
      const std::vector<std::string>& functions = {});

  const StateMachine& machine() const { return machine_; }
  const nlohmann::json& definition() const { return definition_; }
  const std::vector<CompiledFunction>& functions() const { return functions_; }
  const std::vector<MachineInfo>& machines() const { return machines_; }

  const StateInfo* Find(std::string_view state) const;
  const CompiledFunction* FindFunction(std::string_view name) const;
  // The function that runs Task `state`.
  const std::string& TaskFunction(std::string_view state) const;
  // The function that joins Parallel/Map `state`.
  const std::string& JoinFunction(std::string_view state) const;
  // The helper that starts nested machine `machine` ("" when its start
  // needs none).
  const std::string& BranchStartFunction(int machine) const;
  const std::string& start_function() const { return start_function_; }
  // The nested machine of branch `branch` of Parallel `state` (or the item
  // processor of Map `state`, branch ignored).
  int BranchMachine(std::string_view state, int branch) const;
  // Whether the definition reads $$.Execution.Input (then it travels in
  // every payload).
  bool needs_execution_input() const { return needs_execution_input_; }

  // States entered by runs of this workflow in this process so far: each
  // Task attempt, each in-place state (Pass, Choice, Wait, Succeed, Fail)
  // and each Parallel/Map fan-out, as AWS Step Functions Standard bills
  // state transitions. A statistic (`unum run --stats-json`, `unum cost`),
  // not part of the workflow: a re-run of a delivery counts again.
  void CountTransition() const {
    transitions_.fetch_add(1, std::memory_order_relaxed);
  }
  int64_t transitions() const {
    return transitions_.load(std::memory_order_relaxed);
  }

 private:
  Status Index(const StateMachine& m, const nlohmann::json& raw, int parent,
               const std::string& parent_state, int branch);
  Status AssignFunctions(const std::vector<std::string>& app_functions);
  Status FindLoops();
  void AssignBranchEnds();
  std::string UniqueName(std::string_view wanted);

  StateMachine machine_;
  nlohmann::json definition_;
  std::vector<MachineInfo> machines_;
  std::map<std::string, StateInfo, std::less<>> states_;
  std::vector<CompiledFunction> functions_;
  std::map<std::string, size_t, std::less<>> function_index_;
  std::map<std::string, std::string, std::less<>> task_function_;
  std::map<std::string, std::string, std::less<>> join_function_;
  std::map<int, std::string> branch_start_;
  std::map<std::string, std::vector<int>, std::less<>> branch_machines_;
  std::string start_function_;
  bool needs_execution_input_ = false;
  mutable std::atomic<int64_t> transitions_{0};
};

// Whether a state of `type` runs inside the function before it (Pass,
// Choice, Wait, Succeed, Fail) rather than as a function or a fan-out.
bool RunsInPlace(StateType type);

// The name used for a state in IR names: letters, digits, '_' and '-'
// kept, everything else '_'.
std::string FunctionNameFor(std::string_view state);

}  // namespace unum::asl

#endif  // UNUM_ASL_ENGINE_WORKFLOW_H_
