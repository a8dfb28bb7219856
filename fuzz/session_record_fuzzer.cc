// Fuzz target: a session record as read back from a datastore
// (DecodeSessionRecord, what `unum run`, `unum ui` and the hosts read).
// A record that decodes encodes to a canonical record that decodes to the
// same outcome; one that does not is an error. Nothing throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "runtime/session_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using unum::runtime::DecodeSessionRecord;
  using unum::runtime::EncodeSessionRecord;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto outcome = DecodeSessionRecord(text);
  if (!outcome.ok()) {
    FUZZ_CHECK(outcome.status().code() == unum::StatusCode::kInternal);
    FUZZ_CHECK(outcome.status().message().rfind("session record", 0) == 0);
    return 0;
  }
  const std::string canonical = EncodeSessionRecord(*outcome);
  auto back = DecodeSessionRecord(canonical);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->succeeded == outcome->succeeded);
  FUZZ_CHECK(back->function == outcome->function);
  FUZZ_CHECK(back->instance == outcome->instance);
  FUZZ_CHECK(back->message == outcome->message);
  FUZZ_CHECK(back->attempts == outcome->attempts);
  FUZZ_CHECK(unum::ToJsonText(back->result) ==
             unum::ToJsonText(outcome->result));
  FUZZ_CHECK(EncodeSessionRecord(*back) == canonical);
  return 0;
}
