#include "sim/fault_datastore.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "datastore/memory/memory_datastore.h"

namespace unum::sim {
namespace {

using std::chrono::seconds;

TEST(FaultDatastoreTest, WithoutFaultsForwardsEverything) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1);
  auto won = store.PutCheckpointIfAbsent("s", "A", "v");
  ASSERT_TRUE(won.ok());
  EXPECT_TRUE(*won);
  auto got = store.GetCheckpoint("s", "A");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value, "v");
  auto added = store.AddToSet("s", "set", "m");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->size, 1);
  EXPECT_TRUE(store.DeleteCheckpoint("s", "A", seconds(60)).ok());
  EXPECT_TRUE(memory.GetCheckpoint("s", "A")->tombstone());
  EXPECT_EQ(store.counts().operations, 4);
  EXPECT_EQ(store.counts().unavailable, 0);
  EXPECT_EQ(store.counts().reply_lost, 0);
}

TEST(FaultDatastoreTest, UnavailableFailsBeforeTheStore) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1, FaultOptions{.unavailable = 1.0});
  auto won = store.PutCheckpointIfAbsent("s", "A", "v");
  ASSERT_FALSE(won.ok());
  EXPECT_TRUE(won.status().IsUnavailable());
  EXPECT_TRUE(memory.GetCheckpoint("s", "A")->absent());
  EXPECT_EQ(store.counts().unavailable, 1);
}

TEST(FaultDatastoreTest, ReplyLostTakesEffectThenFails) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1, FaultOptions{.reply_lost = 1.0});
  auto won = store.PutCheckpointIfAbsent("s", "A", "v");
  ASSERT_FALSE(won.ok());
  EXPECT_TRUE(won.status().IsUnavailable());
  // The write happened: a retry loses to its own earlier write.
  EXPECT_EQ(memory.GetCheckpoint("s", "A")->value, "v");
  store.set_options(FaultOptions{});
  auto again = store.PutCheckpointIfAbsent("s", "A", "v2");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(store.counts().reply_lost, 1);

  // Set adds too: the retry sees its own member.
  store.set_options(FaultOptions{.reply_lost = 1.0});
  EXPECT_FALSE(store.AddToSet("s", "set", "m").ok());
  store.set_options(FaultOptions{});
  EXPECT_EQ(store.AddToSet("s", "set", "m")->size, 1);
}

std::vector<int> Outcomes(uint64_t seed) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, seed,
                       FaultOptions{.unavailable = 0.3, .reply_lost = 0.3});
  std::vector<int> out;
  for (int i = 0; i < 200; ++i) {
    auto r = store.AddToSet("s", "set", std::to_string(i));
    out.push_back(r.ok() ? 0 : 1);
  }
  // 0: ok, 1: failed; and what reached the store.
  out.push_back(static_cast<int>(memory.AddToSet("s", "set", "x")->size));
  return out;
}

TEST(FaultDatastoreTest, SameSeedSameFaultsDifferentSeedDifferentFaults) {
  EXPECT_EQ(Outcomes(7), Outcomes(7));
  EXPECT_NE(Outcomes(7), Outcomes(8));
}

TEST(FaultDatastoreTest, FaultRatesFollowTheOptions) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 3,
                       FaultOptions{.unavailable = 0.1, .reply_lost = 0.2});
  for (int i = 0; i < 10000; ++i) (void)store.GetCheckpoint("s", "A");
  EXPECT_NEAR(store.counts().unavailable, 1000, 150);
  // Reply-lost is drawn only for calls that reached the store (~9000).
  EXPECT_NEAR(store.counts().reply_lost, 1800, 200);
}

TEST(FaultDatastoreTest, NullScopeMeansNoFaults) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1,
                       FaultOptions{.unavailable = 1.0, .reply_lost = 1.0});
  store.SetScope(nullptr);
  EXPECT_TRUE(store.PutCheckpointIfAbsent("s", "A", "v").ok());
  FaultScope disabled;
  disabled.enabled = false;
  store.SetScope(&disabled);
  EXPECT_TRUE(store.GetCheckpoint("s", "A").ok());
  EXPECT_EQ(store.counts().unavailable + store.counts().reply_lost, 0);
}

TEST(FaultDatastoreTest, CrashRightAfterDeleteCheckpoint) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1);
  FaultScope scope;
  scope.crash_after_delete = 2;
  store.SetScope(&scope);
  ASSERT_TRUE(store.PutCheckpointIfAbsent("s", "A", "a").ok());
  ASSERT_TRUE(store.PutCheckpointIfAbsent("s", "B", "b").ok());
  EXPECT_TRUE(store.DeleteCheckpoint("s", "A", seconds(60)).ok());
  Status crash = store.DeleteCheckpoint("s", "B", seconds(60));
  EXPECT_EQ(crash.code(), StatusCode::kAborted);
  EXPECT_TRUE(scope.crashed);
  // The delete took effect before the "crash".
  EXPECT_TRUE(memory.GetCheckpoint("s", "B")->tombstone());
  // A dead process cannot do anything more.
  EXPECT_EQ(store.DeleteSet("s", "gc/B", seconds(60)).code(),
            StatusCode::kAborted);
  EXPECT_EQ(store.counts().crash_mid_gc, 1);
  EXPECT_EQ(store.counts().calls_after_crash, 1);
  EXPECT_TRUE(memory.ListKeys("s")->size() == 2);  // no set was touched
}

TEST(FaultDatastoreTest, CrashAfterTheNthOperation) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1);
  FaultScope scope;
  scope.crash_after_op = 2;
  store.SetScope(&scope);
  EXPECT_TRUE(store.AddToSet("s", "set", "a").ok());
  EXPECT_EQ(store.AddToSet("s", "set", "b").status().code(),
            StatusCode::kAborted);
  EXPECT_EQ(memory.AddToSet("s", "set", "c")->size, 3);  // "b" was applied
  EXPECT_EQ(store.counts().crash_after_op, 1);
}

TEST(FaultDatastoreTest, HookRunsBeforeEveryOperation) {
  MemoryDatastore memory;
  FaultDatastore store(&memory, 1);
  std::vector<DatastoreOp> ops;
  store.SetOperationHook([&](DatastoreOp op) { ops.push_back(op); });
  (void)store.GetCheckpoint("s", "A");
  (void)store.PutSessionRecordIfAbsent("s", "r");
  (void)store.ListKeys("s");  // tooling: no hook
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0], DatastoreOp::kGetCheckpoint);
  EXPECT_EQ(ops[1], DatastoreOp::kPutSessionRecord);
}

}  // namespace
}  // namespace unum::sim
