// End-to-end workflows built by the test itself: the IR and template are
// written to a temp dir, the functions are lambdas in a FunctionRegistry
// passed to LoadFunctions, and RunWorkflow runs them on the in-process
// platform with a memory store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "app/app.h"
#include "app/function_table.h"
#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"
#include "e2e_util.h"
#include "unum/function.h"

namespace unum::e2e {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kBranches = 1000;

// Writes an app: `functions` maps name -> IR document; the first one with
// "Start": true is the entry.
void WriteApp(const std::filesystem::path& dir, const std::string& app_name,
              const std::vector<json>& irs) {
  std::string tmpl = "Globals:\n  ApplicationName: " + app_name +
                     "\n  Checkpoint: true\nFunctions:\n";
  for (const json& ir : irs) {
    const std::string name = ir["Name"];
    std::string code_dir = name;
    for (char& c : code_dir) c = static_cast<char>(tolower(c));
    tmpl += "  " + name + ":\n    Properties:\n      CodeUri: " + code_dir +
            "/\n      Runtime: cpp\n";
    if (ir.value("Start", false)) tmpl += "      Start: true\n";
    WriteFile(dir / code_dir / "unum_config.json", ir.dump(2));
  }
  WriteFile(dir / "unum-template.yaml", tmpl);
}

// What f(k) each branch computes.
json BranchOutput(int64_t k) { return json{{"k", k}, {"square", k * k}}; }

// The big fan-in: Fan (Start) -Map-> Work-unumIndex-k -Fan-in, Pop-> Gather.
class BigFanInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteApp(dir_.path(), "big-fan-in",
             {json::parse(R"({"Name": "Fan", "Start": true,
                              "Next": {"Name": "Work", "InputType": "Map"}})"),
              json::parse(R"({"Name": "Work",
                   "Next": {"Name": "Gather",
                            "InputType": {"Fan-in": {"Values": ["Work-unumIndex-*"]}}},
                   "Next Payload Modifiers": ["Pop"]})"),
              json::parse(R"({"Name": "Gather"})")});
    registry_.Add("Fan", [](const json& in, Context&) {
      json out = json::array();
      for (int64_t k = 0; k < in.get<int64_t>(); ++k) out.push_back(k);
      return out;
    });
    registry_.Add("Work", [this](const json& in, Context& ctx) {
      const int64_t k = in.get<int64_t>();
      EXPECT_EQ(ctx.instance, "Work-unumIndex-" + std::to_string(k));
      ++work_runs_;
      if (fail_every_tenth_ && k % 10 == 0 && ctx.attempt == 1) {
        ++work_failures_;
        throw std::runtime_error("first attempt of branch " +
                                 std::to_string(k) + " fails");
      }
      return BranchOutput(k);
    });
    registry_.Add("Gather", [this](const json& in, Context& ctx) {
      ++gather_runs_;
      EXPECT_EQ(ctx.instance, "Gather");
      return in;
    });
  }

  app::RunReport RunOn(const std::string& platform_url) {
    auto app = app::LoadApp(dir_.path().string());
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    if (!app.ok()) return {};
    EXPECT_EQ(app->start_function, "Fan");
    auto functions = app::LoadFunctions(*app, "", &registry_);
    EXPECT_TRUE(functions.ok()) << functions.status().ToString();
    if (!functions.ok()) return {};
    app::RunOptions options;
    options.platform_url = platform_url;
    options.timeout = std::chrono::seconds(60);
    auto report =
        app::RunWorkflow(*app, *functions, json(kBranches), &store_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : app::RunReport{};
  }

  void ExpectExactResult(const app::RunReport& report) {
    ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
    EXPECT_EQ(report.outcome.function, "Gather");
    json expected = json::array();
    for (int64_t k = 0; k < kBranches; ++k) {
      expected.push_back(BranchOutput(k));
    }
    EXPECT_EQ(report.outcome.result, expected);
    EXPECT_EQ(gather_runs_, 1);
    ExpectOnlyRecordAndTombstones(store_, report.session);
    // Every instance and set of the run is there, as a tombstone.
    const auto keys = DescribeKeys(store_, report.session);
    EXPECT_EQ(keys.size(), 1u + kBranches + 1 + /*sets*/ 2 + /*record*/ 1);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "record"), 1);
    EXPECT_EQ(std::count(keys.begin(), keys.end(),
                         "set fanin/Gather (tombstone)"),
              1);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "set gc/Fan (tombstone)"),
              1);
  }

  TempDir dir_;
  FunctionRegistry registry_;
  MemoryDatastore store_;
  std::atomic<int> work_runs_{0};
  std::atomic<int> work_failures_{0};
  std::atomic<int> gather_runs_{0};
  bool fail_every_tenth_ = false;
};

TEST_F(BigFanInTest, ThousandBranchesOneAggregatorRun) {
  const app::RunReport report = RunOn("inproc://?workers=4");
  ASSERT_NO_FATAL_FAILURE(ExpectExactResult(report));
  EXPECT_EQ(work_runs_, kBranches);
  EXPECT_EQ(report.runtime.user_runs, 1 + kBranches + 1);
  EXPECT_EQ(report.runtime.fan_in_adds, kBranches);
  EXPECT_EQ(report.platform.failed_attempts, 0);
}

TEST_F(BigFanInTest, OneWorker) {
  const app::RunReport report = RunOn("inproc://?workers=1");
  ASSERT_NO_FATAL_FAILURE(ExpectExactResult(report));
  EXPECT_EQ(work_runs_, kBranches);
}

TEST_F(BigFanInTest, RetriedBranchesGiveTheExactResult) {
  fail_every_tenth_ = true;
  const app::RunReport report =
      RunOn("inproc://?workers=4&max_attempts=3&retry_backoff_ms=1");
  ASSERT_NO_FATAL_FAILURE(ExpectExactResult(report));
  EXPECT_EQ(work_failures_, kBranches / 10);
  EXPECT_EQ(work_runs_, kBranches + kBranches / 10);
  EXPECT_EQ(report.runtime.user_failures, kBranches / 10);
  EXPECT_EQ(report.platform.retries, kBranches / 10);
  EXPECT_EQ(report.platform.exhausted, 0);
}

// A workflow whose function throws on every attempt.
TEST(FailingWorkflowTest, ThrowsEveryAttempt) {
  TempDir dir;
  WriteApp(dir.path(), "always-fails",
           {json::parse(R"({"Name": "Split", "Start": true,
                            "Next": {"Name": "Step", "InputType": "Map"}})"),
            json::parse(R"({"Name": "Step",
                 "Next": {"Name": "Join",
                          "InputType": {"Fan-in": {"Values": ["Step-unumIndex-*"]}}},
                 "Next Payload Modifiers": ["Pop"]})"),
            json::parse(R"({"Name": "Join"})")});
  FunctionRegistry registry;
  std::atomic<int> step_one_attempts{0}, join_runs{0};
  std::mutex mu;
  std::set<int> attempts_seen;
  registry.Add("Split", [](const json& in, Context&) { return in; });
  registry.Add("Step", [&](const json& in, Context& ctx) -> json {
    if (in == "bad") {
      ++step_one_attempts;
      std::lock_guard<std::mutex> lock(mu);
      attempts_seen.insert(ctx.attempt);
      throw std::runtime_error("cannot process \"bad\"");
    }
    return in;
  });
  registry.Add("Join", [&](const json& in, Context&) {
    ++join_runs;
    return in;
  });
  auto app = app::LoadApp(dir.path().string());
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto functions = app::LoadFunctions(*app, "", &registry);
  ASSERT_TRUE(functions.ok()) << functions.status().ToString();
  MemoryDatastore store;
  app::RunOptions options;
  options.platform_url = "inproc://?workers=2&retry_backoff_ms=1";
  options.timeout = std::chrono::seconds(60);
  auto report = app::RunWorkflow(*app, *functions,
                                 json::array({"good", "bad", "good"}), &store,
                                 options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const auto& outcome = report->outcome;
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.function, "Step");
  EXPECT_EQ(outcome.instance, "Step-unumIndex-1");
  EXPECT_EQ(outcome.message, "cannot process \"bad\"");
  EXPECT_EQ(outcome.attempts, 3);
  EXPECT_EQ(step_one_attempts, 3);
  EXPECT_EQ(attempts_seen, (std::set<int>{1, 2, 3}));
  EXPECT_EQ(join_runs, 0);
  EXPECT_EQ(report->platform.exhausted, 1);
  EXPECT_EQ(report->platform.retries, 2);
}

TEST(FailingWorkflowTest, StartFunctionThrows) {
  TempDir dir;
  WriteApp(dir.path(), "start-fails",
           {json::parse(R"({"Name": "Only", "Start": true})")});
  FunctionRegistry registry;
  registry.Add("Only", [](const json&, Context&) -> json {
    throw std::invalid_argument("no input today");
  });
  auto app = app::LoadApp(dir.path().string());
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto functions = app::LoadFunctions(*app, "", &registry);
  ASSERT_TRUE(functions.ok()) << functions.status().ToString();
  MemoryDatastore store;
  app::RunOptions options;
  options.platform_url = "inproc://?workers=1&max_attempts=2&retry_backoff_ms=1";
  auto report = app::RunWorkflow(*app, *functions, json(1), &store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->outcome.succeeded);
  EXPECT_EQ(report->outcome.function, "Only");
  EXPECT_EQ(report->outcome.instance, "Only");
  EXPECT_EQ(report->outcome.message, "no input today");
  EXPECT_EQ(report->outcome.attempts, 2);
}

TEST(LoadFunctionsTest, MissingFunctionInRegistryIsNamed) {
  TempDir dir;
  WriteApp(dir.path(), "missing",
           {json::parse(R"({"Name": "A", "Start": true,
                            "Next": {"Name": "B", "InputType": "Scalar"}})"),
            json::parse(R"({"Name": "B"})")});
  FunctionRegistry registry;
  registry.Add("A", [](const json& in, Context&) { return in; });
  auto app = app::LoadApp(dir.path().string());
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto functions = app::LoadFunctions(*app, "", &registry);
  ASSERT_FALSE(functions.ok());
  EXPECT_EQ(functions.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(functions.status().message(), HasSubstr("function \"B\""));
  EXPECT_THAT(functions.status().message(), HasSubstr("it has: A"));
}

}  // namespace
}  // namespace unum::e2e
