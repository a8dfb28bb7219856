// PayloadTemplate: compiling the template tree and evaluating it.
#include "asl/dataflow/payload_template.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "asl/dataflow/json_path.h"
#include "asl/definition/intrinsics.h"
#include "common/json_text.h"

namespace unum::asl {

using nlohmann::json;

struct PayloadTemplate::Node {
  enum class Kind { kLiteral, kObject, kArray, kPath, kIntrinsic };
  struct Member;  // a vector of pairs would need Node complete here
  Kind kind = Kind::kLiteral;
  json literal;                               // kLiteral
  std::vector<Member> members;                // kObject
  std::vector<Node> items;                    // kArray
  std::optional<JsonPath> path;               // kPath
  std::shared_ptr<const IntrinsicCall> call;  // kIntrinsic
  std::string field;  // kPath, kIntrinsic: the field as written, for errors
};

struct PayloadTemplate::Node::Member {
  std::string name;
  PayloadTemplate::Node node;
};

namespace {

using Node = PayloadTemplate::Node;

bool HasDynamic(const json& value) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (key.size() >= 2 && key.ends_with(".$")) return true;
      if (HasDynamic(child)) return true;
    }
  } else if (value.is_array()) {
    for (const json& child : value) {
      if (HasDynamic(child)) return true;
    }
  }
  return false;
}

Status CompileNode(const json& value, const std::string& where, Node* out);

// Checks the path arguments of `call` (and of nested calls) now, so a bad
// path is a compile error rather than a failure on every execution.
Status CheckIntrinsicPaths(const IntrinsicCall& call,
                           const std::string& where) {
  for (const IntrinsicArg& arg : call.args) {
    if (const auto* path = std::get_if<IntrinsicArg::Path>(&arg.value)) {
      Result<JsonPath> parsed = JsonPath::Parse(path->text);
      if (!parsed.ok()) {
        return Status::InvalidArgument(where + ": " + call.name + ": " +
                                       parsed.status().message());
      }
    } else if (const auto* nested =
                   std::get_if<std::shared_ptr<IntrinsicCall>>(&arg.value)) {
      if (*nested) UNUM_RETURN_IF_ERROR(CheckIntrinsicPaths(**nested, where));
    }
  }
  return Status::Ok();
}

Status CompileDynamic(const json& value, const std::string& where, Node* out) {
  out->field = where;
  if (!value.is_string()) {
    return Status::InvalidArgument(
        where + ": the value of a field ending in '.$' must be a string");
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (!text.empty() && text[0] == '$') {
    Result<JsonPath> path = JsonPath::Parse(text);
    if (!path.ok()) {
      return Status::InvalidArgument(where + ": " + path.status().message());
    }
    out->kind = Node::Kind::kPath;
    out->path = std::move(path).value();
    return Status::Ok();
  }
  if (LooksLikeIntrinsic(text)) {
    Result<IntrinsicCall> call = ParseIntrinsic(text);
    if (!call.ok()) {
      return Status::InvalidArgument(where + ": " + call.status().message());
    }
    UNUM_RETURN_IF_ERROR(CheckIntrinsicPaths(*call, where));
    out->kind = Node::Kind::kIntrinsic;
    out->call = std::make_shared<const IntrinsicCall>(std::move(call).value());
    return Status::Ok();
  }
  return Status::InvalidArgument(
      where + ": \"" + text +
      "\" is neither a path ('$...', '$$...') nor an intrinsic function call");
}

Status CompileNode(const json& value, const std::string& where, Node* out) {
  if (!HasDynamic(value)) {
    out->kind = Node::Kind::kLiteral;
    out->literal = value;
    return Status::Ok();
  }
  if (value.is_array()) {
    out->kind = Node::Kind::kArray;
    for (size_t i = 0; i < value.size(); ++i) {
      Node item;
      std::string sub = where;
      sub += '[' + std::to_string(i) + ']';
      UNUM_RETURN_IF_ERROR(CompileNode(value[i], sub, &item));
      out->items.push_back(std::move(item));
    }
    return Status::Ok();
  }
  out->kind = Node::Kind::kObject;
  std::set<std::string> names;
  for (const auto& [key, child] : value.items()) {
    std::string sub = where;
    sub += '.';
    sub += key;
    bool dynamic = key.size() >= 2 && key.ends_with(".$");
    std::string name = dynamic ? key.substr(0, key.size() - 2) : key;
    if (!names.insert(name).second) {
      return Status::InvalidArgument(
          sub + ": the field \"" + name +
          "\" appears twice (with and without '.$')");
    }
    Node node;
    if (dynamic) {
      UNUM_RETURN_IF_ERROR(CompileDynamic(child, sub, &node));
    } else {
      UNUM_RETURN_IF_ERROR(CompileNode(child, sub, &node));
    }
    out->members.push_back(Node::Member{std::move(name), std::move(node)});
  }
  return Status::Ok();
}

bool CallUsesContext(const IntrinsicCall& call) {
  for (const IntrinsicArg& arg : call.args) {
    if (const auto* path = std::get_if<IntrinsicArg::Path>(&arg.value)) {
      Result<JsonPath> parsed = JsonPath::Parse(path->text);
      if (!parsed.ok() || parsed->is_context()) return true;
    } else if (const auto* nested =
                   std::get_if<std::shared_ptr<IntrinsicCall>>(&arg.value)) {
      if (*nested && CallUsesContext(**nested)) return true;
    }
  }
  return false;
}

bool NodeUsesContext(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kLiteral:
      return false;
    case Node::Kind::kArray:
      for (const Node& item : node.items) {
        if (NodeUsesContext(item)) return true;
      }
      return false;
    case Node::Kind::kObject:
      for (const auto& member : node.members) {
        if (NodeUsesContext(member.node)) return true;
      }
      return false;
    case Node::Kind::kPath:
      return node.path->is_context();
    case Node::Kind::kIntrinsic:
      return CallUsesContext(*node.call);
  }
  return true;
}

Outcome<json> EvaluateNode(const Node& node, const json& input,
                           const json& context) {
  switch (node.kind) {
    case Node::Kind::kLiteral:
      return node.literal;
    case Node::Kind::kArray: {
      json out = json::array();
      for (const Node& item : node.items) {
        Outcome<json> v = EvaluateNode(item, input, context);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return out;
    }
    case Node::Kind::kObject: {
      json out = json::object();
      for (const auto& [name, child] : node.members) {
        Outcome<json> v = EvaluateNode(child, input, context);
        if (!v.ok()) return v;
        out[name] = std::move(v).value();
      }
      return out;
    }
    case Node::Kind::kPath: {
      std::optional<json> v = node.path->Evaluate(input, context);
      if (!v) {
        const json& source = node.path->is_context() ? context : input;
        return StatesError{
            kStatesParameterPathFailure,
            "The JSONPath '" + node.path->text() +
                "' specified for the field '" + node.field +
                "' could not be found in the " +
                (node.path->is_context() ? "context object" : "input") + " '" +
                JsonForMessage(source) + "'"};
      }
      return std::move(*v);
    }
    case Node::Kind::kIntrinsic: {
      PathResolver resolve = [&](std::string_view path) {
        return ResolvePathText(path, input, context);
      };
      return EvaluateIntrinsic(*node.call, resolve);
    }
  }
  return json();
}

}  // namespace

Result<PayloadTemplate> PayloadTemplate::Compile(const json& tmpl,
                                                 std::string_view field) {
  auto root = std::make_shared<Node>();
  UNUM_RETURN_IF_ERROR(CompileNode(tmpl, std::string(field), root.get()));
  PayloadTemplate out;
  out.uses_context_ = NodeUsesContext(*root);
  out.root_ = std::move(root);
  return out;
}

Outcome<json> PayloadTemplate::Evaluate(const json& input,
                                        const json& context) const {
  return EvaluateNode(*root_, input, context);
}

bool PathTextUsesContext(std::string_view text) {
  Result<PayloadTemplate> tmpl =
      PayloadTemplate::Compile(json{{"v.$", std::string(text)}}, "path");
  return !tmpl.ok() || tmpl->uses_context();
}

Outcome<json> ResolvePathText(std::string_view text, const json& input,
                              const json& context) {
  Result<JsonPath> path = JsonPath::Parse(text);
  if (!path.ok()) {
    return StatesError{kStatesParameterPathFailure, path.status().message()};
  }
  std::optional<json> v = path->Evaluate(input, context);
  if (!v) {
    return StatesError{kStatesParameterPathFailure,
                       "The JSONPath '" + std::string(text) +
                           "' could not be found in the " +
                           (path->is_context() ? "context object" : "input")};
  }
  return std::move(*v);
}

}  // namespace unum::asl
