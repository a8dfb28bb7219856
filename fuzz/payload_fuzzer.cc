// Fuzz target: the invocation payload envelope, from text. A payload that
// parses must survive a round trip through ToJson unchanged; one that does
// not must be rejected with InvalidArgument naming a field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "runtime/payload.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = unum::ParseJsonText(text, "payload");
  if (!doc.ok()) return 0;
  auto payload = unum::runtime::ParsePayload(*doc);
  if (!payload.ok()) {
    FUZZ_CHECK(payload.status().code() == unum::StatusCode::kInvalidArgument);
    FUZZ_CHECK(payload.status().message().rfind("payload", 0) == 0);
    return 0;
  }
  const nlohmann::json again = unum::runtime::ToJson(*payload);
  auto back = unum::runtime::ParsePayload(again);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->session == payload->session);
  FUZZ_CHECK(back->fan_in == payload->fan_in);
  FUZZ_CHECK(back->value == payload->value);
  FUZZ_CHECK(back->sources == payload->sources);
  FUZZ_CHECK(back->fanout == payload->fanout);
  FUZZ_CHECK(back->gc.has_value() == payload->gc.has_value());
  if (back->gc) {
    FUZZ_CHECK(back->gc->parent == payload->gc->parent);
    FUZZ_CHECK(back->gc->children == payload->gc->children);
  }
  // The text form parses back to the same document.
  auto reparsed = unum::ParseJsonText(again.dump(), "payload");
  FUZZ_CHECK(reparsed.ok() && *reparsed == again);
  return 0;
}
