// The small functions of the state machine model: names, lookup,
// equality, Task resources and Lambda ARNs.
#include "asl/definition/state_machine.h"

#include <set>

namespace unum::asl {

std::string_view StateTypeName(StateType type) {
  switch (type) {
    case StateType::kTask:
      return "Task";
    case StateType::kPass:
      return "Pass";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "?";
}

const State* StateMachine::Find(std::string_view name) const {
  if (!index_.empty()) {
    const auto it = index_.find(std::string(name));
    if (it != index_.end() && it->second < states.size() &&
        states[it->second].name == name) {
      return &states[it->second];
    }
  }
  for (const State& state : states) {
    if (state.name == name) return &state;
  }
  return nullptr;
}

void StateMachine::IndexStates() {
  index_.clear();
  index_.reserve(states.size());
  for (size_t i = 0; i < states.size(); ++i) {
    index_.emplace(states[i].name, i);
  }
}

bool operator==(const StateMachine& a, const StateMachine& b) {
  return a.start_at == b.start_at && a.states == b.states &&
         a.comment == b.comment && a.timeout_seconds == b.timeout_seconds &&
         a.version == b.version;
}

namespace {

void CollectResources(const StateMachine& machine, std::set<std::string>& seen,
                      std::vector<std::string>& out) {
  for (const State& state : machine.states) {
    if (state.type == StateType::kTask && seen.insert(state.resource).second) {
      out.push_back(state.resource);
    }
    for (const StateMachine& branch : state.branches) {
      CollectResources(branch, seen, out);
    }
    if (state.item_processor) {
      CollectResources(*state.item_processor, seen, out);
    }
  }
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> TaskResources(const StateMachine& machine) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  CollectResources(machine, seen, out);
  return out;
}

Result<std::string> LambdaFunctionName(std::string_view arn) {
  std::vector<std::string_view> parts = Split(arn, ':');
  bool ok = (parts.size() == 7 || parts.size() == 8) && parts[0] == "arn" &&
            parts[1].substr(0, 3) == "aws" && parts[2] == "lambda" &&
            !parts[3].empty() && !parts[4].empty() && parts[5] == "function" &&
            !parts[6].empty() && (parts.size() == 7 || !parts[7].empty());
  if (!ok) {
    return Status::InvalidArgument(
        "\"" + std::string(arn) +
        "\" is not a Lambda function ARN "
        "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])");
  }
  return std::string(parts[6]);
}

}  // namespace unum::asl
