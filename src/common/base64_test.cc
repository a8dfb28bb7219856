// Tests for Base64 encoding and strict decoding.
#include "common/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace unum {
namespace {

using namespace std::string_literals;

TEST(Base64Test, RoundTripsEveryLength) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  const std::string bytes = "\0\xff\xfe\x01 binary"s;
  for (size_t n = 0; n <= bytes.size(); ++n) {
    EXPECT_EQ(Base64Decode(Base64Encode(bytes.substr(0, n))),
              bytes.substr(0, n));
  }
}

TEST(Base64Test, RejectsMalformedInput) {
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);
  EXPECT_EQ(Base64Decode("Z!=="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg=a"), std::nullopt);
  EXPECT_EQ(Base64Decode("=Zg="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg==\n"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode(""), "");
}

}  // namespace
}  // namespace unum
