// LambdaPlatform: see lambda_platform.h.
#include "platform/lambda/lambda_platform.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <vector>

#include "aws/curl_http_client.h"
#include "aws/sigv4.h"
#include "common/url_options.h"

namespace unum {
namespace {

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid lambda URL '" + url + "': " + why);
}

// The short error type of a Lambda error response: the x-amzn-ErrorType
// header ("ResourceNotFoundException:http://..."), else the body's Type.
std::string ErrorType(const aws::HttpResponse& response) {
  std::string type = aws::FindHeader(response.headers, "x-amzn-ErrorType");
  if (size_t colon = type.find(':'); colon != std::string::npos) {
    type.resize(colon);
  }
  if (!type.empty()) return type;
  try {
    auto body = nlohmann::json::parse(response.body);
    if (body.is_object()) return body.value("__type", body.value("Type", ""));
  } catch (const nlohmann::json::exception&) {
  }
  return "";
}

std::string ErrorMessage(const aws::HttpResponse& response) {
  try {
    auto body = nlohmann::json::parse(response.body);
    if (body.is_object()) {
      return body.value("message", body.value("Message", ""));
    }
  } catch (const nlohmann::json::exception&) {
  }
  return response.body.substr(0, 200);
}

}  // namespace

bool IsLambdaFunctionName(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                  c == '_';
         });
}

Result<LambdaPlatformOptions> ParseLambdaUrl(const std::string& url) {
  std::string_view rest(url);
  if (!rest.starts_with("lambda:")) {
    return BadUrl(url, "the scheme must be lambda://");
  }
  rest.remove_prefix(std::string_view("lambda:").size());
  if (rest.starts_with("//")) rest.remove_prefix(2);
  LambdaPlatformOptions o;
  if (!rest.empty()) {
    if (rest.front() != '?') {
      return BadUrl(url, "lambda:// takes no host or path, only ?options");
    }
    rest.remove_prefix(1);
    auto pairs = ParseUrlOptions(rest);
    if (!pairs.ok()) return BadUrl(url, pairs.status().message());
    for (const auto& [name, value] : *pairs) {
      int64_t n = 0;
      auto integer = [&](int64_t lo, int64_t hi) -> Status {
        if (!ParseInt(value, lo, hi, &n)) {
          return BadUrl(url, BadIntegerOption(name, lo, hi, value).message());
        }
        return Status::Ok();
      };
      if (name == "region") {
        o.region = value;
      } else if (name == "endpoint") {
        if (!value.starts_with("http://") && !value.starts_with("https://")) {
          return BadUrl(url,
                        "option 'endpoint' must be an http:// or https:// URL");
        }
        o.endpoint = value;
        while (o.endpoint.ends_with("/")) o.endpoint.pop_back();
      } else if (name == "prefix") {
        if (!value.empty() && !IsLambdaFunctionName(value)) {
          return BadUrl(url,
                        "option 'prefix' may hold only A-Z a-z 0-9 - _ "
                        "(at most 64)");
        }
        o.prefix = value;
      } else if (name == "max_in_flight") {
        UNUM_RETURN_IF_ERROR(integer(1, 1024));
        o.max_in_flight = static_cast<int>(n);
      } else if (name == "send_attempts") {
        UNUM_RETURN_IF_ERROR(integer(1, 100));
        o.send_attempts = static_cast<int>(n);
      } else if (name == "timeout_ms") {
        UNUM_RETURN_IF_ERROR(integer(1, 600000));
        o.timeout = std::chrono::milliseconds(n);
      } else if (name == "max_delay_ms") {
        UNUM_RETURN_IF_ERROR(integer(0, 900000));
        o.max_delay = std::chrono::milliseconds(n);
      } else if (name == "backoff_ms") {
        UNUM_RETURN_IF_ERROR(integer(0, 60000));
        o.backoff_base = std::chrono::milliseconds(n);
      } else if (name == "max_payload_bytes") {
        UNUM_RETURN_IF_ERROR(integer(1, 64 * 1024 * 1024));
        o.max_payload_bytes = static_cast<size_t>(n);
      } else {
        return BadUrl(
            url, UnknownUrlOption(
                     name, {"region", "endpoint", "prefix", "max_in_flight",
                            "send_attempts", "timeout_ms", "max_delay_ms",
                            "backoff_ms", "max_payload_bytes"})
                     .message());
      }
    }
  }
  if (o.region.empty()) o.region = aws::RegionFromEnvironment();
  if (o.region.empty()) {
    return BadUrl(url,
                  "no region: add ?region=... or set AWS_REGION "
                  "(or AWS_DEFAULT_REGION)");
  }
  if (o.endpoint.empty()) {
    o.endpoint = "https://lambda." + o.region + ".amazonaws.com";
  }
  return o;
}

Result<std::unique_ptr<LambdaPlatform>> LambdaPlatform::Open(
    LambdaPlatformOptions options) {
  UNUM_ASSIGN_OR_RETURN(aws::AwsCredentials credentials,
                        aws::CredentialsFromEnvironment());
  aws::CurlHttpClientOptions http;
  http.max_connections = std::max<long>(64, options.max_in_flight);
  return std::make_unique<LambdaPlatform>(
      std::move(options), std::move(credentials),
      std::make_shared<aws::CurlHttpClient>(http));
}

LambdaPlatform::LambdaPlatform(LambdaPlatformOptions options,
                               aws::AwsCredentials credentials,
                               std::shared_ptr<aws::HttpClient> http)
    : options_(std::move(options)),
      credentials_(std::move(credentials)),
      http_(std::move(http)) {
  sender_ = std::thread([this] { SenderLoop(); });
}

LambdaPlatform::~LambdaPlatform() { Stop(); }

std::string LambdaPlatform::InvokePath(const std::string& function) const {
  return "/2015-03-31/functions/" + options_.prefix + function + "/invocations";
}

Status LambdaPlatform::Invoke(const std::string& function,
                              nlohmann::json payload) {
  return Enqueue(std::chrono::milliseconds(0), function, payload);
}

Status LambdaPlatform::InvokeAfter(std::chrono::milliseconds delay,
                                   const std::string& function,
                                   nlohmann::json payload) {
  if (delay > options_.max_delay) {
    return Status::OutOfRange(
        "lambda platform: a delayed invocation of \"" + function + "\" by " +
        std::to_string(delay.count()) + " ms exceeds max_delay_ms=" +
        std::to_string(options_.max_delay.count()) +
        " (Lambda has no delayed invoke; the caller waits in its own "
        "function)");
  }
  return Enqueue(delay, function, payload);
}

Status LambdaPlatform::Enqueue(std::chrono::milliseconds delay,
                               const std::string& function,
                               const nlohmann::json& payload) {
  const std::string name = options_.prefix + function;
  if (!IsLambdaFunctionName(name)) {
    return Status::InvalidArgument(
        "lambda platform: \"" + name +
        "\" cannot name a Lambda function (1-64 of A-Z a-z 0-9 - _)");
  }
  Request r{name, payload.dump(-1, ' ', false,
                               nlohmann::json::error_handler_t::replace)};
  if (r.body.size() > options_.max_payload_bytes) {
    return Status::InvalidArgument(
        "lambda platform: the payload for \"" + function + "\" is " +
        std::to_string(r.body.size()) + " bytes, above Lambda's limit of " +
        std::to_string(options_.max_payload_bytes) +
        " bytes for an asynchronous invocation");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    return Status::FailedPrecondition("lambda platform is stopped");
  }
  ++stats_.invocations;
  if (delay.count() > 0) {
    delayed_.emplace(Clock::now() + delay, std::move(r));
  } else {
    ready_.push_back(std::move(r));
  }
  work_cv_.notify_one();
  return Status::Ok();
}

std::chrono::milliseconds LambdaPlatform::Backoff(int sends) const {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  const int64_t cap = std::min<int64_t>(options_.backoff_cap.count(),
                                        options_.backoff_base.count()
                                            << std::min(sends - 1, 20));
  return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(
      0, std::max<int64_t>(cap, 0))(gen));
}

LambdaPlatform::Verdict LambdaPlatform::Judge(
    const Request& request, const Result<aws::HttpResponse>& response,
    Status* error) const {
  const std::string what = "Lambda Invoke of \"" + request.function + "\"";
  if (!response.ok()) {
    *error = Status::Unavailable(what + ": " + response.status().message());
    return Verdict::kRetry;
  }
  const long status = response->status;
  if (status >= 200 && status < 300) return Verdict::kAccepted;
  const std::string type = ErrorType(*response);
  const std::string detail = ErrorMessage(*response);
  const std::string message = what + ": HTTP " + std::to_string(status) +
                              (type.empty() ? "" : " " + type) +
                              (detail.empty() ? "" : ": " + detail);
  if (status == 429 || status >= 500) {
    *error = Status::Unavailable(message);
    return Verdict::kRetry;
  }
  StatusCode code = StatusCode::kInternal;
  if (status == 404) code = StatusCode::kNotFound;
  if (status == 401 || status == 403) code = StatusCode::kPermissionDenied;
  if (status == 400 || status == 413) code = StatusCode::kInvalidArgument;
  *error = Status(code, message);
  return Verdict::kFailed;
}

void LambdaPlatform::SenderLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    const auto now = Clock::now();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      ready_.push_back(std::move(delayed_.begin()->second));
      delayed_.erase(delayed_.begin());
    }
    if (ready_.empty()) {
      if (stopping_ && delayed_.empty()) return;
      if (delayed_.empty()) {
        work_cv_.wait(lock);
      } else {
        work_cv_.wait_until(lock, delayed_.begin()->first);
      }
      continue;
    }
    std::vector<Request> batch;
    while (!ready_.empty() &&
           batch.size() < static_cast<size_t>(options_.max_in_flight)) {
      batch.push_back(std::move(ready_.front()));
      ready_.pop_front();
    }
    sending_ += static_cast<int64_t>(batch.size());
    lock.unlock();

    std::vector<aws::HttpRequest> requests;
    requests.reserve(batch.size());
    const std::string date = aws::AmzDate(std::chrono::system_clock::now());
    std::vector<Result<aws::HttpResponse>> responses;
    Status sign_error;
    for (Request& r : batch) {
      ++r.sends;
      aws::HttpRequest h;
      h.method = "POST";
      h.url = options_.endpoint + "/2015-03-31/functions/" + r.function +
              "/invocations";
      h.timeout = options_.timeout;
      h.headers = {{"Content-Type", "application/json"},
                   {"X-Amz-Invocation-Type", "Event"}};
      h.body = r.body;
      auto signed_request = aws::SignRequest(
          &h, credentials_,
          {.region = options_.region, .service = "lambda", .amz_date = date});
      if (!signed_request.ok()) sign_error = signed_request.status();
      requests.push_back(std::move(h));
    }
    if (sign_error.ok()) {
      responses = http_->SendAll(requests);
    } else {
      responses.assign(batch.size(), sign_error);
    }

    lock.lock();
    sending_ -= static_cast<int64_t>(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      Status error;
      Verdict v = sign_error.ok() ? Judge(batch[i], responses[i], &error)
                                  : Verdict::kFailed;
      if (!sign_error.ok()) error = sign_error;
      if (v == Verdict::kAccepted) {
        ++stats_.completed;
        continue;
      }
      ++stats_.failed_attempts;
      if (v == Verdict::kRetry && batch[i].sends < options_.send_attempts) {
        ++stats_.retries;
        spdlog::debug("{} (send {} of {}), sending again", error.message(),
                      batch[i].sends, options_.send_attempts);
        const auto due = Clock::now() + Backoff(batch[i].sends);
        delayed_.emplace(due, std::move(batch[i]));
        continue;
      }
      ++stats_.exhausted;
      if (v == Verdict::kRetry) {
        error = Status::Unavailable(error.message() + " (gave up after " +
                                    std::to_string(batch[i].sends) + " sends)");
      }
      spdlog::error("{}", error.message());
      if (first_error_.ok()) first_error_ = error;
    }
    idle_cv_.notify_all();
  }
}

bool LambdaPlatform::IdleLocked() const {
  return ready_.empty() && delayed_.empty() && sending_ == 0;
}

Status LambdaPlatform::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!idle_cv_.wait_for(lock, timeout, [this] { return IdleLocked(); })) {
    return Status::DeadlineExceeded(
        "lambda platform: invocations still unsent after " +
        std::to_string(timeout.count()) + " ms");
  }
  Status error = std::move(first_error_);
  first_error_ = Status::Ok();
  return error;
}

void LambdaPlatform::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sender_.joinable()) return;
  }
  if (Status s = Flush(std::chrono::seconds(30)); !s.ok()) {
    spdlog::warn("lambda platform stopping: {}", s.ToString());
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    ready_.clear();
    delayed_.clear();
    work_cv_.notify_all();
  }
  sender_.join();
}

Status LambdaPlatform::WaitUntil(const std::function<bool()>& done,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto poll = std::chrono::milliseconds(5);
  while (true) {
    if (done()) {
      std::lock_guard<std::mutex> lock(mu_);
      done_seen_ = true;
      return Status::Ok();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (done_seen_ && IdleLocked()) {
        return Status::FailedPrecondition(
            "idle: nothing left to send (work running in Lambda is not "
            "visible here)");
      }
      const auto now = Clock::now();
      if (now >= deadline) return Status::DeadlineExceeded("");
      idle_cv_.wait_until(lock, std::min(deadline, now + poll));
    }
    poll = std::min(poll * 2, std::chrono::milliseconds(100));
  }
}

PlatformStats LambdaPlatform::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PlatformStats s = stats_;
  s.queued = static_cast<int64_t>(ready_.size());
  s.running = sending_;
  s.delayed = static_cast<int64_t>(delayed_.size());
  return s;
}

}  // namespace unum
