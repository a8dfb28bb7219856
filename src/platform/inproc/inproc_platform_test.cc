// Tests for what InprocPlatform adds to the platform contract
// (platform_contract_test.h): counters, retry backoff, timer wake-ups,
// WaitUntil, nested invocations, Stop, and URL parsing.
#include "platform/inproc/inproc_platform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace unum {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr milliseconds kLongWait{20000};

InprocOptions Options(int workers, int max_attempts = 3,
                      milliseconds backoff = milliseconds(1)) {
  InprocOptions o;
  o.workers = workers;
  o.max_attempts = max_attempts;
  o.retry_backoff = backoff;
  return o;
}

// Delivery itself is the contract suite's (platform_contract_test.h); here
// what the in-process platform adds: exactly once, and its counters.
TEST(InprocPlatformTest, EveryInvocationRunsExactlyOnceAndIsCounted) {
  constexpr int kCount = 1000;
  std::vector<std::atomic<int>> runs(kCount);
  std::atomic<int> total{0};
  InprocPlatform platform(Options(4));
  // Half queued before Start, half after.
  for (int i = 0; i < kCount / 2; ++i) {
    ASSERT_TRUE(platform.Invoke("F", Json{{"i", i}}).ok());
  }
  EXPECT_EQ(platform.stats().queued, kCount / 2);
  platform.Start([&](const Invocation& inv) {
    EXPECT_EQ(inv.function, "F");
    EXPECT_EQ(inv.attempt, 1);
    runs[inv.payload["i"].get<int>()].fetch_add(1);
    total.fetch_add(1);
    return Status::Ok();
  });
  for (int i = kCount / 2; i < kCount; ++i) {
    ASSERT_TRUE(platform.Invoke("F", Json{{"i", i}}).ok());
  }
  ASSERT_TRUE(
      platform.WaitUntil([&] { return total.load() == kCount; }, kLongWait)
          .ok());
  // Let any stray duplicate show up before checking.
  Status idle = platform.WaitUntil([] { return false; }, kLongWait);
  EXPECT_EQ(idle.code(), StatusCode::kFailedPrecondition);
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
  InprocPlatform::Stats s = platform.stats();
  EXPECT_EQ(s.invocations, kCount);
  EXPECT_EQ(s.completed, kCount);
  EXPECT_EQ(s.failed_attempts, 0);
  EXPECT_EQ(s.retries, 0);
  EXPECT_EQ(s.exhausted, 0);
  EXPECT_EQ(s.queued, 0);
  EXPECT_EQ(s.running, 0);
  EXPECT_EQ(s.delayed, 0);
}

TEST(InprocPlatformTest, FailingHandlerIsRetriedThenExhausted) {
  std::mutex mu;
  std::vector<int> attempts;
  std::vector<std::pair<Invocation, Status>> exhausted;
  InprocPlatform platform(Options(4, /*max_attempts=*/3));
  EXPECT_EQ(platform.MaxAttempts(), 3);
  platform.SetExhaustedCallback([&](const Invocation& inv, const Status& st) {
    std::lock_guard<std::mutex> lock(mu);
    exhausted.emplace_back(inv, st);
  });
  platform.Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    attempts.push_back(inv.attempt);
    return Status::Unavailable("attempt " + std::to_string(inv.attempt));
  });
  ASSERT_TRUE(platform.Invoke("F", Json{{"x", 1}}).ok());
  ASSERT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);

  EXPECT_THAT(attempts, ElementsAre(1, 2, 3));
  ASSERT_EQ(exhausted.size(), 1u);
  EXPECT_EQ(exhausted[0].first.function, "F");
  EXPECT_EQ(exhausted[0].first.payload, (Json{{"x", 1}}));
  EXPECT_EQ(exhausted[0].first.attempt, 3);
  EXPECT_EQ(exhausted[0].second, Status::Unavailable("attempt 3"));
  InprocPlatform::Stats s = platform.stats();
  EXPECT_EQ(s.invocations, 1);
  EXPECT_EQ(s.completed, 0);
  EXPECT_EQ(s.failed_attempts, 3);
  EXPECT_EQ(s.retries, 2);
  EXPECT_EQ(s.exhausted, 1);
}

TEST(InprocPlatformTest, RetryBackoffDoublesPerAttempt) {
  std::mutex mu;
  std::vector<steady_clock::time_point> times;
  InprocPlatform platform(Options(2, /*max_attempts=*/3, milliseconds(30)));
  platform.Start([&](const Invocation&) {
    std::lock_guard<std::mutex> lock(mu);
    times.push_back(steady_clock::now());
    return Status::Internal("no");
  });
  ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  ASSERT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_GE(times[1] - times[0], milliseconds(30));
  EXPECT_GE(times[2] - times[1], milliseconds(60));
}

TEST(InprocPlatformTest, SingleAttemptMeansNoRetry) {
  std::atomic<int> runs{0};
  std::atomic<int> exhausted{0};
  InprocPlatform platform(Options(1, /*max_attempts=*/1));
  EXPECT_EQ(platform.MaxAttempts(), 1);
  platform.SetExhaustedCallback([&](const Invocation& inv, const Status&) {
    EXPECT_EQ(inv.attempt, 1);
    exhausted.fetch_add(1);
  });
  platform.Start([&](const Invocation&) {
    runs.fetch_add(1);
    return Status::Internal("no");
  });
  ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  ASSERT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(exhausted.load(), 1);
}

TEST(InprocPlatformTest, HandlerExceptionsAreInternalFailures) {
  std::mutex mu;
  std::vector<Status> statuses;
  InprocPlatform platform(Options(2, /*max_attempts=*/2));
  platform.SetExhaustedCallback([&](const Invocation&, const Status& st) {
    std::lock_guard<std::mutex> lock(mu);
    statuses.push_back(st);
  });
  platform.Start([&](const Invocation& inv) -> Status {
    if (inv.function == "std") throw std::runtime_error("boom");
    throw 42;
  });
  ASSERT_TRUE(platform.Invoke("std", Json()).ok());
  ASSERT_TRUE(platform.Invoke("int", Json()).ok());
  ASSERT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_EQ(statuses.size(), 2u);
  for (const Status& st : statuses) {
    EXPECT_EQ(st.code(), StatusCode::kInternal);
  }
  const std::string both = statuses[0].message() + statuses[1].message();
  EXPECT_THAT(both, HasSubstr("boom"));
  EXPECT_THAT(both, HasSubstr("non-std exception"));
  EXPECT_EQ(platform.stats().failed_attempts, 4);
}

TEST(InprocPlatformTest, ExhaustedCallbackMayInvoke) {
  std::atomic<int> reported{0};
  InprocPlatform platform(Options(1, /*max_attempts=*/1));
  platform.SetExhaustedCallback([&](const Invocation& inv, const Status&) {
    EXPECT_TRUE(platform.Invoke("Report", Json(inv.function)).ok());
  });
  platform.Start([&](const Invocation& inv) {
    if (inv.function == "Report") {
      reported.fetch_add(1);
      return Status::Ok();
    }
    return Status::Internal("no");
  });
  ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  EXPECT_TRUE(
      platform.WaitUntil([&] { return reported.load() == 1; }, kLongWait).ok());
}

TEST(InprocPlatformTest, EarlierDelayedWorkIsNotHeldUpByLaterWork) {
  std::atomic<bool> ran{false};
  InprocPlatform platform(Options(1));
  platform.Start([&](const Invocation& inv) {
    if (inv.function == "soon") ran.store(true);
    return Status::Ok();
  });
  // The worker first sleeps toward the far deadline; the new earlier one
  // must wake it.
  ASSERT_TRUE(platform.InvokeAfter(std::chrono::hours(1), "far", Json()).ok());
  std::this_thread::sleep_for(milliseconds(20));
  const steady_clock::time_point start = steady_clock::now();
  ASSERT_TRUE(platform.InvokeAfter(milliseconds(20), "soon", Json()).ok());
  ASSERT_TRUE(
      platform.WaitUntil([&] { return ran.load(); }, milliseconds(5000)).ok());
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));
}

// A busy worker must not hold up delayed work that an idle worker can run.
TEST(InprocPlatformTest, DelayedWorkRunsWhileAnotherWorkerIsBusy) {
  for (int round = 0; round < 5; ++round) {
    std::atomic<bool> release{false};
    std::atomic<bool> fast_ran{false};
    InprocPlatform platform(Options(2));
    platform.Start([&](const Invocation& inv) {
      if (inv.function == "slow") {
        while (!release.load()) std::this_thread::sleep_for(milliseconds(1));
      } else {
        fast_ran.store(true);
      }
      return Status::Ok();
    });
    std::this_thread::sleep_for(milliseconds(5));  // both workers idle
    ASSERT_TRUE(platform.InvokeAfter(milliseconds(30), "fast", Json()).ok());
    ASSERT_TRUE(platform.Invoke("slow", Json()).ok());
    Status st =
        platform.WaitUntil([&] { return fast_ran.load(); }, milliseconds(3000));
    release.store(true);
    EXPECT_TRUE(st.ok()) << "round " << round << ": " << st.ToString();
  }
}

TEST(InprocPlatformTest, WaitUntilReturnsOkWhenTheConditionHolds) {
  InprocPlatform platform(Options(2));
  platform.Start([](const Invocation&) { return Status::Ok(); });
  EXPECT_TRUE(platform.WaitUntil([] { return true; }, milliseconds(0)).ok());

  std::atomic<int> runs{0};
  InprocPlatform counted(Options(2));
  counted.Start([&](const Invocation&) {
    runs.fetch_add(1);
    return Status::Ok();
  });
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(counted.Invoke("F", Json()).ok());
  EXPECT_TRUE(
      counted.WaitUntil([&] { return runs.load() >= 5; }, kLongWait).ok());
}

TEST(InprocPlatformTest, WaitUntilReportsIdle) {
  InprocPlatform platform(Options(2));
  platform.Start([](const Invocation&) { return Status::Ok(); });
  const steady_clock::time_point start = steady_clock::now();
  Status st = platform.WaitUntil([] { return false; }, kLongWait);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("idle"));
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));

  // Also after work ran and the condition never became true.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  st = platform.WaitUntil([] { return false; }, kLongWait);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(platform.stats().completed, 10);
}

TEST(InprocPlatformTest, WaitUntilTimesOutOnFarDelayedWork) {
  InprocPlatform platform(Options(2));
  platform.Start([](const Invocation&) { return Status::Ok(); });
  ASSERT_TRUE(platform.InvokeAfter(std::chrono::hours(1), "F", Json()).ok());
  const steady_clock::time_point start = steady_clock::now();
  Status st = platform.WaitUntil([] { return false; }, milliseconds(50));
  const auto elapsed = steady_clock::now() - start;
  EXPECT_EQ(st.code(), StatusCode::kDeadlineExceeded) << st.ToString();
  EXPECT_GE(elapsed, milliseconds(50));
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST(InprocPlatformTest, WaitUntilTimesOutWhenNotStarted) {
  InprocPlatform platform(Options(2));
  ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  Status st = platform.WaitUntil([] { return false; }, milliseconds(20));
  EXPECT_EQ(st.code(), StatusCode::kDeadlineExceeded);
}

// Chains and fan-outs are invoked from inside handlers; with one worker any
// lock held across the handler would deadlock.
class NestedInvokeTest : public ::testing::TestWithParam<int> {};

TEST_P(NestedInvokeTest, ChainOfHundredCompletes) {
  constexpr int kLength = 100;
  std::atomic<int> steps{0};
  std::atomic<int> errors{0};
  InprocPlatform platform(Options(GetParam()));
  platform.Start([&](const Invocation& inv) {
    const int n = inv.payload["n"].get<int>();
    steps.fetch_add(1);
    if (n + 1 < kLength && !platform.Invoke("Step", Json{{"n", n + 1}}).ok()) {
      errors.fetch_add(1);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(platform.Invoke("Step", Json{{"n", 0}}).ok());
  EXPECT_TRUE(
      platform.WaitUntil([&] { return steps.load() == kLength; }, kLongWait)
          .ok());
  EXPECT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(steps.load(), kLength);
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(NestedInvokeTest, FanOutOfThousandCompletes) {
  constexpr int kWidth = 1000;
  std::vector<std::atomic<int>> leaves(kWidth);
  std::atomic<int> done{0};
  std::atomic<int> errors{0};
  InprocPlatform platform(Options(GetParam()));
  platform.Start([&](const Invocation& inv) {
    if (inv.function == "Root") {
      for (int i = 0; i < kWidth; ++i) {
        // Mix immediate and (short) delayed deliveries.
        Status st = i % 10 == 0 ? platform.InvokeAfter(milliseconds(1), "Leaf",
                                                       Json{{"i", i}})
                                : platform.Invoke("Leaf", Json{{"i", i}});
        if (!st.ok()) errors.fetch_add(1);
      }
    } else {
      leaves[inv.payload["i"].get<int>()].fetch_add(1);
      done.fetch_add(1);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(platform.Invoke("Root", Json()).ok());
  EXPECT_TRUE(
      platform.WaitUntil([&] { return done.load() == kWidth; }, kLongWait)
          .ok());
  EXPECT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  for (int i = 0; i < kWidth; ++i) EXPECT_EQ(leaves[i].load(), 1) << i;
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(platform.stats().completed, kWidth + 1);
}

INSTANTIATE_TEST_SUITE_P(Workers, NestedInvokeTest, ::testing::Values(1, 4),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "Workers" + std::to_string(info.param);
                         });

TEST(InprocPlatformTest, ConcurrentInvokersAllDelivered) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::atomic<int> runs{0};
  InprocPlatform platform(Options(4));
  platform.Start([&](const Invocation&) {
    runs.fetch_add(1);
    return Status::Ok();
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(platform.Invoke("F", Json(i)).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(
      platform
          .WaitUntil([&] { return runs.load() == kThreads * kPerThread; },
                     kLongWait)
          .ok());
}

TEST(InprocPlatformTest, StopWithWorkQueuedReturnsPromptly) {
  std::atomic<int> runs{0};
  InprocPlatform platform(Options(2));
  for (int i = 0; i < 10000; ++i)
    ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  ASSERT_TRUE(
      platform.InvokeAfter(std::chrono::hours(1), "Later", Json()).ok());
  platform.Start([&](const Invocation&) {
    runs.fetch_add(1);
    std::this_thread::sleep_for(milliseconds(5));
    return Status::Ok();
  });
  std::this_thread::sleep_for(milliseconds(20));
  const steady_clock::time_point start = steady_clock::now();
  platform.Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_LT(runs.load(), 10000);
  InprocPlatform::Stats s = platform.stats();
  EXPECT_EQ(s.queued, 0);
  EXPECT_EQ(s.delayed, 0);
  EXPECT_EQ(s.running, 0);

  Status st = platform.Invoke("F", Json());
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(platform.InvokeAfter(milliseconds(1), "F", Json()).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  platform.Stop();  // idempotent
}

TEST(InprocPlatformTest, StopBeforeStartAndDestroyWithoutStart) {
  {
    InprocPlatform platform(Options(2));
    ASSERT_TRUE(platform.Invoke("F", Json()).ok());
  }  // destructor with queued work and no workers
  InprocPlatform platform(Options(2));
  platform.Stop();
  platform.Start([](const Invocation&) { return Status::Ok(); });  // ignored
  EXPECT_FALSE(platform.Invoke("F", Json()).ok());
}

TEST(ParseInprocUrlTest, AcceptsDefaultsAndOptions) {
  for (const std::string url : {"inproc://", "inproc:", "inproc://?"}) {
    Result<InprocOptions> o = ParseInprocUrl(url);
    ASSERT_TRUE(o.ok()) << url << ": " << o.status().ToString();
    EXPECT_EQ(o->workers, 0);
    EXPECT_EQ(o->max_attempts, 3);
    EXPECT_EQ(o->retry_backoff, milliseconds(10));
  }
  Result<InprocOptions> o =
      ParseInprocUrl("inproc://?workers=4&max_attempts=5&retry_backoff_ms=7");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->workers, 4);
  EXPECT_EQ(o->max_attempts, 5);
  EXPECT_EQ(o->retry_backoff, milliseconds(7));

  o = ParseInprocUrl("inproc:?max_attempts=1&&retry_backoff_ms=0");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->workers, 0);
  EXPECT_EQ(o->max_attempts, 1);
  EXPECT_EQ(o->retry_backoff, milliseconds(0));
}

TEST(ParseInprocUrlTest, AcceptsALatencyModel) {
  Result<InprocOptions> o =
      ParseInprocUrl("inproc://?latency=aws&invoke_ms=30&max_in_flight=8");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->latency.invoke, milliseconds(30));
  EXPECT_EQ(o->latency.max_in_flight, 8);
  EXPECT_DOUBLE_EQ(o->latency.spread, 0.25);
}

TEST(InprocPlatformTest, InvokeLatencyDelaysTheCalleeByBatches) {
  // invoke 40 ms, no spread, 2 in flight: from one delivery, invokes 1-2
  // start after 40 ms, 3-4 after 80 ms, 5 after 120 ms.
  InprocOptions options = Options(8);
  options.latency.invoke = milliseconds(40);
  options.latency.max_in_flight = 2;
  std::mutex mu;
  std::map<std::string, steady_clock::time_point> started;
  steady_clock::time_point sent;
  InprocPlatform platform(options);
  platform.Start([&](const Invocation& inv) {
    if (inv.function == "parent") {
      sent = steady_clock::now();
      for (int i = 1; i <= 5; ++i) {
        EXPECT_TRUE(platform.Invoke("child" + std::to_string(i), Json()).ok());
      }
      return Status::Ok();
    }
    std::lock_guard<std::mutex> lock(mu);
    started[inv.function] = steady_clock::now();
    return Status::Ok();
  });
  ASSERT_TRUE(platform.Invoke("parent", Json()).ok());
  ASSERT_EQ(platform.WaitUntil([] { return false; }, kLongWait).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_EQ(started.size(), 5u);
  EXPECT_GE(started["child1"] - sent, milliseconds(40));
  EXPECT_GE(started["child2"] - sent, milliseconds(40));
  EXPECT_GE(started["child3"] - sent, milliseconds(80));
  EXPECT_GE(started["child4"] - sent, milliseconds(80));
  EXPECT_GE(started["child5"] - sent, milliseconds(120));
}

TEST(ParseInprocUrlTest, RejectsBadUrlsNamingUrlAndOption) {
  struct Case {
    std::string url;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {"memory://", "inproc://"},
      {"", "inproc://"},
      {"inproc://host", "no host"},
      {"inproc://?threads=4", "threads"},
      {"inproc://?workers", "workers"},
      {"inproc://?workers=", "workers"},
      {"inproc://?workers=four", "workers"},
      {"inproc://?workers=-1", "workers"},
      {"inproc://?workers=4x", "workers"},
      {"inproc://?max_attempts=0", "max_attempts"},
      {"inproc://?retry_backoff_ms=1.5", "retry_backoff_ms"},
      {"inproc://?retry_backoff_ms=99999999999999999999", "retry_backoff_ms"},
      {"inproc://?workers=1&workers=2", "twice"},
      {"inproc://?latency=slow", "latency"},
      {"inproc://?invoke_ms=x", "invoke_ms"},
      {"inproc://?read_ms=7", "read_ms"},
      {"inproc://?max_in_flight=0", "max_in_flight"},
  };
  for (const Case& c : cases) {
    Result<InprocOptions> o = ParseInprocUrl(c.url);
    ASSERT_FALSE(o.ok()) << c.url;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument) << c.url;
    EXPECT_THAT(o.status().message(), HasSubstr("'" + c.url + "'"));
    EXPECT_THAT(o.status().message(), HasSubstr(c.mentions)) << c.url;
  }
}

}  // namespace
}  // namespace unum
