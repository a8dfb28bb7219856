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
#include <string>

#include <nlohmann/json.hpp>

#include "unum/status.h"

namespace unum {

// One delivery of an invocation to a function.
struct Invocation {
  std::string function;     // the function's Name in the IR
  nlohmann::json payload;   // the Unum payload (Data, Session, Fan-out, GC)
  int attempt = 1;          // 1 on first delivery, +1 per platform retry
};

class Platform {
 public:
  virtual ~Platform() = default;

  // Queues `function(payload)` and returns without waiting for it to run.
  virtual Status Invoke(const std::string& function,
                        const nlohmann::json& payload) = 0;

  // Like Invoke, but the invocation starts no earlier than `delay` from now.
  virtual Status InvokeAfter(std::chrono::milliseconds delay,
                             const std::string& function,
                             const nlohmann::json& payload) = 0;

  // How many times the platform delivers a failing invocation in total
  // (Lambda async: 3 = first try + 2 retries). The runtime records the
  // session as failed when attempt == MaxAttempts() fails.
  virtual int MaxAttempts() const = 0;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_H_
