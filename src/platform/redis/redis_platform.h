// RedisPlatform: invocations through Redis Streams, run by `unum worker`
// processes on any number of machines ("redis://host:port/db?app=NAME").
//
// Keys (per app; <app> is length-prefixed like the datastore's sessions):
//   unumq:<len>:<app>:stream    the invocation stream (XADD), read through
//                               the consumer group `group` (XREADGROUP)
//   unumq:<len>:<app>:delayed   a sorted set of invocations by due time
//                               (server clock, ms): InvokeAfter and retries
//   unumq:<len>:<app>:inflight  a hash session -> invocations queued,
//                               delayed or running (so `unum run` knows
//                               when a session's work has drained)
//   unumq:<len>:<app>:dead      invocations given up on, for inspection
//
// An entry holds one field "m": {"f": function, "a": attempt, "p": payload}.
//
// Delivery (worker role). Each of `concurrency` threads reads `batch`
// entries at a time (XREADGROUP COUNT batch BLOCK; default 1), runs the
// handler on each, and sends in one MULTI/EXEC, together with its next
// read (or, within a batch, with the next delivery's first datastore
// call): the delivery's deferred writes (datastore deletions and the
// invocations it made, see DeferredWrites) and the acknowledgement (a
// script: XACK, XDEL, and the session's in-flight count -1). So a chain
// step costs the runtime's reads and put-if-absent plus one round trip for
// everything else: 3 in all.
// - A failed delivery (handler not OK) is acknowledged and re-queued
//   through the delayed set with attempt+1 after retry_backoff *
//   2^(attempt-1), atomically (one script); after max_attempts the
//   exhausted callback runs and the entry is dropped. A kUnavailable
//   failure (datastore unreachable) is re-queued without using an attempt,
//   up to kMaxInfraRetries times.
// - A worker that dies leaves its entries pending; every worker's
//   housekeeping thread reclaims entries idle longer than
//   visibility_timeout (XAUTOCLAIM) and runs them again, so delivery is at
//   least once. Running handlers are kept fresh (XCLAIM JUSTID) so a slow
//   handler is not reclaimed. An entry delivered more than max_deliveries
//   times (it keeps killing its worker) goes to the dead stream.
// - Housekeeping also moves due delayed invocations into the stream
//   (a script: atomic, server clock).
//
// Submitter role (`unum run --platform redis://...`): Start runs no
// handler; Invoke queues for the workers; WaitUntil polls done() and the
// in-flight count of the sessions this platform submitted (idle when they
// are all zero).
//
// Thread-safety: as HostedPlatform.
#ifndef UNUM_PLATFORM_REDIS_REDIS_PLATFORM_H_
#define UNUM_PLATFORM_REDIS_REDIS_PLATFORM_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "datastore/redis/redis_client.h"
#include "platform/hosted_platform.h"

namespace unum {

struct RedisPlatformOptions {
  redis::RedisEndpoint endpoint;
  std::string app;  // names the queue; required
  std::string group = "unum-workers";
  int max_attempts = 3;
  std::chrono::milliseconds retry_backoff{100};  // doubled per attempt
  std::chrono::milliseconds visibility_timeout{30000};
  std::chrono::milliseconds block{500};  // XREADGROUP BLOCK per read
  std::chrono::milliseconds tick{50};    // housekeeping period
  int concurrency = 1;                   // consumer threads (worker role)
  // Entries a thread reads at once (XREADGROUP COUNT). Above 1, a
  // delivery's acknowledgement rides with the next delivery's first
  // datastore call, saving a round trip per delivery, at the price of one
  // thread running its batch in sequence while others may be idle: for
  // large maps of short functions.
  int batch = 1;
  int max_deliveries = 25;  // then the entry is dead-lettered
  std::string consumer;     // default: host-pid-random
};

// Parses "redis://host:port/db?app=NAME&group=G&max_attempts=N&
// retry_backoff_ms=B&visibility_ms=V&block_ms=K&tick_ms=T&concurrency=C&
// batch=K&max_deliveries=D" (plus the client options pool, pipelines,
// timeout_ms, connect_timeout_ms). `app` may be left out here and set later.
// Errors are kInvalidArgument naming the URL.
Result<RedisPlatformOptions> ParseRedisPlatformUrl(const std::string& url);

class RedisPlatform : public HostedPlatform {
 public:
  enum class Role { kSubmitter, kWorker };

  // Counters of the worker role (benchmarks).
  struct WorkerStats {
    int64_t deliveries = 0;  // entries handed to the handler
    int64_t reclaimed = 0;   // entries taken over from dead workers
    int64_t dead_lettered = 0;
    int64_t idle_round_trips = 0;  // reads that found nothing to do
    int64_t housekeeping_round_trips = 0;
  };

  // kInvalidArgument when options.app is empty.
  static Result<std::unique_ptr<RedisPlatform>> Create(
      RedisPlatformOptions options, Role role);
  ~RedisPlatform() override;  // Stop()s

  RedisPlatform(const RedisPlatform&) = delete;
  RedisPlatform& operator=(const RedisPlatform&) = delete;

  // Worker role: starts the consumer and housekeeping threads. Submitter
  // role: runs nothing (work runs in worker processes).
  void Start(InvocationHandler handler) override;
  // Stops reading, lets running handlers finish and flushes their
  // acknowledgements. Idempotent.
  void Stop() override;

  Status Invoke(const std::string& function,
                nlohmann::json payload) override;
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;
  int MaxAttempts() const override { return options_.max_attempts; }

  // Polls done() (1 ms, doubling to 20 ms). Idle means: every session this
  // platform invoked has no invocation queued, delayed or running; if it
  // invoked none, the app's whole queue is empty.
  Status WaitUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout) override;
  PlatformStats stats() const override;
  void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) override;

  WorkerStats worker_stats() const;
  const RedisPlatformOptions& options() const { return options_; }

  // Invocations queued or running (stream entries) and delayed.
  struct Depth {
    int64_t stream = 0;
    int64_t delayed = 0;
    int64_t inflight_sessions = 0;  // sessions with work in flight
  };
  Result<Depth> QueueDepth();

  static std::string StreamKey(const std::string& app);
  static std::string DelayedKey(const std::string& app);
  static std::string InflightKey(const std::string& app);
  static std::string DeadKey(const std::string& app);

  // Failures with kUnavailable re-queued without using an attempt.
  static constexpr int kMaxInfraRetries = 20;

 private:
  struct Entry {
    std::string id;
    std::string body;
    int64_t deliveries = 1;
  };

  RedisPlatform(RedisPlatformOptions options, Role role);

  void ConsumerLoop();
  void HousekeepingLoop();
  // Runs one delivery and returns the commands that finish it.
  // Runs one delivery; the writes that finish it (its deferred writes and
  // its acknowledgement or retry) are appended to `writes`.
  void Deliver(const Entry& entry, redis::DeferredWrites* writes);
  Status RunHandler(const Invocation& invocation);
  // The commands that queue `envelope` for `session` (XADD or delayed).
  void AppendEnqueue(const std::string& session, const std::string& envelope,
                     std::chrono::milliseconds delay,
                     std::vector<redis::RedisCommand>* out) const;
  Status Enqueue(std::chrono::milliseconds delay, const std::string& function,
                 const nlohmann::json& payload);
  redis::RedisCommand AckCommand(const std::string& id,
                                 const std::string& session) const;
  Status EnsureGroup(redis::RedisConnection& conn);
  // Sleeps up to `d`, returning early on Stop.
  void Pause(std::chrono::milliseconds d);
  void Reclaim(redis::RedisConnection& conn);
  void Heartbeat(redis::RedisConnection& conn);
  void ForgetDeadConsumers(redis::RedisConnection& conn);

  const RedisPlatformOptions options_;
  const Role role_;
  const std::string identity_;
  const std::string stream_, delayed_, inflight_, dead_;
  redis::RedisConnectionPool pool_;

  InvocationHandler handler_;
  std::function<void(const Invocation&, const Status&)> exhausted_cb_;

  std::mutex mu_;
  std::condition_variable cv_;  // Stop and reclaimed entries
  bool started_ = false;
  std::atomic<bool> stopping_{false};
  std::deque<Entry> reclaimed_;      // taken over, not yet run
  std::map<std::string, int> held_;  // entry id -> local holders
  std::set<std::string> sessions_;   // sessions invoked by this process
  std::vector<std::thread> threads_;

  std::atomic<int64_t> invocations_{0}, completed_{0}, failed_attempts_{0},
      retries_{0}, exhausted_{0}, running_{0}, last_stream_{0},
      last_delayed_{0};
  std::atomic<int64_t> deliveries_{0}, reclaimed_count_{0}, dead_lettered_{0},
      idle_round_trips_{0}, housekeeping_round_trips_{0};
};

}  // namespace unum

#endif  // UNUM_PLATFORM_REDIS_REDIS_PLATFORM_H_
