// The session trace end to end on the in-process platform and a memory
// store: a map + fan-in workflow that succeeds, one with a failing branch,
// tracing switched off, the size limit on kept payloads, and the table,
// critical path and SVG made from the trace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"
#include "trace/session_trace.h"
#include "trace/trace_recorder.h"

namespace unum::trace {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Split (start) -map-> Work -fan-in-> Sum.
app::App MapApp() {
  app::App a;
  a.name = "trace-test";
  ir::FunctionConfig split;
  split.name = "Split";
  split.start = true;
  ir::Edge to_work;
  to_work.name = "Work";
  to_work.input_type = ir::InputType::kMap;
  split.next.push_back(to_work);
  ir::FunctionConfig work;
  work.name = "Work";
  ir::Edge to_sum;
  to_sum.name = "Sum";
  to_sum.input_type = ir::InputType::kFanIn;
  to_sum.values = {"Work-unumIndex-*"};
  work.next.push_back(to_sum);
  work.modifiers = {"Pop"};
  ir::FunctionConfig sum;
  sum.name = "Sum";
  for (const auto& c : {split, work, sum}) {
    app::FunctionSpec spec;
    spec.name = c.name;
    spec.config = c;
    a.functions[c.name] = spec;
  }
  a.start_function = "Split";
  return a;
}

app::FunctionTable Functions() {
  app::FunctionTable t;
  t.functions["Split"] = [](const json& in, Context&) -> Result<json> {
    return in;
  };
  t.functions["Work"] = [](const json& in, Context&) -> Result<json> {
    if (in == 2) return Status::Unknown("boom on 2");
    return json(in.get<int>() * 10);
  };
  t.functions["Sum"] = [](const json& in, Context&) -> Result<json> {
    int total = 0;
    for (const json& v : in) total += v.get<int>();
    return json(total);
  };
  return t;
}

struct Ran {
  std::string session;
  SessionTrace trace;
};

Ran RunApp(MemoryDatastore& store, const json& input, bool traced) {
  TraceRecorder recorder(&store);
  app::RunOptions options;
  options.platform_url = "inproc://?retry_backoff_ms=1";
  options.observer = traced ? &recorder : nullptr;
  auto report = app::RunWorkflow(MapApp(), Functions(), input, &store, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  Ran r;
  if (!report.ok()) return r;
  r.session = report->session;
  auto t = LoadSessionTrace(store, r.session);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (t.ok()) r.trace = std::move(t).value();
  return r;
}

std::vector<std::string> Lines(const SessionTrace& t) {
  std::vector<std::string> out;
  for (const TraceEvent& e : t.events) {
    out.push_back(e.instance + " " + e.status + " " +
                  std::to_string(e.attempt));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TraceTest, EveryDeliveryOfASuccessfulRunIsRecorded) {
  MemoryDatastore store;
  Ran r = RunApp(store, json::array({1, 3}), /*traced=*/true);
  EXPECT_EQ(r.trace.state, SessionState::kSucceeded);
  EXPECT_THAT(Lines(r.trace),
              ElementsAre("Split ok 1", "Sum ok 1", "Work-unumIndex-0 ok 1",
                          "Work-unumIndex-1 ok 1"));
  // In start order, Split first and Sum last.
  EXPECT_EQ(r.trace.events.front().instance, "Split");
  EXPECT_EQ(r.trace.events.back().instance, "Sum");
  const TraceEvent& sum = r.trace.events.back();
  EXPECT_EQ(sum.input, std::nullopt);  // a fan-in: its sources say it
  EXPECT_THAT(sum.sources, ElementsAre("Work-unumIndex-0", "Work-unumIndex-1"));
  EXPECT_EQ(sum.output, json(40));
  EXPECT_EQ(sum.bytes_out, 2);
  const TraceEvent& split = r.trace.events.front();
  EXPECT_EQ(split.input, json::array({1, 3}));
  EXPECT_EQ(split.bytes_in, 5);
  for (const TraceEvent& e : r.trace.events) EXPECT_LE(e.start_us, e.end_us);

  // Critical path: Split -> the Work that finished last -> Sum.
  std::vector<size_t> path = CriticalPath(r.trace);
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(r.trace.events[path[0]].instance, "Split");
  EXPECT_EQ(r.trace.events[path[1]].function, "Work");
  EXPECT_EQ(r.trace.events[path[2]].instance, "Sum");

  const std::string table = FormatTraceTable(r.trace);
  EXPECT_THAT(table, HasSubstr("session " + r.session +
                               "  SUCCEEDED  4 "
                               "deliveries"));
  EXPECT_THAT(table, HasSubstr("critical path ("));
  EXPECT_THAT(table, HasSubstr(": Split -> Work-unumIndex-"));
  const std::string svg = TraceSvg(r.trace);
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  size_t bars = 0;
  for (size_t at = 0;
       (at = svg.find("<rect class=\"bar ok\"", at)) != std::string::npos;
       ++at) {
    ++bars;
  }
  EXPECT_EQ(bars, 4u);
  EXPECT_THAT(svg, HasSubstr("(max "));
}

TEST(TraceTest, AFailingBranchRecordsEveryAttemptWithItsError) {
  MemoryDatastore store;
  Ran r = RunApp(store, json::array({1, 2}), /*traced=*/true);
  EXPECT_EQ(r.trace.state, SessionState::kFailed);
  EXPECT_THAT(Lines(r.trace), ElementsAre("Split ok 1", "Work-unumIndex-0 ok 1",
                                          "Work-unumIndex-1 failed 1",
                                          "Work-unumIndex-1 failed 2",
                                          "Work-unumIndex-1 failed 3"));
  for (const TraceEvent& e : r.trace.events) {
    if (e.status != "failed") continue;
    EXPECT_EQ(e.error, "boom on 2");
    EXPECT_EQ(e.output, std::nullopt);
    EXPECT_EQ(e.input, json(2));
  }
  EXPECT_THAT(FormatTraceTable(r.trace),
              HasSubstr("failed in Work-unumIndex-1: boom on 2\n"));
}

TEST(TraceTest, NoObserverMeansNoTraceButTheSessionIsListed) {
  MemoryDatastore store;
  Ran r = RunApp(store, json::array({1}), /*traced=*/false);
  EXPECT_TRUE(r.trace.events.empty());
  EXPECT_EQ(r.trace.state, SessionState::kSucceeded);
  auto sessions = store.ListSessions();
  ASSERT_TRUE(sessions.ok());
  EXPECT_THAT(*sessions, ElementsAre(r.session));
}

TEST(TraceTest, UnknownSessionIsNotFound) {
  MemoryDatastore store;
  auto t = LoadSessionTrace(store, "nope");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotFound());
  EXPECT_EQ(t.status().message(),
            "no session \"nope\" in this store (no session record, no trace)");
}

TEST(TraceTest, LargePayloadsKeepOnlyTheirFirstBytes) {
  runtime::DeliveryReport report;
  report.instance = "F";
  const json input = std::string(100, 'x');
  const json output = json::array({1, 2, 3});
  report.input = &input;
  report.output = &output;
  TraceEvent e = MakeTraceEvent(report, TraceOptions{.max_payload_bytes = 10});
  EXPECT_EQ(e.input, std::nullopt);
  EXPECT_EQ(e.input_head, "\"xxxxxxxxx");
  EXPECT_EQ(e.bytes_in, 102);
  EXPECT_EQ(e.output_text, "[1,2,3]");
  EXPECT_EQ(e.bytes_out, 7);
  auto back = DecodeTraceEvent(EncodeTraceEvent(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->input_head, e.input_head);
  EXPECT_EQ(back->output, output);
}

TEST(TraceTest, DecodeRejectsWhatIsNotAnEvent) {
  EXPECT_EQ(DecodeTraceEvent("[1]").status().message(),
            "trace event is not a JSON object");
  EXPECT_EQ(
      DecodeTraceEvent(R"({"Instance": "F", "Start": "x"})").status().message(),
      "trace event field Start is not an integer");
}

}  // namespace
}  // namespace unum::trace
