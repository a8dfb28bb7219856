// What the web view shows of one session, as JSON for the page's script:
// the session's state and times, each instance's state and attempts, and
// each function's state for colouring the graph (done, failed, running,
// not reached). Pure functions of the trace (and the app, when known).
#ifndef UNUM_UI_SESSION_VIEW_H_
#define UNUM_UI_SESSION_VIEW_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/app.h"
#include "graph/graph_dot.h"
#include "trace/session_trace.h"

namespace unum::ui {

// Bytes of an input/output shown inline; the rest is behind a download.
inline constexpr size_t kPreviewBytes = 4096;

// {"session", "state", "start_us", "end_us", "deliveries", "error"?,
//  "instances": [{"instance", "function", "state", "attempts", "start_us",
//                 "end_us", "error"}],           (first start order)
//  "functions": {name: {"state", "instances", "done", "failed"}}}
// Instance state: done | failed | running (a failed attempt that will be
// retried while the session runs). Function state: done | failed |
// running | not_reached. `app` adds functions that never ran.
nlohmann::json SessionJson(const trace::SessionTrace& trace,
                           const app::App* app);

// Node colours and "2/3 done"-style notes for the graph, from the
// "functions" member of SessionJson.
graph::Decorations GraphDecorations(const nlohmann::json& session_json);

// One instance: {"instance", "function", "events": [{"attempt", "status",
// "start_us", "end_us", "error"}], "input": Part?, "output": Part?} where
// Part = {"preview": text, "bytes": full size, "truncated": bool,
// "kept_whole": bool}. nullopt when the instance is not in the trace.
std::optional<nlohmann::json> InstanceJson(const trace::SessionTrace& trace,
                                           const std::string& instance);

// The stored text of an instance's input or output ("input"/"output"):
// the whole JSON (pretty), or the first bytes the trace kept.
std::optional<std::string> InstancePayload(const trace::SessionTrace& trace,
                                           const std::string& instance,
                                           const std::string& which);

}  // namespace unum::ui

#endif  // UNUM_UI_SESSION_VIEW_H_
