// LambdaPlatform: invokes Unum functions on AWS Lambda through the Invoke
// API ("lambda://?region=R&endpoint=E&prefix=P&max_in_flight=N").
//
// Invoke queues `POST /2015-03-31/functions/<prefix><Name>/invocations`
// with `X-Amz-Invocation-Type: Event` (asynchronous: Lambda answers 202 and
// delivers the event at least once), the payload JSON as the body, SigV4
// signed for service "lambda". It returns as soon as the request is
// queued: one sender thread sends what is queued in batches of up to
// `max_in_flight` requests at once (one curl multi handle per batch), so a
// Map of N branches is N requests in flight, not N round trips.
//
// Failed sends: HTTP 429 and 5xx and transport failures are sent again
// after a random wait in [0, min(backoff_cap, backoff_base * 2^tries)]
// (exponential backoff, full jitter), up to `send_attempts` sends in all;
// other statuses (404 no such function, 403, 413 payload too large) are
// final. The first final failure is kept and returned by Flush().
//
// Because Invoke returns before Lambda has accepted the request, a caller
// that must know its invocations are accepted (the Lambda bootstrap, before
// it reports the delivery done and its environment may be frozen) calls
// Flush(), which waits for every queued, delayed and in-flight request.
//
// InvokeAfter: Lambda has no delayed invocation. The invocation waits in
// this process (the sender thread's timer queue) and is sent when due;
// Flush() waits for it, so on Lambda the calling function stays running
// (and billed) for the delay. Delays above `max_delay` (default 5 min,
// below Lambda's 15 min function timeout) are refused with kOutOfRange.
//
// Start/Stop/WaitUntil (HostedPlatform, for `unum run --platform lambda://`
// which submits the Start invocation and polls the session record): Start
// runs nothing here (functions run in Lambda). Lambda cannot be asked what
// is still running, so WaitUntil only polls done(); it reports idle
// (kFailedPrecondition) only when nothing of this process is left to send
// AND done() has returned true in an earlier WaitUntil (the caller's goal
// was reached and what follows is draining).
//
// MaxAttempts() is 3: Lambda's asynchronous delivery with the template's
// EventInvokeConfig (see docs/aws.md: 2 deliveries + the on-failure
// destination, which the bootstrap runs as the last attempt).
//
// Thread-safety: as HostedPlatform; Flush from any thread.
#ifndef UNUM_PLATFORM_LAMBDA_LAMBDA_PLATFORM_H_
#define UNUM_PLATFORM_LAMBDA_LAMBDA_PLATFORM_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "platform/hosted_platform.h"

namespace unum {

struct LambdaPlatformOptions {
  std::string region;
  std::string endpoint;  // default https://lambda.<region>.amazonaws.com
  std::string prefix;    // Lambda function name = prefix + Unum name
  int max_in_flight = 64;
  int send_attempts = 8;  // sends of one request in all (429/5xx/transport)
  std::chrono::milliseconds timeout{10000};  // per HTTP request
  std::chrono::milliseconds max_delay{std::chrono::minutes(5)};
  std::chrono::milliseconds backoff_base{50};
  std::chrono::milliseconds backoff_cap{5000};
  // Lambda's limit for an asynchronous invocation's payload.
  size_t max_payload_bytes = 256 * 1024;
};

// Parses "lambda://?region=R&endpoint=http(s)://host:port&prefix=P&
// max_in_flight=N&send_attempts=N&timeout_ms=T&max_delay_ms=D&
// backoff_ms=B&max_payload_bytes=M". The region defaults to $AWS_REGION,
// then $AWS_DEFAULT_REGION (an error if none). Errors are kInvalidArgument
// naming the URL and the option.
Result<LambdaPlatformOptions> ParseLambdaUrl(const std::string& url);

// True when `name` may name a Lambda function: 1-64 of A-Z a-z 0-9 - _.
bool IsLambdaFunctionName(const std::string& name);

class LambdaPlatform : public HostedPlatform {
 public:
  // Credentials from the environment (AWS_ACCESS_KEY_ID, ...; Lambda sets
  // them for a function's role) and a libcurl client.
  static Result<std::unique_ptr<LambdaPlatform>> Open(
      LambdaPlatformOptions options);

  LambdaPlatform(LambdaPlatformOptions options, aws::AwsCredentials credentials,
                 std::shared_ptr<aws::HttpClient> http);
  ~LambdaPlatform() override;  // Stop()s

  LambdaPlatform(const LambdaPlatform&) = delete;
  LambdaPlatform& operator=(const LambdaPlatform&) = delete;

  // Queues the request. kInvalidArgument for a name Lambda cannot have or
  // a payload over max_payload_bytes; kFailedPrecondition after Stop.
  Status Invoke(const std::string& function,
                nlohmann::json payload) override;
  // As Invoke, sent after `delay` (see the file comment); kOutOfRange
  // above max_delay.
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;
  int MaxAttempts() const override { return 3; }

  // Waits until every request queued so far has been accepted or has
  // failed for good. Returns the first failure since the previous Flush
  // (then forgets it), or kDeadlineExceeded after `timeout`.
  Status Flush(std::chrono::milliseconds timeout = std::chrono::minutes(15));

  void Start(InvocationHandler handler) override {}
  // Flushes (up to 30 s), then stops the sender; later Invokes fail.
  void Stop() override;
  Status WaitUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout) override;
  PlatformStats stats() const override;
  void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) override {}

  const LambdaPlatformOptions& options() const { return options_; }
  // The request path for `function`: /2015-03-31/functions/<name>/invocations
  std::string InvokePath(const std::string& function) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Request {
    std::string function;  // the Lambda function name (prefixed)
    std::string body;
    int sends = 0;
  };

  Status Enqueue(std::chrono::milliseconds delay, const std::string& function,
                 const nlohmann::json& payload);
  void SenderLoop();
  // Sorts one response: accepted, again later, or failed for good.
  enum class Verdict { kAccepted, kRetry, kFailed };
  Verdict Judge(const Request& request,
                const Result<aws::HttpResponse>& response, Status* error) const;
  std::chrono::milliseconds Backoff(int sends) const;
  bool IdleLocked() const;

  const LambdaPlatformOptions options_;
  const aws::AwsCredentials credentials_;
  const std::shared_ptr<aws::HttpClient> http_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // sender: work, due time or stop
  std::condition_variable idle_cv_;  // Flush/WaitUntil: a batch finished
  std::deque<Request> ready_;
  std::multimap<Clock::time_point, Request> delayed_;
  int64_t sending_ = 0;
  bool stopping_ = false;
  bool done_seen_ = false;  // WaitUntil's done() returned true once
  Status first_error_;
  PlatformStats stats_;
  std::thread sender_;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_LAMBDA_LAMBDA_PLATFORM_H_
