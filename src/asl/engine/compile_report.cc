#include "asl/engine/compile_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace unum::asl {

using nlohmann::json;

namespace {

const char* RoleName(FunctionRole role) {
  switch (role) {
    case FunctionRole::kTask:
      return "Task";
    case FunctionRole::kStart:
      return "Start";
    case FunctionRole::kBranchStart:
      return "BranchStart";
    case FunctionRole::kJoin:
      return "Join";
  }
  return "Task";
}

// Where control can go from entering `state` in machine `machine`, through
// in-place states, to the next function(s).
void CollectTargets(const Workflow& wf, int machine, const std::string& state,
                    std::vector<std::string> via, std::set<std::string>& seen,
                    json& out) {
  if (!seen.insert(state).second) return;
  const StateInfo* info = wf.Find(state);
  if (info == nullptr) return;
  const State& s = *info->state;
  auto add = [&](const std::string& name, const char* kind) {
    for (const json& t : out) {
      if (t["Name"] == name && t["Kind"] == kind) return;
    }
    out.push_back({{"Name", name}, {"Kind", kind}, {"Via", via}});
  };
  auto at_end = [&] {
    const MachineInfo& m = wf.machines()[machine];
    if (!m.parent.empty()) add(wf.JoinFunction(m.parent), "Fan-in");
  };
  if (s.type == StateType::kTask) {
    add(wf.TaskFunction(s.name), "Task");
    return;
  }
  if (s.type == StateType::kParallel || s.type == StateType::kMap) {
    const char* kind = s.type == StateType::kMap ? "Map" : "Parallel";
    const size_t n = s.type == StateType::kMap ? 1 : s.branches.size();
    for (size_t b = 0; b < n; ++b) {
      const int bm = wf.BranchMachine(s.name, static_cast<int>(b));
      const std::string& helper = wf.BranchStartFunction(bm);
      if (!helper.empty()) {
        add(helper, kind);
        continue;
      }
      json inner = json::array();
      std::set<std::string> inner_seen;
      CollectTargets(wf, bm, wf.machines()[bm].machine->start_at, {},
                     inner_seen, inner);
      for (json& t : inner) {
        if (t["Kind"] == "Task") t["Kind"] = kind;
        std::vector<std::string> v = via;
        v.push_back(s.name);
        for (const auto& x : t["Via"]) v.push_back(x.get<std::string>());
        t["Via"] = v;
        bool dup = false;
        for (const json& o : out)
          dup = dup || (o["Name"] == t["Name"] && o["Kind"] == t["Kind"]);
        if (!dup) out.push_back(t);
      }
    }
    return;
  }
  via.push_back(s.name);
  if (s.type == StateType::kSucceed || s.type == StateType::kFail) {
    at_end();
    return;
  }
  if (s.type == StateType::kChoice && !s.default_next) at_end();
  if (s.end) at_end();
  for (const ChoiceEntry& c : s.choices) {
    CollectTargets(wf, machine, c.next, via, seen, out);
  }
  if (s.default_next)
    CollectTargets(wf, machine, *s.default_next, via, seen, out);
  if (s.next) CollectTargets(wf, machine, *s.next, via, seen, out);
}

struct Walk {
  PathReport report;
  std::set<std::string> seen;
};

void Explore(const Workflow& wf, int machine, std::string state, Walk w,
             bool first_only, std::vector<PathReport>* out);

// The counts of one run of nested machine `machine` along its first path.
PathReport FirstPath(const Workflow& wf, int machine) {
  std::vector<PathReport> paths;
  Explore(wf, machine, wf.machines()[machine].machine->start_at, Walk{}, true,
          &paths);
  return paths.empty() ? PathReport{} : paths[0];
}

void Explore(const Workflow& wf, int machine, std::string state, Walk w,
             bool first_only, std::vector<PathReport>* out) {
  const Count one{{{"", 1}}};
  for (;;) {
    if (!w.seen.insert(state).second) {
      w.report.ending = "loops back to \"" + state + "\"";
      out->push_back(std::move(w.report));
      return;
    }
    const StateInfo* info = wf.Find(state);
    if (info == nullptr) return;
    const State& s = *info->state;
    if (machine == 0) w.report.states.push_back(s.name);
    w.report.sfn_transitions.Add(one);
    switch (s.type) {
      case StateType::kTask:
        w.report.unum_invocations.Add(one);
        break;
      case StateType::kChoice: {
        std::vector<std::string> targets;
        for (const ChoiceEntry& c : s.choices) {
          if (std::find(targets.begin(), targets.end(), c.next) ==
              targets.end()) {
            targets.push_back(c.next);
          }
        }
        if (s.default_next && std::find(targets.begin(), targets.end(),
                                        *s.default_next) == targets.end()) {
          targets.push_back(*s.default_next);
        }
        for (const std::string& t : targets) {
          Explore(wf, machine, t, w, first_only, out);
          if (first_only) return;
        }
        if (!s.default_next) {
          w.report.ending = "fails (States.NoChoiceMatched)";
          out->push_back(w.report);
        }
        return;
      }
      case StateType::kSucceed:
        w.report.ending = "succeeds";
        out->push_back(std::move(w.report));
        return;
      case StateType::kFail:
        w.report.ending =
            "fails (" + s.error.value_or("error from ErrorPath") + ")";
        out->push_back(std::move(w.report));
        return;
      case StateType::kParallel:
      case StateType::kMap: {
        const bool map = s.type == StateType::kMap;
        const size_t n = map ? 1 : s.branches.size();
        for (size_t b = 0; b < n; ++b) {
          const int bm = wf.BranchMachine(s.name, static_cast<int>(b));
          PathReport sub = FirstPath(wf, bm);
          Count unum = sub.unum_invocations;
          if (!wf.BranchStartFunction(bm).empty()) unum.Add(one);
          w.report.unum_invocations.Add(unum, map ? s.name : "");
          w.report.sfn_transitions.Add(sub.sfn_transitions, map ? s.name : "");
        }
        const CompiledFunction* join = wf.FindFunction(wf.JoinFunction(s.name));
        if (join != nullptr && join->role == FunctionRole::kJoin) {
          w.report.unum_invocations.Add(one);
        }
        break;
      }
      default:
        break;
    }
    if (s.end || !s.next) {
      w.report.ending = "succeeds";
      out->push_back(std::move(w.report));
      return;
    }
    state = *s.next;
  }
}

}  // namespace

void Count::Add(const Count& other, const std::string& per) {
  for (const auto& [k, v] : other.terms) {
    const std::string key = per.empty() ? k : (k.empty() ? per : per + "*" + k);
    terms[key] += v;
  }
}

std::string Count::ToString() const {
  std::string out;
  auto it = terms.find("");
  out = std::to_string(it == terms.end() ? 0 : it->second);
  for (const auto& [k, v] : terms) {
    if (k.empty() || v == 0) continue;
    out += fmt::format(" + {} per item of \"{}\"", v, k);
  }
  return out;
}

std::vector<PathReport> ReportPaths(const Workflow& wf) {
  std::vector<PathReport> paths;
  Walk w;
  const CompiledFunction* start = wf.FindFunction(wf.start_function());
  if (start != nullptr && start->role == FunctionRole::kStart) {
    w.report.unum_invocations.Add(Count{{{"", 1}}});
  }
  Explore(wf, 0, wf.machine().start_at, w, false, &paths);
  return paths;
}

json FunctionTargets(const Workflow& wf, const CompiledFunction& f) {
  json out = json::array();
  std::set<std::string> seen;
  auto from_state = [&](const State& s, int machine) {
    std::vector<std::string> starts;
    if (s.next) starts.push_back(*s.next);
    for (const Catcher& c : s.catchers) starts.push_back(c.next);
    if (s.end) {
      const MachineInfo& m = wf.machines()[machine];
      if (!m.parent.empty()) {
        out.push_back({{"Name", wf.JoinFunction(m.parent)},
                       {"Kind", "Fan-in"},
                       {"Via", json::array()}});
      }
    }
    for (const std::string& st : starts) {
      json found = json::array();
      CollectTargets(wf, machine, st, {}, seen, found);
      const bool is_catch =
          std::any_of(s.catchers.begin(), s.catchers.end(),
                      [&](const Catcher& c) { return c.next == st; }) &&
          (!s.next || *s.next != st);
      for (json& t : found) {
        if (is_catch && t["Kind"] == "Task") t["Kind"] = "Catch";
        out.push_back(std::move(t));
      }
    }
  };
  switch (f.role) {
    case FunctionRole::kTask:
    case FunctionRole::kJoin: {
      const StateInfo* info = wf.Find(f.state);
      from_state(*info->state, info->machine);
      break;
    }
    case FunctionRole::kStart:
      CollectTargets(wf, 0, wf.machine().start_at, {}, seen, out);
      break;
    case FunctionRole::kBranchStart:
      CollectTargets(wf, f.machine, wf.machines()[f.machine].machine->start_at,
                     {}, seen, out);
      break;
  }
  return out;
}

json FunctionIr(const Workflow& wf, const CompiledFunction& f,
                const std::string& definition_ref) {
  json ir = {{"Name", f.name}, {"Checkpoint", true}};
  if (f.start) ir["Start"] = true;
  json sm = {{"Definition", definition_ref}, {"Role", RoleName(f.role)}};
  if (!f.state.empty()) sm["State"] = f.state;
  if (f.role == FunctionRole::kTask) sm["Handler"] = f.handler;
  if (!f.joins.empty()) sm["Joins"] = f.joins;
  if (!f.reason.empty()) sm["Helper"] = f.reason;
  ir["StateMachine"] = sm;
  ir["Next"] = FunctionTargets(wf, f);
  return ir;
}

std::string CompileSummary(const Workflow& wf, const std::string& app_name) {
  int tasks = 0, helpers = 0;
  for (const CompiledFunction& f : wf.functions()) {
    (f.role == FunctionRole::kTask ? tasks : helpers)++;
  }
  std::string out = fmt::format(
      "{}: {} functions ({} for Task states, {} helpers), starts at \"{}\"\n",
      app_name, tasks + helpers, tasks, helpers, wf.start_function());
  for (const CompiledFunction& f : wf.functions()) {
    if (f.role == FunctionRole::kTask) continue;
    out += fmt::format("  helper {}: {}\n", f.name, f.reason);
  }
  const auto paths = ReportPaths(wf);
  out += fmt::format("{} path(s) through the workflow:\n", paths.size());
  int i = 0;
  for (const PathReport& p : paths) {
    std::string states;
    for (const std::string& s : p.states) {
      states += (states.empty() ? "" : " -> ") + s;
    }
    out += fmt::format(
        "  {}. {} ({}): Unum {} invocation(s), Step Functions {} state "
        "transition(s)\n",
        ++i, states, p.ending, p.unum_invocations.ToString(),
        p.sfn_transitions.ToString());
  }
  return out;
}

}  // namespace unum::asl
