// Tests for YAML to JSON conversion, including the limits on nesting and
// alias expansion.
#include "ir/yaml_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/json_text.h"

namespace unum::ir {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ParseYamlTextTest, ResolvesScalarsLikeTheCoreSchema) {
  auto doc = ParseYamlText(
      "a: 1\nb: 2.5\nc: true\nd: ~\ne: '7'\nf: [x, False]\ng: {h: null}\n",
      "t.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(*doc, json::parse(R"({"a": 1, "b": 2.5, "c": true, "d": null,
      "e": "7", "f": ["x", false], "g": {"h": null}})"));
}

TEST(ParseYamlTextTest, SyntaxErrorsGiveTheLine) {
  auto doc = ParseYamlText("a: 1\nb: [1, 2\n", "t.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.status().message(), StartsWith("t.yaml: line "));
  EXPECT_THAT(doc.status().message(), HasSubstr("invalid YAML"));
}

TEST(ParseYamlTextTest, RejectsDeepNesting) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto doc = ParseYamlText(deep, "deep.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "deep.yaml: line 1: YAML nested too deeply for the parser");
}

TEST(ParseYamlTextTest, RejectsNestingPastTheJsonLimit) {
  // yaml-cpp refuses deep nesting in the text (above); aliases nest deeper
  // without it: each anchor wraps the previous one in a list.
  std::string deep = "a0: &a0 [x]\n";
  for (int i = 1; i <= 1100; ++i) {
    deep += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" +
            std::to_string(i - 1) + "]\n";
  }
  auto doc = ParseYamlText(deep, "deep.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.status().message(),
              HasSubstr("YAML nested deeper than 1000 levels"));
}

TEST(ParseYamlTextTest, RejectsAliasBombs) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 8; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  auto doc = ParseYamlText(text, "bomb.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "bomb.yaml: YAML expands to more than 1000000 nodes (aliases "
            "included)");
}

TEST(ParseYamlTextTest, RejectsInvalidUtf8) {
  // Found by the ir_parser fuzzer: such a string could not be written back
  // as JSON text.
  auto doc = ParseYamlText("Name: x\nCheckpoint: \xdc true\n", "u.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "u.yaml: line 2: text is not valid UTF-8");
  doc = ParseYamlText("\xff: 1\n", "u.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "u.yaml: line 1: text is not valid UTF-8");
}

TEST(ParseYamlTextTest, RejectsNonScalarKeys) {
  auto doc = ParseYamlText("? [a, b]\n: 1\n", "k.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "k.yaml: line 1: a mapping key must be a plain value, not a list "
            "or mapping");
}

}  // namespace
}  // namespace unum::ir
