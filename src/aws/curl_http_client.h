// CurlHttpClient: HttpClient on libcurl's multi interface.
//
// Keep-alive: connections are kept in a libcurl share (CURL_LOCK_DATA_CONNECT)
// that every call uses, so consecutive requests to one host reuse an open
// connection. SendAll puts all its requests on one multi handle, so they
// are in flight at once (HTTP/1.1: one connection each). Each request has
// its own timeout (HttpRequest::timeout); no redirects are followed.
//
// Transport failures are kUnavailable with libcurl's message.
//
// Thread-safety: Send and SendAll may be called from many threads at once.
#ifndef UNUM_AWS_CURL_HTTP_CLIENT_H_
#define UNUM_AWS_CURL_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <vector>

#include "aws/http_client.h"

namespace unum::aws {

struct CurlHttpClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // Most connections kept open in the shared cache.
  long max_connections = 64;
};

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;

  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;
  std::vector<Result<HttpResponse>> SendAll(
      const std::vector<HttpRequest>& requests) override;

  // Connections libcurl opened so far (reuse keeps it low).
  long connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unum::aws

#endif  // UNUM_AWS_CURL_HTTP_CLIENT_H_
