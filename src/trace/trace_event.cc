#include "trace/trace_event.h"

#include "common/json_text.h"

namespace unum::trace {

using nlohmann::json;

std::string EncodeTraceEvent(const TraceEvent& e) {
  json doc = {{"Instance", e.instance}, {"Function", e.function},
              {"Attempt", e.attempt},   {"Start", e.start_us},
              {"End", e.end_us},        {"Status", e.status},
              {"BytesIn", e.bytes_in},  {"BytesOut", e.bytes_out}};
  if (!e.error.empty()) doc["Error"] = e.error;
  if (!e.parent.empty()) doc["Parent"] = e.parent;
  if (!e.sources.empty()) doc["Sources"] = e.sources;
  if (e.input) doc["Input"] = *e.input;
  if (!e.input_head.empty()) doc["InputHead"] = e.input_head;
  if (e.output) doc["Output"] = *e.output;
  if (!e.output_head.empty()) doc["OutputHead"] = e.output_head;
  std::string text = ToJsonText(doc);
  // Splice the texts in as members: they are JSON already.
  for (const auto& [key, value] : {std::pair{"Input", &e.input_text},
                                   std::pair{"Output", &e.output_text}}) {
    if (value->empty() || doc.contains(key)) continue;
    text.pop_back();  // the closing brace
    text += std::string(",\"") + key + "\":" + *value + "}";
  }
  return text;
}

Result<TraceEvent> DecodeTraceEvent(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::DataLoss("trace event is not a JSON object");
  }
  TraceEvent e;
  auto str = [&](const char* field, std::string* out) -> Status {
    if (!doc.contains(field)) return Status::Ok();
    if (!doc[field].is_string()) {
      return Status::DataLoss(std::string("trace event field ") + field +
                              " is not a string");
    }
    *out = doc[field].get<std::string>();
    return Status::Ok();
  };
  auto num = [&](const char* field, int64_t* out) -> Status {
    if (!doc.contains(field)) return Status::Ok();
    if (!doc[field].is_number_integer()) {
      return Status::DataLoss(std::string("trace event field ") + field +
                              " is not an integer");
    }
    *out = doc[field].get<int64_t>();
    return Status::Ok();
  };
  if (!doc.contains("Instance")) {
    return Status::DataLoss("trace event has no Instance");
  }
  UNUM_RETURN_IF_ERROR(str("Instance", &e.instance));
  UNUM_RETURN_IF_ERROR(str("Function", &e.function));
  UNUM_RETURN_IF_ERROR(str("Status", &e.status));
  UNUM_RETURN_IF_ERROR(str("Error", &e.error));
  UNUM_RETURN_IF_ERROR(str("Parent", &e.parent));
  UNUM_RETURN_IF_ERROR(str("InputHead", &e.input_head));
  UNUM_RETURN_IF_ERROR(str("OutputHead", &e.output_head));
  int64_t attempt = 1;
  UNUM_RETURN_IF_ERROR(num("Attempt", &attempt));
  e.attempt = static_cast<int>(attempt);
  UNUM_RETURN_IF_ERROR(num("Start", &e.start_us));
  UNUM_RETURN_IF_ERROR(num("End", &e.end_us));
  UNUM_RETURN_IF_ERROR(num("BytesIn", &e.bytes_in));
  UNUM_RETURN_IF_ERROR(num("BytesOut", &e.bytes_out));
  if (doc.contains("Sources")) {
    if (!doc["Sources"].is_array()) {
      return Status::DataLoss("trace event field Sources is not an array");
    }
    for (const json& s : doc["Sources"]) {
      if (!s.is_string()) {
        return Status::DataLoss("trace event field Sources holds a non-string");
      }
      e.sources.push_back(s.get<std::string>());
    }
  }
  if (doc.contains("Input")) e.input = doc["Input"];
  if (doc.contains("Output")) e.output = doc["Output"];
  return e;
}

}  // namespace unum::trace
