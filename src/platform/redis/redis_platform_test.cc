// Tests for what RedisPlatform adds to the platform contract
// (platform_contract_test.h), against a real redis-server
// ($UNUM_TEST_REDIS_URL or a child redis-server on a free loopback port):
// URL options, delivery from a submitter to workers, retries with
// attempt+1 through the delayed set, reclaiming a dead consumer's entries,
// dead-lettering (an entry that is not an invocation too), heartbeats for
// slow handlers, and the round trips a delivery costs.
#include "platform/redis/redis_platform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "datastore/redis/redis_client.h"
#include "datastore/redis/redis_test_server.h"
#include "platform/hosted_platform.h"

namespace unum {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

std::string Token() {
  static std::atomic<int> n{0};
  std::random_device rd;
  return std::to_string(rd()) + "-" + std::to_string(n++);
}

class RedisPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = redis::testing::SharedTestRedisUrl();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    app_ = "test-app-" + Token();
    auto parsed = redis::ParseRedisUrl(url_);
    ASSERT_TRUE(parsed.ok());
    auto raw = redis::RedisConnection::Open(parsed->endpoint);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    raw_ = std::move(raw).value();
  }

  // Fast timings so tests take milliseconds; `extra` ("&k=v...") adds or
  // overrides options.
  RedisPlatformOptions Options(const std::string& extra = "") {
    std::map<std::string, std::string> query = {{"app", app_},
                                                {"tick_ms", "10"},
                                                {"block_ms", "50"},
                                                {"retry_backoff_ms", "20"}};
    std::string rest = extra;
    while (!rest.empty()) {
      if (rest[0] == '&') rest.erase(0, 1);
      const size_t amp = rest.find('&');
      const std::string pair = rest.substr(0, amp);
      rest = amp == std::string::npos ? "" : rest.substr(amp);
      const size_t eq = pair.find('=');
      query[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    std::string url = url_;
    char sep = '?';
    for (const auto& [k, v] : query) {
      url += sep + k + "=" + v;
      sep = '&';
    }
    auto o = ParseRedisPlatformUrl(url);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : RedisPlatformOptions{};
  }

  std::unique_ptr<RedisPlatform> Make(RedisPlatform::Role role,
                                      const std::string& extra = "") {
    auto p = RedisPlatform::Create(Options(extra), role);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : nullptr;
  }

  int64_t Integer(std::initializer_list<std::string_view> args) {
    auto r = raw_->Run(redis::Cmd(args));
    EXPECT_TRUE(r.ok());
    return r.ok() && (*r)->type == REDIS_REPLY_INTEGER ? (*r)->integer : -1;
  }

  // Waits (bounded) until `pred` holds.
  static bool Eventually(const std::function<bool()>& pred,
                         milliseconds limit = milliseconds(10000)) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (pred()) return true;
      std::this_thread::sleep_for(milliseconds(2));
    }
    return pred();
  }

  std::string url_;
  std::string app_;
  std::unique_ptr<redis::RedisConnection> raw_;
};

json Payload(const std::string& session, int n = 0) {
  return json{{"Session", session},
              {"Data", {{"Source", "http"}, {"Value", n}}}};
}

TEST(RedisPlatformUrlTest, ParsesOptions) {
  auto o = ParseRedisPlatformUrl(
      "redis://h:7/2?app=wc&group=g&max_attempts=5&retry_backoff_ms=7&"
      "visibility_ms=900&block_ms=30&tick_ms=4&concurrency=3&"
      "max_deliveries=9&consumer=me&pool=5&batch=6");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->endpoint.host, "h");
  EXPECT_EQ(o->endpoint.port, 7);
  EXPECT_EQ(o->endpoint.db, 2);
  EXPECT_EQ(o->endpoint.pool_size, 5);
  EXPECT_EQ(o->app, "wc");
  EXPECT_EQ(o->group, "g");
  EXPECT_EQ(o->max_attempts, 5);
  EXPECT_EQ(o->retry_backoff, milliseconds(7));
  EXPECT_EQ(o->visibility_timeout, milliseconds(900));
  EXPECT_EQ(o->block, milliseconds(30));
  EXPECT_EQ(o->tick, milliseconds(4));
  EXPECT_EQ(o->concurrency, 3);
  EXPECT_EQ(o->max_deliveries, 9);
  EXPECT_EQ(o->consumer, "me");
  EXPECT_EQ(o->batch, 6);
}

TEST(RedisPlatformUrlTest, RejectsBadOptions) {
  for (const std::string url :
       {"redis://h?bogus=1", "redis://h?max_attempts=0",
        "redis://h?concurrency=x", "redis://h?group=", "inproc://"}) {
    auto o = ParseRedisPlatformUrl(url);
    EXPECT_FALSE(o.ok()) << url;
    if (!o.ok()) {
      EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(o.status().message(), HasSubstr(url));
    }
  }
}

TEST(RedisPlatformUrlTest, OpenPlatformNeedsTheAppName) {
  auto p = OpenPlatform("redis://127.0.0.1:1/0");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("app"));
  auto q = OpenPlatform("redis://127.0.0.1:1/0?app=x&max_attempts=4");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ((*q)->MaxAttempts(), 4);
}

TEST_F(RedisPlatformTest, SubmitterQueuesWorkersRun) {
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  auto worker = Make(RedisPlatform::Role::kWorker, "&concurrency=2");
  std::mutex mu;
  std::vector<Invocation> seen;
  worker->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(inv);
    return Status::Ok();
  });
  std::atomic<bool> ran_locally{false};
  submitter->Start([&](const Invocation&) {
    ran_locally = true;
    return Status::Ok();
  });
  const std::string session = "s-" + Token();
  ASSERT_TRUE(submitter->Invoke("F", Payload(session, 1)).ok());
  ASSERT_TRUE(submitter->Invoke("G", Payload(session, 2)).ok());
  // Idle once both are acknowledged.
  Status waited =
      submitter->WaitUntil([] { return false; }, milliseconds(10000));
  EXPECT_EQ(waited.code(), StatusCode::kFailedPrecondition)
      << waited.ToString();
  {
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(seen.size(), 2u);
    for (const Invocation& inv : seen) {
      EXPECT_EQ(inv.attempt, 1);
      EXPECT_EQ(inv.payload["Session"], session);
      EXPECT_EQ(inv.payload["Data"]["Value"], inv.function == "F" ? 1 : 2);
    }
  }
  EXPECT_FALSE(ran_locally);
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::StreamKey(app_)}), 0);
  EXPECT_EQ(Integer({"EXISTS", RedisPlatform::InflightKey(app_)}), 0);
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::DeadKey(app_)}), 0);
  EXPECT_EQ(submitter->stats().invocations, 2);
  EXPECT_EQ(worker->stats().completed, 2);
  // done() wins over idle.
  EXPECT_TRUE(submitter->WaitUntil([] { return true; }, milliseconds(10)).ok());
  worker->Stop();
  submitter->Stop();
  EXPECT_EQ(submitter->Invoke("F", Payload(session)).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(RedisPlatformTest, WaitUntilTimesOutWhileWorkIsQueued) {
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  const auto start = Clock::now();
  Status s = submitter->WaitUntil([] { return false; }, milliseconds(100));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_GE(Clock::now() - start, milliseconds(100));
  EXPECT_EQ(submitter->stats().queued, 1);
}

TEST_F(RedisPlatformTest, InvocationsFromAHandlerGoOutWithItsAck) {
  // A chain: each delivery invokes the next, as the runtime does.
  constexpr int kSteps = 200;
  auto worker = Make(RedisPlatform::Role::kWorker, "&tick_ms=1000");
  std::atomic<int> last{0};
  worker->Start([&](const Invocation& inv) {
    const int n = inv.payload["Data"]["Value"].get<int>();
    last = n;
    if (n < kSteps) {
      return worker->Invoke("Step", Payload(inv.payload["Session"], n + 1));
    }
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  const int64_t before = redis::GetClientStats().round_trips;
  const auto idle_before = worker->worker_stats().idle_round_trips;
  const auto hk_before = worker->worker_stats().housekeeping_round_trips;
  ASSERT_TRUE(submitter->Invoke("Step", Payload("s-" + Token(), 1)).ok());
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(20000)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(last.load(), kSteps);
  const int64_t trips =
      redis::GetClientStats().round_trips - before -
      (worker->worker_stats().idle_round_trips - idle_before) -
      (worker->worker_stats().housekeeping_round_trips - hk_before);
  // One round trip per step (the ack, the next invocation and the next read
  // together), plus the submitter's invoke and its polling.
  EXPECT_LE(trips, kSteps + 40) << trips;
  EXPECT_GE(trips, kSteps);
}

TEST_F(RedisPlatformTest, BatchedReadsDeliverEveryInvocationOnce) {
  constexpr int kInvocations = 60;
  auto worker =
      Make(RedisPlatform::Role::kWorker, "&batch=8&concurrency=2&tick_ms=1000");
  std::mutex mu;
  std::map<int, int> seen;
  worker->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    ++seen[inv.payload["Data"]["Value"].get<int>()];
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  const std::string session = "s-" + Token();
  for (int i = 0; i < kInvocations; ++i) {
    ASSERT_TRUE(submitter->Invoke("F", Payload(session, i)).ok());
  }
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kInvocations));
  for (const auto& [value, count] : seen) EXPECT_EQ(count, 1) << value;
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::StreamKey(app_)}), 0);
  EXPECT_EQ(Integer({"EXISTS", RedisPlatform::InflightKey(app_)}), 0);
}

TEST_F(RedisPlatformTest, StopRunsTheBatchAlreadyRead) {
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  const std::string session = "s-" + Token();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(submitter->Invoke("F", Payload(session, i)).ok());
  }
  auto worker = Make(RedisPlatform::Role::kWorker, "&batch=5");
  std::atomic<int> runs{0};
  worker->Start([&](const Invocation&) {
    ++runs;
    std::this_thread::sleep_for(milliseconds(20));
    return Status::Ok();
  });
  ASSERT_TRUE(Eventually([&] { return runs.load() >= 1; }));
  worker->Stop();
  EXPECT_EQ(runs.load(), 5);
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::StreamKey(app_)}), 0);
}

TEST_F(RedisPlatformTest, FailedDeliveriesAreRetriedWithTheNextAttempt) {
  auto worker = Make(RedisPlatform::Role::kWorker, "&max_attempts=3");
  std::mutex mu;
  std::vector<std::pair<int, Clock::time_point>> attempts;
  worker->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    attempts.emplace_back(inv.attempt, Clock::now());
    if (inv.attempt < 3) return Status::Unknown("flaky");
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(attempts.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempts[i].first, i + 1);
  // Backoff 20 ms, then 40 ms (server clock; allow for promotion ticks).
  EXPECT_GE(attempts[1].second - attempts[0].second, milliseconds(15));
  EXPECT_GE(attempts[2].second - attempts[1].second, milliseconds(35));
  EXPECT_EQ(worker->stats().retries, 2);
  EXPECT_EQ(worker->stats().failed_attempts, 2);
  EXPECT_EQ(Integer({"ZCARD", RedisPlatform::DelayedKey(app_)}), 0);
}

TEST_F(RedisPlatformTest, ExhaustedAfterMaxAttempts) {
  auto worker = Make(RedisPlatform::Role::kWorker, "&max_attempts=2");
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<std::pair<int, std::string>> exhausted;
  worker->SetExhaustedCallback([&](const Invocation& inv, const Status& s) {
    std::lock_guard<std::mutex> lock(mu);
    exhausted.emplace_back(inv.attempt, s.message());
  });
  worker->Start([&](const Invocation&) {
    ++calls;
    return Status::Unknown("always");
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(calls.load(), 2);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(exhausted.size(), 1u);
  EXPECT_EQ(exhausted[0].first, 2);
  EXPECT_EQ(exhausted[0].second, "always");
  EXPECT_EQ(worker->stats().exhausted, 1);
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::StreamKey(app_)}), 0);
}

TEST_F(RedisPlatformTest, UnavailableFailuresDoNotUseAnAttempt) {
  auto worker = Make(RedisPlatform::Role::kWorker, "&max_attempts=1");
  std::mutex mu;
  std::vector<int> attempts;
  worker->Start([&](const Invocation& inv) {
    std::lock_guard<std::mutex> lock(mu);
    attempts.push_back(inv.attempt);
    if (attempts.size() < 3) return Status::Unavailable("store down");
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(attempts, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(worker->stats().exhausted, 0);
}

TEST_F(RedisPlatformTest, DeadConsumersEntriesAreReclaimed) {
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  const std::string session = "s-" + Token();
  ASSERT_TRUE(submitter->Invoke("F", Payload(session, 7)).ok());
  // A consumer reads it and dies without acknowledging.
  const std::string stream = RedisPlatform::StreamKey(app_);
  auto group = raw_->Run(redis::Cmd(
      {"XGROUP", "CREATE", stream, "unum-workers", "0", "MKSTREAM"}));
  ASSERT_TRUE(group.ok());
  auto read =
      raw_->Run(redis::Cmd({"XREADGROUP", "GROUP", "unum-workers", "ghost",
                            "COUNT", "1", "STREAMS", stream, ">"}));
  ASSERT_TRUE(read.ok());
  ASSERT_EQ((*read)->type, REDIS_REPLY_ARRAY);

  auto worker = Make(RedisPlatform::Role::kWorker, "&visibility_ms=200");
  std::atomic<int> runs{0};
  std::atomic<int> value{0};
  const auto start = Clock::now();
  worker->Start([&](const Invocation& inv) {
    value = inv.payload["Data"]["Value"].get<int>();
    ++runs;
    return Status::Ok();
  });
  ASSERT_TRUE(Eventually([&] { return runs.load() == 1; }));
  EXPECT_GE(Clock::now() - start, milliseconds(150));
  EXPECT_EQ(value.load(), 7);
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(worker->worker_stats().reclaimed, 1);
  EXPECT_EQ(Integer({"XLEN", stream}), 0);
}

TEST_F(RedisPlatformTest, EntriesThatKeepKillingWorkersAreDeadLettered) {
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  const std::string stream = RedisPlatform::StreamKey(app_);
  ASSERT_TRUE(raw_->Run(redis::Cmd({"XGROUP", "CREATE", stream, "unum-workers",
                                    "0", "MKSTREAM"}))
                  .ok());
  auto read =
      raw_->Run(redis::Cmd({"XREADGROUP", "GROUP", "unum-workers", "ghost",
                            "COUNT", "1", "STREAMS", stream, ">"}));
  ASSERT_TRUE(read.ok() && (*read)->type == REDIS_REPLY_ARRAY);
  const std::string id(
      (*read)->element[0]->element[1]->element[0]->element[0]->str);
  // Two more deaths.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(raw_->Run(redis::Cmd({"XCLAIM", stream, "unum-workers", "ghost",
                                      "0", id}))
                    .ok());
  }
  auto worker =
      Make(RedisPlatform::Role::kWorker, "&visibility_ms=100&max_deliveries=3");
  std::atomic<int> runs{0};
  worker->Start([&](const Invocation&) {
    ++runs;
    return Status::Ok();
  });
  ASSERT_TRUE(Eventually([&] {
    return Integer({"XLEN", RedisPlatform::DeadKey(app_)}) == 1;
  }));
  EXPECT_EQ(runs.load(), 0);
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(worker->worker_stats().dead_lettered, 1);
}

TEST_F(RedisPlatformTest, SlowHandlersAreNotTakenOver) {
  // Runs for 3x the visibility timeout; heartbeats keep it.
  const std::string extra = "&visibility_ms=500";
  auto a = Make(RedisPlatform::Role::kWorker, extra);
  auto b = Make(RedisPlatform::Role::kWorker, extra);
  std::atomic<int> runs{0};
  auto slow = [&](const Invocation&) {
    ++runs;
    std::this_thread::sleep_for(milliseconds(1500));
    return Status::Ok();
  };
  a->Start(slow);
  b->Start(slow);
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(a->worker_stats().reclaimed + b->worker_stats().reclaimed, 0);
}

TEST_F(RedisPlatformTest, StopFinishesTheRunningDelivery) {
  auto worker = Make(RedisPlatform::Role::kWorker);
  std::atomic<bool> entered{false};
  worker->Start([&](const Invocation&) {
    entered = true;
    std::this_thread::sleep_for(milliseconds(100));
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(submitter->Invoke("F", Payload("s-" + Token())).ok());
  ASSERT_TRUE(Eventually([&] { return entered.load(); }));
  worker->Stop();
  EXPECT_EQ(worker->stats().completed, 1);
  EXPECT_EQ(Integer({"XLEN", RedisPlatform::StreamKey(app_)}), 0);
  EXPECT_EQ(Integer({"EXISTS", RedisPlatform::InflightKey(app_)}), 0);
}

TEST_F(RedisPlatformTest, WorkersSurviveAServerRestart) {
  redis::testing::RedisServerOptions server_options;
  server_options.persistence = true;
  auto server = redis::testing::RedisServer::Start(server_options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  url_ = (*server)->url();
  auto worker = Make(RedisPlatform::Role::kWorker, "&visibility_ms=300");
  std::atomic<int> runs{0};
  worker->Start([&](const Invocation&) {
    ++runs;
    return Status::Ok();
  });
  auto submitter = Make(RedisPlatform::Role::kSubmitter);
  const std::string session = "s-" + Token();
  ASSERT_TRUE(submitter->Invoke("F", Payload(session)).ok());
  ASSERT_TRUE(Eventually([&] { return runs.load() == 1; }));
  ASSERT_TRUE((*server)->Restart().ok());
  Status invoked = Status::Unavailable("not tried");
  for (int i = 0; i < 20 && !invoked.ok(); ++i) {
    invoked = submitter->Invoke("F", Payload(session));
  }
  ASSERT_TRUE(invoked.ok()) << invoked.ToString();
  ASSERT_TRUE(Eventually([&] { return runs.load() == 2; }));
  EXPECT_EQ(
      submitter->WaitUntil([] { return false; }, milliseconds(10000)).code(),
      StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace unum
