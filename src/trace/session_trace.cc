#include "trace/session_trace.h"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>
#include <map>

namespace unum::trace {
namespace {

bool Finished(const TraceEvent& e) {
  return e.status == "ok" || e.status == "lost_race";
}

std::string Ms(int64_t us) { return fmt::format("{:.1f}", us / 1000.0); }

std::string UtcTime(int64_t us) {
  if (us <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

const char* SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::kRunning:
      return "RUNNING";
    case SessionState::kSucceeded:
      return "SUCCEEDED";
    case SessionState::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

Result<SessionTrace> LoadSessionTrace(Datastore& store,
                                      const std::string& session) {
  SessionTrace t;
  t.session = session;
  UNUM_ASSIGN_OR_RETURN(Lookup record, store.GetSessionRecord(session));
  UNUM_ASSIGN_OR_RETURN(std::vector<std::string> texts,
                        store.GetTraceEvents(session));
  if (!record.present() && texts.empty()) {
    return Status::NotFound("no session \"" + session +
                            "\" in this store (no session record, no trace)");
  }
  if (record.present()) {
    UNUM_ASSIGN_OR_RETURN(runtime::SessionOutcome outcome,
                          runtime::DecodeSessionRecord(record.value));
    t.state =
        outcome.succeeded ? SessionState::kSucceeded : SessionState::kFailed;
    t.outcome = std::move(outcome);
  }
  for (const std::string& text : texts) {
    auto e = DecodeTraceEvent(text);
    if (!e.ok()) return e.status().WithContext("session " + session);
    t.events.push_back(std::move(e).value());
  }
  std::stable_sort(t.events.begin(), t.events.end(),
                   [](const TraceEvent& a, const TraceEvent& b) {
                     return a.start_us < b.start_us;
                   });
  for (const TraceEvent& e : t.events) {
    if (t.start_us == 0 || e.start_us < t.start_us) t.start_us = e.start_us;
    t.end_us = std::max(t.end_us, e.end_us);
  }
  return t;
}

std::vector<size_t> CriticalPath(const SessionTrace& trace) {
  // The finished delivery of each instance (the first to finish).
  std::map<std::string, size_t> done;
  for (size_t i = 0; i < trace.events.size(); ++i) {
    const TraceEvent& e = trace.events[i];
    if (!Finished(e)) continue;
    auto it = done.find(e.instance);
    if (it == done.end() || e.end_us < trace.events[it->second].end_us) {
      done[e.instance] = i;
    }
  }
  if (done.empty()) return {};
  size_t last = done.begin()->second;
  for (const auto& [instance, i] : done) {
    if (trace.events[i].end_us > trace.events[last].end_us) last = i;
  }
  if (trace.outcome && done.contains(trace.outcome->instance)) {
    last = done[trace.outcome->instance];
  }
  std::vector<size_t> path{last};
  while (path.size() <= done.size()) {
    const TraceEvent& e = trace.events[path.back()];
    std::optional<size_t> prev;
    if (!e.sources.empty()) {
      for (const std::string& s : e.sources) {
        auto it = done.find(s);
        if (it == done.end()) continue;
        if (!prev ||
            trace.events[it->second].end_us > trace.events[*prev].end_us) {
          prev = it->second;
        }
      }
    } else if (auto it = done.find(e.parent); it != done.end()) {
      prev = it->second;
    }
    if (!prev) break;
    path.push_back(*prev);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::string FormatTraceTable(const SessionTrace& t) {
  std::string out = fmt::format("session {}  {}  {} deliveries  {} ms\n",
                                t.session, SessionStateName(t.state),
                                t.events.size(), Ms(t.end_us - t.start_us));
  if (t.outcome && !t.outcome->succeeded) {
    out += fmt::format("failed in {}: {}\n", t.outcome->instance,
                       t.outcome->message);
  }
  out += fmt::format("{:>10}  {:>10}  {:<17}  {:>7}  {}\n", "start ms",
                     "took ms", "status", "attempt", "instance");
  for (const TraceEvent& e : t.events) {
    out += fmt::format("{:>10}  {:>10}  {:<17}  {:>7}  {}",
                       Ms(e.start_us - t.start_us), Ms(e.end_us - e.start_us),
                       e.status, e.attempt, e.instance);
    if (!e.error.empty()) out += "  error: " + e.error;
    out += "\n";
  }
  const std::vector<size_t> path = CriticalPath(t);
  if (!path.empty()) {
    const TraceEvent& first = t.events[path.front()];
    const TraceEvent& last = t.events[path.back()];
    out +=
        fmt::format("critical path ({} ms):", Ms(last.end_us - first.start_us));
    for (size_t i = 0; i < path.size(); ++i) {
      out += (i == 0 ? " " : " -> ") + t.events[path[i]].instance;
    }
    out += "\n";
  }
  return out;
}

std::string FormatSessionList(const std::vector<SessionTrace>& sessions) {
  std::vector<const SessionTrace*> order;
  for (const SessionTrace& s : sessions) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](const SessionTrace* a, const SessionTrace* b) {
                     return a->start_us > b->start_us;
                   });
  std::string out =
      fmt::format("{:<19}  {:<9}  {:>10}  {:>10}  {}\n", "started (UTC)",
                  "status", "took ms", "deliveries", "session");
  for (const SessionTrace* s : order) {
    out += fmt::format(
        "{:<19}  {:<9}  {:>10}  {:>10}  {}\n", UtcTime(s->start_us),
        SessionStateName(s->state),
        s->events.empty() ? std::string("-") : Ms(s->end_us - s->start_us),
        s->events.size(), s->session);
  }
  return out;
}

}  // namespace unum::trace
