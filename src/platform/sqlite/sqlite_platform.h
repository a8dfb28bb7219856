// SqlitePlatform: the durable local platform behind "sqlite:///path/db"
// (alias "sqlite-outbox:///path/db"; see docs/backends.md, "SQLite").
//
// Pending invocations live in an outbox table of a SQLite database (the
// same file as the sqlite:// datastore, normally), so they survive a crash
// of the process: `unum resume` starts a new SqlitePlatform on the file and
// the work goes on. Invoke and InvokeAfter insert a row; worker threads
// claim rows, run the handler, and delete the row on success, or on
// failure reschedule it with attempt+1 after retry_backoff * 2^(attempt-1);
// after max_attempts failures the exhausted callback runs and the row
// moves to unum_outbox_dead.
//
//   unum_outbox(id, session, function, payload, attempt, ready_at, owner,
//               claims, created, last_error)
//
// A row is claimable when ready_at <= now (ms since the Unix epoch).
// Claiming sets owner and moves ready_at to now + lease (a visibility
// timeout); the owner renews the lease of its running rows every lease/3.
// So a crashed owner's rows become claimable again when the lease runs
// out, and sooner on the same machine: an owner is a process (boot id, pid,
// start time), and every platform checks, at Start and then about every
// second, whether the owners of claimed rows still run, releasing the rows
// of those that do not. Delivery is at-least-once, which the Unum runtime
// turns into exactly one committed output per instance.
//
// Scope: a platform claims only rows of the sessions it serves: those of
// every Invoke it made (so `unum run` serves the session it started) plus
// the `session` URL option (what `unum resume` passes). Other sessions in
// the same file, perhaps of other apps, are left alone.
//
// An Invoke made by a handler running on this platform is buffered and
// inserted in the transaction that deletes the handler's own row (a
// transactional outbox): a crash before that commit loses neither, the
// delivery simply runs again, and a delivery costs one write transaction
// however many invocations it makes.
//
// Thread-safety: as HostedPlatform. Invoke may be called from handlers;
// it works after Stop too (the row waits for a later run or resume).
#ifndef UNUM_PLATFORM_SQLITE_SQLITE_PLATFORM_H_
#define UNUM_PLATFORM_SQLITE_SQLITE_PLATFORM_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "datastore/sqlite/sqlite_db.h"
#include "platform/hosted_platform.h"
#include "unum/platform.h"
#include "unum/status.h"

namespace unum {

struct SqlitePlatformOptions {
  sqlite::DbOptions db;
  int workers = 0;       // 0 = std::thread::hardware_concurrency()
  int max_attempts = 3;  // first try + 2 retries, as Lambda async
  std::chrono::milliseconds retry_backoff{10};  // doubled per attempt
  // How long a claim lasts without renewal (the visibility timeout).
  std::chrono::milliseconds lease{30000};
  // How often idle workers look for rows other processes added or
  // released, and WaitUntil re-checks its condition.
  std::chrono::milliseconds poll{20};
  // Sessions served from the start (besides those Invoke adds).
  std::vector<std::string> sessions;
};

// Parses "sqlite:///path/db?workers=N&max_attempts=M&retry_backoff_ms=B&
// lease_ms=L&poll_ms=P&session=S&busy_timeout_ms=T&synchronous=normal"
// (scheme "sqlite" or "sqlite-outbox"). Errors are kInvalidArgument naming
// the URL and the bad option.
Result<SqlitePlatformOptions> ParseSqlitePlatformUrl(const std::string& url);

class SqlitePlatform : public HostedPlatform {
 public:
  using Stats = PlatformStats;

  // Opens the database (creating the outbox tables). Invalid numbers are
  // clamped as in InprocPlatform.
  static Result<std::unique_ptr<SqlitePlatform>> Open(
      SqlitePlatformOptions options);
  ~SqlitePlatform() override;  // Stop()s

  SqlitePlatform(const SqlitePlatform&) = delete;
  SqlitePlatform& operator=(const SqlitePlatform&) = delete;

  // Releases rows of dead owners, then starts the workers and the lease
  // keeper. Calling it again, or after Stop, does nothing.
  void Start(InvocationHandler handler) override;

  // Stops claiming, waits for running handlers, stops the threads. Rows
  // not yet run stay in the outbox. Idempotent.
  void Stop() override;

  // Inserts a row (durable when this returns) and serves the payload's
  // Session from now on. Errors: kInvalidArgument when the payload cannot
  // be serialized, the database's otherwise (kUnavailable when busy).
  Status Invoke(const std::string& function,
                nlohmann::json payload) override;
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override;

  int MaxAttempts() const override;

  // As InprocPlatform::WaitUntil; idle means no outbox row of a served
  // session is left (rows claimed by other live processes count as work).
  Status WaitUntil(const std::function<bool()>& done,
                   std::chrono::milliseconds timeout) override;

  // Local counters; queued, delayed and running come from the outbox
  // (served sessions; running = claimed by any process).
  Stats stats() const override;

  void SetExhaustedCallback(
      std::function<void(const Invocation&, const Status&)> cb) override;

  // This process's owner id as stored in claimed rows.
  const std::string& owner() const { return owner_; }

  // Releases rows claimed by owners that no longer run on this machine;
  // returns how many rows it released. (Start does this; exposed for
  // tests and tooling.)
  Result<int64_t> ReleaseDeadOwners();

 private:
  using Clock = std::chrono::steady_clock;

  // A row to insert into the outbox.
  struct PendingRow {
    std::string session;
    std::string function;
    std::string payload;  // JSON text
    int64_t ready_at = 0;
    int64_t created = 0;
  };

  struct Claimed {
    int64_t id = 0;
    Invocation invocation;
    // Invocations its handler made: inserted in the same transaction that
    // settles this row, so the row is never gone without its children.
    std::vector<PendingRow> invoked;
  };

  // How a delivery ends.
  enum class Settlement { kDone, kRetry, kBury };

  // The delivery this thread's handler runs, whose Invokes are buffered.
  struct CurrentDelivery {
    const SqlitePlatform* platform = nullptr;
    std::vector<PendingRow>* rows = nullptr;
  };
  static thread_local CurrentDelivery t_current;

  static Status InsertRow(sqlite::Connection& conn, const PendingRow& row);

  struct Counts {
    int64_t ready = 0;                     // claimable now
    int64_t delayed = 0;                   // waiting for ready_at, unclaimed
    int64_t claimed = 0;                   // leased by some worker
    std::optional<int64_t> next_ready_ms;  // earliest ready_at, if any
  };

  SqlitePlatform(SqlitePlatformOptions options,
                 std::shared_ptr<sqlite::SqliteDb> db);

  Status Insert(std::chrono::milliseconds delay, const std::string& function,
                const nlohmann::json& payload);
  // The served sessions as a JSON array (bound to the SQL).
  std::string ScopeJson() const;
  // The same, or the only session when there is one (`single`).
  struct Scope {
    bool single = false;
    std::string text;
  };
  Scope CurrentScope() const;
  // Claims the next ready row of the served sessions, if any.
  Result<std::optional<Claimed>> ClaimOne();
  Result<std::optional<Claimed>> ClaimIn(sqlite::Connection& conn,
                                         const Scope& scope, int64_t now);
  Result<Counts> CountRows() const;
  // Deletes, reschedules (attempt+1 after `backoff`) or buries the row,
  // inserts the rows its handler invoked and, when `claim_next`, claims
  // the worker's next row, in one transaction. Returns that next row.
  std::optional<Claimed> Settle(const Claimed& claimed, Settlement how,
                                const Status& status,
                                std::chrono::milliseconds backoff,
                                bool claim_next);
  // Hands a claimed row back (claimable now).
  void Unclaim(const Claimed& claimed);
  Status RunHandler(const Invocation& invocation);
  void WorkerLoop();
  void KeeperLoop();
  Status RenewLeases();

  const SqlitePlatformOptions options_;
  const std::shared_ptr<sqlite::SqliteDb> db_;
  const std::string owner_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;      // workers: new work or stop
  std::condition_variable finished_cv_;  // WaitUntil: a delivery finished
  std::condition_variable keeper_cv_;    // keeper: stop
  std::set<std::string> sessions_;       // served sessions
  std::set<int64_t> running_ids_;        // rows in a handler here
  std::string scope_json_;               // sessions_ as a JSON array
  uint64_t generation_ = 0;              // bumped per finished delivery
  uint64_t wakeups_ = 0;                 // bumped per local Invoke
  bool started_ = false;
  bool stopping_ = false;
  InvocationHandler handler_;
  std::function<void(const Invocation&, const Status&)> exhausted_cb_;
  Stats stats_;
  std::vector<std::thread> workers_;
  std::thread keeper_;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_SQLITE_SQLITE_PLATFORM_H_
