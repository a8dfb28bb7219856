// Tests for parsing JSON text from outside the process: errors name the
// source and position, and deep nesting is refused before parsing.
#include "common/json_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace unum {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParseJsonTextTest, ParsesDocuments) {
  auto doc = ParseJsonText(R"({"a": [1, "x]", {"b": null}]})", "input");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(*doc, json::parse(R"({"a": [1, "x]", {"b": null}]})"));
}

TEST(ParseJsonTextTest, SyntaxErrorsNameTheSourceAndPosition) {
  auto doc = ParseJsonText("{\"a\": }", "input in.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(doc.status().message(),
              StartsWith("input in.json: invalid JSON: "));
  EXPECT_THAT(doc.status().message(), HasSubstr("column 7"));
  EXPECT_FALSE(ParseJsonText("", "empty").ok());
  EXPECT_FALSE(ParseJsonText("[1] [2]", "two documents").ok());
}

TEST(ParseJsonTextTest, RejectsNestingBeyondTheLimit) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto doc = ParseJsonText(deep, "input deep.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "input deep.json: JSON nested deeper than 1000 levels (at byte "
            "1000)");
  const std::string objects = std::string(5000, '{') + "\"k\":1";
  EXPECT_EQ(ParseJsonText(objects, "o").status().message(),
            "o: JSON nested deeper than 1000 levels (at byte 1000)");
}

TEST(ParseJsonTextTest, AcceptsExactlyTheLimit) {
  const std::string at_limit =
      std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  auto doc = ParseJsonText(at_limit, "input");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(JsonDepth(*doc), kMaxJsonDepth);
}

TEST(ParseJsonTextTest, BracketsInsideStringsDoNotCount) {
  const std::string text = "[\"" + std::string(5000, '[') + "\\\"{\"]";
  auto doc = ParseJsonText(text, "input");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(JsonDepth(*doc), 1u);
}

TEST(ToJsonTextTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(ToJsonText(json{{"k", "caf\xc3\xa9"}}), "{\"k\":\"caf\xc3\xa9\"}");
  EXPECT_EQ(ToJsonText(json("a\xdc b")), "\"a\xef\xbf\xbd b\"");
  EXPECT_EQ(ToJsonText(json::array({1, 2}), 1), "[\n 1,\n 2\n]");
}

TEST(IsValidUtf8Test, ChecksSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xdc "));             // lead byte, no continuation
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(JsonDepthTest, CountsLevels) {
  EXPECT_EQ(JsonDepth(json(5)), 0u);
  EXPECT_EQ(JsonDepth(json::array()), 1u);
  EXPECT_EQ(JsonDepth(json::parse(R"({"a": [1, {"b": []}], "c": 2})")), 4u);
  json deep = json::array();
  for (int i = 0; i < 50; ++i) deep = json::array({deep});
  EXPECT_EQ(JsonDepth(deep, 10), 11u);  // stops at limit + 1
  EXPECT_EQ(JsonDepth(deep), 51u);
}

}  // namespace
}  // namespace unum
