// Fuzz target: an entry of the redis:// platform's stream, as a worker
// reads it (DecodeStreamEntry). Anyone who can write to the server can add
// one. An entry that decodes encodes again to the same invocation; one
// that does not is InvalidArgument (the worker dead-letters it). Nothing
// throws.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "platform/redis/stream_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto entry = unum::DecodeStreamEntry(body);
  if (!entry.ok()) {
    FUZZ_CHECK(entry.status().code() == unum::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(entry->attempt >= 1);
  FUZZ_CHECK(entry->infra_retries >= 0);
  // As the worker writes it back (a retry, with its attempt).
  const nlohmann::json next = {{"f", entry->function},
                               {"a", entry->attempt},
                               {"p", entry->payload},
                               {"r", entry->infra_retries}};
  auto back = unum::DecodeStreamEntry(unum::ToJsonText(next));
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->function == entry->function);
  FUZZ_CHECK(back->attempt == entry->attempt);
  FUZZ_CHECK(back->infra_retries == entry->infra_retries);
  FUZZ_CHECK(unum::ToJsonText(back->payload) ==
             unum::ToJsonText(entry->payload));
  return 0;
}
