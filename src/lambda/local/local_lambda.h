// LocalLambda: a local stand-in for the AWS Lambda service, on loopback,
// running the deployment artifacts that `unum build --platform aws` wrote
// (template.yaml and one zip per function), as Lambda would:
//
// - Invoke API (POST /2015-03-31/functions/<name>/invocations) on `port`:
//   X-Amz-Invocation-Type Event only (202, queued); 404
//   ResourceNotFoundException for an unknown function, 413 above 256 KB,
//   400 for a body that is not JSON, 403 for a request not SigV4-signed
//   with this process's credentials (AWS_ACCESS_KEY_ID and
//   AWS_SECRET_ACCESS_KEY, default test/test, which the processes get
//   too): the signature is recomputed over its SignedHeaders.
// - Each function's zip is unpacked into a temporary directory and its
//   `bootstrap` runs as `environments` child processes; each child has
//   its own Runtime API server (AWS_LAMBDA_RUNTIME_API) serving next,
//   response, error and init/error, one event at a time.
// - The child's environment is the template's Environment.Variables with
//   UNUM_STORE set to `store_url` and UNUM_PLATFORM pointing at this
//   service, plus what Lambda sets (_HANDLER, LAMBDA_TASK_ROOT,
//   AWS_LAMBDA_FUNCTION_NAME, AWS_REGION, credentials).
// - Asynchronous retries as the template's EventInvokeConfig says: an
//   event whose delivery fails (an error response, or the process dying
//   with the event) is delivered again after `retry_delay` * n, up to
//   MaximumRetryAttempts times; then, with an OnFailure destination (the
//   function itself), an on-failure destination record (Lambda's format)
//   is queued for the function; without one the event is dropped.
// - A child that exits is started again (a new execution environment).
//
// Functions are named by their Handler (the Unum name): the local
// UNUM_PLATFORM has no prefix.
//
// In-process functions (tests of the Lambda path without zips): with
// `in_process` set, the functions are the listed ones and each environment
// is a thread of this process running in_process.run(function,
// runtime_api, stopping) instead of a bootstrap process; it serves events
// from the Runtime API at `runtime_api` (host:port) until `stopping` is
// set, as a bootstrap's event loop does (lambda::EventLoop).
//
// Thread-safety: Start/Stop from one thread; stats() and Idle() from any.
#ifndef UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_H_
#define UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lambda/local/artifacts.h"
#include "unum/status.h"

namespace unum::lambda {

// Functions served by threads of this process (see the file comment).
struct InProcessFunctions {
  // Name, MaximumRetryAttempts and OnFailure of each; zip and env unused.
  std::vector<ArtifactFunction> functions;
  std::function<void(const std::string& function,
                     const std::string& runtime_api,
                     const std::atomic<bool>& stopping)>
      run;
};

struct LocalLambdaOptions {
  std::string artifacts_dir;  // template.yaml + <Name>.zip
  // Instead of artifacts_dir: functions served in this process.
  std::optional<InProcessFunctions> in_process;
  std::string store_url;  // UNUM_STORE of every function
  int port = 0;           // Invoke API port; 0: a free one
  int environments = 1;   // processes per function
  std::chrono::milliseconds retry_delay{100};
  std::string region = "us-east-1";
};

struct LocalLambdaStats {
  int64_t invocations = 0;   // accepted by the Invoke API
  int64_t deliveries = 0;    // events handed to a process (next)
  int64_t succeeded = 0;     // response posted
  int64_t failed = 0;        // error posted or the process died with it
  int64_t retries = 0;       // deliveries queued again
  int64_t destinations = 0;  // on-failure records queued
  int64_t dropped = 0;       // events given up on
  int64_t starts = 0;        // processes started (restarts included)
};

class LocalLambda {
 public:
  // Reads the template, unpacks the zips, starts the servers and the
  // processes. kInvalidArgument naming the file for a bad template or zip;
  // kUnavailable when a port cannot be bound.
  static Result<std::unique_ptr<LocalLambda>> Start(LocalLambdaOptions options);
  ~LocalLambda();  // Stop()s

  // Kills the processes, stops the servers, removes the unpacked zips.
  void Stop();

  int port() const;
  std::vector<std::string> functions() const;  // names, sorted
  LocalLambdaStats stats() const;
  // True when no event is queued, waiting for a retry or being handled.
  bool Idle() const;

  struct Impl;

 private:
  explicit LocalLambda(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_LOCAL_LOCAL_LAMBDA_H_
