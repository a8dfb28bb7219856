// Tests for what SqlitePlatform adds to the platform contract
// (platform_contract_test.h): the outbox rows, retries and dead letters,
// durability across platform objects, session scope, leases (renewed,
// expiring, released when the owning process is killed), WaitUntil, and
// URL parsing.
#include "platform/sqlite/sqlite_platform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "platform/hosted_platform.h"
#include "platform/sqlite/process_owner.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr milliseconds kLongWait{20000};

class TempDirEnvironment : public ::testing::Environment {
 public:
  static const fs::path& Dir() {
    static const fs::path dir = [] {
      std::string tmpl =
          (fs::path(::testing::TempDir()) / "unum_sqlite_platform_XXXXXX")
              .string();
      const char* made = mkdtemp(tmpl.data());
      return fs::path(made != nullptr ? made : tmpl);
    }();
    return dir;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(Dir(), ec);
  }
};

[[maybe_unused]] const auto* const kTempDirEnv =
    ::testing::AddGlobalTestEnvironment(new TempDirEnvironment);

std::string FreshDbPath() {
  static std::atomic<int> counter{0};
  return (TempDirEnvironment::Dir() /
          ("outbox-" + std::to_string(getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + ".sqlite"))
      .string();
}

SqlitePlatformOptions Options(const std::string& path, int workers,
                              int max_attempts = 3,
                              milliseconds backoff = milliseconds(1)) {
  SqlitePlatformOptions o;
  o.db.path = path;
  o.workers = workers;
  o.max_attempts = max_attempts;
  o.retry_backoff = backoff;
  o.poll = milliseconds(5);
  return o;
}

std::unique_ptr<SqlitePlatform> Open(SqlitePlatformOptions options) {
  auto platform = SqlitePlatform::Open(std::move(options));
  EXPECT_TRUE(platform.ok()) << platform.status().ToString();
  return platform.ok() ? std::move(platform).value() : nullptr;
}

Json Payload(const std::string& session, int i) {
  return Json{{"Session", session}, {"i", i}};
}

// Runs one SQL statement on a separate raw connection; returns the first
// column of the first row as an integer (or -1).
int64_t Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
      if (rc == SQLITE_DONE) n = sqlite3_changes(db);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return n;
}

int64_t OutboxRows(const std::string& path) {
  return Sql(path, "SELECT count(*) FROM unum_outbox");
}

int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Delivery itself is the contract suite's (platform_contract_test.h); here
// what the outbox adds: exactly once, rows and counters.
TEST(SqlitePlatformTest, EveryInvocationRunsOnceThroughTheOutbox) {
  constexpr int kCount = 300;
  const std::string path = FreshDbPath();
  std::vector<std::atomic<int>> runs(kCount);
  std::atomic<int> total{0};
  auto platform = Open(Options(path, 4));
  ASSERT_NE(platform, nullptr);
  for (int i = 0; i < kCount / 2; ++i) {
    ASSERT_TRUE(platform->Invoke("F", Payload("s", i)).ok());
  }
  EXPECT_EQ(platform->stats().queued, kCount / 2);
  EXPECT_EQ(OutboxRows(path), kCount / 2);
  platform->Start([&](const Invocation& inv) {
    EXPECT_EQ(inv.function, "F");
    EXPECT_EQ(inv.attempt, 1);
    runs[inv.payload["i"].get<int>()].fetch_add(1);
    total.fetch_add(1);
    return Status::Ok();
  });
  for (int i = kCount / 2; i < kCount; ++i) {
    ASSERT_TRUE(platform->Invoke("F", Payload("s", i)).ok());
  }
  ASSERT_TRUE(
      platform->WaitUntil([&] { return total.load() == kCount; }, kLongWait)
          .ok());
  EXPECT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
  EXPECT_EQ(OutboxRows(path), 0);
  const PlatformStats stats = platform->stats();
  EXPECT_EQ(stats.invocations, kCount);
  EXPECT_EQ(stats.completed, kCount);
  EXPECT_EQ(stats.failed_attempts, 0);
  EXPECT_EQ(stats.queued + stats.running + stats.delayed, 0);
}

TEST(SqlitePlatformTest, FailingHandlerIsRetriedThenBuried) {
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 2, /*max_attempts=*/3));
  std::mutex mu;
  std::vector<int> attempts;
  std::atomic<int> exhausted{0};
  platform->SetExhaustedCallback([&](const Invocation& inv, const Status& s) {
    EXPECT_EQ(inv.attempt, 3);
    EXPECT_THAT(s.message(), HasSubstr("nope"));
    // The row is still in the outbox while the callback runs.
    EXPECT_EQ(OutboxRows(path), 1);
    exhausted.fetch_add(1);
  });
  platform->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    attempts.push_back(inv.attempt);
    return Status::Unavailable("nope");
  });
  ASSERT_TRUE(platform->Invoke("F", Payload("s", 7)).ok());
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_EQ(attempts, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(exhausted.load(), 1);
  EXPECT_EQ(OutboxRows(path), 0);
  EXPECT_EQ(Sql(path, "SELECT count(*) FROM unum_outbox_dead"), 1);
  EXPECT_EQ(Sql(path, "SELECT attempt FROM unum_outbox_dead"), 3);
  EXPECT_EQ(Sql(path,
                "SELECT count(*) FROM unum_outbox_dead WHERE error "
                "LIKE '%nope%' AND function = 'F'"),
            1);
  const PlatformStats stats = platform->stats();
  EXPECT_EQ(stats.failed_attempts, 3);
  EXPECT_EQ(stats.retries, 2);
  EXPECT_EQ(stats.exhausted, 1);
  EXPECT_EQ(stats.completed, 0);
}

TEST(SqlitePlatformTest, RetryBackoffDoublesAndSecondAttemptMaySucceed) {
  const std::string path = FreshDbPath();
  auto platform =
      Open(Options(path, 1, /*max_attempts=*/4, /*backoff=*/milliseconds(60)));
  std::mutex mu;
  std::vector<steady_clock::time_point> times;
  platform->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    times.push_back(steady_clock::now());
    return inv.attempt < 3 ? Status::Unavailable("later") : Status::Ok();
  });
  ASSERT_TRUE(platform->Invoke("F", Payload("s", 1)).ok());
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  ASSERT_EQ(times.size(), 3u);
  EXPECT_GE(times[1] - times[0], milliseconds(60));
  EXPECT_GE(times[2] - times[1], milliseconds(120));
  EXPECT_EQ(platform->stats().completed, 1);
  EXPECT_EQ(platform->stats().exhausted, 0);
  EXPECT_EQ(Sql(path, "SELECT count(*) FROM unum_outbox_dead"), 0);
}

TEST(SqlitePlatformTest, WaitUntilTimesOutOnFarDelayedWork) {
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 1));
  platform->Start([](const Invocation&) { return Status::Ok(); });
  ASSERT_TRUE(
      platform->InvokeAfter(std::chrono::hours(1), "F", Payload("s", 1)).ok());
  Status s = platform->WaitUntil([] { return false; }, milliseconds(100));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("delayed=1"));
  platform->Stop();
  EXPECT_EQ(OutboxRows(path), 1);  // still there for a later run
}

TEST(SqlitePlatformTest, WaitUntilIsIdleWithNothingToServe) {
  auto platform = Open(Options(FreshDbPath(), 1));
  platform->Start([](const Invocation&) { return Status::Ok(); });
  EXPECT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(platform->WaitUntil([] { return true; }, kLongWait).ok());
}

// Rows outlive the platform object that queued them, and a platform only
// serves its own sessions.
TEST(SqlitePlatformTest, QueuedWorkSurvivesAndIsServedBySession) {
  const std::string path = FreshDbPath();
  {
    auto first = Open(Options(path, 1));
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(first->Invoke("F", Payload("mine", i)).ok());
      ASSERT_TRUE(first->Invoke("G", Payload("theirs", i)).ok());
    }
    // Destroyed without ever starting: the rows stay.
  }
  EXPECT_EQ(OutboxRows(path), 10);

  SqlitePlatformOptions options = Options(path, 2);
  options.sessions = {"mine"};
  auto second = Open(options);
  std::mutex mu;
  std::vector<std::string> ran;
  second->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    ran.push_back(inv.function + inv.payload["Session"].get<std::string>());
    return Status::Ok();
  });
  ASSERT_EQ(second->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  second->Stop();
  EXPECT_EQ(ran, std::vector<std::string>(5, "Fmine"));
  EXPECT_EQ(Sql(path,
                "SELECT count(*) FROM unum_outbox WHERE session = "
                "'theirs' AND owner IS NULL"),
            5);
  EXPECT_EQ(OutboxRows(path), 5);
}

// Invocations made by a handler are served too (their session is added).
TEST(SqlitePlatformTest, ChainOfInvocationsFromHandlersCompletes) {
  constexpr int kLength = 60;
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 2));
  SqlitePlatform* p = platform.get();
  std::atomic<int> last{-1};
  platform->Start([&](const Invocation& inv) {
    const int i = inv.payload["i"].get<int>();
    last = i;
    if (i + 1 < kLength) return p->Invoke("F", Payload("chain", i + 1));
    return Status::Ok();
  });
  ASSERT_TRUE(platform->Invoke("F", Payload("chain", 0)).ok());
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_EQ(last.load(), kLength - 1);
  EXPECT_EQ(platform->stats().completed, kLength);
  EXPECT_EQ(OutboxRows(path), 0);
}

// A handler's invocations are committed together with the end of its
// own delivery: while it runs, the outbox holds only its own row.
TEST(SqlitePlatformTest, InvokesFromAHandlerCommitWithItsCompletion) {
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 2));
  SqlitePlatform* p = platform.get();
  std::atomic<int> children{0};
  std::atomic<int64_t> rows_seen_by_parent{-1};
  platform->Start([&](const Invocation& inv) {
    if (inv.function == "Child") {
      children.fetch_add(1);
      return Status::Ok();
    }
    for (int i = 0; i < 3; ++i) {
      Status s = p->Invoke("Child", Payload("s", i));
      if (!s.ok()) return s;
    }
    rows_seen_by_parent = OutboxRows(path);
    return Status::Ok();
  });
  ASSERT_TRUE(platform->Invoke("Parent", Payload("s", 0)).ok());
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_EQ(rows_seen_by_parent.load(), 1);
  EXPECT_EQ(children.load(), 3);
  EXPECT_EQ(platform->stats().invocations, 4);
  EXPECT_EQ(OutboxRows(path), 0);
}

// A failing handler's invocations are kept (with its retry), not lost.
TEST(SqlitePlatformTest, InvokesFromAFailingHandlerAreKept) {
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 1, /*max_attempts=*/2));
  SqlitePlatform* p = platform.get();
  std::atomic<int> children{0};
  std::atomic<int> parents{0};
  platform->Start([&](const Invocation& inv) {
    if (inv.function == "Child") {
      children.fetch_add(1);
      return Status::Ok();
    }
    parents.fetch_add(1);
    Status s = p->Invoke("Child", Payload("s", inv.attempt));
    if (!s.ok()) return s;
    return inv.attempt == 1 ? Status::Unavailable("flaky") : Status::Ok();
  });
  ASSERT_TRUE(platform->Invoke("Parent", Payload("s", 0)).ok());
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_EQ(parents.load(), 2);
  EXPECT_EQ(children.load(), 2);
}

TEST(SqlitePlatformTest, CorruptPayloadIsBuriedWithoutRunning) {
  const std::string path = FreshDbPath();
  auto platform = Open(Options(path, 1));
  ASSERT_EQ(Sql(path,
                "INSERT INTO unum_outbox(session, function, payload, attempt, "
                "ready_at, created) VALUES ('s', 'F', '{not json', 1, 0, 0)"),
            1);
  SqlitePlatformOptions options = Options(path, 1);
  options.sessions = {"s"};
  auto served = Open(options);
  std::atomic<int> calls{0};
  served->Start([&](const Invocation&) {
    calls.fetch_add(1);
    return Status::Ok();
  });
  (void)served->WaitUntil([] { return false; }, kLongWait);
  served->Stop();
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(OutboxRows(path), 0);
  EXPECT_EQ(Sql(path,
                "SELECT count(*) FROM unum_outbox_dead WHERE error "
                "LIKE '%not valid JSON%'"),
            1);
}

// A process killed while its handler runs: the next platform on the file
// takes the row over at Start, long before the 60 s lease would expire.
TEST(SqlitePlatformTest, RowsOfAKilledProcessAreReleasedAtOnce) {
  const std::string path = FreshDbPath();
  {
    auto queue = Open(Options(path, 1));
    ASSERT_TRUE(queue->Invoke("F", Payload("s", 42)).ok());
  }
  int claimed[2];
  ASSERT_EQ(pipe(claimed), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(claimed[0]);
    SqlitePlatformOptions options = Options(path, 1);
    options.sessions = {"s"};
    options.lease = std::chrono::seconds(60);
    auto platform = SqlitePlatform::Open(options);
    if (!platform.ok()) _exit(2);
    (*platform)->Start([&](const Invocation&) {
      const char byte = 'c';
      (void)!write(claimed[1], &byte, 1);
      while (true) pause();  // killed here, mid-handler
      return Status::Ok();
    });
    while (true) pause();
  }
  close(claimed[1]);
  char byte = 0;
  ASSERT_EQ(read(claimed[0], &byte, 1), 1);
  close(claimed[0]);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Claimed by the dead process, with a lease far in the future.
  EXPECT_EQ(Sql(path,
                "SELECT count(*) FROM unum_outbox WHERE owner IS NOT "
                "NULL AND claims = 1 AND ready_at > " +
                    std::to_string(NowMs() + 30000)),
            1);

  SqlitePlatformOptions options = Options(path, 1);
  options.sessions = {"s"};
  options.lease = std::chrono::seconds(60);
  auto platform = Open(options);
  std::atomic<int> ran{0};
  const auto start = steady_clock::now();
  platform->Start([&](const Invocation& inv) {
    EXPECT_EQ(inv.payload["i"], 42);
    EXPECT_EQ(inv.attempt, 1);  // a crash of the platform is no attempt
    ran.fetch_add(1);
    return Status::Ok();
  });
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(OutboxRows(path), 0);
}

// A live owner keeps its rows: another platform neither releases nor runs
// them, even when the lease is short (the owner renews it).
TEST(SqlitePlatformTest, LiveOwnerKeepsItsRowsByRenewingTheLease) {
  const std::string path = FreshDbPath();
  SqlitePlatformOptions options = Options(path, 1);
  // Renewed every lease/3; generous, so that a loaded machine's
  // scheduling delays do not let it lapse.
  options.lease = milliseconds(1000);
  options.sessions = {"s"};
  auto owner = Open(options);
  auto other = Open(options);
  std::atomic<int> runs{0};
  std::latch started(1);
  std::atomic<bool> release{false};
  owner->Start([&](const Invocation&) {
    runs.fetch_add(1);
    started.count_down();
    while (!release.load()) std::this_thread::sleep_for(milliseconds(5));
    return Status::Ok();
  });
  ASSERT_TRUE(owner->Invoke("F", Payload("s", 1)).ok());
  started.wait();
  other->Start([&](const Invocation&) {
    runs.fetch_add(1);
    return Status::Ok();
  });
  EXPECT_EQ(*other->ReleaseDeadOwners(), 0);
  // Well past three lease lengths.
  Status waited = other->WaitUntil([] { return false; }, milliseconds(3500));
  EXPECT_EQ(waited.code(), StatusCode::kDeadlineExceeded) << waited.ToString();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(other->stats().running, 1);
  release = true;
  EXPECT_EQ(other->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  owner->Stop();
  other->Stop();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(OutboxRows(path), 0);
}

// An owner whose liveness cannot be checked (another host) loses its
// claim when the lease runs out.
TEST(SqlitePlatformTest, ExpiredLeaseOfUnknownOwnerBecomesClaimable) {
  const std::string path = FreshDbPath();
  auto platform_for_schema = Open(Options(path, 1));
  const int64_t lease_end = NowMs() + 400;
  ASSERT_EQ(Sql(path,
                "INSERT INTO unum_outbox(session, function, payload, attempt, "
                "ready_at, owner, claims, created) VALUES ('s', 'F', "
                "'{\"Session\":\"s\"}', 2, " +
                    std::to_string(lease_end) +
                    ", '{\"host\":\"elsewhere\",\"pid\":1}', 1, 0)"),
            1);
  SqlitePlatformOptions options = Options(path, 1);
  options.sessions = {"s"};
  auto platform = Open(options);
  std::atomic<int64_t> ran_at{0};
  std::atomic<int> attempt{0};
  platform->Start([&](const Invocation& inv) {
    ran_at = NowMs();
    attempt = inv.attempt;
    return Status::Ok();
  });
  EXPECT_EQ(*platform->ReleaseDeadOwners(), 0);
  ASSERT_EQ(platform->WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform->Stop();
  EXPECT_GE(ran_at.load(), lease_end);
  EXPECT_EQ(attempt.load(), 2);
}

TEST(ProcessOwnerTest, TellsLiveFromDeadProcesses) {
  const std::string me = sqlite_owner::MakeOwner();
  EXPECT_FALSE(sqlite_owner::OwnerIsDead(me));
  EXPECT_NE(sqlite_owner::MakeOwner(), me);  // a token per platform object

  // A child that has exited (and been reaped) is dead.
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string owner = sqlite_owner::MakeOwner();
    (void)!write(report[1], owner.data(), owner.size());
    _exit(0);
  }
  close(report[1]);
  std::string child_owner;
  char buf[512];
  ssize_t n;
  while ((n = read(report[0], buf, sizeof buf)) > 0) child_owner.append(buf, n);
  close(report[0]);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  ASSERT_FALSE(child_owner.empty());
  EXPECT_NE(Json::parse(child_owner)["pid"], Json::parse(me)["pid"]);
  EXPECT_TRUE(sqlite_owner::OwnerIsDead(child_owner));

  // Same pid, different start time: the pid was reused, the owner is gone.
  Json reused = Json::parse(me);
  reused["start"] = reused["start"].get<int64_t>() + 1;
  EXPECT_TRUE(sqlite_owner::OwnerIsDead(reused.dump()));
  // Another boot of this machine: gone.
  Json rebooted = Json::parse(me);
  rebooted["boot"] = "00000000-0000-0000-0000-000000000000";
  EXPECT_TRUE(sqlite_owner::OwnerIsDead(rebooted.dump()));
  // Another host, or an unreadable id: cannot tell, so not dead.
  Json elsewhere = Json::parse(child_owner);
  elsewhere["host"] = "some-other-host";
  EXPECT_FALSE(sqlite_owner::OwnerIsDead(elsewhere.dump()));
  EXPECT_FALSE(sqlite_owner::OwnerIsDead("not json"));
}

TEST(SqlitePlatformTest, OpenedByUrl) {
  const std::string path = FreshDbPath();
  for (const std::string& url :
       {"sqlite://" + path + "?workers=2&max_attempts=5",
        "sqlite-outbox://" + path + "?workers=1&session=abc"}) {
    auto platform = OpenPlatform(url);
    ASSERT_TRUE(platform.ok()) << url << ": " << platform.status().ToString();
  }
  auto platform = OpenPlatform("sqlite://" + path + "?max_attempts=5");
  ASSERT_TRUE(platform.ok());
  EXPECT_EQ((*platform)->MaxAttempts(), 5);
}

TEST(ParseSqlitePlatformUrlTest, AcceptsDefaultsAndOptions) {
  auto o = ParseSqlitePlatformUrl("sqlite:///tmp/x.db");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->db.path, "/tmp/x.db");
  EXPECT_EQ(o->workers, 0);
  EXPECT_EQ(o->max_attempts, 3);
  EXPECT_TRUE(o->sessions.empty());

  o = ParseSqlitePlatformUrl(
      "sqlite-outbox:///tmp/x.db?workers=4&max_attempts=2&retry_backoff_ms=7&"
      "lease_ms=1500&poll_ms=3&session=a%2Fb&busy_timeout_ms=9&"
      "synchronous=full");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->workers, 4);
  EXPECT_EQ(o->max_attempts, 2);
  EXPECT_EQ(o->retry_backoff, milliseconds(7));
  EXPECT_EQ(o->lease, milliseconds(1500));
  EXPECT_EQ(o->poll, milliseconds(3));
  EXPECT_EQ(o->sessions, std::vector<std::string>{"a/b"});
  EXPECT_EQ(o->db.busy_timeout, milliseconds(9));
  EXPECT_EQ(o->db.synchronous, sqlite::Synchronous::kFull);
}

TEST(ParseSqlitePlatformUrlTest, RejectsBadUrlsNamingUrlAndOption) {
  struct Case {
    std::string url;
    std::string mention;
  };
  for (const Case& c : std::vector<Case>{
           {"sqlite://", "no database path"},
           {"redis:///x", "expected"},
           {"sqlite:///x?workers=-1", "workers"},
           {"sqlite:///x?workers=many", "workers"},
           {"sqlite:///x?max_attempts=0", "max_attempts"},
           {"sqlite:///x?lease_ms=5", "lease_ms"},
           {"sqlite:///x?poll_ms=0", "poll_ms"},
           {"sqlite:///x?session=", "session"},
           {"sqlite:///x?color=red", "unknown option 'color'"},
           {"sqlite:///x?workers=1&workers=2", "given twice"},
       }) {
    auto o = ParseSqlitePlatformUrl(c.url);
    ASSERT_FALSE(o.ok()) << c.url;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(o.status().message(), HasSubstr(c.url));
    EXPECT_THAT(o.status().message(), HasSubstr(c.mention));
  }
}

}  // namespace
}  // namespace unum
