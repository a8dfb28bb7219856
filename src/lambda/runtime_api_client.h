// RuntimeApiClient: the Lambda Runtime API as a custom runtime (bootstrap)
// calls it, on the HttpClient interface:
//
//   GET  /2018-06-01/runtime/invocation/next          the next event
//   POST /2018-06-01/runtime/invocation/{id}/response  it succeeded
//   POST /2018-06-01/runtime/invocation/{id}/error     it failed
//   POST /2018-06-01/runtime/init/error                start-up failed
//
// `api` is AWS_LAMBDA_RUNTIME_API ("host:port"). Errors are documented
// JSON ({"errorMessage", "errorType"}) with the
// Lambda-Runtime-Function-Error-Type header.
//
// Thread-safety: one caller at a time (a runtime handles one event at a
// time).
#ifndef UNUM_LAMBDA_RUNTIME_API_CLIENT_H_
#define UNUM_LAMBDA_RUNTIME_API_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "aws/http_client.h"
#include "unum/status.h"

namespace unum::lambda {

struct NextEvent {
  std::string request_id;    // Lambda-Runtime-Aws-Request-Id
  int64_t deadline_ms = 0;   // Lambda-Runtime-Deadline-Ms (epoch ms), 0 if none
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string body;          // the event
};

class RuntimeApiClient {
 public:
  RuntimeApiClient(std::string api, std::shared_ptr<aws::HttpClient> http);

  // Blocks until an event arrives. kUnavailable on transport failure,
  // kInternal on an unexpected status or a missing request id.
  Result<NextEvent> Next();
  Status Respond(const std::string& request_id, const std::string& body);
  Status Error(const std::string& request_id, const std::string& type,
               const std::string& message);
  Status InitError(const std::string& type, const std::string& message);

  std::string BaseUrl() const { return "http://" + api_ + "/2018-06-01"; }

 private:
  Status Post(const std::string& path, const std::string& body,
              const std::string& error_type);

  std::string api_;
  std::shared_ptr<aws::HttpClient> http_;
};

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_RUNTIME_API_CLIENT_H_
