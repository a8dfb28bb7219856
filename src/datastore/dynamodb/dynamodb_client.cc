// DynamoDbClient: see dynamodb_client.h.
#include "datastore/dynamodb/dynamodb_client.h"

#include <algorithm>
#include <random>
#include <thread>
#include <utility>

#include "aws/sigv4.h"

namespace unum::dynamodb {
namespace {

constexpr char kConditionFailed[] = "ConditionalCheckFailedException";

bool Retryable(const std::string& type) {
  return type == "ProvisionedThroughputExceededException" ||
         type == "ThrottlingException" || type == "RequestLimitExceeded" ||
         type == "InternalServerError" || type == "InternalFailure" ||
         type == "ServiceUnavailable" || type == "ServiceUnavailableException";
}

StatusCode CodeFor(const std::string& type) {
  if (type == kConditionFailed) return StatusCode::kFailedPrecondition;
  if (type == "ResourceNotFoundException") return StatusCode::kNotFound;
  if (type == "ResourceInUseException") return StatusCode::kAlreadyExists;
  if (type == "ValidationException" || type == "SerializationException") {
    return StatusCode::kInvalidArgument;
  }
  if (type == "UnrecognizedClientException" ||
      type == "AccessDeniedException" ||
      type == "MissingAuthenticationTokenException" ||
      type == "InvalidSignatureException") {
    return StatusCode::kPermissionDenied;
  }
  if (type == "ItemCollectionSizeLimitExceededException") {
    return StatusCode::kResourceExhausted;
  }
  return StatusCode::kInternal;
}

}  // namespace

bool IsConditionFailed(const Status& status) {
  return status.code() == StatusCode::kFailedPrecondition &&
         status.message().starts_with(kConditionFailed);
}

DynamoDbClient::DynamoDbClient(DynamoDbClientOptions options,
                               std::shared_ptr<aws::HttpClient> http)
    : options_(std::move(options)), http_(std::move(http)) {}

aws::HttpRequest DynamoDbClient::MakeRequest(const std::string& op,
                                             const std::string& body) {
  aws::HttpRequest r;
  r.method = "POST";
  r.url = options_.endpoint + "/";
  r.timeout = options_.timeout;
  r.headers = {{"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Target", "DynamoDB_20120810." + op}};
  r.body = body;
  return r;
}

std::chrono::milliseconds DynamoDbClient::Backoff(int attempt) {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  const int64_t cap =
      std::min<int64_t>(2000, int64_t{20} << std::min(attempt, 10));
  return std::chrono::milliseconds(
      std::uniform_int_distribution<int64_t>(0, cap)(gen));
}

Result<json> DynamoDbClient::Judge(const Result<aws::HttpResponse>& response,
                                   json* item, bool* retry, bool* ambiguous) {
  *retry = false;
  if (!response.ok()) {
    *retry = true;
    *ambiguous = true;
    return response.status();
  }
  json body;
  try {
    body =
        response->body.empty() ? json::object() : json::parse(response->body);
  } catch (const json::exception& e) {
    if (response->status >= 500) {
      *retry = true;
      *ambiguous = true;
      return Status::Unavailable("DynamoDB HTTP " +
                                 std::to_string(response->status));
    }
    return Status::Internal("DynamoDB returned invalid JSON (HTTP " +
                            std::to_string(response->status) + ")");
  }
  if (response->status == 200) return body;
  std::string type = body.is_object() ? body.value("__type", "") : "";
  const size_t hash = type.rfind('#');
  if (hash != std::string::npos) type = type.substr(hash + 1);
  std::string message;
  if (body.is_object()) {
    message = body.value("message", body.value("Message", ""));
  }
  if (response->status >= 500 || Retryable(type)) {
    *retry = true;
    if (response->status >= 500) *ambiguous = true;
    return Status::Unavailable("DynamoDB " + type + " (HTTP " +
                               std::to_string(response->status) +
                               "): " + message);
  }
  if (type.empty()) type = "HTTP " + std::to_string(response->status);
  if (type == kConditionFailed && body.is_object() && body.contains("Item")) {
    *item = body["Item"];
  }
  return Status(CodeFor(type), type + ": " + message);
}

Result<json> DynamoDbClient::Call(const std::string& op, const json& request,
                                  CallInfo* info) {
  std::vector<CallInfo> infos;
  std::vector<Result<json>> all = CallAll(op, {request}, &infos);
  if (info != nullptr) *info = infos[0];
  return std::move(all[0]);
}

std::vector<Result<json>> DynamoDbClient::CallAll(
    const std::string& op, const std::vector<json>& requests,
    std::vector<CallInfo>* infos) {
  std::vector<Result<json>> results(requests.size(),
                                    Status::Unavailable("not sent"));
  std::vector<CallInfo> local;
  if (infos == nullptr) infos = &local;
  infos->assign(requests.size(), CallInfo{});
  std::vector<std::string> bodies;
  bodies.reserve(requests.size());
  for (const json& r : requests) {
    bodies.push_back(r.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  std::vector<size_t> pending(requests.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  for (int attempt = 0; attempt < options_.max_attempts && !pending.empty();
       ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(Backoff(attempt));
    std::vector<aws::HttpRequest> batch;
    const std::string date = aws::AmzDate(std::chrono::system_clock::now());
    for (size_t i : pending) {
      aws::HttpRequest r = MakeRequest(op, bodies[i]);
      Result<aws::SigV4Signature> signed_ = aws::SignRequest(
          &r, options_.credentials,
          {.region = options_.region, .service = "dynamodb", .amz_date = date});
      if (!signed_.ok()) {
        for (size_t j : pending) results[j] = signed_.status();
        return results;
      }
      batch.push_back(std::move(r));
    }
    std::vector<Result<aws::HttpResponse>> responses = http_->SendAll(batch);
    std::vector<size_t> again;
    for (size_t k = 0; k < pending.size(); ++k) {
      bool retry = false, ambiguous = false;
      CallInfo& ci = (*infos)[pending[k]];
      results[pending[k]] =
          Judge(responses[k], &ci.condition_item, &retry, &ambiguous);
      ++ci.attempts;
      ci.ambiguous = ci.ambiguous || ambiguous;
      if (retry) again.push_back(pending[k]);
    }
    pending = std::move(again);
  }
  for (size_t i : pending) {
    results[i] = Status::Unavailable(
        results[i].status().message() + " (gave up after " +
        std::to_string(options_.max_attempts) + " attempts)");
  }
  return results;
}

}  // namespace unum::dynamodb
