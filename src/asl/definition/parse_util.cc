// FieldReader: typed reads of definition fields with located errors.
#include "asl/definition/parse_util.h"

#include <limits>

namespace unum::asl {

using nlohmann::json;

std::string TypeOf(const OJson& v) {
  if (v.is_number()) return "number";
  return v.type_name();
}

bool FieldReader::Has(std::string_view key) const {
  return Get(key) != nullptr;
}

const OJson* FieldReader::Get(std::string_view key) const {
  auto it = object_.find(std::string(key));
  return it == object_.end() ? nullptr : &*it;
}

Result<std::optional<std::string>> FieldReader::String(
    std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) {
    return Error(key, "must be a string, got " + TypeOf(*v));
  }
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<bool>> FieldReader::Bool(std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) {
    return Error(key, "must be a boolean, got " + TypeOf(*v));
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<int64_t>> FieldReader::Integer(std::string_view key,
                                                    int64_t min) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<int64_t>();
  std::string want = min == 1   ? "a positive integer"
                     : min == 0 ? "a non-negative integer"
                                : "an integer >= " + std::to_string(min);
  if (!v->is_number_integer()) {
    return Error(key, "must be " + want + ", got " +
                          (v->is_number() ? v->dump() : TypeOf(*v)));
  }
  if (v->is_number_unsigned() &&
      v->get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Error(key, "must be " + want + ", got " + v->dump());
  }
  int64_t n = v->get<int64_t>();
  if (n < min) return Error(key, "must be " + want + ", got " + v->dump());
  return std::optional<int64_t>(n);
}

Result<std::optional<double>> FieldReader::Number(std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<double>();
  if (!v->is_number()) {
    return Error(key, "must be a number, got " + TypeOf(*v));
  }
  return std::optional<double>(v->get<double>());
}

Result<std::optional<std::string>> FieldReader::Path(
    std::string_view key) const {
  UNUM_ASSIGN_OR_RETURN(std::optional<std::string> s, String(key));
  if (s && (s->empty() || (*s)[0] != '$')) {
    return Error(key, "must be a path starting with '$', got \"" + *s + "\"");
  }
  return s;
}

Result<std::optional<json>> FieldReader::NullablePath(
    std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<json>();
  if (v->is_null()) return std::optional<json>(json(nullptr));
  if (!v->is_string()) {
    return Error(key, "must be a path string or null, got " + TypeOf(*v));
  }
  UNUM_ASSIGN_OR_RETURN(std::optional<std::string> s, Path(key));
  return std::optional<json>(json(*s));
}

Result<std::optional<json>> FieldReader::Template(std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<json>();
  if (!v->is_object()) {
    return Error(key, "must be a JSON object, got " + TypeOf(*v));
  }
  return std::optional<json>(json(*v));
}

std::optional<json> FieldReader::Raw(std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::nullopt;
  return json(*v);
}

Result<std::optional<std::vector<std::string>>> FieldReader::StringList(
    std::string_view key) const {
  const OJson* v = Get(key);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  if (!v->is_array() || v->empty()) {
    return Error(key, "must be a non-empty array of strings, got " +
                          (v->is_array() ? std::string("[]") : TypeOf(*v)));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      return Error(std::string(key) + "[" + std::to_string(i) + "]",
                   "must be a string, got " + TypeOf((*v)[i]));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Status CheckQueryLanguage(const FieldReader& fields) {
  UNUM_ASSIGN_OR_RETURN(std::optional<std::string> lang,
                        fields.String("QueryLanguage"));
  if (!lang || *lang == "JSONPath") return Status::Ok();
  if (*lang == "JSONata") {
    return fields.Error("QueryLanguage",
                        "JSONata is not supported (only JSONPath)");
  }
  return fields.Error("QueryLanguage",
                      "must be \"JSONPath\" or \"JSONata\", "
                      "got \"" +
                          *lang + "\"");
}

}  // namespace unum::asl
