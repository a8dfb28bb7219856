// InprocPlatform: the in-process Platform behind "inproc://".
//
// Invocations are queued and run by a pool of worker threads calling one
// InvocationHandler (the runtime's dispatcher). It behaves like Lambda's
// asynchronous invocation: Invoke never waits for the callee, delivery is
// at-least-once, and a handler that returns a non-OK Status (or throws) is
// retried with attempt+1 after retry_backoff * 2^(attempt-1), up to
// max_attempts deliveries in total; then the exhausted callback runs.
//
// Ready work runs in FIFO order. Delayed work (InvokeAfter and retries) waits
// in a time-ordered queue that the workers themselves watch, so there is no
// extra timer thread.
//
// Thread-safety: Invoke, InvokeAfter, stats, MaxAttempts and WaitUntil may
// be called from any thread, including from inside a handler (they never
// hold the internal lock while running user code, so they cannot deadlock).
// Start, Stop and SetExhaustedCallback are meant for the owning thread;
// Stop must not be called from a handler or callback. The handler and the
// exhausted callback run on worker threads, many at once.
#ifndef UNUM_PLATFORM_INPROC_INPROC_PLATFORM_H_
#define UNUM_PLATFORM_INPROC_INPROC_PLATFORM_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "common/latency_model.h"
#include "platform/hosted_platform.h"
#include "unum/platform.h"
#include "unum/status.h"

namespace unum {

struct InprocOptions {
  // 0 = std::thread::hardware_concurrency(), or 1024 with a latency model
  // (deliveries then mostly wait, as Lambda's many instances would).
  int workers = 0;
  int max_attempts = 3;  // first try + 2 retries, as Lambda async
  std::chrono::milliseconds retry_backoff{10};  // doubled per attempt
  // Simulated invoke latency (common/latency_model.h): an invocation starts
  // a sampled invoke latency after the call; a delivery's k-th batch of
  // max_in_flight invokes k latencies after it.
  LatencyModel latency;
};

// Parses "inproc://" (or "inproc:") with optional query options, e.g.
// "inproc://?workers=4&max_attempts=3&retry_backoff_ms=5", or with a
// latency model "inproc://?latency=aws&invoke_ms=30". Errors are
// kInvalidArgument naming the URL and the bad option.
Result<InprocOptions> ParseInprocUrl(const std::string& url);

class InprocPlatform : public HostedPlatform {
 public:
  using Stats = PlatformStats;

  // Invalid options are clamped: workers < 0 -> 0, max_attempts < 1 -> 1,
  // negative backoff -> 0.
  explicit InprocPlatform(InprocOptions options);
  ~InprocPlatform() override;  // Stop()s

  InprocPlatform(const InprocPlatform&) = delete;
  InprocPlatform& operator=(const InprocPlatform&) = delete;

  // Starts the worker threads, which call `handler` for every delivery.
  // Work queued before Start runs now. Calling it again, or after Stop,
  // does nothing.
  void Start(InvocationHandler handler) override;

  // Stops the workers: waits for running handlers to return, drops queued
  // and delayed work. Later Invoke calls fail with kFailedPrecondition.
  // Idempotent.
  void Stop() override;

  // Queues `function(payload)`. kFailedPrecondition after Stop.
  Status Invoke(const std::string& function, nlohmann::json payload) override;

  // Queues it to start no earlier than `delay` from now (negative = now).
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;

  // Deliveries stay in this process: the runtime's decoded payloads are
  // queued as they are.
  bool CarriesDecodedPayloads() const override { return true; }
  Status InvokeDecoded(
      std::chrono::milliseconds delay, const std::string& function,
      std::shared_ptr<const runtime::Payload> payload) override;

  int MaxAttempts() const override;

  // Blocks until done() returns true (re-checked after every invocation
  // finishes), or nothing is queued, delayed or running (idle), or
  // `timeout` passes. Returns kOk if done() became true,
  // kFailedPrecondition("idle ...") if the platform went idle first, and
  // kDeadlineExceeded on timeout. done() is called without any platform
  // lock held, on the calling thread.
  Status WaitUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout) override;

  Stats stats() const override;

  // Called (on a worker thread) when an invocation failed on its last
  // attempt, with that attempt's Invocation and Status. Set it before
  // Start.
  void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) override;

 private:
  using Clock = std::chrono::steady_clock;

  struct Delayed {
    Clock::time_point due;
    uint64_t seq;  // ties keep submission order
    Invocation invocation;

    // Min-heap on (due, seq) for std::priority_queue.
    bool operator<(const Delayed& other) const {
      if (due != other.due) return due > other.due;
      return seq > other.seq;
    }
  };

  void WorkerLoop();
  // Runs the handler, turning exceptions into kInternal.
  Status RunHandler(const Invocation& invocation);
  // Moves every delayed invocation due by `now` to the ready queue.
  // Requires mu_ held.
  void PromoteDueLocked(Clock::time_point now);
  bool IdleLocked() const;
  Status Enqueue(std::chrono::milliseconds delay, Invocation invocation);

  const InprocOptions options_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;      // workers: work or stop
  std::condition_variable finished_cv_;  // WaitUntil: an invocation finished
  std::deque<Invocation> ready_;
  std::priority_queue<Delayed> delayed_;
  uint64_t next_seq_ = 0;
  uint64_t generation_ = 0;  // bumped when a delivery finishes or on Stop
  Clock::time_point last_wait_check_{};  // when WaitUntil last looked
  bool started_ = false;
  bool stopping_ = false;
  InvocationHandler handler_;
  std::function<void(const Invocation&, const Status&)> exhausted_cb_;
  Stats stats_;
  std::vector<std::thread> workers_;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_INPROC_INPROC_PLATFORM_H_
