#include "ir/ir_validator.h"

#include <deque>
#include <map>
#include <set>
#include <string>

#include "ir/expr.h"
#include "ir/fanout.h"

namespace unum::ir {
namespace {

// Deeper nesting than this is treated as a cycle that keeps pushing
// fan-outs; the walk stops exploring there.
constexpr int kMaxDepth = 16;

Status Error(const FunctionConfig& fn, const std::string& field,
             const std::string& what) {
  std::string msg = fn.source_file.empty() ? "" : fn.source_file + ": ";
  msg += "function \"" + fn.name + "\": ";
  if (!field.empty()) msg += field + ": ";
  return Status::InvalidArgument(msg + what);
}

std::string EdgeField(const FunctionConfig& fn, size_t i) {
  return fn.next.size() == 1 ? "Next" : "Next[" + std::to_string(i) + "]";
}

// A stack of the given depth whose indices leave room for arithmetic such
// as ($0-1) and ($0+1), so only depth problems make expansion fail.
FanOutStack ProbeStack(int depth) {
  return FanOutStack(depth, FanOut{"Map", 5, 10});
}

Status CheckModifiersAt(const FunctionConfig& fn,
                        const std::vector<std::string>& mods,
                        const std::string& field, int depth,
                        FanOutStack* stack) {
  for (size_t i = 0; i < mods.size(); ++i) {
    auto m = Modifier::Parse(mods[i]);
    if (!m.ok()) return Error(fn, field, m.status().message());
    Status s = m->Apply(stack);
    if (!s.ok()) {
      return Error(fn, field + "[" + std::to_string(i) + "]",
                   s.message() + " (the function runs " +
                       std::to_string(depth) +
                       " fan-out level(s) deep here)");
    }
  }
  return Status::Ok();
}

// Checks `fn` running at fan-out depth `depth`; appends the (function,
// depth) pairs its edges lead to.
Status CheckAtDepth(const FunctionConfig& fn, int depth,
                    const std::map<std::string, const FunctionConfig*>& by_name,
                    std::vector<std::pair<std::string, int>>* successors) {
  int scalar_edges = 0;
  for (const Edge& e : fn.next) {
    if (e.input_type == InputType::kScalar) ++scalar_edges;
  }
  for (size_t i = 0; i < fn.next.size(); ++i) {
    const Edge& e = fn.next[i];
    const std::string field = EdgeField(fn, i);
    if (!e.conditional.empty()) {
      auto x = Expr::Parse(e.conditional);
      if (!x.ok()) return Error(fn, field + ".Conditional", x.status().message());
      if (x->max_index_var() >= depth) {
        const std::string var = x->max_index_var() == 0 && depth == 0
                                    ? "$0 or $size"
                                    : "$" + std::to_string(x->max_index_var());
        return Error(fn, field + ".Conditional",
                     "uses " + var + " but the function runs only " +
                         std::to_string(depth) + " fan-out level(s) deep");
      }
    }
    if (e.input_type == InputType::kFanIn) {
      for (size_t v = 0; v < e.values.size(); ++v) {
        const std::string vfield = field + ".Values[" + std::to_string(v) + "]";
        auto t = NameTemplate::Parse(e.values[v]);
        if (!t.ok()) return Error(fn, vfield, t.status().message());
        auto names = t->Expand(ProbeStack(depth));
        if (!names.ok()) {
          return Error(fn, vfield,
                       "cannot expand \"" + e.values[v] + "\" where the "
                       "function runs " + std::to_string(depth) +
                       " fan-out level(s) deep: " + names.status().message());
        }
        for (const std::string& n : *names) {
          const std::string f = FunctionOfInstance(n);
          if (!by_name.contains(f)) {
            return Error(fn, vfield,
                         "names function \"" + f +
                             "\", which the app does not have");
          }
        }
      }
    }
    FanOutStack stack = ProbeStack(depth);
    UNUM_RETURN_IF_ERROR(CheckModifiersAt(fn, fn.modifiers,
                                          "Next Payload Modifiers", depth,
                                          &stack));
    UNUM_RETURN_IF_ERROR(CheckModifiersAt(
        fn, e.modifiers, field + ".Payload Modifiers", depth, &stack));
    int child_depth = static_cast<int>(stack.size());
    if (e.input_type == InputType::kMap ||
        (e.input_type == InputType::kScalar && scalar_edges > 1)) {
      ++child_depth;
    }
    successors->emplace_back(e.name, child_depth);
  }
  return Status::Ok();
}

}  // namespace

std::string FunctionOfInstance(const std::string& instance) {
  const auto pos = instance.find("-unumIndex-");
  return pos == std::string::npos ? instance : instance.substr(0, pos);
}

Status ValidateApp(const std::vector<FunctionConfig>& functions) {
  std::map<std::string, const FunctionConfig*> by_name;
  std::vector<const FunctionConfig*> starts;
  for (const FunctionConfig& fn : functions) {
    if (auto [it, inserted] = by_name.emplace(fn.name, &fn); !inserted) {
      return Error(fn, "Name",
                   "the app already has a function of this name (in " +
                       it->second->source_file + ")");
    }
    if (fn.start) starts.push_back(&fn);
  }
  if (starts.empty()) {
    return Status::InvalidArgument(
        "the app has no Start function: mark the entry function's IR with "
        "\"Start\": true");
  }
  if (starts.size() > 1) {
    return Status::InvalidArgument(
        "the app has two Start functions, \"" + starts[0]->name + "\" (" +
        starts[0]->source_file + ") and \"" + starts[1]->name + "\" (" +
        starts[1]->source_file + "); exactly one may start the workflow");
  }
  for (const FunctionConfig& fn : functions) {
    std::map<std::string, size_t> map_edges;  // target -> first Map edge
    for (size_t i = 0; i < fn.next.size(); ++i) {
      if (!by_name.contains(fn.next[i].name)) {
        return Error(fn, EdgeField(fn, i) + ".Name",
                     "names function \"" + fn.next[i].name +
                         "\", which the app does not have");
      }
      if (fn.next[i].input_type != InputType::kMap) continue;
      auto [it, inserted] = map_edges.emplace(fn.next[i].name, i);
      if (!inserted && fn.next[it->second].modifiers == fn.next[i].modifiers) {
        // Both maps would name their branches B-unumIndex-k: the second
        // map's branches would look like duplicates of the first's.
        return Error(fn, EdgeField(fn, i),
                     "a second Map edge to \"" + fn.next[i].name +
                         "\" (as " + EdgeField(fn, it->second) +
                         ") would give both maps' branches the same instance "
                         "names");
      }
    }
  }
  // Walk (function, depth) pairs reachable from Start.
  std::set<std::pair<std::string, int>> seen;
  std::deque<std::pair<std::string, int>> todo = {{starts[0]->name, 0}};
  while (!todo.empty()) {
    auto state = todo.front();
    todo.pop_front();
    if (!seen.insert(state).second || state.second > kMaxDepth) continue;
    std::vector<std::pair<std::string, int>> next;
    UNUM_RETURN_IF_ERROR(
        CheckAtDepth(*by_name.at(state.first), state.second, by_name, &next));
    for (auto& s : next) todo.push_back(std::move(s));
  }
  return Status::Ok();
}

}  // namespace unum::ir
