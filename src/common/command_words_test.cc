#include "common/command_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace unum {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Words(std::string_view command) {
  auto words = SplitCommandWords(command);
  EXPECT_TRUE(words.ok()) << words.status().ToString();
  return words.ok() ? *words : std::vector<std::string>{};
}

TEST(CommandWordsTest, SplitsOnBlanks) {
  EXPECT_THAT(Words("  ./tool  --flag\tvalue \n"),
              ElementsAre("./tool", "--flag", "value"));
  EXPECT_THAT(Words(""), ElementsAre());
}

TEST(CommandWordsTest, SingleQuotesKeepEverything) {
  EXPECT_THAT(Words(R"(echo 'two words' 'a"b' '$HOME' '\n')"),
              ElementsAre("echo", "two words", "a\"b", "$HOME", "\\n"));
}

TEST(CommandWordsTest, DoubleQuotesEscapeOnlyTheirSpecials) {
  EXPECT_THAT(
      Words(R"(say "a \"quoted\" word" "back\\slash" "keep\n")"),
      ElementsAre("say", "a \"quoted\" word", "back\\slash", "keep\\n"));
  EXPECT_THAT(Words(R"("\$5")"), ElementsAre("$5"));
}

TEST(CommandWordsTest, QuotesJoinAdjacentText) {
  EXPECT_THAT(Words(R"(--name='Ada Lovelace'x "" '')"),
              ElementsAre("--name=Ada Lovelacex", "", ""));
}

TEST(CommandWordsTest, BackslashOutsideQuotes) {
  EXPECT_THAT(Words(R"(a\ b c\|d)"), ElementsAre("a b", "c|d"));
}

TEST(CommandWordsTest, RefusesShellSyntax) {
  for (const char* bad :
       {"cat x | grep y", "a && b", "a; b", "a > out", "a < in", "echo $HOME",
        "echo `date`", "(a)", "echo \"$HOME\""}) {
    auto words = SplitCommandWords(bad);
    ASSERT_FALSE(words.ok()) << bad;
    EXPECT_EQ(words.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(words.status().message(), HasSubstr("without a shell"));
  }
}

TEST(CommandWordsTest, RefusesUnterminatedQuotes) {
  auto single = SplitCommandWords("echo 'open");
  ASSERT_FALSE(single.ok());
  EXPECT_THAT(single.status().message(), HasSubstr("unterminated '"));
  EXPECT_THAT(single.status().message(), HasSubstr("position 6"));
  EXPECT_FALSE(SplitCommandWords("echo \"open").ok());
  EXPECT_FALSE(SplitCommandWords("echo \\").ok());
}

}  // namespace
}  // namespace unum
