// ForwardingDatastore: a Datastore that forwards every call to another one.
//
// The leveldb EnvWrapper pattern: derive from it and override only the
// methods you want to observe or alter (counting, fault injection, latency),
// everything else reaches the wrapped store unchanged.
//
//   class FlakyPut : public ForwardingDatastore {
//    public:
//     using ForwardingDatastore::ForwardingDatastore;
//     Result<PutOutcome> PutCheckpoint(...) override {
//       return Status::Unavailable("injected");
//     }
//   };
//
// The target is either borrowed (raw pointer: the caller keeps it alive for
// the wrapper's lifetime) or owned (unique_ptr). Thread-safety: as safe as
// the target; the wrapper itself holds no mutable state.
#ifndef UNUM_DATASTORE_FORWARDING_DATASTORE_H_
#define UNUM_DATASTORE_FORWARDING_DATASTORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "unum/datastore.h"

namespace unum {

class ForwardingDatastore : public Datastore {
 public:
  // Borrows `target`, which must outlive this object.
  explicit ForwardingDatastore(Datastore* target) : target_(target) {}

  // Owns `target`.
  explicit ForwardingDatastore(std::unique_ptr<Datastore> target)
      : owned_(std::move(target)), target_(owned_.get()) {}

  ForwardingDatastore(const ForwardingDatastore&) = delete;
  ForwardingDatastore& operator=(const ForwardingDatastore&) = delete;

  // The wrapped datastore.
  Datastore* target() const { return target_; }

  Result<Lookup> GetCheckpoint(const std::string& session,
                               const std::string& instance) override {
    return target_->GetCheckpoint(session, instance);
  }

  Result<PutOutcome> PutCheckpoint(const std::string& session,
                                   const std::string& instance,
                                   const std::string& value,
                                   std::chrono::seconds expire_after) override {
    return target_->PutCheckpoint(session, instance, value, expire_after);
  }

  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& session,
      const std::vector<std::string>& instances) override {
    return target_->GetCheckpoints(session, instances);
  }

  Result<SetAddResult> AddToSet(const std::string& session,
                                const std::string& set,
                                const std::string& member) override {
    return target_->AddToSet(session, set, member);
  }

  Status DeleteCheckpoint(const std::string& session,
                          const std::string& instance,
                          std::chrono::seconds ttl) override {
    return target_->DeleteCheckpoint(session, instance, ttl);
  }

  Status DeleteCheckpoints(const std::string& session,
                           const std::vector<std::string>& instances,
                           std::chrono::seconds ttl) override {
    return target_->DeleteCheckpoints(session, instances, ttl);
  }

  Status DeleteSet(const std::string& session, const std::string& set,
                   std::chrono::seconds ttl) override {
    return target_->DeleteSet(session, set, ttl);
  }

  Result<bool> PutSessionRecordIfAbsent(const std::string& session,
                                        const std::string& value) override {
    return target_->PutSessionRecordIfAbsent(session, value);
  }

  Result<Lookup> GetSessionRecord(const std::string& session) override {
    return target_->GetSessionRecord(session);
  }

  Result<std::vector<KeyInfo>> ListKeys(const std::string& session) override {
    return target_->ListKeys(session);
  }

  Status PutTraceEvent(const std::string& session, const std::string& id,
                       const std::string& value) override {
    return target_->PutTraceEvent(session, id, value);
  }

  Result<std::vector<std::string>> GetTraceEvents(
      const std::string& session) override {
    return target_->GetTraceEvents(session);
  }

  Result<std::vector<std::string>> ListSessions() override {
    return target_->ListSessions();
  }

 private:
  std::unique_ptr<Datastore> owned_;  // null when borrowed
  Datastore* target_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_FORWARDING_DATASTORE_H_
