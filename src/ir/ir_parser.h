// Reads one function's IR (`unum_config.json`, or `.yaml`) into an
// ir::FunctionConfig. Checks the shape of every field; errors are
// kInvalidArgument and name the file, the function and the field, e.g.
// `wordcount/mapper/unum_config.json: function "Mapper": Next[1].InputType:
// unknown edge type "Mapp" (expected Scalar, Map or {"Fan-in": ...})`.
//
// Expressions are checked for syntax here too (a Conditional that does not
// parse is a load error, not a run-time surprise).
#ifndef UNUM_IR_IR_PARSER_H_
#define UNUM_IR_IR_PARSER_H_

#include <string>

#include <nlohmann/json.hpp>

#include "unum/ir.h"
#include "unum/status.h"

namespace unum::ir {

// `file` is used in error messages only. `default_checkpoint` applies when
// the document has no Checkpoint field (the app template's Globals).
Result<FunctionConfig> ParseFunctionConfig(const nlohmann::json& doc,
                                           const std::string& file,
                                           bool default_checkpoint = true);

// Reads `path` (JSON, or YAML when it ends in .yaml/.yml) and parses it.
Result<FunctionConfig> LoadFunctionConfig(const std::string& path,
                                          bool default_checkpoint = true);

// Parses a YAML or JSON document into JSON (YAML scalars become strings,
// numbers or booleans as YAML 1.2 core schema resolves them).
Result<nlohmann::json> LoadYamlOrJson(const std::string& path);

}  // namespace unum::ir

#endif  // UNUM_IR_IR_PARSER_H_
