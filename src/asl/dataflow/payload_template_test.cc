#include "asl/dataflow/payload_template.h"

#include <gtest/gtest.h>

namespace unum::asl {
namespace {

using nlohmann::json;

const json kInput = json::parse(R"({
  "name": "Ada", "n": 41, "list": [1, 2, 3],
  "items": [{"id": "a", "ok": true}, {"id": "b", "ok": false}],
  "nested": {"k": {"v": "deep"}}, "text": "{\"j\": [1]}", "bad": "{"
})");
const json kContext = json::parse(
    R"({"Execution": {"Id": "exec-1"}, "State": {"Name": "Greet"}})");

json Eval(const json& tmpl, const json& input = kInput) {
  Result<PayloadTemplate> t = PayloadTemplate::Compile(tmpl, "Parameters");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return json();
  Outcome<json> out = t->Evaluate(input, kContext);
  EXPECT_TRUE(out.ok()) << out.error().error << ": " << out.error().cause;
  return out.ok() ? *out : json();
}

StatesError EvalError(const json& tmpl, const json& input = kInput) {
  Result<PayloadTemplate> t = PayloadTemplate::Compile(tmpl, "Parameters");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return {};
  Outcome<json> out = t->Evaluate(input, kContext);
  EXPECT_FALSE(out.ok());
  return out.ok() ? StatesError{} : out.error();
}

std::string CompileError(const json& tmpl) {
  Result<PayloadTemplate> t =
      PayloadTemplate::Compile(tmpl, "Check.Parameters");
  EXPECT_FALSE(t.ok());
  if (t.ok()) return "";
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  return t.status().message();
}

TEST(PayloadTemplateTest, StaticFieldsAreCopied) {
  const json tmpl = json::parse(
      R"({"a": 1, "b": {"c": [true, null, "$.name"]}, "d": "$.n"})");
  EXPECT_EQ(Eval(tmpl), tmpl);
  EXPECT_EQ(Eval(json("plain")), json("plain"));
  EXPECT_EQ(Eval(json::array({1, 2})), json::array({1, 2}));
}

TEST(PayloadTemplateTest, PathFields) {
  EXPECT_EQ(Eval(json::parse(R"({
      "who.$": "$.name", "count.$": "$.n", "all.$": "$",
      "deep.$": "$.nested.k.v", "first.$": "$.list[0]",
      "last.$": "$.list[-1]", "static": "$.name"})")),
            json::parse(R"({
      "who": "Ada", "count": 41, "all": )" +
                        kInput.dump() + R"(,
      "deep": "deep", "first": 1, "last": 3, "static": "$.name"})"));
}

TEST(PayloadTemplateTest, IndefinitePathsGiveArrays) {
  EXPECT_EQ(Eval(json::parse(R"({
      "ids.$": "$.items[*].id", "ok.$": "$.items[?(@.ok == true)].id",
      "none.$": "$.items[?(@.id == 'z')]", "tail.$": "$.list[1:]"})")),
            json::parse(R"({"ids": ["a", "b"], "ok": ["a"], "none": [],
                            "tail": [2, 3]})"));
}

TEST(PayloadTemplateTest, ContextPaths) {
  EXPECT_EQ(Eval(json::parse(R"({"exec.$": "$$.Execution.Id",
                                 "state.$": "$$.State.Name",
                                 "ctx.$": "$$"})")),
            json::parse(R"({"exec": "exec-1", "state": "Greet",
                            "ctx": )" +
                        kContext.dump() + "}"));
}

TEST(PayloadTemplateTest, NestedObjectsAndArrays) {
  EXPECT_EQ(Eval(json::parse(R"({
      "outer": {"inner.$": "$.name", "keep": 1,
                "list": [{"x.$": "$.n"}, 7, ["$.n", {"y.$": "$.list[1]"}]]},
      "arr": [{"z.$": "$.nested.k"}]})")),
            json::parse(R"({
      "outer": {"inner": "Ada", "keep": 1,
                "list": [{"x": 41}, 7, ["$.n", {"y": 2}]]},
      "arr": [{"z": {"v": "deep"}}]})"));
}

TEST(PayloadTemplateTest, Intrinsics) {
  EXPECT_EQ(Eval(json::parse(R"J({
      "greeting.$": "States.Format('Hello {}, {} of {}', $.name, $.n, $$.State.Name)",
      "arr.$": "States.Array($.n, 'x', States.MathAdd($.n, 1))",
      "parsed.$": "States.StringToJson($.text)",
      "len.$": "States.ArrayLength($.list)"})J")),
            json::parse(R"({"greeting": "Hello Ada, 41 of Greet",
                            "arr": [41, "x", 42], "parsed": {"j": [1]},
                            "len": 3})"));
}

TEST(PayloadTemplateTest, MissingPathIsParameterPathFailure) {
  EXPECT_EQ(
      EvalError(json::parse(R"({"a": {"b.$": "$.missing"}})"), json{{"x", 1}}),
      (StatesError{"States.ParameterPathFailure",
                   "The JSONPath '$.missing' specified for the field "
                   "'Parameters.a.b.$' could not be found in the input "
                   "'{\"x\":1}'"}));
  EXPECT_EQ(EvalError(json::parse(R"({"a.$": "$$.Execution.Name"})")),
            (StatesError{"States.ParameterPathFailure",
                         "The JSONPath '$$.Execution.Name' specified for the "
                         "field 'Parameters.a.$' could not be found in the "
                         "context object '" +
                             kContext.dump() + "'"}));
  EXPECT_EQ(EvalError(json::parse(R"([{"a.$": "$.list[9]"}])")).error,
            "States.ParameterPathFailure");
  EXPECT_EQ(
      EvalError(json::parse(R"J({"a.$": "States.Format('{}', $.nope)"})J")),
      (StatesError{"States.ParameterPathFailure",
                   "The JSONPath '$.nope' could not be found in the "
                   "input"}));
}

TEST(PayloadTemplateTest, IntrinsicFailure) {
  EXPECT_EQ(EvalError(json::parse(R"J({"a.$": "States.StringToJson($.bad)"})J"))
                .error,
            "States.IntrinsicFailure");
}

TEST(PayloadTemplateTest, ResolvePathText) {
  Outcome<json> v = ResolvePathText("$.nested.k.v", kInput, kContext);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, json("deep"));
  v = ResolvePathText("$$.Execution.Id", kInput, kContext);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, json("exec-1"));
  v = ResolvePathText("$.list[*]", kInput, kContext);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, json::parse("[1,2,3]"));
  v = ResolvePathText("$.[", kInput, kContext);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error(),
            (StatesError{"States.ParameterPathFailure",
                         "invalid JSONPath \"$.[\" at offset 2: unexpected "
                         "character '[' where a name was expected"}));
}

TEST(PayloadTemplateTest, CompileErrorsNameTheField) {
  EXPECT_EQ(CompileError(json::parse(R"({"a": {"b.$": 3}})")),
            "Check.Parameters.a.b.$: the value of a field ending in '.$' must "
            "be a string");
  EXPECT_EQ(CompileError(json::parse(R"({"a.$": "name"})")),
            "Check.Parameters.a.$: \"name\" is neither a path ('$...', "
            "'$$...') nor an intrinsic function call");
  EXPECT_EQ(CompileError(json::parse(R"({"list": [1, {"x.$": "$.a["}]})")),
            "Check.Parameters.list[1].x.$: invalid JSONPath \"$.a[\" at "
            "offset 3: unterminated '['");
  EXPECT_EQ(CompileError(json::parse(R"({"a": 1, "a.$": "$.x"})")),
            "Check.Parameters.a.$: the field \"a\" appears twice (with and "
            "without '.$')");
  EXPECT_EQ(CompileError(json::parse(R"J({"f.$": "States.Array(1, $.)"})J")),
            "Check.Parameters.f.$: States.Array: invalid JSONPath \"$.\" at "
            "offset 2: expected a name after '.'");
  EXPECT_EQ(CompileError(json::parse(
                R"J({"f.$": "States.Array(States.Array($$.a[?(@ ==)]))"})J")),
            "Check.Parameters.f.$: States.Array: invalid JSONPath "
            "\"$$.a[?(@ ==)]\" at offset 11: unexpected character ')' where a "
            "value was expected");
  std::string bad_call =
      CompileError(json::parse(R"J({"f.$": "States.NoSuchFunction(1)"})J"));
  EXPECT_EQ(bad_call.rfind("Check.Parameters.f.$: ", 0), 0u) << bad_call;
}

}  // namespace
}  // namespace unum::asl
