// Fuzz target: a trace event as read back from a datastore
// (DecodeTraceEvent, what `unum trace` and `unum ui` read). An event that
// decodes encodes to a canonical event that decodes to the same fields;
// one that does not is DataLoss. Nothing throws.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "trace/trace_event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using unum::trace::DecodeTraceEvent;
  using unum::trace::EncodeTraceEvent;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto event = DecodeTraceEvent(text);
  if (!event.ok()) {
    FUZZ_CHECK(event.status().code() == unum::StatusCode::kDataLoss);
    FUZZ_CHECK(event.status().message().rfind("trace event", 0) == 0);
    return 0;
  }
  const std::string canonical = EncodeTraceEvent(*event);
  auto back = DecodeTraceEvent(canonical);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->instance == event->instance);
  FUZZ_CHECK(back->function == event->function);
  FUZZ_CHECK(back->status == event->status);
  FUZZ_CHECK(back->error == event->error);
  FUZZ_CHECK(back->attempt == event->attempt);
  FUZZ_CHECK(back->start_us == event->start_us);
  FUZZ_CHECK(back->end_us == event->end_us);
  FUZZ_CHECK(back->sources == event->sources);
  FUZZ_CHECK(back->input.has_value() == event->input.has_value());
  FUZZ_CHECK(EncodeTraceEvent(*back) == canonical);
  return 0;
}
