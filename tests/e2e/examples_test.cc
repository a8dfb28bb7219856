// End-to-end: every example app, on each of its events, through LoadApp +
// LoadFunctions (the app's built module) + RunWorkflow on a memory store,
// with one and with four platform workers. The result must equal the
// app's expected output exactly, the outcome must be SUCCEEDED, and the
// store must hold only the session record and tombstones afterwards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/function_table.h"
#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"
#include "trace/session_trace.h"
#include "trace/trace_recorder.h"
#include "e2e_util.h"

namespace unum::e2e {
namespace {

using nlohmann::json;

const std::string kExamples = UNUM_E2E_EXAMPLES_DIR;
const std::string kModules = UNUM_E2E_MODULE_DIR;

struct Case {
  std::string app;       // directory under examples/
  std::string event;     // file under events/
  std::string expected;  // file under expected/
  int workers;
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.app + "_" + info.param.event + "_w" +
                     std::to_string(info.param.workers);
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::vector<Case> AllCases() {
  const std::vector<Case> base = {
      {"hello-world", "event.json", "output.json", 0},
      {"text-processing", "event.json", "output.json", 0},
      {"wordcount", "event.json", "output.json", 0},
      {"iot-pipeline", "event.json", "output.json", 0},
      {"iot-pipeline", "cool.json", "cool.json", 0},
      {"nested-map", "event.json", "output.json", 0},
      {"pipeline", "event.json", "output.json", 0},
  };
  std::vector<Case> cases;
  for (int workers : {1, 4}) {
    for (Case c : base) {
      c.workers = workers;
      cases.push_back(c);
    }
  }
  return cases;
}

struct AppRun {
  app::RunReport report;
  MemoryDatastore store;
};

// Loads and runs `app_name` on `input`; fails the test on any error.
// `definition`: run this Step Functions state machine instead of the IR.
void RunApp(const std::string& app_name, const json& input, int workers,
            AppRun* run, const std::string& definition = "") {
  auto app = app::LoadApp(kExamples + "/" + app_name, definition);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto functions = app::LoadFunctions(*app, kModules + "/" + app->name + ".so");
  ASSERT_TRUE(functions.ok()) << functions.status().ToString();
  app::RunOptions options;
  options.platform_url = "inproc://?workers=" + std::to_string(workers);
  options.timeout = std::chrono::seconds(60);
  trace::TraceRecorder recorder(&run->store);
  options.observer = &recorder;
  auto report =
      app::RunWorkflow(*app, *functions, input, &run->store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  run->report = std::move(report).value();
}

class ExampleTest : public ::testing::TestWithParam<Case> {};

TEST_P(ExampleTest, ExactOutputAndNoLeakedKeys) {
  const Case& c = GetParam();
  const std::string dir = kExamples + "/" + c.app;
  const json input = ReadJsonFile(dir + "/events/" + c.event);
  const json expected = ReadJsonFile(dir + "/expected/" + c.expected);
  AppRun run;
  ASSERT_NO_FATAL_FAILURE(RunApp(c.app, input, c.workers, &run));
  const auto& outcome = run.report.outcome;
  ASSERT_TRUE(outcome.succeeded) << outcome.function << " / "
                                 << outcome.instance << ": " << outcome.message;
  EXPECT_EQ(outcome.result, expected);
  EXPECT_EQ(run.report.runtime.user_failures, 0);
  EXPECT_EQ(run.report.platform.failed_attempts, 0);
  ExpectOnlyRecordAndTombstones(run.store, run.report.session);

  // The session trace: one event per delivery, all ok, and a timeline
  // with one bar each.
  auto t = trace::LoadSessionTrace(run.store, run.report.session);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->state, trace::SessionState::kSucceeded);
  EXPECT_EQ(static_cast<int64_t>(t->events.size()),
            run.report.runtime.deliveries);
  int64_t ok = 0;
  for (const auto& e : t->events) ok += e.status == "ok";
  EXPECT_EQ(ok, run.report.runtime.user_runs);
  const std::string svg = trace::TraceSvg(*t);
  size_t bars = 0;
  for (size_t at = 0;
       (at = svg.find("<rect class=\"bar ", at)) != std::string::npos; ++at) {
    ++bars;
  }
  EXPECT_EQ(bars, t->events.size());
  EXPECT_EQ(trace::CriticalPath(*t).empty(), false);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

// Every example also as a Step Functions state machine
// (unum-step-functions.json): the same exact result as its hand-written IR.
class ExampleStateMachineTest : public ::testing::TestWithParam<Case> {};

TEST_P(ExampleStateMachineTest, SameResultAsTheHandWrittenIr) {
  const Case& c = GetParam();
  const std::string dir = kExamples + "/" + c.app;
  const json input = ReadJsonFile(dir + "/events/" + c.event);
  const json expected = ReadJsonFile(dir + "/expected/" + c.expected);
  AppRun run;
  ASSERT_NO_FATAL_FAILURE(
      RunApp(c.app, input, c.workers, &run, dir + "/unum-step-functions.json"));
  const auto& outcome = run.report.outcome;
  ASSERT_TRUE(outcome.succeeded)
      << outcome.instance << ": " << outcome.error << " " << outcome.cause
      << " " << outcome.message;
  EXPECT_EQ(outcome.result, expected);
  EXPECT_EQ(run.report.runtime.user_failures, 0);
  ExpectOnlyRecordAndTombstones(run.store, run.report.session);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleStateMachineTest,
                         ::testing::ValuesIn(AllCases()), CaseName);

// The terminal function of each example, as the session record names it.
TEST(ExampleOutcomeTest, RecordNamesTerminalFunction) {
  const std::map<std::string, std::string> terminal = {
      {"hello-world", "World"},
      {"text-processing", "Publish"},
      {"nested-map", "Total"},
      {"pipeline", "Collect"},
  };
  for (const auto& [name, function] : terminal) {
    AppRun run;
    ASSERT_NO_FATAL_FAILURE(RunApp(
        name, ReadJsonFile(kExamples + "/" + name + "/events/event.json"), 2,
        &run));
    EXPECT_EQ(run.report.outcome.function, function) << name;
    EXPECT_EQ(run.report.outcome.instance, function) << name;
  }
}

TEST(ExampleOutcomeTest, IotTakesTheConditionalBranch) {
  AppRun normal, cool;
  const std::string dir = kExamples + "/iot-pipeline";
  ASSERT_NO_FATAL_FAILURE(RunApp(
      "iot-pipeline", ReadJsonFile(dir + "/events/event.json"), 2, &normal));
  ASSERT_NO_FATAL_FAILURE(RunApp(
      "iot-pipeline", ReadJsonFile(dir + "/events/cool.json"), 2, &cool));
  // event.json is hot (average 26.625): branch 0; cool.json (22.875):
  // branch 1.
  EXPECT_EQ(normal.report.outcome.function, "HvacController");
  EXPECT_EQ(normal.report.outcome.instance, "HvacController-unumIndex-0");
  EXPECT_EQ(cool.report.outcome.function, "Report");
  EXPECT_EQ(cool.report.outcome.instance, "Report-unumIndex-1");
  // Two user runs each: the aggregator and one of the two branches.
  EXPECT_EQ(normal.report.runtime.user_runs, 2);
  EXPECT_EQ(cool.report.runtime.user_runs, 2);
}

// Counts the words of `text` directly: ASCII letters lower-cased, a word
// is a maximal run of a-z.
std::map<std::string, int64_t> CountWords(const std::string& text) {
  std::map<std::string, int64_t> counts;
  std::string word;
  for (char raw : text) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') {
      word += c;
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  if (!word.empty()) ++counts[word];
  return counts;
}

TEST(WordcountTest, MatchesDirectCountOfTheText) {
  const std::string dir = kExamples + "/wordcount";
  const std::string text = ReadFile(dir + "/data/text.txt");
  ASSERT_FALSE(text.empty());
  const std::map<std::string, int64_t> direct = CountWords(text);
  int64_t total = 0;
  for (const auto& [w, n] : direct) total += n;

  json input = ReadJsonFile(dir + "/events/event.json");
  ASSERT_EQ(input["text"], text) << "the event must embed data/text.txt";
  AppRun run;
  ASSERT_NO_FATAL_FAILURE(RunApp("wordcount", input, 4, &run));
  ASSERT_TRUE(run.report.outcome.succeeded) << run.report.outcome.message;
  const json& result = run.report.outcome.result;
  EXPECT_EQ(result["total_words"], total);
  EXPECT_EQ(result["distinct_words"], direct.size());
  EXPECT_EQ(result["counts"], json(direct));
  // Spot values from the README.
  EXPECT_EQ(total, 11746);
  EXPECT_EQ(direct.size(), 1814u);
  EXPECT_EQ(direct.at("the"), 729);
  EXPECT_EQ(result["top"][0], json::array({"the", 729}));
  // 1 Splitter + 8 Mappers + 1 Partition + 4 Reducers + 1 Summary.
  EXPECT_EQ(run.report.runtime.user_runs, 15);
  ExpectOnlyRecordAndTombstones(run.store, run.report.session);
}

TEST(WordcountTest, OtherShapesGiveTheSameCounts) {
  const std::string dir = kExamples + "/wordcount";
  const std::string text = ReadFile(dir + "/data/text.txt");
  const json direct = json(CountWords(text));
  for (auto [mappers, reducers] : {std::pair{1, 1}, std::pair{13, 7}}) {
    AppRun run;
    ASSERT_NO_FATAL_FAILURE(RunApp(
        "wordcount",
        json{{"text", text}, {"mappers", mappers}, {"reducers", reducers}}, 4,
        &run));
    ASSERT_TRUE(run.report.outcome.succeeded) << run.report.outcome.message;
    EXPECT_EQ(run.report.outcome.result["counts"], direct)
        << mappers << " mappers, " << reducers << " reducers";
    EXPECT_EQ(run.report.runtime.user_runs, 1 + mappers + 1 + reducers + 1);
    ExpectOnlyRecordAndTombstones(run.store, run.report.session);
  }
}

}  // namespace
}  // namespace unum::e2e
