#include "runtime/session_record.h"

#include <limits>

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

namespace {

// Reads the optional string `field` of `obj` into `out`; an error names
// the field when it is there but not a string.
Status OptionalString(const json& obj, const char* field, std::string* out) {
  const auto it = obj.find(field);
  if (it == obj.end()) return Status::Ok();
  if (!it->is_string()) {
    return Status::Internal(std::string("session record field ") + field +
                            " is not a string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

}  // namespace

Result<SessionOutcome> DecodeSessionRecord(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("Status") ||
      !doc.at("Status").is_string()) {
    return Status::Internal("session record is not valid JSON: " +
                            ToJsonText(json(text.substr(0, 200))));
  }
  SessionOutcome o;
  const std::string status = doc.at("Status").get<std::string>();
  if (status == "SUCCEEDED") {
    o.succeeded = true;
    o.result = doc.value("Result", json(nullptr));
    UNUM_RETURN_IF_ERROR(OptionalString(doc, "Function", &o.function));
    UNUM_RETURN_IF_ERROR(OptionalString(doc, "Instance", &o.instance));
    return o;
  }
  if (status == "FAILED" && doc.contains("Error") &&
      doc.at("Error").is_object()) {
    const json& e = doc.at("Error");
    UNUM_RETURN_IF_ERROR(OptionalString(e, "Function", &o.function));
    UNUM_RETURN_IF_ERROR(OptionalString(e, "Instance", &o.instance));
    UNUM_RETURN_IF_ERROR(OptionalString(e, "Message", &o.message));
    UNUM_RETURN_IF_ERROR(OptionalString(e, "Name", &o.error));
    UNUM_RETURN_IF_ERROR(OptionalString(e, "Cause", &o.cause));
    if (const auto a = e.find("Attempts"); a != e.end()) {
      if (!a->is_number_integer() || a->get<int64_t>() < 0 ||
          a->get<int64_t>() > std::numeric_limits<int>::max()) {
        return Status::Internal("session record field Attempts is not a count");
      }
      o.attempts = static_cast<int>(a->get<int64_t>());
    }
    return o;
  }
  return Status::Internal("session record has unknown Status " +
                          ToJsonText(json(status)));
}

}  // namespace unum::runtime
