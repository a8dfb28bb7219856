// Runtime: the Unum protocol that runs inside every function (UNUM.md
// section 4). For each delivery of an invocation it computes the session
// and instance name, skips finished work (checkpoint or tombstone found),
// reads fan-in inputs, runs the user code, checkpoints with put-if-absent,
// garbage-collects parent checkpoints, and invokes the next functions.
//
// The runtime names no concrete backend: it is given a Datastore and a
// Platform. One Runtime can host many functions (the embedded platform
// runs a whole app in one process); on a FaaS platform it hosts one.
//
// Thread-safety: AddFunction before the first Handle; Handle may then run
// on many threads at once.
#ifndef UNUM_RUNTIME_RUNTIME_H_
#define UNUM_RUNTIME_RUNTIME_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "runtime/continuation_plan.h"
#include "runtime/delivery_observer.h"
#include "unum/datastore.h"
#include "unum/function.h"
#include "unum/ir.h"
#include "unum/platform.h"
#include "unum/status.h"

namespace unum::runtime {

// A user function as the runtime calls it: errors as values. (The app
// layer wraps C++ handlers and executables into this shape.)
using UserFunction =
    std::function<Result<nlohmann::json>(const nlohmann::json&, Context&)>;

// How checkpoints are garbage collected (docs/protocol.md).
enum class GcPolicy {
  // Children delete their parent's checkpoint once they have their own
  // (tombstones expire): the store holds only what is in flight.
  kDelete,
  // Checkpoints are written with an expiry (tombstone_ttl) and never
  // deleted: one datastore write per chain step, at the price of storing
  // every checkpoint until it expires.
  kExpire,
};

// Parses "delete" / "expire" (kInvalidArgument naming `what` otherwise).
Result<GcPolicy> ParseGcPolicy(const std::string& text,
                               const std::string& what);
const char* GcPolicyName(GcPolicy policy);

struct RuntimeOptions {
  // How long a deleted checkpoint's tombstone lives, and with kExpire how
  // long a checkpoint lives. Must exceed the platform's maximum event age
  // (6 hours on AWS Lambda) so a very late duplicate still sees "already
  // done".
  std::chrono::seconds tombstone_ttl{std::chrono::hours(7)};
  GcPolicy gc = GcPolicy::kDelete;
  // Attempts for a datastore call failing with kUnavailable, and the first
  // backoff (doubled per attempt).
  int datastore_attempts = 6;
  std::chrono::milliseconds datastore_backoff{2};
};

// Points in the protocol where a fault injector may abort an invocation
// (see SetFaultHook). `k` counts continuations invoked so far.
enum class ProtocolPoint {
  kBeforeUserCode,
  kAfterUserCode,
  kAfterCheckpoint,
  kAfterGc,
  kAfterContinuation,
  kAfterFanInAdd,
};

struct RuntimeStats {
  int64_t deliveries = 0;  // Handle calls
  int64_t user_runs = 0;   // user code executions
  int64_t user_failures = 0;
  int64_t checkpoint_hits = 0;  // duplicate found a checkpoint
  int64_t tombstone_hits = 0;   // duplicate found a tombstone
  int64_t races_lost = 0;       // put-if-absent lost
  int64_t invocations_sent = 0;
  int64_t fan_in_adds = 0;
  int64_t checkpoints_deleted = 0;
  int64_t instances_done = 0;  // deliveries that finished their work
};

class Runtime {
 public:
  Runtime(Datastore* store, Platform* platform, RuntimeOptions options = {});

  // Registers a function with its IR. Errors when an expression does not
  // compile or the name is taken.
  // `planner` (optional) replaces the IR's edges when planning what
  // follows the function (the Step Functions layer); it then always
  // checkpoints.
  Status AddFunction(
      const ir::FunctionConfig& config, UserFunction fn,
      std::shared_ptr<const ContinuationPlanner> planner = nullptr);

  // Runs the protocol for one delivery. OK when the delivery's work is
  // done (including "a duplicate already did it"); an error asks the
  // platform to retry. A failure that retrying cannot fix, or the last
  // attempt's failure, is written to the session record first.
  Status Handle(const Invocation& invocation);

  // Called at each ProtocolPoint; a non-OK return aborts the delivery
  // there (as a crash would). For fault-injection tests.
  using FaultHook = std::function<Status(ProtocolPoint,
                                         const std::string&
                                         /*instance*/,
                                         int /*k*/)>;
  void SetFaultHook(FaultHook hook) { fault_hook_ = std::move(hook); }

  // Tells `observer` about every delivery once it is over (the session
  // trace). Borrowed; set before the first Handle. Null: none.
  void SetDeliveryObserver(DeliveryObserver* observer) { observer_ = observer; }

  RuntimeStats stats() const;

 private:
  struct Registered {
    CompiledFunction compiled;
    UserFunction fn;
    std::shared_ptr<const ContinuationPlanner> planner;
  };
  struct Delivery;

  Status Run(const Registered& reg, Delivery& d);
  // After user code failed (or asked for a Step Functions retry): reads
  // this instance's checkpoint; a committed output becomes d.output
  // (from_checkpoint), a tombstone sets *finished.
  Status AdoptCommitted(Delivery& d, bool* finished);
  bool Deletes() const { return options_.gc == GcPolicy::kDelete; }
  // Expiry of a checkpoint as written: none unless GcPolicy::kExpire.
  std::chrono::seconds CheckpointTtl() const {
    return Deletes() ? std::chrono::seconds(0) : options_.tombstone_ttl;
  }
  Status ReadFanInInputs(Delivery& d, nlohmann::json* input, bool* done);
  Status CollectParents(Delivery& d);
  Status CollectOne(const std::string& session, const std::string& parent,
                    int64_t children, const std::string& member);
  Result<Plan> MakePlan(const Registered& reg, const Delivery& d) const;
  // Invokes `function` with `payload` after `delay` (zero: now): decoded
  // when the platform carries decoded payloads, else as JSON.
  Status Send(std::chrono::milliseconds delay, const std::string& function,
              Payload&& payload);
  Status RunContinuations(const Registered& reg, Delivery& d, Plan& plan);
  Status FanIn(const ContinuationPlanner* planner, Delivery& d,
               PlannedStep& step, int k);
  Status StartDeferredItem(const ContinuationPlanner* planner,
                           const Delivery& d, const PlannedStep& step);
  Status Finish(const Registered& reg, Delivery& d, const Plan& plan);
  Status Fail(Delivery& d, const Status& error, bool retryable);
  void RecordFailure(Delivery& d, const Status& error);
  Status Fault(ProtocolPoint point, const std::string& instance, int k = 0);
  void ReportDelivery(const Delivery& d, const Status& s,
                      std::chrono::system_clock::time_point start);

  template <typename Op>
  auto WithRetries(Op&& op) -> decltype(op());
  template <typename Op>
  Status RetryStatus(Op&& op);

  Datastore* store_;
  Platform* platform_;
  RuntimeOptions options_;
  std::unordered_map<std::string, Registered> functions_;
  FaultHook fault_hook_;
  DeliveryObserver* observer_ = nullptr;

  struct AtomicStats {
    std::atomic<int64_t> deliveries{0}, user_runs{0}, user_failures{0},
        checkpoint_hits{0}, tombstone_hits{0}, races_lost{0},
        invocations_sent{0}, fan_in_adds{0}, checkpoints_deleted{0},
        instances_done{0};
  };
  mutable AtomicStats stats_;
};

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_RUNTIME_H_
