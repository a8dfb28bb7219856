#include "asl/compiler/routes.h"

#include <algorithm>
#include <utility>

namespace unum::asl {
namespace {

class RouteWalker {
 public:
  explicit RouteWalker(const StateMachine& machine) : machine_(machine) {}

  // Extends `route` by entering `name`; appends finished routes to `out`.
  Status Enter(std::string_view name, Route route, std::vector<Route>* out) {
    const State* state = machine_.Find(name);
    if (state == nullptr) {
      return Status::InvalidArgument("\"" + std::string(name) +
                                     "\" names no state");
    }
    switch (state->type) {
      case StateType::kTask:
        return Finish(std::move(route), RouteEnd::kTask, state->name, out);
      case StateType::kParallel:
        return Finish(std::move(route), RouteEnd::kParallel, state->name, out);
      case StateType::kMap:
        return Finish(std::move(route), RouteEnd::kMap, state->name, out);
      case StateType::kSucceed:
        route.steps.push_back({state->name, state->type});
        return Finish(std::move(route), RouteEnd::kSucceed, state->name, out);
      case StateType::kFail:
        route.steps.push_back({state->name, state->type});
        return Finish(std::move(route), RouteEnd::kFail, state->name, out);
      case StateType::kPass:
      case StateType::kWait:
        UNUM_RETURN_IF_ERROR(CheckNoLoop(route, *state));
        route.steps.push_back({state->name, state->type});
        return Continue(*state, std::move(route), out);
      case StateType::kChoice:
        UNUM_RETURN_IF_ERROR(CheckNoLoop(route, *state));
        return EnterChoice(*state, std::move(route), out);
    }
    return Status::Internal("unknown state type");
  }

  // Follows `state`'s Next, or ends the route at its End.
  Status Continue(const State& state, Route route, std::vector<Route>* out) {
    if (state.end || !state.next) {
      return Finish(std::move(route), RouteEnd::kSucceed, "", out);
    }
    return Enter(*state.next, std::move(route), out);
  }

 private:
  Status EnterChoice(const State& choice, Route route,
                     std::vector<Route>* out) {
    for (size_t i = 0; i < choice.choices.size(); ++i) {
      Route taken = route;
      taken.steps.push_back({choice.name, choice.type, static_cast<int>(i)});
      UNUM_RETURN_IF_ERROR(
          Enter(choice.choices[i].next, std::move(taken), out));
    }
    Route fallback = std::move(route);
    if (choice.default_next) {
      fallback.steps.push_back(
          {choice.name, choice.type, RouteStep::kDefaultRule});
      return Enter(*choice.default_next, std::move(fallback), out);
    }
    fallback.steps.push_back({choice.name, choice.type, RouteStep::kNoMatch});
    return Finish(std::move(fallback), RouteEnd::kFail, "", out);
  }

  static Status CheckNoLoop(const Route& route, const State& state) {
    const auto seen =
        std::find_if(route.steps.begin(), route.steps.end(),
                     [&](const RouteStep& s) { return s.state == state.name; });
    if (seen == route.steps.end()) return Status::Ok();
    std::string cycle;
    for (auto it = seen; it != route.steps.end(); ++it) {
      cycle += "\"" + it->state + "\" -> ";
    }
    return Status::InvalidArgument(
        "states " + cycle + "\"" + state.name +
        "\" form a loop that runs no Task (Unum evaluates Choice, Pass and "
        "Wait states inside the function before them, so such a loop would "
        "never end there); put a Task in the loop");
  }

  static Status Finish(Route route, RouteEnd end, std::string target,
                       std::vector<Route>* out) {
    route.end = end;
    route.target = std::move(target);
    out->push_back(std::move(route));
    return Status::Ok();
  }

  const StateMachine& machine_;
};

}  // namespace

Result<std::vector<Route>> RoutesFrom(const StateMachine& machine,
                                      std::string_view entry) {
  std::vector<Route> routes;
  UNUM_RETURN_IF_ERROR(RouteWalker(machine).Enter(entry, Route{}, &routes));
  return routes;
}

Result<std::vector<Route>> RoutesAfter(const StateMachine& machine,
                                       const State& state) {
  std::vector<Route> routes;
  UNUM_RETURN_IF_ERROR(RouteWalker(machine).Continue(state, Route{}, &routes));
  return routes;
}

}  // namespace unum::asl
