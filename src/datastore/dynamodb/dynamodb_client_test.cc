// DynamoDbClient against a fake HTTP client: request shape, signing,
// error mapping and retries.
#include "datastore/dynamodb/dynamodb_client.h"

#include <gtest/gtest.h>

#include <memory>

#include "aws/fake_http_client.h"

namespace unum::dynamodb {
namespace {

using aws::FakeHttpClient;
using aws::HttpRequest;
using aws::HttpResponse;

DynamoDbClientOptions Options() {
  DynamoDbClientOptions o;
  o.endpoint = "http://127.0.0.1:1";
  o.region = "us-east-1";
  o.credentials = {.access_key_id = "AKID",
                   .secret_access_key = "secret",
                   .session_token = ""};
  o.max_attempts = 4;
  return o;
}

HttpResponse Reply(long status, const std::string& body) {
  return HttpResponse{.status = status, .headers = {}, .body = body};
}

TEST(DynamoDbClientTest, SendsASignedJsonRequest) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> {
        return Reply(200, R"({"Item":{}})");
      });
  DynamoDbClient client(Options(), http);
  Result<json> r = client.Call("GetItem", json{{"TableName", "t"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, json::parse(R"({"Item":{}})"));
  ASSERT_EQ(http->requests().size(), 1u);
  const HttpRequest sent = http->requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:1/");
  EXPECT_EQ(sent.body, R"({"TableName":"t"})");
  EXPECT_EQ(aws::FindHeader(sent.headers, "X-Amz-Target"),
            "DynamoDB_20120810.GetItem");
  EXPECT_EQ(aws::FindHeader(sent.headers, "Content-Type"),
            "application/x-amz-json-1.0");
  const std::string auth = aws::FindHeader(sent.headers, "Authorization");
  EXPECT_TRUE(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID/")) << auth;
  EXPECT_NE(auth.find("/us-east-1/dynamodb/aws4_request"), std::string::npos);
  EXPECT_EQ(auth.find("secret"), std::string::npos);
}

TEST(DynamoDbClientTest, RetriesThrottlingAnd5xxThenSucceeds) {
  int calls = 0;
  auto http = std::make_shared<FakeHttpClient>([&](const HttpRequest&)
                                                   -> Result<HttpResponse> {
    ++calls;
    if (calls == 1) {
      return Reply(
          400,
          R"({"__type":"com.amazonaws.dynamodb.v20120810#)"
          R"(ProvisionedThroughputExceededException","message":"slow down"})");
    }
    if (calls == 2) return Reply(503, "");
    if (calls == 3) return Status::Unavailable("connection reset");
    return Reply(200, "{}");
  });
  DynamoDbClient client(Options(), http);
  CallInfo info;
  Result<json> r = client.Call("PutItem", json::object(), &info);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(info.attempts, 4);
  EXPECT_TRUE(info.ambiguous);
}

TEST(DynamoDbClientTest, GivesUpAsUnavailable) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> {
        return Reply(400, R"({"__type":"x#ThrottlingException"})");
      });
  DynamoDbClient client(Options(), http);
  CallInfo info;
  Result<json> r = client.Call("PutItem", json::object(), &info);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(http->requests().size(), 4u);
  EXPECT_FALSE(info.ambiguous);  // throttled requests were not applied
}

TEST(DynamoDbClientTest, MapsErrorsWithoutRetrying) {
  std::string reply;
  auto http = std::make_shared<FakeHttpClient>(
      [&](const HttpRequest&) -> Result<HttpResponse> {
        return Reply(400, reply);
      });
  DynamoDbClient client(Options(), http);
  reply = R"({"__type":"x#ConditionalCheckFailedException","message":"no"})";
  Result<json> r = client.Call("PutItem", json::object());
  EXPECT_TRUE(IsConditionFailed(r.status()));
  EXPECT_EQ(r.status().message(), "ConditionalCheckFailedException: no");
  reply = R"({"__type":"x#ResourceNotFoundException","message":"gone"})";
  EXPECT_EQ(client.Call("GetItem", json::object()).status().code(),
            StatusCode::kNotFound);
  reply = R"({"__type":"x#ValidationException","message":"Item size has)"
          R"( exceeded the maximum allowed size"})";
  r = client.Call("PutItem", json::object());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsConditionFailed(r.status()));
  EXPECT_EQ(http->requests().size(), 3u);
}

TEST(DynamoDbClientTest, CallAllKeepsOrderAndRetriesOnlyFailures) {
  int calls = 0;
  auto http = std::make_shared<FakeHttpClient>(
      [&](const HttpRequest& r) -> Result<HttpResponse> {
        ++calls;
        if (r.body == R"({"i":1})" && calls <= 3) return Reply(500, "");
        return Reply(200, r.body);
      });
  DynamoDbClient client(Options(), http);
  std::vector<Result<json>> out = client.CallAll(
      "GetItem", {json{{"i", 0}}, json{{"i", 1}}, json{{"i", 2}}});
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(out[i].ok()) << i;
    EXPECT_EQ((*out[i])["i"], i);
  }
  EXPECT_EQ(calls, 4);  // 3 at once, then the one 5xx again
}

// A put whose first attempt was applied but answered 500 finds its own
// item on the retry's failed condition, and reports the win.
TEST(DynamoDbClientTest, AmbiguousConditionalPutIsReportedSo) {
  int puts = 0;
  auto http = std::make_shared<FakeHttpClient>(
      [&](const HttpRequest&) -> Result<HttpResponse> {
        ++puts;
        if (puts == 1)
          return Reply(500, R"({"__type":"x#InternalServerError"})");
        return Reply(400, R"({"__type":"x#ConditionalCheckFailedException"})");
      });
  DynamoDbClient client(Options(), http);
  CallInfo info;
  Result<json> r = client.Call("PutItem", json::object(), &info);
  EXPECT_TRUE(IsConditionFailed(r.status()));
  EXPECT_EQ(info.attempts, 2);
  EXPECT_TRUE(info.ambiguous);
}

}  // namespace
}  // namespace unum::dynamodb
