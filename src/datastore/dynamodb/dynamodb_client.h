// DynamoDbClient: calls DynamoDB's JSON protocol (POST / with
// X-Amz-Target: DynamoDB_20120810.<Op>, application/x-amz-json-1.0),
// SigV4-signed, with retries.
//
// Retries: transport failures, HTTP 5xx and the throttling errors
// (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded,
// InternalServerError, ServiceUnavailable) are retried with exponential
// backoff and full jitter (base 20 ms, doubling, capped at 2 s) up to
// `max_attempts`; then kUnavailable. Other errors map to a Status whose
// message starts with the error's short type name, e.g.
// "ConditionalCheckFailedException: ..."; a failed condition is
// kFailedPrecondition (see IsConditionFailed), validation errors
// kInvalidArgument, a missing table kNotFound.
//
// Thread-safety: Call/CallAll may be used from many threads.
#ifndef UNUM_DATASTORE_DYNAMODB_DYNAMODB_CLIENT_H_
#define UNUM_DATASTORE_DYNAMODB_DYNAMODB_CLIENT_H_

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "unum/status.h"

namespace unum::dynamodb {

using nlohmann::json;

struct DynamoDbClientOptions {
  std::string endpoint;  // "https://dynamodb.us-east-1.amazonaws.com"
  std::string region;
  aws::AwsCredentials credentials;
  int max_attempts = 10;
  std::chrono::milliseconds timeout{10000};  // per HTTP request
};

// What a call went through, for callers of conditional writes: a write
// retried after an ambiguous failure (timeout, 5xx) may have been applied
// by the earlier attempt.
struct CallInfo {
  int attempts = 0;
  bool ambiguous = false;
  // A ConditionalCheckFailedException's "Item" (sent when the request asked
  // for ReturnValuesOnConditionCheckFailure=ALL_OLD); null otherwise.
  json condition_item;
};

class DynamoDbClient {
 public:
  DynamoDbClient(DynamoDbClientOptions options,
                 std::shared_ptr<aws::HttpClient> http);

  // Calls operation `op` ("PutItem") with `request`; the parsed response.
  Result<json> Call(const std::string& op, const json& request,
                    CallInfo* info = nullptr);

  // Calls `op` once per request, all in flight at once; results in order.
  // `infos`, when given, receives one CallInfo per request.
  std::vector<Result<json>> CallAll(const std::string& op,
                                    const std::vector<json>& requests,
                                    std::vector<CallInfo>* infos = nullptr);

  const DynamoDbClientOptions& options() const { return options_; }

 private:
  aws::HttpRequest MakeRequest(const std::string& op, const std::string& body);
  // Classifies one attempt; sets *retry when it may be retried.
  Result<json> Judge(const Result<aws::HttpResponse>& response, json* item,
                     bool* retry, bool* ambiguous);
  std::chrono::milliseconds Backoff(int attempt);

  DynamoDbClientOptions options_;
  std::shared_ptr<aws::HttpClient> http_;
};

// True for the Status of a ConditionalCheckFailedException.
bool IsConditionFailed(const Status& status);

}  // namespace unum::dynamodb

#endif  // UNUM_DATASTORE_DYNAMODB_DYNAMODB_CLIENT_H_
