// Runs one workflow of an app on the embedded platform: opens nothing
// itself (the caller passes the datastore), starts an in-process platform
// with the app's functions, invokes the Start function, waits for the
// session record and for in-flight work (GC) to drain, and reports.
#ifndef UNUM_APP_RUNNER_H_
#define UNUM_APP_RUNNER_H_

#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "app/function_table.h"
#include "platform/hosted_platform.h"
#include "runtime/runtime.h"
#include "runtime/session_record.h"
#include "unum/datastore.h"

namespace unum::app {

struct Progress {
  int64_t instances_done = 0;
  int64_t in_flight = 0;  // queued + running + delayed invocations
  double seconds = 0;
};

struct RunOptions {
  std::string platform_url = "inproc://";
  std::string session;  // empty: a new uuid
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  runtime::RuntimeOptions runtime;
  // Called about every 200 ms while the run is going (for a progress line).
  std::function<void(const Progress&)> on_progress;
  // Where the runner polls for the session record; default: the run's
  // store. (Pass the unwrapped store so polling is not counted as work.)
  Datastore* poll_store = nullptr;
  // Installed on the runtime before the run (fault-injection tests).
  runtime::Runtime::FaultHook fault_hook;
  // Told about every delivery (the session trace); borrowed, may be null.
  runtime::DeliveryObserver* observer = nullptr;
  // Resume `session` instead of starting a run: do not invoke the Start
  // function (the input is ignored); the platform (a durable one, e.g.
  // sqlite://) already holds the session's pending invocations. Then wait
  // for the session record as usual. Requires `session`.
  bool resume = false;
};

struct RunReport {
  std::string session;
  runtime::SessionOutcome outcome;
  runtime::RuntimeStats runtime;
  PlatformStats platform;
  double seconds = 0;
};

// Errors: kInvalidArgument for a bad platform URL; kDeadlineExceeded when
// the timeout passes; kFailedPrecondition when everything stopped without
// a session record. A workflow whose function failed is not an error
// here: the report's outcome says FAILED.
Result<RunReport> RunWorkflow(const App& app, const FunctionTable& functions,
                              const nlohmann::json& input, Datastore* store,
                              const RunOptions& options);

}  // namespace unum::app

#endif  // UNUM_APP_RUNNER_H_
