// LocalLambdaPlatform: the whole Lambda path as one HostedPlatform, for
// tests (the platform contract suite). An invocation goes out through
// LambdaPlatform (a SigV4-signed Invoke API request, asynchronous) to a
// LocalLambda on loopback, which queues it and retries it as Lambda does
// (MaximumRetryAttempts 1, then the on-failure destination record, as
// `unum build --platform aws` configures it); each function's
// environments, threads of this process, fetch events through the Runtime
// API with RuntimeApiClient and run lambda::EventLoop, which numbers the
// attempts and turns the destination record into the last one, around the
// handler given to Start. Only the bootstrap process around the loop is
// left out (tests/lambda runs real zips).
//
// Functions must be named up front (Lambda knows its functions):
// invoking any other is kNotFound. Nothing is delivered before Start.
// There is no exhausted callback (Lambda's last attempt is the
// destination record, delivered to the handler).
//
// Thread-safety: as HostedPlatform.
#ifndef UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_PLATFORM_H_
#define UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_PLATFORM_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lambda/local/local_lambda.h"
#include "platform/hosted_platform.h"
#include "platform/lambda/lambda_platform.h"

namespace unum::lambda {

struct LocalLambdaPlatformOptions {
  std::vector<std::string> functions;
  int environments = 1;                       // per function
  std::chrono::milliseconds retry_delay{20};  // Lambda's is minutes
};

class LocalLambdaPlatform : public HostedPlatform {
 public:
  static Result<std::unique_ptr<LocalLambdaPlatform>> Open(
      LocalLambdaPlatformOptions options);
  ~LocalLambdaPlatform() override;  // Stop()s

  Status Invoke(const std::string& function, nlohmann::json payload) override;
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;
  int MaxAttempts() const override;

  void Start(InvocationHandler handler) override;
  // Stops sending (after a flush), lets running handlers finish, then
  // stops the local service; queued events are dropped.
  void Stop() override;
  Status WaitUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout) override;
  PlatformStats stats() const override;
  void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) override {}

 private:
  LocalLambdaPlatform() = default;
  // An environment's loop (LocalLambda's in-process runner).
  void Serve(const std::string& function, const std::string& runtime_api,
             const std::atomic<bool>& stopping);
  bool Idle() const;

  std::unique_ptr<LocalLambda> service_;
  std::unique_ptr<LambdaPlatform> sender_;
  std::mutex mu_;
  std::condition_variable started_cv_;
  bool started_ = false;
  bool stopped_ = false;
  InvocationHandler handler_;
};

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_PLATFORM_H_
