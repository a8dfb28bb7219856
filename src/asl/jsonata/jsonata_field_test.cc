#include "asl/jsonata/jsonata_field.h"

#include <gtest/gtest.h>

namespace unum::asl {
namespace {

using json = nlohmann::json;

JsonataField Compile(const json& value, const std::string& name = "Output") {
  auto field = JsonataField::Compile(value, name);
  EXPECT_TRUE(field.ok()) << field.status().ToString();
  return std::move(*field);
}

json Eval(const json& value, const StatesScope& scope) {
  Outcome<json> out = Compile(value).Evaluate(scope);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().cause);
  return out.ok() ? out.value() : json("<error>");
}

StatesError EvalError(const json& value, const StatesScope& scope,
                      const std::string& name = "Output") {
  Outcome<json> out = Compile(value, name).Evaluate(scope);
  EXPECT_FALSE(out.ok()) << out.value().dump();
  return out.ok() ? StatesError{} : out.error();
}

TEST(JsonataFieldTest, RecognisesOnlyWholeExpressions) {
  EXPECT_TRUE(IsJsonataExpression("{% 1 %}"));
  EXPECT_TRUE(IsJsonataExpression("{%1%}"));
  EXPECT_FALSE(IsJsonataExpression(" {% 1 %}"));
  EXPECT_FALSE(IsJsonataExpression("{% 1 %} "));
  EXPECT_FALSE(IsJsonataExpression("{% 1"));
  EXPECT_FALSE(IsJsonataExpression("{%}"));
  EXPECT_FALSE(IsJsonataExpression("$.a"));
}

// AWS's conversion example (Step Functions developer guide, "Transforming
// data with JSONata"): input {"title": "Doctor"}, variable customerName
// "María".
TEST(JsonataFieldTest, ArgumentsFromTheAwsConversionExample) {
  json input = {{"title", "Doctor"}};
  json vars = {{"customerName", "María"}};
  StatesScope scope{.input = &input, .variables = &vars};
  json args = {{"static", "Hello"},
               {"title", "{% $states.input.title %}"},
               {"name", "{% $customerName %}"},
               {"not-evaluated", "$customerName"}};
  EXPECT_EQ(Eval(args, scope), (json{{"static", "Hello"},
                                     {"title", "Doctor"},
                                     {"name", "María"},
                                     {"not-evaluated", "$customerName"}}));
}

TEST(JsonataFieldTest, ExpressionsAtAnyDepthKeysLiteral) {
  json input = {{"n", 4}, {"items", {1, 2, 3}}};
  StatesScope scope{.input = &input};
  json value = {
      {"{% 1 %}", {"a", "{% $states.input.n * 2 %}", {"x", " {% 1 %}"}}},
      {"sum", "{% $sum($states.input.items) %}"}};
  EXPECT_EQ(Eval(value, scope),
            (json{{"{% 1 %}", {"a", 8, {"x", " {% 1 %}"}}}, {"sum", 6}}));
}

TEST(JsonataFieldTest, WholeFieldExpressionMayGiveAnyJson) {
  json input = {{"a", {{"b", {1, 2}}}}};
  StatesScope scope{.input = &input};
  EXPECT_EQ(Eval("{% $states.input.a %}", scope), (json{{"b", {1, 2}}}));
  EXPECT_EQ(Eval("{% $states.input.a.b[1] %}", scope), json(2));
  EXPECT_EQ(Eval("{% null %}", scope), json(nullptr));
  EXPECT_EQ(Eval("{% {'k': $states.input.a.b ~> $map(function($v){$v*10})} %}",
                 scope),
            (json{{"k", {10, 20}}}));
}

TEST(JsonataFieldTest, LiteralFieldsNeedNoScope) {
  JsonataField field = Compile({{"a", {1, "two"}}});
  EXPECT_FALSE(field.HasExpressions());
  EXPECT_EQ(field.Evaluate({}).value(), (json{{"a", {1, "two"}}}));
  EXPECT_TRUE(Compile("{% 1 %}").HasExpressions());
  EXPECT_FALSE(field.MentionsStates());
  EXPECT_FALSE(
      Compile({{"a", "{% $x + 1 %}"}, {"b", "$states"}}).MentionsStates());
  EXPECT_TRUE(Compile({{"a", {1, "{% ($s := $states; $s.context) %}"}}})
                  .MentionsStates());
}

TEST(JsonataFieldTest, StatesHoldsResultErrorOutputAndContext) {
  json input = {{"i", 1}};
  json result = {{"r", 2}};
  json error = {{"Error", "E"}, {"Cause", "c"}};
  json context = {{"State", {{"Name", "S"}}}};
  StatesScope scope{.input = &input,
                    .result = &result,
                    .error_output = &error,
                    .context = &context};
  EXPECT_EQ(Eval("{% [$states.input.i, $states.result.r, "
                 "$states.errorOutput.Error, $states.context.State.Name] %}",
                 scope),
            (json{1, 2, "E", "S"}));
  // Without a result, $states.result is undefined.
  StatesScope before{.input = &input};
  EXPECT_EQ(Eval("{% $exists($states.result) %}", before), json(false));
}

TEST(JsonataFieldTest, UndefinedFailsWithQueryEvaluationError) {
  json input = {{"a", 1}};
  StatesScope scope{.input = &input};
  StatesError e =
      EvalError({{"x", "{% $states.input.missing %}"}}, scope, "Arguments");
  EXPECT_EQ(e.error, "States.QueryEvaluationError");
  EXPECT_EQ(e.cause,
            "The JSONata expression '$states.input.missing' specified for the "
            "field 'Arguments.x' returned nothing (undefined)");
}

TEST(JsonataFieldTest, EvaluationErrorsNameFieldExpressionAndCode) {
  json input = {{"a", "text"}};
  StatesScope scope{.input = &input};
  StatesError e =
      EvalError({{"list", {0, "{% $states.input.a + 1 %}"}}}, scope, "Output");
  EXPECT_EQ(e.error, "States.QueryEvaluationError");
  EXPECT_NE(e.cause.find("'$states.input.a + 1' specified for the field "
                         "'Output.list[1]' failed: T2001 at position"),
            std::string::npos)
      << e.cause;
  // $eval is one of AWS's refusals: it is not a function here.
  e = EvalError("{% $eval('1') %}", scope);
  EXPECT_EQ(e.error, "States.QueryEvaluationError");
  EXPECT_NE(e.cause.find("T1006"), std::string::npos) << e.cause;
}

TEST(JsonataFieldTest, SyntaxErrorsAreFoundAtCompileNamingTheField) {
  auto field =
      JsonataField::Compile({{"a", {{"b", "{% 1 + %}"}}}}, "Arguments");
  ASSERT_FALSE(field.ok());
  EXPECT_TRUE(field.status().IsInvalidArgument());
  EXPECT_NE(field.status().message().find(
                "Arguments.a.b: the JSONata expression '{% 1 + %}' is not "
                "valid: "
                "S0"),
            std::string::npos)
      << field.status().ToString();
  field = JsonataField::Compile({{"odd key", "{% ( %}"}}, "Output");
  ASSERT_FALSE(field.ok());
  EXPECT_NE(field.status().message().find("Output['odd key']: "),
            std::string::npos)
      << field.status().ToString();
}

TEST(JsonataFieldTest, VariablesAreDollarNamesAndStatesWins) {
  json vars = {{"x", 5}, {"states", "shadowed"}};
  json input = {{"i", 1}};
  StatesScope scope{.input = &input, .variables = &vars};
  EXPECT_EQ(Eval("{% $x + $states.input.i %}", scope), json(6));
}

TEST(JsonataFieldTest, ConditionMustBeBoolean) {
  json input = {{"age", 20}};
  StatesScope scope{.input = &input};
  EXPECT_TRUE(Compile("{% $states.input.age >= 18 %}", "Condition")
                  .EvaluateCondition(scope)
                  .value());
  EXPECT_FALSE(Compile("{% $states.input.age < 18 %}", "Condition")
                   .EvaluateCondition(scope)
                   .value());
  Outcome<bool> bad =
      Compile("{% $states.input.age %}", "Condition").EvaluateCondition(scope);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "States.QueryEvaluationError");
  EXPECT_EQ(bad.error().cause,
            "The field 'Condition' must give a boolean, got number 20");
}

TEST(JsonataFieldTest, TypedFields) {
  json input = {{"items", {1, 2}},
                {"name", "E"},
                {"wait", 5},
                {"half", 2.5},
                {"whole", 3.0}};
  StatesScope scope{.input = &input};
  EXPECT_EQ(Compile("{% $states.input.items %}", "Items")
                .EvaluateArray(scope)
                .value(),
            (json{1, 2}));
  Outcome<json> items =
      Compile("{% $states.input.name %}", "Items").EvaluateArray(scope);
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.error().cause,
            "The field 'Items' must give an array, got string \"E\"");
  EXPECT_EQ(Compile("{% 'Custom.' & $states.input.name %}", "Error")
                .EvaluateString(scope)
                .value(),
            "Custom.E");
  EXPECT_FALSE(Compile("{% 1 %}", "Cause").EvaluateString(scope).ok());
  EXPECT_EQ(Compile("{% $states.input.wait %}", "Seconds")
                .EvaluateSeconds(scope, 0)
                .value(),
            5);
  EXPECT_EQ(Compile("{% $states.input.whole %}", "TimeoutSeconds")
                .EvaluateSeconds(scope, 1)
                .value(),
            3);
  Outcome<int64_t> half = Compile("{% $states.input.half %}", "TimeoutSeconds")
                              .EvaluateSeconds(scope, 1);
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().error, "States.QueryEvaluationError");
  EXPECT_EQ(half.error().cause,
            "The field 'TimeoutSeconds' must give an integer from 1 to "
            "99999999, got number 2.5");
  EXPECT_FALSE(
      Compile("{% 0 %}", "HeartbeatSeconds").EvaluateSeconds(scope, 1).ok());
  EXPECT_TRUE(Compile("{% 0 %}", "Seconds").EvaluateSeconds(scope, 0).ok());
  EXPECT_FALSE(
      Compile("{% 100000000 %}", "Seconds").EvaluateSeconds(scope, 0).ok());
}

}  // namespace
}  // namespace unum::asl
