#include "ir/yaml_json.h"

#include <yaml-cpp/depthguard.h>

#include <cstdint>
#include <string>

#include "common/json_text.h"

namespace unum::ir {
namespace {

using nlohmann::json;

json ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted: always a string
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s == "null" || s == "~" || s.empty()) return nullptr;
  int64_t i;
  if (YAML::convert<int64_t>::decode(node, i) &&
      s.find_first_of(".eE") == std::string::npos) {
    return i;
  }
  double d;
  if (s.find_first_of("0123456789") != std::string::npos &&
      YAML::convert<double>::decode(node, d)) {
    return d;
  }
  return s;
}

class Converter {
 public:
  explicit Converter(std::string_view what) : what_(what) {}

  Result<json> Convert(const YAML::Node& node, size_t depth) {
    if (++nodes_ > kMaxYamlNodes) {
      return Status::InvalidArgument(
          std::string(what_) + ": YAML expands to more than " +
          std::to_string(kMaxYamlNodes) + " nodes (aliases included)");
    }
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return json(nullptr);
      case YAML::NodeType::Scalar:
        if (!IsValidUtf8(node.Scalar())) return NotUtf8(node);
        return ScalarToJson(node);
      case YAML::NodeType::Sequence:
      case YAML::NodeType::Map:
        break;
    }
    if (depth >= kMaxJsonDepth) {
      return Status::InvalidArgument(std::string(what_) + ": line " +
                                     std::to_string(node.Mark().line + 1) +
                                     ": YAML nested deeper than " +
                                     std::to_string(kMaxJsonDepth) + " levels");
    }
    if (node.IsSequence()) {
      json a = json::array();
      for (const auto& item : node) {
        UNUM_ASSIGN_OR_RETURN(json v, Convert(item, depth + 1));
        a.push_back(std::move(v));
      }
      return a;
    }
    json o = json::object();
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) {
        return Status::InvalidArgument(
            std::string(what_) + ": line " +
            std::to_string(kv.first.Mark().line + 1) +
            ": a mapping key must be a plain value, not a list or mapping");
      }
      if (!IsValidUtf8(kv.first.Scalar())) return NotUtf8(kv.first);
      UNUM_ASSIGN_OR_RETURN(json v, Convert(kv.second, depth + 1));
      o[kv.first.Scalar()] = std::move(v);
    }
    return o;
  }

 private:
  Status NotUtf8(const YAML::Node& node) const {
    return Status::InvalidArgument(std::string(what_) + ": line " +
                                   std::to_string(node.Mark().line + 1) +
                                   ": text is not valid UTF-8");
  }

  std::string_view what_;
  size_t nodes_ = 0;
};

}  // namespace

Result<json> YamlToJson(const YAML::Node& root, std::string_view what) {
  try {
    return Converter(what).Convert(root, 0);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string(what) + ": line " +
                                   std::to_string(e.mark.line + 1) +
                                   ": invalid YAML: " + e.msg);
  }
}

Result<json> ParseYamlText(std::string_view text, std::string_view what) {
  try {
    return YamlToJson(YAML::Load(std::string(text)), what);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (its message is only "bad file").
    return Status::InvalidArgument(std::string(what) + ": line " +
                                   std::to_string(e.mark.line + 1) +
                                   ": YAML nested too deeply for the parser");
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string(what) + ": line " +
                                   std::to_string(e.mark.line + 1) +
                                   ": invalid YAML: " + e.msg);
  }
}

}  // namespace unum::ir
