// SessionJson / GraphDecorations / InstanceJson on hand-made traces of the
// text-processing example: function and instance states for a failed and
// a running session, map widths, and previews of large payloads.
#include "ui/session_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace unum::ui {
namespace {

using nlohmann::json;
using trace::SessionState;
using trace::SessionTrace;
using trace::TraceEvent;

TraceEvent Event(const std::string& instance, const std::string& status,
                 int attempt = 1, const std::string& error = "") {
  static int64_t clock = 1000;
  TraceEvent e;
  e.instance = instance;
  e.function = instance.substr(0, instance.find("-unumIndex-"));
  e.attempt = attempt;
  e.start_us = clock;
  e.end_us = clock + 500;
  clock += 1000;
  e.status = status;
  e.error = error;
  e.input = json{{"in", instance}};
  if (status != "failed") e.output = json{{"out", instance}};
  return e;
}

SessionTrace FailedFindUrl(bool finished) {
  SessionTrace t;
  t.session = "s1";
  t.events = {Event("TextProcessing", "ok"), Event("UserMention", "ok"),
              Event("FindUrl", "failed", 1, "no url"),
              Event("FindUrl", "failed", 2, "no url")};
  if (finished) {
    t.state = SessionState::kFailed;
    runtime::SessionOutcome o;
    o.instance = "FindUrl";
    o.function = "FindUrl";
    o.message = "no url";
    t.outcome = o;
  }
  t.start_us = t.events.front().start_us;
  t.end_us = t.events.back().end_us;
  return t;
}

std::map<std::string, std::string> States(const json& view) {
  std::map<std::string, std::string> out;
  for (const auto& [name, f] : view["functions"].items()) {
    out[name] = f["state"];
  }
  return out;
}

TEST(SessionViewTest, FailedSessionColoursEachFunction) {
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  const json view = SessionJson(FailedFindUrl(true), &*app);
  EXPECT_EQ(view["state"], "FAILED");
  EXPECT_EQ(view["error"]["message"], "no url");
  EXPECT_EQ(States(view),
            (std::map<std::string, std::string>{{"CreatePost", "not_reached"},
                                                {"FindUrl", "failed"},
                                                {"Publish", "not_reached"},
                                                {"ShortenUrl", "not_reached"},
                                                {"TextProcessing", "done"},
                                                {"UserMention", "done"}}));
  ASSERT_EQ(view["instances"].size(), 3u);
  EXPECT_EQ(view["instances"][2],
            (json{{"instance", "FindUrl"},
                  {"function", "FindUrl"},
                  {"state", "failed"},
                  {"attempts", 2},
                  {"start_us", view["instances"][2]["start_us"]},
                  {"end_us", view["instances"][2]["end_us"]},
                  {"error", "no url"}}));
  const graph::Decorations d = GraphDecorations(view);
  EXPECT_EQ(d.at("FindUrl").fill_color, "#ffcdd2");
  EXPECT_EQ(d.at("FindUrl").note, "failed");
  EXPECT_EQ(d.at("Publish").note, "not reached");
}

TEST(SessionViewTest, RunningSessionShowsRetriesAndNextFunctionsAsRunning) {
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok());
  const json view = SessionJson(FailedFindUrl(false), &*app);
  EXPECT_EQ(view["state"], "RUNNING");
  EXPECT_EQ(States(view),
            (std::map<std::string, std::string>{{"CreatePost", "running"},
                                                {"FindUrl", "running"},
                                                {"Publish", "not_reached"},
                                                {"ShortenUrl", "not_reached"},
                                                {"TextProcessing", "done"},
                                                {"UserMention", "done"}}));
}

TEST(SessionViewTest, MapWidthsAreCounted) {
  SessionTrace t;
  t.session = "s2";
  t.state = SessionState::kFailed;
  t.events = {Event("Mapper-unumIndex-0", "ok"),
              Event("Mapper-unumIndex-1", "ok"),
              Event("Mapper-unumIndex-1", "duplicate_skipped"),
              Event("Mapper-unumIndex-2", "failed", 3, "boom")};
  const json view = SessionJson(t, nullptr);
  EXPECT_EQ(
      view["functions"]["Mapper"],
      (json{
          {"state", "failed"}, {"instances", 3}, {"done", 2}, {"failed", 1}}));
  EXPECT_EQ(GraphDecorations(view).at("Mapper").note, "×3: 2 done, 1 failed");
}

TEST(SessionViewTest, LargeOutputsArePreviewedWithTheirSize) {
  SessionTrace t;
  t.session = "s3";
  TraceEvent e = Event("Big", "ok");
  e.output = json(std::string(10000, 'a'));
  e.bytes_out = 10002;
  TraceEvent cut = Event("Cut", "ok");
  cut.output.reset();
  cut.output_head = "[1,2,";
  cut.bytes_out = 900000;
  t.events = {e, cut};

  auto big = InstanceJson(t, "Big");
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ((*big)["output"]["preview"].get<std::string>().size(),
            kPreviewBytes);
  EXPECT_EQ((*big)["output"]["truncated"], true);
  EXPECT_EQ((*big)["output"]["kept_whole"], true);
  EXPECT_EQ((*big)["output"]["bytes"], 10002);
  EXPECT_EQ(InstancePayload(t, "Big", "output")->size(), 10002u);

  auto small = InstanceJson(t, "Cut");
  EXPECT_EQ((*small)["output"], (json{{"preview", "[1,2,"},
                                      {"bytes", 900000},
                                      {"truncated", true},
                                      {"kept_whole", false}}));
  EXPECT_EQ(InstancePayload(t, "Cut", "output"), "[1,2,");
  EXPECT_EQ(InstanceJson(t, "Nope"), std::nullopt);
  EXPECT_EQ(InstancePayload(t, "Nope", "input"), std::nullopt);
}

}  // namespace
}  // namespace unum::ui
