#include "ir/ir_parser.h"

#include <fstream>
#include <set>
#include <sstream>

#include "common/json_text.h"
#include "ir/expr.h"
#include "ir/yaml_json.h"

namespace unum::ir {
namespace {

using nlohmann::json;

const std::set<std::string> kFunctionFields = {
    "Name", "Start", "Checkpoint", "Next", "Next Payload Modifiers",
    // Accepted for compatibility with the reference; no effect here.
    "Remove", "Debug"};
const std::set<std::string> kEdgeFields = {
    "Name", "InputType", "Type", "Values", "Conditional", "Payload Modifiers"};

// Builds error messages that name the file, the function and the field.
class ErrorContext {
 public:
  ErrorContext(const std::string& file) : file_(file) {}
  void set_function(const std::string& name) { function_ = name; }
  Status Error(const std::string& field, const std::string& what) const {
    std::string msg = file_ + ": ";
    if (!function_.empty()) msg += "function \"" + function_ + "\": ";
    if (!field.empty()) msg += field + ": ";
    return Status::InvalidArgument(msg + what);
  }

 private:
  std::string file_;
  std::string function_;
};

std::string TypeName(const json& v) { return std::string(v.type_name()); }

Result<std::vector<std::string>> ParseStringList(const json& v,
                                                 const std::string& field,
                                                 const ErrorContext& ctx) {
  if (!v.is_array()) {
    return ctx.Error(field, "expected a list of strings, got " + TypeName(v));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      return ctx.Error(field + "[" + std::to_string(i) + "]",
                       "expected a string, got " + TypeName(v[i]));
    }
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

Status CheckModifiers(const std::vector<std::string>& mods,
                      const std::string& field, const ErrorContext& ctx) {
  for (size_t i = 0; i < mods.size(); ++i) {
    auto m = Modifier::Parse(mods[i]);
    if (!m.ok()) {
      return ctx.Error(field + "[" + std::to_string(i) + "]",
                       m.status().message());
    }
  }
  return Status::Ok();
}

Status ParseInputType(const json& e, const std::string& field, Edge* edge,
                      const ErrorContext& ctx) {
  // Reference IR: "InputType": "Scalar" | "Map" | {"Fan-in": {"Values": []}}.
  // Reference docs also show "Type": "Fan-in" with a sibling "Values".
  const bool has_input_type = e.contains("InputType");
  const bool has_type = e.contains("Type");
  if (has_input_type && has_type) {
    return ctx.Error(field, "give InputType or Type, not both");
  }
  const std::string key = has_type ? "Type" : "InputType";
  const std::string type_field = field + "." + key;
  if (!has_input_type && !has_type) {
    edge->input_type = InputType::kScalar;
  } else if (const json& t = e.at(key); t.is_string()) {
    const std::string s = t.get<std::string>();
    if (s == "Scalar") {
      edge->input_type = InputType::kScalar;
    } else if (s == "Map") {
      edge->input_type = InputType::kMap;
    } else if (s == "Fan-in") {
      edge->input_type = InputType::kFanIn;
    } else {
      return ctx.Error(type_field, "unknown edge type \"" + s +
                                       "\" (expected Scalar, Map or "
                                       "{\"Fan-in\": {\"Values\": [...]}})");
    }
  } else if (t.is_object() && t.size() == 1 && t.contains("Fan-in")) {
    edge->input_type = InputType::kFanIn;
    const json& f = t.at("Fan-in");
    if (!f.is_object() || !f.contains("Values")) {
      return ctx.Error(type_field + ".Fan-in",
                       "expected {\"Values\": [instance names]}");
    }
    if (e.contains("Values")) {
      return ctx.Error(field, "Values given twice (inside Fan-in and beside)");
    }
    UNUM_ASSIGN_OR_RETURN(
        edge->values,
        ParseStringList(f.at("Values"), type_field + ".Fan-in.Values", ctx));
  } else {
    return ctx.Error(type_field,
                     "unknown edge type " + ToJsonText(t) +
                         " (expected Scalar, Map or {\"Fan-in\": {\"Values\": "
                         "[...]}})");
  }

  if (e.contains("Values")) {
    if (edge->input_type != InputType::kFanIn) {
      return ctx.Error(
          field + ".Values",
          "only a Fan-in edge has Values (this edge is " +
              std::string(edge->input_type == InputType::kMap ? "Map"
                                                              : "Scalar") +
              ")");
    }
    UNUM_ASSIGN_OR_RETURN(
        edge->values, ParseStringList(e.at("Values"), field + ".Values", ctx));
  }
  if (edge->input_type == InputType::kFanIn) {
    if (edge->values.empty()) {
      return ctx.Error(field, "a Fan-in edge needs at least one Value");
    }
    for (size_t i = 0; i < edge->values.size(); ++i) {
      auto t = NameTemplate::Parse(edge->values[i]);
      if (!t.ok()) {
        return ctx.Error(field + ".Values[" + std::to_string(i) + "]",
                         t.status().message());
      }
    }
  }
  return Status::Ok();
}

Result<Edge> ParseEdge(const json& e, const std::string& field,
                       const ErrorContext& ctx) {
  if (!e.is_object()) {
    return ctx.Error(field, "expected an edge object, got " + TypeName(e));
  }
  for (const auto& [key, value] : e.items()) {
    if (!kEdgeFields.contains(key)) {
      return ctx.Error(field, "unknown field \"" + key + "\"");
    }
  }
  Edge edge;
  if (!e.contains("Name") || !e.at("Name").is_string() ||
      e.at("Name").get<std::string>().empty()) {
    return ctx.Error(field + ".Name", "expected the next function's name");
  }
  edge.name = e.at("Name").get<std::string>();
  UNUM_RETURN_IF_ERROR(ParseInputType(e, field, &edge, ctx));
  if (e.contains("Conditional")) {
    const json& c = e.at("Conditional");
    if (c.is_boolean()) {
      edge.conditional = c.get<bool>() ? "true" : "false";
    } else if (c.is_string()) {
      edge.conditional = c.get<std::string>();
    } else {
      return ctx.Error(field + ".Conditional",
                       "expected an expression string, got " + TypeName(c));
    }
    if (!edge.conditional.empty()) {
      auto x = Expr::Parse(edge.conditional);
      if (!x.ok()) {
        return ctx.Error(field + ".Conditional", x.status().message());
      }
    }
  }
  if (e.contains("Payload Modifiers")) {
    UNUM_ASSIGN_OR_RETURN(edge.modifiers,
                          ParseStringList(e.at("Payload Modifiers"),
                                          field + ".Payload Modifiers", ctx));
    UNUM_RETURN_IF_ERROR(
        CheckModifiers(edge.modifiers, field + ".Payload Modifiers", ctx));
  }
  return edge;
}

Result<bool> ParseBool(const json& doc, const std::string& field, bool fallback,
                       const ErrorContext& ctx) {
  if (!doc.contains(field)) return fallback;
  const json& v = doc.at(field);
  if (v.is_boolean()) return v.get<bool>();
  // YAML users write True/False; the reference accepts them.
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return ctx.Error(field, "expected true or false, got " + ToJsonText(v));
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<FunctionConfig> ParseFunctionConfig(const json& doc,
                                           const std::string& file,
                                           bool default_checkpoint) {
  ErrorContext ctx(file);
  if (!doc.is_object()) {
    return ctx.Error("", "expected a JSON object, got " + TypeName(doc));
  }
  if (!doc.contains("Name")) {
    return ctx.Error("Name", "missing: every function needs a Name");
  }
  if (!doc.at("Name").is_string() ||
      doc.at("Name").get<std::string>().empty()) {
    return ctx.Error("Name", "expected a non-empty string, got " +
                                 TypeName(doc.at("Name")) + " " +
                                 ToJsonText(doc.at("Name")));
  }
  FunctionConfig fn;
  fn.source_file = file;
  fn.name = doc.at("Name").get<std::string>();
  ctx.set_function(fn.name);
  for (const auto& [key, value] : doc.items()) {
    if (!kFunctionFields.contains(key)) {
      return ctx.Error("", "unknown field \"" + key + "\"");
    }
  }
  UNUM_ASSIGN_OR_RETURN(fn.start, ParseBool(doc, "Start", false, ctx));
  UNUM_ASSIGN_OR_RETURN(fn.checkpoint,
                        ParseBool(doc, "Checkpoint", default_checkpoint, ctx));
  if (doc.contains("Next") && !doc.at("Next").is_null()) {
    const json& next = doc.at("Next");
    if (next.is_array()) {
      for (size_t i = 0; i < next.size(); ++i) {
        UNUM_ASSIGN_OR_RETURN(
            Edge e, ParseEdge(next[i], "Next[" + std::to_string(i) + "]", ctx));
        fn.next.push_back(std::move(e));
      }
    } else {
      UNUM_ASSIGN_OR_RETURN(Edge e, ParseEdge(next, "Next", ctx));
      fn.next.push_back(std::move(e));
    }
  }
  if (doc.contains("Next Payload Modifiers")) {
    UNUM_ASSIGN_OR_RETURN(fn.modifiers,
                          ParseStringList(doc.at("Next Payload Modifiers"),
                                          "Next Payload Modifiers", ctx));
    UNUM_RETURN_IF_ERROR(
        CheckModifiers(fn.modifiers, "Next Payload Modifiers", ctx));
  }
  return fn;
}

Result<json> LoadYamlOrJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open file");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  if (EndsWith(path, ".yaml") || EndsWith(path, ".yml")) {
    return ParseYamlText(text, path);
  }
  return ParseJsonText(text, path);
}

Result<FunctionConfig> LoadFunctionConfig(const std::string& path,
                                          bool default_checkpoint) {
  UNUM_ASSIGN_OR_RETURN(json doc, LoadYamlOrJson(path));
  return ParseFunctionConfig(doc, path, default_checkpoint);
}

}  // namespace unum::ir
