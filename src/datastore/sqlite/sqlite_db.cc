// SqliteDb: see sqlite_db.h.
#include "datastore/sqlite/sqlite_db.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "common/url_options.h"

namespace unum::sqlite {
namespace {

// Idle connections kept per SqliteDb; more are closed when returned.
constexpr size_t kMaxIdleConnections = 64;

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid sqlite URL '" + url + "': " + why);
}

// One mutex per database file (by device and inode) for this process.
std::shared_ptr<std::mutex> WriteMutexFor(const std::string& path) {
  static std::mutex registry_mu;
  static auto* registry =
      new std::map<std::pair<dev_t, ino_t>, std::weak_ptr<std::mutex>>();
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    // Cannot identify the file: writers of this SqliteDb still serialize
    // among themselves, and SQLite's own locking keeps correctness.
    return std::make_shared<std::mutex>();
  }
  std::lock_guard<std::mutex> lock(registry_mu);
  // Drop entries whose files are no longer open anywhere in the process.
  for (auto it = registry->begin(); it != registry->end();) {
    it = it->second.expired() ? registry->erase(it) : std::next(it);
  }
  std::weak_ptr<std::mutex>& slot = (*registry)[{st.st_dev, st.st_ino}];
  std::shared_ptr<std::mutex> mu = slot.lock();
  if (!mu) {
    mu = std::make_shared<std::mutex>();
    slot = mu;
  }
  return mu;
}

}  // namespace

Result<ParsedUrl> ParseUrl(const std::string& url,
                           const std::vector<std::string_view>& schemes) {
  std::string expected;
  for (std::string_view s : schemes) {
    if (!expected.empty()) expected += " or ";
    expected += std::string(s) + ":///path";
  }
  const size_t colon = url.find(':');
  if (colon == std::string::npos) return BadUrl(url, "expected " + expected);
  ParsedUrl parsed;
  parsed.scheme = url.substr(0, colon);
  if (std::find(schemes.begin(), schemes.end(), parsed.scheme) ==
      schemes.end()) {
    return BadUrl(url, "expected " + expected);
  }
  std::string_view rest = std::string_view(url).substr(colon + 1);
  if (rest.starts_with("//")) rest.remove_prefix(2);
  const size_t question = rest.find('?');
  const std::string_view path = rest.substr(0, question);
  if (!PercentDecode(path, &parsed.path)) {
    return BadUrl(url, "malformed %-escape in the path");
  }
  if (parsed.path.empty()) {
    return BadUrl(url, "no database path (expected " + expected + ")");
  }
  if (parsed.path == ":memory:" || parsed.path.starts_with("file:")) {
    return BadUrl(url,
                  "in-memory and file: URI databases are not supported "
                  "(each connection would see its own database); use "
                  "memory:// for a non-durable store");
  }
  if (question == std::string_view::npos) return parsed;
  auto options = ParseUrlOptions(rest.substr(question + 1));
  if (!options.ok()) return BadUrl(url, options.status().message());
  parsed.options = std::move(options).value();
  return parsed;
}

Result<std::vector<std::pair<std::string, std::string>>> TakeDbOptions(
    const std::string& url, const ParsedUrl& parsed, DbOptions* options) {
  options->path = parsed.path;
  std::vector<std::pair<std::string, std::string>> rest;
  for (const auto& [name, value] : parsed.options) {
    if (name == "busy_timeout_ms") {
      int64_t ms = 0;
      if (!ParseInt(value, 0, int64_t{3600} * 1000, &ms)) {
        return BadUrl(url,
                      "option 'busy_timeout_ms' must be an integer in "
                      "[0, 3600000], got '" +
                          value + "'");
      }
      options->busy_timeout = std::chrono::milliseconds(ms);
    } else if (name == "synchronous") {
      if (value == "off") {
        options->synchronous = Synchronous::kOff;
      } else if (value == "normal") {
        options->synchronous = Synchronous::kNormal;
      } else if (value == "full") {
        options->synchronous = Synchronous::kFull;
      } else {
        return BadUrl(url,
                      "option 'synchronous' must be off, normal or "
                      "full, got '" +
                          value + "'");
      }
    } else {
      rest.emplace_back(name, value);
    }
  }
  return rest;
}

Status FromSqlite(int rc, sqlite3* db, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errcode(db) == rc) {
    const std::string detail = sqlite3_errmsg(db);
    if (detail != sqlite3_errstr(rc)) message += " (" + detail + ")";
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
    case SQLITE_CANTOPEN:
      return Status::Unavailable(std::move(message));
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return Status(StatusCode::kResourceExhausted, std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::DataLoss(std::move(message));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Status(StatusCode::kPermissionDenied, std::move(message));
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Internal(std::move(message));
  }
}

namespace internal {

void BusyBackoff(int attempt) {
  std::this_thread::sleep_for(
      std::chrono::microseconds(std::min(5000, 50 << std::min(attempt, 7))));
}

bool IsBusy(sqlite3* db) {
  const int rc = sqlite3_errcode(db) & 0xff;
  return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

}  // namespace internal

// ---- Stmt ----

Stmt::~Stmt() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  // A null pointer would bind SQL NULL; an empty value is a 0-byte BLOB.
  const char* data = bytes.data() != nullptr ? bytes.data() : "";
  sqlite3_bind_blob64(stmt_, i, data, bytes.size(), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::BindText(int i, std::string_view text) {
  const char* data = text.data() != nullptr ? text.data() : "";
  sqlite3_bind_text64(stmt_, i, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindInt(int i, int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return FromSqlite(rc, db_, "sqlite");
}

Result<int64_t> Stmt::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
  }
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Stmt::Blob(int col) const {
  const void* data = sqlite3_column_blob(stmt_, col);
  const int size = sqlite3_column_bytes(stmt_, col);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(static_cast<const char*>(data), size);
}

// ---- Connection ----

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

int Connection::BusyHandler(void* self, int count) {
  auto* conn = static_cast<Connection*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) conn->busy_since_ = now;
  if (now - conn->busy_since_ >= conn->busy_timeout_) return 0;
  // Another process holds the write lock, usually for well under a
  // millisecond: poll often at first, then back off to 2 ms.
  std::this_thread::sleep_for(
      std::chrono::microseconds(std::min(2000, 20 << std::min(count, 7))));
  return 1;
}

Result<std::unique_ptr<Connection>> Connection::Open(const DbOptions& options,
                                                     bool first) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      options.path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    Status s = FromSqlite(rc, db,
                          "cannot open sqlite database '" + options.path + "'");
    sqlite3_close_v2(db);
    if (!first) return s;
    return Status::InvalidArgument(s.message());
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  conn->busy_timeout_ = options.busy_timeout;
  sqlite3_busy_handler(db, &Connection::BusyHandler, conn.get());

  // WAL is persistent in the file; switching needs a moment without other
  // writers, so a busy answer is retried like any other.
  const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
  for (int attempt = 0;; ++attempt) {
    auto stmt = conn->Prepare("PRAGMA journal_mode=WAL");
    Status s = stmt.ok() ? Status::Ok() : stmt.status();
    std::string mode;
    if (s.ok()) {
      Result<bool> row = (*stmt)->Step();
      if (!row.ok()) {
        s = row.status();
      } else if (*row) {
        mode = (*stmt)->Blob(0);
      }
    }
    if (s.ok()) {
      if (mode != "wal") {
        return Status::FailedPrecondition("sqlite database '" + options.path +
                                          "' cannot use WAL mode (journal "
                                          "mode is '" +
                                          mode + "')");
      }
      break;
    }
    if (s.code() == StatusCode::kDataLoss) {
      return Status::InvalidArgument(
          "'" + options.path +
          "' is not a usable sqlite database: " + s.message());
    }
    if (!internal::IsBusy(db) || std::chrono::steady_clock::now() >= deadline) {
      return s.WithContext("sqlite database '" + options.path + "'");
    }
    internal::BusyBackoff(attempt);
  }
  const char* sync = options.synchronous == Synchronous::kOff    ? "OFF"
                     : options.synchronous == Synchronous::kFull ? "FULL"
                                                                 : "NORMAL";
  UNUM_RETURN_IF_ERROR(conn->Exec(std::string("PRAGMA synchronous=") + sync));
  // Read database pages through a shared mapping instead of copying them
  // into every connection's cache.
  UNUM_RETURN_IF_ERROR(conn->Exec("PRAGMA mmap_size=268435456"));
  return conn;
}

Result<std::unique_ptr<Stmt>> Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return FromSqlite(rc, db_, std::string("sqlite prepare '") + sql + "'");
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return std::make_unique<Stmt>(it->second, db_);
}

Status Connection::Exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return FromSqlite(rc, db_, "sqlite exec");
  return Status::Ok();
}

// ---- SqliteDb ----

Result<std::shared_ptr<SqliteDb>> SqliteDb::Open(DbOptions options,
                                                 std::string_view schema) {
  // Pooled connections open later, maybe after a chdir: fix the path now.
  std::error_code ec;
  const std::filesystem::path absolute =
      std::filesystem::absolute(options.path, ec);
  if (!ec) options.path = absolute.string();
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                        Connection::Open(options, /*first=*/true));
  std::shared_ptr<SqliteDb> db(
      new SqliteDb(options, WriteMutexFor(options.path)));
  db->Release(std::move(conn));
  const std::string text(schema);
  Status s = db->Write([&](Connection& c) { return c.Exec(text); });
  if (!s.ok()) {
    return s.WithContext("cannot set up sqlite database '" + options.path +
                         "'");
  }
  return db;
}

SqliteDb::~SqliteDb() = default;

Result<std::unique_ptr<Connection>> SqliteDb::Acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      std::unique_ptr<Connection> conn = std::move(pool_.back());
      pool_.pop_back();
      return conn;
    }
  }
  return Connection::Open(options_);
}

void SqliteDb::Release(std::unique_ptr<Connection> conn) {
  // A connection stuck in a transaction (a failed ROLLBACK) is not reused.
  if (!sqlite3_get_autocommit(conn->raw())) return;
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_.size() < kMaxIdleConnections) pool_.push_back(std::move(conn));
}

Status SqliteDb::Begin(Connection& conn, bool write) {
  UNUM_ASSIGN_OR_RETURN(auto stmt,
                        conn.Prepare(write ? "BEGIN IMMEDIATE" : "BEGIN"));
  return stmt->Run().status();
}

Status SqliteDb::Commit(Connection& conn) {
  UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare("COMMIT"));
  return stmt->Run().status();
}

void SqliteDb::Rollback(Connection& conn) {
  if (sqlite3_get_autocommit(conn.raw())) return;  // nothing open
  auto stmt = conn.Prepare("ROLLBACK");
  if (stmt.ok()) (void)(*stmt)->Run();
}

}  // namespace unum::sqlite
