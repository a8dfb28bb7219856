// The Lambda custom-runtime bootstrap: hosts ONE function of an Unum app
// in a Lambda execution environment and runs the Runtime API loop around
// runtime::Runtime::Handle.
//
// Environment (Lambda sets the first three; the template sets the rest):
//   AWS_LAMBDA_RUNTIME_API  host:port of the Runtime API
//   _HANDLER                the function's Unum Name
//   LAMBDA_TASK_ROOT        the unpacked zip: unum-template.yaml, the IR
//                           files, apps/<app>.so (default: the bootstrap's
//                           directory)
//   UNUM_STORE              the datastore URL (dynamodb://TABLE?region=R)
//   UNUM_PLATFORM           the platform URL (lambda://?region=R&prefix=P)
//   UNUM_MODULE             optional: the module path (else found by name)
//
// Per event: the body is the Unum payload. Lambda does not tell a function
// which delivery of an asynchronous event it is running, so the attempt
// is counted per request id in this process (a retry on another
// environment counts from 1 again) and capped at MaxAttempts()-1; the
// last attempt is the on-failure destination record (the template sends
// it to the same function), recognised by its requestContext.condition
// and run with attempt = MaxAttempts() on its requestPayload, so the
// runtime records the failure in the session record. Before reporting a
// delivery done, the bootstrap waits until Lambda accepted every
// invocation the delivery made (LambdaPlatform::Flush); if one failed,
// the delivery is reported as an error and Lambda retries it (the runtime
// makes that safe). A destination record is always reported done, so it
// cannot loop.
//
// Start-up failures (bad app, module, URLs, credentials) are posted to
// /runtime/init/error and the process exits with 1.
#ifndef UNUM_LAMBDA_BOOTSTRAP_H_
#define UNUM_LAMBDA_BOOTSTRAP_H_

#include <functional>
#include <map>
#include <string>

#include "lambda/runtime_api_client.h"
#include "unum/platform.h"
#include "unum/status.h"

namespace unum::lambda {

struct BootstrapConfig {
  std::string runtime_api;
  std::string function;
  std::string task_root;
  std::string store_url;
  std::string platform_url = "lambda://";
  std::string module;
};

// Reads the variables above; kInvalidArgument naming a missing one.
Result<BootstrapConfig> BootstrapConfigFromEnvironment();

// The event loop, apart from what it hosts (unit-testable).
class EventLoop {
 public:
  using Handler = std::function<Status(const Invocation&)>;
  // `flush` waits until the invocations made so far are accepted.
  EventLoop(RuntimeApiClient* api, std::string function, int max_attempts,
            Handler handle, std::function<Status()> flush);

  // Fetches and handles one event. Non-OK only when the Runtime API
  // itself failed (the handler's failures are reported to Lambda).
  Status RunOnce();
  // Runs until the Runtime API fails 5 times in a row; returns 1 then.
  int Run();

 private:
  RuntimeApiClient* api_;
  std::string function_;
  int max_attempts_;
  Handler handle_;
  std::function<Status()> flush_;
  std::map<std::string, int> attempts_;  // request id -> deliveries seen
};

// Loads the app and the function, opens the store and the platform and
// runs the loop. Returns the process exit code.
int RunBootstrap(const BootstrapConfig& config);

}  // namespace unum::lambda

#endif  // UNUM_LAMBDA_BOOTSTRAP_H_
