// RuntimeApiClient: see runtime_api_client.h.
#include "lambda/runtime_api_client.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "common/url_options.h"

namespace unum::lambda {

RuntimeApiClient::RuntimeApiClient(std::string api,
                                   std::shared_ptr<aws::HttpClient> http)
    : api_(std::move(api)), http_(std::move(http)) {}

Result<NextEvent> RuntimeApiClient::Next() {
  aws::HttpRequest r;
  r.method = "GET";
  r.url = BaseUrl() + "/runtime/invocation/next";
  // Long poll: the call returns when an event arrives, however late.
  r.timeout = std::chrono::hours(24);
  UNUM_ASSIGN_OR_RETURN(aws::HttpResponse response, http_->Send(r));
  if (response.status != 200) {
    return Status::Internal("runtime API next: HTTP " +
                            std::to_string(response.status) + ": " +
                            response.body.substr(0, 200));
  }
  NextEvent event;
  event.request_id =
      aws::FindHeader(response.headers, "Lambda-Runtime-Aws-Request-Id");
  if (event.request_id.empty()) {
    return Status::Internal(
        "runtime API next: no Lambda-Runtime-Aws-Request-Id header");
  }
  int64_t deadline = 0;
  if (ParseInt(aws::FindHeader(response.headers, "Lambda-Runtime-Deadline-Ms"),
               0, INT64_MAX, &deadline)) {
    event.deadline_ms = deadline;
  }
  event.function_arn =
      aws::FindHeader(response.headers, "Lambda-Runtime-Invoked-Function-Arn");
  event.body = std::move(response.body);
  return event;
}

Status RuntimeApiClient::Post(const std::string& path, const std::string& body,
                              const std::string& error_type) {
  aws::HttpRequest r;
  r.method = "POST";
  r.url = BaseUrl() + path;
  r.body = body;
  r.headers = {{"Content-Type", "application/json"}};
  if (!error_type.empty()) {
    r.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
  }
  UNUM_ASSIGN_OR_RETURN(aws::HttpResponse response, http_->Send(r));
  if (response.status != 202 && response.status != 200) {
    return Status::Internal("runtime API " + path + ": HTTP " +
                            std::to_string(response.status) + ": " +
                            response.body.substr(0, 200));
  }
  return Status::Ok();
}

namespace {

std::string ErrorBody(const std::string& type, const std::string& message) {
  return nlohmann::json{{"errorMessage", message},
                        {"errorType", type},
                        {"stackTrace", nlohmann::json::array()}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Status RuntimeApiClient::Respond(const std::string& request_id,
                                 const std::string& body) {
  return Post("/runtime/invocation/" + PercentEncode(request_id) + "/response",
              body, "");
}

Status RuntimeApiClient::Error(const std::string& request_id,
                               const std::string& type,
                               const std::string& message) {
  return Post("/runtime/invocation/" + PercentEncode(request_id) + "/error",
              ErrorBody(type, message), type);
}

Status RuntimeApiClient::InitError(const std::string& type,
                                   const std::string& message) {
  return Post("/runtime/init/error", ErrorBody(type, message), type);
}

}  // namespace unum::lambda
