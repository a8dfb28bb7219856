#include "platform/redis/stream_entry.h"

#include <limits>

namespace unum {

using nlohmann::json;

namespace {

// The optional integer `field` of `env` in [lo, int max] into `out`.
Status Count(const json& env, const char* field, int64_t lo, int* out) {
  const auto it = env.find(field);
  if (it == env.end()) return Status::Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < lo ||
      it->get<int64_t>() > std::numeric_limits<int>::max()) {
    return Status::InvalidArgument(
        std::string("\"") + field +
        "\" is not an integer >= " + std::to_string(lo));
  }
  *out = static_cast<int>(it->get<int64_t>());
  return Status::Ok();
}

}  // namespace

Result<StreamEntry> DecodeStreamEntry(std::string_view body) {
  json env = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (env.is_discarded() || !env.is_object()) {
    return Status::InvalidArgument("not a JSON object");
  }
  const auto f = env.find("f");
  if (f == env.end() || !f->is_string()) {
    return Status::InvalidArgument("\"f\" (the function) is not a string");
  }
  const auto p = env.find("p");
  if (p == env.end()) {
    return Status::InvalidArgument("no \"p\" (the payload)");
  }
  StreamEntry e;
  UNUM_RETURN_IF_ERROR(Count(env, "a", 1, &e.attempt));
  UNUM_RETURN_IF_ERROR(Count(env, "r", 0, &e.infra_retries));
  e.function = f->get<std::string>();
  e.payload = std::move(*p);
  return e;
}

}  // namespace unum
