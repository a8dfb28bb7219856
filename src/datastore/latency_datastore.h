// LatencyDatastore: a Datastore that waits a simulated service latency
// (common/latency_model.h) before each protocol operation, then forwards
// it. "memory://?latency=aws" is a memory store behind one: the embedded
// default with DynamoDB-like timing.
//
// Reads (GetCheckpoint, GetSessionRecord) wait a read sample; a multi-get
// waits one read sample per started 100 keys (DynamoDB BatchGetItem's
// limit, chunks sent one after another); writes (PutCheckpoint, AddToSet,
// DeleteCheckpoint, DeleteSet, PutSessionRecordIfAbsent) wait a write
// sample, and so does a DeleteCheckpoints of many keys (they go in one
// pipeline or all in flight). Tooling calls (ListKeys, trace events,
// ListSessions) do not wait. Thread-safety: as the target.
#ifndef UNUM_DATASTORE_LATENCY_DATASTORE_H_
#define UNUM_DATASTORE_LATENCY_DATASTORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/latency_model.h"
#include "datastore/forwarding_datastore.h"

namespace unum {

class LatencyDatastore : public ForwardingDatastore {
 public:
  LatencyDatastore(std::unique_ptr<Datastore> target, LatencyModel model)
      : ForwardingDatastore(std::move(target)), model_(model) {}

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
  void Wait(std::chrono::microseconds median, int times = 1) const;

  LatencyModel model_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_LATENCY_DATASTORE_H_
