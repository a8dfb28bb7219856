// SqliteDatastore: see sqlite_datastore.h.
#include "datastore/sqlite/sqlite_datastore.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

namespace unum {
namespace {

using sqlite::Connection;
using sqlite::Stmt;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS unum_checkpoints(
  id INTEGER PRIMARY KEY,
  session BLOB NOT NULL,
  name BLOB NOT NULL,
  value BLOB NOT NULL,
  expires INTEGER,
  lives_until INTEGER,
  UNIQUE (session, name));
CREATE INDEX IF NOT EXISTS unum_checkpoints_expires
  ON unum_checkpoints(expires) WHERE expires IS NOT NULL;
CREATE TABLE IF NOT EXISTS unum_sets(
  session BLOB NOT NULL,
  name BLOB NOT NULL,
  size INTEGER NOT NULL,
  expires INTEGER,
  PRIMARY KEY (session, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS unum_sets_expires
  ON unum_sets(expires) WHERE expires IS NOT NULL;
CREATE TABLE IF NOT EXISTS unum_set_members(
  session BLOB NOT NULL,
  name BLOB NOT NULL,
  member BLOB NOT NULL,
  PRIMARY KEY (session, name, member)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unum_session_records(
  id INTEGER PRIMARY KEY,
  session BLOB NOT NULL UNIQUE,
  value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS unum_trace_events(
  session BLOB NOT NULL,
  id BLOB NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (session, id)) WITHOUT ROWID;
)sql";

// Every statement is a static string: the connection's statement cache is
// keyed by its address.
// `expires` is a tombstone's expiry (NULL: a live checkpoint);
// `lives_until` a live checkpoint's own expiry (expiry-based GC; NULL:
// until deleted). Databases made before that column get it on open.
constexpr char kAddLivesUntil[] =
    "ALTER TABLE unum_checkpoints ADD COLUMN lives_until INTEGER";
constexpr char kHasLivesUntil[] =
    "SELECT 1 FROM pragma_table_info('unum_checkpoints') "
    "WHERE name = 'lives_until'";
constexpr char kLivesUntilIndex[] =
    "CREATE INDEX IF NOT EXISTS unum_checkpoints_lives_until "
    "ON unum_checkpoints(lives_until) WHERE lives_until IS NOT NULL";
constexpr char kGetCheckpoint[] =
    "SELECT CASE WHEN expires IS NULL THEN value END, expires, lives_until "
    "FROM unum_checkpoints WHERE session = ?1 AND name = ?2";
// Wins over an absent key, an expired tombstone or an expired checkpoint;
// loses to the rest.
constexpr char kPutCheckpoint[] =
    "INSERT INTO unum_checkpoints(session, name, value, expires, lives_until) "
    "VALUES (?1, ?2, ?3, NULL, ?5) "
    "ON CONFLICT(session, name) DO UPDATE SET value = excluded.value, "
    "expires = NULL, lives_until = excluded.lives_until "
    "WHERE (unum_checkpoints.expires IS NOT NULL "
    "AND unum_checkpoints.expires <= ?4) "
    "OR (unum_checkpoints.expires IS NULL "
    "AND unum_checkpoints.lives_until IS NOT NULL "
    "AND unum_checkpoints.lives_until <= ?4)";
// Keeps the later expiry when the key is a tombstone already.
constexpr char kDeleteCheckpoint[] =
    "INSERT INTO unum_checkpoints(session, name, value, expires) "
    "VALUES (?1, ?2, x'', ?3) "
    "ON CONFLICT(session, name) DO UPDATE SET value = x'', "
    "expires = excluded.expires, lives_until = NULL "
    "WHERE unum_checkpoints.expires IS NULL "
    "OR unum_checkpoints.expires < excluded.expires";
constexpr char kGetSet[] =
    "SELECT size, expires FROM unum_sets WHERE session = ?1 AND name = ?2";
constexpr char kOpenSet[] =
    "INSERT INTO unum_sets(session, name, size, expires) "
    "VALUES (?1, ?2, 0, NULL) "
    "ON CONFLICT(session, name) DO UPDATE SET size = 0, expires = NULL";
constexpr char kAddMember[] =
    "INSERT OR IGNORE INTO unum_set_members(session, name, member) "
    "VALUES (?1, ?2, ?3)";
constexpr char kBumpSet[] =
    "UPDATE unum_sets SET size = size + 1 WHERE session = ?1 AND name = ?2";
constexpr char kDeleteMembers[] =
    "DELETE FROM unum_set_members WHERE session = ?1 AND name = ?2";
constexpr char kCloseSet[] =
    "INSERT INTO unum_sets(session, name, size, expires) "
    "VALUES (?1, ?2, 0, ?3) "
    "ON CONFLICT(session, name) DO UPDATE SET size = 0, "
    "expires = excluded.expires "
    "WHERE unum_sets.expires IS NULL OR unum_sets.expires < excluded.expires";
constexpr char kPutRecord[] =
    "INSERT OR IGNORE INTO unum_session_records(session, value) "
    "VALUES (?1, ?2)";
constexpr char kGetRecord[] =
    "SELECT value FROM unum_session_records WHERE session = ?1";
constexpr char kListCheckpoints[] =
    "SELECT name, expires, lives_until FROM unum_checkpoints "
    "WHERE session = ?1 AND (expires IS NULL OR expires > ?2) "
    "AND (lives_until IS NULL OR lives_until > ?2)";
constexpr char kListSets[] =
    "SELECT name, expires FROM unum_sets WHERE session = ?1 "
    "AND (expires IS NULL OR expires > ?2)";
constexpr char kHasRecord[] =
    "SELECT 1 FROM unum_session_records WHERE session = ?1";
constexpr char kPutTraceEvent[] =
    "INSERT OR REPLACE INTO unum_trace_events(session, id, value) "
    "VALUES (?1, ?2, ?3)";
constexpr char kGetTraceEvents[] =
    "SELECT value FROM unum_trace_events WHERE session = ?1 ORDER BY id";
constexpr char kListSessions[] =
    "SELECT session FROM unum_session_records UNION "
    "SELECT DISTINCT session FROM unum_trace_events ORDER BY 1";
constexpr char kPurgeCheckpoints[] =
    "DELETE FROM unum_checkpoints WHERE id IN (SELECT id FROM "
    "unum_checkpoints WHERE (expires IS NOT NULL AND expires <= ?1) "
    "OR (lives_until IS NOT NULL AND lives_until <= ?1) LIMIT ?2)";
constexpr char kPurgeSets[] =
    "DELETE FROM unum_sets WHERE (session, name) IN (SELECT session, name "
    "FROM unum_sets WHERE expires IS NOT NULL AND expires <= ?1 LIMIT ?2)";

constexpr int64_t kPurgeBatch = 1000;

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid sqlite datastore URL '" + url +
                                 "': " + why);
}

// Milliseconds from now until now + ttl, saturating.
int64_t ExpiryMs(int64_t now_ms, std::chrono::seconds ttl) {
  const int64_t ttl_ms =
      ttl.count() > std::numeric_limits<int64_t>::max() / 2000
          ? std::numeric_limits<int64_t>::max() / 2
          : std::max<int64_t>(ttl.count(), 0) * 1000;
  return now_ms > std::numeric_limits<int64_t>::max() - ttl_ms
             ? std::numeric_limits<int64_t>::max()
             : now_ms + ttl_ms;
}

// Reads one checkpoint row on `conn` into a Lookup.
Result<Lookup> ReadCheckpoint(Connection& conn, const std::string& session,
                              const std::string& instance, int64_t now_ms) {
  UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kGetCheckpoint));
  stmt->BindBlob(1, session).BindBlob(2, instance);
  UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
  Lookup lookup;
  if (!row) return lookup;
  if (stmt->IsNull(1)) {
    // A live checkpoint, unless its own expiry passed.
    if (!stmt->IsNull(2) && stmt->Int(2) <= now_ms) return lookup;
    lookup.state = Lookup::State::kPresent;
    lookup.value = stmt->Blob(0);
  } else if (stmt->Int(1) > now_ms) {
    lookup.state = Lookup::State::kTombstone;
  }  // else: an expired tombstone reads as absent
  return lookup;
}

}  // namespace

Result<SqliteDatastoreOptions> ParseSqliteDatastoreUrl(const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(sqlite::ParsedUrl parsed,
                        sqlite::ParseUrl(url, {"sqlite"}));
  SqliteDatastoreOptions options;
  UNUM_ASSIGN_OR_RETURN(auto rest,
                        sqlite::TakeDbOptions(url, parsed, &options.db));
  if (!rest.empty()) {
    return BadUrl(url, "unknown option '" + rest.front().first +
                           "' (known: busy_timeout_ms, synchronous)");
  }
  return options;
}

Result<std::unique_ptr<SqliteDatastore>> SqliteDatastore::Open(
    SqliteDatastoreOptions options) {
  UNUM_ASSIGN_OR_RETURN(std::shared_ptr<sqlite::SqliteDb> db,
                        sqlite::SqliteDb::Open(options.db, kSchema));
  UNUM_RETURN_IF_ERROR(db->Write([](Connection& conn) -> Status {
    UNUM_ASSIGN_OR_RETURN(auto has, conn.Prepare(kHasLivesUntil));
    UNUM_ASSIGN_OR_RETURN(bool present, has->Step());
    if (!present) UNUM_RETURN_IF_ERROR(conn.Exec(kAddLivesUntil));
    return conn.Exec(kLivesUntilIndex);
  }));
  if (!options.clock) {
    options.clock = [] { return std::chrono::system_clock::now(); };
  }
  return std::unique_ptr<SqliteDatastore>(
      new SqliteDatastore(std::move(options), std::move(db)));
}

SqliteDatastore::SqliteDatastore(SqliteDatastoreOptions options,
                                 std::shared_ptr<sqlite::SqliteDb> db)
    : options_(std::move(options)), db_(std::move(db)) {}

SqliteDatastore::~SqliteDatastore() = default;

int64_t SqliteDatastore::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock().time_since_epoch())
      .count();
}

void SqliteDatastore::MaybePurge(int64_t now_ms) {
  int64_t due = next_purge_ms_.load();
  if (now_ms < due) return;
  // One caller per interval does the purge.
  const int64_t next = now_ms + options_.purge_interval.count();
  if (!next_purge_ms_.compare_exchange_strong(due, next)) return;
  (void)PurgeExpired(kPurgeBatch);
}

Result<int64_t> SqliteDatastore::PurgeExpired(int64_t limit) {
  const int64_t now = NowMs();
  return db_->Write([&](Connection& conn) -> Result<int64_t> {
    UNUM_ASSIGN_OR_RETURN(auto cps, conn.Prepare(kPurgeCheckpoints));
    cps->BindInt(1, now).BindInt(2, limit);
    UNUM_ASSIGN_OR_RETURN(int64_t n, cps->Run());
    UNUM_ASSIGN_OR_RETURN(auto sets, conn.Prepare(kPurgeSets));
    sets->BindInt(1, now).BindInt(2, limit);
    UNUM_ASSIGN_OR_RETURN(int64_t m, sets->Run());
    return n + m;
  });
}

Result<Lookup> SqliteDatastore::GetCheckpoint(const std::string& session,
                                              const std::string& instance) {
  const int64_t now = NowMs();
  return db_->Read([&](Connection& conn) {
    return ReadCheckpoint(conn, session, instance, now);
  });
}

Result<PutOutcome> SqliteDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  const int64_t now = NowMs();
  MaybePurge(now);
  // One write transaction: a lost insert reads what it lost to.
  return db_->Write([&](Connection& conn) -> Result<PutOutcome> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kPutCheckpoint));
    stmt->BindBlob(1, session).BindBlob(2, instance).BindBlob(3, value);
    stmt->BindInt(4, now);
    if (expire_after.count() > 0) {
      stmt->BindInt(5, now + expire_after.count() * 1000);
    } else {
      stmt->BindNull(5);
    }
    UNUM_ASSIGN_OR_RETURN(int64_t changed, stmt->Run());
    if (changed == 1) return PutOutcome{.won = true};
    UNUM_ASSIGN_OR_RETURN(Lookup existing,
                          ReadCheckpoint(conn, session, instance, now));
    return PutOutcome{.won = false, .existing = std::move(existing)};
  });
}

Result<std::vector<Lookup>> SqliteDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  const int64_t now = NowMs();
  if (instances.empty()) return std::vector<Lookup>{};
  // One read transaction: every lookup sees the same snapshot.
  return db_->Read([&](Connection& conn) -> Result<std::vector<Lookup>> {
    std::vector<Lookup> lookups;
    lookups.reserve(instances.size());
    for (const std::string& instance : instances) {
      UNUM_ASSIGN_OR_RETURN(Lookup l,
                            ReadCheckpoint(conn, session, instance, now));
      lookups.push_back(std::move(l));
    }
    return lookups;
  });
}

Result<SetAddResult> SqliteDatastore::AddToSet(const std::string& session,
                                               const std::string& set,
                                               const std::string& member) {
  const int64_t now = NowMs();
  MaybePurge(now);
  return db_->Write([&](Connection& conn) -> Result<SetAddResult> {
    UNUM_ASSIGN_OR_RETURN(auto get, conn.Prepare(kGetSet));
    get->BindBlob(1, session).BindBlob(2, set);
    UNUM_ASSIGN_OR_RETURN(bool exists, get->Step());
    int64_t size = 0;
    bool open = false;
    if (exists) {
      if (!get->IsNull(1)) {
        // A live tombstone keeps the set closed; an expired one is gone
        // (its members were deleted with it) and the set starts afresh.
        if (get->Int(1) > now) return SetAddResult{.size = 0, .closed = true};
      } else {
        open = true;
        size = get->Int(0);
      }
    }
    get.reset();
    if (!open) {
      UNUM_ASSIGN_OR_RETURN(auto create, conn.Prepare(kOpenSet));
      create->BindBlob(1, session).BindBlob(2, set);
      UNUM_RETURN_IF_ERROR(create->Run().status());
      size = 0;
    }
    UNUM_ASSIGN_OR_RETURN(auto add, conn.Prepare(kAddMember));
    add->BindBlob(1, session).BindBlob(2, set).BindBlob(3, member);
    UNUM_ASSIGN_OR_RETURN(int64_t added, add->Run());
    if (added == 1) {
      UNUM_ASSIGN_OR_RETURN(auto bump, conn.Prepare(kBumpSet));
      bump->BindBlob(1, session).BindBlob(2, set);
      UNUM_RETURN_IF_ERROR(bump->Run().status());
      ++size;
    }
    return SetAddResult{.size = size, .closed = false};
  });
}

Status SqliteDatastore::DeleteCheckpoint(const std::string& session,
                                         const std::string& instance,
                                         std::chrono::seconds ttl) {
  return DeleteCheckpoints(session, {instance}, ttl);
}

Status SqliteDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  const int64_t now = NowMs();
  MaybePurge(now);
  const int64_t expires = ExpiryMs(now, ttl);
  // One write transaction for all of them.
  return db_->Write([&](Connection& conn) -> Status {
    for (const std::string& instance : instances) {
      UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kDeleteCheckpoint));
      stmt->BindBlob(1, session).BindBlob(2, instance).BindInt(3, expires);
      UNUM_RETURN_IF_ERROR(stmt->Run().status());
    }
    return Status::Ok();
  });
}

Status SqliteDatastore::DeleteSet(const std::string& session,
                                  const std::string& set,
                                  std::chrono::seconds ttl) {
  const int64_t now = NowMs();
  MaybePurge(now);
  const int64_t expires = ExpiryMs(now, ttl);
  return db_->Write([&](Connection& conn) -> Status {
    UNUM_ASSIGN_OR_RETURN(auto members, conn.Prepare(kDeleteMembers));
    members->BindBlob(1, session).BindBlob(2, set);
    UNUM_RETURN_IF_ERROR(members->Run().status());
    UNUM_ASSIGN_OR_RETURN(auto close, conn.Prepare(kCloseSet));
    close->BindBlob(1, session).BindBlob(2, set).BindInt(3, expires);
    return close->Run().status();
  });
}

Result<bool> SqliteDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  return db_->Write([&](Connection& conn) -> Result<bool> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kPutRecord));
    stmt->BindBlob(1, session).BindBlob(2, value);
    UNUM_ASSIGN_OR_RETURN(int64_t changed, stmt->Run());
    return changed == 1;
  });
}

Result<Lookup> SqliteDatastore::GetSessionRecord(const std::string& session) {
  return db_->Read([&](Connection& conn) -> Result<Lookup> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kGetRecord));
    stmt->BindBlob(1, session);
    UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
    Lookup lookup;
    if (row) {
      lookup.state = Lookup::State::kPresent;
      lookup.value = stmt->Blob(0);
    }
    return lookup;
  });
}

Result<std::vector<KeyInfo>> SqliteDatastore::ListKeys(
    const std::string& session) {
  const int64_t now = NowMs();
  auto keys = db_->Read([&](Connection& conn) -> Result<std::vector<KeyInfo>> {
    std::vector<KeyInfo> keys;
    UNUM_ASSIGN_OR_RETURN(auto cps, conn.Prepare(kListCheckpoints));
    cps->BindBlob(1, session).BindInt(2, now);
    while (true) {
      UNUM_ASSIGN_OR_RETURN(bool row, cps->Step());
      if (!row) break;
      keys.push_back(KeyInfo{.kind = KeyInfo::Kind::kCheckpoint,
                             .name = cps->Blob(0),
                             .tombstone = !cps->IsNull(1),
                             .expires = cps->IsNull(1) && !cps->IsNull(2)});
    }
    UNUM_ASSIGN_OR_RETURN(auto sets, conn.Prepare(kListSets));
    sets->BindBlob(1, session).BindInt(2, now);
    while (true) {
      UNUM_ASSIGN_OR_RETURN(bool row, sets->Step());
      if (!row) break;
      keys.push_back(KeyInfo{.kind = KeyInfo::Kind::kSet,
                             .name = sets->Blob(0),
                             .tombstone = !sets->IsNull(1)});
    }
    UNUM_ASSIGN_OR_RETURN(auto record, conn.Prepare(kHasRecord));
    record->BindBlob(1, session);
    UNUM_ASSIGN_OR_RETURN(bool has_record, record->Step());
    if (has_record) {
      keys.push_back(KeyInfo{.kind = KeyInfo::Kind::kSessionRecord,
                             .name = "",
                             .tombstone = false});
    }
    return keys;
  });
  if (!keys.ok()) return keys;
  std::sort(keys->begin(), keys->end(), [](const KeyInfo& a, const KeyInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return keys;
}

Status SqliteDatastore::PutTraceEvent(const std::string& session,
                                      const std::string& id,
                                      const std::string& value) {
  return db_->Write([&](Connection& conn) -> Status {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kPutTraceEvent));
    stmt->BindBlob(1, session).BindBlob(2, id).BindBlob(3, value);
    return stmt->Run().status();
  });
}

Result<std::vector<std::string>> SqliteDatastore::GetTraceEvents(
    const std::string& session) {
  return db_->Read([&](Connection& conn) -> Result<std::vector<std::string>> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kGetTraceEvents));
    stmt->BindBlob(1, session);
    std::vector<std::string> events;
    while (true) {
      UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      events.push_back(stmt->Blob(0));
    }
    return events;
  });
}

Result<std::vector<std::string>> SqliteDatastore::ListSessions() {
  return db_->Read([&](Connection& conn) -> Result<std::vector<std::string>> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kListSessions));
    std::vector<std::string> sessions;
    while (true) {
      UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      sessions.push_back(stmt->Blob(0));
    }
    return sessions;
  });
}

}  // namespace unum
