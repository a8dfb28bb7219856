// CountingDatastore: see counting_datastore.h.
#include "datastore/counting_datastore.h"

namespace unum {
namespace {

void Bump(std::atomic<int64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

int64_t Read(const std::atomic<int64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

Result<Lookup> CountingDatastore::GetCheckpoint(const std::string& session,
                                                const std::string& instance) {
  Bump(get_checkpoint_);
  return ForwardingDatastore::GetCheckpoint(session, instance);
}

Result<PutOutcome> CountingDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  Bump(put_checkpoint_);
  return ForwardingDatastore::PutCheckpoint(session, instance, value,
                                            expire_after);
}

Result<std::vector<Lookup>> CountingDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  Bump(get_checkpoints_);
  return ForwardingDatastore::GetCheckpoints(session, instances);
}

Result<SetAddResult> CountingDatastore::AddToSet(const std::string& session,
                                                 const std::string& set,
                                                 const std::string& member) {
  Bump(set_add_);
  return ForwardingDatastore::AddToSet(session, set, member);
}

Status CountingDatastore::DeleteCheckpoint(const std::string& session,
                                           const std::string& instance,
                                           std::chrono::seconds ttl) {
  Bump(delete_checkpoint_);
  return ForwardingDatastore::DeleteCheckpoint(session, instance, ttl);
}

Status CountingDatastore::DeleteSet(const std::string& session,
                                    const std::string& set,
                                    std::chrono::seconds ttl) {
  Bump(delete_set_);
  return ForwardingDatastore::DeleteSet(session, set, ttl);
}

Result<bool> CountingDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  Bump(session_record_);
  return ForwardingDatastore::PutSessionRecordIfAbsent(session, value);
}

Result<Lookup> CountingDatastore::GetSessionRecord(const std::string& session) {
  Bump(session_record_);
  return ForwardingDatastore::GetSessionRecord(session);
}

DatastoreStats CountingDatastore::stats() const {
  DatastoreStats s;
  s.get_checkpoint = Read(get_checkpoint_);
  s.put_checkpoint = Read(put_checkpoint_);
  s.get_checkpoints = Read(get_checkpoints_);
  s.set_add = Read(set_add_);
  s.delete_checkpoint = Read(delete_checkpoint_);
  s.delete_set = Read(delete_set_);
  s.session_record = Read(session_record_);
  return s;
}

void CountingDatastore::ResetStats() {
  for (auto* counter :
       {&get_checkpoint_, &put_checkpoint_, &get_checkpoints_, &set_add_,
        &delete_checkpoint_, &delete_set_, &session_record_}) {
    counter->store(0, std::memory_order_relaxed);
  }
}

}  // namespace unum
