// Tests for MemoryDatastore: the contract suite, tombstone expiry with a fake
// clock, and opening it by URL.
#include "datastore/memory/memory_datastore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/latency_model.h"
#include "datastore/counting_datastore.h"
#include "datastore/datastore_contract_test.h"
#include "datastore/forwarding_datastore.h"
#include "unum/datastore.h"

namespace unum {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

using Made = Result<std::unique_ptr<Datastore>>;

INSTANTIATE_TEST_SUITE_P(
    Memory, DatastoreContractTest,
    ::testing::Values(
        DatastoreFactory{
            "Plain", [] { return Made(std::make_unique<MemoryDatastore>()); }},
        // The wrappers must forward every method faithfully.
        DatastoreFactory{"Forwarding",
                         [] {
                           return Made(std::make_unique<ForwardingDatastore>(
                               std::make_unique<MemoryDatastore>()));
                         }},
        DatastoreFactory{"Counting",
                         [] {
                           return Made(std::make_unique<CountingDatastore>(
                               std::make_unique<MemoryDatastore>()));
                         }},
        // Through the URL factory: an error fails every test with it.
        DatastoreFactory{"Opened", [] { return OpenDatastore("memory://"); }}),
    DatastoreFactoryName);

// A clock that moves only when told to; safe to read from many threads.
class FakeClock {
 public:
  std::chrono::steady_clock::time_point Now() const {
    return std::chrono::steady_clock::time_point(
        std::chrono::nanoseconds(now_ns_.load()));
  }
  void Advance(std::chrono::nanoseconds d) { now_ns_.fetch_add(d.count()); }
  MemoryDatastore::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  std::atomic<int64_t> now_ns_{std::chrono::nanoseconds(seconds(1000)).count()};
};

class MemoryDatastoreTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  MemoryDatastore store_{clock_.AsClock()};

  Lookup Get(const std::string& session, const std::string& instance) {
    Result<Lookup> r = store_.GetCheckpoint(session, instance);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lookup{};
  }

  std::vector<KeyInfo> Keys(const std::string& session) {
    Result<std::vector<KeyInfo>> r = store_.ListKeys(session);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<KeyInfo>{};
  }
};

TEST_F(MemoryDatastoreTest, ExpiringCheckpointIsDroppedAfterItsExpiry) {
  ASSERT_TRUE(store_.PutCheckpoint("s", "F", "out", seconds(10))->won);
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "G", "keep"));
  clock_.Advance(seconds(9));
  EXPECT_EQ(Get("s", "F").value, "out");
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Get("s", "F").absent());
  std::vector<KeyInfo> keys = Keys("s");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "G");
  // A tombstone written over an expiring checkpoint keeps its own expiry.
  ASSERT_TRUE(store_.PutCheckpoint("s", "H", "out", seconds(10))->won);
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "H", seconds(100)).ok());
  clock_.Advance(seconds(50));
  EXPECT_TRUE(Get("s", "H").tombstone());
}

TEST_F(MemoryDatastoreTest, CheckpointTombstoneExpiresAfterTtl) {
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "F", "out"));
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "G", "keep"));
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "F", seconds(10)).ok());

  clock_.Advance(seconds(9));
  EXPECT_TRUE(Get("s", "F").tombstone());
  EXPECT_FALSE(*store_.PutCheckpointIfAbsent("s", "F", "late"));
  ASSERT_EQ(Keys("s").size(), 2u);

  clock_.Advance(seconds(1));
  EXPECT_TRUE(Get("s", "F").absent());
  std::vector<KeyInfo> keys = Keys("s");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "G");
  EXPECT_FALSE(keys[0].tombstone);

  // Once the tombstone is gone the key is free again.
  EXPECT_TRUE(*store_.PutCheckpointIfAbsent("s", "F", "again"));
  EXPECT_EQ(Get("s", "F").value, "again");
}

TEST_F(MemoryDatastoreTest, ExpiredTombstoneReadsAbsentInMultiGet) {
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "A", seconds(5)).ok());
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "B", seconds(50)).ok());
  clock_.Advance(seconds(6));
  Result<std::vector<Lookup>> r = store_.GetCheckpoints("s", {"A", "B"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)[0].absent());
  EXPECT_TRUE((*r)[1].tombstone());
}

TEST_F(MemoryDatastoreTest, SetTombstoneExpiresAndSetMayBeRecreated) {
  EXPECT_EQ(store_.AddToSet("s", "gc", "a")->size, 1);
  ASSERT_TRUE(store_.DeleteSet("s", "gc", seconds(5)).ok());
  clock_.Advance(seconds(4));
  EXPECT_TRUE(store_.AddToSet("s", "gc", "b")->closed);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(Keys("s").empty());
  SetAddResult r = *store_.AddToSet("s", "gc", "b");
  EXPECT_FALSE(r.closed);
  EXPECT_EQ(r.size, 1);
}

TEST_F(MemoryDatastoreTest, RepeatedDeleteKeepsTheLaterExpiry) {
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "F", seconds(10)).ok());
  clock_.Advance(seconds(8));
  // Extends to t+18; the stale t+10 expiry must not drop it.
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "F", seconds(10)).ok());
  // A shorter TTL does not shorten it.
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "F", seconds(1)).ok());
  clock_.Advance(seconds(5));
  EXPECT_TRUE(Get("s", "F").tombstone());
  clock_.Advance(seconds(5));
  EXPECT_TRUE(Get("s", "F").absent());
}

TEST_F(MemoryDatastoreTest, ZeroTtlTombstoneIsGoneOnTheNextRead) {
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "F", "out"));
  ASSERT_TRUE(store_.DeleteCheckpoint("s", "F", seconds(0)).ok());
  EXPECT_TRUE(Get("s", "F").absent());
  EXPECT_TRUE(Keys("s").empty());
}

TEST_F(MemoryDatastoreTest, TombstonesExpireAcrossManySessions) {
  constexpr int kSessions = 200;
  for (int i = 0; i < kSessions; ++i) {
    const std::string s = "s" + std::to_string(i);
    ASSERT_TRUE(store_.DeleteCheckpoint(s, "F", seconds(i + 1)).ok());
    ASSERT_TRUE(store_.DeleteSet(s, "set", seconds(i + 1)).ok());
  }
  clock_.Advance(seconds(kSessions / 2));
  for (int i = 0; i < kSessions; ++i) {
    const std::string s = "s" + std::to_string(i);
    const bool expired = i + 1 <= kSessions / 2;
    EXPECT_EQ(Get(s, "F").absent(), expired) << s;
    EXPECT_EQ(Keys(s).size(), expired ? 0u : 2u) << s;
  }
}

TEST_F(MemoryDatastoreTest, ListKeysIsSortedByKindThenName) {
  ASSERT_TRUE(*store_.PutSessionRecordIfAbsent("s", "r"));
  ASSERT_TRUE(store_.AddToSet("s", "b-set", "m").ok());
  ASSERT_TRUE(store_.AddToSet("s", "a-set", "m").ok());
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "Z", "z"));
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent("s", "A", "a"));
  std::vector<KeyInfo> keys = Keys("s");
  ASSERT_EQ(keys.size(), 5u);
  EXPECT_EQ(keys[0].name, "A");
  EXPECT_EQ(keys[1].name, "Z");
  EXPECT_EQ(keys[2].kind, KeyInfo::Kind::kSet);
  EXPECT_EQ(keys[2].name, "a-set");
  EXPECT_EQ(keys[3].name, "b-set");
  EXPECT_EQ(keys[4].kind, KeyInfo::Kind::kSessionRecord);
}

TEST(OpenDatastoreTest, OpensMemory) {
  for (const std::string url : {"memory://", "memory:"}) {
    Result<std::unique_ptr<Datastore>> store = OpenDatastore(url);
    ASSERT_TRUE(store.ok()) << url << ": " << store.status().ToString();
    ASSERT_NE(store->get(), nullptr);
    EXPECT_TRUE(*(*store)->PutCheckpointIfAbsent("s", "F", "v"));
    EXPECT_EQ((*store)->GetCheckpoint("s", "F")->value, "v");
  }
}

TEST(OpenDatastoreTest, EachOpenIsASeparateStore) {
  auto a = OpenDatastore("memory://");
  auto b = OpenDatastore("memory://");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*(*a)->PutCheckpointIfAbsent("s", "F", "v"));
  EXPECT_TRUE((*b)->GetCheckpoint("s", "F")->absent());
}

TEST(OpenDatastoreTest, RejectsUnknownSchemesAndOptions) {
  for (const std::string url :
       {"bogus://x", "", "memory", "://", "memory://host", "memory://?x=1",
        "Memory-ish://", "memory://?latency=gcp", "memory://?read_ms=-1",
        "memory://?invoke_ms=44"}) {
    Result<std::unique_ptr<Datastore>> store = OpenDatastore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(store.status().message(), HasSubstr("'" + url + "'"));
    EXPECT_THAT(store.status().message(), HasSubstr("memory://"));
  }
}

TEST(OpenDatastoreTest, LatencyModelDelaysProtocolOperations) {
  auto store = OpenDatastore("memory://?read_ms=30&write_ms=60");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  ASSERT_TRUE((*store)->PutCheckpoint("s", "F", "v", seconds(0))->won);
  auto t1 = Clock::now();
  EXPECT_EQ((*store)->GetCheckpoint("s", "F")->value, "v");
  auto t2 = Clock::now();
  // No spread: each call waits at least its median.
  EXPECT_GE(t1 - t0, std::chrono::milliseconds(60));
  EXPECT_GE(t2 - t1, std::chrono::milliseconds(30));
}

TEST(OpenDatastoreTest, LatencyErrorsNameTheOption) {
  auto store = OpenDatastore("memory://?latency=gcp");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(),
              HasSubstr("option 'latency' must be aws or none, got 'gcp'"));
  store = OpenDatastore("memory://?invoke_ms=4");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(),
              HasSubstr("unknown option 'invoke_ms' (known: latency, read_ms, "
                        "write_ms, latency_spread)"));
}

TEST(LatencyModelTest, AwsPresetAndOverridesInAnyOrder) {
  LatencyModel m;
  ASSERT_TRUE(*ApplyLatencyOption("read_ms", "3.5", &m));
  ASSERT_TRUE(*ApplyLatencyOption("latency", "aws", &m));
  EXPECT_EQ(m.read, std::chrono::microseconds(3500));
  EXPECT_EQ(m.write, std::chrono::milliseconds(20));
  EXPECT_EQ(m.invoke, std::chrono::milliseconds(44));
  EXPECT_DOUBLE_EQ(m.spread, 0.25);
  EXPECT_FALSE(*ApplyLatencyOption("workers", "4", &m));
  EXPECT_FALSE(ApplyLatencyOption("latency_spread", "x", &m).ok());
  // Without spread every sample is the median; with it, samples vary
  // around it (median of many samples near the median).
  LatencyModel fixed;
  fixed.read = std::chrono::milliseconds(7);
  EXPECT_EQ(fixed.Sample(fixed.read), std::chrono::milliseconds(7));
  std::vector<int64_t> samples;
  for (int i = 0; i < 2001; ++i) samples.push_back(m.Sample(m.write).count());
  std::nth_element(samples.begin(), samples.begin() + 1000, samples.end());
  EXPECT_NEAR(static_cast<double>(samples[1000]), 20000.0, 2000.0);
}

}  // namespace
}  // namespace unum
