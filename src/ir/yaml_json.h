// Converting a parsed YAML document to JSON, as the IR and app templates
// are read: scalars become strings, numbers, booleans or null as the YAML
// 1.2 core schema resolves them; quoted scalars stay strings.
//
// Limits protect the process from hostile documents: nesting deeper than
// kMaxJsonDepth, and alias expansion ("billion laughs") beyond
// kMaxYamlNodes nodes, are errors rather than a stack overflow or an
// exhausted memory.
#ifndef UNUM_IR_YAML_JSON_H_
#define UNUM_IR_YAML_JSON_H_

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

#include "unum/status.h"

namespace unum::ir {

// Most nodes one document may expand to (aliases counted each time used).
inline constexpr size_t kMaxYamlNodes = 1'000'000;

// `what` names the document in errors ("app/unum-template.yaml").
Result<nlohmann::json> YamlToJson(const YAML::Node& root,
                                  std::string_view what);

// Parses YAML `text` and converts it; errors give the line.
Result<nlohmann::json> ParseYamlText(std::string_view text,
                                     std::string_view what);

}  // namespace unum::ir

#endif  // UNUM_IR_YAML_JSON_H_
