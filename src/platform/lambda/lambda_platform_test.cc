// LambdaPlatform against a fake HTTP client: the exact Invoke request
// (path, headers, SigV4 signature, body), retries of 429/5xx, final
// errors, the in-flight bound, delayed invocations and URL parsing.
#include "platform/lambda/lambda_platform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "aws/fake_http_client.h"
#include "aws/sigv4.h"

namespace unum {
namespace {

using aws::FakeHttpClient;
using aws::HttpRequest;
using aws::HttpResponse;
using nlohmann::json;

const aws::AwsCredentials kCredentials{.access_key_id = "AKIDLAMBDA",
                                       .secret_access_key = "s3cr3t",
                                       .session_token = ""};

LambdaPlatformOptions Options() {
  LambdaPlatformOptions o;
  o.region = "eu-west-1";
  o.endpoint = "http://127.0.0.1:9";
  o.prefix = "stack-";
  o.backoff_base = std::chrono::milliseconds(1);
  o.backoff_cap = std::chrono::milliseconds(5);
  return o;
}

HttpResponse Reply(long status, aws::HttpHeaders headers = {},
                   std::string body = "") {
  return HttpResponse{
      .status = status, .headers = std::move(headers), .body = body};
}

TEST(LambdaPlatformTest, InvokeSendsOneSignedAsyncInvokeRequest) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Reply(202); });
  LambdaPlatform platform(Options(), kCredentials, http);
  const json payload = {{"Data", {{"Source", "http"}, {"Value", {1, 2}}}},
                        {"Session", "s-1"}};
  ASSERT_TRUE(platform.Invoke("Mapper", payload).ok());
  ASSERT_TRUE(platform.Flush().ok());

  ASSERT_EQ(http->requests().size(), 1u);
  HttpRequest sent = http->requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url,
            "http://127.0.0.1:9/2015-03-31/functions/stack-Mapper/invocations");
  EXPECT_EQ(sent.body, R"({"Data":{"Source":"http","Value":[1,2]},)"
                       R"("Session":"s-1"})");
  EXPECT_EQ(aws::FindHeader(sent.headers, "X-Amz-Invocation-Type"), "Event");
  EXPECT_EQ(aws::FindHeader(sent.headers, "Content-Type"), "application/json");
  EXPECT_EQ(aws::FindHeader(sent.headers, "Host"), "127.0.0.1:9");
  const std::string date = aws::FindHeader(sent.headers, "X-Amz-Date");
  ASSERT_EQ(date.size(), 16u);
  const std::string auth = aws::FindHeader(sent.headers, "Authorization");
  EXPECT_TRUE(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDLAMBDA/" +
                               date.substr(0, 8) +
                               "/eu-west-1/lambda/aws4_request, "))
      << auth;
  EXPECT_EQ(auth.find("s3cr3t"), std::string::npos);

  // The signature is the SigV4 of exactly this request.
  HttpRequest again = sent;
  auto check = aws::SignRequest(
      &again, kCredentials,
      {.region = "eu-west-1", .service = "lambda", .amz_date = date});
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->authorization, auth);

  const PlatformStats s = platform.stats();
  EXPECT_EQ(s.invocations, 1);
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.retries, 0);
}

TEST(LambdaPlatformTest, RetriesThrottlingServerErrorsAndResets) {
  int calls = 0;
  auto http = std::make_shared<FakeHttpClient>(
      [&](const HttpRequest&) -> Result<HttpResponse> {
        ++calls;
        if (calls == 1) {
          return Reply(429, {{"x-amzn-ErrorType", "TooManyRequestsException"}},
                       R"({"message":"Rate exceeded"})");
        }
        if (calls == 2) return Reply(502);
        if (calls == 3) return Status::Unavailable("connection reset");
        return Reply(202);
      });
  LambdaPlatform platform(Options(), kCredentials, http);
  ASSERT_TRUE(platform.Invoke("F", json::object()).ok());
  Status flushed = platform.Flush();
  EXPECT_TRUE(flushed.ok()) << flushed.ToString();
  EXPECT_EQ(calls, 4);
  const PlatformStats s = platform.stats();
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.retries, 3);
  EXPECT_EQ(s.exhausted, 0);
  // Every send carries the same body.
  for (const HttpRequest& r : http->requests()) EXPECT_EQ(r.body, "{}");
}

TEST(LambdaPlatformTest, GivesUpAfterSendAttemptsWithUnavailable) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Reply(503); });
  LambdaPlatformOptions o = Options();
  o.send_attempts = 3;
  LambdaPlatform platform(o, kCredentials, http);
  ASSERT_TRUE(platform.Invoke("F", json::object()).ok());
  Status flushed = platform.Flush();
  EXPECT_EQ(flushed.code(), StatusCode::kUnavailable);
  EXPECT_EQ(flushed.message(),
            "Lambda Invoke of \"stack-F\": HTTP 503 (gave up after 3 sends)");
  EXPECT_EQ(http->requests().size(), 3u);
  // Flush reports a failure once.
  EXPECT_TRUE(platform.Flush().ok());
}

TEST(LambdaPlatformTest, MissingFunctionIsFinalNotFound) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> {
        return Reply(
            404,
            {{"x-amzn-ErrorType",
              "ResourceNotFoundException:http://internal.amazon.com/"}},
            R"({"Type":"User","message":"Function not found"})");
      });
  LambdaPlatform platform(Options(), kCredentials, http);
  ASSERT_TRUE(platform.Invoke("Nope", json::object()).ok());
  Status flushed = platform.Flush();
  EXPECT_EQ(flushed.code(), StatusCode::kNotFound);
  EXPECT_EQ(flushed.message(),
            "Lambda Invoke of \"stack-Nope\": HTTP 404 "
            "ResourceNotFoundException: Function not found");
  EXPECT_EQ(http->requests().size(), 1u);
}

TEST(LambdaPlatformTest, RejectsBadNamesAndOversizedPayloadsAtInvoke) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Reply(202); });
  LambdaPlatformOptions o = Options();
  o.max_payload_bytes = 100;
  LambdaPlatform platform(o, kCredentials, http);
  Status bad_name = platform.Invoke("a/b", json::object());
  EXPECT_EQ(bad_name.code(), StatusCode::kInvalidArgument);
  Status big = platform.Invoke("F", json(std::string(200, 'x')));
  EXPECT_EQ(big.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(big.message(),
            "lambda platform: the payload for \"F\" is 202 bytes, above "
            "Lambda's limit of 100 bytes for an asynchronous invocation");
  ASSERT_TRUE(platform.Flush().ok());
  EXPECT_TRUE(http->requests().empty());
}

// Records the size of every SendAll batch; the first batch blocks until
// released so the test can queue many invocations behind it.
class BatchRecordingClient : public aws::HttpClient {
 public:
  Result<HttpResponse> Send(const HttpRequest& r) override {
    return SendAll({r})[0];
  }
  std::vector<Result<HttpResponse>> SendAll(
      const std::vector<HttpRequest>& requests) override {
    std::unique_lock<std::mutex> lock(mu_);
    batches_.push_back(requests.size());
    cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
    return std::vector<Result<HttpResponse>>(requests.size(), Reply(202));
  }
  void WaitForFirstBatch() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !batches_.empty(); });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  std::vector<size_t> batches() {
    std::lock_guard<std::mutex> lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  std::vector<size_t> batches_;
};

TEST(LambdaPlatformTest, SendsManyRequestsInFlightBoundedByMaxInFlight) {
  auto http = std::make_shared<BatchRecordingClient>();
  LambdaPlatformOptions o = Options();
  o.max_in_flight = 16;
  LambdaPlatform platform(o, kCredentials, http);
  ASSERT_TRUE(platform.Invoke("Mapper", json::object()).ok());
  http->WaitForFirstBatch();
  for (int i = 1; i < 100; ++i) {
    ASSERT_TRUE(platform.Invoke("Mapper", json(i)).ok());
  }
  http->Release();
  ASSERT_TRUE(platform.Flush().ok());
  // 1 alone, then the 99 queued behind it in batches of at most 16.
  EXPECT_EQ(http->batches(),
            (std::vector<size_t>{1, 16, 16, 16, 16, 16, 16, 3}));
  EXPECT_EQ(platform.stats().completed, 100);
}

TEST(LambdaPlatformTest, InvokeAfterWaitsInThisProcessAndFlushWaitsForIt) {
  std::atomic<int64_t> sent_at_ms{-1};
  const auto start = std::chrono::steady_clock::now();
  auto http = std::make_shared<FakeHttpClient>(
      [&](const HttpRequest&) -> Result<HttpResponse> {
        sent_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
        return Reply(202);
      });
  LambdaPlatformOptions o = Options();
  o.max_delay = std::chrono::milliseconds(1000);
  LambdaPlatform platform(o, kCredentials, http);
  ASSERT_TRUE(
      platform
          .InvokeAfter(std::chrono::milliseconds(150), "Later", json::object())
          .ok());
  EXPECT_EQ(platform.stats().delayed, 1);
  ASSERT_TRUE(platform.Flush().ok());
  EXPECT_GE(sent_at_ms.load(), 150);
  EXPECT_EQ(http->requests().size(), 1u);

  Status too_long = platform.InvokeAfter(std::chrono::milliseconds(1001),
                                         "Later", json::object());
  EXPECT_EQ(too_long.code(), StatusCode::kOutOfRange);
}

TEST(LambdaPlatformTest, WaitUntilPollsDoneAndIsIdleOnlyAfterDone) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Reply(202); });
  LambdaPlatform platform(Options(), kCredentials, http);
  // Nothing to send, done() false: not idle (work may run in Lambda).
  Status waited =
      platform.WaitUntil([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_EQ(waited.code(), StatusCode::kDeadlineExceeded);
  std::atomic<int> polls{0};
  waited =
      platform.WaitUntil([&] { return ++polls == 3; }, std::chrono::seconds(5));
  EXPECT_TRUE(waited.ok());
  EXPECT_EQ(polls.load(), 3);
  waited = platform.WaitUntil([] { return false; }, std::chrono::seconds(5));
  EXPECT_EQ(waited.code(), StatusCode::kFailedPrecondition);
}

TEST(LambdaPlatformTest, StopFlushesThenRefusesInvokes) {
  auto http = std::make_shared<FakeHttpClient>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Reply(202); });
  LambdaPlatform platform(Options(), kCredentials, http);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(platform.Invoke("F", json(i)).ok());
  }
  platform.Stop();
  EXPECT_EQ(http->requests().size(), 5u);
  EXPECT_EQ(platform.Invoke("F", json::object()).code(),
            StatusCode::kFailedPrecondition);
}

TEST(LambdaPlatformUrlTest, ParsesOptionsAndDefaultsTheEndpoint) {
  auto o = ParseLambdaUrl(
      "lambda://?region=us-west-2&prefix=app-&max_in_flight=8&"
      "send_attempts=4&timeout_ms=2000&max_delay_ms=1000&backoff_ms=10");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->region, "us-west-2");
  EXPECT_EQ(o->endpoint, "https://lambda.us-west-2.amazonaws.com");
  EXPECT_EQ(o->prefix, "app-");
  EXPECT_EQ(o->max_in_flight, 8);
  EXPECT_EQ(o->send_attempts, 4);
  EXPECT_EQ(o->timeout.count(), 2000);
  EXPECT_EQ(o->max_delay.count(), 1000);
  EXPECT_EQ(o->backoff_base.count(), 10);

  auto local = ParseLambdaUrl(
      "lambda://?region=us-east-1&endpoint=http%3A%2F%2F127.0.0.1%3A9001%2F");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->endpoint, "http://127.0.0.1:9001");
}

TEST(LambdaPlatformUrlTest, RejectsBadUrlsNamingTheOption) {
  EXPECT_EQ(
      ParseLambdaUrl("lambda://?region=r&max_in_flight=0").status().message(),
      "invalid lambda URL 'lambda://?region=r&max_in_flight=0': option "
      "'max_in_flight' must be an integer in [1, 1024], got '0'");
  EXPECT_EQ(ParseLambdaUrl("lambda://?region=r&colour=red").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseLambdaUrl("lambda://host?region=r").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseLambdaUrl("lambda://?region=r&endpoint=ftp://x").status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseLambdaUrl("lambda://?region=r&prefix=a/b").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace unum
