// JsonataField: `{% %}` templates compiled to a tree of literals and
// parsed JSONata expressions.
#include "asl/jsonata/jsonata_field.h"

#include <cmath>
#include <utility>
#include <variant>

#include "asl/jsonata/aws_functions.h"

namespace unum::asl {

using json = nlohmann::json;

bool IsJsonataExpression(std::string_view text) {
  return text.size() >= 4 && text.substr(0, 2) == "{%" &&
         text.substr(text.size() - 2) == "%}";
}

struct JsonataField::Node {
  struct Expr {
    jsonata::Expression expression;
    std::string text;  // the expression between `{%` and `%}`, trimmed
    std::string path;  // the field, e.g. "Arguments.items[1]"
  };
  using Members = std::vector<std::pair<std::string, Node>>;
  using Items = std::vector<Node>;
  // A literal (a subtree without expressions), an expression, or an
  // object or array holding at least one expression.
  std::variant<json, Expr, Members, Items> value;

  bool IsLiteral() const { return std::holds_alternative<json>(value); }
};

namespace {

using Node = JsonataField::Node;

// "Arguments" + "a" -> "Arguments.a"; keys that are not plain names are
// quoted: Arguments['a b'].
std::string MemberPath(const std::string& parent, const std::string& key) {
  bool plain = !key.empty();
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
          c == '-')) {
      plain = false;
    }
  }
  return plain ? parent + "." + key : parent + "['" + key + "']";
}

Result<Node> CompileNode(const json& value, const std::string& path) {
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (!IsJsonataExpression(text)) return Node{value};
    std::string_view body(text);
    body = body.substr(2, body.size() - 4);
    jsonata::Error error;
    auto parsed = jsonata::Expression::Parse(body, &error);
    if (!parsed.ok()) {
      return Status::InvalidArgument(
          path + ": the JSONata expression '{%" + std::string(body) + "%}" +
          "' is not valid: " + error.code + " at position " +
          std::to_string(error.position) + ": " + error.message);
    }
    const auto first = body.find_first_not_of(" \t\r\n");
    const auto last = body.find_last_not_of(" \t\r\n");
    std::string trimmed(first == std::string_view::npos
                            ? std::string_view()
                            : body.substr(first, last - first + 1));
    return Node{Node::Expr{std::move(*parsed), std::move(trimmed), path}};
  }
  if (value.is_object()) {
    Node::Members members;
    bool literal = true;
    for (const auto& [key, item] : value.items()) {
      auto node = CompileNode(item, MemberPath(path, key));
      if (!node.ok()) return node.status();
      literal = literal && node->IsLiteral();
      members.emplace_back(key, std::move(*node));
    }
    if (literal) return Node{value};
    return Node{std::move(members)};
  }
  if (value.is_array()) {
    Node::Items items;
    bool literal = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      auto node = CompileNode(value[i], path + "[" + std::to_string(i) + "]");
      if (!node.ok()) return node.status();
      literal = literal && node->IsLiteral();
      items.push_back(std::move(*node));
    }
    if (literal) return Node{value};
    return Node{std::move(items)};
  }
  return Node{value};
}

StatesError EvaluationError(const Node::Expr& e, const std::string& what) {
  return StatesError{kStatesQueryEvaluationError,
                     "The JSONata expression '" + e.text +
                         "' specified for the field '" + e.path + "' " + what};
}

// The variables and functions an expression of `scope` sees.
jsonata::Bindings ScopeBindings(const StatesScope& scope) {
  jsonata::Bindings b = StepFunctionsJsonataBindings();
  if (scope.variables != nullptr && scope.variables->is_object()) {
    for (const auto& [name, value] : scope.variables->items()) {
      b.values[name] = value;
    }
  }
  json states = json::object();
  if (scope.input != nullptr) states["input"] = *scope.input;
  if (scope.result != nullptr) states["result"] = *scope.result;
  if (scope.error_output != nullptr) {
    states["errorOutput"] = *scope.error_output;
  }
  if (scope.context != nullptr) states["context"] = *scope.context;
  b.values["states"] = std::move(states);
  return b;
}

Outcome<json> EvaluateNode(const Node& node,
                           const jsonata::Bindings& bindings) {
  if (const json* literal = std::get_if<json>(&node.value)) return *literal;
  if (const auto* e = std::get_if<Node::Expr>(&node.value)) {
    jsonata::Error error;
    auto out = e->expression.Evaluate(std::nullopt, bindings, {}, &error);
    if (!out.ok()) {
      return EvaluationError(
          *e, "failed: " + error.code +
                  (error.position >= 0
                       ? " at position " + std::to_string(error.position)
                       : std::string()) +
                  ": " + error.message);
    }
    if (!out->has_value())
      return EvaluationError(*e, "returned nothing (undefined)");
    return std::move(**out);
  }
  if (const auto* members = std::get_if<Node::Members>(&node.value)) {
    json out = json::object();
    for (const auto& [key, child] : *members) {
      Outcome<json> v = EvaluateNode(child, bindings);
      if (!v.ok()) return v;
      out[key] = std::move(v).value();
    }
    return out;
  }
  json out = json::array();
  for (const Node& child : std::get<Node::Items>(node.value)) {
    Outcome<json> v = EvaluateNode(child, bindings);
    if (!v.ok()) return v;
    out.push_back(std::move(v).value());
  }
  return out;
}

}  // namespace

JsonataField::JsonataField(std::shared_ptr<const Node> root,
                           std::string field_name)
    : root_(std::move(root)), field_name_(std::move(field_name)) {}

Result<JsonataField> JsonataField::Compile(const json& value,
                                           std::string field_name) {
  auto root = CompileNode(value, field_name);
  if (!root.ok()) return root.status();
  return JsonataField(std::make_shared<const Node>(std::move(*root)),
                      std::move(field_name));
}

bool JsonataField::HasExpressions() const { return !root_->IsLiteral(); }

namespace {
bool NodeMentionsStates(const Node& node) {
  if (const auto* e = std::get_if<Node::Expr>(&node.value)) {
    return e->text.find("$states") != std::string::npos;
  }
  if (const auto* members = std::get_if<Node::Members>(&node.value)) {
    for (const auto& [key, child] : *members) {
      if (NodeMentionsStates(child)) return true;
    }
  }
  if (const auto* items = std::get_if<Node::Items>(&node.value)) {
    for (const Node& child : *items) {
      if (NodeMentionsStates(child)) return true;
    }
  }
  return false;
}
}  // namespace

bool JsonataField::MentionsStates() const { return NodeMentionsStates(*root_); }

Outcome<json> JsonataField::Evaluate(const StatesScope& scope) const {
  if (const json* literal = std::get_if<json>(&root_->value)) return *literal;
  return EvaluateNode(*root_, ScopeBindings(scope));
}

StatesError JsonataField::WrongType(const json& value,
                                    const std::string& wanted) const {
  return StatesError{kStatesQueryEvaluationError,
                     "The field '" + field_name_ + "' must give " + wanted +
                         ", got " + std::string(value.type_name()) + " " +
                         value.dump()};
}

Outcome<bool> JsonataField::EvaluateCondition(const StatesScope& scope) const {
  Outcome<json> value = Evaluate(scope);
  if (!value.ok()) return value.error();
  if (!value->is_boolean()) return WrongType(*value, "a boolean");
  return value->get<bool>();
}

Outcome<json> JsonataField::EvaluateArray(const StatesScope& scope) const {
  Outcome<json> value = Evaluate(scope);
  if (value.ok() && !value->is_array()) return WrongType(*value, "an array");
  return value;
}

Outcome<std::string> JsonataField::EvaluateString(
    const StatesScope& scope) const {
  Outcome<json> value = Evaluate(scope);
  if (!value.ok()) return value.error();
  if (!value->is_string()) return WrongType(*value, "a string");
  return std::move(value->get_ref<std::string&>());
}

Outcome<int64_t> JsonataField::EvaluateSeconds(const StatesScope& scope,
                                               int64_t min_seconds) const {
  constexpr int64_t kMaxSeconds = 99999999;
  Outcome<json> value = Evaluate(scope);
  if (!value.ok()) return value.error();
  const std::string wanted = "an integer from " + std::to_string(min_seconds) +
                             " to " + std::to_string(kMaxSeconds);
  if (!value->is_number()) return WrongType(*value, wanted);
  const double d = value->get<double>();
  if (d != std::floor(d) || d < static_cast<double>(min_seconds) ||
      d > static_cast<double>(kMaxSeconds)) {
    return WrongType(*value, wanted);
  }
  return static_cast<int64_t>(d);
}

}  // namespace unum::asl
