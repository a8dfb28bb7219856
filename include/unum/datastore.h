// Datastore: the strongly consistent key-value store every Unum function
// checkpoints into. The runtime only ever talks to this interface; concrete
// backends (memory://, later sqlite://, redis://, dynamodb://) are opened by
// URL with OpenDatastore().
//
// Every key lives under a session id, so a backend may store a session's
// keys together. Values are opaque byte strings (the runtime stores
// serialized JSON); keys and values must be binary safe.
//
// Outcomes are values: a lost put-if-absent race returns false, an absent
// checkpoint returns Lookup::kAbsent. A non-OK Status is a real failure;
// kUnavailable means transient (the caller may retry with backoff).
//
// Thread-safety: every method may be called from many threads at once, and
// each method is atomic with respect to the others on the same key.
#ifndef UNUM_DATASTORE_H_
#define UNUM_DATASTORE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "unum/status.h"

namespace unum {

// What a read of one checkpoint found.
struct Lookup {
  enum class State {
    kAbsent,     // never written (or its tombstone expired)
    kPresent,    // `value` holds the checkpoint
    kTombstone,  // written, then garbage collected: the step is done
  };
  State state = State::kAbsent;
  std::string value;

  bool present() const { return state == State::kPresent; }
  bool tombstone() const { return state == State::kTombstone; }
  bool absent() const { return state == State::kAbsent; }
};

// Result of adding a member to a named set.
struct SetAddResult {
  // Number of distinct members after the add. 0 when `closed`.
  int64_t size = 0;
  // The set was deleted (tombstoned) earlier: the add was ignored. The
  // caller's round is over; it must not act as if it completed the set.
  bool closed = false;
};

// Result of PutCheckpoint.
struct PutOutcome {
  bool won = false;  // this call wrote the checkpoint
  // When the put lost: what it lost to (a checkpoint or a tombstone), read
  // atomically with the failed write.
  Lookup existing;
};

// One key of a session, as listed by ListKeys (tests and tooling).
struct KeyInfo {
  enum class Kind { kCheckpoint, kSet, kSessionRecord };
  Kind kind;
  std::string name;  // instance or set name; empty for the session record
  bool tombstone = false;
  // A live checkpoint written with an expiry (expiry-based GC): the store
  // drops it by itself.
  bool expires = false;
};

// Counters of datastore operations by kind (see CountingDatastore).
struct DatastoreStats {
  int64_t get_checkpoint = 0;
  int64_t put_checkpoint = 0;
  int64_t get_checkpoints = 0;  // calls, not keys
  int64_t set_add = 0;
  int64_t delete_checkpoint = 0;
  int64_t delete_set = 0;
  int64_t session_record = 0;  // puts and gets

  // The items behind the counts, for pricing per item (DynamoDB bills each
  // item by its size): keyed by the kind names of the counts above
  // ("get_checkpoint", "session_record", ...). See CountingDatastore.
  struct Items {
    int64_t items = 0;
    int64_t bytes = 0;  // key bytes + value bytes, summed
    // Item counts by started kilobyte: ceil(bytes / 1024), at least 1.
    // Enough to price any unit that is a whole number of KB exactly
    // (ceil(ceil(b / 1024) / n) == ceil(b / (1024 n))).
    std::map<int64_t, int64_t> by_started_kb;

    // Request units of `unit_kb` KB each: sum of ceil(kb / unit_kb).
    int64_t Units(int64_t unit_kb) const {
      int64_t units = 0;
      for (const auto& [kb, n] : by_started_kb) {
        units += n * ((kb + unit_kb - 1) / unit_kb);
      }
      return units;
    }
  };
  std::map<std::string, Items> reads;   // items read
  std::map<std::string, Items> writes;  // items written
};

class Datastore {
 public:
  virtual ~Datastore() = default;

  // Reads the checkpoint of `instance` in `session`.
  virtual Result<Lookup> GetCheckpoint(const std::string& session,
                                       const std::string& instance) = 0;

  // Writes `value` unless a checkpoint or tombstone for `instance` exists,
  // and when it loses returns what it lost to, in the same operation (so a
  // loser continues with the winner's output without a second read).
  // `expire_after` > 0 writes a checkpoint that the store drops by itself
  // after that long (expiry-based GC: DynamoDB TTL, Redis EXPIRE); 0 keeps
  // it until DeleteCheckpoint.
  virtual Result<PutOutcome> PutCheckpoint(
      const std::string& session, const std::string& instance,
      const std::string& value, std::chrono::seconds expire_after) = 0;

  // PutCheckpoint without expiry; true when this call wrote it (won).
  Result<bool> PutCheckpointIfAbsent(const std::string& session,
                                     const std::string& instance,
                                     const std::string& value) {
    auto put = PutCheckpoint(session, instance, value, std::chrono::seconds(0));
    if (!put.ok()) return put.status();
    return put->won;
  }

  // Reads several checkpoints; the result has one Lookup per name, in the
  // order of `instances`.
  virtual Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& session,
      const std::vector<std::string>& instances) = 0;

  // Adds `member` to the set `set` (idempotent per member) and returns the
  // number of distinct members after the add, atomically.
  virtual Result<SetAddResult> AddToSet(const std::string& session,
                                        const std::string& set,
                                        const std::string& member) = 0;

  // Replaces the checkpoint of `instance` by a tombstone that lives `ttl`.
  // Deleting an absent checkpoint still leaves the tombstone. Idempotent.
  virtual Status DeleteCheckpoint(const std::string& session,
                                  const std::string& instance,
                                  std::chrono::seconds ttl) = 0;

  // DeleteCheckpoint of each of `instances`, in one operation where the
  // backend allows (a fan-in aggregator collects its branches with it).
  // Not atomic across instances: after an error some may be deleted.
  virtual Status DeleteCheckpoints(const std::string& session,
                                   const std::vector<std::string>& instances,
                                   std::chrono::seconds ttl) = 0;

  // Replaces the set by a tombstone that lives `ttl`; later adds report
  // `closed`. Idempotent.
  virtual Status DeleteSet(const std::string& session, const std::string& set,
                           std::chrono::seconds ttl) = 0;

  // Writes the session record unless one exists; true when this call won.
  virtual Result<bool> PutSessionRecordIfAbsent(const std::string& session,
                                                const std::string& value) = 0;

  // Reads the session record (kAbsent when there is none yet).
  virtual Result<Lookup> GetSessionRecord(const std::string& session) = 0;

  // Lists every live key of `session`, tombstones included (for tests,
  // `unum` tooling and leak checks; not used on the hot path).
  virtual Result<std::vector<KeyInfo>> ListKeys(const std::string& session) = 0;

  // Observability (`unum trace`, `unum sessions`, `unum ui`); never on the
  // protocol's path and not listed by ListKeys. A trace event is an opaque
  // value under an id, kept beside the session record and for as long as
  // it (a backend that drops a session's keys drops its events with them).

  // Writes trace event `id` of `session`, replacing one with the same id.
  virtual Status PutTraceEvent(const std::string& session,
                               const std::string& id,
                               const std::string& value) = 0;

  // Every trace event of `session`, ordered by id.
  virtual Result<std::vector<std::string>> GetTraceEvents(
      const std::string& session) = 0;

  // The ids of the sessions that have a session record or a trace event,
  // sorted. Reads the whole store: for tooling, not for the hot path.
  virtual Result<std::vector<std::string>> ListSessions() = 0;
};

// Opens a datastore from a URL: "memory://" (process-local),
// "sqlite:///path/to/db" (durable, shared by processes on one machine),
// "redis://host:port/db" (shared by machines). Returns kInvalidArgument
// naming the URL for unknown schemes or bad options.
Result<std::unique_ptr<Datastore>> OpenDatastore(const std::string& url);

}  // namespace unum

#endif  // UNUM_DATASTORE_H_
