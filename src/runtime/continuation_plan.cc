#include "runtime/continuation_plan.h"

#include <utility>

namespace unum::runtime {

using nlohmann::json;

namespace {

std::string EdgeLabel(const CompiledFunction& fn, size_t i) {
  std::string label =
      fn.edges.size() == 1 ? "Next" : "Next[" + std::to_string(i) + "]";
  return label + " (to \"" + fn.edges[i].edge.name + "\")";
}

}  // namespace

std::string FanInSetName(const std::string& aggregator_instance) {
  return "fanin/" + aggregator_instance;
}

std::string GcSetName(const std::string& parent_instance) {
  return "gc/" + parent_instance;
}

std::vector<std::string> FanInSources(const PlannedStep& step) {
  return ir::ExpandNames(step.sources);
}

Result<CompiledFunction> CompileFunction(const ir::FunctionConfig& config) {
  CompiledFunction fn;
  fn.config = config;
  const std::string where = "function \"" + config.name + "\"";
  std::vector<ir::Modifier> common;
  for (const std::string& m : config.modifiers) {
    auto mod = ir::Modifier::Parse(m);
    if (!mod.ok()) return mod.status().WithContext(where);
    common.push_back(std::move(mod).value());
  }
  for (const ir::Edge& e : config.next) {
    CompiledEdge ce;
    ce.edge = e;
    if (!e.conditional.empty()) {
      auto c = ir::Expr::Parse(e.conditional);
      if (!c.ok()) return c.status().WithContext(where);
      ce.condition = std::move(c).value();
    }
    for (const std::string& v : e.values) {
      auto t = ir::NameTemplate::Parse(v);
      if (!t.ok()) return t.status().WithContext(where);
      ce.values.push_back(std::move(t).value());
    }
    ce.modifiers = common;
    for (const std::string& m : e.modifiers) {
      auto mod = ir::Modifier::Parse(m);
      if (!mod.ok()) return mod.status().WithContext(where);
      ce.modifiers.push_back(std::move(mod).value());
    }
    if (e.input_type == ir::InputType::kScalar) {
      ce.parallel_index = fn.scalar_edges++;
    }
    if (e.input_type == ir::InputType::kFanIn) fn.has_fan_in_edge = true;
    fn.edges.push_back(std::move(ce));
  }
  return fn;
}

Result<std::vector<PlannedStep>> PlanContinuations(
    const CompiledFunction& fn, const json& output,
    const ir::FanOutStack& stack, const std::string& session,
    const std::string& instance) {
  std::vector<PlannedStep> steps;
  const ir::ExprEnv env{&output, &stack};
  for (size_t i = 0; i < fn.edges.size(); ++i) {
    const CompiledEdge& ce = fn.edges[i];
    if (ce.condition) {
      auto taken = ce.condition->EvalBool(env);
      if (!taken.ok()) {
        return taken.status().WithContext(EdgeLabel(fn, i) + ": Conditional");
      }
      if (!*taken) continue;
    }
    ir::FanOutStack next_stack = stack;
    for (const ir::Modifier& m : ce.modifiers) {
      Status s = m.Apply(&next_stack);
      if (!s.ok()) {
        return s.WithContext(EdgeLabel(fn, i) + ": modifier \"" + m.source() +
                             "\"");
      }
    }
    // The receiver would reject the payload (ParsePayload); say so here,
    // where the edge and its modifiers are known.
    for (size_t level = 0; level < next_stack.size(); ++level) {
      const ir::FanOut& f = next_stack[level];
      if (f.size < 1 || f.index >= f.size) {
        return Status::FailedPrecondition(
            EdgeLabel(fn, i) + ": the payload modifiers leave fan-out level " +
            std::to_string(level) + " with index " + std::to_string(f.index) +
            " not below its size " + std::to_string(f.size));
      }
    }
    switch (ce.edge.input_type) {
      case ir::InputType::kScalar: {
        PlannedStep step;
        step.function = ce.edge.name;
        step.payload.session = session;
        step.payload.value = output;
        step.payload.fanout = next_stack;
        if (fn.scalar_edges > 1) {
          step.payload.fanout.insert(
              step.payload.fanout.begin(),
              ir::FanOut{"Parallel", ce.parallel_index, fn.scalar_edges});
        }
        steps.push_back(std::move(step));
        break;
      }
      case ir::InputType::kMap: {
        if (!output.is_array()) {
          return Status::FailedPrecondition(
              EdgeLabel(fn, i) + ": a Map edge needs an array output, got " +
              std::string(output.type_name()));
        }
        if (output.empty()) {
          return Status::FailedPrecondition(
              EdgeLabel(fn, i) +
              ": a Map edge over an empty array starts no branch, so the "
              "workflow could not continue");
        }
        const int64_t n = static_cast<int64_t>(output.size());
        steps.reserve(steps.size() + static_cast<size_t>(n));
        for (int64_t k = 0; k < n; ++k) {
          PlannedStep step;
          step.function = ce.edge.name;
          step.payload.session = session;
          step.payload.value = output[k];
          step.payload.fanout = next_stack;
          step.payload.fanout.insert(step.payload.fanout.begin(),
                                     ir::FanOut{"Map", k, n});
          steps.push_back(std::move(step));
        }
        break;
      }
      case ir::InputType::kFanIn: {
        std::vector<ir::BoundNameTemplate> sources;
        sources.reserve(ce.values.size());
        bool includes_this = false;
        for (const ir::NameTemplate& t : ce.values) {
          auto bound = t.Bind(stack);
          if (!bound.ok()) {
            return bound.status().WithContext(EdgeLabel(fn, i) + ": Values \"" +
                                              t.source() + "\"");
          }
          includes_this = includes_this || bound->Contains(instance);
          sources.push_back(std::move(bound).value());
        }
        if (!includes_this) {
          return Status::FailedPrecondition(
              EdgeLabel(fn, i) +
              ": the fan-in Values do not include this "
              "instance \"" +
              instance + "\"");
        }
        PlannedStep step;
        step.kind = PlannedStep::Kind::kFanIn;
        step.function = ce.edge.name;
        step.payload.session = session;
        step.payload.fan_in = true;
        step.payload.fanout = next_stack;
        step.aggregator_instance = ir::InstanceName(ce.edge.name, next_stack);
        step.ready_set = FanInSetName(step.aggregator_instance);
        // Every branch of an n-way fan-in plans this: count and test
        // membership on the bound templates, never build the n names here.
        step.ready_size = ir::CountDistinctNames(sources);
        step.sources = std::move(sources);
        steps.push_back(std::move(step));
        break;
      }
    }
  }
  return steps;
}

}  // namespace unum::runtime
