// Tests for route enumeration: which non-Task states a transition passes
// through in place, and where it ends.
#include "asl/compiler/routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace unum::asl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

StateMachine Parse(std::string_view text) {
  Result<StateMachine> m = ParseStateMachine(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : StateMachine{};
}

std::vector<Route> From(const StateMachine& m, std::string_view entry) {
  auto routes = RoutesFrom(m, entry);
  EXPECT_TRUE(routes.ok()) << routes.status().ToString();
  return routes.ok() ? *routes : std::vector<Route>{};
}

RouteStep Step(std::string state, StateType type,
               int choice = RouteStep::kNotChoice) {
  return RouteStep{std::move(state), type, choice};
}

TEST(RoutesTest, TaskToTaskIsAnEmptyRoute) {
  StateMachine m = Parse(R"({"StartAt": "A", "States": {
    "A": {"Type": "Task", "Resource": "a", "Next": "B"},
    "B": {"Type": "Task", "Resource": "b", "End": true}}})");
  EXPECT_THAT(From(m, "A"), ElementsAre(Route{{}, RouteEnd::kTask, "A"}));
  EXPECT_THAT(*RoutesAfter(m, *m.Find("A")),
              ElementsAre(Route{{}, RouteEnd::kTask, "B"}));
  EXPECT_THAT(*RoutesAfter(m, *m.Find("B")),
              ElementsAre(Route{{}, RouteEnd::kSucceed, ""}));
}

TEST(RoutesTest, PassAndWaitRunInPlace) {
  StateMachine m = Parse(R"({"StartAt": "A", "States": {
    "A": {"Type": "Task", "Resource": "a", "Next": "P"},
    "P": {"Type": "Pass", "Next": "W"},
    "W": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Pass", "End": true}}})");
  EXPECT_THAT(*RoutesAfter(m, *m.Find("A")),
              ElementsAre(Route{
                  {Step("P", StateType::kPass), Step("W", StateType::kWait),
                   Step("Done", StateType::kPass)},
                  RouteEnd::kSucceed,
                  ""}));
}

TEST(RoutesTest, ChoiceSplitsARoutePerRuleAndDefault) {
  StateMachine m = Parse(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"Variable": "$.n", "NumericLessThan": 0, "Next": "Bad"}],
          "Default": "Small"},
    "Big": {"Type": "Task", "Resource": "big", "End": true},
    "Bad": {"Type": "Fail", "Error": "Negative"},
    "Small": {"Type": "Succeed"}}})");
  EXPECT_THAT(
      From(m, m.start_at),
      ElementsAre(
          Route{{Step("C", StateType::kChoice, 0)}, RouteEnd::kTask, "Big"},
          Route{
              {Step("C", StateType::kChoice, 1), Step("Bad", StateType::kFail)},
              RouteEnd::kFail,
              "Bad"},
          Route{{Step("C", StateType::kChoice, RouteStep::kDefaultRule),
                 Step("Small", StateType::kSucceed)},
                RouteEnd::kSucceed,
                "Small"}));
}

TEST(RoutesTest, ChoiceWithoutDefaultCanFailWithNoMatch) {
  StateMachine m = Parse(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.ok", "BooleanEquals": true, "Next": "T"}]},
    "T": {"Type": "Task", "Resource": "t", "End": true}}})");
  EXPECT_THAT(
      From(m, "C"),
      ElementsAre(
          Route{{Step("C", StateType::kChoice, 0)}, RouteEnd::kTask, "T"},
          Route{{Step("C", StateType::kChoice, RouteStep::kNoMatch)},
                RouteEnd::kFail,
                ""}));
}

TEST(RoutesTest, NestedChoicesMultiplyRoutes) {
  StateMachine m = Parse(R"({"StartAt": "C1", "States": {
    "C1": {"Type": "Choice", "Choices": [
             {"Variable": "$.a", "IsPresent": true, "Next": "C2"}],
           "Default": "C2"},
    "C2": {"Type": "Choice", "Choices": [
             {"Variable": "$.b", "IsPresent": true, "Next": "M"}],
           "Default": "P"},
    "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {
            "I": {"Type": "Task", "Resource": "i", "End": true}}},
          "End": true},
    "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
            "B": {"Type": "Task", "Resource": "b", "End": true}}}],
          "End": true}}})");
  const std::vector<Route> routes = From(m, "C1");
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[0].end, RouteEnd::kMap);
  EXPECT_EQ(routes[0].target, "M");
  EXPECT_EQ(routes[1].end, RouteEnd::kParallel);
  EXPECT_EQ(routes[1].target, "P");
  EXPECT_THAT(routes[3].steps, ElementsAre(Step("C1", StateType::kChoice, -1),
                                           Step("C2", StateType::kChoice, -1)));
}

TEST(RoutesTest, ALoopThroughATaskIsFine) {
  StateMachine m = Parse(R"({"StartAt": "Work", "States": {
    "Work": {"Type": "Task", "Resource": "w", "Next": "Again?"},
    "Again?": {"Type": "Choice", "Choices": [
                 {"Variable": "$.more", "BooleanEquals": true,
                  "Next": "Work"}],
               "Default": "Done"},
    "Done": {"Type": "Succeed"}}})");
  const auto routes = RoutesAfter(m, *m.Find("Work"));
  ASSERT_TRUE(routes.ok());
  ASSERT_EQ(routes->size(), 2u);
  EXPECT_EQ((*routes)[0].end, RouteEnd::kTask);
  EXPECT_EQ((*routes)[0].target, "Work");
}

TEST(RoutesTest, ALoopWithoutATaskIsAnError) {
  StateMachine m = Parse(R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "t", "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$.x", "IsPresent": true, "Next": "Wait"}],
              "Default": "Done"},
    "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
    "Done": {"Type": "Succeed"}}})");
  const auto routes = RoutesAfter(m, *m.Find("T"));
  ASSERT_FALSE(routes.ok());
  EXPECT_EQ(routes.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(routes.status().message(),
              HasSubstr("states \"Check\" -> \"Wait\" -> \"Check\" form a "
                        "loop that runs no Task"));
}

TEST(RoutesTest, UnknownEntryIsAnError) {
  StateMachine m = Parse(R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "t", "End": true}}})");
  EXPECT_EQ(RoutesFrom(m, "Nope").status().message(),
            "\"Nope\" names no state");
}

}  // namespace
}  // namespace unum::asl
