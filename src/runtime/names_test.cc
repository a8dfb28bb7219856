// Tests for session id and instance name validation, directly and through
// the payload parser.
#include "runtime/names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "runtime/payload.h"

namespace unum::runtime {
namespace {

using nlohmann::json;

void ExpectInvalid(const Status& s, const std::string& message) {
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), message);
}

TEST(ValidateSessionIdTest, AcceptsUuidsAndChosenNames) {
  EXPECT_TRUE(ValidateSessionId("8cef2097-f6fa-4fa2-bc70-7aa7bbbc23d9").ok());
  EXPECT_TRUE(ValidateSessionId("nightly_2026.11.28:run-3").ok());
  EXPECT_TRUE(ValidateSessionId(std::string(128, 'a')).ok());
}

TEST(ValidateSessionIdTest, RejectsSlashControlCharactersAndLength) {
  ExpectInvalid(ValidateSessionId(""), "session id is empty");
  ExpectInvalid(ValidateSessionId("a/b"),
                "session id \"a/b\" contains '/' at position 1; allowed are "
                "letters, digits, '-', '_', '.' and ':'");
  ExpectInvalid(ValidateSessionId(std::string("ab\x01", 3)),
                "session id \"ab\\x01\" contains byte 0x01 at position 2; "
                "allowed are letters, digits, '-', '_', '.' and ':'");
  ExpectInvalid(ValidateSessionId("a\nb"),
                "session id \"a\\x0ab\" contains byte 0x0a at position 1; "
                "allowed are letters, digits, '-', '_', '.' and ':'");
  ExpectInvalid(ValidateSessionId("has space"),
                "session id \"has space\" contains ' ' at position 3; allowed "
                "are letters, digits, '-', '_', '.' and ':'");
  ExpectInvalid(ValidateSessionId(std::string(10000, 'x')),
                "session id \"" + std::string(40, 'x') +
                    "...\" is 10000 characters long; at most 128 "
                    "are allowed");
  ExpectInvalid(ValidateSessionId(std::string(129, 'x')),
                "session id \"" + std::string(40, 'x') +
                    "...\" is 129 characters long; at most 128 are "
                    "allowed");
}

TEST(ValidateInstanceNameTest, AcceptsFunctionNamesWithIndexSuffixes) {
  EXPECT_TRUE(ValidateInstanceName("Mapper-unumIndex-3.0").ok());
  EXPECT_TRUE(ValidateInstanceName("Wörter zählen").ok());
}

TEST(ValidateInstanceNameTest, RejectsEmptySlashControlAndLength) {
  ExpectInvalid(ValidateInstanceName(""), "instance name is empty");
  ExpectInvalid(ValidateInstanceName("a/b"),
                "instance name \"a/b\" contains '/' at position 1");
  ExpectInvalid(ValidateInstanceName(std::string("a\0b", 3)),
                "instance name \"a\\x00b\" contains byte 0x00 at position 1");
  ExpectInvalid(ValidateInstanceName(std::string(1025, 'n')),
                "instance name \"" + std::string(40, 'n') +
                    "...\" is 1025 bytes long; at most 1024 are "
                    "allowed");
}

TEST(ParsePayloadNamesTest, RejectsBadSessionInPayload) {
  auto p = ParsePayload(json{{"Data", {{"Value", 1}}}, {"Session", "x/y"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "payload: Session: session id \"x/y\" contains '/' at position 1; "
            "allowed are letters, digits, '-', '_', '.' and ':'");
  p = ParsePayload(
      json{{"Data", {{"Value", 1}}}, {"Session", std::string(10000, 's')}});
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(),
              ::testing::HasSubstr("is 10000 characters long"));
}

TEST(ParsePayloadNamesTest, RejectsBadInstanceNamesInPayload) {
  auto p = ParsePayload(json{{"Data", {{"Value", 1}}},
                             {"Session", "s"},
                             {"GC", {{"Parent", "a\tb"}, {"Children", 1}}}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "payload: GC.Parent: instance name \"a\\x09b\" contains byte 0x09 "
            "at position 1");
  p = ParsePayload(json{
      {"Data", {{"Source", "datastore"}, {"Value", {"A-unumIndex-0", ""}}}},
      {"Session", "s"}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "payload: Data.Value[1]: instance name is empty");
}

TEST(ParsePayloadNamesTest, RejectsOutOfRangeFanOut) {
  auto p = ParsePayload(
      json{{"Data", {{"Value", 1}}},
           {"Session", "s"},
           {"Fan-out", {{"Type", "Map"}, {"Index", 3}, {"Size", 2}}}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "payload: Fan-out.Index: out of range: 3 is not below Size 2");
  p = ParsePayload(
      json{{"Data", {{"Value", 1}}},
           {"Session", "s"},
           {"Fan-out", {{"Type", "Map"}, {"Index", 0}, {"Size", -1}}}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "payload: Fan-out.Size: expected a non-negative integer, got -1");
}

}  // namespace
}  // namespace unum::runtime
