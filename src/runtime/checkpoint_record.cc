#include "runtime/checkpoint_record.h"

#include "common/json_text.h"

namespace unum::runtime {

using nlohmann::json;

std::string EncodeCheckpoint(const json& output, int64_t children) {
  // The library serialises the output (ToJsonText: a C++ function's output
  // may hold strings that are not UTF-8, which json::dump would throw on);
  // only the fixed two-member frame around it is written here.
  std::string text = "{\"Children\":";
  text += std::to_string(children);
  text += ",\"Output\":";
  text += ToJsonText(output);
  text += '}';
  return text;
}

Result<CheckpointRecord> DecodeCheckpoint(const std::string& instance,
                                          const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::DataLoss("checkpoint of \"" + instance +
                            "\" is not a valid record");
  }
  const auto output = doc.find("Output");
  if (output == doc.end()) {
    return Status::DataLoss("checkpoint of \"" + instance +
                            "\" is not a valid record");
  }
  CheckpointRecord r;
  const auto children = doc.find("Children");
  if (children != doc.end()) {
    if (!children->is_number_integer()) {
      return Status::DataLoss("checkpoint of \"" + instance +
                              "\" has Children that is not an integer");
    }
    r.children = children->get<int64_t>();
  }
  r.output = std::move(*output);
  return r;
}

}  // namespace unum::runtime
