#include "ui/ui_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>

#include "graph/graph_dot.h"
#include "graph/graphviz.h"
#include "trace/session_trace.h"
#include "ui/session_view.h"
#include "ui/web_assets.h"

namespace unum::ui {
namespace {

using nlohmann::json;

void SendError(httplib::Response& res, const Status& s) {
  int code = 500;
  std::string message = s.message();
  if (s.IsNotFound()) {
    code = 404;
  } else if (s.IsUnavailable()) {
    code = 503;
    message = "the datastore is unreachable: " + message;
  }
  res.status = code;
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

void SendJson(httplib::Response& res, const json& body) {
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json");
}

class Handlers {
 public:
  Handlers(Datastore* store, const UiOptions& options)
      : store_(store), options_(options) {}

  void Sessions(httplib::Response& res) {
    auto ids = store_->ListSessions();
    if (!ids.ok()) return SendError(res, ids.status());
    std::vector<trace::SessionTrace> sessions;
    for (const std::string& id : *ids) {
      auto t = trace::LoadSessionTrace(*store_, id);
      if (!t.ok()) return SendError(res, t.status());
      sessions.push_back(std::move(t).value());
    }
    std::stable_sort(
        sessions.begin(), sessions.end(),
        [](const auto& a, const auto& b) { return a.start_us > b.start_us; });
    json list = json::array();
    for (const auto& s : sessions) {
      int failed = 0;
      for (const auto& e : s.events) failed += e.status == "failed";
      list.push_back({{"session", s.session},
                      {"state", trace::SessionStateName(s.state)},
                      {"start_us", s.start_us},
                      {"end_us", s.end_us},
                      {"deliveries", s.events.size()},
                      {"failed_deliveries", failed}});
    }
    SendJson(res, json{{"sessions", list},
                       {"app", options_.app ? options_.app->name : ""}});
  }

  void Session(const std::string& id, httplib::Response& res) {
    auto t = trace::LoadSessionTrace(*store_, id);
    if (!t.ok()) return SendError(res, t.status());
    json body = SessionJson(*t, options_.app ? &*options_.app : nullptr);
    body["has_graph"] = options_.app.has_value();
    SendJson(res, body);
  }

  void Graph(const std::string& id, httplib::Response& res) {
    if (!options_.app) {
      return SendError(res, Status::NotFound("no graph: start unum ui with "
                                             "--app APP_DIR to draw it"));
    }
    auto t = trace::LoadSessionTrace(*store_, id);
    if (!t.ok()) return SendError(res, t.status());
    const json view = SessionJson(*t, &*options_.app);
    auto svg = graph::RenderDot(
        graph::AppToDot(*options_.app, GraphDecorations(view)), "svg");
    if (!svg.ok()) return SendError(res, svg.status());
    res.set_header("Cache-Control", "no-store");
    res.set_content(*svg, "image/svg+xml");
  }

  void Timeline(const std::string& id, httplib::Response& res) {
    auto t = trace::LoadSessionTrace(*store_, id);
    if (!t.ok()) return SendError(res, t.status());
    res.set_header("Cache-Control", "no-store");
    res.set_content(trace::TraceSvg(*t), "image/svg+xml");
  }

  void Instance(const std::string& id, const std::string& instance,
                httplib::Response& res) {
    auto t = trace::LoadSessionTrace(*store_, id);
    if (!t.ok()) return SendError(res, t.status());
    auto body = InstanceJson(*t, instance);
    if (!body) {
      return SendError(res, Status::NotFound("no instance \"" + instance +
                                             "\" in session " + id));
    }
    SendJson(res, *body);
  }

  void Payload(const std::string& id, const std::string& instance,
               const std::string& which, httplib::Response& res) {
    auto t = trace::LoadSessionTrace(*store_, id);
    if (!t.ok()) return SendError(res, t.status());
    auto text = InstancePayload(*t, instance, which);
    if (!text) {
      return SendError(res, Status::NotFound("no " + which + " of \"" +
                                             instance + "\" in the trace"));
    }
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + which + ".json\"");
    res.set_content(*text, "application/json");
  }

 private:
  Datastore* store_;
  const UiOptions& options_;
};

}  // namespace

Status ServeUi(Datastore* store, const UiOptions& options,
               const std::function<void(const std::string&)>& on_listening) {
  httplib::Server server;
  // httplib's default adds SO_REUSEPORT, which lets a second `unum ui`
  // bind the same port silently; keep only SO_REUSEADDR.
  server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  auto handlers = std::make_shared<Handlers>(store, options);
  auto asset = [&server](const std::string& path, const char* body,
                         const char* type) {
    server.Get(path,
               [body, type](const httplib::Request&, httplib::Response& res) {
                 res.set_content(body, type);
               });
  };
  asset("/", kIndexHtml, "text/html; charset=utf-8");
  asset("/app.js", kAppJs, "text/javascript; charset=utf-8");
  asset("/style.css", kStyleCss, "text/css; charset=utf-8");
  server.Get("/api/sessions",
             [handlers](const httplib::Request&, httplib::Response& res) {
               handlers->Sessions(res);
             });
  server.Get(R"(/api/sessions/([^/]+))",
             [handlers](const httplib::Request& req, httplib::Response& res) {
               handlers->Session(req.matches[1], res);
             });
  server.Get(R"(/api/sessions/([^/]+)/graph\.svg)",
             [handlers](const httplib::Request& req, httplib::Response& res) {
               handlers->Graph(req.matches[1], res);
             });
  server.Get(R"(/api/sessions/([^/]+)/timeline\.svg)",
             [handlers](const httplib::Request& req, httplib::Response& res) {
               handlers->Timeline(req.matches[1], res);
             });
  server.Get(R"(/api/sessions/([^/]+)/instances/([^/]+))",
             [handlers](const httplib::Request& req, httplib::Response& res) {
               handlers->Instance(req.matches[1], req.matches[2], res);
             });
  server.Get(R"(/api/sessions/([^/]+)/instances/([^/]+)/(input|output))",
             [handlers](const httplib::Request& req, httplib::Response& res) {
               handlers->Payload(req.matches[1], req.matches[2], req.matches[3],
                                 res);
             });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content(json{{"error", "not found"}}.dump(), "application/json");
    }
  });
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) {
      return Status::Unavailable("cannot listen on " + options.host);
    }
  } else if (!server.bind_to_port(options.host, port)) {
    return Status::Unavailable("cannot listen on " + options.host + ":" +
                               std::to_string(port) +
                               " (in use? try --port 0)");
  }
  on_listening("http://" + options.host + ":" + std::to_string(port) + "/");
  if (!server.listen_after_bind()) {
    return Status::Unavailable("the web server stopped");
  }
  return Status::Ok();
}

}  // namespace unum::ui
