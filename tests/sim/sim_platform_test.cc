#include "sim/sim_platform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "datastore/memory/memory_datastore.h"
#include "sim/coroutine.h"

namespace unum::sim {
namespace {

using nlohmann::json;
using runtime::ProtocolPoint;

TEST(CoroutineTest, YieldsAndResumes) {
  std::vector<int> steps;
  Coroutine co([&] {
    steps.push_back(1);
    Coroutine::Yield();
    steps.push_back(2);
  });
  EXPECT_FALSE(co.done());
  co.Resume();
  EXPECT_EQ(steps, std::vector<int>{1});
  co.Resume();
  EXPECT_TRUE(co.done());
  EXPECT_EQ(steps, (std::vector<int>{1, 2}));
  Coroutine::Yield();  // outside a coroutine: no-op
}

TEST(CoroutineTest, ExceptionReachesResume) {
  Coroutine co([] { throw std::runtime_error("boom"); });
  EXPECT_THROW(co.Resume(), std::runtime_error);
  EXPECT_TRUE(co.done());
}

// A toy workflow on the platform: each delivery of F(n) does two datastore
// operations (scheduling points) and, while n > 0, invokes F(n-1) twice.
struct Toy {
  VirtualClock clock;
  MemoryDatastore memory{[this] { return clock.Now(); }};
  FaultDatastore faults{&memory, 99};
  SimPlatform platform;
  runtime::Runtime::FaultHook hook;
  int in_flight = 0;
  int max_in_flight = 0;
  std::vector<int> attempts_seen;

  Toy(uint64_t seed, SimOptions options)
      : platform(seed, options, &clock, &faults), hook(platform.FaultHook()) {
    platform.SetHandler([this](const Invocation& inv) {
      ++in_flight;
      max_in_flight = std::max(max_in_flight, in_flight);
      Status s = Handle(inv);
      --in_flight;
      return s;
    });
  }

  Status Handle(const Invocation& inv) {
    attempts_seen.push_back(inv.attempt);
    const int n = inv.payload.at("n").get<int>();
    const std::string name = "F" + std::to_string(n) + "/" +
                             inv.payload.at("path").get<std::string>();
    UNUM_RETURN_IF_ERROR(hook(ProtocolPoint::kBeforeUserCode, name, 0));
    auto seen = faults.GetCheckpoint("s", name);
    if (!seen.ok()) return seen.status();
    UNUM_RETURN_IF_ERROR(hook(ProtocolPoint::kAfterUserCode, name, 0));
    auto put = faults.PutCheckpointIfAbsent("s", name, "x");
    if (!put.ok()) return put.status();
    UNUM_RETURN_IF_ERROR(hook(ProtocolPoint::kAfterCheckpoint, name, 0));
    UNUM_RETURN_IF_ERROR(hook(ProtocolPoint::kAfterGc, name, 0));
    if (n > 0) {
      for (int i = 0; i < 2; ++i) {
        UNUM_RETURN_IF_ERROR(platform.Invoke(
            "F", {{"n", n - 1},
                  {"path", inv.payload.at("path").get<std::string>() +
                               std::to_string(i)}}));
        UNUM_RETURN_IF_ERROR(
            hook(ProtocolPoint::kAfterContinuation, name, i + 1));
      }
    }
    return Status::Ok();
  }

  void Run(int depth) {
    platform.Submit("F", {{"n", depth}, {"path", "r"}});
    platform.RunUntilIdle();
  }
};

SimOptions Noisy() {
  SimOptions o;
  o.duplicate = 0.2;
  o.delayed_duplicate = 0.1;
  o.delay = 0.5;
  o.crash = 0.2;
  o.record_trace = true;
  return o;
}

TEST(SimPlatformTest, SameSeedSameTrace) {
  Toy a(42, Noisy());
  Toy b(42, Noisy());
  a.Run(4);
  b.Run(4);
  ASSERT_FALSE(a.platform.trace().empty());
  EXPECT_EQ(a.platform.trace(), b.platform.trace());
  EXPECT_EQ(a.platform.trace_hash(), b.platform.trace_hash());
  EXPECT_EQ(a.clock.now_us, b.clock.now_us);
}

TEST(SimPlatformTest, DifferentSeedsDifferentOrders) {
  std::set<std::vector<std::string>> traces;
  std::set<uint64_t> hashes;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SimOptions o;  // no faults: only the scheduling order differs
    o.record_trace = true;
    Toy t(seed, o);
    t.Run(3);
    EXPECT_EQ(t.platform.counts().completed, 15);  // 1 + 2 + 4 + 8
    // Keep only the order in which instances started.
    std::vector<std::string> order;
    for (const Delivery& d : t.platform.started()) {
      order.push_back(d.payload->at("path").get<std::string>());
    }
    traces.insert(order);
    hashes.insert(t.platform.trace_hash());
  }
  EXPECT_GE(traces.size(), 8u);
  EXPECT_EQ(hashes.size(), 10u);
}

TEST(SimPlatformTest, DeliveriesInterleaveAtSchedulingPoints) {
  int max_seen = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Toy t(seed, SimOptions{});
    t.Run(3);
    max_seen = std::max(max_seen, t.max_in_flight);
  }
  EXPECT_GE(max_seen, 3);
}

TEST(SimPlatformTest, FailedDeliveriesAreRetriedWithAttemptPlusOne) {
  VirtualClock clock;
  SimPlatform platform(1, SimOptions{}, &clock, nullptr);
  std::vector<int> attempts;
  platform.SetHandler([&](const Invocation& inv) {
    attempts.push_back(inv.attempt);
    return inv.attempt < 2 ? Status::Unavailable("flaky") : Status::Ok();
  });
  platform.Submit("F", json::object());
  platform.RunUntilIdle();
  EXPECT_EQ(attempts, (std::vector<int>{1, 2}));
  EXPECT_EQ(platform.counts().retries, 1);
  EXPECT_TRUE(platform.exhausted().empty());
  EXPECT_GE(clock.now_us, 1000 * 1000);  // retry_min = 1 s of virtual time
}

TEST(SimPlatformTest, ExhaustedAfterMaxAttempts) {
  VirtualClock clock;
  SimOptions o;
  o.max_attempts = 3;
  SimPlatform platform(1, o, &clock, nullptr);
  int calls = 0;
  platform.SetHandler([&](const Invocation&) {
    ++calls;
    return Status::Internal("always");
  });
  platform.Submit("F", json::object());
  platform.RunUntilIdle();
  EXPECT_EQ(calls, 3);
  ASSERT_EQ(platform.exhausted().size(), 1u);
  EXPECT_EQ(platform.exhausted()[0].delivery.attempt, 3);
}

TEST(SimPlatformTest, CrashesAreRetriedAndTheLastAttemptIsFaultFree) {
  int64_t crashes = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SimOptions o;
    o.crash = 1.0;  // every non-final attempt picks a crash point
    Toy t(seed, o);
    t.Run(3);
    for (int64_t c : t.platform.counts().crashes) crashes += c;
    crashes +=
        t.faults.counts().crash_after_op + t.faults.counts().crash_mid_gc;
    EXPECT_TRUE(t.platform.exhausted().empty()) << "seed " << seed;
    EXPECT_EQ(t.platform.counts().calls_after_crash, 0);
    // Every one of the 15 instances completed (put its marker).
    EXPECT_EQ(t.memory.ListKeys("s")->size(), 15u) << "seed " << seed;
  }
  EXPECT_GT(crashes, 100);
}

TEST(SimPlatformTest, LateDuplicatesComeWithinTheMaximumEventAge) {
  SimOptions o;
  o.max_event_age = std::chrono::hours(6);
  Toy t(5, o);
  t.Run(2);
  const int64_t end_of_run = t.clock.now_us;
  EXPECT_EQ(t.platform.InjectLateDuplicates(4), 4);
  t.platform.RunUntilIdle();
  int late = 0;
  for (const Delivery& d : t.platform.started()) {
    // (The toy does not checkpoint, so late duplicates invoke children,
    // which are late-phase deliveries too.)
    EXPECT_EQ(d.late_phase, d.due_us >= end_of_run);
    if (d.origin != Origin::kLateDuplicate) continue;
    ++late;
    EXPECT_TRUE(d.late_phase);
    EXPECT_GE(d.due_us, end_of_run);
    EXPECT_LE(d.due_us, d.invoked_us + int64_t{6} * 3600 * 1000 * 1000);
  }
  EXPECT_EQ(late, 4);
  EXPECT_GT(t.clock.now_us, end_of_run);
}

TEST(SimPlatformTest, VirtualTimeExpiresTombstones) {
  VirtualClock clock;
  MemoryDatastore memory([&clock] { return clock.Now(); });
  SimPlatform platform(1, SimOptions{}, &clock, nullptr);
  Lookup::State seen = Lookup::State::kPresent;
  platform.SetHandler([&](const Invocation& inv) -> Status {
    if (inv.function == "Delete") {
      UNUM_RETURN_IF_ERROR(
          memory.DeleteCheckpoint("s", "A", std::chrono::seconds(10)));
      return platform.InvokeAfter(std::chrono::seconds(20), "Read",
                                  json::object());
    }
    seen = memory.GetCheckpoint("s", "A")->state;
    return Status::Ok();
  });
  platform.Submit("Delete", json::object());
  platform.RunUntilIdle();
  EXPECT_EQ(seen, Lookup::State::kAbsent);  // the 10 s tombstone expired
  EXPECT_GE(clock.now_us, int64_t{20} * 1000 * 1000);
}

TEST(SimPlatformTest, SenderAndInstanceAreRecorded) {
  VirtualClock clock;
  SimPlatform platform(1, SimOptions{}, &clock, nullptr);
  platform.SetHandler([&](const Invocation& inv) -> Status {
    if (inv.function == "P") {
      return platform.Invoke(
          "C", {{"Session", "s"},
                {"Data", {{"Source", "http"}, {"Value", 1}}},
                {"Fan-out", {{"Type", "Map"}, {"Index", 2}, {"Size", 3}}}});
    }
    return Status::Ok();
  });
  platform.Submit("P", {{"Session", "s"}});
  platform.RunUntilIdle();
  ASSERT_EQ(platform.started().size(), 2u);
  EXPECT_EQ(platform.started()[0].sender, "");
  EXPECT_EQ(platform.started()[1].instance, "C-unumIndex-2");
  EXPECT_EQ(platform.started()[1].sender, "P");
}

}  // namespace
}  // namespace unum::sim
