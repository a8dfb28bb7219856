#include "lambda/local/local_lambda_platform.h"

#include <cstdlib>
#include <thread>

#include "aws/credentials.h"
#include "aws/curl_http_client.h"
#include "lambda/bootstrap.h"
#include "lambda/runtime_api_client.h"

namespace unum::lambda {

Result<std::unique_ptr<LocalLambdaPlatform>> LocalLambdaPlatform::Open(
    LocalLambdaPlatformOptions options) {
  std::unique_ptr<LocalLambdaPlatform> p(new LocalLambdaPlatform());
  LocalLambdaOptions service;
  service.environments = options.environments;
  service.retry_delay = options.retry_delay;
  InProcessFunctions in_process;
  for (const std::string& name : options.functions) {
    ArtifactFunction f;
    f.name = name;
    f.max_retries = 1;  // as `unum build --platform aws` sets it
    f.on_failure_self = true;
    in_process.functions.push_back(std::move(f));
  }
  LocalLambdaPlatform* raw = p.get();
  in_process.run = [raw](const std::string& function,
                         const std::string& runtime_api,
                         const std::atomic<bool>& stopping) {
    raw->Serve(function, runtime_api, stopping);
  };
  service.in_process = std::move(in_process);
  UNUM_ASSIGN_OR_RETURN(p->service_, LocalLambda::Start(std::move(service)));
  LambdaPlatformOptions sender;
  sender.region = "us-east-1";
  sender.endpoint = "http://127.0.0.1:" + std::to_string(p->service_->port());
  // The service checks signatures with the environment's credentials, or
  // test/test (LocalLambda's defaults).
  auto env_or = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr && *v != '\0' ? v : fallback);
  };
  aws::AwsCredentials credentials{
      .access_key_id = env_or("AWS_ACCESS_KEY_ID", "test"),
      .secret_access_key = env_or("AWS_SECRET_ACCESS_KEY", "test"),
      .session_token = env_or("AWS_SESSION_TOKEN", "")};
  p->sender_ = std::make_unique<LambdaPlatform>(
      sender, credentials, std::make_shared<aws::CurlHttpClient>());
  return p;
}

LocalLambdaPlatform::~LocalLambdaPlatform() { Stop(); }

Status LocalLambdaPlatform::Invoke(const std::string& function,
                                   nlohmann::json payload) {
  return sender_->Invoke(function, std::move(payload));
}

Status LocalLambdaPlatform::InvokeAfter(std::chrono::milliseconds delay,
                                        const std::string& function,
                                        nlohmann::json payload) {
  return sender_->InvokeAfter(delay, function, std::move(payload));
}

int LocalLambdaPlatform::MaxAttempts() const { return sender_->MaxAttempts(); }

void LocalLambdaPlatform::Start(InvocationHandler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopped_) return;
  handler_ = std::move(handler);
  started_ = true;
  started_cv_.notify_all();
}

void LocalLambdaPlatform::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    started_cv_.notify_all();
  }
  if (sender_) sender_->Stop();
  if (service_) service_->Stop();
}

void LocalLambdaPlatform::Serve(const std::string& function,
                                const std::string& runtime_api,
                                const std::atomic<bool>& stopping) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    started_cv_.wait(lock, [&] { return started_ || stopped_; });
    if (!started_) return;
  }
  RuntimeApiClient api(runtime_api, std::make_shared<aws::CurlHttpClient>());
  EventLoop loop(
      &api, function, sender_->MaxAttempts(),
      [this](const Invocation& inv) {
        return CallHandler(handler_, inv, "lambda");
      },
      [this] { return sender_->Flush(); });
  while (!stopping) {
    // A failed Runtime API call (the service stopping) is retried shortly.
    if (!loop.RunOnce().ok() && !stopping) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

bool LocalLambdaPlatform::Idle() const {
  const PlatformStats s = sender_->stats();
  return s.queued == 0 && s.delayed == 0 && s.running == 0 && service_->Idle();
}

Status LocalLambdaPlatform::WaitUntil(const std::function<bool()>& done,
                                      std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return Status::Ok();
    if (Idle()) {
      return Status::FailedPrecondition(
          "lambda-local: idle with nothing queued, delayed or running");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::DeadlineExceeded("lambda-local: still busy");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

PlatformStats LocalLambdaPlatform::stats() const {
  const LocalLambdaStats l = service_->stats();
  const PlatformStats sent = sender_->stats();
  PlatformStats s;
  s.invocations = l.invocations;
  s.completed = l.succeeded;
  s.failed_attempts = l.failed;
  s.retries = l.retries + l.destinations;
  s.exhausted = l.dropped;
  s.queued = sent.queued;
  s.delayed = sent.delayed;
  s.running = sent.running;
  return s;
}

}  // namespace unum::lambda
