// Routes: how control leaves a function of a compiled state machine.
//
// Unum runs one function per Task state; every other state is evaluated by
// the runtime of the function before it (docs/asl-compiler-design.md). A
// route is the chain of such states that control passes through from one
// transition (a Task's Next, a Catcher's Next, or StartAt) until it
// reaches something that is not evaluated in place: a Task, a Parallel or
// Map (a fan-out), or the end of the machine (Succeed, End: true, Fail, or
// a Choice with no matching rule and no Default).
//
// A Choice splits a route: one route per rule (taken when that rule is the
// first to match), one for Default, and, without a Default, one that ends
// in States.NoChoiceMatched. Routes are therefore finite and enumerable at
// compile time, unless non-Task states form a cycle (a Choice that loops
// back through Pass or Wait states without running a Task), which is an
// error naming the states.
#ifndef UNUM_ASL_COMPILER_ROUTES_H_
#define UNUM_ASL_COMPILER_ROUTES_H_

#include <string>
#include <string_view>
#include <vector>

#include "asl/definition/state_machine.h"
#include "unum/status.h"

namespace unum::asl {

// One state a route passes through in place.
struct RouteStep {
  // Choice: the index of the rule taken; kDefaultRule for Default;
  // kNoMatch when no rule matched and there is no Default.
  static constexpr int kNotChoice = -3;
  static constexpr int kDefaultRule = -1;
  static constexpr int kNoMatch = -2;

  std::string state;
  StateType type = StateType::kPass;
  int choice = kNotChoice;

  friend bool operator==(const RouteStep&, const RouteStep&) = default;
};

enum class RouteEnd {
  kTask,      // invokes the Task state `target`
  kParallel,  // fans out into the branches of `target`
  kMap,       // fans out over the items of `target`
  kSucceed,   // ends the machine with the routed value (Succeed or End)
  kFail,      // ends the machine with an error (a Fail state `target`, or
              // States.NoChoiceMatched when the last step is kNoMatch)
};

struct Route {
  std::vector<RouteStep> steps;
  RouteEnd end = RouteEnd::kSucceed;
  std::string target;  // the state the route ends at ("" for End: true
                       // and for a Choice without a match)

  friend bool operator==(const Route&, const Route&) = default;
};

// The routes that start by entering the state `entry` of `machine` (for
// the machine's start, pass machine.start_at). Errors (InvalidArgument):
// `entry` names no state, or a cycle of non-Task states ("states A -> B ->
// A form a loop that runs no Task").
Result<std::vector<Route>> RoutesFrom(const StateMachine& machine,
                                      std::string_view entry);

// The routes taken after `state` finishes (its Next, or its end when it
// has End: true). For a Task, Parallel or Map state.
Result<std::vector<Route>> RoutesAfter(const StateMachine& machine,
                                       const State& state);

}  // namespace unum::asl

#endif  // UNUM_ASL_COMPILER_ROUTES_H_
