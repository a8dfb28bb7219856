#include "asl/jsonata/aws_functions.h"

#include <gtest/gtest.h>

#include <regex>

#include "asl/jsonata/jsonata_field.h"

namespace unum::asl {
namespace {

using json = nlohmann::json;

Outcome<json> Run(const std::string& expr, const json& input = json()) {
  auto field = JsonataField::Compile("{% " + expr + " %}", "Output");
  EXPECT_TRUE(field.ok()) << field.status().ToString();
  StatesScope scope{.input = &input};
  return field->Evaluate(scope);
}

json Value(const std::string& expr, const json& input = json()) {
  Outcome<json> out = Run(expr, input);
  EXPECT_TRUE(out.ok()) << expr << ": " << (out.ok() ? "" : out.error().cause);
  return out.ok() ? out.value() : json("<error>");
}

std::string Failure(const std::string& expr) {
  Outcome<json> out = Run(expr);
  EXPECT_FALSE(out.ok()) << expr << " gave " << out.value().dump();
  if (out.ok()) return "";
  EXPECT_EQ(out.error().error, "States.QueryEvaluationError") << expr;
  return out.error().cause;
}

// Examples from AWS's "JSONata functions provided by Step Functions".
TEST(StepFunctionsJsonataFunctionsTest, Partition) {
  EXPECT_EQ(Value("$partition([1,2,3,4,5,6,7,8,9], 3)"),
            json::parse("[[1,2,3],[4,5,6],[7,8,9]]"));
  EXPECT_EQ(Value("$partition([1,2,3,4,5], 2)"),
            json::parse("[[1,2],[3,4],[5]]"));
  EXPECT_NE(Failure("$partition([1,2], 0)").find("$partition: "),
            std::string::npos);
}

TEST(StepFunctionsJsonataFunctionsTest, Range) {
  EXPECT_EQ(Value("$range(0, 10, 2)"), json::parse("[0,2,4,6,8,10]"));
  EXPECT_EQ(Value("$range(5, 1, -2)"), json::parse("[5,3,1]"));
  EXPECT_NE(Failure("$range(0, 5, 0)").find("$range: "), std::string::npos);
  EXPECT_NE(Failure("$range(0, 100000, 1)").find("at most 1000"),
            std::string::npos);
}

TEST(StepFunctionsJsonataFunctionsTest, Hash) {
  // Digests computed independently (Python hashlib).
  EXPECT_EQ(
      Value("$hash('input data', 'SHA-256')"),
      json("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"));
  EXPECT_EQ(Value("$hash($states.input.s, 'MD5')", json{{"s", "abc"}}),
            json("900150983cd24fb0d6963f7d28e17f72"));
  EXPECT_NE(Failure("$hash('a', 'SHA-3')").find("is not one of MD5"),
            std::string::npos);
}

TEST(StepFunctionsJsonataFunctionsTest, RandomSeededIsRepeatable) {
  json a = Value("$random(42)");
  json b = Value("$random(42)");
  json c = Value("$random(43)");
  ASSERT_TRUE(a.is_number());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (int i = 0; i < 50; ++i) {
    double r = Value("$random()").get<double>();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
  }
}

TEST(StepFunctionsJsonataFunctionsTest, Uuid) {
  std::string a = Value("$uuid()").get<std::string>();
  std::string b = Value("$uuid()").get<std::string>();
  std::regex v4(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(a, v4)) << a;
  EXPECT_NE(a, b);
}

TEST(StepFunctionsJsonataFunctionsTest, Parse) {
  EXPECT_EQ(Value("$parse($states.input.s)", json{{"s", "{\"a\": [1, true]}"}}),
            json::parse(R"({"a": [1, true]})"));
  EXPECT_EQ(Value("$parse('\"x\"')"), json("x"));
  EXPECT_NE(
      Failure("$parse('{oops')").find("$parse: the string is not valid JSON"),
      std::string::npos);
}

TEST(StepFunctionsJsonataFunctionsTest, ArgumentTypesAreChecked) {
  // The signatures reject wrong types with jsonata's T0410.
  EXPECT_NE(Failure("$hash(1, 'MD5')").find("T0410"), std::string::npos);
  EXPECT_NE(Failure("$partition([1, 2], 'x')").find("T0410"),
            std::string::npos);
  // As in jsonata, an `a` parameter takes a single value as an array.
  EXPECT_EQ(Value("$partition('abc', 2)"), json::parse(R"([["abc"]])"));
}

TEST(StepFunctionsJsonataFunctionsTest, EvalIsHidden) {
  EXPECT_TRUE(StepFunctionsJsonataBindings().functions.count("parse"));
  EXPECT_EQ(StepFunctionsJsonataBindings().hidden,
            std::vector<std::string>{"eval"});
}

}  // namespace
}  // namespace unum::asl
