// SimPlatform: a deterministic, single-threaded Platform for fault
// simulation (issue 4).
//
// Every invocation becomes a pending delivery in a pool. A seeded scheduler
// repeatedly picks, uniformly, one runnable thing: a pending delivery whose
// (virtual) due time has come, or a delivery already in progress. Each
// delivery runs in its own Coroutine on the one thread and is suspended at
// every datastore operation, every runtime ProtocolPoint and every Invoke,
// so deliveries interleave at protocol-step granularity, as concurrent
// Lambda instances would, yet a seed fixes the whole interleaving.
//
// Faults (all decided by the seed; probabilities in SimOptions):
//  - delays: an invocation is due up to max_delay later;
//  - duplicate deliveries: concurrent (due within max_duplicate_lag, so it
//    interleaves with the original), delayed (seconds to minutes later,
//    typically after the instance was garbage collected), and late
//    (InjectLateDuplicates: after the session finished and was collected,
//    but within max_event_age of the original invocation);
//  - crashes: at the start of a delivery the platform may pick one crash
//    point: before user code, after user code, after the checkpoint, after
//    GC, after k continuations, after the fan-in set add (runtime
//    ProtocolPoints, via the fault hook), right after a DeleteCheckpoint
//    (mid-GC) or right after the n-th datastore operation (via the
//    FaultDatastore's FaultScope). A crashed delivery returns an error and
//    is retried like Lambda does: attempt+1 after a retry delay, up to
//    max_attempts in total;
//  - Invoke calls failing transiently (throttling).
// Payloads: as JSON (Invoke, what a platform between processes carries), or
// with decoded_payloads the runtime's decoded payload as it is
// (InvokeDecoded, what inproc:// carries for `unum run`): shared,
// immutable, by every duplicate and retry of the invocation.
// Injected faults never hit a delivery's last attempt (unless
// faults_on_last_attempt): like a real platform's retries, the fault model
// lets every invocation eventually complete, so a run that does not finish
// is a protocol bug, not bad luck.
//
// Virtual time: a VirtualClock shared with the MemoryDatastore (tombstone
// TTLs); the scheduler advances it by up to 1 ms per step and jumps to the
// next due time when nothing is runnable. Nothing sleeps.
//
// Thread-safety: none. One SimPlatform per simulation run; runs on
// different threads are independent.
#ifndef UNUM_SIM_SIM_PLATFORM_H_
#define UNUM_SIM_SIM_PLATFORM_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/runtime.h"
#include "sim/coroutine.h"
#include "sim/fault_datastore.h"
#include "sim/rng.h"
#include "unum/platform.h"
#include "unum/status.h"

namespace unum::sim {

// Simulated time, in microseconds since the start of the run.
struct VirtualClock {
  int64_t now_us = 0;
  std::chrono::steady_clock::time_point Now() const {
    return std::chrono::steady_clock::time_point(
        std::chrono::microseconds(now_us));
  }
};

struct SimOptions {
  int max_attempts = 3;           // Lambda async: first try + 2 retries
  double crash = 0;               // per delivery
  double duplicate = 0;           // per invocation: concurrent duplicate
  double delayed_duplicate = 0;   // per invocation: duplicate much later
  double delay = 0;               // per invocation: network delay
  double invoke_unavailable = 0;  // per Invoke call: transient failure
  std::chrono::milliseconds max_delay{200};
  std::chrono::milliseconds max_duplicate_lag{50};
  std::chrono::milliseconds delayed_duplicate_min{1000};
  std::chrono::milliseconds delayed_duplicate_max{600000};
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{120000};
  // Lambda's maximum event age: no delivery of an invocation happens later
  // than this after the invocation was made.
  std::chrono::seconds max_event_age{std::chrono::hours(6)};
  bool faults_on_last_attempt = false;
  bool record_trace = false;  // keep readable trace lines (tests, --trace)
  // Carry the runtime's decoded payloads (CarriesDecodedPayloads).
  bool decoded_payloads = false;
  // Tests only: applied to every decoded payload the runtime sends, to
  // plant a bug on the decoded path that the checker must find.
  std::function<std::shared_ptr<const runtime::Payload>(
      std::shared_ptr<const runtime::Payload>)>
      mutate_decoded;
};

// Where a simulated crash happened.
enum class CrashPoint {
  kBeforeUserCode,
  kAfterUserCode,
  kAfterCheckpoint,
  kAfterGc,
  kAfterContinuation,
  kAfterFanInAdd,
  kMidGc,             // right after a DeleteCheckpoint (FaultDatastore)
  kAfterDatastoreOp,  // right after the n-th datastore op (FaultDatastore)
};
inline constexpr int kNumCrashPoints = 8;
const char* CrashPointName(CrashPoint p);

// Why a delivery exists.
enum class Origin {
  kExternal,          // Submit (the workflow's caller)
  kInvoke,            // Platform::Invoke by a running delivery
  kDuplicate,         // injected: concurrent duplicate
  kDelayedDuplicate,  // injected: duplicate seconds..minutes later
  kLateDuplicate,     // injected: after the session finished
  kRetry,             // platform retry after a failed attempt
};
const char* OriginName(Origin o);

struct Delivery {
  uint64_t id = 0;
  std::string function;
  // Shared by the original, its duplicates and retries (payloads can be
  // large); each started delivery hands the handler its own copy. Null
  // when the invocation carries `decoded` instead.
  std::shared_ptr<const nlohmann::json> payload;
  // The runtime's decoded payload (SimOptions::decoded_payloads), handed
  // to every delivery as it is.
  std::shared_ptr<const runtime::Payload> decoded;
  int attempt = 1;       // 1 on first delivery, +1 per platform retry
  std::string instance;  // computed from the payload, as the runtime does
  std::string sender;    // instance that invoked it; "" when external
  uint64_t sender_delivery = 0;
  Origin origin = Origin::kExternal;
  int64_t invoked_us = 0;  // when the invocation was first made
  int64_t due_us = 0;
  bool late_phase = false;  // delivered during InjectLateDuplicates' phase
};

struct SimCounts {
  int64_t deliveries = 0;       // deliveries started
  int64_t completed = 0;        // deliveries whose handler returned OK
  int64_t failed_attempts = 0;  // deliveries that returned an error
  int64_t retries = 0;          // re-deliveries scheduled
  int64_t exhausted = 0;        // invocations that failed every attempt
  int64_t steps = 0;            // scheduling decisions
  int64_t delays = 0;
  int64_t duplicates = 0;
  int64_t delayed_duplicates = 0;
  int64_t late_duplicates = 0;
  int64_t invoke_unavailable = 0;
  int64_t calls_after_crash = 0;  // hook/Invoke calls by a dead process
  std::array<int64_t, kNumCrashPoints> crashes{};
};

// A failed last attempt: the invocation is lost (Lambda would send it to a
// dead-letter queue).
struct Exhausted {
  Delivery delivery;
  Status status;
};

using InvocationHandler = std::function<Status(const Invocation&)>;

class SimPlatform : public Platform {
 public:
  // `faults` (optional) is the FaultDatastore the runtime uses: the
  // platform switches its FaultScope with the running delivery and yields
  // before each of its operations.
  SimPlatform(uint64_t seed, SimOptions options, VirtualClock* clock,
              FaultDatastore* faults);
  ~SimPlatform() override;

  SimPlatform(const SimPlatform&) = delete;
  SimPlatform& operator=(const SimPlatform&) = delete;

  // Called for every delivery (Runtime::Handle).
  void SetHandler(InvocationHandler handler) { handler_ = std::move(handler); }

  // The fault hook to install with Runtime::SetFaultHook: a scheduling
  // point, and where ProtocolPoint crashes happen.
  runtime::Runtime::FaultHook FaultHook();

  // Queues an invocation from outside (the workflow's caller).
  void Submit(const std::string& function, const nlohmann::json& payload);

  Status Invoke(const std::string& function, nlohmann::json payload) override;
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;
  bool CarriesDecodedPayloads() const override {
    return options_.decoded_payloads;
  }
  Status InvokeDecoded(
      std::chrono::milliseconds delay, const std::string& function,
      std::shared_ptr<const runtime::Payload> payload) override;
  int MaxAttempts() const override { return options_.max_attempts; }
  // Invocations sent decoded so far (InvokeDecoded calls accepted).
  int64_t decoded_invocations() const { return decoded_invocations_; }

  // Runs deliveries until nothing is pending or in progress.
  void RunUntilIdle();

  // After RunUntilIdle: queues `n` duplicates of invocations made during
  // the run, each due at a random time between now and the invocation's
  // time + max_event_age; later deliveries are marked late_phase. Returns
  // how many were queued. Then call RunUntilIdle again.
  int InjectLateDuplicates(int n);

  // The delivery running now (inside the handler), or nullptr.
  const Delivery* current() const;

  const SimCounts& counts() const { return counts_; }
  const std::vector<Exhausted>& exhausted() const { return exhausted_; }
  // Every delivery started, in start order.
  const std::vector<Delivery>& started() const { return started_; }
  uint64_t trace_hash() const { return trace_hash_; }
  const std::vector<std::string>& trace() const { return trace_; }
  const VirtualClock& clock() const { return *clock_; }

 private:
  struct CrashPlan {
    bool armed = false;
    CrashPoint point = CrashPoint::kBeforeUserCode;
    int k = 0;  // kAfterContinuation: after this many continuations
  };
  struct Active {
    Delivery info;
    Invocation invocation;  // what the handler sees
    FaultScope scope;
    CrashPlan plan;
    std::unique_ptr<Coroutine> co;
    Status status;
  };

  // `payload` or `decoded` (the other one null).
  Status Enqueue(std::chrono::milliseconds delay, const std::string& function,
                 const nlohmann::json* payload,
                 std::shared_ptr<const runtime::Payload> decoded);
  Delivery MakeDelivery(const std::string& function,
                        const nlohmann::json* payload,
                        std::shared_ptr<const runtime::Payload> decoded,
                        Origin origin);
  void Queue(Delivery d);
  void StartDelivery(size_t pending_index);
  void Step(Active* a);
  void FinishDelivery(Active* a);
  Status OnProtocolPoint(runtime::ProtocolPoint point,
                         const std::string& instance, int k);
  void YieldToScheduler(int event, uint64_t detail);
  void Trace(int event, uint64_t id, uint64_t detail, const std::string& text);

  Rng rng_;
  SimOptions options_;
  VirtualClock* clock_;
  FaultDatastore* faults_;
  InvocationHandler handler_;
  uint64_t next_id_ = 1;
  int64_t decoded_invocations_ = 0;
  bool late_phase_ = false;
  std::vector<Delivery> pending_;
  std::vector<std::unique_ptr<Active>> active_;
  Active* running_ = nullptr;
  std::vector<Delivery> invocations_;  // every invocation made (for late dups)
  std::vector<Delivery> started_;
  std::vector<Exhausted> exhausted_;
  SimCounts counts_;
  uint64_t trace_hash_ = 0xcbf29ce484222325ULL;
  std::vector<std::string> trace_;
};

}  // namespace unum::sim

#endif  // UNUM_SIM_SIM_PLATFORM_H_
