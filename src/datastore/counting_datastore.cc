// CountingDatastore: see counting_datastore.h.
#include "datastore/counting_datastore.h"

#include <string_view>

namespace unum {
namespace {

void Bump(std::atomic<int64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

int64_t Read(const std::atomic<int64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

size_t ValueBytes(const Result<Lookup>& lookup) {
  return lookup.ok() ? lookup->value.size() : 0;
}

}  // namespace

void CountingDatastore::Record(ItemsByKind& items, const char* kind,
                               size_t bytes) {
  const auto size = static_cast<int64_t>(bytes);
  const int64_t kb = size <= 1024 ? 1 : (size + 1023) / 1024;
  std::lock_guard<std::mutex> lock(items_mu_);
  auto it = items.find(std::string_view(kind));
  if (it == items.end())
    it = items.emplace(kind, DatastoreStats::Items{}).first;
  DatastoreStats::Items& i = it->second;
  ++i.items;
  i.bytes += size;
  ++i.by_started_kb[kb];
}

Result<Lookup> CountingDatastore::GetCheckpoint(const std::string& session,
                                                const std::string& instance) {
  Bump(get_checkpoint_);
  auto lookup = ForwardingDatastore::GetCheckpoint(session, instance);
  Record(reads_, "get_checkpoint",
         session.size() + instance.size() + ValueBytes(lookup));
  return lookup;
}

Result<PutOutcome> CountingDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  Bump(put_checkpoint_);
  Record(writes_, "put_checkpoint",
         session.size() + instance.size() + value.size());
  return ForwardingDatastore::PutCheckpoint(session, instance, value,
                                            expire_after);
}

Result<std::vector<Lookup>> CountingDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  Bump(get_checkpoints_);
  auto lookups = ForwardingDatastore::GetCheckpoints(session, instances);
  for (size_t k = 0; k < instances.size(); ++k) {
    const size_t value =
        lookups.ok() && k < lookups->size() ? (*lookups)[k].value.size() : 0;
    Record(reads_, "get_checkpoints",
           session.size() + instances[k].size() + value);
  }
  return lookups;
}

Result<SetAddResult> CountingDatastore::AddToSet(const std::string& session,
                                                 const std::string& set,
                                                 const std::string& member) {
  Bump(set_add_);
  Record(writes_, "set_add", session.size() + set.size() + member.size());
  return ForwardingDatastore::AddToSet(session, set, member);
}

Status CountingDatastore::DeleteCheckpoint(const std::string& session,
                                           const std::string& instance,
                                           std::chrono::seconds ttl) {
  Bump(delete_checkpoint_);
  Record(writes_, "delete_checkpoint", session.size() + instance.size());
  return ForwardingDatastore::DeleteCheckpoint(session, instance, ttl);
}

Status CountingDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  Bump(delete_checkpoint_);  // one call, however many keys
  for (const std::string& instance : instances) {
    Record(writes_, "delete_checkpoint", session.size() + instance.size());
  }
  return ForwardingDatastore::DeleteCheckpoints(session, instances, ttl);
}

Status CountingDatastore::DeleteSet(const std::string& session,
                                    const std::string& set,
                                    std::chrono::seconds ttl) {
  Bump(delete_set_);
  Record(writes_, "delete_set", session.size() + set.size());
  return ForwardingDatastore::DeleteSet(session, set, ttl);
}

Result<bool> CountingDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  Bump(session_record_);
  Record(writes_, "session_record", session.size() + value.size());
  return ForwardingDatastore::PutSessionRecordIfAbsent(session, value);
}

Result<Lookup> CountingDatastore::GetSessionRecord(const std::string& session) {
  Bump(session_record_);
  auto lookup = ForwardingDatastore::GetSessionRecord(session);
  Record(reads_, "session_record", session.size() + ValueBytes(lookup));
  return lookup;
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
  std::lock_guard<std::mutex> lock(items_mu_);
  s.reads = {reads_.begin(), reads_.end()};
  s.writes = {writes_.begin(), writes_.end()};
  return s;
}

void CountingDatastore::ResetStats() {
  for (auto* counter :
       {&get_checkpoint_, &put_checkpoint_, &get_checkpoints_, &set_add_,
        &delete_checkpoint_, &delete_set_, &session_record_}) {
    counter->store(0, std::memory_order_relaxed);
  }
  std::lock_guard<std::mutex> lock(items_mu_);
  reads_.clear();
  writes_.clear();
}

}  // namespace unum
