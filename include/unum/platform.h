// Platform: how one Unum function invokes the next. The runtime only needs
// "invoke this function asynchronously with this payload" (at-least-once:
// the callee may run more than once) and "invoke it after a delay".
//
// Concrete platforms: inproc:// (threads in this process), later redis://
// (workers on many machines) and AWS Lambda. Thread-safety: Invoke and
// InvokeAfter may be called from many threads at once.
#ifndef UNUM_PLATFORM_H_
#define UNUM_PLATFORM_H_

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "unum/status.h"

namespace unum {

namespace runtime {
struct Payload;  // the runtime's decoded payload (opaque here)
}  // namespace runtime

// One delivery of an invocation to a function.
struct Invocation {
  std::string function;    // the function's Name in the IR
  nlohmann::json payload;  // the Unum payload (Data, Session, Fan-out, GC)
  int attempt = 1;         // 1 on first delivery, +1 per platform retry
  // Set instead of `payload` (which is then null) by a platform that
  // carries decoded payloads (Platform::InvokeDecoded); immutable, so every
  // delivery of the invocation shares it.
  std::shared_ptr<const runtime::Payload> decoded;
};

class Platform {
 public:
  virtual ~Platform() = default;

  // Queues `function(payload)` and returns without waiting for it to run.
  // The payload is taken by value: a caller that is done with it moves it
  // in, and a platform that keeps it moves it on.
  virtual Status Invoke(const std::string& function,
                        nlohmann::json payload) = 0;

  // Like Invoke, but the invocation starts no earlier than `delay` from now.
  virtual Status InvokeAfter(std::chrono::milliseconds delay,
                             const std::string& function,
                             nlohmann::json payload) = 0;

  // A platform whose deliveries stay in this process may carry the
  // runtime's decoded payload as it is, with no JSON in between: then
  // CarriesDecodedPayloads() is true and InvokeDecoded queues
  // `function(payload)` after `delay` (zero: now) as Invoke/InvokeAfter
  // would. Other platforms keep the defaults and only see JSON.
  virtual bool CarriesDecodedPayloads() const { return false; }
  virtual Status InvokeDecoded(
      std::chrono::milliseconds /*delay*/, const std::string& function,
      std::shared_ptr<const runtime::Payload> /*payload*/) {
    return Status::Unimplemented(
        "this platform does not carry decoded payloads (" + function + ")");
  }

  // How many times the platform delivers a failing invocation in total
  // (Lambda async: 3 = first try + 2 retries). The runtime records the
  // session as failed when attempt == MaxAttempts() fails.
  virtual int MaxAttempts() const = 0;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_H_
