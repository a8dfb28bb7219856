// Fuzz target: a Lambda Runtime API event as the bootstrap's event loop
// handles it (lambda::EventLoop::RunOnce over RuntimeApiClient). Input:
// the first line is the request id header, the rest the event body (an
// Unum payload, or an on-failure destination record around one). The
// loop hands the handler an invocation with an attempt in
// [1, MaxAttempts] whose payload the runtime then parses (or rejects with
// InvalidArgument), and it answers Lambda exactly once for the event, on
// the event's own path; nothing throws or crashes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "aws/fake_http_client.h"
#include "common/url_options.h"
#include "fuzz/fuzz_check.h"
#include "lambda/bootstrap.h"
#include "lambda/runtime_api_client.h"
#include "runtime/payload.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using unum::aws::HttpRequest;
  using unum::aws::HttpResponse;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string id = input.substr(0, eol);
  const std::string body =
      eol == std::string::npos ? "" : input.substr(eol + 1);
  auto http = std::make_shared<unum::aws::FakeHttpClient>(
      [&](const HttpRequest& r) -> unum::Result<HttpResponse> {
        if (r.method == "GET") {
          return HttpResponse{
              .status = 200,
              .headers = {{"Lambda-Runtime-Aws-Request-Id", id},
                          {"Lambda-Runtime-Deadline-Ms", "1700000000000"}},
              .body = body};
        }
        return HttpResponse{.status = 202, .body = "{}"};
      });
  unum::lambda::RuntimeApiClient api("127.0.0.1:9001", http);
  constexpr int kMaxAttempts = 3;
  int handled = 0;
  unum::lambda::EventLoop loop(
      &api, "Fn", kMaxAttempts,
      [&](const unum::Invocation& inv) -> unum::Status {
        ++handled;
        FUZZ_CHECK(inv.function == "Fn");
        FUZZ_CHECK(inv.attempt >= 1 && inv.attempt <= kMaxAttempts);
        FUZZ_CHECK(inv.decoded == nullptr);
        auto payload = unum::runtime::ParsePayload(inv.payload);
        if (!payload.ok()) {
          FUZZ_CHECK(payload.status().code() ==
                     unum::StatusCode::kInvalidArgument);
          return payload.status();
        }
        return unum::Status::Ok();
      },
      [] { return unum::Status::Ok(); });
  const unum::Status s = loop.RunOnce();
  const auto requests = http->requests();
  if (id.empty()) {
    // No request id: nothing to answer, nothing handled.
    FUZZ_CHECK(!s.ok());
    FUZZ_CHECK(handled == 0 && requests.size() == 1);
    return 0;
  }
  FUZZ_CHECK(s.ok());
  FUZZ_CHECK(handled <= 1);
  FUZZ_CHECK(requests.size() == 2);
  const std::string prefix =
      api.BaseUrl() + "/runtime/invocation/" + unum::PercentEncode(id) + "/";
  const HttpRequest& answer = requests[1];
  FUZZ_CHECK(answer.method == "POST");
  FUZZ_CHECK(answer.url == prefix + "response" ||
             answer.url == prefix + "error");
  return 0;
}
