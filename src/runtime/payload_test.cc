// Tests for the invocation payload: parsing, serialising, and the exact
// error each malformed field produces.
#include "runtime/payload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace unum::runtime {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Payload ParseOk(const json& doc) {
  Result<Payload> p = ParsePayload(doc);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(p).value() : Payload{};
}

void ExpectError(const json& doc, const std::string& message) {
  Result<Payload> p = ParsePayload(doc);
  ASSERT_FALSE(p.ok()) << "parsed: " << doc.dump();
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(), message);
}

TEST(ParsePayloadTest, FullInlinePayload) {
  const json doc = json::parse(R"({
    "Data": {"Source": "http", "Value": {"x": [1, 2]}},
    "Session": "s-1",
    "Fan-out": {"Type": "Map", "Index": 3, "Size": 20,
                "OuterLoop": {"Type": "Parallel", "Index": 1, "Size": 5}},
    "GC": {"Parent": "A-unumIndex-1", "Children": 4}})");
  const Payload p = ParseOk(doc);
  EXPECT_EQ(p.session, "s-1");
  EXPECT_FALSE(p.fan_in);
  EXPECT_EQ(p.value, json::parse(R"({"x": [1, 2]})"));
  EXPECT_TRUE(p.sources.empty());
  EXPECT_THAT(p.fanout, ElementsAre(ir::FanOut{"Map", 3, 20},
                                    ir::FanOut{"Parallel", 1, 5}));
  ASSERT_TRUE(p.gc.has_value());
  EXPECT_EQ(p.gc->parent, "A-unumIndex-1");
  EXPECT_EQ(p.gc->children, 4);
  // Serialising gives back exactly the document.
  EXPECT_EQ(ToJson(p), doc);
}

TEST(ParsePayloadTest, FanInPayloadRoundTrip) {
  const json doc = json::parse(R"({
    "Data": {"Source": "datastore", "Value": ["B-unumIndex-0", "B-unumIndex-1"]},
    "Session": "s-2"})");
  const Payload p = ParseOk(doc);
  EXPECT_TRUE(p.fan_in);
  EXPECT_THAT(p.sources, ElementsAre("B-unumIndex-0", "B-unumIndex-1"));
  EXPECT_TRUE(p.fanout.empty());
  EXPECT_FALSE(p.gc.has_value());
  EXPECT_EQ(ToJson(p), doc);
  // And parse(ToJson(parse(doc))) is stable.
  const Payload again = ParseOk(ToJson(p));
  EXPECT_EQ(again.sources, p.sources);
  EXPECT_EQ(again.session, "s-2");
}

TEST(ParsePayloadTest, MinimalPayloadDefaults) {
  const Payload p = ParseOk(json::parse(R"({"Data": {"Value": 7}})"));
  EXPECT_EQ(p.session, "");
  EXPECT_FALSE(p.fan_in);
  EXPECT_EQ(p.value, 7);
  EXPECT_TRUE(p.fanout.empty());
  EXPECT_FALSE(p.gc.has_value());
  // A missing Source means inline; ToJson spells it out, omits the rest.
  EXPECT_EQ(ToJson(p),
            json::parse(R"({"Data": {"Source": "http", "Value": 7}})"));
}

TEST(ParsePayloadTest, NullSessionAndNullGcAreAbsent) {
  const Payload p = ParseOk(json::parse(
      R"({"Data": {"Source": "http", "Value": null}, "Session": null, "GC": null})"));
  EXPECT_EQ(p.session, "");
  EXPECT_FALSE(p.gc.has_value());
  EXPECT_TRUE(p.value.is_null());
}

TEST(ParsePayloadTest, RoundTripFromStruct) {
  Payload p;
  p.session = "abc";
  p.value = json::array({1, "two", nullptr});
  p.fanout = {{"Map", 0, 2}, {"Map", 4, 5}, {"Parallel", 1, 2}};
  p.gc = GcInfo{"Row-unumIndex-4.1", 2};
  const Payload back = ParseOk(ToJson(p));
  EXPECT_EQ(back.session, p.session);
  EXPECT_EQ(back.value, p.value);
  EXPECT_EQ(back.fanout, p.fanout);
  ASSERT_TRUE(back.gc.has_value());
  EXPECT_EQ(back.gc->parent, "Row-unumIndex-4.1");
  EXPECT_EQ(back.gc->children, 2);
  EXPECT_FALSE(back.fan_in);
}

TEST(ParsePayloadTest, NotAnObject) {
  ExpectError(json::array(), "payload: expected a JSON object, got array");
  ExpectError("text", "payload: expected a JSON object, got string");
}

TEST(ParsePayloadTest, DataMissing) {
  ExpectError(json::parse(R"({"Session": "s"})"),
              "payload: Data: missing (expected {\"Source\": ..., \"Value\": "
              "...})");
}

TEST(ParsePayloadTest, DataNotAnObject) {
  Result<Payload> p = ParsePayload(json::parse(R"({"Data": 5})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("payload: Data:"));
}

TEST(ParsePayloadTest, SourceNotString) {
  ExpectError(json::parse(R"({"Data": {"Source": 3, "Value": 1}})"),
              "payload: Data.Source: expected a string");
}

TEST(ParsePayloadTest, SessionNotString) {
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "Session": 12})"),
              "payload: Session: expected a non-empty string");
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "Session": ""})"),
              "payload: Session: expected a non-empty string");
}

TEST(ParsePayloadTest, FanInValueNotAList) {
  ExpectError(
      json::parse(
          R"({"Data": {"Source": "datastore", "Value": "B-unumIndex-0"}})"),
      "payload: Data.Value: a fan-in (Source \"datastore\") needs the list of "
      "instance names");
  ExpectError(json::parse(R"({"Data": {"Source": "datastore"}})"),
              "payload: Data.Value: a fan-in (Source \"datastore\") needs the "
              "list of instance names");
}

TEST(ParsePayloadTest, FanInValueNotStrings) {
  ExpectError(
      json::parse(R"({"Data": {"Source": "datastore", "Value": ["B", 1]}})"),
      "payload: Data.Value: fan-in instance names must be strings");
}

TEST(ParsePayloadTest, BadGc) {
  const std::string msg =
      "payload: GC: expected {\"Parent\": name, \"Children\": n >= 1}";
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "GC": 3})"), msg);
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "GC": {"Children": 2}})"),
              msg);
  ExpectError(
      json::parse(
          R"({"Data": {"Value": 1}, "GC": {"Parent": 1, "Children": 2}})"),
      msg);
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "GC": {"Parent": "A"}})"),
              msg);
  ExpectError(
      json::parse(
          R"({"Data": {"Value": 1}, "GC": {"Parent": "A", "Children": 0}})"),
      msg);
  ExpectError(
      json::parse(
          R"({"Data": {"Value": 1}, "GC": {"Parent": "A", "Children": 1.5}})"),
      msg);
  ExpectError(
      json::parse(
          R"({"Data": {"Value": 1}, "GC": {"Parent": "A", "Children": "2"}})"),
      msg);
}

TEST(ParsePayloadTest, BadFanOut) {
  ExpectError(
      json::parse(
          R"({"Data": {"Value": 1}, "Fan-out": {"Type": "Map", "Size": 2}})"),
      "payload: Fan-out.Index: missing");
  ExpectError(json::parse(R"({"Data": {"Value": 1},
                "Fan-out": {"Type": "Loop", "Index": 0, "Size": 2}})"),
              "payload: Fan-out.Type: expected \"Map\" or \"Parallel\"");
  ExpectError(json::parse(R"({"Data": {"Value": 1},
                "Fan-out": {"Type": "Map", "Index": 0, "Size": 2,
                            "OuterLoop": {"Type": "Map", "Index": -1, "Size": 2}}})"),
              "payload: Fan-out.OuterLoop.Index: expected a non-negative "
              "integer, got -1");
  ExpectError(json::parse(R"({"Data": {"Value": 1}, "Fan-out": 4})"),
              "payload: Fan-out: expected an object");
}

TEST(StartPayloadTest, Shape) {
  EXPECT_EQ(
      StartPayload(json::parse(R"({"name": "Ada"})"), "sess-9"),
      json::parse(R"({"Data": {"Source": "http", "Value": {"name": "Ada"}},
                            "Session": "sess-9"})"));
}

TEST(StartPayloadTest, NoSessionOmitsTheField) {
  const json doc = StartPayload(json::array({1, 2}), "");
  EXPECT_EQ(doc,
            json::parse(R"({"Data": {"Source": "http", "Value": [1, 2]}})"));
  const Payload p = ParseOk(doc);
  EXPECT_EQ(p.session, "");
  EXPECT_EQ(p.value, json::array({1, 2}));
}

}  // namespace
}  // namespace unum::runtime
