// Fuzz target: one function's IR document, as JSON and as YAML, through
// the parser and the app validator. Every input must give a config or an
// InvalidArgument error with a message; nothing may crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "ir/ir_parser.h"
#include "ir/ir_validator.h"
#include "ir/yaml_json.h"

namespace {

void CheckDocument(const unum::Result<nlohmann::json>& doc) {
  if (!doc.ok()) {
    FUZZ_CHECK(!doc.status().message().empty());
    return;
  }
  auto config = unum::ir::ParseFunctionConfig(*doc, "fuzz.json");
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == unum::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!config.status().message().empty());
    return;
  }
  FUZZ_CHECK(!config->name.empty());
  (void)unum::ir::ValidateApp({*config});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckDocument(unum::ParseJsonText(text, "fuzz.json"));
  CheckDocument(unum::ir::ParseYamlText(text, "fuzz.yaml"));
  return 0;
}
