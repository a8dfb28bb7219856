// Tests for SqliteDatastore: the contract suite (a fresh database file per
// test), tombstone expiry and purging with a fake clock, durability across
// reopen, sharing one file between stores, busy databases mapped to
// kUnavailable, a multi-process race (fork), and opening it by URL.
#include "datastore/sqlite/sqlite_datastore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "datastore/counting_datastore.h"
#include "datastore/datastore_contract_test.h"
#include "unum/datastore.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

// A directory for this test binary's databases, removed at exit.
class TempDirEnvironment : public ::testing::Environment {
 public:
  static const fs::path& Dir() {
    static const fs::path dir = [] {
      std::string tmpl =
          (fs::path(::testing::TempDir()) / "unum_sqlite_test_XXXXXX").string();
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

// A fresh database path, unique within the process.
std::string FreshDbPath() {
  static std::atomic<int> counter{0};
  return (TempDirEnvironment::Dir() /
          ("db-" + std::to_string(getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + ".sqlite"))
      .string();
}

std::unique_ptr<SqliteDatastore> OpenAt(const std::string& path,
                                        SqliteDatastoreOptions options = {}) {
  options.db.path = path;
  auto store = SqliteDatastore::Open(std::move(options));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

using Made = Result<std::unique_ptr<Datastore>>;

Made OpenContractStore(SqliteDatastoreOptions options = {}) {
  options.db.path = FreshDbPath();
  auto store = SqliteDatastore::Open(std::move(options));
  if (!store.ok()) return store.status();
  return Made(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, DatastoreContractTest,
    ::testing::Values(
        DatastoreFactory{"Plain", [] { return OpenContractStore(); }},
        // Through the URL factory, wrapped the way `unum run --stats` wraps
        // it.
        DatastoreFactory{"Opened",
                         []() -> Made {
                           auto store = OpenDatastore(
                               "sqlite://" + FreshDbPath() +
                               "?busy_timeout_ms=10000&synchronous=full");
                           if (!store.ok()) return store.status();
                           return Made(std::make_unique<CountingDatastore>(
                               std::move(store).value()));
                         }},
        // Purges on every write, so the suite also runs with the purge path
        // hot.
        DatastoreFactory{"EagerPurge",
                         [] {
                           SqliteDatastoreOptions options;
                           options.purge_interval = milliseconds(0);
                           return OpenContractStore(options);
                         }}),
    DatastoreFactoryName);

// A wall clock that moves only when told to.
class FakeClock {
 public:
  std::chrono::system_clock::time_point Now() const {
    return std::chrono::system_clock::time_point(
        std::chrono::milliseconds(now_ms_.load()));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_ms_{int64_t{1'700'000'000'000}};
};

// Counts rows of `table` with a separate raw connection.
int64_t CountRows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return n;
}

class SqliteDatastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = FreshDbPath();
    SqliteDatastoreOptions options;
    options.clock = [this] { return clock_.Now(); };
    // Purging is tested explicitly; keep it out of the way otherwise.
    options.purge_interval = std::chrono::hours(24 * 365);
    store_ = OpenAt(path_, options);
    ASSERT_NE(store_, nullptr);
  }

  Lookup Get(const std::string& session, const std::string& instance) {
    Result<Lookup> r = store_->GetCheckpoint(session, instance);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lookup{};
  }

  std::vector<KeyInfo> Keys(const std::string& session) {
    Result<std::vector<KeyInfo>> r = store_->ListKeys(session);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<KeyInfo>{};
  }

  FakeClock clock_;
  std::string path_;
  std::unique_ptr<SqliteDatastore> store_;
};

TEST_F(SqliteDatastoreTest, CheckpointTombstoneExpiresAfterTtl) {
  ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", "F", "out"));
  ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", "G", "keep"));
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "F", seconds(10)).ok());

  clock_.Advance(seconds(9));
  EXPECT_TRUE(Get("s", "F").tombstone());
  EXPECT_FALSE(*store_->PutCheckpointIfAbsent("s", "F", "late"));
  ASSERT_EQ(Keys("s").size(), 2u);

  clock_.Advance(seconds(1));
  EXPECT_TRUE(Get("s", "F").absent());
  std::vector<KeyInfo> keys = Keys("s");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "G");
  EXPECT_FALSE(keys[0].tombstone);

  // Once the tombstone is gone the key is free again.
  EXPECT_TRUE(*store_->PutCheckpointIfAbsent("s", "F", "again"));
  EXPECT_EQ(Get("s", "F").value, "again");
  EXPECT_FALSE(*store_->PutCheckpointIfAbsent("s", "F", "third"));
}

TEST_F(SqliteDatastoreTest, ExpiringCheckpointIsDroppedAfterItsExpiry) {
  ASSERT_TRUE(store_->PutCheckpoint("s", "F", "out", seconds(10))->won);
  ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", "G", "keep"));
  clock_.Advance(seconds(9));
  EXPECT_EQ(Get("s", "F").value, "out");
  EXPECT_FALSE(store_->PutCheckpoint("s", "F", "late", seconds(10))->won);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Get("s", "F").absent());
  std::vector<KeyInfo> keys = Keys("s");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "G");
  Result<int64_t> purged = store_->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(CountRows(path_, "unum_checkpoints"), 1);
  // Expired: the key is free again.
  EXPECT_TRUE(store_->PutCheckpoint("s", "F", "again", seconds(0))->won);
  EXPECT_EQ(Get("s", "F").value, "again");
}

TEST(SqliteDatastoreMigrationTest, OldDatabaseGainsTheExpiryColumn) {
  // A database written before checkpoints could expire: no lives_until.
  const std::string path = FreshDbPath();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE unum_checkpoints(id INTEGER PRIMARY "
                           "KEY, session BLOB NOT NULL, name BLOB NOT NULL, "
                           "value BLOB NOT NULL, expires INTEGER, "
                           "UNIQUE (session, name));"
                           "INSERT INTO unum_checkpoints(session, name, value) "
                           "VALUES (x'73', x'46', x'6f6c64');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  SqliteDatastoreOptions options;
  options.db.path = path;
  auto store = SqliteDatastore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<Lookup> old = (*store)->GetCheckpoint("s", "F");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->value, "old");
  EXPECT_TRUE((*store)->PutCheckpoint("s", "E", "new", seconds(60))->won);
  EXPECT_EQ((*store)->GetCheckpoint("s", "E")->value, "new");
}

TEST_F(SqliteDatastoreTest, ExpiredTombstoneReadsAbsentInMultiGet) {
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "A", seconds(5)).ok());
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "B", seconds(50)).ok());
  clock_.Advance(seconds(6));
  Result<std::vector<Lookup>> r = store_->GetCheckpoints("s", {"A", "B"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)[0].absent());
  EXPECT_TRUE((*r)[1].tombstone());
}

TEST_F(SqliteDatastoreTest, SetTombstoneExpiresAndSetMayBeRecreated) {
  EXPECT_EQ(store_->AddToSet("s", "gc", "a")->size, 1);
  EXPECT_EQ(store_->AddToSet("s", "gc", "b")->size, 2);
  ASSERT_TRUE(store_->DeleteSet("s", "gc", seconds(5)).ok());
  clock_.Advance(seconds(4));
  EXPECT_TRUE(store_->AddToSet("s", "gc", "c")->closed);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Keys("s").empty());
  // The old members went with the tombstone: "a" counts as new.
  SetAddResult r = *store_->AddToSet("s", "gc", "a");
  EXPECT_FALSE(r.closed);
  EXPECT_EQ(r.size, 1);
}

TEST_F(SqliteDatastoreTest, RepeatedDeleteKeepsTheLaterExpiry) {
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "F", seconds(10)).ok());
  clock_.Advance(seconds(8));
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "F", seconds(10)).ok());  // t+18
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "F", seconds(1)).ok());   // no-op
  ASSERT_TRUE(store_->DeleteSet("s", "set", seconds(10)).ok());       // t+18
  ASSERT_TRUE(store_->DeleteSet("s", "set", seconds(1)).ok());
  clock_.Advance(seconds(5));
  EXPECT_TRUE(Get("s", "F").tombstone());
  EXPECT_TRUE(store_->AddToSet("s", "set", "m")->closed);
  clock_.Advance(seconds(5));
  EXPECT_TRUE(Get("s", "F").absent());
  EXPECT_FALSE(store_->AddToSet("s", "set", "m")->closed);
}

TEST_F(SqliteDatastoreTest, ZeroTtlTombstoneIsGoneOnTheNextRead) {
  ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", "F", "out"));
  ASSERT_TRUE(store_->DeleteCheckpoint("s", "F", seconds(0)).ok());
  EXPECT_TRUE(Get("s", "F").absent());
  EXPECT_TRUE(Keys("s").empty());
}

TEST_F(SqliteDatastoreTest, PurgeExpiredDeletesOnlyExpiredRows) {
  for (int i = 0; i < 10; ++i) {
    const std::string name = "F" + std::to_string(i);
    ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", name, "v"));
    // Half expire after 5 s, half after 50 s.
    ASSERT_TRUE(
        store_->DeleteCheckpoint("s", name, seconds(i < 5 ? 5 : 50)).ok());
  }
  ASSERT_TRUE(store_->AddToSet("s", "set", "m").ok());
  ASSERT_TRUE(store_->DeleteSet("s", "set", seconds(5)).ok());
  ASSERT_TRUE(*store_->PutCheckpointIfAbsent("s", "live", "v"));
  EXPECT_EQ(CountRows(path_, "unum_checkpoints"), 11);
  EXPECT_EQ(CountRows(path_, "unum_sets"), 1);

  clock_.Advance(seconds(6));
  Result<int64_t> purged = store_->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 6);  // 5 checkpoint tombstones + 1 set tombstone
  EXPECT_EQ(CountRows(path_, "unum_checkpoints"), 6);
  EXPECT_EQ(CountRows(path_, "unum_sets"), 0);
  EXPECT_EQ(CountRows(path_, "unum_set_members"), 0);
  EXPECT_EQ(*store_->PurgeExpired(), 0);
  EXPECT_EQ(Get("s", "live").value, "v");
  EXPECT_TRUE(Get("s", "F7").tombstone());
}

TEST(SqliteDatastorePurgeTest, WritesPurgeLazilyOncePerInterval) {
  FakeClock clock;
  const std::string path = FreshDbPath();
  SqliteDatastoreOptions options;
  options.clock = [&clock] { return clock.Now(); };
  options.purge_interval = std::chrono::minutes(1);
  auto store = OpenAt(path, options);
  ASSERT_NE(store, nullptr);
  // The first write purges (nothing yet) and schedules the next purge.
  ASSERT_TRUE(store->DeleteCheckpoint("s", "A", seconds(1)).ok());
  ASSERT_TRUE(store->DeleteCheckpoint("s", "B", seconds(1)).ok());
  clock.Advance(seconds(2));
  // Expired, read as absent, but still stored until the next purge.
  EXPECT_TRUE(store->GetCheckpoint("s", "A")->absent());
  ASSERT_TRUE(*store->PutCheckpointIfAbsent("s", "C", "v"));
  EXPECT_EQ(CountRows(path, "unum_checkpoints"), 3);
  clock.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(*store->PutCheckpointIfAbsent("s", "D", "v"));
  EXPECT_EQ(CountRows(path, "unum_checkpoints"), 2);  // C and D
}

TEST(SqliteDatastoreFileTest, DataSurvivesReopenAndFileIsInWalMode) {
  const std::string path = FreshDbPath();
  {
    auto store = OpenAt(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(*store->PutCheckpointIfAbsent("s", "F", "out"));
    ASSERT_TRUE(store->DeleteCheckpoint("s", "G", std::chrono::hours(1)).ok());
    ASSERT_EQ(store->AddToSet("s", "set", "a")->size, 1);
    ASSERT_TRUE(*store->PutSessionRecordIfAbsent("s", "done"));
  }
  auto store = OpenAt(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetCheckpoint("s", "F")->value, "out");
  EXPECT_TRUE(store->GetCheckpoint("s", "G")->tombstone());
  EXPECT_EQ(store->AddToSet("s", "set", "b")->size, 2);
  EXPECT_FALSE(*store->PutSessionRecordIfAbsent("s", "again"));
  EXPECT_EQ(store->GetSessionRecord("s")->value, "done");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "wal");
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
}

// Two stores on one file behave as one store (as two processes would).
TEST(SqliteDatastoreFileTest, TwoStoresOnOneFileShareState) {
  const std::string path = FreshDbPath();
  auto a = OpenAt(path);
  auto b = OpenAt(path);
  ASSERT_TRUE(a && b);
  constexpr int kThreads = 8;
  constexpr int kKeys = 50;
  std::latch start(kThreads);
  std::vector<std::vector<int>> wins(kThreads, std::vector<int>(kKeys));
  std::vector<std::vector<int64_t>> sizes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SqliteDatastore& store = t % 2 == 0 ? *a : *b;
      start.arrive_and_wait();
      for (int k = 0; k < kKeys; ++k) {
        auto won = store.PutCheckpointIfAbsent("s", "k" + std::to_string(k),
                                               std::to_string(t));
        wins[t][k] = won.ok() && *won ? 1 : 0;
        auto added = store.AddToSet("s", "set", std::to_string(t * kKeys + k));
        sizes[t].push_back(added.ok() ? added->size : -1);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<int64_t> all;
  for (int k = 0; k < kKeys; ++k) {
    int winners = 0, winner = -1;
    for (int t = 0; t < kThreads; ++t) {
      if (wins[t][k]) {
        ++winners;
        winner = t;
      }
    }
    ASSERT_EQ(winners, 1) << "key " << k;
    EXPECT_EQ(a->GetCheckpoint("s", "k" + std::to_string(k))->value,
              std::to_string(winner));
  }
  for (const auto& v : sizes) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i], static_cast<int64_t>(i) + 1);
  }
}

// Another connection holding the write lock makes writes fail with
// kUnavailable after busy_timeout; reads go on (WAL); the store recovers.
TEST(SqliteDatastoreFileTest, BusyDatabaseIsUnavailableThenRecovers) {
  const std::string path = FreshDbPath();
  auto store_or = OpenDatastore("sqlite://" + path + "?busy_timeout_ms=150");
  ASSERT_TRUE(store_or.ok()) << store_or.status().ToString();
  Datastore& store = **store_or;
  ASSERT_TRUE(*store.PutCheckpointIfAbsent("s", "before", "v"));

  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);

  const auto start = std::chrono::steady_clock::now();
  Result<bool> put = store.PutCheckpointIfAbsent("s", "during", "v");
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kUnavailable)
      << put.status().ToString();
  EXPECT_GE(waited, milliseconds(150));
  EXPECT_LT(waited, seconds(5));
  EXPECT_EQ(store.AddToSet("s", "set", "m").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(store.DeleteCheckpoint("s", "before", seconds(60)).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(store.PutSessionRecordIfAbsent("s", "r").status().code(),
            StatusCode::kUnavailable);
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_EQ(store.GetCheckpoint("s", "before")->value, "v");
  EXPECT_TRUE(store.ListKeys("s").ok());

  ASSERT_EQ(sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close_v2(locker);
  EXPECT_TRUE(*store.PutCheckpointIfAbsent("s", "during", "v"));
  EXPECT_EQ(store.AddToSet("s", "set", "m")->size, 1);
}

// A write lock held briefly by another connection is waited out.
TEST(SqliteDatastoreFileTest, ShortLockIsWaitedOut) {
  const std::string path = FreshDbPath();
  auto store = OpenAt(path);
  ASSERT_NE(store, nullptr);
  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(100));
    sqlite3_exec(locker, "COMMIT", nullptr, nullptr, nullptr);
  });
  Result<bool> put = store->PutCheckpointIfAbsent("s", "F", "v");
  releaser.join();
  sqlite3_close_v2(locker);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_TRUE(*put);
}

// Several processes race put-if-absent and set adds on one file: exactly
// one winner per key, every set size returned exactly once.
TEST(SqliteDatastoreProcessTest, ProcessesRacePutIfAbsentAndSetAdd) {
  constexpr int kProcesses = 6;
  constexpr int kKeys = 40;
  constexpr int kAddsPerProcess = 60;
  const std::string path = FreshDbPath();
  {
    // Create the schema, then close: no connection may cross fork().
    auto store = OpenAt(path);
    ASSERT_NE(store, nullptr);
  }
  struct Report {
    int32_t won[kKeys];
    int64_t sizes[kAddsPerProcess];
    int32_t errors;
  };
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> children;
  std::vector<int> result_fds;
  for (int p = 0; p < kProcesses; ++p) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(out[0]);
      close(go[1]);
      Report report{};
      SqliteDatastoreOptions options;
      options.db.path = path;
      options.db.busy_timeout = seconds(30);
      auto store = SqliteDatastore::Open(options);
      char byte;
      // Start together: wait until the parent closes the pipe.
      while (read(go[0], &byte, 1) > 0) {
      }
      if (!store.ok()) {
        report.errors = 1000;
      } else {
        for (int i = 0; i < std::max(kKeys, kAddsPerProcess); ++i) {
          if (i < kKeys) {
            auto won =
                (*store)->PutCheckpointIfAbsent("s", "key-" + std::to_string(i),
                                                "process-" + std::to_string(p));
            if (!won.ok()) ++report.errors;
            report.won[i] = won.ok() && *won ? 1 : 0;
          }
          if (i < kAddsPerProcess) {
            auto added = (*store)->AddToSet(
                "s", "ready",
                "m-" + std::to_string(p) + "-" + std::to_string(i));
            if (!added.ok() || added->closed) ++report.errors;
            report.sizes[i] = added.ok() ? added->size : -1;
          }
        }
      }
      const char* bytes = reinterpret_cast<const char*>(&report);
      size_t left = sizeof(report);
      while (left > 0) {
        const ssize_t n = write(out[1], bytes, left);
        if (n <= 0) _exit(3);
        bytes += n;
        left -= static_cast<size_t>(n);
      }
      _exit(0);
    }
    close(out[1]);
    children.push_back(pid);
    result_fds.push_back(out[0]);
  }
  close(go[0]);
  close(go[1]);  // go!

  std::vector<Report> reports(kProcesses);
  for (int p = 0; p < kProcesses; ++p) {
    char* bytes = reinterpret_cast<char*>(&reports[p]);
    size_t got = 0;
    while (got < sizeof(Report)) {
      const ssize_t n = read(result_fds[p], bytes + got, sizeof(Report) - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    close(result_fds[p]);
    EXPECT_EQ(got, sizeof(Report)) << "process " << p;
    int status = 0;
    ASSERT_EQ(waitpid(children[p], &status, 0), children[p]);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_EQ(reports[p].errors, 0) << "process " << p;
  }

  auto store = OpenAt(path);
  ASSERT_NE(store, nullptr);
  for (int k = 0; k < kKeys; ++k) {
    int winners = 0, winner = -1;
    for (int p = 0; p < kProcesses; ++p) {
      if (reports[p].won[k] == 1) {
        ++winners;
        winner = p;
      }
    }
    ASSERT_EQ(winners, 1) << "key " << k;
    EXPECT_EQ(store->GetCheckpoint("s", "key-" + std::to_string(k))->value,
              "process-" + std::to_string(winner));
  }
  std::vector<int64_t> all;
  for (const Report& r : reports) {
    all.insert(all.end(), r.sizes, r.sizes + kAddsPerProcess);
    // Sizes one process sees only grow.
    EXPECT_TRUE(std::is_sorted(r.sizes, r.sizes + kAddsPerProcess));
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(kProcesses * kAddsPerProcess);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = i + 1;
  EXPECT_EQ(all, expected);
  EXPECT_EQ(store->AddToSet("s", "ready", "m-0-0")->size,
            kProcesses * kAddsPerProcess);
}

TEST(OpenSqliteDatastoreTest, OpensAbsoluteAndRelativePaths) {
  const std::string abs = FreshDbPath();
  for (const std::string& url :
       {"sqlite://" + abs, "sqlite:" + abs,
        "sqlite://" + abs + "?busy_timeout_ms=0&synchronous=off"}) {
    auto store = OpenDatastore(url);
    ASSERT_TRUE(store.ok()) << url << ": " << store.status().ToString();
    // All three open the same file.
    (void)(*store)->PutCheckpointIfAbsent("s", "F", "v");
    EXPECT_EQ((*store)->GetCheckpoint("s", "F")->value, "v") << url;
  }
  // A relative path is relative to the working directory; %-escapes work.
  const fs::path cwd = fs::current_path();
  fs::current_path(TempDirEnvironment::Dir());
  auto rel = OpenDatastore("sqlite://rel%20db.sqlite");
  fs::current_path(cwd);
  ASSERT_TRUE(rel.ok()) << rel.status().ToString();
  EXPECT_TRUE(fs::exists(TempDirEnvironment::Dir() / "rel db.sqlite"));
}

TEST(OpenSqliteDatastoreTest, RejectsBadUrlsNamingTheUrl) {
  const std::string dir = TempDirEnvironment::Dir().string();
  const std::string not_a_db = dir + "/not-a-db.txt";
  std::ofstream(not_a_db) << std::string(4096, 'x');
  for (const std::string& url :
       {std::string("sqlite://"), std::string("sqlite:"),
        std::string("sqlite://:memory:"), std::string("sqlite::memory:"),
        "sqlite://" + dir + "/x.db?bogus=1",
        "sqlite://" + dir + "/x.db?busy_timeout_ms=-1",
        "sqlite://" + dir + "/x.db?busy_timeout_ms=soon",
        "sqlite://" + dir + "/x.db?synchronous=sometimes",
        "sqlite://" + dir + "/x.db?synchronous", "sqlite://" + dir + "/x%zz.db",
        "sqlite://" + dir + "/no/such/dir/x.db", "sqlite://" + not_a_db}) {
    auto store = OpenDatastore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument)
        << url << ": " << store.status().ToString();
    EXPECT_THAT(store.status().message(),
                ::testing::AnyOf(HasSubstr(url), HasSubstr(dir)))
        << store.status().ToString();
  }
}

}  // namespace
}  // namespace unum
