#include "graph/graph_dot.h"

#include <vector>

#include "asl/engine/compile_report.h"

namespace unum::graph {
namespace {

bool IsParallel(const ir::FunctionConfig& config) {
  int unconditional_scalar = 0;
  for (const ir::Edge& e : config.next) {
    if (e.input_type == ir::InputType::kScalar && e.conditional.empty()) {
      ++unconditional_scalar;
    }
  }
  return unconditional_scalar > 1;
}

std::string EdgeLine(const std::string& from, const ir::Edge& edge,
                     bool parallel) {
  std::vector<std::string> attrs;
  std::string label;
  switch (edge.input_type) {
    case ir::InputType::kMap:
      label = "*";
      attrs.push_back("color=\"#2e7d32\"");
      attrs.push_back("fontcolor=\"#2e7d32\"");
      attrs.push_back("penwidth=2");
      break;
    case ir::InputType::kFanIn:
      attrs.push_back("style=dashed");
      attrs.push_back("color=\"#1565c0\"");
      attrs.push_back("arrowhead=inv");
      break;
    case ir::InputType::kScalar:
      if (parallel && edge.conditional.empty()) attrs.push_back("style=bold");
      break;
  }
  if (!edge.conditional.empty()) {
    label += label.empty() ? edge.conditional : " " + edge.conditional;
    if (edge.input_type == ir::InputType::kScalar) {
      attrs.push_back("color=\"#ef6c00\"");
    }
    attrs.push_back("fontcolor=\"#ef6c00\"");
  }
  if (!label.empty()) attrs.insert(attrs.begin(), "label=" + DotQuote(label));
  std::string line = "  " + DotQuote(from) + " -> " + DotQuote(edge.name);
  if (!attrs.empty()) {
    line += " [";
    for (size_t i = 0; i < attrs.size(); ++i) {
      if (i > 0) line += ", ";
      line += attrs[i];
    }
    line += "]";
  }
  return line + ";\n";
}

// A compiled state machine's edges: where each function can hand control,
// labelled with the states folded into the edge (Pass, Choice, Wait...).
std::string StateMachineEdges(const asl::Workflow& wf) {
  std::string dot;
  for (const asl::CompiledFunction& f : wf.functions()) {
    for (const auto& t : asl::FunctionTargets(wf, f)) {
      ir::Edge edge;
      edge.name = t.value("Name", "");
      const std::string kind = t.value("Kind", "");
      if (kind == "Map") edge.input_type = ir::InputType::kMap;
      if (kind == "Fan-in") edge.input_type = ir::InputType::kFanIn;
      std::string via;
      for (const auto& v : t["Via"]) {
        const asl::StateInfo* info = wf.Find(v.get<std::string>());
        via += (via.empty() ? "" : ", ") +
               (info ? std::string(asl::StateTypeName(info->state->type)) + " "
                     : "") +
               v.get<std::string>();
      }
      if (kind == "Catch") via = via.empty() ? "Catch" : "Catch, " + via;
      std::string line = EdgeLine(f.name, edge, kind == "Parallel");
      // The folded states as the label (after the Map's "*").
      std::vector<std::string> extra;
      if (!via.empty() && kind != "Map")
        extra.push_back("label=" + DotQuote(via));
      if (kind == "Catch") {
        extra.push_back("color=\"#c62828\"");
        extra.push_back("style=dotted");
      }
      if (kind == "Map" && !via.empty()) {
        const std::string star = "label=\"*\"";
        line.replace(line.find(star), star.size(),
                     "label=" + DotQuote("* " + via));
      }
      std::string attrs;
      for (const std::string& a : extra)
        attrs += (attrs.empty() ? "" : ", ") + a;
      if (!attrs.empty()) {
        const size_t open = line.find(" [");
        if (open == std::string::npos) {
          line.insert(line.rfind(';'), " [" + attrs + "]");
        } else {
          line.insert(open + 2, attrs + ", ");
        }
      }
      dot += line;
    }
  }
  return dot;
}

}  // namespace

std::string DotQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string AppToDot(const app::App& app, const Decorations& decorations) {
  std::string dot = "digraph " + DotQuote(app.name) + " {\n";
  dot += "  rankdir=TB;\n";
  dot +=
      "  node [shape=box, style=rounded, fontname=\"Helvetica\", "
      "fontsize=12];\n";
  dot += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& [name, spec] : app.functions) {
    std::string label = name;
    std::string attrs = "id=" + DotQuote("fn_" + name);
    auto deco = decorations.find(name);
    if (deco != decorations.end()) {
      if (!deco->second.note.empty()) label += "\n" + deco->second.note;
      if (!deco->second.fill_color.empty()) {
        attrs += ", style=\"rounded,filled\", fillcolor=" +
                 DotQuote(deco->second.fill_color);
      }
    }
    attrs += ", label=" + DotQuote(label);
    if (spec.config.start) attrs += ", peripheries=2";
    dot += "  " + DotQuote(name) + " [" + attrs + "];\n";
  }
  for (const auto& [name, spec] : app.functions) {
    const bool parallel = IsParallel(spec.config);
    for (const ir::Edge& edge : spec.config.next) {
      dot += EdgeLine(name, edge, parallel);
    }
  }
  if (app.workflow) dot += StateMachineEdges(*app.workflow);
  dot += "}\n";
  return dot;
}

}  // namespace unum::graph
