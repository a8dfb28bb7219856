// TraceRecorder: the DeliveryObserver that writes each delivery's trace
// event into the datastore (one PutTraceEvent per delivery). A failed
// write is logged and dropped: tracing never fails a delivery.
//
// Event ids start with the zero-padded start time, so a session's events
// read back (ordered by id) in start order.
//
// Thread-safety: OnDelivery may run on many threads at once.
#ifndef UNUM_TRACE_TRACE_RECORDER_H_
#define UNUM_TRACE_TRACE_RECORDER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/delivery_observer.h"
#include "trace/trace_event.h"
#include "unum/datastore.h"

namespace unum::trace {

struct TraceOptions {
  // Input/output JSON text longer than this is kept as its first bytes
  // only (a DynamoDB item holds 400 KB).
  size_t max_payload_bytes = 64 * 1024;
};

// The event for one report (pure; exposed for tests).
TraceEvent MakeTraceEvent(const runtime::DeliveryReport& report,
                          const TraceOptions& options);

class TraceRecorder : public runtime::DeliveryObserver {
 public:
  // Borrows `store`, which must outlive the recorder.
  explicit TraceRecorder(Datastore* store, TraceOptions options = {})
      : store_(store), options_(options) {}

  void OnDelivery(const runtime::DeliveryReport& report) override;

  int64_t written() const { return written_; }
  int64_t failed() const { return failed_; }

 private:
  Datastore* store_;
  TraceOptions options_;
  std::atomic<int64_t> written_{0};
  std::atomic<int64_t> failed_{0};
};

}  // namespace unum::trace

#endif  // UNUM_TRACE_TRACE_RECORDER_H_
