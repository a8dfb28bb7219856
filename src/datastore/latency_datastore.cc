// LatencyDatastore: see latency_datastore.h.
#include "datastore/latency_datastore.h"

#include <thread>

namespace unum {

void LatencyDatastore::Wait(std::chrono::microseconds median, int times) const {
  std::chrono::microseconds total{0};
  for (int i = 0; i < times; ++i) total += model_.Sample(median);
  if (total.count() > 0) std::this_thread::sleep_for(total);
}

Result<Lookup> LatencyDatastore::GetCheckpoint(const std::string& session,
                                               const std::string& instance) {
  Wait(model_.read);
  return ForwardingDatastore::GetCheckpoint(session, instance);
}

Result<PutOutcome> LatencyDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  Wait(model_.write);
  return ForwardingDatastore::PutCheckpoint(session, instance, value,
                                            expire_after);
}

Result<std::vector<Lookup>> LatencyDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  constexpr size_t kBatch = 100;
  Wait(model_.read, static_cast<int>(std::max<size_t>(
                        1, (instances.size() + kBatch - 1) / kBatch)));
  return ForwardingDatastore::GetCheckpoints(session, instances);
}

Result<SetAddResult> LatencyDatastore::AddToSet(const std::string& session,
                                                const std::string& set,
                                                const std::string& member) {
  Wait(model_.write);
  return ForwardingDatastore::AddToSet(session, set, member);
}

Status LatencyDatastore::DeleteCheckpoint(const std::string& session,
                                          const std::string& instance,
                                          std::chrono::seconds ttl) {
  Wait(model_.write);
  return ForwardingDatastore::DeleteCheckpoint(session, instance, ttl);
}

Status LatencyDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  // Sent in one pipeline (Redis) or all in flight (DynamoDB): one write.
  Wait(model_.write);
  return ForwardingDatastore::DeleteCheckpoints(session, instances, ttl);
}

Status LatencyDatastore::DeleteSet(const std::string& session,
                                   const std::string& set,
                                   std::chrono::seconds ttl) {
  Wait(model_.write);
  return ForwardingDatastore::DeleteSet(session, set, ttl);
}

Result<bool> LatencyDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  Wait(model_.write);
  return ForwardingDatastore::PutSessionRecordIfAbsent(session, value);
}

Result<Lookup> LatencyDatastore::GetSessionRecord(const std::string& session) {
  Wait(model_.read);
  return ForwardingDatastore::GetSessionRecord(session);
}

}  // namespace unum
