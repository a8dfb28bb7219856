#include "asl/definition/state_machine.h"

#include <gtest/gtest.h>

#include <string>

namespace unum::asl {
namespace {

using nlohmann::json;

StateMachine Parse(std::string_view text) {
  Result<StateMachine> m = ParseStateMachine(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : StateMachine{};
}

// The message of the InvalidArgument that parsing `text` yields.
std::string Error(std::string_view text) {
  Result<StateMachine> m = ParseStateMachine(text);
  EXPECT_FALSE(m.ok());
  if (m.ok()) return "<parsed>";
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  return m.status().message();
}

// A one-state machine whose state is `state` (a JSON object text).
std::string One(std::string_view state) {
  return R"({"StartAt": "A", "States": {"A": )" + std::string(state) + "}}";
}

TEST(StateMachineParseTest, TopLevelFieldsAndOrder) {
  StateMachine m = Parse(R"({
    "Comment": "demo", "TimeoutSeconds": 60, "Version": "1.0",
    "QueryLanguage": "JSONPath", "StartAt": "Zed",
    "States": {
      "Zed": {"Type": "Pass", "Next": "Alpha"},
      "Alpha": {"Type": "Succeed"}
    }})");
  EXPECT_EQ(m.comment, "demo");
  EXPECT_EQ(m.timeout_seconds, 60);
  EXPECT_EQ(m.version, "1.0");
  EXPECT_EQ(m.start_at, "Zed");
  ASSERT_EQ(m.states.size(), 2u);
  EXPECT_EQ(m.states[0].name, "Zed");  // definition order, not sorted
  EXPECT_EQ(m.states[1].name, "Alpha");
  EXPECT_EQ(m.Find("Alpha"), &m.states[1]);
  EXPECT_EQ(m.Find("Nope"), nullptr);
}

TEST(StateMachineParseTest, Task) {
  StateMachine m = Parse(R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Comment": "c",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F",
          "InputPath": "$.in", "OutputPath": null, "ResultPath": "$.r",
          "Parameters": {"a.$": "$.x", "b": 1},
          "ResultSelector": {"v.$": "$.Payload"},
          "TimeoutSeconds": 30,
          "Retry": [
            {"ErrorEquals": ["E1", "E2"], "IntervalSeconds": 2,
             "MaxAttempts": 0, "BackoffRate": 1.5, "MaxDelaySeconds": 10,
             "JitterStrategy": "FULL"},
            {"ErrorEquals": ["States.ALL"]}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H",
                     "ResultPath": "$.err"}],
          "Next": "H"},
    "H": {"Type": "Succeed"}}})");
  State want;
  want.name = "T";
  want.type = StateType::kTask;
  want.comment = "c";
  want.resource = "arn:aws:lambda:us-east-1:123456789012:function:F";
  want.input_path = json("$.in");
  want.output_path = json(nullptr);
  want.result_path = json("$.r");
  want.parameters = json::parse(R"({"a.$": "$.x", "b": 1})");
  want.result_selector = json::parse(R"({"v.$": "$.Payload"})");
  want.timeout_seconds = 30;
  want.retry = {
      Retrier{{"E1", "E2"}, 2, 0, 1.5, 10, JitterStrategy::kFull},
      Retrier{{"States.ALL"}, 1, 3, 2.0, std::nullopt, JitterStrategy::kNone}};
  want.catchers = {Catcher{{"States.ALL"}, "H", json("$.err")}};
  want.next = "H";
  EXPECT_EQ(m.states[0], want);
  EXPECT_EQ(m.states[1].type, StateType::kSucceed);
}

TEST(StateMachineParseTest, TaskTimeoutPath) {
  StateMachine m = Parse(One(
      R"({"Type": "Task", "Resource": "r", "TimeoutSecondsPath": "$.t",
          "End": true})"));
  EXPECT_EQ(m.states[0].timeout_seconds_path, "$.t");
  EXPECT_EQ(m.states[0].timeout_seconds, std::nullopt);
  EXPECT_TRUE(m.states[0].end);
  EXPECT_EQ(m.states[0].next, std::nullopt);
}

TEST(StateMachineParseTest, Pass) {
  StateMachine m = Parse(One(
      R"({"Type": "Pass", "Result": [1, "x"], "ResultPath": null,
          "Parameters": {"k": "v"}, "End": true})"));
  State want;
  want.name = "A";
  want.type = StateType::kPass;
  want.result = json::parse(R"([1, "x"])");
  want.result_path = json(nullptr);
  want.parameters = json({{"k", "v"}});
  want.end = true;
  EXPECT_EQ(m.states[0], want);
}

TEST(StateMachineParseTest, Choice) {
  StateMachine m = Parse(R"({"StartAt": "C", "States": {
    "C": {"Type": "Choice", "InputPath": "$.x",
          "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"},
            {"And": [{"Variable": "$.s", "StringEquals": "a"}], "Next": "Small"}],
          "Default": "Small"},
    "Big": {"Type": "Succeed"},
    "Small": {"Type": "Fail", "Error": "Tiny", "Cause": "too small"}}})");
  const State& c = m.states[0];
  EXPECT_EQ(c.type, StateType::kChoice);
  EXPECT_EQ(c.input_path, json("$.x"));
  ASSERT_EQ(c.choices.size(), 2u);
  EXPECT_EQ(c.choices[0].rule,
            json::parse(R"({"Variable": "$.n", "NumericGreaterThan": 5,
                            "Next": "Big"})"));
  EXPECT_EQ(c.choices[0].next, "Big");
  EXPECT_EQ(c.choices[1].next, "Small");
  EXPECT_EQ(c.default_next, "Small");
  EXPECT_EQ(c.next, std::nullopt);
  EXPECT_FALSE(c.end);
  const State& fail = m.states[2];
  EXPECT_EQ(fail.type, StateType::kFail);
  EXPECT_EQ(fail.error, "Tiny");
  EXPECT_EQ(fail.cause, "too small");
}

TEST(StateMachineParseTest, WaitVariants) {
  EXPECT_EQ(Parse(One(R"({"Type": "Wait", "Seconds": 0, "End": true})"))
                .states[0]
                .seconds,
            0);
  EXPECT_EQ(Parse(One(R"({"Type": "Wait", "SecondsPath": "$.s",
                          "End": true})"))
                .states[0]
                .seconds_path,
            "$.s");
  EXPECT_EQ(Parse(One(R"({"Type": "Wait",
                          "Timestamp": "2016-03-14T01:59:00.5+01:00",
                          "End": true})"))
                .states[0]
                .timestamp,
            "2016-03-14T01:59:00.5+01:00");
  EXPECT_EQ(Parse(One(R"({"Type": "Wait", "TimestampPath": "$.t",
                          "Next": "A"})"))
                .states[0]
                .timestamp_path,
            "$.t");
}

TEST(StateMachineParseTest, FailPaths) {
  State f = Parse(One(R"json({"Type": "Fail", "ErrorPath": "$.e",
      "CausePath": "States.Format('bad {}', $.x)"})json"))
                .states[0];
  EXPECT_EQ(f.error_path, "$.e");
  EXPECT_EQ(f.cause_path, "States.Format('bad {}', $.x)");
  EXPECT_EQ(f.error, std::nullopt);
}

TEST(StateMachineParseTest, ParallelWithNestedBranches) {
  StateMachine m = Parse(R"({"StartAt": "P", "States": {
    "P": {"Type": "Parallel", "ResultSelector": {"a.$": "$[0]"},
          "Branches": [
            {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
            {"Comment": "inner", "StartAt": "Q", "States": {
              "Q": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "D", "States": {"D": {"Type": "Task",
                  "Resource": "deep", "End": true}}}]}}}],
          "End": true}}})");
  const State& p = m.states[0];
  EXPECT_EQ(p.type, StateType::kParallel);
  EXPECT_EQ(p.result_selector, json::parse(R"({"a.$": "$[0]"})"));
  ASSERT_EQ(p.branches.size(), 2u);
  EXPECT_EQ(p.branches[0].start_at, "B1");
  EXPECT_EQ(p.branches[1].comment, "inner");
  const State& q = p.branches[1].states[0];
  ASSERT_EQ(q.branches.size(), 1u);
  EXPECT_EQ(q.branches[0].states[0].resource, "deep");
}

TEST(StateMachineParseTest, MapWithItemProcessor) {
  StateMachine m = Parse(R"({"StartAt": "M", "States": {
    "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 4,
          "ItemSelector": {"v.$": "$$.Map.Item.Value"},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"},
                            "StartAt": "W",
                            "States": {"W": {"Type": "Task", "Resource": "w",
                                             "End": true}}},
          "ResultPath": "$.out", "End": true}}})");
  const State& map = m.states[0];
  EXPECT_EQ(map.type, StateType::kMap);
  EXPECT_EQ(map.items_path, "$.items");
  EXPECT_EQ(map.max_concurrency, 4);
  EXPECT_EQ(map.item_selector, json::parse(R"({"v.$": "$$.Map.Item.Value"})"));
  EXPECT_EQ(map.parameters, std::nullopt);
  EXPECT_FALSE(map.uses_iterator_field);
  ASSERT_TRUE(map.item_processor.has_value());
  EXPECT_EQ(map.item_processor->start_at, "W");
  EXPECT_EQ(map.item_processor->states[0].resource, "w");
  EXPECT_EQ(map.result_path, json("$.out"));
}

TEST(StateMachineParseTest, MapWithIteratorAndParameters) {
  StateMachine m = Parse(R"({"StartAt": "M", "States": {
    "M": {"Type": "Map", "Parameters": {"x.$": "$.x"},
          "MaxConcurrencyPath": "$.mc",
          "Iterator": {"StartAt": "W",
                       "States": {"W": {"Type": "Pass", "End": true}}},
          "Next": "Done"},
    "Done": {"Type": "Succeed"}}})");
  const State& map = m.states[0];
  EXPECT_TRUE(map.uses_iterator_field);
  EXPECT_EQ(map.item_selector, json::parse(R"({"x.$": "$.x"})"));
  EXPECT_EQ(map.max_concurrency, 0);
  EXPECT_EQ(map.max_concurrency_path, "$.mc");
  EXPECT_EQ(map.next, "Done");
}

TEST(StateMachineParseTest, JsonOverloadSortsStates) {
  json d = json::parse(R"({"StartAt": "Z", "States": {
    "Z": {"Type": "Pass", "Next": "A"}, "A": {"Type": "Succeed"}}})");
  Result<StateMachine> m = ParseStateMachine(d);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->states[0].name, "A");
  EXPECT_EQ(m->states[1].name, "Z");
}

TEST(StateMachineErrorTest, MachineLevel) {
  EXPECT_EQ(Error("[1]"), "state machine: must be a JSON object, got array");
  EXPECT_EQ(Error(R"({"States": {"A": {"Type": "Succeed"}}})"),
            "state machine: StartAt: is required");
  EXPECT_EQ(Error(R"({"StartAt": "B", "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: StartAt: \"B\" names no state");
  EXPECT_EQ(Error(R"({"StartAt": "A"})"), "state machine: States: is required");
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {}})"),
            "state machine: States: must be a non-empty JSON object");
  EXPECT_EQ(Error(R"({"StartAt": "A", "Extra": 1,
                      "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: Extra: unknown field");
  EXPECT_EQ(Error(R"({"StartAt": "A", "TimeoutSeconds": 0,
                      "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: TimeoutSeconds: must be a positive integer, got 0");
  EXPECT_EQ(Error(R"({"StartAt": 5, "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: StartAt: must be a string, got number");
  EXPECT_EQ(Error(R"({"StartAt": "A", "QueryLanguage": "JSONata",
                      "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: QueryLanguage: JSONata is not supported (only "
            "JSONPath)");
  EXPECT_EQ(Error(R"({"StartAt": "A", "QueryLanguage": "XPath",
                      "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: QueryLanguage: must be \"JSONPath\" or "
            "\"JSONata\", got \"XPath\"");
  EXPECT_EQ(Error("{\"StartAt\": \"A\", \"States\": {\"" +
                  std::string(81, 'n') + "\": {\"Type\": \"Succeed\"}}}"),
            "state \"" + std::string(81, 'n') +
                "\": the name is longer than 80 characters");
  std::string deep =
      "{\"StartAt\": \"A\", \"Comment\": " + std::string(600, '[') +
      std::string(600, ']') + "}";
  EXPECT_EQ(Error(deep), "state machine: JSON nested deeper than 512 levels");
  std::string bad = Error("{\"StartAt\": ");
  EXPECT_EQ(bad.rfind("state machine: not valid JSON: ", 0), 0u) << bad;
}

TEST(StateMachineErrorTest, Transitions) {
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Next": "Z"})")),
            "state \"A\": Next: \"Z\" names no state");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Next": "A", "End": true})")),
            "state \"A\": End: cannot be true when Next is set");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": "r"})")),
            "state \"A\": Next: a Task state needs Next or \"End\": true");
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "Seconds": 1, "End": false})")),
            "state \"A\": Next: a Wait state needs Next or \"End\": true");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "End": "yes"})")),
            "state \"A\": End: must be a boolean, got string");
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {
                  "A": {"Type": "Succeed"}, "Lost": {"Type": "Succeed"}}})"),
            "state \"Lost\": is not reachable from StartAt \"A\"");
  EXPECT_EQ(Error(One(R"({"Type": "Choice", "Default": "X",
                          "Choices": [{"Variable": "$.a", "IsNull": true,
                                       "Next": "A"}]})")),
            "state \"A\": Default: \"X\" names no state");
  EXPECT_EQ(Error(One(R"({"Type": "Choice",
                          "Choices": [{"Variable": "$.a", "IsNull": true,
                                       "Next": "Q"}]})")),
            "state \"A\": Choices[0].Next: \"Q\" names no state");
  EXPECT_EQ(Error(One(R"({"Type": "Choice",
                          "Choices": [{"Variable": "$.a", "IsNull": true}]})")),
            "state \"A\": Choices[0].Next: is required");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": "r", "End": true,
                          "Catch": [{"ErrorEquals": ["E"], "Next": "H"}]})")),
            "state \"A\": Catch[0].Next: \"H\" names no state");
  // A state reached only through a Catch is reachable.
  EXPECT_TRUE(ParseStateMachine(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "r", "End": true,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}]},
      "H": {"Type": "Fail"}}})")
                  .ok());
}

TEST(StateMachineErrorTest, NestedMachinesNameTheirPlace) {
  EXPECT_EQ(Error(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel",
      "End": true, "Branches": [
        {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "P"}}}]}}})"),
            "state \"P\" > branch 1 > state \"B\": Next: \"P\" names no "
            "state");
  EXPECT_EQ(Error(R"({"StartAt": "M", "States": {"M": {"Type": "Map",
      "End": true, "ItemProcessor": {"StartAt": "Nope",
        "States": {"W": {"Type": "Succeed"}}}}}})"),
            "state \"M\" > ItemProcessor: StartAt: \"Nope\" names no state");
  EXPECT_EQ(Error(R"({"StartAt": "M", "States": {"M": {"Type": "Map",
      "End": true, "Iterator": {"StartAt": "W",
        "States": {"W": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "V", "States": {"V": {"Type": "Bogus"}}}]}}}}}})"),
            "state \"M\" > Iterator > state \"W\" > branch 0 > state \"V\": "
            "Type: unknown state type \"Bogus\"");
  EXPECT_EQ(Error(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel",
      "End": true, "Branches": [{"StartAt": "X", "TimeoutSeconds": 5,
        "States": {"X": {"Type": "Succeed"}}}]}}})"),
            "state \"P\" > branch 0: TimeoutSeconds: unknown field");
  EXPECT_EQ(Error(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel",
      "End": true, "Branches": []}}})"),
            "state \"P\": Branches: must be a non-empty array of state "
            "machines");
}

TEST(StateMachineErrorTest, DuplicateKeys) {
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Succeed"},
      "A": {"Type": "Succeed"}}})"),
            "state machine: States: duplicate state name \"A\"");
  EXPECT_EQ(Error(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel",
      "End": true, "Branches": [
        {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}},
        {"StartAt": "B", "States": {"B": {"Type": "Succeed"},
                                    "B": {"Type": "Fail"}}}]}}})"),
            "state \"P\" > branch 1: States: duplicate state name \"B\"");
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {"A": {"Type": "Pass",
      "Parameters": {"k": 1, "k": 2}, "End": true}}})"),
            "state \"A\": Parameters: duplicate key \"k\"");
  EXPECT_EQ(Error(R"({"StartAt": "A", "StartAt": "A",
                      "States": {"A": {"Type": "Succeed"}}})"),
            "state machine: duplicate key \"StartAt\"");
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {"A": {"Type": "Task",
      "Resource": "r", "End": true,
      "Retry": [{"ErrorEquals": ["x"]}, {"ErrorEquals": ["y"], "MaxAttempts": 1,
                 "MaxAttempts": 2}]}}})"),
            "state \"A\": Retry[1]: duplicate key \"MaxAttempts\"");
}

TEST(StateMachineErrorTest, StateNamesAreUniqueAcrossNestedMachines) {
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {
      "A": {"Type": "Parallel", "Next": "B", "Branches": [
        {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}]},
      "B": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "X",
        "States": {"X": {"Type": "Succeed"}}}}}})"),
            "state \"B\" > ItemProcessor > state \"X\": duplicate state name "
            "(also used by state \"A\" > branch 0 > state \"X\")");
  EXPECT_EQ(Error(R"({"StartAt": "A", "States": {
      "A": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}})"),
            "state \"A\" > branch 0 > state \"A\": duplicate state name "
            "(also used by state \"A\")");
}

TEST(StateMachineErrorTest, StateFields) {
  EXPECT_EQ(Error(One(R"({"Next": "A"})")), "state \"A\": Type: is required");
  EXPECT_EQ(Error(One(R"("Pass")")),
            "state \"A\": must be a JSON object, got string");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "End": true, "Colour": 1})")),
            "state \"A\": Colour: unknown field in a Pass state");
  EXPECT_EQ(Error(One(R"({"Type": "Choice", "ResultPath": "$.x",
                          "Choices": [{"Variable": "$.a", "IsNull": true,
                                       "Next": "A"}]})")),
            "state \"A\": ResultPath: not allowed in a Choice state");
  EXPECT_EQ(Error(One(R"({"Type": "Succeed", "Next": "A"})")),
            "state \"A\": Next: not allowed in a Succeed state");
  EXPECT_EQ(Error(One(R"({"Type": "Fail", "InputPath": "$"})")),
            "state \"A\": InputPath: not allowed in a Fail state");
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "Seconds": 1, "Retry": [],
                          "End": true})")),
            "state \"A\": Retry: not allowed in a Wait state");
  EXPECT_EQ(
      Error(One(R"({"Type": "Pass", "ResultSelector": {}, "End": true})")),
      "state \"A\": ResultSelector: not allowed in a Pass state");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "End": true})")),
            "state \"A\": Resource: is required");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": 7, "End": true})")),
            "state \"A\": Resource: must be a string, got number");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": "r", "End": true,
                          "TimeoutSeconds": "5"})")),
            "state \"A\": TimeoutSeconds: must be a positive integer, got "
            "string");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": "r", "End": true,
                          "TimeoutSeconds": 1.5})")),
            "state \"A\": TimeoutSeconds: must be a positive integer, got 1.5");
  EXPECT_EQ(Error(One(R"({"Type": "Task", "Resource": "r", "End": true,
                          "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t"})")),
            "state \"A\": TimeoutSecondsPath: cannot be used together with "
            "TimeoutSeconds");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "InputPath": "a.b", "End": true})")),
            "state \"A\": InputPath: must be a path starting with '$', got "
            "\"a.b\"");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "OutputPath": 3, "End": true})")),
            "state \"A\": OutputPath: must be a path string or null, got "
            "number");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Parameters": [1], "End": true})")),
            "state \"A\": Parameters: must be a JSON object, got array");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Comment": 1, "End": true})")),
            "state \"A\": Comment: must be a string, got number");
  EXPECT_EQ(Error(One(R"({"Type": "Choice", "Choices": []})")),
            "state \"A\": Choices: must be a non-empty array of rules");
  EXPECT_EQ(Error(One(R"({"Type": "Choice"})")),
            "state \"A\": Choices: is required");
}

TEST(StateMachineErrorTest, WaitAndFailCombinations) {
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "End": true})")),
            "state \"A\": Seconds: a Wait state needs exactly one of Seconds, "
            "SecondsPath, Timestamp, TimestampPath");
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "Seconds": 1,
                          "TimestampPath": "$.t", "End": true})")),
            "state \"A\": SecondsPath: a Wait state needs exactly one of "
            "Seconds, SecondsPath, Timestamp, TimestampPath");
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "Seconds": -1, "End": true})")),
            "state \"A\": Seconds: must be a non-negative integer, got -1");
  EXPECT_EQ(Error(One(R"({"Type": "Wait", "Timestamp": "2016-03-14 01:59:00",
                          "End": true})")),
            "state \"A\": Timestamp: must be an RFC 3339 timestamp such as "
            "2016-03-14T01:59:00Z, got \"2016-03-14 01:59:00\"");
  EXPECT_EQ(Error(One(R"({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})")),
            "state \"A\": ErrorPath: cannot be used together with Error");
  EXPECT_EQ(Error(One(R"({"Type": "Fail", "Cause": "c", "CausePath": "$.c"})")),
            "state \"A\": CausePath: cannot be used together with Cause");
  EXPECT_EQ(Error(One(R"({"Type": "Fail", "CausePath": "cause"})")),
            "state \"A\": CausePath: must be a path starting with '$' or an "
            "intrinsic function, got \"cause\"");
  EXPECT_EQ(
      Error(One(R"json({"Type": "Fail", "ErrorPath": "States.Nope()"})json")),
      "state \"A\": ErrorPath: intrinsic function \"States.Nope()\": at "
      "position 0: unknown intrinsic function States.Nope");
}

std::string TaskWith(std::string_view fields) {
  return One(R"({"Type": "Task", "Resource": "r", "End": true, )" +
             std::string(fields) + "}");
}

TEST(StateMachineErrorTest, RetryAndCatch) {
  EXPECT_EQ(
      Error(TaskWith(R"("Retry": [{"ErrorEquals": ["States.ALL", "E"]}])")),
      "state \"A\": Retry[0].ErrorEquals: \"States.ALL\" must be the "
      "only error name");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["States.ALL"]},
                                        {"ErrorEquals": ["E"]}])")),
            "state \"A\": Retry[0].ErrorEquals: a retrier with \"States.ALL\" "
            "must be the last one");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": []}])")),
            "state \"A\": Retry[0].ErrorEquals: must be a non-empty array of "
            "strings, got []");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"MaxAttempts": 2}])")),
            "state \"A\": Retry[0].ErrorEquals: is required");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["E"],
                                         "MaxAttempts": -1}])")),
            "state \"A\": Retry[0].MaxAttempts: must be a non-negative "
            "integer, got -1");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["E"],
                                         "BackoffRate": 0.5}])")),
            "state \"A\": Retry[0].BackoffRate: must be a number >= 1.0, got "
            "0.5");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["E"],
                                         "IntervalSeconds": 0}])")),
            "state \"A\": Retry[0].IntervalSeconds: must be a positive "
            "integer, got 0");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["E"],
                                         "JitterStrategy": "HALF"}])")),
            "state \"A\": Retry[0].JitterStrategy: must be \"FULL\" or "
            "\"NONE\", got \"HALF\"");
  EXPECT_EQ(Error(TaskWith(R"("Retry": [{"ErrorEquals": ["E"], "Wat": 1}])")),
            "state \"A\": Retry[0].Wat: unknown field");
  EXPECT_EQ(Error(TaskWith(R"("Retry": {"ErrorEquals": ["E"]})")),
            "state \"A\": Retry: must be an array, got object");
  EXPECT_EQ(Error(TaskWith(R"("Catch": [{"ErrorEquals": ["E"]}])")),
            "state \"A\": Catch[0].Next: is required");
  EXPECT_EQ(Error(TaskWith(R"("Catch": [{"ErrorEquals": ["States.ALL"],
                                          "Next": "A"},
                                         {"ErrorEquals": ["E"], "Next": "A"}])")),
            "state \"A\": Catch[0].ErrorEquals: a catcher with \"States.ALL\" "
            "must be the last one");
  EXPECT_EQ(Error(TaskWith(R"("Catch": [{"ErrorEquals": ["E"], "Next": "A",
                                          "ResultPath": 1}])")),
            "state \"A\": Catch[0].ResultPath: must be a path string or null, "
            "got number");
}

TEST(StateMachineErrorTest, UnsupportedFeatures) {
  EXPECT_EQ(Error(TaskWith(R"("HeartbeatSeconds": 10)")),
            "state \"A\": HeartbeatSeconds: not supported (task heartbeats)");
  EXPECT_EQ(Error(TaskWith(R"("HeartbeatSecondsPath": "$.h")")),
            "state \"A\": HeartbeatSecondsPath: not supported (task "
            "heartbeats)");
  EXPECT_EQ(Error(TaskWith(R"("Credentials": {})")),
            "state \"A\": Credentials: not supported (cross-account task "
            "credentials)");
  EXPECT_EQ(Error(TaskWith(R"("Arguments": {})")),
            "state \"A\": Arguments: not supported (JSONata)");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Output": {}, "End": true})")),
            "state \"A\": Output: not supported (JSONata)");
  EXPECT_EQ(Error(One(R"({"Type": "Pass", "Assign": {}, "End": true})")),
            "state \"A\": Assign: not supported (workflow variables)");
  EXPECT_EQ(Error(TaskWith(R"("QueryLanguage": "JSONata")")),
            "state \"A\": QueryLanguage: JSONata is not supported (only "
            "JSONPath)");
  EXPECT_EQ(Error(TaskWith(R"("Catch": [{"ErrorEquals": ["E"], "Next": "A",
                                          "Assign": {}}])")),
            "state \"A\": Catch[0].Assign: not supported (workflow "
            "variables)");
  std::string map = R"({"StartAt": "M", "States": {"M": {"Type": "Map",
      "End": true, "ItemProcessor": {%s"StartAt": "W",
        "States": {"W": {"Type": "Succeed"}}}%s}}})";
  auto map_with = [&](std::string_view in_processor,
                      std::string_view in_state) {
    std::string s = map;
    s.replace(s.find("%s"), 2, in_processor);
    s.replace(s.find("%s"), 2, in_state);
    return s;
  };
  EXPECT_EQ(
      Error(map_with(R"("ProcessorConfig": {"Mode": "DISTRIBUTED"}, )", "")),
      "state \"M\" > ItemProcessor: ProcessorConfig.Mode: DISTRIBUTED "
      "is not supported (only INLINE)");
  EXPECT_EQ(Error(map_with(
                R"("ProcessorConfig": {"ExecutionType": "STANDARD"}, )", "")),
            "state \"M\" > ItemProcessor: ProcessorConfig.ExecutionType: not "
            "supported (distributed Map)");
  for (std::string field :
       {"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount",
        "ToleratedFailurePercentage", "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath", "Label"}) {
    EXPECT_EQ(Error(map_with("", ", \"" + field + "\": {}")),
              "state \"M\": " + field + ": not supported (distributed Map)");
  }
  EXPECT_EQ(Error(map_with("", R"(, "Items": [1, 2])")),
            "state \"M\": Items: not supported (JSONata)");
  EXPECT_EQ(Error(map_with("", R"(, "Iterator": {})")),
            "state \"M\": Iterator: cannot be used together with "
            "ItemProcessor");
  EXPECT_EQ(Error(map_with("", R"(, "Parameters": {}, "ItemSelector": {})")),
            "state \"M\": Parameters: cannot be used together with "
            "ItemSelector");
  EXPECT_EQ(Error(map_with("", R"(, "MaxConcurrency": 2,
                                  "MaxConcurrencyPath": "$.m")")),
            "state \"M\": MaxConcurrencyPath: cannot be used together with "
            "MaxConcurrency");
  EXPECT_EQ(Error(map_with("", R"(, "ItemsPath": "items")")),
            "state \"M\": ItemsPath: must be a path starting with '$', got "
            "\"items\"");
  EXPECT_EQ(Error(One(R"({"Type": "Map", "End": true})")),
            "state \"A\": ItemProcessor: is required (or Iterator)");
}

TEST(StateMachineTest, TaskResources) {
  StateMachine m = Parse(R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "r1", "Next": "P"},
    "P": {"Type": "Parallel", "Next": "M", "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "r2",
                                        "End": true}}},
      {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "r1",
                                        "End": true}}}]},
    "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I",
      "States": {"I": {"Type": "Task", "Resource": "r3", "End": true}}}}}})");
  EXPECT_EQ(TaskResources(m), (std::vector<std::string>{"r1", "r2", "r3"}));
}

TEST(StateMachineTest, LambdaFunctionName) {
  EXPECT_EQ(*LambdaFunctionName(
                "arn:aws:lambda:us-east-1:123456789012:function:HelloWorld"),
            "HelloWorld");
  EXPECT_EQ(*LambdaFunctionName(
                "arn:aws:lambda:us-west-2:123456789012:function:Hello:prod"),
            "Hello");
  EXPECT_EQ(*LambdaFunctionName(
                "arn:aws-cn:lambda:cn-north-1:123456789012:function:F:$LATEST"),
            "F");
  Result<std::string> bad =
      LambdaFunctionName("arn:aws:states:::lambda:invoke");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "\"arn:aws:states:::lambda:invoke\" is not a Lambda function ARN "
            "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])");
  EXPECT_FALSE(LambdaFunctionName("HelloWorld").ok());
  EXPECT_FALSE(
      LambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:")
          .ok());
  EXPECT_FALSE(
      LambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:layer:L:1")
          .ok());
}

TEST(StateMachineTest, FindByIndexAndAfterStatesChange) {
  auto parsed = ParseStateMachine(std::string_view(R"({"StartAt": "A",
      "States": {"A": {"Type": "Pass", "Next": "B"},
                 "B": {"Type": "Parallel", "End": true, "Branches": [
                   {"StartAt": "C", "States": {"C": {"Type": "Succeed"}}}]}}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  StateMachine m = *parsed;  // a copy keeps a valid index (positions)
  ASSERT_NE(m.Find("A"), nullptr);
  EXPECT_EQ(m.Find("A")->name, "A");
  ASSERT_NE(m.Find("B"), nullptr);
  EXPECT_EQ(m.Find("B")->type, StateType::kParallel);
  EXPECT_EQ(m.Find("C"), nullptr);  // a branch's state, not this machine's
  ASSERT_NE(m.Find("B")->branches[0].Find("C"), nullptr);
  EXPECT_EQ(m.Find("nope"), nullptr);

  // Changed without IndexStates(): still right (a scan), and right again
  // indexed.
  State d;
  d.name = "D";
  d.type = StateType::kSucceed;
  m.states[0] = d;
  EXPECT_EQ(m.Find("A"), nullptr);
  ASSERT_NE(m.Find("D"), nullptr);
  EXPECT_EQ(m.Find("D")->type, StateType::kSucceed);
  m.states.push_back(d);
  m.states.back().name = "E";
  ASSERT_NE(m.Find("E"), nullptr);
  m.IndexStates();
  EXPECT_EQ(m.Find("E"), &m.states[2]);
  EXPECT_EQ(m.Find("D"), &m.states[0]);

  // Duplicate names: the first wins, as in a scan.
  m.states = {d, d};
  m.states[1].type = StateType::kPass;
  m.IndexStates();
  EXPECT_EQ(m.Find("D"), &m.states[0]);
}

TEST(StateMachineTest, ValidateHandBuiltMachine) {
  StateMachine m;
  m.start_at = "A";
  State a;
  a.name = "A";
  a.type = StateType::kPass;
  a.end = true;
  m.states = {a, a};
  EXPECT_EQ(ValidateStateMachine(m).message(),
            "state machine: States: duplicate state name \"A\"");
  m.states = {a};
  EXPECT_TRUE(ValidateStateMachine(m).ok());
  m.states[0].type = StateType::kSucceed;
  EXPECT_EQ(ValidateStateMachine(m).message(),
            "state \"A\": End: not allowed in a Succeed state");
}

}  // namespace
}  // namespace unum::asl
