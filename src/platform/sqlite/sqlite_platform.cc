// SqlitePlatform: see sqlite_platform.h.
#include "platform/sqlite/sqlite_platform.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <string_view>
#include <utility>

#include "common/json_text.h"
#include "common/url_options.h"
#include "platform/sqlite/process_owner.h"

namespace unum {
namespace {

using nlohmann::json;
using sqlite::Connection;

// Longest delay honoured (as InprocPlatform).
constexpr std::chrono::milliseconds kMaxDelay = std::chrono::hours(24 * 365);
// How often the lease keeper looks for rows of dead processes.
constexpr std::chrono::milliseconds kDeadOwnerCheck{1000};

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS unum_outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session TEXT NOT NULL,
  function TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  ready_at INTEGER NOT NULL,
  owner TEXT,
  claims INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  last_error TEXT);
CREATE INDEX IF NOT EXISTS unum_outbox_ready ON unum_outbox(session, ready_at);
CREATE INDEX IF NOT EXISTS unum_outbox_owner
  ON unum_outbox(owner) WHERE owner IS NOT NULL;
CREATE TABLE IF NOT EXISTS unum_outbox_dead(
  id INTEGER PRIMARY KEY,
  session TEXT NOT NULL,
  function TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  error TEXT,
  failed_at INTEGER NOT NULL);
)sql";

constexpr char kInsert[] =
    "INSERT INTO unum_outbox(session, function, payload, attempt, ready_at, "
    "created) VALUES (?1, ?2, ?3, 1, ?4, ?5)";
// Scope: ?1 (resp. ?3) is a JSON array of sessions, or in the *One
// variants the only session. The latter let SQLite walk the
// (session, ready_at) index in order instead of sorting every ready row.
constexpr char kNextReady[] =
    "SELECT min(ready_at) FROM unum_outbox "
    "WHERE session IN (SELECT value FROM json_each(?1))";
constexpr char kNextReadyOne[] =
    "SELECT min(ready_at) FROM unum_outbox WHERE session = ?1";
constexpr char kClaim[] =
    "UPDATE unum_outbox SET owner = ?1, ready_at = ?2, claims = claims + 1 "
    "WHERE id = (SELECT id FROM unum_outbox "
    "WHERE session IN (SELECT value FROM json_each(?3)) AND ready_at <= ?4 "
    "ORDER BY ready_at, id LIMIT 1) "
    "RETURNING id, function, payload, attempt";
constexpr char kClaimOne[] =
    "UPDATE unum_outbox SET owner = ?1, ready_at = ?2, claims = claims + 1 "
    "WHERE id = (SELECT id FROM unum_outbox "
    "WHERE session = ?3 AND ready_at <= ?4 "
    "ORDER BY ready_at, id LIMIT 1) "
    "RETURNING id, function, payload, attempt";
constexpr char kComplete[] = "DELETE FROM unum_outbox WHERE id = ?1";
constexpr char kReschedule[] =
    "UPDATE unum_outbox SET attempt = ?2, ready_at = ?3, owner = NULL, "
    "last_error = ?4 WHERE id = ?1 AND owner = ?5";
constexpr char kUnclaim[] =
    "UPDATE unum_outbox SET owner = NULL, ready_at = ?2 "
    "WHERE id = ?1 AND owner = ?3";
constexpr char kBury[] =
    "INSERT OR REPLACE INTO unum_outbox_dead(id, session, function, payload, "
    "attempt, error, failed_at) SELECT id, session, function, payload, ?2, "
    "?3, ?4 FROM unum_outbox WHERE id = ?1";
constexpr char kCounts[] =
    "SELECT total(owner IS NULL AND ready_at <= ?2), "
    "total(owner IS NULL AND ready_at > ?2), total(owner IS NOT NULL), "
    "min(ready_at) FROM unum_outbox "
    "WHERE session IN (SELECT value FROM json_each(?1))";
constexpr char kRenew[] =
    "UPDATE unum_outbox SET ready_at = ?2 WHERE owner = ?1 "
    "AND id IN (SELECT value FROM json_each(?3))";
constexpr char kOwners[] =
    "SELECT DISTINCT owner FROM unum_outbox "
    "WHERE owner IS NOT NULL AND owner != ?1";
constexpr char kRelease[] =
    "UPDATE unum_outbox SET owner = NULL, ready_at = ?2 WHERE owner = ?1";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// When something delayed by `delay` from `now_ms` may run. Times are whole
// milliseconds, so a delay is rounded up by one: never early.
int64_t DueMs(int64_t now_ms, std::chrono::milliseconds delay) {
  return delay.count() > 0 ? now_ms + delay.count() + 1 : now_ms;
}

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid sqlite platform URL '" + url +
                                 "': " + why);
}

SqlitePlatformOptions Clamp(SqlitePlatformOptions options) {
  options.workers = std::max(options.workers, 0);
  options.max_attempts = std::max(options.max_attempts, 1);
  options.retry_backoff = std::clamp(options.retry_backoff,
                                     std::chrono::milliseconds(0), kMaxDelay);
  options.lease =
      std::clamp(options.lease, std::chrono::milliseconds(100), kMaxDelay);
  options.poll = std::clamp(options.poll, std::chrono::milliseconds(1),
                            std::chrono::milliseconds(60000));
  return options;
}

}  // namespace

thread_local SqlitePlatform::CurrentDelivery SqlitePlatform::t_current;

Status SqlitePlatform::InsertRow(Connection& conn, const PendingRow& row) {
  UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kInsert));
  stmt->BindText(1, row.session).BindText(2, row.function);
  stmt->BindText(3, row.payload).BindInt(4, row.ready_at);
  stmt->BindInt(5, row.created);
  return stmt->Run().status();
}

Result<SqlitePlatformOptions> ParseSqlitePlatformUrl(const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(sqlite::ParsedUrl parsed,
                        sqlite::ParseUrl(url, {"sqlite", "sqlite-outbox"}));
  SqlitePlatformOptions options;
  UNUM_ASSIGN_OR_RETURN(auto rest,
                        sqlite::TakeDbOptions(url, parsed, &options.db));
  struct Option {
    std::string_view name;
    int64_t lo;
    int64_t hi;
  };
  static constexpr Option kOptions[] = {
      {"workers", 0, 4096},
      {"max_attempts", 1, 1000},
      {"retry_backoff_ms", 0, int64_t{24} * 3600 * 1000},
      {"lease_ms", 100, int64_t{24} * 3600 * 1000},
      {"poll_ms", 1, 60000},
  };
  for (const auto& [name, value] : rest) {
    if (name == "session") {
      if (value.empty()) return BadUrl(url, "option 'session' is empty");
      options.sessions.push_back(value);
      continue;
    }
    const Option* option = nullptr;
    for (const Option& o : kOptions) {
      if (o.name == name) option = &o;
    }
    if (option == nullptr) {
      return BadUrl(url, "unknown option '" + name +
                             "' (known: workers, max_attempts, "
                             "retry_backoff_ms, lease_ms, poll_ms, session, "
                             "busy_timeout_ms, synchronous)");
    }
    int64_t n = 0;
    if (!ParseInt(value, option->lo, option->hi, &n)) {
      return BadUrl(url, "option '" + name + "' must be an integer in [" +
                             std::to_string(option->lo) + ", " +
                             std::to_string(option->hi) + "], got '" + value +
                             "'");
    }
    if (name == "workers") {
      options.workers = static_cast<int>(n);
    } else if (name == "max_attempts") {
      options.max_attempts = static_cast<int>(n);
    } else if (name == "retry_backoff_ms") {
      options.retry_backoff = std::chrono::milliseconds(n);
    } else if (name == "lease_ms") {
      options.lease = std::chrono::milliseconds(n);
    } else {
      options.poll = std::chrono::milliseconds(n);
    }
  }
  return options;
}

Result<std::unique_ptr<SqlitePlatform>> SqlitePlatform::Open(
    SqlitePlatformOptions options) {
  UNUM_ASSIGN_OR_RETURN(std::shared_ptr<sqlite::SqliteDb> db,
                        sqlite::SqliteDb::Open(options.db, kSchema));
  return std::unique_ptr<SqlitePlatform>(
      new SqlitePlatform(Clamp(std::move(options)), std::move(db)));
}

SqlitePlatform::SqlitePlatform(SqlitePlatformOptions options,
                               std::shared_ptr<sqlite::SqliteDb> db)
    : options_(std::move(options)),
      db_(std::move(db)),
      owner_(sqlite_owner::MakeOwner()) {
  sessions_.insert(options_.sessions.begin(), options_.sessions.end());
  scope_json_ = json(sessions_).dump();
}

SqlitePlatform::~SqlitePlatform() {
  Stop();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.detach();  // only after a misuse
  }
  if (keeper_.joinable()) keeper_.detach();
}

void SqlitePlatform::Start(InvocationHandler handler) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ || stopping_) {
      spdlog::warn("sqlite platform: Start ignored ({})",
                   stopping_ ? "already stopped" : "already started");
      return;
    }
    started_ = true;
    handler_ = std::move(handler);
  }
  // Work a crashed run left claimed is ready at once, not after its lease.
  Result<int64_t> released = ReleaseDeadOwners();
  if (!released.ok()) {
    spdlog::warn("sqlite platform: cannot release rows of dead processes: {}",
                 released.status().ToString());
  } else if (*released > 0) {
    spdlog::info(
        "sqlite platform: took over {} invocation(s) of dead "
        "processes",
        *released);
  }
  int n = options_.workers;
  if (n == 0) n = static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  std::lock_guard<std::mutex> lock(mu_);
  workers_.reserve(n);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  keeper_ = std::thread([this] { KeeperLoop(); });
}

void SqlitePlatform::Stop() {
  std::vector<std::thread> workers;
  std::thread keeper;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    ++generation_;
    workers.swap(workers_);
    keeper.swap(keeper_);
  }
  work_cv_.notify_all();
  finished_cv_.notify_all();
  keeper_cv_.notify_all();
  const std::thread::id self = std::this_thread::get_id();
  for (std::thread& worker : workers) {
    if (worker.get_id() == self) {
      spdlog::error("sqlite platform: Stop called from a handler");
      std::lock_guard<std::mutex> lock(mu_);
      workers_.push_back(std::move(worker));
      continue;
    }
    worker.join();
  }
  if (keeper.joinable()) keeper.join();
}

Status SqlitePlatform::Invoke(const std::string& function,
                              json payload) {
  return Insert(std::chrono::milliseconds(0), function, payload);
}

Status SqlitePlatform::InvokeAfter(std::chrono::milliseconds delay,
                                   const std::string& function,
                                   json payload) {
  return Insert(delay, function, payload);
}

Status SqlitePlatform::Insert(std::chrono::milliseconds delay,
                              const std::string& function,
                              const json& payload) {
  PendingRow row;
  try {
    row.payload = ToJsonText(payload);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(
        "cannot queue '" + function +
        "': payload is not serializable: " + e.what());
  }
  if (payload.is_object()) {
    auto it = payload.find("Session");
    if (it != payload.end() && it->is_string()) {
      row.session = it->get<std::string>();
    }
  }
  row.function = function;
  delay = std::clamp(delay, std::chrono::milliseconds(0), kMaxDelay);
  row.created = NowMs();
  row.ready_at = DueMs(row.created, delay);
  {
    // Serve the session before its row exists, so no worker misses it.
    std::lock_guard<std::mutex> lock(mu_);
    if (sessions_.insert(row.session).second) {
      scope_json_ = json(sessions_).dump();
    }
  }
  if (t_current.platform == this && t_current.rows != nullptr) {
    // From a handler of ours: committed with the handler's own row.
    t_current.rows->push_back(std::move(row));
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.invocations;
    return Status::Ok();
  }
  Status s = db_->Write(
      [&](Connection& conn) -> Status { return InsertRow(conn, row); });
  if (!s.ok()) return s.WithContext("cannot queue '" + function + "'");
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.invocations;
    ++wakeups_;
  }
  work_cv_.notify_one();
  return Status::Ok();
}

int SqlitePlatform::MaxAttempts() const { return options_.max_attempts; }

std::string SqlitePlatform::ScopeJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scope_json_;
}

SqlitePlatform::Scope SqlitePlatform::CurrentScope() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (sessions_.size() == 1)
    return Scope{.single = true, .text = *sessions_.begin()};
  return Scope{.single = false, .text = scope_json_};
}

Result<SqlitePlatform::Counts> SqlitePlatform::CountRows() const {
  const std::string scope = ScopeJson();
  const int64_t now = NowMs();
  return db_->Read([&](Connection& conn) -> Result<Counts> {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kCounts));
    stmt->BindText(1, scope).BindInt(2, now);
    UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
    Counts counts;
    if (!row) return counts;
    counts.ready = stmt->Int(0);
    counts.delayed = stmt->Int(1);
    counts.claimed = stmt->Int(2);
    if (!stmt->IsNull(3)) counts.next_ready_ms = stmt->Int(3);
    return counts;
  });
}

Result<std::optional<SqlitePlatform::Claimed>> SqlitePlatform::ClaimIn(
    Connection& conn, const Scope& scope, int64_t now) {
  UNUM_ASSIGN_OR_RETURN(auto stmt,
                        conn.Prepare(scope.single ? kClaimOne : kClaim));
  stmt->BindText(1, owner_).BindInt(2, now + options_.lease.count());
  stmt->BindText(3, scope.text).BindInt(4, now);
  UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Claimed>();
  Claimed claimed;
  claimed.id = stmt->Int(0);
  claimed.invocation.function = stmt->Blob(1);
  const std::string payload = stmt->Blob(2);
  claimed.invocation.attempt = static_cast<int>(stmt->Int(3));
  UNUM_RETURN_IF_ERROR(stmt->Run().status());  // finish the statement
  claimed.invocation.payload =
      json::parse(payload, nullptr, /*allow_exceptions=*/false);
  return std::optional<Claimed>(std::move(claimed));
}

Result<std::optional<SqlitePlatform::Claimed>> SqlitePlatform::ClaimOne() {
  const Scope scope = CurrentScope();
  const int64_t now = NowMs();
  // A cheap read first: idle workers poll without taking the write lock.
  UNUM_ASSIGN_OR_RETURN(
      std::optional<int64_t> next,
      db_->Read([&](Connection& conn) -> Result<std::optional<int64_t>> {
        UNUM_ASSIGN_OR_RETURN(
            auto stmt, conn.Prepare(scope.single ? kNextReadyOne : kNextReady));
        stmt->BindText(1, scope.text);
        UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
        if (!row || stmt->IsNull(0)) return std::optional<int64_t>();
        return std::optional<int64_t>(stmt->Int(0));
      }));
  if (!next || *next > now) return std::optional<Claimed>();
  return db_->Write(
      [&](Connection& conn) { return ClaimIn(conn, scope, now); });
}

std::optional<SqlitePlatform::Claimed> SqlitePlatform::Settle(
    const Claimed& claimed, Settlement how, const Status& status,
    std::chrono::milliseconds backoff, bool claim_next) {
  const std::string error = status.ToString();
  const Scope scope = claim_next ? CurrentScope() : Scope{};
  Result<std::optional<Claimed>> next = std::optional<Claimed>();
  // A row left unsettled runs again (a harmless duplicate) once its lease
  // runs out, so a few retries are enough.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int64_t now = NowMs();
    next = db_->Write([&](Connection& conn) -> Result<std::optional<Claimed>> {
      if (how == Settlement::kRetry) {
        UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kReschedule));
        stmt->BindInt(1, claimed.id).BindInt(2, claimed.invocation.attempt + 1);
        stmt->BindInt(3, DueMs(now, backoff)).BindText(4, error);
        stmt->BindText(5, owner_);
        UNUM_RETURN_IF_ERROR(stmt->Run().status());
      } else {
        if (how == Settlement::kBury) {
          UNUM_ASSIGN_OR_RETURN(auto bury, conn.Prepare(kBury));
          bury->BindInt(1, claimed.id).BindInt(2, claimed.invocation.attempt);
          bury->BindText(3, error).BindInt(4, now);
          UNUM_RETURN_IF_ERROR(bury->Run().status());
        }
        UNUM_ASSIGN_OR_RETURN(auto del, conn.Prepare(kComplete));
        del->BindInt(1, claimed.id);
        UNUM_RETURN_IF_ERROR(del->Run().status());
      }
      for (const PendingRow& row : claimed.invoked) {
        UNUM_RETURN_IF_ERROR(InsertRow(conn, row));
      }
      // The worker's next row, in the same transaction: one write per
      // delivery instead of two.
      if (!claim_next) return std::optional<Claimed>();
      return ClaimIn(conn, scope, now);
    });
    if (next.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempt));
  }
  if (!next.ok()) {
    spdlog::error(
        "sqlite platform: cannot settle invocation {} of '{}' ({} "
        "invocation(s) it made are lost with it; it runs again "
        "when its lease runs out): {}",
        claimed.id, claimed.invocation.function, claimed.invoked.size(),
        next.status().ToString());
    return std::nullopt;
  }
  if (!claimed.invoked.empty()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++wakeups_;
    }
    work_cv_.notify_all();
  }
  return std::move(next).value();
}

void SqlitePlatform::Unclaim(const Claimed& claimed) {
  const int64_t now = NowMs();
  Status s = db_->Write([&](Connection& conn) -> Status {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kUnclaim));
    stmt->BindInt(1, claimed.id).BindInt(2, now).BindText(3, owner_);
    return stmt->Run().status();
  });
  if (!s.ok()) {
    spdlog::warn("sqlite platform: cannot hand back invocation {}: {}",
                 claimed.id, s.ToString());
  }
}

Status SqlitePlatform::RunHandler(const Invocation& invocation) {
  return CallHandler(handler_, invocation, "sqlite");
}

void SqlitePlatform::WorkerLoop() {
  std::optional<Claimed> next;  // claimed when the previous one settled
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!next) {
      const uint64_t seen = wakeups_;
      lock.unlock();
      Result<std::optional<Claimed>> claimed = ClaimOne();
      if (!claimed.ok()) {
        spdlog::warn("sqlite platform: cannot claim work: {}",
                     claimed.status().ToString());
      }
      lock.lock();
      if (!claimed.ok() || !claimed->has_value()) {
        // Sleep until woken by a local Invoke or for one poll interval:
        // other processes add and release rows too, and delayed rows come
        // due. (A due row is found on the next poll.)
        work_cv_.wait_for(lock, options_.poll,
                          [&] { return stopping_ || wakeups_ != seen; });
        continue;
      }
      next = std::move(*claimed);
    }
    Claimed work = std::move(*next);
    next.reset();
    ++stats_.running;
    running_ids_.insert(work.id);  // the keeper renews its lease
    lock.unlock();

    // A row whose payload is not JSON cannot get better: bury it at once.
    const bool corrupt = work.invocation.payload.is_discarded();
    Status status = Status::DataLoss(
        "outbox row " + std::to_string(work.id) + " for '" +
        work.invocation.function + "' holds a payload that is not valid JSON");
    if (!corrupt) {
      t_current = CurrentDelivery{.platform = this, .rows = &work.invoked};
      status = RunHandler(work.invocation);
      t_current = CurrentDelivery{};
    }
    Settlement how = Settlement::kDone;
    std::chrono::milliseconds backoff(0);
    if (!status.ok()) {
      if (!corrupt && work.invocation.attempt < options_.max_attempts) {
        how = Settlement::kRetry;
        backoff = options_.retry_backoff;
        for (int i = 1; i < work.invocation.attempt && backoff < kMaxDelay;
             ++i) {
          backoff *= 2;
        }
        backoff = std::min(backoff, kMaxDelay);
        spdlog::debug(
            "sqlite platform: '{}' attempt {} failed ({}); retry "
            "in {} ms",
            work.invocation.function, work.invocation.attempt,
            status.ToString(), backoff.count());
      } else {
        how = Settlement::kBury;
        lock.lock();
        auto exhausted_cb = exhausted_cb_;
        lock.unlock();
        // Its own Invokes are not buffered: the row is about to be buried.
        if (exhausted_cb) {
          try {
            exhausted_cb(work.invocation, status);
          } catch (...) {
            spdlog::error("sqlite platform: exhausted callback threw");
          }
        } else {
          spdlog::warn("sqlite platform: '{}' failed all {} attempts: {}",
                       work.invocation.function, work.invocation.attempt,
                       status.ToString());
        }
      }
    }
    lock.lock();
    const bool claim_next = !stopping_;
    lock.unlock();
    next = Settle(work, how, status, backoff, claim_next);

    lock.lock();
    running_ids_.erase(work.id);
    --stats_.running;
    if (status.ok()) {
      ++stats_.completed;
    } else {
      ++stats_.failed_attempts;
      if (how == Settlement::kBury) {
        ++stats_.exhausted;
      } else {
        ++stats_.retries;
      }
    }
    ++generation_;
    finished_cv_.notify_all();
  }
  lock.unlock();
  // Stopped with a row claimed but not started: hand it back at once.
  if (next) Unclaim(*next);
}

Status SqlitePlatform::RenewLeases() {
  std::string ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_ids_.empty()) return Status::Ok();
    ids = json(running_ids_).dump();
  }
  const int64_t until = NowMs() + options_.lease.count();
  return db_->Write([&](Connection& conn) -> Status {
    UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kRenew));
    stmt->BindText(1, owner_).BindInt(2, until).BindText(3, ids);
    return stmt->Run().status();
  });
}

Result<int64_t> SqlitePlatform::ReleaseDeadOwners() {
  UNUM_ASSIGN_OR_RETURN(
      std::vector<std::string> owners,
      db_->Read([&](Connection& conn) -> Result<std::vector<std::string>> {
        UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kOwners));
        stmt->BindText(1, owner_);
        std::vector<std::string> owners;
        while (true) {
          UNUM_ASSIGN_OR_RETURN(bool row, stmt->Step());
          if (!row) break;
          owners.push_back(stmt->Blob(0));
        }
        return owners;
      }));
  int64_t released = 0;
  for (const std::string& owner : owners) {
    if (!sqlite_owner::OwnerIsDead(owner)) continue;
    const int64_t now = NowMs();
    UNUM_ASSIGN_OR_RETURN(
        int64_t n, db_->Write([&](Connection& conn) -> Result<int64_t> {
          UNUM_ASSIGN_OR_RETURN(auto stmt, conn.Prepare(kRelease));
          stmt->BindText(1, owner).BindInt(2, now);
          return stmt->Run();
        }));
    if (n > 0) {
      spdlog::info(
          "sqlite platform: released {} invocation(s) of dead "
          "process {}",
          n, owner);
    }
    released += n;
  }
  if (released > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    ++wakeups_;
    work_cv_.notify_all();
  }
  return released;
}

void SqlitePlatform::KeeperLoop() {
  const auto renew_every = options_.lease / 3;
  auto next_renew = Clock::now() + renew_every;
  auto next_check = Clock::now() + kDeadOwnerCheck;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    keeper_cv_.wait_until(lock, std::min(next_renew, next_check),
                          [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    const auto now = Clock::now();
    if (now >= next_renew) {
      Status s = RenewLeases();
      if (!s.ok()) {
        spdlog::warn("sqlite platform: cannot renew leases: {}", s.ToString());
      }
      next_renew = now + renew_every;
    }
    if (now >= next_check) {
      Result<int64_t> released = ReleaseDeadOwners();
      if (!released.ok()) {
        spdlog::warn(
            "sqlite platform: cannot release rows of dead "
            "processes: {}",
            released.status().ToString());
      }
      next_check = now + kDeadOwnerCheck;
    }
    lock.lock();
  }
}

Status SqlitePlatform::WaitUntil(const std::function<bool()>& done,
                                 std::chrono::milliseconds timeout) {
  const Clock::time_point deadline =
      Clock::now() + std::min(timeout, kMaxDelay);
  while (true) {
    uint64_t seen;
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen = generation_;
    }
    // done() may read the datastore or even invoke: never call it locked.
    if (done()) return Status::Ok();
    Result<Counts> counts = CountRows();
    if (counts.ok() && counts->ready + counts->delayed + counts->claimed == 0) {
      if (done()) return Status::Ok();
      return Status::FailedPrecondition(
          "idle: no invocation of the served sessions is left in the "
          "outbox, and the condition is still false");
    }
    std::unique_lock<std::mutex> lock(mu_);
    const Clock::time_point wake =
        std::min(deadline, Clock::now() + options_.poll);
    finished_cv_.wait_until(lock, wake, [&] { return generation_ != seen; });
    if (Clock::now() >= deadline) {
      lock.unlock();
      if (done()) return Status::Ok();
      std::string where;
      if (counts.ok()) {
        where = " (queued=" + std::to_string(counts->ready) +
                ", claimed=" + std::to_string(counts->claimed) +
                ", delayed=" + std::to_string(counts->delayed) + ")";
      }
      return Status::DeadlineExceeded("condition still false after " +
                                      std::to_string(timeout.count()) + " ms" +
                                      where);
    }
  }
}

SqlitePlatform::Stats SqlitePlatform::stats() const {
  Stats s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s = stats_;
  }
  Result<Counts> counts = CountRows();
  if (counts.ok()) {
    s.queued = counts->ready;
    s.delayed = counts->delayed;
    s.running = counts->claimed;
  }
  return s;
}

void SqlitePlatform::SetExhaustedCallback(
    std::function<void(const Invocation&, const Status&)> cb) {
  std::lock_guard<std::mutex> lock(mu_);
  exhausted_cb_ = std::move(cb);
}

}  // namespace unum
