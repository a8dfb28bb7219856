// ValidateStateMachine: the graph checks of a state machine and of every
// nested one (transitions name states of the same machine, every state is
// reachable from StartAt, transitions fit the state type, state names are
// unique in the whole definition).
#include <deque>
#include <map>
#include <set>
#include <string>

#include "asl/definition/parse_util.h"

namespace unum::asl {
namespace {

bool IsTerminalType(StateType type) {
  return type == StateType::kChoice || type == StateType::kSucceed ||
         type == StateType::kFail;
}

Status CheckTarget(const StateMachine& machine, const Location& loc,
                   const std::string& field, const std::string& target) {
  if (machine.Find(target) == nullptr) {
    return loc.Error(field, "\"" + target + "\" names no state");
  }
  return Status::Ok();
}

// Every state a state can transition to.
std::vector<const std::string*> Targets(const State& state) {
  std::vector<const std::string*> out;
  if (state.next) out.push_back(&*state.next);
  for (const ChoiceEntry& rule : state.choices) out.push_back(&rule.next);
  if (state.default_next) out.push_back(&*state.default_next);
  for (const Catcher& c : state.catchers) out.push_back(&c.next);
  return out;
}

Status ValidateMachine(const StateMachine& machine, const Location& loc);

Status ValidateState(const StateMachine& machine, const State& state,
                     const Location& loc) {
  std::string type(StateTypeName(state.type));
  if (IsTerminalType(state.type)) {
    if (state.next)
      return loc.Error("Next", "not allowed in a " + type + " state");
    if (state.end)
      return loc.Error("End", "not allowed in a " + type + " state");
  } else if (state.next && state.end) {
    return loc.Error("End", "cannot be true when Next is set");
  } else if (!state.next && !state.end) {
    return loc.Error("Next",
                     "a " + type + " state needs Next or \"End\": true");
  }
  if (state.next)
    UNUM_RETURN_IF_ERROR(CheckTarget(machine, loc, "Next", *state.next));
  for (size_t i = 0; i < state.choices.size(); ++i) {
    UNUM_RETURN_IF_ERROR(CheckTarget(machine, loc,
                                     "Choices[" + std::to_string(i) + "].Next",
                                     state.choices[i].next));
  }
  if (state.default_next) {
    UNUM_RETURN_IF_ERROR(
        CheckTarget(machine, loc, "Default", *state.default_next));
  }
  for (size_t i = 0; i < state.catchers.size(); ++i) {
    UNUM_RETURN_IF_ERROR(CheckTarget(machine, loc,
                                     "Catch[" + std::to_string(i) + "].Next",
                                     state.catchers[i].next));
  }
  if (state.type == StateType::kChoice && state.choices.empty()) {
    return loc.Error("Choices", "must be a non-empty array of rules");
  }
  if (state.type == StateType::kParallel) {
    if (state.branches.empty()) {
      return loc.Error("Branches",
                       "must be a non-empty array of state machines");
    }
    for (size_t i = 0; i < state.branches.size(); ++i) {
      UNUM_RETURN_IF_ERROR(ValidateMachine(state.branches[i], loc.Branch(i)));
    }
  }
  if (state.type == StateType::kMap) {
    if (!state.item_processor) {
      return loc.Error("ItemProcessor", "is required (or Iterator)");
    }
    UNUM_RETURN_IF_ERROR(ValidateMachine(
        *state.item_processor,
        loc.Child(state.uses_iterator_field ? "Iterator" : "ItemProcessor")));
  }
  if (state.type == StateType::kTask && state.resource.empty()) {
    return loc.Error("Resource", "is required");
  }
  return Status::Ok();
}

Status ValidateMachine(const StateMachine& machine, const Location& loc) {
  if (machine.start_at.empty()) return loc.Error("StartAt", "is required");
  if (machine.states.empty()) {
    return loc.Error("States", "must be a non-empty JSON object");
  }
  std::set<std::string> names;
  for (const State& state : machine.states) {
    if (!names.insert(state.name).second) {
      return loc.Error("States", "duplicate state name \"" + state.name + "\"");
    }
  }
  UNUM_RETURN_IF_ERROR(CheckTarget(machine, loc, "StartAt", machine.start_at));
  for (const State& state : machine.states) {
    UNUM_RETURN_IF_ERROR(ValidateState(machine, state, loc.State(state.name)));
  }
  std::set<std::string> reached = {machine.start_at};
  std::deque<const State*> queue = {machine.Find(machine.start_at)};
  while (!queue.empty()) {
    const State* state = queue.front();
    queue.pop_front();
    for (const std::string* target : Targets(*state)) {
      if (reached.insert(*target).second) {
        queue.push_back(machine.Find(*target));
      }
    }
  }
  for (const State& state : machine.states) {
    if (!reached.count(state.name)) {
      return loc.State(state.name)
          .Error("",
                 "is not reachable from StartAt \"" + machine.start_at + "\"");
    }
  }
  return Status::Ok();
}

// The States Language requires state names to be unique in the whole
// state machine, nested machines included.
Status CheckUniqueNames(const StateMachine& machine, const Location& loc,
                        std::map<std::string, std::string>& seen) {
  for (const State& state : machine.states) {
    Location state_loc = loc.State(state.name);
    auto [it, inserted] = seen.emplace(state.name, state_loc.ToString());
    if (!inserted) {
      return state_loc.Error(
          "", "duplicate state name (also used by " + it->second + ")");
    }
    for (size_t i = 0; i < state.branches.size(); ++i) {
      UNUM_RETURN_IF_ERROR(
          CheckUniqueNames(state.branches[i], state_loc.Branch(i), seen));
    }
    if (state.item_processor) {
      UNUM_RETURN_IF_ERROR(CheckUniqueNames(
          *state.item_processor,
          state_loc.Child(state.uses_iterator_field ? "Iterator"
                                                    : "ItemProcessor"),
          seen));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateStateMachine(const StateMachine& machine) {
  UNUM_RETURN_IF_ERROR(ValidateMachine(machine, Location()));
  std::map<std::string, std::string> seen;
  return CheckUniqueNames(machine, Location(), seen);
}

}  // namespace unum::asl
