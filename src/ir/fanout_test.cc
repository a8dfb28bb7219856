// Tests for the fan-out stack's JSON form and instance naming.
#include "ir/fanout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace unum::ir {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

FanOutStack TwoLevels() { return {{"Map", 3, 20}, {"Parallel", 1, 5}}; }

void ExpectInvalid(const Result<FanOutStack>& result,
                   const std::string& message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), message);
}

TEST(FanOutToJsonTest, EmptyStackIsNull) {
  EXPECT_TRUE(FanOutToJson({}).is_null());
}

TEST(FanOutToJsonTest, OneLevel) {
  EXPECT_EQ(FanOutToJson({{"Map", 3, 20}}),
            json::parse(R"({"Type":"Map","Index":3,"Size":20})"));
}

TEST(FanOutToJsonTest, OuterLevelsNestUnderOuterLoop) {
  EXPECT_EQ(FanOutToJson(TwoLevels()), json::parse(R"({
      "Type":"Map","Index":3,"Size":20,
      "OuterLoop":{"Type":"Parallel","Index":1,"Size":5}})"));
}

TEST(FanOutToJsonTest, ThreeLevels) {
  const FanOutStack stack = {{"Map", 0, 2}, {"Map", 1, 3}, {"Parallel", 2, 4}};
  const json j = FanOutToJson(stack);
  EXPECT_EQ(j["Index"], 0);
  EXPECT_EQ(j["OuterLoop"]["Index"], 1);
  EXPECT_EQ(j["OuterLoop"]["OuterLoop"]["Type"], "Parallel");
  EXPECT_EQ(j["OuterLoop"]["OuterLoop"]["Size"], 4);
  EXPECT_FALSE(j["OuterLoop"]["OuterLoop"].contains("OuterLoop"));
}

TEST(FanOutFromJsonTest, NullIsEmpty) {
  const Result<FanOutStack> stack = FanOutFromJson(nullptr);
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_TRUE(stack->empty());
}

TEST(FanOutFromJsonTest, ParsesNestedLevelsInnermostFirst) {
  const Result<FanOutStack> stack = FanOutFromJson(json::parse(R"({
      "Type":"Map","Index":3,"Size":20,
      "OuterLoop":{"Type":"Parallel","Index":1,"Size":5}})"));
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_EQ(*stack, TwoLevels());
}

TEST(FanOutFromJsonTest, NullOuterLoopEndsTheStack) {
  const Result<FanOutStack> stack = FanOutFromJson(
      json::parse(R"({"Type":"Map","Index":0,"Size":1,"OuterLoop":null})"));
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_EQ(*stack, (FanOutStack{{"Map", 0, 1}}));
}

TEST(FanOutFromJsonTest, IgnoresUnknownFields) {
  const Result<FanOutStack> stack = FanOutFromJson(
      json::parse(R"({"Type":"Map","Index":2,"Size":4,"Extra":true})"));
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_EQ(*stack, (FanOutStack{{"Map", 2, 4}}));
}

TEST(FanOutFromJsonTest, AcceptsSignedAndUnsignedIntegers) {
  json value = {{"Type", "Map"}, {"Index", int64_t{2}}, {"Size", uint64_t{4}}};
  const Result<FanOutStack> stack = FanOutFromJson(value);
  ASSERT_TRUE(stack.ok()) << stack.status().ToString();
  EXPECT_EQ(*stack, (FanOutStack{{"Map", 2, 4}}));
}

TEST(FanOutFromJsonTest, RoundTrips) {
  const FanOutStack stacks[] = {
      {},
      {{"Map", 0, 1}},
      TwoLevels(),
      {{"Parallel", 4, 5}, {"Map", 0, 100}, {"Map", 99, 100}},
  };
  for (const FanOutStack& stack : stacks) {
    const Result<FanOutStack> back = FanOutFromJson(FanOutToJson(stack));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, stack);
    // Through text as well, where non-negative integers come back unsigned.
    const Result<FanOutStack> text =
        FanOutFromJson(json::parse(FanOutToJson(stack).dump()));
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(*text, stack);
  }
}

TEST(FanOutFromJsonTest, RejectsNonObjects) {
  ExpectInvalid(FanOutFromJson(5), "Fan-out: expected an object");
  ExpectInvalid(FanOutFromJson("Map"), "Fan-out: expected an object");
  ExpectInvalid(FanOutFromJson(json::array()), "Fan-out: expected an object");
}

TEST(FanOutFromJsonTest, RejectsBadType) {
  ExpectInvalid(FanOutFromJson(json::parse(R"({"Index":0,"Size":1})")),
                "Fan-out.Type: missing");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"map","Index":0,"Size":1})")),
      "Fan-out.Type: expected \"Map\" or \"Parallel\"");
  ExpectInvalid(FanOutFromJson(json::parse(R"({"Type":1,"Index":0,"Size":1})")),
                "Fan-out.Type: expected \"Map\" or \"Parallel\"");
}

TEST(FanOutFromJsonTest, RejectsBadIndexAndSize) {
  ExpectInvalid(FanOutFromJson(json::parse(R"({"Type":"Map","Size":1})")),
                "Fan-out.Index: missing");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":-1,"Size":1})")),
      "Fan-out.Index: expected a non-negative integer, got -1");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":1.5,"Size":2})")),
      "Fan-out.Index: expected a non-negative integer, got 1.5");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":"1","Size":2})")),
      "Fan-out.Index: expected a non-negative integer, got \"1\"");
  ExpectInvalid(FanOutFromJson(json::parse(
                    R"({"Type":"Map","Index":9223372036854775808,"Size":2})")),
                "Fan-out.Index: expected a non-negative integer, got "
                "9223372036854775808");
  ExpectInvalid(FanOutFromJson(json::parse(R"({"Type":"Map","Index":0})")),
                "Fan-out.Size: missing");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":0,"Size":null})")),
      "Fan-out.Size: expected a non-negative integer, got null");
}

TEST(FanOutFromJsonTest, RejectsOutOfRangeIndexAndEmptySize) {
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":0,"Size":0})")),
      "Fan-out.Size: must be at least 1, got 0");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":0,"Size":-3})")),
      "Fan-out.Size: expected a non-negative integer, got -3");
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({"Type":"Map","Index":5,"Size":5})")),
      "Fan-out.Index: out of range: 5 is not below Size 5");
  ExpectInvalid(FanOutFromJson(json::parse(R"({
      "Type":"Map","Index":0,"Size":2,
      "OuterLoop":{"Type":"Parallel","Index":7,"Size":2}})")),
                "Fan-out.OuterLoop.Index: out of range: 7 is not below Size 2");
}

TEST(FanOutFromJsonTest, RejectsTooManyLevels) {
  json value = nullptr;
  for (size_t i = 0; i <= kMaxFanOutDepth; ++i) {
    json level = {{"Type", "Map"}, {"Index", 0}, {"Size", 1}};
    if (!value.is_null()) level["OuterLoop"] = std::move(value);
    value = std::move(level);
  }
  std::string path = "Fan-out";
  for (size_t i = 0; i < kMaxFanOutDepth; ++i) path += ".OuterLoop";
  ExpectInvalid(FanOutFromJson(value),
                path + ": fan-outs nested more than 64 levels deep");
  // Exactly the limit is accepted.
  EXPECT_TRUE(FanOutFromJson(value["OuterLoop"]).ok());
}

TEST(FanOutFromJsonTest, ErrorsNameTheNestedField) {
  ExpectInvalid(
      FanOutFromJson(json::parse(R"({
      "Type":"Map","Index":3,"Size":20,
      "OuterLoop":{"Type":"Map","Index":-2,"Size":5}})")),
      "Fan-out.OuterLoop.Index: expected a non-negative integer, got -2");
  ExpectInvalid(FanOutFromJson(json::parse(R"({
      "Type":"Map","Index":3,"Size":20,"OuterLoop":7})")),
                "Fan-out.OuterLoop: expected an object");
  ExpectInvalid(FanOutFromJson(json::parse(R"({
      "Type":"Map","Index":3,"Size":20,
      "OuterLoop":{"Type":"Map","Index":0,"Size":5,
                   "OuterLoop":{"Type":"Map","Index":0}}})")),
                "Fan-out.OuterLoop.OuterLoop.Size: missing");
}

TEST(InstanceNameTest, EmptyStackHasNoSuffix) {
  EXPECT_EQ(InstanceSuffix({}), "");
  EXPECT_EQ(InstanceName("CreatePost", {}), "CreatePost");
}

TEST(InstanceNameTest, OneLevel) {
  EXPECT_EQ(InstanceSuffix({{"Map", 7, 10}}), "-unumIndex-7");
  EXPECT_EQ(InstanceName("A", {{"Map", 0, 1}}), "A-unumIndex-0");
}

TEST(InstanceNameTest, InnermostIndexFirst) {
  EXPECT_EQ(InstanceSuffix(TwoLevels()), "-unumIndex-3.1");
  EXPECT_EQ(InstanceName("A", TwoLevels()), "A-unumIndex-3.1");
  EXPECT_EQ(InstanceName("B", {{"Map", 0, 2}, {"Map", 12, 13}, {"Map", 5, 6}}),
            "B-unumIndex-0.12.5");
}

}  // namespace
}  // namespace unum::ir
