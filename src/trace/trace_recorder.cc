#include "trace/trace_recorder.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "common/json_text.h"
#include "common/uuid.h"

namespace unum::trace {
namespace {

int64_t Micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             t.time_since_epoch())
      .count();
}

// Keeps `value`'s text whole when it fits, else its first bytes.
void Keep(const nlohmann::json& value, size_t max, int64_t* bytes,
          std::string* whole, std::string* head) {
  std::string text = ToJsonText(value);
  *bytes = static_cast<int64_t>(text.size());
  if (text.size() <= max) {
    *whole = std::move(text);
  } else {
    *head = text.substr(0, max);
  }
}

}  // namespace

TraceEvent MakeTraceEvent(const runtime::DeliveryReport& r,
                          const TraceOptions& options) {
  TraceEvent e;
  e.instance = r.instance;
  e.function = r.function;
  e.attempt = r.attempt;
  e.start_us = Micros(r.start);
  e.end_us = Micros(r.end);
  e.status = runtime::DeliveryOutcomeName(r.outcome);
  e.error = r.error;
  e.parent = r.parent;
  e.sources = r.sources;
  const size_t max = options.max_payload_bytes;
  if (r.input != nullptr) {
    Keep(*r.input, max, &e.bytes_in, &e.input_text, &e.input_head);
  } else if (r.payload != nullptr) {
    e.bytes_in = static_cast<int64_t>(ToJsonText(*r.payload).size());
  }
  if (r.output != nullptr && r.outcome != runtime::DeliveryOutcome::kFailed) {
    Keep(*r.output, max, &e.bytes_out, &e.output_text, &e.output_head);
  }
  return e;
}

void TraceRecorder::OnDelivery(const runtime::DeliveryReport& report) {
  if (report.session.empty()) return;
  const TraceEvent event = MakeTraceEvent(report, options_);
  // Start time first (ordered reads), then what makes the id unique.
  const std::string id =
      fmt::format("{:020d}/{}/{}/{}", event.start_us, event.instance,
                  event.attempt, NewUuid().substr(0, 8));
  Status s = store_->PutTraceEvent(report.session, id, EncodeTraceEvent(event));
  if (s.ok()) {
    ++written_;
  } else {
    ++failed_;
    spdlog::warn("trace event of {} not recorded: {}", report.instance,
                 s.ToString());
  }
}

}  // namespace unum::trace
