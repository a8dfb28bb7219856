// The context object (`$$`) in every field that can read it, run through
// `unum`'s compiler and runtime with the task table app. The engine builds
// the context object only for states whose fields read it
// (StateInfo::uses_context); these runs show each such field still sees it,
// on a Task and on the in-place states, inside and outside a Map.
#include <gtest/gtest.h>

#include <string>

#include "app/runner.h"
#include "asl/engine/workflow.h"
#include "datastore/memory/memory_datastore.h"
#include "e2e_util.h"
#include "run_definition.h"

namespace unum {
namespace {

using nlohmann::json;

app::RunReport RunDefinition(const std::string& definition, const json& input,
                             MemoryDatastore* store) {
  return asl_test::RunDefinition(definition, input, store,
                                 "inproc://?workers=2");
}

// The execution's input reaches a later Task however the path names it:
// bracket notation and the whole context object, not only
// `$$.Execution.Input` (which a text search for it would miss).
TEST(ContextPathsTest, ExecutionInputByBracketsAndWholeContextOnALaterTask) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "First", "States": {
      "First": {"Type": "Task", "Resource": "Echo", "Next": "Second"},
      "Second": {"Type": "Task", "Resource": "Echo",
                 "Parameters": {"in.$": "$$['Execution']['Input']",
                                "all.$": "$$"},
                 "ResultSelector": {"in.$": "$.in",
                                    "all_in.$": "$.all.Execution.Input",
                                    "state.$": "$.all.State.Name"},
                 "End": true}}})j",
                              json{{"x", 7}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(
      report.outcome.result,
      (json{{"in", {{"x", 7}}}, {"all_in", {{"x", 7}}}, {"state", "Second"}}));
}

TEST(ContextPathsTest, TaskInputPathParametersIntrinsicAndResultSelector) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "Prep", "States": {
      "Prep": {"Type": "Pass", "Result": {"other": 1}, "Next": "T1"},
      "T1": {"Type": "Task", "Resource": "Echo",
             "InputPath": "$$.Execution.Input",
             "Parameters": {
               "state.$": "$$.State.Name", "x.$": "$.x",
               "id.$": "$$.Execution.Id",
               "retry.$": "$$.State.RetryCount",
               "msg.$":
                 "States.Format('{} got {}', $$.State.Name, $$.Execution.Input.x)"},
             "ResultSelector": {"echo.$": "$", "by.$": "$$.State.Name"},
             "ResultPath": "$.t1", "End": true}}})j",
                              json{{"x", 7}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result, (json{{"other", 1},
                                         {"t1",
                                          {{"echo",
                                            {{"state", "T1"},
                                             {"x", 7},
                                             {"id", report.session},
                                             {"retry", 0},
                                             {"msg", "T1 got 7"}}},
                                           {"by", "T1"}}}}));
}

TEST(ContextPathsTest, TaskOutputPathAndTimeoutSecondsPath) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "Echo",
            "TimeoutSecondsPath": "$$.Execution.Input.t",
            "OutputPath": "$$.Execution.Input.keep", "End": true}}})j",
                              json{{"keep", {{"a", 1}}}, {"t", 60}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result, (json{{"a", 1}}));
}

TEST(ContextPathsTest, ChoiceVariableAndOperandPaths) {
  const std::string definition = R"j({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"And": [
              {"Variable": "$$.Execution.Input.x", "NumericEquals": 7},
              {"Variable": "$$.State.Name", "StringEquals": "C"},
              {"Variable": "$.y", "NumericEqualsPath": "$$.Execution.Input.x"}
            ], "Next": "Yes"}], "Default": "No"},
      "Yes": {"Type": "Pass", "Result": "yes", "End": true},
      "No": {"Type": "Pass", "Result": "no", "End": true}}})j";
  MemoryDatastore store;
  auto yes = RunDefinition(definition, json{{"x", 7}, {"y", 7}}, &store);
  ASSERT_TRUE(yes.outcome.succeeded) << yes.outcome.message;
  EXPECT_EQ(yes.outcome.result, json("yes"));
  auto no = RunDefinition(definition, json{{"x", 7}, {"y", 8}}, &store);
  ASSERT_TRUE(no.outcome.succeeded) << no.outcome.message;
  EXPECT_EQ(no.outcome.result, json("no"));
}

TEST(ContextPathsTest, PassAndWaitStates) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "P", "States": {
      "P": {"Type": "Pass",
            "Parameters": {"name.$": "$$.State.Name",
                           "in.$": "$$.Execution.Input"}, "Next": "W"},
      "W": {"Type": "Wait", "SecondsPath": "$$.Execution.Input.wait",
            "OutputPath": "$$.Execution.Input", "Next": "P2"},
      "P2": {"Type": "Pass", "InputPath": "$$.Execution.Input.wait",
             "ResultPath": "$.w", "End": true}}})j",
                              json{{"wait", 0}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result, (json{{"wait", 0}, {"w", 0}}));
}

TEST(ContextPathsTest, PassParametersKeepTheirResult) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "P", "States": {
      "P": {"Type": "Pass",
            "Parameters": {"name.$": "$$.State.Name",
                           "in.$": "$$.Execution.Input"}, "End": true}}})j",
                              json{{"wait", 0}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result,
            (json{{"name", "P"}, {"in", {{"wait", 0}}}}));
}

TEST(ContextPathsTest, FailErrorPathAndCausePath) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "Stop", "States": {
      "Stop": {"Type": "Fail", "ErrorPath": "$$.State.Name",
               "CausePath": "States.Format('input {}', $$.Execution.Input.x)"}}})j",
                              json{{"x", 7}}, &store);
  EXPECT_FALSE(report.outcome.succeeded);
  EXPECT_EQ(report.outcome.error, "Stop");
  EXPECT_EQ(report.outcome.cause, "input 7");
}

TEST(ContextPathsTest, MapItemsPathItemSelectorAndTasksInside) {
  MemoryDatastore store;
  auto report =
      RunDefinition(R"j({"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemsPath": "$$.Execution.Input.items",
            "MaxConcurrencyPath": "$$.Execution.Input.max",
            "ItemSelector": {"i.$": "$$.Map.Item.Index",
                             "v.$": "$$.Map.Item.Value",
                             "s.$": "$$.State.Name",
                             "f.$":
              "States.Format('{}#{}', $$.Map.Item.Value, $$.Map.Item.Index)"},
            "ResultSelector": {"all.$": "$", "by.$": "$$.State.Name"},
            "End": true,
            "ItemProcessor": {"StartAt": "W", "States": {
              "W": {"Type": "Task", "Resource": "Echo",
                    "Parameters": {"item.$": "$", "w.$": "$$.State.Name",
                                   "x.$": "$$.Execution.Input.x"},
                    "End": true}}}}}})j",
                    json{{"items", {"a", "b"}}, {"max", 1}, {"x", 7}}, &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  const json expected = {
      {"all",
       {{{"item", {{"i", 0}, {"v", "a"}, {"s", "M"}, {"f", "a#0"}}},
         {"w", "W"},
         {"x", 7}},
        {{"item", {{"i", 1}, {"v", "b"}, {"s", "M"}, {"f", "b#1"}}},
         {"w", "W"},
         {"x", 7}}}},
      {"by", "M"}};
  EXPECT_EQ(report.outcome.result, expected);
}

TEST(ContextPathsTest, ParallelParametersAndResultSelector) {
  MemoryDatastore store;
  auto report = RunDefinition(R"j({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel",
              "Parameters": {"n.$": "$$.State.Name"},
              "ResultSelector": {"r.$": "$[0]", "by.$": "$$.State.Name"},
              "End": true,
              "Branches": [{"StartAt": "E", "States": {
                "E": {"Type": "Task", "Resource": "Echo", "End": true}}}]}}})j",
                              json::object(), &store);
  ASSERT_TRUE(report.outcome.succeeded) << report.outcome.message;
  EXPECT_EQ(report.outcome.result,
            (json{{"r", {{"n", "Par"}}}, {"by", "Par"}}));
}

// Which states the engine builds the context object for.
TEST(ContextPathsTest, WorkflowMarksTheStatesThatReadTheContextObject) {
  auto wf = asl::Workflow::Compile(R"j({"StartAt": "Plain", "States": {
      "Plain": {"Type": "Task", "Resource": "Echo",
                "Parameters": {"a.$": "$.a", "lit": "$$.not.a.path"},
                "ResultSelector": {"s.$": "States.Format('{}', $.x)"},
                "Next": "Params"},
      "Params": {"Type": "Task", "Resource": "Echo",
                 "Parameters": {"s.$": "$$.State.Name"}, "Next": "Intr"},
      "Intr": {"Type": "Task", "Resource": "Echo",
               "Parameters": {"s.$":
                 "States.Array($.a, States.Format('{}', $$.Execution.Id))"},
               "Next": "Out"},
      "Out": {"Type": "Task", "Resource": "Echo", "OutputPath": "$$.State",
              "Next": "Tmo"},
      "Tmo": {"Type": "Task", "Resource": "Echo",
              "TimeoutSecondsPath": "$$.Execution.Input.t", "Next": "C"},
      "C": {"Type": "Choice", "Choices": [{"Not":
              {"Variable": "$.a", "StringEqualsPath": "$$.State.Name"},
              "Next": "W"}], "Default": "W"},
      "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "M"},
      "M": {"Type": "Map", "ItemSelector": {"i.$": "$$.Map.Item.Index"},
            "Next": "M2", "ItemProcessor": {"StartAt": "In", "States": {
              "In": {"Type": "Pass", "End": true}}}},
      "M2": {"Type": "Map", "ItemsPath": "$.xs", "End": true,
             "ItemProcessor": {"StartAt": "In2", "States": {
               "In2": {"Type": "Pass", "End": true}}}}}})j");
  ASSERT_TRUE(wf.ok()) << wf.status().ToString();
  const std::pair<const char*, bool> kExpected[] = {
      {"Plain", false}, {"Params", true}, {"Intr", true}, {"Out", true},
      {"Tmo", true},    {"C", true},      {"W", false},   {"M", true},
      {"M2", false},    {"In", false},    {"In2", false}};
  for (const auto& [state, uses] : kExpected) {
    const asl::StateInfo* info = (*wf)->Find(state);
    ASSERT_NE(info, nullptr) << state;
    EXPECT_EQ(info->uses_context, uses) << state;
  }
}

}  // namespace
}  // namespace unum
