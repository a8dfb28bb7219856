#include "asl/engine/workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "asl/engine/compile_report.h"
#include "asl/engine/interpreter.h"

namespace unum::asl {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Workflow> MustCompile(
    const std::string& text, const std::vector<std::string>& fns = {}) {
  auto wf = Workflow::Compile(text, fns);
  EXPECT_TRUE(wf.ok()) << wf.status().ToString();
  return wf.ok() ? *wf : nullptr;
}

std::vector<std::string> Names(const Workflow& wf) {
  std::vector<std::string> out;
  for (const CompiledFunction& f : wf.functions()) out.push_back(f.name);
  return out;
}

TEST(WorkflowTest, ChainOfTasksNeedsNoHelper) {
  auto wf = MustCompile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "f", "Next": "P"},
      "P": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:g",
            "End": true}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(Names(*wf), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(wf->start_function(), "A");
  EXPECT_EQ(wf->FindFunction("A")->handler, "f");
  EXPECT_EQ(wf->FindFunction("B")->handler, "g");
  EXPECT_EQ(wf->Find("A")->loop, -1);
}

TEST(WorkflowTest, StartingWithAMapAddsAStartHelper) {
  auto wf = MustCompile(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemProcessor": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "f", "End": true}}},
            "Next": "After"},
      "After": {"Type": "Task", "Resource": "g", "End": true}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(Names(*wf), (std::vector<std::string>{"After", "T", "unum-start"}));
  EXPECT_EQ(wf->start_function(), "unum-start");
  EXPECT_THAT(wf->FindFunction("unum-start")->reason,
              HasSubstr("starts with Map state \"M\""));
  // The Task after the Map joins it; the item processor ends at T.
  EXPECT_EQ(wf->JoinFunction("M"), "After");
  EXPECT_EQ(wf->machines()[1].end_function, "T");
  EXPECT_FALSE(wf->machines()[1].end_is_slot);
}

TEST(WorkflowTest, ParallelFollowedByChoiceGetsAJoinHelper) {
  auto wf = MustCompile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "f", "Next": "P"},
      "P": {"Type": "Parallel", "Next": "C", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Task", "Resource": "f",
                                            "End": true}}},
        {"StartAt": "K", "States": {"K": {"Type": "Pass", "End": true}}}]},
      "C": {"Type": "Choice", "Choices": [
        {"Variable": "$[0]", "IsPresent": true, "Next": "D"}],
        "Default": "E"},
      "D": {"Type": "Task", "Resource": "f", "End": true},
      "E": {"Type": "Succeed"}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(wf->JoinFunction("P"), "unum-join-P");
  EXPECT_THAT(wf->FindFunction("unum-join-P")->reason,
              HasSubstr("followed by Choice state \"C\""));
  // Branch 0 ends at its only Task; branch 1 ends without a Task, so its
  // result goes to a slot.
  EXPECT_EQ(wf->machines()[1].end_function, "B1");
  EXPECT_TRUE(wf->machines()[2].end_is_slot);
  EXPECT_EQ(wf->machines()[2].end_function, "unum-end-P-1");
}

TEST(WorkflowTest, BranchStartingWithAMapGetsABranchHelper) {
  auto wf = MustCompile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "f", "Next": "P"},
      "P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
          "Iterator": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "f", "End": true}}}}}}]}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(wf->BranchStartFunction(1), "unum-branch-P-0");
  EXPECT_EQ(wf->JoinFunction("P"), "unum-join-P");
  EXPECT_EQ(wf->JoinFunction("M"), "unum-join-M");
}

TEST(WorkflowTest, TasksOnALoopShareALoopId) {
  auto wf = MustCompile(R"({"StartAt": "Inc", "States": {
      "Inc": {"Type": "Task", "Resource": "f", "Next": "More?"},
      "More?": {"Type": "Choice", "Choices": [
        {"Variable": "$.i", "NumericLessThan": 3, "Next": "Inc"}],
        "Default": "Done"},
      "Done": {"Type": "Task", "Resource": "f", "End": true}}})");
  ASSERT_TRUE(wf);
  EXPECT_GE(wf->Find("Inc")->loop, 0);
  EXPECT_EQ(wf->Find("Done")->loop, -1);
}

TEST(WorkflowTest, ALoopThroughAParallelIsRejectedNamingTheStates) {
  auto wf = Workflow::Compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "f", "Next": "P"},
      "P": {"Type": "Parallel", "Next": "A", "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "f",
                                          "End": true}}}]}}})");
  ASSERT_FALSE(wf.ok());
  EXPECT_THAT(wf.status().message(), HasSubstr("state \"P\""));
  EXPECT_THAT(wf.status().message(), HasSubstr("loop"));
}

TEST(WorkflowTest, UnknownResourceNamesTheStateAndTheAppFunctions) {
  auto wf = Workflow::Compile(
      R"({"StartAt": "A", "States": {
          "A": {"Type": "Task", "Resource": "Nope", "End": true}}})",
      {"Hello", "World"});
  ASSERT_FALSE(wf.ok());
  EXPECT_EQ(wf.status().message(),
            "state \"A\": Resource: \"Nope\" names no function of the app "
            "(it has: Hello, World)");
}

TEST(WorkflowTest, StateNamesBecomeSafeUniqueFunctionNames) {
  auto wf = MustCompile(R"({"StartAt": "Do it/now", "States": {
      "Do it/now": {"Type": "Task", "Resource": "f", "Next": "Do it now"},
      "Do it now": {"Type": "Task", "Resource": "f", "End": true}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(Names(*wf), (std::vector<std::string>{"Do_it_now", "Do_it_now-2"}));
  EXPECT_EQ(wf->TaskFunction("Do it now"), "Do_it_now-2");
}

TEST(WorkflowTest, MalformedDefinitionsAreClearErrors) {
  EXPECT_THAT(Workflow::Compile("{").status().message(), HasSubstr("JSON"));
  EXPECT_THAT(Workflow::Compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Wrong", "End": true}}})")
                  .status()
                  .message(),
              HasSubstr("\"A\""));
}

TEST(CompileSummaryTest, CountsInvocationsAndTransitionsPerPath) {
  auto wf = MustCompile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "f", "Next": "Norm"},
      "Norm": {"Type": "Pass", "Next": "Big?"},
      "Big?": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericGreaterThan": 9, "Next": "B"}],
        "Default": "Small"},
      "B": {"Type": "Task", "Resource": "f", "Next": "Done"},
      "Done": {"Type": "Succeed"},
      "Small": {"Type": "Map", "End": true, "ItemProcessor": {
        "StartAt": "T", "States": {
          "W": {"Type": "Wait", "Seconds": 1, "Next": "T2"},
          "T": {"Type": "Task", "Resource": "f", "Next": "W"},
          "T2": {"Type": "Task", "Resource": "f", "End": true}}}}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(CompileSummary(*wf, "app"),
            "app: 5 functions (4 for Task states, 1 helpers), starts at \"A\"\n"
            "  helper unum-join-Small: Map state \"Small\" ends its machine, "
            "so no Task can join its branches\n"
            "2 path(s) through the workflow:\n"
            "  1. A -> Norm -> Big? -> B -> Done (succeeds): Unum 2 "
            "invocation(s), Step Functions 5 state transition(s)\n"
            "  2. A -> Norm -> Big? -> Small (succeeds): Unum 2 + 2 per item "
            "of \"Small\" invocation(s), Step Functions 4 + 3 per item of "
            "\"Small\" state transition(s)\n");
}

TEST(WorkflowTest, CountsTheStatesTheInterpreterEnters) {
  auto wf = MustCompile(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Next": "C"},
      "C": {"Type": "Choice", "Default": "Done", "Choices": [
            {"Variable": "$.x", "NumericEquals": 1, "Next": "T"}]},
      "T": {"Type": "Task", "Resource": "f", "End": true},
      "Done": {"Type": "Succeed"}}})");
  ASSERT_TRUE(wf);
  EXPECT_EQ(wf->transitions(), 0);
  Execution exec;
  exec.id = "s";
  // P, C, Done.
  EXPECT_TRUE(RunFrom(*wf, "P", {{"x", 2}}, exec).contains("End"));
  EXPECT_EQ(wf->transitions(), 3);
  // P, C; the Task is entered when its function runs, not here.
  EXPECT_TRUE(RunFrom(*wf, "P", {{"x", 1}}, exec).contains("Task"));
  EXPECT_EQ(wf->transitions(), 5);
}

}  // namespace
}  // namespace unum::asl
