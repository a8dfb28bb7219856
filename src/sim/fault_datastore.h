// FaultDatastore: a ForwardingDatastore that injects datastore faults,
// every decision drawn from one seeded Rng (so a seed replays them):
//
//  - transient failure: the call returns kUnavailable without reaching the
//    store (the runtime retries with backoff);
//  - reply lost: the call reaches the store and takes effect, then returns
//    kUnavailable as if the reply had been lost (the runtime retries an
//    operation that already happened: put-if-absent then "loses" to
//    itself, AddToSet sees its own member, deletes repeat);
//  - crash after an operation: the simulated process dies right after the
//    n-th DeleteCheckpoint (mid-GC) or the n-th operation of any kind of
//    one delivery; the call returns kAborted and every later call of that
//    delivery fails with kAborted too (a dead process does nothing more).
//
// Who is calling is told by a FaultScope (one per delivery, i.e. per
// simulated process) that the simulator switches with SetScope as it
// switches deliveries. A null scope means the harness itself is calling
// (reading results): no faults. Without SetScope an internal scope with
// faults enabled is used, so the class also works on its own.
//
// An operation hook runs before every call (the simulator yields there, so
// other deliveries can interleave between any two datastore operations).
// ListKeys is tooling: it is forwarded without hook or faults.
//
// Thread-safety: none (the simulator is single-threaded).
#ifndef UNUM_SIM_FAULT_DATASTORE_H_
#define UNUM_SIM_FAULT_DATASTORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "sim/rng.h"
#include "unum/datastore.h"

namespace unum::sim {

enum class DatastoreOp {
  kGetCheckpoint,
  kPutCheckpoint,
  kGetCheckpoints,
  kAddToSet,
  kDeleteCheckpoint,
  kDeleteSet,
  kPutSessionRecord,
  kGetSessionRecord,
};
const char* DatastoreOpName(DatastoreOp op);

struct FaultOptions {
  double unavailable = 0;  // per call: fail before reaching the store
  double reply_lost = 0;   // per call: take effect, then fail
};

// The fault state of one simulated process (one delivery).
struct FaultScope {
  bool enabled = true;         // false: no injected faults for this caller
  int crash_after_delete = 0;  // >0: crash after this many DeleteCheckpoint
  int crash_after_op = 0;      // >0: crash after this many operations
  int deletes = 0;             // DeleteCheckpoint calls that took effect
  int ops = 0;                 // operations that took effect
  bool crashed = false;        // the process is dead
  std::string crash_reason;    // set when crashed by this store
};

struct FaultCounts {
  int64_t operations = 0;         // calls seen (excluding ListKeys)
  int64_t unavailable = 0;        // transient failures injected
  int64_t reply_lost = 0;         // applied-then-failed replies injected
  int64_t crash_mid_gc = 0;       // crashes right after a DeleteCheckpoint
  int64_t crash_after_op = 0;     // crashes right after another operation
  int64_t calls_after_crash = 0;  // calls by a dead process (refused)
};

class FaultDatastore : public ForwardingDatastore {
 public:
  // Borrows `target`, which must outlive this object.
  FaultDatastore(Datastore* target, uint64_t seed, FaultOptions options = {});

  void set_options(const FaultOptions& options) { options_ = options; }
  const FaultOptions& options() const { return options_; }

  // The process calling from now on (see the file comment).
  void SetScope(FaultScope* scope) { scope_ = scope; }
  FaultScope* scope() const { return scope_; }

  // Runs before every call (not ListKeys).
  void SetOperationHook(std::function<void(DatastoreOp)> hook) {
    hook_ = std::move(hook);
  }

  // Told about every injected fault ("unavailable GetCheckpoint A", ...),
  // for traces.
  void SetFaultObserver(std::function<void(const std::string&)> observer) {
    observer_ = std::move(observer);
  }

  const FaultCounts& counts() const { return counts_; }

  Result<Lookup> GetCheckpoint(const std::string& session,
                               const std::string& instance) override;
  Result<PutOutcome> PutCheckpoint(const std::string& session,
                                   const std::string& instance,
                                   const std::string& value,
                                   std::chrono::seconds expire_after) override;
  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& session,
      const std::vector<std::string>& instances) override;
  Result<SetAddResult> AddToSet(const std::string& session,
                                const std::string& set,
                                const std::string& member) override;
  Status DeleteCheckpoint(const std::string& session,
                          const std::string& instance,
                          std::chrono::seconds ttl) override;
  Status DeleteCheckpoints(const std::string& session,
                           const std::vector<std::string>& instances,
                           std::chrono::seconds ttl) override;
  Status DeleteSet(const std::string& session, const std::string& set,
                   std::chrono::seconds ttl) override;
  Result<bool> PutSessionRecordIfAbsent(const std::string& session,
                                        const std::string& value) override;
  Result<Lookup> GetSessionRecord(const std::string& session) override;

 private:
  // Runs `apply` (the forwarded call) with the faults decided for `op`.
  template <typename R, typename Apply>
  R Do(DatastoreOp op, const std::string& what, Apply&& apply);

  Rng rng_;
  FaultOptions options_;
  FaultScope own_scope_;
  FaultScope* scope_ = &own_scope_;
  std::function<void(DatastoreOp)> hook_;
  std::function<void(const std::string&)> observer_;
  FaultCounts counts_;
};

}  // namespace unum::sim

#endif  // UNUM_SIM_FAULT_DATASTORE_H_
