#include "asl/dataflow/choice_rule.h"

#include <gtest/gtest.h>

namespace unum::asl {
namespace {

using nlohmann::json;

const json kInput = json::parse(R"({
  "s": "banana", "s2": "cherry", "s3": "banana",
  "n": 10, "n2": 10.0, "f": 2.5, "big": 9007199254740993,
  "b": true, "b2": false,
  "t": "2020-01-01T00:00:00Z", "t2": "2020-01-01T01:00:00+01:00",
  "t3": "2021-06-01T00:00:00.5Z", "bad_t": "2020-01-01",
  "z": null, "arr": [1, 2], "obj": {"k": 1},
  "file": "report.2024.csv", "star": "a*b", "slash": "a\\b"
})");
const json kContext = json::parse(R"({"State": {"Name": "Check"}})");

struct Case {
  const char* rule;
  bool expected;
};

void ExpectCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Result<ChoiceRule> rule =
        ChoiceRule::Parse(json::parse(c.rule), "Choices[0]", false);
    ASSERT_TRUE(rule.ok()) << c.rule << ": " << rule.status().ToString();
    Outcome<bool> got = rule->Evaluate(kInput, kContext);
    ASSERT_TRUE(got.ok()) << c.rule << ": " << got.error().cause;
    EXPECT_EQ(*got, c.expected) << c.rule;
  }
}

std::string ParseError(const char* rule, bool top_level = false) {
  Result<ChoiceRule> r =
      ChoiceRule::Parse(json::parse(rule), "Choices[3]", top_level);
  EXPECT_FALSE(r.ok()) << rule;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(ChoiceRuleTest, StringComparisons) {
  ExpectCases({
      {R"({"Variable": "$.s", "StringEquals": "banana"})", true},
      {R"({"Variable": "$.s", "StringEquals": "Banana"})", false},
      {R"({"Variable": "$.s", "StringLessThan": "cherry"})", true},
      {R"({"Variable": "$.s", "StringLessThan": "banana"})", false},
      {R"({"Variable": "$.s", "StringGreaterThan": "apple"})", true},
      {R"({"Variable": "$.s", "StringGreaterThan": "banana"})", false},
      {R"({"Variable": "$.s", "StringLessThanEquals": "banana"})", true},
      {R"({"Variable": "$.s", "StringLessThanEquals": "apple"})", false},
      {R"({"Variable": "$.s", "StringGreaterThanEquals": "banana"})", true},
      {R"({"Variable": "$.s", "StringGreaterThanEquals": "bananas"})", false},
      // Type mismatch is false, not an error.
      {R"({"Variable": "$.n", "StringEquals": "10"})", false},
      {R"({"Variable": "$.z", "StringLessThan": "a"})", false},
  });
}

TEST(ChoiceRuleTest, StringComparisonPaths) {
  ExpectCases({
      {R"({"Variable": "$.s", "StringEqualsPath": "$.s3"})", true},
      {R"({"Variable": "$.s", "StringEqualsPath": "$.s2"})", false},
      {R"({"Variable": "$.s", "StringLessThanPath": "$.s2"})", true},
      {R"({"Variable": "$.s2", "StringLessThanPath": "$.s"})", false},
      {R"({"Variable": "$.s2", "StringGreaterThanPath": "$.s"})", true},
      {R"({"Variable": "$.s", "StringGreaterThanPath": "$.s3"})", false},
      {R"({"Variable": "$.s", "StringLessThanEqualsPath": "$.s3"})", true},
      {R"({"Variable": "$.s2", "StringLessThanEqualsPath": "$.s"})", false},
      {R"({"Variable": "$.s", "StringGreaterThanEqualsPath": "$.s3"})", true},
      {R"({"Variable": "$.s", "StringGreaterThanEqualsPath": "$.s2"})", false},
      {R"({"Variable": "$.s", "StringEqualsPath": "$.n"})", false},
      {R"({"Variable": "$$.State.Name", "StringEquals": "Check"})", true},
      {R"({"Variable": "$.s", "StringEqualsPath": "$$.State.Name"})", false},
  });
}

TEST(ChoiceRuleTest, StringMatches) {
  ExpectCases({
      {R"({"Variable": "$.file", "StringMatches": "*.csv"})", true},
      {R"({"Variable": "$.file", "StringMatches": "*.log"})", false},
      {R"({"Variable": "$.file", "StringMatches": "report.*.csv"})", true},
      {R"({"Variable": "$.file", "StringMatches": "report*2025*"})", false},
      {R"({"Variable": "$.file", "StringMatches": "*"})", true},
      {R"({"Variable": "$.file", "StringMatches": "report.2024.csv"})", true},
      {R"({"Variable": "$.file", "StringMatches": "report"})", false},
      {R"({"Variable": "$.file", "StringMatches": "r*r*.csv"})", true},
      {R"({"Variable": "$.file", "StringMatches": "*t*t*t*"})", false},
      {R"({"Variable": "$.star", "StringMatches": "a\\*b"})", true},
      {R"({"Variable": "$.file", "StringMatches": "report\\*"})", false},
      {R"({"Variable": "$.slash", "StringMatches": "a\\\\b"})", true},
      {R"({"Variable": "$.slash", "StringMatches": "a\\\\*c"})", false},
      {R"({"Variable": "$.n", "StringMatches": "*"})", false},
  });
}

TEST(ChoiceRuleTest, StringPatternHelpers) {
  Result<std::vector<std::string>> parts = ParseStringPattern("a*b\\*c\\\\*");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, (std::vector<std::string>{"a", "b*c\\", ""}));
  EXPECT_TRUE(MatchStringPattern(*parts, "aXb*c\\Y"));
  EXPECT_FALSE(MatchStringPattern(*parts, "ab*c"));
  EXPECT_TRUE(MatchStringPattern({"ab", "ba"}, "aba") == false);
  EXPECT_TRUE(MatchStringPattern({"ab", "ba"}, "abba"));
  Result<std::vector<std::string>> bad = ParseStringPattern("a\\b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "a backslash must escape '*' or '\\' (offset 1)");
}

TEST(ChoiceRuleTest, NumericComparisons) {
  ExpectCases({
      {R"({"Variable": "$.n", "NumericEquals": 10})", true},
      {R"({"Variable": "$.n", "NumericEquals": 10.0})", true},
      {R"({"Variable": "$.n", "NumericEquals": 11})", false},
      {R"({"Variable": "$.f", "NumericLessThan": 3})", true},
      {R"({"Variable": "$.f", "NumericLessThan": 2.5})", false},
      {R"({"Variable": "$.f", "NumericGreaterThan": 2})", true},
      {R"({"Variable": "$.f", "NumericGreaterThan": 2.5})", false},
      {R"({"Variable": "$.f", "NumericLessThanEquals": 2.5})", true},
      {R"({"Variable": "$.f", "NumericLessThanEquals": 2.4})", false},
      {R"({"Variable": "$.f", "NumericGreaterThanEquals": 2.5})", true},
      {R"({"Variable": "$.f", "NumericGreaterThanEquals": 2.6})", false},
      {R"({"Variable": "$.f", "NumericGreaterThan": -1e3})", true},
      {R"({"Variable": "$.big", "NumericEquals": 9007199254740993})", true},
      {R"({"Variable": "$.big", "NumericEquals": 9007199254740992})", false},
      {R"({"Variable": "$.s", "NumericEquals": 1})", false},
      {R"({"Variable": "$.b", "NumericLessThan": 5})", false},
  });
}

TEST(ChoiceRuleTest, NumericComparisonPaths) {
  ExpectCases({
      {R"({"Variable": "$.n", "NumericEqualsPath": "$.n2"})", true},
      {R"({"Variable": "$.n", "NumericEqualsPath": "$.f"})", false},
      {R"({"Variable": "$.f", "NumericLessThanPath": "$.n"})", true},
      {R"({"Variable": "$.n", "NumericLessThanPath": "$.f"})", false},
      {R"({"Variable": "$.n", "NumericGreaterThanPath": "$.f"})", true},
      {R"({"Variable": "$.n", "NumericGreaterThanPath": "$.n2"})", false},
      {R"({"Variable": "$.n", "NumericLessThanEqualsPath": "$.n2"})", true},
      {R"({"Variable": "$.n", "NumericLessThanEqualsPath": "$.f"})", false},
      {R"({"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.n2"})", true},
      {R"({"Variable": "$.f", "NumericGreaterThanEqualsPath": "$.n"})", false},
      {R"({"Variable": "$.n", "NumericEqualsPath": "$.s"})", false},
  });
}

TEST(ChoiceRuleTest, BooleanEquals) {
  ExpectCases({
      {R"({"Variable": "$.b", "BooleanEquals": true})", true},
      {R"({"Variable": "$.b", "BooleanEquals": false})", false},
      {R"({"Variable": "$.b2", "BooleanEquals": false})", true},
      {R"({"Variable": "$.s", "BooleanEquals": true})", false},
      {R"({"Variable": "$.b", "BooleanEqualsPath": "$.b"})", true},
      {R"({"Variable": "$.b", "BooleanEqualsPath": "$.b2"})", false},
      {R"({"Variable": "$.b", "BooleanEqualsPath": "$.s"})", false},
  });
}

TEST(ChoiceRuleTest, TimestampComparisons) {
  ExpectCases({
      {R"({"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:00Z"})",
       true},
      // Same instant written with another offset.
      {R"({"Variable": "$.t", "TimestampEquals":
           "2019-12-31T19:00:00-05:00"})",
       true},
      {R"({"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:01Z"})",
       false},
      {R"({"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00.1Z"})",
       true},
      {R"({"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00Z"})",
       false},
      {R"({"Variable": "$.t3", "TimestampGreaterThan":
           "2021-06-01T00:00:00Z"})",
       true},
      {R"({"Variable": "$.t", "TimestampGreaterThan": "2020-01-01T00:00:00Z"})",
       false},
      {R"({"Variable": "$.t", "TimestampLessThanEquals":
           "2020-01-01T00:00:00Z"})",
       true},
      {R"({"Variable": "$.t3", "TimestampLessThanEquals":
           "2021-06-01T00:00:00Z"})",
       false},
      {R"({"Variable": "$.t", "TimestampGreaterThanEquals":
           "2020-01-01T00:00:00Z"})",
       true},
      {R"({"Variable": "$.t", "TimestampGreaterThanEquals":
           "2020-01-01T00:00:00.000000001Z"})",
       false},
      {R"({"Variable": "$.bad_t", "TimestampEquals": "2020-01-01T00:00:00Z"})",
       false},
      {R"({"Variable": "$.n", "TimestampLessThan": "2020-01-01T00:00:00Z"})",
       false},
  });
}

TEST(ChoiceRuleTest, TimestampComparisonPaths) {
  ExpectCases({
      {R"({"Variable": "$.t", "TimestampEqualsPath": "$.t2"})", true},
      {R"({"Variable": "$.t", "TimestampEqualsPath": "$.t3"})", false},
      {R"({"Variable": "$.t", "TimestampLessThanPath": "$.t3"})", true},
      {R"({"Variable": "$.t", "TimestampLessThanPath": "$.t2"})", false},
      {R"({"Variable": "$.t3", "TimestampGreaterThanPath": "$.t"})", true},
      {R"({"Variable": "$.t", "TimestampGreaterThanPath": "$.t3"})", false},
      {R"({"Variable": "$.t", "TimestampLessThanEqualsPath": "$.t2"})", true},
      {R"({"Variable": "$.t3", "TimestampLessThanEqualsPath": "$.t"})", false},
      {R"({"Variable": "$.t2", "TimestampGreaterThanEqualsPath": "$.t"})",
       true},
      {R"({"Variable": "$.t", "TimestampGreaterThanEqualsPath": "$.t3"})",
       false},
      {R"({"Variable": "$.t", "TimestampEqualsPath": "$.bad_t"})", false},
  });
}

TEST(ChoiceRuleTest, TypeTests) {
  ExpectCases({
      {R"({"Variable": "$.z", "IsNull": true})", true},
      {R"({"Variable": "$.s", "IsNull": true})", false},
      {R"({"Variable": "$.s", "IsNull": false})", true},
      {R"({"Variable": "$.z", "IsNull": false})", false},
      {R"({"Variable": "$.s", "IsPresent": true})", true},
      {R"({"Variable": "$.z", "IsPresent": true})", true},
      {R"({"Variable": "$.nope", "IsPresent": true})", false},
      {R"({"Variable": "$.nope", "IsPresent": false})", true},
      {R"({"Variable": "$.s", "IsPresent": false})", false},
      {R"({"Variable": "$.arr[5]", "IsPresent": true})", false},
      {R"({"Variable": "$.arr[*]", "IsPresent": true})", true},
      {R"({"Variable": "$.obj[?(@ > 5)]", "IsPresent": true})", false},
      {R"({"Variable": "$$.State.Name", "IsPresent": true})", true},
      {R"({"Variable": "$.n", "IsNumeric": true})", true},
      {R"({"Variable": "$.f", "IsNumeric": true})", true},
      {R"({"Variable": "$.s", "IsNumeric": true})", false},
      {R"({"Variable": "$.s", "IsNumeric": false})", true},
      {R"({"Variable": "$.s", "IsString": true})", true},
      {R"({"Variable": "$.n", "IsString": true})", false},
      {R"({"Variable": "$.n", "IsString": false})", true},
      {R"({"Variable": "$.b2", "IsBoolean": true})", true},
      {R"({"Variable": "$.z", "IsBoolean": true})", false},
      {R"({"Variable": "$.z", "IsBoolean": false})", true},
      {R"({"Variable": "$.t2", "IsTimestamp": true})", true},
      {R"({"Variable": "$.bad_t", "IsTimestamp": true})", false},
      {R"({"Variable": "$.n", "IsTimestamp": true})", false},
      {R"({"Variable": "$.bad_t", "IsTimestamp": false})", true},
  });
}

TEST(ChoiceRuleTest, BooleanOperators) {
  ExpectCases({
      {R"({"And": [{"Variable": "$.n", "NumericEquals": 10},
                   {"Variable": "$.b", "BooleanEquals": true}]})",
       true},
      {R"({"And": [{"Variable": "$.n", "NumericEquals": 10},
                   {"Variable": "$.b", "BooleanEquals": false}]})",
       false},
      {R"({"Or": [{"Variable": "$.n", "NumericEquals": 1},
                  {"Variable": "$.s", "StringEquals": "banana"}]})",
       true},
      {R"({"Or": [{"Variable": "$.n", "NumericEquals": 1},
                  {"Variable": "$.s", "StringEquals": "apple"}]})",
       false},
      {R"({"Not": {"Variable": "$.n", "NumericEquals": 1}})", true},
      {R"({"Not": {"Variable": "$.n", "NumericEquals": 10}})", false},
      {R"({"Not": {"Not": {"Variable": "$.n", "NumericEquals": 10}}})", true},
      {R"({"And": [{"Not": {"Variable": "$.nope", "IsPresent": true}},
                   {"Or": [{"Variable": "$.z", "IsNull": true}]}]})",
       true},
      // Short-circuit: the missing variable after a deciding operand is
      // never read.
      {R"({"And": [{"Variable": "$.b", "BooleanEquals": false},
                   {"Variable": "$.nope", "StringEquals": "x"}]})",
       false},
      {R"({"Or": [{"Variable": "$.b", "BooleanEquals": true},
                  {"Variable": "$.nope", "StringEquals": "x"}]})",
       true},
  });
}

TEST(ChoiceRuleTest, MissingVariableIsRuntimeError) {
  Result<ChoiceRule> rule = ChoiceRule::Parse(
      json::parse(R"({"Variable": "$.nope", "StringEquals": "x"})"), "c",
      false);
  ASSERT_TRUE(rule.ok());
  Outcome<bool> got = rule->Evaluate(kInput, kContext);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(),
            (StatesError{"States.Runtime",
                         "Invalid path '$.nope': the Choice rule's Variable "
                         "matches nothing"}));

  rule = ChoiceRule::Parse(
      json::parse(R"({"Variable": "$.n", "NumericEqualsPath": "$.nope"})"), "c",
      false);
  ASSERT_TRUE(rule.ok());
  got = rule->Evaluate(kInput, kContext);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(),
            (StatesError{"States.Runtime",
                         "Invalid path '$.nope': the Choice rule's "
                         "NumericEqualsPath matches nothing"}));

  rule = ChoiceRule::Parse(
      json::parse(R"({"Not": {"Variable": "$.nope", "IsNull": true}})"), "c",
      false);
  ASSERT_TRUE(rule.ok());
  got = rule->Evaluate(kInput, kContext);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().error, "States.Runtime");
}

TEST(ChoiceRuleTest, ParsedShape) {
  Result<ChoiceRule> rule = ChoiceRule::Parse(json::parse(R"({
      "And": [{"Variable": "$.a", "NumericLessThanPath": "$.b"},
              {"Not": {"Variable": "$.c", "IsNull": true}}],
      "Next": "Done", "Comment": "both"})"),
                                              "Choices[0]", true);
  ASSERT_TRUE(rule.ok()) << rule.status().ToString();
  EXPECT_EQ(rule->kind(), ChoiceRule::Kind::kAnd);
  EXPECT_EQ(rule->next(), "Done");
  ASSERT_EQ(rule->children().size(), 2u);
  const ChoiceRule& cmp = rule->children()[0];
  EXPECT_EQ(cmp.kind(), ChoiceRule::Kind::kComparison);
  EXPECT_EQ(cmp.op(), ChoiceOp::kNumericLessThan);
  EXPECT_EQ(cmp.variable()->text(), "$.a");
  ASSERT_TRUE(cmp.operand_path().has_value());
  EXPECT_EQ(cmp.operand_path()->text(), "$.b");
  EXPECT_EQ(cmp.next(), "");
  const ChoiceRule& neg = rule->children()[1];
  EXPECT_EQ(neg.kind(), ChoiceRule::Kind::kNot);
  ASSERT_EQ(neg.children().size(), 1u);
  EXPECT_EQ(neg.children()[0].op(), ChoiceOp::kIsNull);
  EXPECT_EQ(neg.children()[0].literal(), json(true));
  EXPECT_FALSE(neg.children()[0].operand_path().has_value());
}

TEST(ChoiceRuleTest, ParseErrorsNameFieldAndRule) {
  EXPECT_EQ(ParseError(R"([1])"),
            "Choices[3]: a Choice rule must be an object");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringEquals": "x"})", true),
            "Choices[3]: Next: a top-level rule needs a Next");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringEquals": "x",
                           "Next": "S"})"),
            "Choices[3]: Next: a nested rule must not have Next");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringEquals": "x",
                           "Next": 4})",
                       true),
            "Choices[3]: Next: must be a non-empty string");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringEquals": 1})"),
            "Choices[3]: StringEquals: must be a string");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringMatches": 1})"),
            "Choices[3]: StringMatches: must be a string");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringMatches": "a\\b"})"),
            "Choices[3]: StringMatches: a backslash must escape '*' or '\\' "
            "(offset 1)");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "NumericEquals": "1"})"),
            "Choices[3]: NumericEquals: must be a number");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "BooleanEquals": 1})"),
            "Choices[3]: BooleanEquals: must be a boolean");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "IsPresent": "yes"})"),
            "Choices[3]: IsPresent: must be a boolean");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a",
                           "TimestampEquals": "2020-01-01"})"),
            "Choices[3]: TimestampEquals: must be an RFC 3339 timestamp "
            "string");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "NumericEqualsPath": 3})"),
            "Choices[3]: NumericEqualsPath: must be a string path");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "NumericEqualsPath": "$.["})"),
            "Choices[3]: NumericEqualsPath: invalid JSONPath \"$.[\" at "
            "offset 2: unexpected character '[' where a name was expected");
  EXPECT_EQ(ParseError(R"({"Variable": "a", "IsNull": true})"),
            "Choices[3]: Variable: invalid JSONPath \"a\" at offset 0: a path "
            "must start with '$'");
  EXPECT_EQ(ParseError(R"({"Variable": 7, "IsNull": true})"),
            "Choices[3]: Variable: must be a string path");
  EXPECT_EQ(ParseError(R"({"IsNull": true})"), "Choices[3]: Variable: missing");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a"})"),
            "Choices[3]: a rule needs a comparison operator, And, Or or Not");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "IsNull": true,
                           "IsString": true})"),
            "Choices[3]: IsString: a rule has exactly one operator, also has "
            "\"IsNull\"");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringMatchesPath": "$.b"})"),
            "Choices[3]: StringMatchesPath: unknown field");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a", "StringEqual": "x"})"),
            "Choices[3]: StringEqual: unknown field");
  EXPECT_EQ(ParseError(R"({"And": []})"),
            "Choices[3]: And: must be a non-empty array of rules");
  EXPECT_EQ(ParseError(R"({"Or": {"Variable": "$.a", "IsNull": true}})"),
            "Choices[3]: Or: must be a non-empty array of rules");
  EXPECT_EQ(ParseError(R"({"Variable": "$.a",
                           "Not": {"Variable": "$.a", "IsNull": true}})"),
            "Choices[3]: Variable: not allowed with Not");
  EXPECT_EQ(ParseError(R"({"Not": {"Variable": "$.a", "IsNull": true},
                           "Or": [{"Variable": "$.a", "IsNull": true}]})"),
            "Choices[3]: Or: a rule has exactly one operator, also has "
            "\"Not\"");
  EXPECT_EQ(ParseError(R"({"And": [{"Variable": "$.a", "IsNull": true},
                                   {"Not": {"Variable": "$.b",
                                            "NumericEquals": "x"}}]})"),
            "Choices[3].And[1].Not: NumericEquals: must be a number");
  EXPECT_EQ(ParseError(R"({"Or": [{"Variable": "$.a", "IsNull": true,
                                   "Next": "X"}], "Next": "Y"})",
                       true),
            "Choices[3].Or[0]: Next: a nested rule must not have Next");
}

}  // namespace
}  // namespace unum::asl
