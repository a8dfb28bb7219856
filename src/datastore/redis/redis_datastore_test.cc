// Tests for RedisDatastore against a real redis-server: the contract suite
// (through the class, the counting wrapper and OpenDatastore), URL parsing,
// error mapping, reconnects after a server restart, scripts after SCRIPT
// FLUSH, TTLs and the write-behind buffer of worker deliveries.
//
// The server is $UNUM_TEST_REDIS_URL when set, else a redis-server child
// started by this process on a free loopback port. A missing server fails
// the tests; they are never skipped.
#include "datastore/redis/redis_datastore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "datastore/counting_datastore.h"
#include "datastore/datastore_contract_test.h"
#include "datastore/redis/redis_client.h"
#include "datastore/redis/redis_test_server.h"
#include "unum/datastore.h"

namespace unum {
namespace {

using redis::testing::RedisServer;
using redis::testing::SharedTestRedisUrl;
using std::chrono::seconds;
using ::testing::HasSubstr;

std::string TestUrl() {
  Result<std::string> url = SharedTestRedisUrl();
  if (!url.ok()) {
    ADD_FAILURE() << "no redis server for the tests: "
                  << url.status().ToString();
    return "";
  }
  return *url;
}

std::unique_ptr<RedisDatastore> OpenTestStore(const std::string& query = "") {
  const std::string url = TestUrl();
  if (url.empty()) return nullptr;
  auto store = RedisDatastore::Open(url + query);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

using Made = Result<std::unique_ptr<Datastore>>;

// The shared test server's URL plus `query`, opened by `open`.
Made OpenContractStore(const std::string& query, bool counting = false) {
  Result<std::string> url = redis::testing::SharedTestRedisUrl();
  if (!url.ok()) return url.status();
  auto store = RedisDatastore::Open(*url + query);
  if (!store.ok()) return store.status();
  if (counting) {
    return Made(std::make_unique<CountingDatastore>(std::move(store).value()));
  }
  return Made(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(
    Redis, DatastoreContractTest,
    ::testing::Values(
        DatastoreFactory{"Plain", [] { return OpenContractStore(""); }},
        // A pool of 2 connections shared by the contract's 16-thread races.
        DatastoreFactory{"SmallPool",
                         [] { return OpenContractStore("?pool=2"); }},
        // Calls of the contract's threads merged into one pipeline at a
        // time.
        DatastoreFactory{
            "Merged", [] { return OpenContractStore("?pipelines=1&pool=2"); }},
        DatastoreFactory{"Counting",
                         [] { return OpenContractStore("", true); }},
        DatastoreFactory{"Opened",
                         []() -> Made {
                           Result<std::string> url =
                               redis::testing::SharedTestRedisUrl();
                           if (!url.ok()) return url.status();
                           return OpenDatastore(*url);
                         }}),
    DatastoreFactoryName);

// A raw connection to the shared server, for inspecting keys.
std::unique_ptr<redis::RedisConnection> Raw(const std::string& url) {
  auto parsed = redis::ParseRedisUrl(url);
  EXPECT_TRUE(parsed.ok());
  auto conn = redis::RedisConnection::Open(parsed->endpoint);
  EXPECT_TRUE(conn.ok()) << conn.status().ToString();
  return conn.ok() ? std::move(conn).value() : nullptr;
}

std::string Token() { return contract_internal::RandomToken(); }

TEST(RedisUrlTest, ParsesHostPortDbAndOptions) {
  auto p = redis::ParseRedisUrl(
      "redis://user:p%40ss@example.org:6380/3?pool=4&timeout_ms=250&"
      "connect_timeout_ms=50&app=x");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->endpoint.host, "example.org");
  EXPECT_EQ(p->endpoint.port, 6380);
  EXPECT_EQ(p->endpoint.db, 3);
  EXPECT_EQ(p->endpoint.username, "user");
  EXPECT_EQ(p->endpoint.password, "p@ss");
  EXPECT_EQ(p->endpoint.pool_size, 4);
  EXPECT_EQ(p->endpoint.pipelines, 0);
  EXPECT_EQ(p->endpoint.io_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(p->endpoint.connect_timeout, std::chrono::milliseconds(50));
  ASSERT_EQ(p->options.size(), 1u);
  EXPECT_EQ(p->options[0].first, "app");
  EXPECT_EQ(p->options[0].second, "x");
  EXPECT_EQ(p->endpoint.Identity(), "example.org:6380/3");
}

TEST(RedisUrlTest, Defaults) {
  for (const std::string url :
       {"redis://", "redis://localhost", "redis://127.0.0.1:6379/0"}) {
    auto p = redis::ParseRedisUrl(url);
    ASSERT_TRUE(p.ok()) << url;
    EXPECT_EQ(p->endpoint.host, "127.0.0.1") << url;
    EXPECT_EQ(p->endpoint.port, 6379) << url;
    EXPECT_EQ(p->endpoint.db, 0) << url;
    EXPECT_TRUE(p->endpoint.password.empty()) << url;
  }
  auto v6 = redis::ParseRedisUrl("redis://[::1]:7000/2");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->endpoint.host, "::1");
  EXPECT_EQ(v6->endpoint.port, 7000);
  EXPECT_EQ(v6->endpoint.Url(), "redis://[::1]:7000/2");
  auto secret = redis::ParseRedisUrl("redis://:secret@h");
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret->endpoint.password, "secret");
  EXPECT_TRUE(secret->endpoint.username.empty());
}

TEST(RedisUrlTest, Pipelines) {
  auto p = redis::ParseRedisUrl("redis://h?pipelines=3");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->endpoint.pipelines, 3);
  EXPECT_TRUE(p->options.empty());
  for (const std::string url :
       {"redis://h?pipelines=-1", "redis://h?pipelines=1025",
        "redis://h?pipelines=x"}) {
    auto bad = redis::ParseRedisUrl(url);
    ASSERT_FALSE(bad.ok()) << url;
    EXPECT_EQ(
        bad.status().message(),
        "invalid redis URL '" + url + "': option 'pipelines' must be 0..1024");
  }
}

TEST(RedisUrlTest, RejectsBadUrls) {
  for (const std::string url :
       {"redis:/h", "http://h", "redis://h:0", "redis://h:99999", "redis://h:x",
        "redis://h/db", "redis://h/-1", "redis://h?pool=0", "redis://h?pool",
        "redis://h?pool=1&pool=2", "redis://[::1", "redis://h?timeout_ms=abc",
        "redis://u:%zz@h"}) {
    auto p = redis::ParseRedisUrl(url);
    EXPECT_FALSE(p.ok()) << url;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << url;
      EXPECT_THAT(p.status().message(), HasSubstr(url));
    }
  }
}

TEST(RedisDatastoreOpenTest, RejectsUnknownOptions) {
  auto store = OpenDatastore("redis://127.0.0.1:6379/0?bogus=1");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(), HasSubstr("bogus"));
}

TEST(RedisErrorMappingTest, TransientServerStatesAreUnavailable) {
  auto map = [](const char* text) {
    redisReply r{};
    r.type = REDIS_REPLY_ERROR;
    r.str = const_cast<char*>(text);
    r.len = strlen(text);
    return redis::RedisErrorStatus(&r, "op").code();
  };
  EXPECT_EQ(map("LOADING Redis is loading the dataset in memory"),
            StatusCode::kUnavailable);
  EXPECT_EQ(map("BUSY Redis is busy running a script"),
            StatusCode::kUnavailable);
  EXPECT_EQ(map("MASTERDOWN Link with MASTER is down"),
            StatusCode::kUnavailable);
  EXPECT_EQ(map("READONLY You can't write against a read only replica."),
            StatusCode::kUnavailable);
  EXPECT_EQ(map("TRYAGAIN Multiple keys request during rehashing"),
            StatusCode::kUnavailable);
  EXPECT_EQ(map("OOM command not allowed"), StatusCode::kResourceExhausted);
  EXPECT_EQ(map("NOAUTH Authentication required."),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(map("WRONGTYPE Operation against a key"), StatusCode::kInternal);
}

TEST(RedisDatastoreTest, UnreachableServerIsUnavailable) {
  const int port = redis::testing::FreeLoopbackPort();
  auto store =
      RedisDatastore::Open("redis://127.0.0.1:" + std::to_string(port) +
                           "/0?connect_timeout_ms=200");
  ASSERT_TRUE(store.ok());
  Datastore& s = **store;
  EXPECT_EQ(s.GetCheckpoint("s", "F").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.PutCheckpointIfAbsent("s", "F", "v").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.GetCheckpoints("s", {"A"}).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.AddToSet("s", "set", "m").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.DeleteCheckpoint("s", "F", seconds(10)).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.DeleteSet("s", "set", seconds(10)).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.PutSessionRecordIfAbsent("s", "r").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(s.GetSessionRecord("s").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.ListKeys("s").status().code(), StatusCode::kUnavailable);
}

TEST(RedisDatastoreTest, ReconnectsAfterServerRestart) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto store = RedisDatastore::Open((*server)->url(0, "?pool=4"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(*(*store)->PutCheckpointIfAbsent("s", "F", "before"));
  EXPECT_EQ((*store)->AddToSet("s", "set", "a")->size, 1);

  ASSERT_TRUE((*server)->Stop().ok());
  // The pooled connection is dead: the call fails as transient.
  Result<Lookup> down = (*store)->GetCheckpoint("s", "F");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);

  ASSERT_TRUE((*server)->Restart().ok());
  // No persistence: the data is gone, but the store reconnects and its
  // scripts are loaded again.
  Result<Lookup> up = (*store)->GetCheckpoint("s", "F");
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_TRUE(up->absent());
  Result<SetAddResult> added = (*store)->AddToSet("s", "set", "b");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->size, 1);
}

TEST(RedisDatastoreTest, PersistentServerKeepsDataAcrossKill) {
  redis::testing::RedisServerOptions options;
  options.persistence = true;
  auto server = RedisServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto store = RedisDatastore::Open((*server)->url());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(*(*store)->PutCheckpointIfAbsent("s", "F", "kept"));
  ASSERT_TRUE((*store)->DeleteCheckpoint("s", "G", seconds(3600)).ok());
  ASSERT_TRUE((*server)->Stop(SIGKILL).ok());
  ASSERT_TRUE((*server)->Restart().ok());
  // The first call may meet the dead connection; the runtime retries
  // kUnavailable, and so does this loop (bounded).
  Result<Lookup> f = Status::Unavailable("not tried");
  for (int i = 0; i < 20 && !f.ok(); ++i) {
    f = (*store)->GetCheckpoint("s", "F");
  }
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->value, "kept");
  EXPECT_TRUE((*store)->GetCheckpoint("s", "G")->tombstone());
}

TEST(RedisDatastoreTest, ScriptsSurviveScriptFlush) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "flush-" + Token();
  EXPECT_EQ(store->AddToSet(s, "set", "a")->size, 1);
  auto raw = Raw(TestUrl());
  ASSERT_NE(raw, nullptr);
  auto flushed = raw->Run(redis::Cmd({"SCRIPT", "FLUSH"}));
  ASSERT_TRUE(flushed.ok());
  Result<SetAddResult> r = store->AddToSet(s, "set", "b");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size, 2);
  EXPECT_EQ(store->AddToSet(s, "set", "c")->size, 3);
}

TEST(RedisDatastoreTest, TombstonesCarryTheirTtl) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "ttl-" + Token();
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s, "F", "v"));
  ASSERT_TRUE(store->DeleteCheckpoint(s, "F", seconds(100)).ok());
  ASSERT_TRUE(store->AddToSet(s, "set", "m").ok());
  ASSERT_TRUE(store->DeleteSet(s, "set", seconds(200)).ok());
  auto raw = Raw(TestUrl());
  ASSERT_NE(raw, nullptr);
  auto ttl =
      raw->Run(redis::Cmd({"TTL", RedisDatastore::CheckpointKey(s, "F")}));
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT((*ttl)->integer, 90);
  EXPECT_LE((*ttl)->integer, 100);
  ttl = raw->Run(redis::Cmd({"TTL", RedisDatastore::SetKey(s, "set")}));
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT((*ttl)->integer, 190);
  // Live checkpoints, sets and the record do not expire.
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s, "G", "v"));
  ttl = raw->Run(redis::Cmd({"TTL", RedisDatastore::CheckpointKey(s, "G")}));
  EXPECT_EQ((*ttl)->integer, -1);

  // A zero TTL tombstone is gone at once.
  ASSERT_TRUE(store->DeleteCheckpoint(s, "G", seconds(0)).ok());
  EXPECT_TRUE(store->GetCheckpoint(s, "G")->absent());
}

TEST(RedisDatastoreTest, ManyThreadsShareASmallPool) {
  auto store = OpenTestStore("?pool=3");
  ASSERT_NE(store, nullptr);
  const std::string s = "pool-" + Token();
  constexpr int kThreads = 48;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string name = std::to_string(t) + "-" + std::to_string(i);
        if (!store->PutCheckpointIfAbsent(s, name, name).ok()) ++errors;
        if (!store->AddToSet(s, "all", name).ok()) ++errors;
        auto got = store->GetCheckpoint(s, name);
        if (!got.ok() || got->value != name) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store->AddToSet(s, "all", "0-0")->size, kThreads * 20);
}

TEST(RedisDatastoreTest, MergedPipelinesCarryManyThreadsCalls) {
  auto store = OpenTestStore("?pipelines=1");
  ASSERT_NE(store, nullptr);
  const std::string s = "merged-" + Token();
  constexpr int kThreads = 16;
  constexpr int kRounds = 50;
  ASSERT_TRUE(store->Ping().ok());  // opens the one connection
  const redis::ClientStats before = redis::GetClientStats();
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string name = std::to_string(t) + "-" + std::to_string(i);
        if (!*store->PutCheckpointIfAbsent(s, name, name)) ++errors;
        if (*store->PutCheckpointIfAbsent(s, name, "again")) ++errors;
        if (!store->AddToSet(s, "all", name).ok()) ++errors;
        auto got = store->GetCheckpoint(s, name);
        if (!got.ok() || got->value != name) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  const redis::ClientStats after = redis::GetClientStats();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store->AddToSet(s, "all", "0-0")->size, kThreads * kRounds);
  // Every call answered; 16 threads on one pipeline share round trips.
  EXPECT_EQ(after.calls - before.calls, kThreads * kRounds * 4);
  EXPECT_LT(after.round_trips - before.round_trips, after.calls - before.calls);
}

TEST(RedisClientTest, ExecuteManyKeepsEachCallsTransactionApart) {
  auto conn = Raw(TestUrl());
  ASSERT_NE(conn, nullptr);
  const std::string key = "many-" + Token();
  // A: a transaction refused at queueing time (GET without a key).
  const std::vector<redis::RedisCommand> a_tx = {redis::Cmd({"SET", key, "a"}),
                                                 redis::Cmd({"GET"})};
  const std::vector<redis::RedisCommand> a_plain = {redis::Cmd({"GET", key})};
  // B: a transaction that runs, then a plain read.
  const std::vector<redis::RedisCommand> b_tx = {redis::Cmd({"SET", key, "b"})};
  const std::vector<redis::RedisCommand> b_plain = {redis::Cmd({"GET", key})};
  // C: nothing to send.
  const std::vector<redis::RedisCommand> none;
  redis::RedisConnection::Request a, b, c;
  a.tx = &a_tx;
  a.plain = &a_plain;
  b.tx = &b_tx;
  b.plain = &b_plain;
  c.tx = &none;
  c.plain = &none;
  const int64_t before = redis::GetClientStats().round_trips;
  conn->ExecuteMany({&a, &c, &b});
  EXPECT_EQ(redis::GetClientStats().round_trips, before + 1);
  ASSERT_TRUE(a.result.ok()) << a.result.status().ToString();
  EXPECT_FALSE(a.result->tx_status.ok());
  ASSERT_EQ(a.result->plain.size(), 1u);
  EXPECT_TRUE(redis::IsNil(a.result->plain[0].get()));  // A's SET not run
  ASSERT_TRUE(c.result.ok());
  EXPECT_TRUE(c.result->plain.empty());
  ASSERT_TRUE(b.result.ok()) << b.result.status().ToString();
  EXPECT_TRUE(b.result->tx_status.ok());
  ASSERT_EQ(b.result->tx.size(), 1u);
  ASSERT_EQ(b.result->plain.size(), 1u);
  EXPECT_EQ(redis::ReplyString(b.result->plain[0].get()), "b");
}

TEST(RedisDatastoreTest, MergedPipelinesReconnectAfterServerRestart) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto store = RedisDatastore::Open((*server)->url(0, "?pipelines=2"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(*(*store)->PutCheckpointIfAbsent("s", "F", "before"));
  ASSERT_TRUE((*server)->Stop().ok());
  EXPECT_EQ((*store)->GetCheckpoint("s", "F").status().code(),
            StatusCode::kUnavailable);
  ASSERT_TRUE((*server)->Restart().ok());
  Result<Lookup> up = (*store)->GetCheckpoint("s", "F");
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_TRUE(up->absent());
  Result<SetAddResult> added = (*store)->AddToSet("s", "set", "b");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->size, 1);
}

TEST(RedisDatastoreTest, DeferredWritesRideWithTheNextCommand) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "deferred-" + Token();
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s, "P", "parent"));
  ASSERT_TRUE(store->AddToSet(s, "gc", "m").ok());

  redis::DeferredWrites writes(store->endpoint().Identity());
  {
    redis::DeferredWrites::Scope scope(&writes);
    const int64_t before = redis::GetClientStats().round_trips;
    ASSERT_TRUE(store->DeleteCheckpoint(s, "P", seconds(100)).ok());
    ASSERT_TRUE(store->DeleteSet(s, "gc", seconds(100)).ok());
    EXPECT_EQ(redis::GetClientStats().round_trips, before);  // nothing sent
    EXPECT_EQ(writes.commands().size(), 2u);

    // Another thread still sees the old state.
    bool present = false;
    std::thread([&] {
      present = store->GetCheckpoint(s, "P")->present();
    }).join();
    EXPECT_TRUE(present);
    EXPECT_EQ(writes.commands().size(), 2u);

    // This thread's next command carries them, in order, in one round trip.
    const int64_t before_get = redis::GetClientStats().round_trips;
    EXPECT_TRUE(store->GetCheckpoint(s, "P")->tombstone());
    EXPECT_EQ(redis::GetClientStats().round_trips, before_get + 1);
    EXPECT_TRUE(writes.empty());
    EXPECT_TRUE(store->AddToSet(s, "gc", "x")->closed);
  }
  // Outside the scope writes go out at once.
  ASSERT_TRUE(store->DeleteCheckpoint(s, "Q", seconds(100)).ok());
  EXPECT_TRUE(writes.empty());
  EXPECT_TRUE(OpenTestStore()->GetCheckpoint(s, "Q")->tombstone());
}

TEST(RedisDatastoreTest, DeferredWritesSurviveAConnectionLoss) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto store = RedisDatastore::Open((*server)->url());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(*(*store)->PutCheckpointIfAbsent("s", "P", "v"));
  redis::DeferredWrites writes((*store)->endpoint().Identity());
  redis::DeferredWrites::Scope scope(&writes);
  ASSERT_TRUE((*store)->DeleteCheckpoint("s", "X", seconds(100)).ok());
  ASSERT_TRUE((*server)->Stop().ok());
  EXPECT_EQ((*store)->GetCheckpoint("s", "P").status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(writes.commands().size(), 1u);  // kept for the next try
  ASSERT_TRUE((*server)->Restart().ok());
  Result<Lookup> x = (*store)->GetCheckpoint("s", "X");
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_TRUE(x->tombstone());
  EXPECT_TRUE(writes.empty());
}

TEST(RedisDatastoreTest, ListKeysIgnoresOtherSessionsSharingAPrefix) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "glob*[x]?-" + Token();
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s, "A", "a"));
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s + "x", "B", "b"));
  ASSERT_TRUE(
      *store->PutCheckpointIfAbsent(s.substr(0, s.size() - 1), "C", "c"));
  Result<std::vector<KeyInfo>> keys = store->ListKeys(s);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].name, "A");
}

}  // namespace
}  // namespace unum
