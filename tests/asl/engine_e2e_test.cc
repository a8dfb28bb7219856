// Step Functions features the corpus cannot show on the peer, run through
// `unum`'s compiler and runtime with the task table app: loops through a
// Task (instance rounds), MaxConcurrency (items started as others end),
// helpers at the start and at a join, and exactly one result with no keys
// left behind.
#include <gtest/gtest.h>

#include <string>

#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"
#include "e2e_util.h"
#include "run_definition.h"

namespace unum {
namespace {

using nlohmann::json;

app::RunReport RunDefinition(const std::string& definition, const json& input,
                             MemoryDatastore* store) {
  return asl_test::RunDefinition(definition, input, store,
                                 "inproc://?workers=4");
}

TEST(EngineTest, LoopThroughATaskRunsEachRoundAsANewInstance) {
  MemoryDatastore store;
  auto report = RunDefinition(R"({"StartAt": "Inc", "States": {
      "Inc": {"Type": "Task", "Resource": "Add",
              "Parameters": {"a.$": "$.i", "b": 1}, "ResultPath": "$.i",
              "Next": "More?"},
      "More?": {"Type": "Choice", "Choices": [
        {"Variable": "$.i", "NumericLessThan": 5, "Next": "Inc"}],
        "Default": "Done"},
      "Done": {"Type": "Task", "Resource": "Echo", "End": true}}})",
                              json{{"i", 0}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result, (json{{"i", 5}}));
  EXPECT_EQ(report.runtime.user_runs, 6);  // Inc x5, Done
  e2e::ExpectOnlyRecordAndTombstones(store, report.session);
}

TEST(EngineTest, MaxConcurrencyRunsEveryItemInOrder) {
  MemoryDatastore store;
  json items = json::array();
  for (int i = 0; i < 12; ++i) items.push_back(i);
  auto report = RunDefinition(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 3, "End": true,
            "ItemProcessor": {"StartAt": "D", "States": {
              "D": {"Type": "Task", "Resource": "Double", "End": true}}}}}})",
                              items, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  json doubled = json::array();
  for (int i = 0; i < 12; ++i) doubled.push_back(2 * i);
  EXPECT_EQ(report.outcome.result, doubled);
  // Function runs: the start helper, 12 items, the join helper.
  EXPECT_EQ(report.runtime.user_runs, 14);
  e2e::ExpectOnlyRecordAndTombstones(store, report.session);
}

TEST(EngineTest, MapOfChainsWithMixedBranchEnds) {
  // Items below 0 end without a Task (a slot), others run two Tasks.
  MemoryDatastore store;
  auto report = RunDefinition(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true, "ItemProcessor": {
        "StartAt": "Neg?", "States": {
          "Neg?": {"Type": "Choice", "Choices": [
            {"Variable": "$", "NumericLessThan": 0, "Next": "Zero"}],
            "Default": "D1"},
          "Zero": {"Type": "Pass", "Result": 0, "End": true},
          "D1": {"Type": "Task", "Resource": "Double", "Next": "D2"},
          "D2": {"Type": "Task", "Resource": "Double", "End": true}}}}}})",
                              json::array({1, -5, 2}), &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result, json::array({4, 0, 8}));
  e2e::ExpectOnlyRecordAndTombstones(store, report.session);
}

TEST(EngineTest, UncaughtErrorInABranchFailsTheSessionWithErrorAndCause) {
  MemoryDatastore store;
  auto report = RunDefinition(R"({"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "Echo",
                                          "End": true}}},
        {"StartAt": "B", "States": {
          "B": {"Type": "Task", "Resource": "Fail",
                "Parameters": {"error": "Boom", "cause": "b failed"},
                "Next": "C"},
          "C": {"Type": "Task", "Resource": "Echo", "End": true}}}]}}})",
                              json{{"x", 1}}, &store);
  EXPECT_FALSE(report.outcome.succeeded);
  EXPECT_EQ(report.outcome.error, "Boom");
  EXPECT_EQ(report.outcome.cause, "b failed");
  e2e::ExpectOnlyRecordAndTombstones(store, report.session);
}

TEST(EngineTest, RetryOfAParallelRunsItsBranchesAgainThenCatches) {
  MemoryDatastore store;
  auto report = RunDefinition(R"({"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "Next": "Ok", "Branches": [
        {"StartAt": "F", "States": {"F": {"Type": "Task", "Resource": "Fail",
          "Parameters": {"error": "Boom"}, "End": true}}},
        {"StartAt": "E", "States": {"E": {"Type": "Task", "Resource": "Echo",
          "End": true}}}],
        "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1,
                   "BackoffRate": 1, "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err",
                   "Next": "Caught"}]},
      "Ok": {"Type": "Succeed"},
      "Caught": {"Type": "Pass", "End": true}}})",
                              json{{"x", 1}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(
      report.outcome.result,
      (json{{"x", 1},
            {"err", {{"Error", "Boom"}, {"Cause", "failed on purpose"}}}}));
  // The start helper, then per attempt (3) both branches and the join
  // helper: every attempt ran as new instances.
  EXPECT_EQ(report.runtime.user_runs, 10);
  e2e::ExpectOnlyRecordAndTombstones(store, report.session);
}

}  // namespace
}  // namespace unum
