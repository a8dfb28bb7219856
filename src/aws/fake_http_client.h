// FakeHttpClient: an HttpClient for unit tests that answers every request
// with a handler the test supplies and records what was sent.
//
//   FakeHttpClient http([](const HttpRequest& r) -> Result<HttpResponse> {
//     return HttpResponse{.status = 200, .body = "{}"};
//   });
//
// Thread-safety: Send/SendAll may be called from many threads; the handler
// runs under the fake's lock, one call at a time.
#ifndef UNUM_AWS_FAKE_HTTP_CLIENT_H_
#define UNUM_AWS_FAKE_HTTP_CLIENT_H_

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "aws/http_client.h"

namespace unum::aws {

class FakeHttpClient : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  explicit FakeHttpClient(Handler handler) : handler_(std::move(handler)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    return handler_(request);
  }

  std::vector<Result<HttpResponse>> SendAll(
      const std::vector<HttpRequest>& requests) override {
    std::vector<Result<HttpResponse>> out;
    for (const HttpRequest& r : requests) out.push_back(Send(r));
    return out;
  }

  // Every request sent so far, in order.
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  Handler handler_;
  mutable std::mutex mu_;
  std::vector<HttpRequest> requests_;
};

}  // namespace unum::aws

#endif  // UNUM_AWS_FAKE_HTTP_CLIENT_H_
