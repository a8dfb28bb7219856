// MemoryDatastore: the process-local Datastore behind "memory://".
//
// Everything lives in RAM and dies with the process; it is the embedded
// default for `unum run`, the in-process platform and tests. It implements
// the full contract of unum/datastore.h: put-if-absent checkpoints,
// tombstones with a TTL, sets with tombstones, the session record.
//
// Tombstone expiry is driven by an injectable clock so tests can move time
// forward. Expired tombstones read as absent and are dropped lazily: every
// operation on a shard first removes the shard's expired tombstones (a
// min-heap by expiry, so the cost is O(log n) per expired tombstone).
//
// Thread-safety: every method may be called from any thread. Sessions are
// spread over a fixed number of shards, each guarded by its own mutex; all
// keys of one session live in one shard, so every operation (including the
// multi-key GetCheckpoints and ListKeys) is atomic. The clock is called
// outside any lock and may be called concurrently from many threads.
#ifndef UNUM_DATASTORE_MEMORY_MEMORY_DATASTORE_H_
#define UNUM_DATASTORE_MEMORY_MEMORY_DATASTORE_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "unum/datastore.h"

namespace unum {

class MemoryDatastore : public Datastore {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` tells the time used for tombstone expiry; defaults to
  // std::chrono::steady_clock::now.
  explicit MemoryDatastore(Clock clock = nullptr);
  ~MemoryDatastore() override;

  MemoryDatastore(const MemoryDatastore&) = delete;
  MemoryDatastore& operator=(const MemoryDatastore&) = delete;

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

  // Sorted by kind (checkpoints, sets, session record), then by name.
  Result<std::vector<KeyInfo>> ListKeys(const std::string& session) override;
  Status PutTraceEvent(const std::string& session, const std::string& id,
                       const std::string& value) override;
  Result<std::vector<std::string>> GetTraceEvents(
      const std::string& session) override;
  Result<std::vector<std::string>> ListSessions() override;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct CheckpointEntry {
    std::string value;
    bool tombstone = false;
    // When the store drops the entry: always set for tombstones, set for a
    // live checkpoint written with an expiry, else the epoch (never).
    TimePoint expires{};
  };

  struct SetEntry {
    std::unordered_set<std::string> members;
    bool tombstone = false;
    TimePoint expires{};  // meaningful only for tombstones
  };

  struct SessionData {
    std::unordered_map<std::string, CheckpointEntry> checkpoints;
    std::unordered_map<std::string, SetEntry> sets;
    std::optional<std::string> record;
    std::map<std::string, std::string> trace_events;  // by id

    bool empty() const {
      return checkpoints.empty() && sets.empty() && !record.has_value() &&
             trace_events.empty();
    }
  };

  // One tombstone's (or expiring checkpoint's) expiry; stale entries (the
  // expiry was extended or the key already dropped) are recognised and
  // skipped when popped.
  struct Expiry {
    TimePoint expires;
    std::string session;
    bool is_set = false;
    std::string name;

    // Min-heap on expiry for std::priority_queue.
    bool operator<(const Expiry& other) const {
      return expires > other.expires;
    }
  };

  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, SessionData> sessions;
    std::priority_queue<Expiry> expiries;
  };

  static constexpr size_t kNumShards = 32;

  Shard& ShardFor(const std::string& session);
  TimePoint Now() const;

  // Drops every tombstone and expiring checkpoint of `shard` that expired
  // at or before `now`.
  // Requires shard.mu held.
  static void DropExpiredLocked(Shard& shard, TimePoint now);

  // Returns the session's data, or nullptr when the session has no keys.
  // Requires shard.mu held.
  static SessionData* FindSessionLocked(Shard& shard,
                                        const std::string& session);

  static Lookup ToLookup(const CheckpointEntry& entry);

  // Replaces `instance`'s checkpoint by a tombstone until `expires`.
  // Requires shard.mu held.
  static void TombstoneLocked(Shard& shard, SessionData& data,
                              const std::string& session,
                              const std::string& instance, TimePoint expires);

  Clock clock_;
  std::array<Shard, kNumShards> shards_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_MEMORY_MEMORY_DATASTORE_H_
