// One entry of a session trace: what one delivery of one instance did. The
// runtime's DeliveryObserver report, encoded as compact JSON and stored
// with Datastore::PutTraceEvent beside the session record.
//
//   {"Instance": "Mapper-unumIndex-2", "Function": "Mapper", "Attempt": 1,
//    "Start": <µs since epoch>, "End": <µs>, "Status": "ok",
//    "Error": "...", "BytesIn": 120, "BytesOut": 48,
//    "Parent": "Splitter", "Sources": [...],
//    "Input": <json> | "InputHead": "<first bytes of the text>",
//    "Output": <json> | "OutputHead": "..."}
//
// Input and output are kept whole up to a size limit; above it only the
// first bytes of their JSON text ("...Head"), with BytesIn/BytesOut telling
// the full size.
#ifndef UNUM_TRACE_TRACE_EVENT_H_
#define UNUM_TRACE_TRACE_EVENT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "unum/status.h"

namespace unum::trace {

struct TraceEvent {
  std::string instance;
  std::string function;
  int attempt = 1;
  int64_t start_us = 0;
  int64_t end_us = 0;
  std::string status;  // ok | failed | duplicate_skipped | lost_race
  std::string error;
  int64_t bytes_in = 0;
  int64_t bytes_out = 0;
  std::string parent;
  std::vector<std::string> sources;
  std::optional<nlohmann::json> input;  // whole, when small enough
  std::string input_head;               // else the first bytes
  std::optional<nlohmann::json> output;
  std::string output_head;
  // The recorder's cheap path: the whole input/output as JSON text, which
  // EncodeTraceEvent writes verbatim (instead of `input`/`output`) so a
  // payload is serialized once. Decoding fills `input`/`output`.
  std::string input_text;
  std::string output_text;
};

std::string EncodeTraceEvent(const TraceEvent& event);
// kDataLoss naming the field when `text` is not a trace event.
Result<TraceEvent> DecodeTraceEvent(const std::string& text);

}  // namespace unum::trace

#endif  // UNUM_TRACE_TRACE_EVENT_H_
