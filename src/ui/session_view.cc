#include "ui/session_view.h"

#include <fmt/core.h>

#include <map>
#include <set>

#include "common/json_text.h"

namespace unum::ui {
namespace {

using nlohmann::json;
using trace::SessionState;
using trace::TraceEvent;

bool Done(const TraceEvent& e) { return e.status != "failed"; }

// The event whose input/output an instance shows: the first that finished
// with an output, else the last one.
const TraceEvent* Representative(const trace::SessionTrace& t,
                                 const std::string& instance) {
  const TraceEvent* last = nullptr;
  for (const TraceEvent& e : t.events) {
    if (e.instance != instance) continue;
    if (e.status == "ok" || e.status == "lost_race") return &e;
    last = &e;
  }
  return last;
}

json Part(const std::optional<json>& whole, const std::string& head,
          int64_t bytes) {
  std::string text = whole ? ToJsonText(*whole, 2) : head;
  const bool truncated = !whole || text.size() > kPreviewBytes;
  if (text.size() > kPreviewBytes) text = text.substr(0, kPreviewBytes);
  return json{{"preview", text},
              {"bytes", bytes},
              {"truncated", truncated},
              {"kept_whole", whole.has_value()}};
}

}  // namespace

json SessionJson(const trace::SessionTrace& t, const app::App* app) {
  const bool running = t.state == SessionState::kRunning;
  json out = {{"session", t.session},
              {"state", trace::SessionStateName(t.state)},
              {"start_us", t.start_us},
              {"end_us", t.end_us},
              {"deliveries", t.events.size()}};
  if (t.outcome && !t.outcome->succeeded) {
    out["error"] = {{"instance", t.outcome->instance},
                    {"function", t.outcome->function},
                    {"message", t.outcome->message}};
  }
  // Instances in first start order.
  std::vector<std::string> order;
  std::map<std::string, json> instances;
  for (const TraceEvent& e : t.events) {
    auto it = instances.find(e.instance);
    if (it == instances.end()) {
      order.push_back(e.instance);
      it = instances
               .emplace(e.instance, json{{"instance", e.instance},
                                         {"function", e.function},
                                         {"state", "failed"},
                                         {"attempts", 0},
                                         {"start_us", e.start_us},
                                         {"end_us", e.end_us},
                                         {"error", ""}})
               .first;
    }
    json& i = it->second;
    i["attempts"] = std::max(i["attempts"].get<int>(), e.attempt);
    i["end_us"] = std::max(i["end_us"].get<int64_t>(), e.end_us);
    if (Done(e)) {
      i["state"] = "done";
    } else if (i["state"] != "done") {
      i["error"] = e.error;
    }
  }
  json list = json::array();
  std::map<std::string, json> functions;
  auto fn = [&](const std::string& name) -> json& {
    auto it = functions.find(name);
    if (it == functions.end()) {
      it = functions
               .emplace(name, json{{"state", "not_reached"},
                                   {"instances", 0},
                                   {"done", 0},
                                   {"failed", 0}})
               .first;
    }
    return it->second;
  };
  if (app != nullptr) {
    for (const auto& [name, spec] : app->functions) fn(name);
  }
  for (const std::string& name : order) {
    json& i = instances[name];
    if (i["state"] == "failed" && running) i["state"] = "running";
    json& f = fn(i["function"].get<std::string>());
    f["instances"] = f["instances"].get<int>() + 1;
    if (i["state"] == "done") f["done"] = f["done"].get<int>() + 1;
    if (i["state"] == "failed") f["failed"] = f["failed"].get<int>() + 1;
    list.push_back(i);
  }
  for (auto& [name, f] : functions) {
    const int n = f["instances"], done = f["done"], failed = f["failed"];
    if (failed > 0) {
      f["state"] = "failed";
    } else if (n > 0) {
      f["state"] = done == n ? "done" : "running";
    }
  }
  // While the session runs, a function none of whose instances has
  // reported yet but whose caller has is running (its deliveries report
  // when they end).
  if (running && app != nullptr) {
    for (const auto& [name, spec] : app->functions) {
      if (functions[name]["done"].get<int>() == 0) continue;
      for (const ir::Edge& e : spec.config.next) {
        json& next = functions[e.name];
        if (next["state"] == "not_reached") next["state"] = "running";
      }
    }
  }
  out["instances"] = std::move(list);
  out["functions"] = functions;
  return out;
}

graph::Decorations GraphDecorations(const json& session_json) {
  graph::Decorations d;
  static const std::map<std::string, std::string> kColors = {
      {"done", "#c8e6c9"},
      {"failed", "#ffcdd2"},
      {"running", "#fff59d"},
      {"not_reached", "#eeeeee"}};
  for (const auto& [name, f] : session_json.at("functions").items()) {
    graph::NodeDecoration deco;
    const std::string state = f.at("state");
    deco.fill_color = kColors.at(state);
    const int n = f.at("instances"), done = f.at("done"),
              failed = f.at("failed");
    if (state == "not_reached") {
      deco.note = "not reached";
    } else if (n > 1) {
      deco.note = fmt::format("×{}: {} done", n, done);
      if (failed > 0) deco.note += fmt::format(", {} failed", failed);
    } else {
      deco.note = state;
    }
    d[name] = deco;
  }
  return d;
}

std::optional<json> InstanceJson(const trace::SessionTrace& t,
                                 const std::string& instance) {
  json events = json::array();
  std::string function;
  for (const TraceEvent& e : t.events) {
    if (e.instance != instance) continue;
    function = e.function;
    events.push_back({{"attempt", e.attempt},
                      {"status", e.status},
                      {"start_us", e.start_us},
                      {"end_us", e.end_us},
                      {"error", e.error}});
  }
  if (events.empty()) return std::nullopt;
  json out = {{"instance", instance},
              {"function", function},
              {"events", std::move(events)}};
  const TraceEvent* e = Representative(t, instance);
  if (e->input || !e->input_head.empty()) {
    out["input"] = Part(e->input, e->input_head, e->bytes_in);
  } else if (!e->sources.empty()) {
    out["sources"] = e->sources;
  }
  if (e->output || !e->output_head.empty()) {
    out["output"] = Part(e->output, e->output_head, e->bytes_out);
  }
  return out;
}

std::optional<std::string> InstancePayload(const trace::SessionTrace& t,
                                           const std::string& instance,
                                           const std::string& which) {
  const TraceEvent* e = Representative(t, instance);
  if (e == nullptr) return std::nullopt;
  const auto& whole = which == "input" ? e->input : e->output;
  const std::string& head = which == "input" ? e->input_head : e->output_head;
  if (whole) return ToJsonText(*whole, 2);
  if (!head.empty()) return head;
  return std::nullopt;
}

}  // namespace unum::ui
