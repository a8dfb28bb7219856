// HttpClient: the small HTTP interface the AWS code talks to, so requests
// can be sent by libcurl in production (CurlHttpClient) and by a fake in
// unit tests (FakeHttpClient).
//
// A transport failure (connect refused, timeout, reset) is a non-OK
// Result; any HTTP status, 5xx included, is a response the caller judges.
//
// Thread-safety: implementations must allow Send/SendAll from many threads.
#ifndef UNUM_AWS_HTTP_CLIENT_H_
#define UNUM_AWS_HTTP_CLIENT_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "unum/status.h"

namespace unum::aws {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // "http://host:port/path?query"
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};  // whole request
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;  // names as received
  std::string body;
};

// Returns the value of header `name` (case-insensitive), or "".
std::string FindHeader(const HttpHeaders& headers, const std::string& name);

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends one request and waits for its response.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;

  // Sends all requests at once (in flight together) and returns one result
  // per request, in order.
  virtual std::vector<Result<HttpResponse>> SendAll(
      const std::vector<HttpRequest>& requests) = 0;
};

}  // namespace unum::aws

#endif  // UNUM_AWS_HTTP_CLIENT_H_
