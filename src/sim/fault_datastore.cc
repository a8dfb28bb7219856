#include "sim/fault_datastore.h"

#include <utility>

namespace unum::sim {

const char* DatastoreOpName(DatastoreOp op) {
  switch (op) {
    case DatastoreOp::kGetCheckpoint:
      return "GetCheckpoint";
    case DatastoreOp::kPutCheckpoint:
      return "PutCheckpoint";
    case DatastoreOp::kGetCheckpoints:
      return "GetCheckpoints";
    case DatastoreOp::kAddToSet:
      return "AddToSet";
    case DatastoreOp::kDeleteCheckpoint:
      return "DeleteCheckpoint";
    case DatastoreOp::kDeleteSet:
      return "DeleteSet";
    case DatastoreOp::kPutSessionRecord:
      return "PutSessionRecordIfAbsent";
    case DatastoreOp::kGetSessionRecord:
      return "GetSessionRecord";
  }
  return "?";
}

FaultDatastore::FaultDatastore(Datastore* target, uint64_t seed,
                               FaultOptions options)
    : ForwardingDatastore(target), rng_(seed), options_(options) {}

template <typename R, typename Apply>
R FaultDatastore::Do(DatastoreOp op, const std::string& what, Apply&& apply) {
  if (hook_) hook_(op);
  ++counts_.operations;
  // Read the scope after the hook: the simulator may have switched
  // processes while this one was suspended, and switched back.
  FaultScope* scope = scope_;
  if (scope != nullptr && scope->crashed) {
    ++counts_.calls_after_crash;
    return Status::Aborted(std::string("simulated crash: a dead process "
                                       "called ") +
                           DatastoreOpName(op));
  }
  const bool faults = scope != nullptr && scope->enabled;
  if (faults && rng_.Chance(options_.unavailable)) {
    ++counts_.unavailable;
    if (observer_)
      observer_(std::string("unavailable: ") + DatastoreOpName(op) + " " +
                what);
    return Status::Unavailable(std::string("injected: ") + DatastoreOpName(op) +
                               " " + what + " unavailable");
  }
  R result = apply();
  if (scope != nullptr && result.ok()) {
    ++scope->ops;
    if (op == DatastoreOp::kDeleteCheckpoint) ++scope->deletes;
    if (op == DatastoreOp::kDeleteCheckpoint && scope->crash_after_delete > 0 &&
        scope->deletes == scope->crash_after_delete) {
      scope->crashed = true;
      scope->crash_reason = "mid-gc";
      ++counts_.crash_mid_gc;
      if (observer_)
        observer_("CRASH mid-gc right after DeleteCheckpoint " + what);
      return Status::Aborted("simulated crash right after DeleteCheckpoint " +
                             what);
    }
    if (scope->crash_after_op > 0 && scope->ops == scope->crash_after_op) {
      scope->crashed = true;
      scope->crash_reason = "after-op";
      ++counts_.crash_after_op;
      if (observer_) {
        observer_(std::string("CRASH right after ") + DatastoreOpName(op) +
                  " " + what);
      }
      return Status::Aborted(std::string("simulated crash right after ") +
                             DatastoreOpName(op) + " " + what);
    }
  }
  if (faults && rng_.Chance(options_.reply_lost)) {
    ++counts_.reply_lost;
    if (observer_)
      observer_(std::string("reply lost: ") + DatastoreOpName(op) + " " + what);
    return Status::Unavailable(std::string("injected: reply of ") +
                               DatastoreOpName(op) + " " + what + " lost");
  }
  return result;
}

Result<Lookup> FaultDatastore::GetCheckpoint(const std::string& session,
                                             const std::string& instance) {
  return Do<Result<Lookup>>(DatastoreOp::kGetCheckpoint, instance, [&] {
    return ForwardingDatastore::GetCheckpoint(session, instance);
  });
}

Result<PutOutcome> FaultDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  return Do<Result<PutOutcome>>(DatastoreOp::kPutCheckpoint, instance, [&] {
    return ForwardingDatastore::PutCheckpoint(session, instance, value,
                                              expire_after);
  });
}

Result<std::vector<Lookup>> FaultDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  return Do<Result<std::vector<Lookup>>>(DatastoreOp::kGetCheckpoints, "", [&] {
    return ForwardingDatastore::GetCheckpoints(session, instances);
  });
}

Result<SetAddResult> FaultDatastore::AddToSet(const std::string& session,
                                              const std::string& set,
                                              const std::string& member) {
  return Do<Result<SetAddResult>>(DatastoreOp::kAddToSet, set, [&] {
    return ForwardingDatastore::AddToSet(session, set, member);
  });
}

Status FaultDatastore::DeleteCheckpoint(const std::string& session,
                                        const std::string& instance,
                                        std::chrono::seconds ttl) {
  return Do<Status>(DatastoreOp::kDeleteCheckpoint, instance, [&] {
    return ForwardingDatastore::DeleteCheckpoint(session, instance, ttl);
  });
}

Status FaultDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  return Do<Status>(DatastoreOp::kDeleteCheckpoint,
                    instances.empty() ? "" : instances.front(), [&] {
                      return ForwardingDatastore::DeleteCheckpoints(
                          session, instances, ttl);
                    });
}

Status FaultDatastore::DeleteSet(const std::string& session,
                                 const std::string& set,
                                 std::chrono::seconds ttl) {
  return Do<Status>(DatastoreOp::kDeleteSet, set, [&] {
    return ForwardingDatastore::DeleteSet(session, set, ttl);
  });
}

Result<bool> FaultDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  return Do<Result<bool>>(DatastoreOp::kPutSessionRecord, "", [&] {
    return ForwardingDatastore::PutSessionRecordIfAbsent(session, value);
  });
}

Result<Lookup> FaultDatastore::GetSessionRecord(const std::string& session) {
  return Do<Result<Lookup>>(DatastoreOp::kGetSessionRecord, "", [&] {
    return ForwardingDatastore::GetSessionRecord(session);
  });
}

}  // namespace unum::sim
