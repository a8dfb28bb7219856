// SqliteDb: the connection layer shared by the SQLite datastore
// (sqlite:///path) and the SQLite outbox platform, which keep their tables
// in the same database file.
//
// One SqliteDb is one open database file. It hands out pooled connections
// (one per thread at a time, so SQLite never needs its own mutexes), puts
// the file in WAL mode, and runs transactions:
//
//   Read(fn)   a deferred (read) transaction: a consistent snapshot that
//              never blocks and is never blocked by writers (WAL);
//   Write(fn)  a BEGIN IMMEDIATE transaction, so the write lock is taken up
//              front and two writers never deadlock upgrading a read lock.
//
// Writers inside one process queue on a process-wide mutex per file
// (shared by every SqliteDb on the same inode), so only writers in *other*
// processes ever make SQLite report SQLITE_BUSY. A busy database is retried
// (a short-sleep busy handler, then the whole transaction) until
// `busy_timeout` passes; then the call fails with kUnavailable, the code
// that tells callers to retry with backoff.
//
// Errors map to Status codes in one place (FromSqlite): BUSY/LOCKED and
// I/O errors -> kUnavailable, FULL/NOMEM -> kResourceExhausted,
// CORRUPT/NOTADB -> kDataLoss, READONLY/PERM/AUTH -> kPermissionDenied,
// CANTOPEN -> kInvalidArgument at open time, anything else kInternal.
//
// Keys and values are bound as BLOBs (binary safe, compared with memcmp).
//
// Thread-safety: Read, Write and every other method may be called from any
// thread. A Connection (and its Stmts) belongs to the one thread inside
// the Read/Write callback. Not fork-safe: a child process must open its
// own SqliteDb (SQLite connections must not cross fork()).
#ifndef UNUM_DATASTORE_SQLITE_SQLITE_DB_H_
#define UNUM_DATASTORE_SQLITE_SQLITE_DB_H_

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "unum/status.h"

namespace unum::sqlite {

// How hard SQLite syncs on commit (PRAGMA synchronous). kNormal (the
// default) survives a crash of the process at any point; kFull also
// survives power loss of the machine. kOff is for benchmarks only.
enum class Synchronous { kOff, kNormal, kFull };

struct DbOptions {
  std::string path;  // the database file; created when missing
  // How long a call waits for another process's write lock before it
  // fails with kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  Synchronous synchronous = Synchronous::kNormal;
};

// A parsed "scheme:///path?a=1&b=2" URL. `path` and option values are
// percent-decoded.
struct ParsedUrl {
  std::string scheme;
  std::string path;
  std::vector<std::pair<std::string, std::string>> options;
};

// Splits `url` whose scheme must be one of `schemes`: "sqlite:///abs/db"
// -> "/abs/db"; "sqlite://rel/db" and "sqlite:rel/db" -> "rel/db". Rejects
// an empty path and ":memory:" (each connection would get its own
// database). Errors are kInvalidArgument naming the URL.
Result<ParsedUrl> ParseUrl(const std::string& url,
                           const std::vector<std::string_view>& schemes);

// Applies the options DbOptions understands ("busy_timeout_ms",
// "synchronous" = off|normal|full) and returns the others, untouched, for
// the caller to interpret. Errors name the URL and the option.
Result<std::vector<std::pair<std::string, std::string>>> TakeDbOptions(
    const std::string& url, const ParsedUrl& parsed, DbOptions* options);

// Maps a SQLite result code to a Status ("<what>: <sqlite message>").
Status FromSqlite(int rc, sqlite3* db, std::string_view what);

// A prepared statement borrowed from a Connection's cache for one use:
// bind, step, read columns. The destructor resets it and clears its
// bindings. Bound strings must outlive the Stmt (they are not copied).
class Stmt {
 public:
  Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based, as in SQLite.
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& BindText(int i, std::string_view text);
  Stmt& BindInt(int i, int64_t value);
  Stmt& BindNull(int i);

  // Steps once: true with a row, false when done. kUnavailable when the
  // database is busy.
  Result<bool> Step();
  // Steps to completion, ignoring rows; returns sqlite3_changes().
  Result<int64_t> Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Blob(int col) const;  // works for TEXT columns as well

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
};

// One SQLite connection with a cache of prepared statements.
class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens `options.path` (creating it), sets WAL, synchronous and the busy
  // handler. A file that cannot be opened is kInvalidArgument when
  // `first` (a bad path), else as FromSqlite (kUnavailable: retry).
  static Result<std::unique_ptr<Connection>> Open(const DbOptions& options,
                                                  bool first = false);

  // Returns the cached statement for `sql`. `sql` must be a string with
  // static storage duration: it is the cache key, by address.
  Result<std::unique_ptr<Stmt>> Prepare(const char* sql);

  // Runs one or more statements that return no rows (schema, pragmas).
  Status Exec(std::string_view sql);

  sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  static int BusyHandler(void* self, int count);

  sqlite3* db_;
  std::chrono::milliseconds busy_timeout_{0};
  std::chrono::steady_clock::time_point busy_since_{};
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

class SqliteDb {
 public:
  // Opens (creating when missing) the database file and runs `schema`
  // (idempotent CREATE ... IF NOT EXISTS statements) once, in a write
  // transaction. Errors: kInvalidArgument when the file cannot be opened
  // or is not a database, others as FromSqlite.
  // A relative path is made absolute against the current directory.
  static Result<std::shared_ptr<SqliteDb>> Open(DbOptions options,
                                                std::string_view schema);
  ~SqliteDb();

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  const DbOptions& options() const { return options_; }

  // Runs `fn(Connection&)` -> Status or Result<T> in a read transaction.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return Transact(/*write=*/false, std::forward<Fn>(fn));
  }

  // Runs `fn(Connection&)` -> Status or Result<T> in a write transaction:
  // committed when fn succeeds, rolled back when it fails. The whole
  // transaction (fn included) is retried while the database is busy, so
  // fn must have no effects outside the database.
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return Transact(/*write=*/true, std::forward<Fn>(fn));
  }

 private:
  SqliteDb(DbOptions options, std::shared_ptr<std::mutex> write_mu)
      : options_(std::move(options)), write_mu_(std::move(write_mu)) {}

  // A connection from the pool, or a new one.
  Result<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);

  Status Begin(Connection& conn, bool write);
  Status Commit(Connection& conn);
  void Rollback(Connection& conn);

  template <typename Fn>
  auto Transact(bool write, Fn&& fn)
      -> decltype(fn(std::declval<Connection&>()));

  const DbOptions options_;
  // Shared by every SqliteDb open on the same file in this process.
  const std::shared_ptr<std::mutex> write_mu_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> pool_;
};

namespace internal {

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

// Sleeps a little before retrying a busy transaction.
void BusyBackoff(int attempt);

// Whether the last call on `db` failed because the database was busy or
// locked (sqlite3_errcode; read before anything else runs on `db`).
bool IsBusy(sqlite3* db);

}  // namespace internal

template <typename Fn>
auto SqliteDb::Transact(bool write, Fn&& fn)
    -> decltype(fn(std::declval<Connection&>())) {
  using Ret = decltype(fn(std::declval<Connection&>()));
  static_assert(std::is_same_v<Ret, Status> || internal::IsResult<Ret>::value,
                "fn must return Status or Result<T>");
  std::unique_lock<std::mutex> write_lock(*write_mu_, std::defer_lock);
  if (write) write_lock.lock();
  auto acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  std::unique_ptr<Connection> conn = std::move(acquired).value();
  const auto deadline =
      std::chrono::steady_clock::now() + options_.busy_timeout;
  for (int attempt = 0;; ++attempt) {
    Status status = Begin(*conn, write);
    if (status.ok()) {
      Ret ret = fn(*conn);
      status = internal::StatusOf(ret);
      if (status.ok()) status = Commit(*conn);
      if (status.ok()) {
        Release(std::move(conn));
        return ret;
      }
    }
    // Only a busy database is worth retrying here; kUnavailable from I/O
    // errors goes to the caller, whose retry policy is slower.
    const bool busy = status.IsUnavailable() && internal::IsBusy(conn->raw());
    if (!status.ok()) Rollback(*conn);
    if (!busy || std::chrono::steady_clock::now() >= deadline) {
      Release(std::move(conn));
      return status;
    }
    internal::BusyBackoff(attempt);
  }
}

}  // namespace unum::sqlite

#endif  // UNUM_DATASTORE_SQLITE_SQLITE_DB_H_
