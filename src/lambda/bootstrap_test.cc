// The bootstrap's event loop against a scripted Runtime API (fake HTTP
// client): what it posts for success, failure, repeated request ids (the
// attempt count), on-failure destination records and failed flushes.
#include "lambda/bootstrap.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "aws/fake_http_client.h"

namespace unum::lambda {
namespace {

using aws::FakeHttpClient;
using aws::HttpRequest;
using aws::HttpResponse;
using nlohmann::json;

struct Scripted {
  std::deque<std::pair<std::string, std::string>> events;  // id, body
};

std::shared_ptr<FakeHttpClient> RuntimeApi(Scripted* script) {
  return std::make_shared<FakeHttpClient>(
      [script](const HttpRequest& r) -> Result<HttpResponse> {
        if (r.method == "GET") {
          if (script->events.empty()) return Status::Unavailable("no more");
          auto [id, body] = script->events.front();
          script->events.pop_front();
          return HttpResponse{
              .status = 200,
              .headers = {{"Lambda-Runtime-Aws-Request-Id", id},
                          {"Lambda-Runtime-Deadline-Ms", "1700000000000"}},
              .body = body};
        }
        return HttpResponse{.status = 202, .headers = {}, .body = ""};
      });
}

TEST(BootstrapEventLoopTest, RespondsOnSuccessAndReportsErrorsWithAttempts) {
  Scripted script;
  const std::string payload = R"({"Data":{"Source":"http","Value":7}})";
  script.events = {{"req-1", payload},
                   {"req-2", payload},
                   {"req-2", payload},
                   {"req-2", payload}};
  auto http = RuntimeApi(&script);
  RuntimeApiClient api("127.0.0.1:9001", http);
  std::vector<Invocation> seen;
  EventLoop loop(
      &api, "Mapper", 3,
      [&](const Invocation& inv) -> Status {
        seen.push_back(inv);
        if (seen.size() == 1) return Status::Ok();
        return Status::Unavailable("store down");
      },
      [] { return Status::Ok(); });
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(loop.RunOnce().ok());

  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].function, "Mapper");
  EXPECT_EQ(seen[0].payload, json::parse(payload));
  EXPECT_EQ(seen[0].attempt, 1);
  EXPECT_EQ(seen[1].attempt, 1);
  EXPECT_EQ(seen[2].attempt, 2);
  EXPECT_EQ(seen[3].attempt, 2);  // capped: the destination is the last

  const std::vector<HttpRequest> sent = http->requests();
  ASSERT_EQ(sent.size(), 8u);
  EXPECT_EQ(sent[0].url,
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next");
  EXPECT_EQ(sent[1].method, "POST");
  EXPECT_EQ(sent[1].url,
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/"
            "response");
  EXPECT_EQ(sent[1].body, R"({"status":"done"})");
  EXPECT_EQ(sent[3].url,
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-2/error");
  EXPECT_EQ(
      aws::FindHeader(sent[3].headers, "Lambda-Runtime-Function-Error-Type"),
      "Unum.UNAVAILABLE");
  EXPECT_EQ(json::parse(sent[3].body),
            json::parse(R"({"errorMessage":"UNAVAILABLE: store down",
                            "errorType":"Unum.UNAVAILABLE","stackTrace":[]})"));
}

TEST(BootstrapEventLoopTest, DestinationRecordIsTheLastAttemptAndAlwaysDone) {
  Scripted script;
  const json original = {{"Data", {{"Source", "http"}, {"Value", 1}}},
                         {"Session", "s"}};
  const json record = {{"version", "1.0"},
                       {"requestContext",
                        {{"requestId", "req-9"},
                         {"condition", "RetriesExhausted"},
                         {"approximateInvokeCount", 2}}},
                       {"requestPayload", original},
                       {"responsePayload", {{"errorMessage", "boom"}}}};
  script.events = {{"dest-1", record.dump()}};
  auto http = RuntimeApi(&script);
  RuntimeApiClient api("h:1", http);
  std::vector<Invocation> seen;
  EventLoop loop(
      &api, "F", 3,
      [&](const Invocation& inv) {
        seen.push_back(inv);
        return Status::Unknown("user code threw");
      },
      [] { return Status::Ok(); });
  ASSERT_TRUE(loop.RunOnce().ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].attempt, 3);
  EXPECT_EQ(seen[0].payload, original);
  const std::vector<HttpRequest> sent = http->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].url,
            "http://h:1/2018-06-01/runtime/invocation/dest-1/response");
  EXPECT_EQ(sent[1].body, R"({"status":"failed"})");
}

TEST(BootstrapEventLoopTest, FailedFlushAndBadJsonAreErrors) {
  Scripted script;
  script.events = {{"a", "{}"}, {"b", "not json"}};
  auto http = RuntimeApi(&script);
  RuntimeApiClient api("h:1", http);
  EventLoop loop(
      &api, "F", 3, [](const Invocation&) { return Status::Ok(); },
      [] { return Status::NotFound("Lambda Invoke of \"G\": HTTP 404"); });
  ASSERT_TRUE(loop.RunOnce().ok());
  ASSERT_TRUE(loop.RunOnce().ok());
  const std::vector<HttpRequest> sent = http->requests();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[1].url, "http://h:1/2018-06-01/runtime/invocation/a/error");
  EXPECT_EQ(
      aws::FindHeader(sent[1].headers, "Lambda-Runtime-Function-Error-Type"),
      "Unum.NOT_FOUND");
  EXPECT_EQ(sent[3].url, "http://h:1/2018-06-01/runtime/invocation/b/error");
  EXPECT_EQ(
      aws::FindHeader(sent[3].headers, "Lambda-Runtime-Function-Error-Type"),
      "Unum.InvalidEvent");
  // The Runtime API going away ends the loop with exit code 1.
  EXPECT_EQ(loop.RunOnce().code(), StatusCode::kUnavailable);
}

TEST(BootstrapConfigTest, NamesTheMissingVariable) {
  unsetenv("AWS_LAMBDA_RUNTIME_API");
  setenv("_HANDLER", "F", 1);
  setenv("UNUM_STORE", "memory://", 1);
  EXPECT_EQ(BootstrapConfigFromEnvironment().status().message(),
            "bootstrap: AWS_LAMBDA_RUNTIME_API is not set");
  setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:1", 1);
  setenv("LAMBDA_TASK_ROOT", "/var/task", 1);
  auto c = BootstrapConfigFromEnvironment();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->function, "F");
  EXPECT_EQ(c->task_root, "/var/task");
  EXPECT_EQ(c->platform_url, "lambda://");
}

}  // namespace
}  // namespace unum::lambda
