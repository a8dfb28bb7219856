// `unum ui`: a small read-only web view of a datastore's sessions, served
// by cpp-httplib on loopback by default. Every asset (HTML, JS, CSS) is
// compiled into the binary. Routes (all GET):
//
//   /, /app.js, /style.css                    the page
//   /api/sessions                             sessions, newest first
//   /api/sessions/ID                          SessionJson
//   /api/sessions/ID/graph.svg                the app's graph, coloured
//   /api/sessions/ID/timeline.svg             the trace's Gantt chart
//   /api/sessions/ID/instances/NAME           InstanceJson
//   /api/sessions/ID/instances/NAME/input     the kept input (download)
//   /api/sessions/ID/instances/NAME/output    the kept output (download)
//
// Errors are JSON {"error": "..."}: 404 unknown session or instance, 503
// datastore unreachable, 500 anything else.
#ifndef UNUM_UI_UI_SERVER_H_
#define UNUM_UI_UI_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/app.h"
#include "unum/datastore.h"
#include "unum/status.h"

namespace unum::ui {

struct UiOptions {
  std::string host = "127.0.0.1";
  int port = 8080;              // 0: any free port
  std::optional<app::App> app;  // draws the graph when set
};

// Serves until the process is stopped. `on_listening` gets the URL once
// the socket is bound. kUnavailable when the address cannot be bound.
Status ServeUi(Datastore* store, const UiOptions& options,
               const std::function<void(const std::string& url)>& on_listening);

}  // namespace unum::ui

#endif  // UNUM_UI_UI_SERVER_H_
