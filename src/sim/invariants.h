// What a simulation run observed, and the invariants checked on it.
//
// Observation:
//  - RecordingDatastore (a ForwardingDatastore placed *under* the fault
//    injector, so it sees what really reached the store) records every
//    checkpoint write that won its put-if-absent (the committed outputs,
//    kept even after GC deletes them) and every session-record write.
//  - RunLog records every execution of user code: instance, the delivery
//    it ran in (who sent it, fan-in sources, fan-out index), the input it
//    saw and the (tagged, non-deterministic) output it returned.
//
// Invariants (CheckRun), each violation one line of text:
//  1. liveness: no invocation failed all its attempts; no crashed delivery
//     kept calling the datastore or the platform;
//  2. exactly one session record, SUCCEEDED, whose result equals the
//     committed output of the terminal instance that wrote it (or, for a
//     terminal that does not checkpoint, the output of one of its
//     executions); every session-record write carried that same result
//     (no second, different result); untagged, it equals the workflow's
//     expected answer;
//  3. each instance has at most one committed output;
//  4. every user execution's input is what the committed outputs imply:
//     the Start function sees the workflow input; an inline input is the
//     committed output of the sender, or element i of it for a Map child;
//     a fan-in input is the committed outputs of the listed branches, in
//     the listed order, which is index order;
//  5. no fork: for a producer without a committed output (Checkpoint:
//     false), at most one distinct output reaches consumers;
//  6. after quiescence the session holds only the session record and
//     tombstones (no checkpoint or set leaks);
//  7. late duplicates (after the session finished and was collected):
//     they run no user code, leave the session record byte-identical, and
//     leave only tombstones behind.
#ifndef UNUM_SIM_INVARIANTS_H_
#define UNUM_SIM_INVARIANTS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "sim/sim_platform.h"
#include "unum/datastore.h"

namespace unum::sim {

class RecordingDatastore : public ForwardingDatastore {
 public:
  using ForwardingDatastore::ForwardingDatastore;

  struct SessionWrite {
    std::string value;
    bool won = false;
  };

  Result<PutOutcome> PutCheckpoint(const std::string& session,
                                   const std::string& instance,
                                   const std::string& value,
                                   std::chrono::seconds expire_after) override;
  Result<bool> PutSessionRecordIfAbsent(const std::string& session,
                                        const std::string& value) override;

  // Raw checkpoint records that won, by instance (several = violation).
  const std::map<std::string, std::vector<std::string>>& commits() const {
    return commits_;
  }
  const std::vector<SessionWrite>& session_writes() const {
    return session_writes_;
  }

  // The committed output of `instance` (the record's "Output"), if any.
  std::optional<nlohmann::json> CommittedOutput(
      const std::string& instance) const;

 private:
  std::map<std::string, std::vector<std::string>> commits_;
  mutable std::map<std::string, nlohmann::json> decoded_;
  std::vector<SessionWrite> session_writes_;
};

struct Execution {
  uint64_t delivery = 0;
  std::string function;
  std::string instance;
  int attempt = 1;
  Origin origin = Origin::kExternal;
  std::string sender;  // "" for the Start invocation
  bool fan_in = false;
  std::vector<std::string> sources;  // fan-in only
  bool map_child = false;            // innermost Fan-out is a Map
  int64_t index = 0;                 // innermost Fan-out index
  bool late = false;                 // during the late-duplicate phase
  bool ok = false;                   // the user code returned a value
  nlohmann::json input;              // as the user code saw it (tagged)
  nlohmann::json output;             // tagged
};

class RunLog {
 public:
  // Builds the record of an execution from the delivery running it.
  static Execution FromDelivery(const Delivery& d);
  void Add(Execution e) { executions_.push_back(std::move(e)); }
  const std::vector<Execution>& executions() const { return executions_; }

 private:
  std::vector<Execution> executions_;
};

struct CheckInput {
  std::string session;
  nlohmann::json workflow_input;
  std::optional<nlohmann::json> expected;  // untagged
  const RecordingDatastore* recorded = nullptr;
  const RunLog* log = nullptr;
  const SimPlatform* platform = nullptr;
  int64_t store_calls_after_crash = 0;
  Datastore* store = nullptr;  // fault-free access (the memory store)
  // The session record at quiescence (before late duplicates), when the
  // check runs after the late phase.
  std::optional<std::string> record_before_late;
  // A compiled Step Functions state machine: committed outputs are
  // envelopes (the result is the terminal's Then.End) and an inline input
  // is a part of its sender's envelope, so invariant 4 checks only starts
  // and fan-ins.
  bool state_machine = false;
  // Committed outputs per instance at quiescence, when late duplicates
  // were delivered after it (invariant 7).
  std::optional<std::map<std::string, size_t>> commits_before_late;
  // GcPolicy::kExpire: expiring checkpoints may remain (invariant 6).
  bool expiring_checkpoints = false;
};

// Runs every invariant; returns the violations (empty: the run is good).
std::vector<std::string> CheckRun(const CheckInput& in);

// Invariant 6 alone: every key of `session` is the session record or a
// tombstone (or, with `expiring_ok`, a checkpoint that expires by
// itself). Returns violations.
std::vector<std::string> CheckOnlyTombstones(Datastore* store,
                                             const std::string& session,
                                             const std::string& when,
                                             bool expiring_ok = false);

}  // namespace unum::sim

#endif  // UNUM_SIM_INVARIANTS_H_
