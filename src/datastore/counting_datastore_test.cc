// Tests for CountingDatastore and the ForwardingDatastore pattern it uses.
#include "datastore/counting_datastore.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "unum/datastore.h"

namespace unum {
namespace {

using std::chrono::seconds;

TEST(CountingDatastoreTest, StartsAtZero) {
  MemoryDatastore memory;
  CountingDatastore counting(&memory);
  DatastoreStats s = counting.stats();
  EXPECT_EQ(s.get_checkpoint, 0);
  EXPECT_EQ(s.put_checkpoint, 0);
  EXPECT_EQ(s.get_checkpoints, 0);
  EXPECT_EQ(s.set_add, 0);
  EXPECT_EQ(s.delete_checkpoint, 0);
  EXPECT_EQ(s.delete_set, 0);
  EXPECT_EQ(s.session_record, 0);
}

TEST(CountingDatastoreTest, CountsEachKindExactly) {
  MemoryDatastore memory;
  CountingDatastore counting(&memory);

  EXPECT_TRUE(counting.GetCheckpoint("s", "A")->absent());
  EXPECT_TRUE(*counting.PutCheckpointIfAbsent("s", "A", "a"));
  EXPECT_FALSE(*counting.PutCheckpointIfAbsent("s", "A", "b"));  // lost
  EXPECT_TRUE(*counting.PutCheckpointIfAbsent("s", "B", "b"));
  EXPECT_EQ(counting.GetCheckpoint("s", "A")->value, "a");
  // One call for three keys.
  EXPECT_EQ(counting.GetCheckpoints("s", {"A", "B", "C"})->size(), 3u);
  EXPECT_EQ(counting.AddToSet("s", "set", "x")->size, 1);
  EXPECT_EQ(counting.AddToSet("s", "set", "x")->size, 1);
  EXPECT_EQ(counting.AddToSet("s", "set", "y")->size, 2);
  EXPECT_TRUE(counting.DeleteCheckpoint("s", "A", seconds(60)).ok());
  EXPECT_TRUE(counting.DeleteSet("s", "set", seconds(60)).ok());
  EXPECT_TRUE(counting.DeleteSet("s", "set", seconds(60)).ok());
  EXPECT_TRUE(counting.AddToSet("s", "set", "z")->closed);
  EXPECT_TRUE(*counting.PutSessionRecordIfAbsent("s", "r"));
  EXPECT_EQ(counting.GetSessionRecord("s")->value, "r");
  EXPECT_EQ(counting.ListKeys("s")->size(), 4u);  // not counted

  DatastoreStats s = counting.stats();
  EXPECT_EQ(s.get_checkpoint, 2);
  EXPECT_EQ(s.put_checkpoint, 3);
  EXPECT_EQ(s.get_checkpoints, 1);
  EXPECT_EQ(s.set_add, 4);
  EXPECT_EQ(s.delete_checkpoint, 1);
  EXPECT_EQ(s.delete_set, 2);
  EXPECT_EQ(s.session_record, 2);

  // The calls reached the wrapped store.
  EXPECT_TRUE(memory.GetCheckpoint("s", "A")->tombstone());
  EXPECT_EQ(memory.GetCheckpoint("s", "B")->value, "b");

  counting.ResetStats();
  s = counting.stats();
  EXPECT_EQ(s.get_checkpoint + s.put_checkpoint + s.get_checkpoints +
                s.set_add + s.delete_checkpoint + s.delete_set +
                s.session_record,
            0);
}

// Failed calls are counted too: they cost a round trip all the same.
class FailingPuts : public ForwardingDatastore {
 public:
  using ForwardingDatastore::ForwardingDatastore;
  Result<PutOutcome> PutCheckpoint(const std::string&, const std::string&,
                                   const std::string&,
                                   std::chrono::seconds) override {
    return Status::Unavailable("injected");
  }
};

TEST(CountingDatastoreTest, RecordsItemSizesForRequestUnits) {
  MemoryDatastore memory;
  CountingDatastore counting(&memory);
  // Key bytes: session "s" (1) + instance name; value bytes added.
  const std::string one_kb(1024 - 2, 'x');       // "s" + "A" + 1022 = 1024
  const std::string over_one_kb(1536 - 2, 'y');  // "s" + "B" + 1534 = 1536
  const std::string over_4kb(4200 - 2, 'z');     // "s" + "C" + 4198 = 4200
  ASSERT_TRUE(*counting.PutCheckpointIfAbsent("s", "A", one_kb));
  ASSERT_TRUE(*counting.PutCheckpointIfAbsent("s", "B", over_one_kb));
  ASSERT_TRUE(*counting.PutCheckpointIfAbsent("s", "C", over_4kb));
  ASSERT_TRUE(counting.GetCheckpoint("s", "C")->present());  // 4200 bytes
  ASSERT_TRUE(counting.GetCheckpoint("s", "D")->absent());   // 2 bytes
  ASSERT_EQ(counting.GetCheckpoints("s", {"A", "B", "C"})->size(), 3u);
  ASSERT_TRUE(counting.DeleteCheckpoint("s", "A", seconds(60)).ok());
  ASSERT_TRUE(counting.AddToSet("s", "set", "member")->size == 1);

  DatastoreStats s = counting.stats();
  const auto& put = s.writes.at("put_checkpoint");
  EXPECT_EQ(put.items, 3);
  EXPECT_EQ(put.bytes, 1024 + 1536 + 4200);
  EXPECT_EQ(put.by_started_kb,
            (std::map<int64_t, int64_t>{{1, 1}, {2, 1}, {5, 1}}));
  EXPECT_EQ(put.Units(1), 1 + 2 + 5);  // write request units (1 KB)
  EXPECT_EQ(put.Units(4), 1 + 1 + 2);  // read-sized units (4 KB)

  const auto& get = s.reads.at("get_checkpoint");
  EXPECT_EQ(get.items, 2);
  EXPECT_EQ(get.bytes, 4200 + 2);
  EXPECT_EQ(get.Units(4), 2 + 1);  // an absent key still costs a unit

  const auto& multi = s.reads.at("get_checkpoints");
  EXPECT_EQ(multi.items, 3);  // one per name, one call
  EXPECT_EQ(s.get_checkpoints, 1);
  EXPECT_EQ(multi.bytes, 1024 + 1536 + 4200);
  EXPECT_EQ(multi.Units(4), 1 + 1 + 2);

  EXPECT_EQ(s.writes.at("delete_checkpoint").bytes, 2);
  EXPECT_EQ(s.writes.at("set_add").bytes, 1 + 3 + 6);
  EXPECT_EQ(s.writes.count("session_record"), 0u);

  counting.ResetStats();
  EXPECT_TRUE(counting.stats().writes.empty());
  EXPECT_TRUE(counting.stats().reads.empty());
}

TEST(CountingDatastoreTest, CountsFailedCalls) {
  MemoryDatastore memory;
  FailingPuts failing(&memory);
  CountingDatastore counting(&failing);
  Result<bool> r = counting.PutCheckpointIfAbsent("s", "A", "a");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsUnavailable());
  EXPECT_EQ(counting.stats().put_checkpoint, 1);
  // Other methods still reach the store through both wrappers.
  EXPECT_TRUE(counting.GetCheckpoint("s", "A")->absent());
  EXPECT_EQ(counting.AddToSet("s", "set", "m")->size, 1);
  EXPECT_EQ(counting.stats().get_checkpoint, 1);
  EXPECT_EQ(counting.stats().set_add, 1);
}

TEST(CountingDatastoreTest, CountsConcurrentCallsExactly) {
  CountingDatastore counting(std::make_unique<MemoryDatastore>());
  constexpr int kThreads = 8;
  constexpr int kCalls = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&counting, t] {
      const std::string session = "s" + std::to_string(t % 3);
      for (int i = 0; i < kCalls; ++i) {
        const std::string name = std::to_string(t) + "-" + std::to_string(i);
        (void)counting.PutCheckpointIfAbsent(session, name, "v");
        (void)counting.GetCheckpoint(session, name);
        (void)counting.AddToSet(session, "set", name);
      }
    });
  }
  for (auto& th : threads) th.join();
  DatastoreStats s = counting.stats();
  EXPECT_EQ(s.put_checkpoint, kThreads * kCalls);
  EXPECT_EQ(s.get_checkpoint, kThreads * kCalls);
  EXPECT_EQ(s.set_add, kThreads * kCalls);
  EXPECT_EQ(s.get_checkpoints, 0);
}

}  // namespace
}  // namespace unum
