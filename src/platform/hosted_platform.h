// HostedPlatform: a Platform that the current process drives, as `unum run`
// and `unum worker` do. Depending on the backend it runs deliveries on
// local threads (inproc://), on local threads with a durable queue, or only
// submits them for worker processes elsewhere (then Start runs no handler).
//
// Thread-safety: as Platform for Invoke/InvokeAfter/MaxAttempts; stats and
// WaitUntil from any thread; Start/Stop/SetExhaustedCallback from the
// owning thread only, never from a handler.
#ifndef UNUM_PLATFORM_HOSTED_PLATFORM_H_
#define UNUM_PLATFORM_HOSTED_PLATFORM_H_

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "unum/platform.h"
#include "unum/status.h"

namespace unum {

using InvocationHandler = std::function<Status(const Invocation&)>;

// Runs `handler` on `invocation`. An exception that escapes it becomes an
// Internal status (a failed attempt), so none crosses the platform.
// `platform` names the backend in the "no handler" error.
inline Status CallHandler(const InvocationHandler& handler,
                          const Invocation& invocation,
                          const std::string& platform) {
  if (!handler) return Status::Internal(platform + " platform has no handler");
  try {
    return handler(invocation);
  } catch (const std::exception& e) {
    return Status::Internal("handler for '" + invocation.function +
                            "' threw: " + e.what());
  } catch (...) {
    return Status::Internal("handler for '" + invocation.function +
                            "' threw a non-std exception");
  }
}

// Counters since construction; queued, running and delayed are current.
struct PlatformStats {
  int64_t invocations = 0;      // accepted Invoke + InvokeAfter calls
  int64_t completed = 0;        // invocations whose handler returned OK
  int64_t failed_attempts = 0;  // deliveries that failed (incl. the last)
  int64_t retries = 0;          // re-deliveries scheduled after a failure
  int64_t exhausted = 0;        // invocations that failed every attempt
  int64_t queued = 0;           // ready, waiting for a worker
  int64_t running = 0;          // in a handler (or exhausted callback)
  int64_t delayed = 0;          // waiting for their start time
};

class HostedPlatform : public Platform {
 public:
  // Starts delivering invocations to `handler` (on this process's workers).
  virtual void Start(InvocationHandler handler) = 0;
  // Stops delivering; running handlers finish first. Idempotent.
  virtual void Stop() = 0;
  // Blocks until done() is true (kOk), the platform is idle with nothing
  // queued, delayed or running (kFailedPrecondition), or `timeout` passes
  // (kDeadlineExceeded). done() is re-checked whenever a delivery finishes
  // and, for platforms whose work runs elsewhere, periodically.
  virtual Status WaitUntil(const std::function<bool()>& done,
                           std::chrono::milliseconds timeout) = 0;
  virtual PlatformStats stats() const = 0;
  // Called when an invocation failed on its last attempt.
  virtual void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) = 0;
};

// Opens a platform by URL: "inproc://?workers=N&max_attempts=M" (threads in
// this process), "sqlite:///path/db?workers=N" (threads, with a durable
// outbox in the database), "redis://host:port/db" (submit only; `unum
// worker` processes run the functions). Errors are kInvalidArgument naming
// the URL.
Result<std::unique_ptr<HostedPlatform>> OpenPlatform(const std::string& url);

// A URL scheme OpenPlatform knows, with an example URL that opens without
// a server running (for tests that must see every backend); "{tmp}" in it
// stands for a directory the caller provides. lambda:// also needs AWS
// credentials in the environment (any: nothing is sent).
struct PlatformScheme {
  std::string name;     // "inproc", "sqlite", ...
  std::string example;  // e.g. "inproc://", "sqlite://{tmp}/probe.db"
};
std::vector<PlatformScheme> PlatformSchemes();

}  // namespace unum

#endif  // UNUM_PLATFORM_HOSTED_PLATFORM_H_
