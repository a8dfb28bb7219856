#include "runtime/session_record.h"

#include "common/json_text.h"

namespace unum::runtime {

using nlohmann::json;

std::string EncodeSessionRecord(const SessionOutcome& o) {
  json doc;
  if (o.succeeded) {
    doc = {{"Status", "SUCCEEDED"},
           {"Result", o.result},
           {"Function", o.function},
           {"Instance", o.instance}};
  } else {
    doc = {{"Status", "FAILED"},
           {"Error",
            {{"Function", o.function},
             {"Instance", o.instance},
             {"Message", o.message},
             {"Attempts", o.attempts}}}};
    if (!o.error.empty()) {
      doc["Error"]["Name"] = o.error;
      doc["Error"]["Cause"] = o.cause;
    }
  }
  return ToJsonText(doc);
}

Result<SessionOutcome> DecodeSessionRecord(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("Status") ||
      !doc.at("Status").is_string()) {
    return Status::Internal("session record is not valid JSON: " +
                            text.substr(0, 200));
  }
  SessionOutcome o;
  const std::string status = doc.at("Status").get<std::string>();
  if (status == "SUCCEEDED") {
    o.succeeded = true;
    o.result = doc.value("Result", json(nullptr));
    o.function = doc.value("Function", "");
    o.instance = doc.value("Instance", "");
    return o;
  }
  if (status == "FAILED" && doc.contains("Error") &&
      doc.at("Error").is_object()) {
    const json& e = doc.at("Error");
    o.function = e.value("Function", "");
    o.instance = e.value("Instance", "");
    o.message = e.value("Message", "");
    o.attempts = e.value("Attempts", 0);
    o.error = e.value("Name", "");
    o.cause = e.value("Cause", "");
    return o;
  }
  return Status::Internal("session record has unknown Status \"" + status +
                          "\"");
}

}  // namespace unum::runtime
