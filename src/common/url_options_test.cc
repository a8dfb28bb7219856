// Tests for the shared URL option helpers.
#include "common/url_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace unum {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(PercentTest, DecodesAndEncodes) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%2Fb%20c", &out));
  EXPECT_EQ(out, "a/b c");
  EXPECT_FALSE(PercentDecode("a%2", &out));
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_EQ(PercentEncode("s-1_a.b~c/d e"), "s-1_a.b~c%2Fd%20e");
  EXPECT_TRUE(PercentDecode(PercentEncode("\x01/\xff"), &out));
  EXPECT_EQ(out, "\x01/\xff");
}

TEST(ParseIntTest, WholeTextInRange) {
  int64_t v = 0;
  EXPECT_TRUE(ParseInt("42", 0, 100, &v));
  EXPECT_EQ(v, 42);
  EXPECT_FALSE(ParseInt("101", 0, 100, &v));
  EXPECT_FALSE(ParseInt("4x", 0, 100, &v));
  EXPECT_FALSE(ParseInt("", 0, 100, &v));
  EXPECT_FALSE(ParseInt("99999999999999999999", 0, INT64_MAX, &v));
}

TEST(ParseUrlOptionsTest, ParsesPairsInOrder) {
  auto options = ParseUrlOptions("b=2&&a=x%26y&c=");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_THAT(*options,
              ElementsAre(Pair("b", "2"), Pair("a", "x&y"), Pair("c", "")));
  EXPECT_TRUE(ParseUrlOptions("")->empty());
}

TEST(ParseUrlOptionsTest, Errors) {
  EXPECT_EQ(ParseUrlOptions("a=1&a=2").status().message(),
            "option 'a' given twice");
  EXPECT_EQ(ParseUrlOptions("flag").status().message(),
            "option 'flag' has no value");
  EXPECT_EQ(ParseUrlOptions("a=%4").status().message(),
            "malformed %-escape in option 'a'");
  EXPECT_EQ(UnknownUrlOption("x", {"a", "b"}).message(),
            "unknown option 'x' (known: a, b)");
  EXPECT_EQ(BadIntegerOption("pool", 1, 9, "z").message(),
            "option 'pool' must be an integer in [1, 9], got 'z'");
}

}  // namespace
}  // namespace unum
