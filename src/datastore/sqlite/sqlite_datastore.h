// SqliteDatastore: the durable embedded Datastore behind
// "sqlite:///path/to/db" (see docs/backends.md, "SQLite").
//
// Everything lives in one SQLite database file in WAL mode, so checkpoints
// survive a crash of the process (kill -9) and any number of threads and
// processes on the machine may share the file. Every operation is one
// transaction: put-if-absent is a single INSERT ... ON CONFLICT, a set add
// is a BEGIN IMMEDIATE transaction that inserts the member and bumps the
// set's size, so both are atomic across processes.
//
// Tables (all keys are BLOBs, so binary safe; WITHOUT ROWID where rows are
// small):
//   unum_checkpoints(session, name, value, expires)
//       expires NULL: a live checkpoint; else a tombstone until `expires`
//       (milliseconds since the Unix epoch, by `clock`).
//   unum_sets(session, name, size, expires)   set header, same convention
//   unum_set_members(session, name, member)
//   unum_session_records(session, value)
//
// Expired tombstones read as absent at once. Their rows are purged lazily:
// a write purges up to 1000 of them when `purge_interval` has passed since
// the last purge by this object (PurgeExpired does it on demand).
//
// Thread-safety: every method may be called from any thread; atomicity
// holds across threads and processes. Not fork-safe: open a new one in a
// child.
#ifndef UNUM_DATASTORE_SQLITE_SQLITE_DATASTORE_H_
#define UNUM_DATASTORE_SQLITE_SQLITE_DATASTORE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "datastore/sqlite/sqlite_db.h"
#include "unum/datastore.h"

namespace unum {

struct SqliteDatastoreOptions {
  sqlite::DbOptions db;
  // Tells the time for tombstone expiry. Wall-clock time, because the
  // expiry is shared with other processes. Default: system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  // A write purges expired tombstones at most this often (0: every write).
  std::chrono::milliseconds purge_interval{std::chrono::minutes(1)};
};

// Parses "sqlite:///abs/path/db" ("sqlite://rel/db", "sqlite:rel/db")
// with optional "?busy_timeout_ms=N&synchronous=off|normal|full". Errors
// are kInvalidArgument naming the URL and the bad part.
Result<SqliteDatastoreOptions> ParseSqliteDatastoreUrl(const std::string& url);

class SqliteDatastore : public Datastore {
 public:
  // Opens (creating when missing) the database and its tables.
  static Result<std::unique_ptr<SqliteDatastore>> Open(
      SqliteDatastoreOptions options);
  ~SqliteDatastore() override;

  SqliteDatastore(const SqliteDatastore&) = delete;
  SqliteDatastore& operator=(const SqliteDatastore&) = delete;

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

  // Deletes up to `limit` expired tombstone rows (checkpoints and sets, of
  // every session) and returns how many it deleted.
  Result<int64_t> PurgeExpired(int64_t limit = 1000);

  sqlite::SqliteDb& db() { return *db_; }

 private:
  SqliteDatastore(SqliteDatastoreOptions options,
                  std::shared_ptr<sqlite::SqliteDb> db);

  int64_t NowMs() const;
  // Purges when purge_interval has passed since the last purge.
  void MaybePurge(int64_t now_ms);

  const SqliteDatastoreOptions options_;
  const std::shared_ptr<sqlite::SqliteDb> db_;
  std::atomic<int64_t> next_purge_ms_{0};
};

}  // namespace unum

#endif  // UNUM_DATASTORE_SQLITE_SQLITE_DATASTORE_H_
