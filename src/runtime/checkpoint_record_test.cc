#include "runtime/checkpoint_record.h"

#include <gtest/gtest.h>

#include "common/json_text.h"

namespace unum::runtime {
namespace {

using nlohmann::json;

// The record's bytes are exactly what the JSON library writes for the
// record object, so records written before and after agree byte for byte
// (and cost the same request units).
TEST(CheckpointRecordTest, EncodesTheSameBytesAsTheRecordObject) {
  const json outputs[] = {
      json(nullptr),
      json(7),
      json(-2.5),
      json("text with \"quotes\" and \\ and \n"),
      json::parse(R"({"b": [1, {"c": null}], "a": "x", "Ünï": true})"),
      json::array(),
      json::object(),
  };
  for (const json& output : outputs) {
    for (int64_t children : {0, 1, 12345}) {
      const json record = {{"Output", output}, {"Children", children}};
      EXPECT_EQ(EncodeCheckpoint(output, children), ToJsonText(record))
          << output.dump();
    }
  }
}

TEST(CheckpointRecordTest, InvalidUtf8IsReplacedNotThrown) {
  const json output = std::string(
      "a\xff"
      "b");
  const std::string text = EncodeCheckpoint(output, 1);
  EXPECT_EQ(text,
            "{\"Children\":1,\"Output\":\"a\xEF\xBF\xBD"
            "b\"}");
  auto decoded = DecodeCheckpoint("A", text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->output,
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(decoded->children, 1);
}

TEST(CheckpointRecordTest, RoundTrips) {
  const json output = json::parse(R"({"n": [1, 2, 3], "s": "x"})");
  auto decoded = DecodeCheckpoint("A", EncodeCheckpoint(output, 3));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->output, output);
  EXPECT_EQ(decoded->children, 3);
}

TEST(CheckpointRecordTest, ANonRecordIsDataLossNamingTheInstance) {
  for (const char* text : {"", "not json", "[1]", "{\"Children\": 1}"}) {
    auto decoded = DecodeCheckpoint("Map-unumIndex-3", text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kDataLoss) << text;
    EXPECT_NE(decoded.status().message().find("\"Map-unumIndex-3\""),
              std::string::npos)
        << decoded.status().message();
  }
}

}  // namespace
}  // namespace unum::runtime
