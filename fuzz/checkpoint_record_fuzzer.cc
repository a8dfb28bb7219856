// Fuzz target: a checkpoint record as read back from a datastore
// (DecodeCheckpoint). A record that decodes encodes again to one that
// decodes to the same output and children; one that does not is DataLoss
// naming the instance. Nothing throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "runtime/checkpoint_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using unum::runtime::DecodeCheckpoint;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto record = DecodeCheckpoint("Fn-unumIndex-1", text);
  if (!record.ok()) {
    FUZZ_CHECK(record.status().code() == unum::StatusCode::kDataLoss);
    FUZZ_CHECK(record.status().message().find("\"Fn-unumIndex-1\"") !=
               std::string::npos);
    return 0;
  }
  const std::string again =
      unum::runtime::EncodeCheckpoint(record->output, record->children);
  auto back = DecodeCheckpoint("Fn-unumIndex-1", again);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->children == record->children);
  // Compared as text: a number too large for a double reads as infinity,
  // which JSON writes as null.
  FUZZ_CHECK(unum::ToJsonText(back->output) ==
             unum::ToJsonText(record->output));
  FUZZ_CHECK(unum::runtime::EncodeCheckpoint(back->output, back->children) ==
             again);
  return 0;
}
