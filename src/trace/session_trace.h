// A session as the tools see it (`unum trace`, `unum sessions`, `unum ui`):
// its trace events in start order, its session record if written, and what
// follows from them (state, times, the critical path).
#ifndef UNUM_TRACE_SESSION_TRACE_H_
#define UNUM_TRACE_SESSION_TRACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/session_record.h"
#include "trace/trace_event.h"
#include "unum/datastore.h"

namespace unum::trace {

enum class SessionState { kRunning, kSucceeded, kFailed };
const char* SessionStateName(SessionState state);  // RUNNING, ...

struct SessionTrace {
  std::string session;
  std::vector<TraceEvent> events;  // ordered by start time
  std::optional<runtime::SessionOutcome> outcome;
  SessionState state = SessionState::kRunning;
  int64_t start_us = 0;  // first event's start (0: no events)
  int64_t end_us = 0;    // last event's end
};

// Reads the session's record and trace events. kNotFound "no session ..."
// when it has neither; kDataLoss when a stored event is not one.
Result<SessionTrace> LoadSessionTrace(Datastore& store,
                                      const std::string& session);

// Indexes into `trace.events` from the first delivery to the last
// finished one: from the instance that ended last (the one that wrote the
// session record, when known), each step back goes to the parent or, for a
// fan-in, the source that finished last. Only ok/lost_race deliveries.
std::vector<size_t> CriticalPath(const SessionTrace& trace);

// The `unum trace` table: a header line, one line per delivery in start
// order (offset, duration, status, attempt, instance, error) and the
// critical path.
std::string FormatTraceTable(const SessionTrace& trace);

// A Gantt chart as SVG text: one bar per delivery coloured by status, and
// above it the number of deliveries running at once (the fan-out width).
std::string TraceSvg(const SessionTrace& trace);

// `unum sessions`: one line per session, newest first.
std::string FormatSessionList(const std::vector<SessionTrace>& sessions);

}  // namespace unum::trace

#endif  // UNUM_TRACE_SESSION_TRACE_H_
