// ChoiceRule parsing and evaluation.
#include "asl/dataflow/choice_rule.h"

#include <string>
#include <utility>

namespace unum::asl {
namespace {

using nlohmann::json;

enum class Category {
  kString,
  kMatches,
  kNumeric,
  kBoolean,
  kTimestamp,
  kTest
};

struct OpInfo {
  std::string_view name;
  ChoiceOp op;
  Category category;
  bool has_path_variant;
};

constexpr OpInfo kOps[] = {
    {"StringEquals", ChoiceOp::kStringEquals, Category::kString, true},
    {"StringLessThan", ChoiceOp::kStringLessThan, Category::kString, true},
    {"StringGreaterThan", ChoiceOp::kStringGreaterThan, Category::kString,
     true},
    {"StringLessThanEquals", ChoiceOp::kStringLessThanEquals, Category::kString,
     true},
    {"StringGreaterThanEquals", ChoiceOp::kStringGreaterThanEquals,
     Category::kString, true},
    {"StringMatches", ChoiceOp::kStringMatches, Category::kMatches, false},
    {"NumericEquals", ChoiceOp::kNumericEquals, Category::kNumeric, true},
    {"NumericLessThan", ChoiceOp::kNumericLessThan, Category::kNumeric, true},
    {"NumericGreaterThan", ChoiceOp::kNumericGreaterThan, Category::kNumeric,
     true},
    {"NumericLessThanEquals", ChoiceOp::kNumericLessThanEquals,
     Category::kNumeric, true},
    {"NumericGreaterThanEquals", ChoiceOp::kNumericGreaterThanEquals,
     Category::kNumeric, true},
    {"BooleanEquals", ChoiceOp::kBooleanEquals, Category::kBoolean, true},
    {"TimestampEquals", ChoiceOp::kTimestampEquals, Category::kTimestamp, true},
    {"TimestampLessThan", ChoiceOp::kTimestampLessThan, Category::kTimestamp,
     true},
    {"TimestampGreaterThan", ChoiceOp::kTimestampGreaterThan,
     Category::kTimestamp, true},
    {"TimestampLessThanEquals", ChoiceOp::kTimestampLessThanEquals,
     Category::kTimestamp, true},
    {"TimestampGreaterThanEquals", ChoiceOp::kTimestampGreaterThanEquals,
     Category::kTimestamp, true},
    {"IsNull", ChoiceOp::kIsNull, Category::kTest, false},
    {"IsPresent", ChoiceOp::kIsPresent, Category::kTest, false},
    {"IsNumeric", ChoiceOp::kIsNumeric, Category::kTest, false},
    {"IsString", ChoiceOp::kIsString, Category::kTest, false},
    {"IsBoolean", ChoiceOp::kIsBoolean, Category::kTest, false},
    {"IsTimestamp", ChoiceOp::kIsTimestamp, Category::kTest, false},
};

const OpInfo& InfoOf(ChoiceOp op) {
  for (const OpInfo& info : kOps) {
    if (info.op == op) return info;
  }
  return kOps[0];  // unreachable: every ChoiceOp is in kOps
}

// Finds the operator named `key` ("NumericEquals", "NumericEqualsPath").
const OpInfo* FindOp(std::string_view key, bool* is_path) {
  constexpr std::string_view kPath = "Path";
  for (const OpInfo& info : kOps) {
    if (key == info.name) {
      *is_path = false;
      return &info;
    }
    if (info.has_path_variant && key.size() == info.name.size() + 4 &&
        key.substr(0, info.name.size()) == info.name &&
        key.substr(info.name.size()) == kPath) {
      *is_path = true;
      return &info;
    }
  }
  return nullptr;
}

Status Bad(std::string_view where, std::string_view field,
           std::string_view problem) {
  return Status::InvalidArgument(std::string(where) + ": " +
                                 std::string(field) + ": " +
                                 std::string(problem));
}

Result<JsonPath> ParsePathField(const json& value, std::string_view where,
                                std::string_view field) {
  if (!value.is_string()) return Bad(where, field, "must be a string path");
  Result<JsonPath> path = JsonPath::Parse(value.get<std::string>());
  if (!path.ok()) return Bad(where, field, path.status().message());
  return path;
}

// Checks a literal operand's type for `category`.
Status CheckLiteral(Category category, const json& value,
                    std::string_view where, std::string_view field) {
  switch (category) {
    case Category::kString:
    case Category::kMatches:
      if (!value.is_string()) return Bad(where, field, "must be a string");
      break;
    case Category::kNumeric:
      if (!value.is_number()) return Bad(where, field, "must be a number");
      break;
    case Category::kBoolean:
    case Category::kTest:
      if (!value.is_boolean()) return Bad(where, field, "must be a boolean");
      break;
    case Category::kTimestamp:
      if (!value.is_string() ||
          !ParseTimestamp(value.get_ref<const std::string&>())) {
        return Bad(where, field, "must be an RFC 3339 timestamp string");
      }
      break;
  }
  return Status::Ok();
}

template <typename T>
bool Ordered(ChoiceOp op, const T& a, const T& b) {
  switch (op) {
    case ChoiceOp::kStringEquals:
    case ChoiceOp::kNumericEquals:
    case ChoiceOp::kTimestampEquals:
      return a == b;
    case ChoiceOp::kStringLessThan:
    case ChoiceOp::kNumericLessThan:
    case ChoiceOp::kTimestampLessThan:
      return a < b;
    case ChoiceOp::kStringGreaterThan:
    case ChoiceOp::kNumericGreaterThan:
    case ChoiceOp::kTimestampGreaterThan:
      return a > b;
    case ChoiceOp::kStringLessThanEquals:
    case ChoiceOp::kNumericLessThanEquals:
    case ChoiceOp::kTimestampLessThanEquals:
      return a <= b;
    case ChoiceOp::kStringGreaterThanEquals:
    case ChoiceOp::kNumericGreaterThanEquals:
    case ChoiceOp::kTimestampGreaterThanEquals:
      return a >= b;
    default:
      return false;
  }
}

bool Present(const JsonPath& path, const std::optional<json>& value) {
  return value && (path.is_definite() || !value->empty());
}

}  // namespace

Result<std::vector<std::string>> ParseStringPattern(std::string_view pattern) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*') {
      parts.emplace_back();
    } else if (c == '\\') {
      if (i + 1 < pattern.size() &&
          (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
        parts.back().push_back(pattern[++i]);
      } else {
        return Status::InvalidArgument(
            "a backslash must escape '*' or '\\' (offset " + std::to_string(i) +
            ")");
      }
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

bool MatchStringPattern(const std::vector<std::string>& parts,
                        std::string_view text) {
  if (parts.size() == 1) return text == parts[0];
  const std::string& first = parts.front();
  const std::string& last = parts.back();
  if (text.size() < first.size() + last.size() ||
      text.substr(0, first.size()) != first ||
      text.substr(text.size() - last.size()) != last) {
    return false;
  }
  // Leftmost matching of each middle part is optimal for '*'-only globs.
  std::string_view middle =
      text.substr(first.size(), text.size() - first.size() - last.size());
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    size_t at = middle.find(parts[i]);
    if (at == std::string_view::npos) return false;
    middle.remove_prefix(at + parts[i].size());
  }
  return true;
}

Result<ChoiceRule> ChoiceRule::Parse(const json& rule, std::string_view where,
                                     bool top_level) {
  if (!rule.is_object()) {
    return Status::InvalidArgument(std::string(where) +
                                   ": a Choice rule must be an object");
  }
  ChoiceRule out;
  const json* variable = nullptr;
  const json* boolean = nullptr;
  std::string boolean_name;
  const OpInfo* op = nullptr;
  std::string op_name;
  bool op_is_path = false;
  const json* operand = nullptr;
  bool has_next = false;
  for (const auto& [key, value] : rule.items()) {
    bool is_path = false;
    if (key == "Variable") {
      variable = &value;
    } else if (key == "Next") {
      if (!top_level) {
        return Bad(where, key, "a nested rule must not have Next");
      }
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        return Bad(where, key, "must be a non-empty string");
      }
      out.next_ = value.get<std::string>();
      has_next = true;
    } else if (key == "Comment") {
      if (!value.is_string()) return Bad(where, key, "must be a string");
    } else if (key == "And" || key == "Or" || key == "Not") {
      if (boolean || op) {
        return Bad(where, key,
                   "a rule has exactly one operator, also has \"" +
                       (boolean ? boolean_name : op_name) + "\"");
      }
      boolean = &value;
      boolean_name = key;
    } else if (const OpInfo* found = FindOp(key, &is_path)) {
      if (boolean || op) {
        return Bad(where, key,
                   "a rule has exactly one operator, also has \"" +
                       (boolean ? boolean_name : op_name) + "\"");
      }
      op = found;
      op_name = key;
      op_is_path = is_path;
      operand = &value;
    } else {
      return Bad(where, key, "unknown field");
    }
  }
  if (top_level && !has_next) {
    return Bad(where, "Next", "a top-level rule needs a Next");
  }
  if (boolean) {
    if (variable) {
      return Bad(where, "Variable", "not allowed with " + boolean_name);
    }
    std::string sub = std::string(where) + "." + boolean_name;
    if (boolean_name == "Not") {
      out.kind_ = Kind::kNot;
      Result<ChoiceRule> child = Parse(*boolean, sub, false);
      if (!child.ok()) return child.status();
      out.children_.push_back(std::move(child).value());
      return out;
    }
    out.kind_ = boolean_name == "And" ? Kind::kAnd : Kind::kOr;
    if (!boolean->is_array() || boolean->empty()) {
      return Bad(where, boolean_name, "must be a non-empty array of rules");
    }
    for (size_t i = 0; i < boolean->size(); ++i) {
      Result<ChoiceRule> child =
          Parse((*boolean)[i], sub + "[" + std::to_string(i) + "]", false);
      if (!child.ok()) return child.status();
      out.children_.push_back(std::move(child).value());
    }
    return out;
  }
  if (!op) {
    return Status::InvalidArgument(
        std::string(where) +
        ": a rule needs a comparison operator, And, Or or Not");
  }
  if (!variable) return Bad(where, "Variable", "missing");
  Result<JsonPath> var = ParsePathField(*variable, where, "Variable");
  if (!var.ok()) return var.status();
  out.kind_ = Kind::kComparison;
  out.op_ = op->op;
  out.variable_ = std::move(var).value();
  if (op_is_path) {
    Result<JsonPath> path = ParsePathField(*operand, where, op_name);
    if (!path.ok()) return path.status();
    out.operand_path_ = std::move(path).value();
    return out;
  }
  UNUM_RETURN_IF_ERROR(CheckLiteral(op->category, *operand, where, op_name));
  out.literal_ = *operand;
  if (op->category == Category::kMatches) {
    Result<std::vector<std::string>> parts =
        ParseStringPattern(operand->get_ref<const std::string&>());
    if (!parts.ok()) return Bad(where, op_name, parts.status().message());
    out.pattern_parts_ = std::move(parts).value();
  }
  return out;
}

bool ChoiceRule::uses_context() const {
  for (const ChoiceRule& child : children_) {
    if (child.uses_context()) return true;
  }
  return (variable_ && variable_->is_context()) ||
         (operand_path_ && operand_path_->is_context());
}

Outcome<bool> ChoiceRule::Evaluate(const json& input,
                                   const json& context) const {
  switch (kind_) {
    case Kind::kAnd:
    case Kind::kOr:
      for (const ChoiceRule& child : children_) {
        Outcome<bool> r = child.Evaluate(input, context);
        if (!r.ok()) return r;
        if (*r != (kind_ == Kind::kAnd)) return *r;
      }
      return kind_ == Kind::kAnd;
    case Kind::kNot: {
      Outcome<bool> r = children_[0].Evaluate(input, context);
      if (!r.ok()) return r;
      return !*r;
    }
    case Kind::kComparison:
      break;
  }
  std::optional<json> value = variable_->Evaluate(input, context);
  if (op_ == ChoiceOp::kIsPresent) {
    return Present(*variable_, value) == literal_.get<bool>();
  }
  if (!value) {
    return StatesError{kStatesRuntime,
                       "Invalid path '" + variable_->text() +
                           "': the Choice rule's Variable matches nothing"};
  }
  if (!operand_path_) return Compare(*value, literal_);
  std::optional<json> operand = operand_path_->Evaluate(input, context);
  if (!operand) {
    return StatesError{
        kStatesRuntime,
        "Invalid path '" + operand_path_->text() + "': the Choice rule's " +
            std::string(InfoOf(op_).name) + "Path matches nothing"};
  }
  return Compare(*value, *operand);
}

Outcome<bool> ChoiceRule::Compare(const json& value,
                                  const json& operand) const {
  switch (InfoOf(op_).category) {
    case Category::kString:
      if (!value.is_string() || !operand.is_string()) return false;
      return Ordered(op_, value.get_ref<const std::string&>(),
                     operand.get_ref<const std::string&>());
    case Category::kMatches:
      if (!value.is_string()) return false;
      return MatchStringPattern(pattern_parts_,
                                value.get_ref<const std::string&>());
    case Category::kNumeric:
      if (!value.is_number() || !operand.is_number()) return false;
      return Ordered(op_, value, operand);
    case Category::kBoolean:
      if (!value.is_boolean() || !operand.is_boolean()) return false;
      return value == operand;
    case Category::kTimestamp: {
      if (!value.is_string() || !operand.is_string()) return false;
      std::optional<Timestamp> a =
          ParseTimestamp(value.get_ref<const std::string&>());
      std::optional<Timestamp> b =
          ParseTimestamp(operand.get_ref<const std::string&>());
      if (!a || !b) return false;
      return Ordered(op_, *a, *b);
    }
    case Category::kTest:
      break;
  }
  bool test = false;
  switch (op_) {
    case ChoiceOp::kIsNull:
      test = value.is_null();
      break;
    case ChoiceOp::kIsNumeric:
      test = value.is_number();
      break;
    case ChoiceOp::kIsString:
      test = value.is_string();
      break;
    case ChoiceOp::kIsBoolean:
      test = value.is_boolean();
      break;
    case ChoiceOp::kIsTimestamp:
      test = value.is_string() &&
             ParseTimestamp(value.get_ref<const std::string&>()).has_value();
      break;
    default:
      break;
  }
  return test == operand.get<bool>();
}

}  // namespace unum::asl
