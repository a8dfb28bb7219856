#include "runtime/payload.h"

#include "runtime/names.h"

namespace unum::runtime {

using nlohmann::json;

Result<Payload> ParsePayload(const json& doc) {
  if (!doc.is_object()) {
    return Status::InvalidArgument("payload: expected a JSON object, got " +
                                   std::string(doc.type_name()));
  }
  Payload p;
  if (doc.contains("Session") && !doc.at("Session").is_null()) {
    if (!doc.at("Session").is_string() ||
        doc.at("Session").get<std::string>().empty()) {
      return Status::InvalidArgument(
          "payload: Session: expected a non-empty string");
    }
    p.session = doc.at("Session").get<std::string>();
    UNUM_RETURN_IF_ERROR(
        ValidateSessionId(p.session).WithContext("payload: Session"));
  }
  if (!doc.contains("Data") || !doc.at("Data").is_object()) {
    return Status::InvalidArgument(
        "payload: Data: missing (expected {\"Source\": ..., \"Value\": ...})");
  }
  const json& data = doc.at("Data");
  std::string source = kSourceInline;
  if (data.contains("Source")) {
    if (!data.at("Source").is_string()) {
      return Status::InvalidArgument("payload: Data.Source: expected a string");
    }
    source = data.at("Source").get<std::string>();
  }
  static const json kNull;
  const auto value_it = data.find("Value");
  const json& value = value_it != data.end() ? *value_it : kNull;
  if (source == kSourceInline) {
    p.value = value;
  } else {
    p.fan_in = true;
    if (!value.is_array()) {
      return Status::InvalidArgument(
          "payload: Data.Value: a fan-in (Source \"" + source +
          "\") needs the list of instance names");
    }
    for (const json& v : value) {
      if (!v.is_string()) {
        return Status::InvalidArgument(
            "payload: Data.Value: fan-in instance names must be strings");
      }
      p.sources.push_back(v.get<std::string>());
      UNUM_RETURN_IF_ERROR(
          ValidateInstanceName(p.sources.back())
              .WithContext("payload: Data.Value[" +
                           std::to_string(p.sources.size() - 1) + "]"));
    }
  }
  if (doc.contains("Fan-out")) {
    auto stack = ir::FanOutFromJson(doc.at("Fan-out"));
    if (!stack.ok()) return stack.status().WithContext("payload");
    p.fanout = std::move(stack).value();
  }
  if (doc.contains("GC") && !doc.at("GC").is_null()) {
    const json& gc = doc.at("GC");
    if (!gc.is_object() || !gc.contains("Parent") ||
        !gc.at("Parent").is_string() || !gc.contains("Children") ||
        !gc.at("Children").is_number_integer() ||
        gc.at("Children").get<int64_t>() < 1) {
      return Status::InvalidArgument(
          "payload: GC: expected {\"Parent\": name, \"Children\": n >= 1}");
    }
    p.gc = GcInfo{gc.at("Parent").get<std::string>(),
                  gc.at("Children").get<int64_t>()};
    UNUM_RETURN_IF_ERROR(
        ValidateInstanceName(p.gc->parent).WithContext("payload: GC.Parent"));
  }
  if (doc.contains("Round")) {
    const json& round = doc.at("Round");
    if (!round.is_number_integer() || round.get<int64_t>() < 0) {
      return Status::InvalidArgument(
          "payload: Round: expected a non-negative integer");
    }
    p.round = round.get<int64_t>();
  }
  if (doc.contains("Step") && !doc.at("Step").is_null()) {
    if (!doc.at("Step").is_object()) {
      return Status::InvalidArgument("payload: Step: expected an object");
    }
    p.step = doc.at("Step");
  }
  return p;
}

json ToJson(const Payload& p) {
  json doc = json::object();
  if (p.fan_in) {
    doc["Data"] = {{"Source", kSourceDatastore}, {"Value", p.sources}};
  } else {
    doc["Data"] = {{"Source", kSourceInline}, {"Value", p.value}};
  }
  if (!p.session.empty()) doc["Session"] = p.session;
  if (!p.fanout.empty()) doc["Fan-out"] = ir::FanOutToJson(p.fanout);
  if (p.gc)
    doc["GC"] = {{"Parent", p.gc->parent}, {"Children", p.gc->children}};
  if (p.round > 0) doc["Round"] = p.round;
  if (p.step.is_object()) doc["Step"] = p.step;
  return doc;
}

std::string InstanceNameOf(const std::string& function,
                           const Payload& payload) {
  std::string name = ir::InstanceName(function, payload.fanout);
  if (payload.round > 0) name += "-unumRound-" + std::to_string(payload.round);
  return name;
}

json StartPayload(const json& input, const std::string& session) {
  Payload p;
  p.session = session;
  p.value = input;
  return ToJson(p);
}

}  // namespace unum::runtime
