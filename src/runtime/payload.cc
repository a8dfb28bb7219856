#include "runtime/payload.h"

#include "runtime/names.h"

namespace unum::runtime {

using nlohmann::json;

namespace {

// The member `key` of `object`, or nullptr: one lookup per field.
const json* Member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

Result<Payload> ParsePayload(const json& doc) {
  if (!doc.is_object()) {
    return Status::InvalidArgument("payload: expected a JSON object, got " +
                                   std::string(doc.type_name()));
  }
  Payload p;
  if (const json* session = Member(doc, "Session");
      session != nullptr && !session->is_null()) {
    const std::string* text = session->get_ptr<const std::string*>();
    if (text == nullptr || text->empty()) {
      return Status::InvalidArgument(
          "payload: Session: expected a non-empty string");
    }
    p.session = *text;
    UNUM_RETURN_IF_ERROR(
        ValidateSessionId(p.session).WithContext("payload: Session"));
  }
  const json* data = Member(doc, "Data");
  if (data == nullptr || !data->is_object()) {
    return Status::InvalidArgument(
        "payload: Data: missing (expected {\"Source\": ..., \"Value\": ...})");
  }
  bool inline_value = true;
  if (const json* source = Member(*data, "Source")) {
    const std::string* text = source->get_ptr<const std::string*>();
    if (text == nullptr) {
      return Status::InvalidArgument("payload: Data.Source: expected a string");
    }
    inline_value = *text == kSourceInline;
    if (!inline_value) p.fan_in = true;
  }
  static const json kNull;
  const json* found = Member(*data, "Value");
  const json& value = found != nullptr ? *found : kNull;
  if (inline_value) {
    p.value = value;
  } else {
    if (!value.is_array()) {
      return Status::InvalidArgument(
          "payload: Data.Value: a fan-in (Source \"" +
          data->at("Source").get<std::string>() +
          "\") needs the list of instance names");
    }
    p.sources.reserve(value.size());
    for (const json& v : value) {
      const std::string* name = v.get_ptr<const std::string*>();
      if (name == nullptr) {
        return Status::InvalidArgument(
            "payload: Data.Value: fan-in instance names must be strings");
      }
      p.sources.push_back(*name);
      UNUM_RETURN_IF_ERROR(
          ValidateInstanceName(p.sources.back())
              .WithContext("payload: Data.Value[" +
                           std::to_string(p.sources.size() - 1) + "]"));
    }
  }
  if (const json* fanout = Member(doc, "Fan-out")) {
    auto stack = ir::FanOutFromJson(*fanout);
    if (!stack.ok()) return stack.status().WithContext("payload");
    p.fanout = std::move(stack).value();
  }
  if (const json* gc = Member(doc, "GC"); gc != nullptr && !gc->is_null()) {
    const json* parent = gc->is_object() ? Member(*gc, "Parent") : nullptr;
    const json* children = gc->is_object() ? Member(*gc, "Children") : nullptr;
    if (parent == nullptr || !parent->is_string() || children == nullptr ||
        !children->is_number_integer() || children->get<int64_t>() < 1) {
      return Status::InvalidArgument(
          "payload: GC: expected {\"Parent\": name, \"Children\": n >= 1}");
    }
    p.gc = GcInfo{parent->get<std::string>(), children->get<int64_t>()};
    UNUM_RETURN_IF_ERROR(
        ValidateInstanceName(p.gc->parent).WithContext("payload: GC.Parent"));
  }
  if (const json* round = Member(doc, "Round")) {
    if (!round->is_number_integer() || round->get<int64_t>() < 0) {
      return Status::InvalidArgument(
          "payload: Round: expected a non-negative integer");
    }
    p.round = round->get<int64_t>();
  }
  if (const json* step = Member(doc, "Step");
      step != nullptr && !step->is_null()) {
    if (!step->is_object()) {
      return Status::InvalidArgument("payload: Step: expected an object");
    }
    p.step = *step;
  }
  return p;
}

namespace {

// The payload's JSON; `value` and `step` are the (moved or copied) values of
// p.value and p.step.
json Encode(const Payload& p, json value, json step) {
  json doc = json::object();
  json& data = doc["Data"];
  if (p.fan_in) {
    data["Source"] = kSourceDatastore;
    data["Value"] = p.sources;
  } else {
    data["Source"] = kSourceInline;
    data["Value"] = std::move(value);
  }
  if (!p.session.empty()) doc["Session"] = p.session;
  if (!p.fanout.empty()) doc["Fan-out"] = ir::FanOutToJson(p.fanout);
  if (p.gc) {
    json& gc = doc["GC"];
    gc["Parent"] = p.gc->parent;
    gc["Children"] = p.gc->children;
  }
  if (p.round > 0) doc["Round"] = p.round;
  if (step.is_object()) doc["Step"] = std::move(step);
  return doc;
}

}  // namespace

json ToJson(const Payload& p) {
  return Encode(p, p.fan_in ? json() : p.value,
                p.step.is_object() ? p.step : json());
}

json ToJson(Payload&& p) {
  return Encode(p, std::move(p.value), std::move(p.step));
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
