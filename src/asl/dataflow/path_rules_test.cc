#include "asl/dataflow/path_rules.h"

#include <gtest/gtest.h>

namespace unum::asl {
namespace {

using nlohmann::json;

const json kContext = json::parse(R"({"State": {"Name": "S"}})");

SelectPath MakeSelect(const json* value, bool allow_null = true) {
  Result<SelectPath> p = SelectPath::Compile(value, "S.InputPath", allow_null);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : SelectPath();
}

ResultPathRule MakeResultPath(const json* value) {
  Result<ResultPathRule> r = ResultPathRule::Compile(value, "S.ResultPath");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ResultPathRule();
}

StateIo MakeIo(const char* state, StateIoKind kind) {
  Result<StateIo> io = StateIo::Compile(json::parse(state), kind, "S");
  EXPECT_TRUE(io.ok()) << io.status().ToString();
  return io.ok() ? *io : StateIo();
}

std::string IoError(const char* state, StateIoKind kind) {
  Result<StateIo> io = StateIo::Compile(json::parse(state), kind, "S");
  EXPECT_FALSE(io.ok());
  if (io.ok()) return "";
  EXPECT_EQ(io.status().code(), StatusCode::kInvalidArgument);
  return io.status().message();
}

template <typename T>
T Ok(Outcome<T> o) {
  EXPECT_TRUE(o.ok()) << o.error().error << ": " << o.error().cause;
  return o.ok() ? std::move(o).value() : T();
}

template <typename T>
StatesError Err(Outcome<T> o) {
  EXPECT_FALSE(o.ok());
  return o.ok() ? StatesError{} : o.error();
}

TEST(SelectPathTest, AbsentNullAndPaths) {
  const json input = json::parse(R"({"a": {"b": 1}, "l": [1, 2]})");
  SelectPath absent = MakeSelect(nullptr);
  EXPECT_TRUE(absent.is_default());
  EXPECT_EQ(Ok(absent.Apply(input, kContext)), input);
  const json null_value = nullptr;
  SelectPath null_path = MakeSelect(&null_value);
  EXPECT_TRUE(null_path.is_null());
  EXPECT_EQ(Ok(null_path.Apply(input, kContext)), json::object());
  const json a = "$.a";
  EXPECT_EQ(Ok(MakeSelect(&a).Apply(input, kContext)), (json{{"b", 1}}));
  const json all = "$.l[*]";
  EXPECT_EQ(Ok(MakeSelect(&all).Apply(input, kContext)), json({1, 2}));
  const json none = "$.l[?(@ > 5)]";
  EXPECT_EQ(Ok(MakeSelect(&none).Apply(input, kContext)), json::array());
  const json ctx = "$$.State.Name";
  EXPECT_EQ(Ok(MakeSelect(&ctx).Apply(input, kContext)), json("S"));
}

TEST(SelectPathTest, NoMatchIsStatesRuntime) {
  const json missing = "$.nope";
  EXPECT_EQ(Err(MakeSelect(&missing).Apply(json{{"a", 1}}, kContext)),
            (StatesError{"States.Runtime",
                         "Invalid path '$.nope' in S.InputPath: it matches "
                         "nothing in {\"a\":1}"}));
}

TEST(SelectPathTest, MessagesCutLongInputAndSurviveBadUtf8) {
  const json missing = "$.nope";
  const json big = json{{"s", std::string(300, 'x')}};
  std::string dumped = big.dump();
  EXPECT_EQ(Err(MakeSelect(&missing).Apply(big, kContext)).cause,
            "Invalid path '$.nope' in S.InputPath: it matches nothing in " +
                dumped.substr(0, 256) + "...");
  const json bad_utf8 = json{{"s", "\xff"}};
  EXPECT_EQ(Err(MakeSelect(&missing).Apply(bad_utf8, kContext)).cause,
            "Invalid path '$.nope' in S.InputPath: it matches nothing in "
            "{\"s\":\"\xEF\xBF\xBD\"}");
}

TEST(SelectPathTest, CompileErrors) {
  const json number = 3;
  Result<SelectPath> p = SelectPath::Compile(&number, "S.OutputPath");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "S.OutputPath: must be a string path or null");
  const json bad = "$.a[";
  p = SelectPath::Compile(&bad, "S.OutputPath");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "S.OutputPath: invalid JSONPath \"$.a[\" at offset 3: "
            "unterminated '['");
  const json null_value = nullptr;
  p = SelectPath::Compile(&null_value, "S.ItemsPath", false);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "S.ItemsPath: must be a path, not null");
}

TEST(ResultPathTest, ReplaceDiscardAndMerge) {
  const json input = json::parse(R"({"a": 1, "o": {"x": 1}, "l": [0, 1]})");
  const json result = json::parse(R"({"r": true})");
  EXPECT_EQ(Ok(MakeResultPath(nullptr).Apply(input, result)), result);
  const json root = "$";
  ResultPathRule replace = MakeResultPath(&root);
  EXPECT_FALSE(replace.path().has_value());
  EXPECT_EQ(Ok(replace.Apply(input, result)), result);
  const json null_value = nullptr;
  ResultPathRule discard = MakeResultPath(&null_value);
  EXPECT_TRUE(discard.discards_result());
  EXPECT_EQ(Ok(discard.Apply(input, result)), input);
  const json at_r = "$.res";
  EXPECT_EQ(Ok(MakeResultPath(&at_r).Apply(input, result)),
            json::parse(R"({"a": 1, "o": {"x": 1}, "l": [0, 1],
                            "res": {"r": true}})"));
  const json overwrite = "$.o.x";
  EXPECT_EQ(Ok(MakeResultPath(&overwrite).Apply(input, 5)),
            json::parse(R"({"a": 1, "o": {"x": 5}, "l": [0, 1]})"));
  const json create = "$.new.deeper['odd key']";
  EXPECT_EQ(Ok(MakeResultPath(&create).Apply(input, "v")),
            json::parse(R"({"a": 1, "o": {"x": 1}, "l": [0, 1],
                            "new": {"deeper": {"odd key": "v"}}})"));
  const json element = "$.l[1]";
  EXPECT_EQ(Ok(MakeResultPath(&element).Apply(input, "v")),
            json::parse(R"({"a": 1, "o": {"x": 1}, "l": [0, "v"]})"));
  const json in_object = json::parse(R"({"l": [{"k": 1}]})");
  const json through = "$.l[0].m";
  EXPECT_EQ(Ok(MakeResultPath(&through).Apply(in_object, 2)),
            json::parse(R"({"l": [{"k": 1, "m": 2}]})"));
}

TEST(ResultPathTest, MatchFailures) {
  const json at_r = "$.res";
  EXPECT_EQ(Err(MakeResultPath(&at_r).Apply(json::array({1}), 5)),
            (StatesError{"States.ResultPathMatchFailure",
                         "Unable to apply ResultPath '$.res': the value it "
                         "descends into is not an object"}));
  EXPECT_EQ(Err(MakeResultPath(&at_r).Apply("text", 5)).error,
            "States.ResultPathMatchFailure");
  const json through_scalar = "$.a.b";
  EXPECT_EQ(Err(MakeResultPath(&through_scalar).Apply(json{{"a", 1}}, 5)).error,
            "States.ResultPathMatchFailure");
  EXPECT_EQ(
      Err(MakeResultPath(&through_scalar).Apply(json{{"a", nullptr}}, 5)).error,
      "States.ResultPathMatchFailure");
  const json out_of_range = "$.l[2]";
  EXPECT_EQ(Err(MakeResultPath(&out_of_range).Apply(json{{"l", {0}}}, 5)),
            (StatesError{"States.ResultPathMatchFailure",
                         "Unable to apply ResultPath '$.l[2]': index 2 is "
                         "not in an array"}));
  const json index_of_object = "$.o[0]";
  EXPECT_EQ(Err(MakeResultPath(&index_of_object)
                    .Apply(json{{"o", json::object()}}, 5))
                .error,
            "States.ResultPathMatchFailure");
}

TEST(ResultPathTest, CompileErrors) {
  for (const char* p :
       {"$.a[*]", "$$.Execution", "$.a[-1]", "$..a", "$.a[0:1]"}) {
    const json value = p;
    Result<ResultPathRule> r = ResultPathRule::Compile(&value, "S.ResultPath");
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().message(),
              std::string("S.ResultPath: \"") + p +
                  "\" is not a Reference Path (only '$', names and "
                  "non-negative indices)");
  }
  const json number = 1;
  Result<ResultPathRule> r = ResultPathRule::Compile(&number, "S.ResultPath");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "S.ResultPath: must be a string path or null");
  const json bad = "$.";
  r = ResultPathRule::Compile(&bad, "S.ResultPath");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "S.ResultPath: invalid JSONPath \"$.\" at offset 2: expected a "
            "name after '.'");
}

// The whole Task pipeline in the spec's order.
TEST(StateIoTest, TaskOrder) {
  StateIo io = MakeIo(R"({
      "Type": "Task", "Resource": "f",
      "InputPath": "$.order",
      "Parameters": {"id.$": "$.id", "qty.$": "$.lines[*].qty",
                     "state.$": "$$.State.Name"},
      "ResultSelector": {"total.$": "$.sum", "raw.$": "$"},
      "ResultPath": "$.order.result",
      "OutputPath": "$.order"})",
                      StateIoKind::kTask);
  const json raw = json::parse(R"({"order": {"id": 7,
      "lines": [{"qty": 2}, {"qty": 3}]}, "other": true})");
  json effective = Ok(io.EffectiveInput(raw, kContext));
  EXPECT_EQ(effective, json::parse(R"({"id": 7, "qty": [2, 3],
                                       "state": "S"})"));
  const json task_result = json::parse(R"({"sum": 5, "extra": 1})");
  EXPECT_EQ(Ok(io.Output(raw, task_result, kContext)),
            json::parse(R"({"id": 7, "lines": [{"qty": 2}, {"qty": 3}],
                            "result": {"total": 5,
                                       "raw": {"sum": 5, "extra": 1}}})"));
}

TEST(StateIoTest, DefaultsPassEverythingThrough) {
  StateIo io = MakeIo(R"({"Type": "Task"})", StateIoKind::kTask);
  const json raw = json{{"a", 1}};
  EXPECT_EQ(Ok(io.EffectiveInput(raw, kContext)), raw);
  EXPECT_EQ(Ok(io.Output(raw, "r", kContext)), json("r"));
  EXPECT_EQ(io.kind(), StateIoKind::kTask);
}

TEST(StateIoTest, NullPaths) {
  StateIo io =
      MakeIo(R"({"InputPath": null, "ResultPath": null, "OutputPath": null})",
             StateIoKind::kTask);
  EXPECT_EQ(Ok(io.EffectiveInput(json{{"a", 1}}, kContext)), json::object());
  EXPECT_EQ(Ok(io.Output(json{{"a", 1}}, "r", kContext)), json::object());
  StateIo keep = MakeIo(R"({"ResultPath": null})", StateIoKind::kParallel);
  EXPECT_EQ(Ok(keep.Output(json{{"a", 1}}, json::array({1, 2}), kContext)),
            (json{{"a", 1}}));
}

TEST(StateIoTest, FailuresPropagate) {
  StateIo io = MakeIo(R"({"InputPath": "$.missing"})", StateIoKind::kTask);
  EXPECT_EQ(Err(io.EffectiveInput(json{{"a", 1}}, kContext)).error,
            "States.Runtime");
  io = MakeIo(R"({"Parameters": {"x.$": "$.missing"}})", StateIoKind::kTask);
  EXPECT_EQ(Err(io.EffectiveInput(json{{"a", 1}}, kContext)).error,
            "States.ParameterPathFailure");
  io =
      MakeIo(R"({"ResultSelector": {"x.$": "$.missing"}})", StateIoKind::kTask);
  EXPECT_EQ(Err(io.Output(json{{"a", 1}}, json{{"b", 1}}, kContext)),
            (StatesError{"States.ParameterPathFailure",
                         "The JSONPath '$.missing' specified for the field "
                         "'S.ResultSelector.x.$' could not be found in the "
                         "input '{\"b\":1}'"}));
  io = MakeIo(R"({"ResultPath": "$.r"})", StateIoKind::kTask);
  EXPECT_EQ(Err(io.Output(json("str"), 1, kContext)).error,
            "States.ResultPathMatchFailure");
  io = MakeIo(R"({"OutputPath": "$.missing"})", StateIoKind::kTask);
  EXPECT_EQ(Err(io.Output(json{{"a", 1}}, json{{"b", 1}}, kContext)),
            (StatesError{"States.Runtime",
                         "Invalid path '$.missing' in S.OutputPath: it "
                         "matches nothing in {\"b\":1}"}));
}

TEST(StateIoTest, Pass) {
  StateIo io = MakeIo(R"({"Type": "Pass", "Result": {"fixed": 1},
                          "ResultPath": "$.out"})",
                      StateIoKind::kPass);
  const json raw = json{{"in", 1}};
  json effective = Ok(io.EffectiveInput(raw, kContext));
  EXPECT_EQ(io.PassResult(effective), (json{{"fixed", 1}}));
  EXPECT_EQ(Ok(io.Output(raw, io.PassResult(effective), kContext)),
            json::parse(R"({"in": 1, "out": {"fixed": 1}})"));
  // Without Result, the Parameters output is the result.
  io = MakeIo(R"({"Parameters": {"v.$": "$.in"}, "ResultPath": "$.p"})",
              StateIoKind::kPass);
  effective = Ok(io.EffectiveInput(raw, kContext));
  EXPECT_EQ(io.PassResult(effective), (json{{"v", 1}}));
  EXPECT_EQ(Ok(io.Output(raw, io.PassResult(effective), kContext)),
            json::parse(R"({"in": 1, "p": {"v": 1}})"));
}

TEST(StateIoTest, Map) {
  StateIo io = MakeIo(R"J({
      "Type": "Map", "InputPath": "$.job", "ItemsPath": "$.items",
      "ItemSelector": {"item.$": "$$.Map.Item.Value",
                       "index.$": "$$.Map.Item.Index",
                       "owner.$": "$.owner",
                       "state.$": "$$.State.Name"},
      "ResultSelector": {"count.$": "States.ArrayLength($)"},
      "ResultPath": "$.summary"})J",
                      StateIoKind::kMap);
  const json raw =
      json::parse(R"({"job": {"owner": "ada", "items": ["x", "y"]}})");
  json effective = Ok(io.EffectiveInput(raw, kContext));
  EXPECT_EQ(effective, raw["job"]);  // no Parameters at the Map level
  json items = Ok(io.MapItems(effective, kContext));
  EXPECT_EQ(items, json({"x", "y"}));
  EXPECT_EQ(Ok(io.MapItemInput(effective, 1, items[1], kContext)),
            json::parse(R"({"item": "y", "index": 1, "owner": "ada",
                            "state": "S"})"));
  EXPECT_EQ(Ok(io.Output(raw, json({"rx", "ry"}), kContext)),
            json::parse(R"({"job": {"owner": "ada", "items": ["x", "y"]},
                            "summary": {"count": 2}})"));
}

TEST(StateIoTest, MapDefaultsAndLegacyParameters) {
  StateIo plain = MakeIo(R"({"Type": "Map"})", StateIoKind::kMap);
  EXPECT_EQ(Ok(plain.MapItems(json({1, 2}), kContext)), json({1, 2}));
  EXPECT_EQ(Ok(plain.MapItemInput(json({1, 2}), 0, 1, kContext)), json(1));
  EXPECT_EQ(Err(plain.MapItems(json{{"a", 1}}, kContext)),
            (StatesError{"States.Runtime",
                         "ItemsPath must select an array, got {\"a\":1}"}));
  StateIo legacy = MakeIo(R"({"Parameters": {"v.$": "$$.Map.Item.Value"}})",
                          StateIoKind::kMap);
  EXPECT_EQ(Ok(legacy.EffectiveInput(json({5}), kContext)), json({5}));
  EXPECT_EQ(Ok(legacy.MapItemInput(json({5}), 0, 5, kContext)),
            (json{{"v", 5}}));
}

TEST(StateIoTest, ChoiceWaitSucceedOnlyFilter) {
  StateIo io = MakeIo(R"({"InputPath": "$.a", "OutputPath": "$.b"})",
                      StateIoKind::kChoice);
  const json raw = json::parse(R"({"a": {"b": 2}})");
  json effective = Ok(io.EffectiveInput(raw, kContext));
  EXPECT_EQ(effective, (json{{"b", 2}}));
  EXPECT_EQ(Ok(io.Output(raw, effective, kContext)), json(2));
  StateIo wait =
      MakeIo(R"({"Type": "Wait", "Seconds": 1})", StateIoKind::kWait);
  EXPECT_EQ(Ok(wait.Output(raw, raw, kContext)), raw);
  StateIo fail =
      MakeIo(R"({"Type": "Fail", "Error": "E"})", StateIoKind::kFail);
  EXPECT_EQ(Ok(fail.EffectiveInput(raw, kContext)), raw);
}

TEST(StateIoTest, CompileErrors) {
  EXPECT_EQ(IoError(R"({"ResultSelector": {}})", StateIoKind::kPass),
            "S.ResultSelector: not allowed in this type of state");
  EXPECT_EQ(IoError(R"({"Parameters": {}})", StateIoKind::kChoice),
            "S.Parameters: not allowed in this type of state");
  EXPECT_EQ(IoError(R"({"ResultPath": "$.x"})", StateIoKind::kSucceed),
            "S.ResultPath: not allowed in this type of state");
  EXPECT_EQ(IoError(R"({"InputPath": "$"})", StateIoKind::kFail),
            "S.InputPath: not allowed in this type of state");
  EXPECT_EQ(IoError(R"({"ItemsPath": "$"})", StateIoKind::kTask),
            "S.ItemsPath: not allowed in this type of state");
  EXPECT_EQ(IoError(R"({"Result": 1})", StateIoKind::kTask),
            "S.Result: not allowed in this type of state");
  EXPECT_EQ(
      IoError(R"({"Parameters": {}, "ItemSelector": {}})", StateIoKind::kMap),
      "S.ItemSelector: not allowed together with Parameters (its older "
      "name)");
  EXPECT_EQ(IoError(R"({"ItemSelector": {"a.$": 1}})", StateIoKind::kMap),
            "S.ItemSelector.a.$: the value of a field ending in '.$' must be "
            "a string");
  EXPECT_EQ(IoError(R"({"Parameters": {"a.$": "$["}})", StateIoKind::kTask),
            "S.Parameters.a.$: invalid JSONPath \"$[\" at offset 1: "
            "unterminated '['");
  EXPECT_EQ(IoError(R"({"ResultSelector": {"a.$": "x"}})", StateIoKind::kTask),
            "S.ResultSelector.a.$: \"x\" is neither a path ('$...', '$$...') "
            "nor an intrinsic function call");
  EXPECT_EQ(IoError(R"({"ResultPath": "$.a[*]"})", StateIoKind::kTask),
            "S.ResultPath: \"$.a[*]\" is not a Reference Path (only '$', "
            "names and non-negative indices)");
  EXPECT_EQ(IoError(R"({"InputPath": 1})", StateIoKind::kTask),
            "S.InputPath: must be a string path or null");
  EXPECT_EQ(IoError(R"({"ItemsPath": null})", StateIoKind::kMap),
            "S.ItemsPath: must be a path, not null");
  EXPECT_EQ(IoError(R"([])", StateIoKind::kTask),
            "S: a state must be an object");
}

}  // namespace
}  // namespace unum::asl
