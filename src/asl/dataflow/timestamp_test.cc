#include "asl/dataflow/timestamp.h"

#include <gtest/gtest.h>

namespace unum::asl {
namespace {

TEST(TimestampTest, ParsesUtcAndOffsets) {
  std::optional<Timestamp> t = ParseTimestamp("1970-01-01T00:00:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, 0);
  EXPECT_EQ(t->nanos, 0);
  t = ParseTimestamp("2016-03-14T01:59:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, 1457920740);
  t = ParseTimestamp("2016-03-14T03:59:00+02:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, 1457920740);
  t = ParseTimestamp("2016-03-13T20:29:00-05:30");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, 1457920740);
  t = ParseTimestamp("1969-12-31T23:59:59Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, -1);
  t = ParseTimestamp("2024-02-29T12:00:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->seconds, 1709208000);
}

TEST(TimestampTest, Fractions) {
  std::optional<Timestamp> t = ParseTimestamp("2016-03-14T01:59:00.5Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->nanos, 500000000);
  t = ParseTimestamp("2016-03-14T01:59:00.123456789123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->nanos, 123456789);
  EXPECT_LT(*ParseTimestamp("2016-03-14T01:59:00.1Z"),
            *ParseTimestamp("2016-03-14T01:59:00.10001Z"));
  EXPECT_EQ(*ParseTimestamp("2016-03-14T01:59:00.100Z"),
            *ParseTimestamp("2016-03-14T01:59:00.1Z"));
}

TEST(TimestampTest, RejectsOtherForms) {
  for (const char* s :
       {"", "2016-03-14", "2016-03-14T01:59:00", "2016-03-14 01:59:00Z",
        "2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-13-14T01:59:00Z",
        "2016-00-14T01:59:00Z", "2016-02-30T01:59:00Z", "2023-02-29T01:59:00Z",
        "2016-03-14T24:00:00Z", "2016-03-14T01:60:00Z", "2016-03-14T01:59:60Z",
        "2016-03-14T01:59:00.Z", "2016-03-14T01:59:00+0200",
        "2016-03-14T01:59:00+24:00", "2016-03-14T01:59:00Zx",
        "16-03-14T01:59:00Z", "2016-3-14T01:59:00Z"}) {
    EXPECT_FALSE(ParseTimestamp(s).has_value()) << s;
  }
}

}  // namespace
}  // namespace unum::asl
