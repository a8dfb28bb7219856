// CountingDatastore: a ForwardingDatastore that counts operations by kind.
//
// Used to measure datastore operations (and so dollars) per workflow
// execution, and by tests that assert how many round trips a protocol step
// costs. Every call is counted once when it is made, whether or not it
// succeeds; GetCheckpoints counts calls, not keys; ListKeys (tooling only)
// is not counted.
//
// It also records the items behind the operations, for pricing: an item's
// size is its key bytes (session id + instance, set or member name) plus
// its value bytes (the value written, or the value a read found; a
// tombstone or an absent key has none). Per kind it keeps the item count,
// the byte sum and a histogram by started kilobyte, from which request
// units of any whole-KB size follow exactly (DatastoreStats::Items).
// GetCheckpoints records one read item per name.
//
// Thread-safety: counters are atomics, so any method including stats() and
// ResetStats() may be called from any thread. stats() is a snapshot of
// independent counters, not one atomic cut across all of them.
#ifndef UNUM_DATASTORE_COUNTING_DATASTORE_H_
#define UNUM_DATASTORE_COUNTING_DATASTORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "unum/datastore.h"

namespace unum {

class CountingDatastore : public ForwardingDatastore {
 public:
  using ForwardingDatastore::ForwardingDatastore;

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

  // The counts so far.
  DatastoreStats stats() const;

  // Sets every count back to zero.
  void ResetStats();

 private:
  // Records one item of `bytes` under `kind` in `items`.
  // (std::less<>: looked up by const char* without building a string.)
  using ItemsByKind = std::map<std::string, DatastoreStats::Items, std::less<>>;
  void Record(ItemsByKind& items, const char* kind, size_t bytes);

  mutable std::mutex items_mu_;
  ItemsByKind reads_;   // by items_mu_
  ItemsByKind writes_;  // by items_mu_
  std::atomic<int64_t> get_checkpoint_{0};
  std::atomic<int64_t> put_checkpoint_{0};
  std::atomic<int64_t> get_checkpoints_{0};
  std::atomic<int64_t> set_add_{0};
  std::atomic<int64_t> delete_checkpoint_{0};
  std::atomic<int64_t> delete_set_{0};
  std::atomic<int64_t> session_record_{0};
};

}  // namespace unum

#endif  // UNUM_DATASTORE_COUNTING_DATASTORE_H_
