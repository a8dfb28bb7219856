// The platform contract suite's tests (see platform_contract_test.h).
#include "platform/platform_contract_test.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "runtime/payload.h"

namespace unum {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using Entries = std::vector<DeliveryLog::Entry>;

std::string PlatformFactoryName(
    const ::testing::TestParamInfo<PlatformFactory>& info) {
  return info.param.name;
}

void PrintTo(const PlatformFactory& factory, std::ostream* os) {
  *os << factory.name;
}

const std::vector<std::string>& ContractFunctionNames() {
  static const std::vector<std::string> names = {
      "F",    "G",    "Fail", "Flaky", "Throw", "Now",  "Early",
      "Late", "Slow", "Hang", "Other", "Big",   "Empty"};
  return names;
}

void DeliveryLog::Add(const Invocation& invocation) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.push_back(Entry{invocation, Clock::now()});
  cv_.notify_all();
}

std::vector<DeliveryLog::Entry> DeliveryLog::Entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_;
}

int DeliveryLog::Count(const std::string& function) const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count_if(
      entries_.begin(), entries_.end(),
      [&](const Entry& e) { return e.invocation.function == function; }));
}

bool DeliveryLog::WaitFor(
    const std::function<bool(const std::vector<Entry>&)>& pred,
    milliseconds limit) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, limit, [&] { return pred(entries_); });
}

namespace {

std::string Token() {
  static std::atomic<uint64_t> counter{0};
  std::random_device rd;
  return std::to_string(rd()) + "-" + std::to_string(counter.fetch_add(1));
}

// The attempts of `function`'s deliveries, in order.
std::vector<int> Attempts(const Entries& entries, const std::string& function) {
  std::vector<int> out;
  for (const auto& e : entries) {
    if (e.invocation.function == function) out.push_back(e.invocation.attempt);
  }
  return out;
}

std::vector<int> OneTo(int n) {
  std::vector<int> out;
  for (int i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

// Blocks handlers until Release(); bounded, so a broken test cannot hang.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(30), [this] { return open_; });
  }
  bool WaitEntered(milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [this] { return entered_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

}  // namespace

void PlatformContractTest::ExpectAttempts(const std::vector<int>& attempts,
                                          int max) const {
  if (traits().exact_attempts) {
    EXPECT_THAT(attempts, ElementsAreArray(OneTo(max)));
    return;
  }
  // Counted per execution environment: each below the last, which is
  // marked exactly.
  ASSERT_EQ(attempts.size(), static_cast<size_t>(max))
      << ::testing::PrintToString(attempts);
  for (size_t i = 0; i + 1 < attempts.size(); ++i) {
    EXPECT_GE(attempts[i], 1);
    EXPECT_LT(attempts[i], max);
  }
  EXPECT_EQ(attempts.back(), max);
}

void PlatformContractTest::ExpectRetriedOnce(
    const std::vector<int>& attempts) const {
  ASSERT_EQ(attempts.size(), 2u) << ::testing::PrintToString(attempts);
  EXPECT_EQ(attempts[0], 1);
  if (traits().exact_attempts) {
    EXPECT_EQ(attempts[1], 2);
  }
}

void PlatformContractTest::SetUp() {
  options_.queue = "contract-" + Token();
  options_.session = "session-" + Token();
}

void PlatformContractTest::TearDown() {
  for (auto& p : platforms_) p->Stop();
  platforms_.clear();
}

HostedPlatform* PlatformContractTest::Open(int workers) {
  options_.workers = workers;
  auto p = GetParam().make(options_);
  EXPECT_TRUE(p.ok()) << GetParam().name << ": "
                      << (p.ok() ? "" : p.status().ToString());
  if (!p.ok()) return nullptr;
  platforms_.push_back(std::move(p).value());
  return platforms_.back().get();
}

json PlatformContractTest::Payload(const json& value) const {
  return json{{"Session", options_.session},
              {"Data", {{"Source", "http"}, {"Value", value}}}};
}

TEST_P(PlatformContractTest, EveryInvocationIsDeliveredAtLeastOnceIntact) {
  constexpr int kCount = 60;
  constexpr int kChildren = 10;
  HostedPlatform* p = Open(4);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  // Half queued before Start, half after; the first ten deliveries of F
  // each invoke a G from inside the handler.
  for (int i = 0; i < kCount / 2; ++i) {
    ASSERT_TRUE(p->Invoke("F", Payload(i)).ok());
  }
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    if (inv.function == "F" && inv.payload.is_object()) {
      const int i = inv.payload.at("Data").at("Value").get<int>();
      if (i < kChildren) return p->Invoke("G", Payload(1000 + i));
    }
    return Status::Ok();
  });
  for (int i = kCount / 2; i < kCount; ++i) {
    ASSERT_TRUE(p->Invoke("F", Payload(i)).ok());
  }
  auto distinct = [](const Entries& entries) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& e : entries) {
      seen.emplace(e.invocation.function, e.invocation.payload.dump());
    }
    return seen.size();
  };
  ASSERT_TRUE(log.WaitFor([&](const Entries& entries) {
    return distinct(entries) == static_cast<size_t>(kCount + kChildren);
  })) << distinct(log.Entries())
      << " of " << kCount + kChildren;
  std::map<int, int> f_runs, g_runs;
  for (const auto& e : log.Entries()) {
    const Invocation& inv = e.invocation;
    EXPECT_EQ(inv.attempt, 1);
    EXPECT_EQ(inv.decoded, nullptr);
    const int v = inv.payload.at("Data").at("Value").get<int>();
    EXPECT_EQ(inv.payload, Payload(v));
    (inv.function == "F" ? f_runs : g_runs)[v]++;
  }
  EXPECT_EQ(f_runs.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(g_runs.size(), static_cast<size_t>(kChildren));
  for (int i = 0; i < kCount; ++i) EXPECT_GE(f_runs[i], 1) << i;
  for (int i = 0; i < kChildren; ++i) EXPECT_GE(g_runs[1000 + i], 1) << i;
}

TEST_P(PlatformContractTest, FailingInvocationGetsEveryAttemptAndTheLast) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  const int max = p->MaxAttempts();
  ASSERT_GE(max, 2);
  DeliveryLog log;
  std::atomic<int> exhausted{0};
  p->SetExhaustedCallback([&](const Invocation& inv, const Status& status) {
    EXPECT_EQ(inv.function, "Fail");
    EXPECT_EQ(inv.attempt, max);
    EXPECT_THAT(status.message(), HasSubstr("always fails"));
    ++exhausted;
  });
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    return Status::Internal("always fails");
  });
  ASSERT_TRUE(p->Invoke("Fail", Payload("x")).ok());
  ASSERT_TRUE(log.WaitFor([&](const Entries& e) {
    return Attempts(e, "Fail").size() >= size_t(max);
  }));
  if (traits().exhausted_callback) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (exhausted == 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  // Nothing after the last attempt.
  std::this_thread::sleep_for(traits().retry_wait);
  const Entries entries = log.Entries();
  const std::vector<int> attempts = Attempts(entries, "Fail");
  ExpectAttempts(attempts, max);
  for (const auto& e : entries) EXPECT_EQ(e.invocation.payload, Payload("x"));
  if (traits().exhausted_callback) {
    EXPECT_EQ(exhausted, 1);
  }
}

TEST_P(PlatformContractTest, ASuccessfulRetryEndsTheAttempts) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  std::atomic<int> exhausted{0};
  p->SetExhaustedCallback(
      [&](const Invocation&, const Status&) { ++exhausted; });
  std::atomic<bool> failed_once{false};
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    if (!failed_once.exchange(true)) {
      return Status::Internal("first delivery fails");
    }
    return Status::Ok();
  });
  ASSERT_TRUE(p->Invoke("Flaky", Payload(7)).ok());
  ASSERT_TRUE(log.WaitFor(
      [&](const Entries& e) { return Attempts(e, "Flaky").size() >= 2; }));
  std::this_thread::sleep_for(traits().retry_wait);
  ExpectRetriedOnce(Attempts(log.Entries(), "Flaky"));
  EXPECT_EQ(exhausted, 0);
}

TEST_P(PlatformContractTest, AThrowingHandlerIsAFailedAttempt) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  std::atomic<bool> thrown{false};
  p->Start([&](const Invocation& inv) -> Status {
    log.Add(inv);
    if (inv.function == "Throw" && !thrown.exchange(true)) {
      throw std::runtime_error("handler crashed");
    }
    return Status::Ok();
  });
  ASSERT_TRUE(p->Invoke("Throw", Payload(1)).ok());
  ASSERT_TRUE(log.WaitFor(
      [&](const Entries& e) { return Attempts(e, "Throw").size() >= 2; }));
  // The platform goes on serving.
  ASSERT_TRUE(p->Invoke("F", Payload(2)).ok());
  ASSERT_TRUE(
      log.WaitFor([&](const Entries& e) { return !Attempts(e, "F").empty(); }));
  std::this_thread::sleep_for(traits().retry_wait);
  ExpectRetriedOnce(Attempts(log.Entries(), "Throw"));
}

TEST_P(PlatformContractTest, DelayedInvocationsWaitTheirDelayAndHoldUpNothing) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    return Status::Ok();
  });
  // Clocks of a store or another process count whole milliseconds.
  constexpr milliseconds kTolerance{5};
  const milliseconds early{300}, late{1200};
  const auto t0 = Clock::now();
  ASSERT_TRUE(p->InvokeAfter(late, "Late", Payload(1)).ok());
  ASSERT_TRUE(p->InvokeAfter(early, "Early", Payload(2)).ok());
  ASSERT_TRUE(p->Invoke("Now", Payload(3)).ok());
  ASSERT_TRUE(log.WaitFor(
      [&](const Entries& e) { return !Attempts(e, "Late").empty(); }));
  std::map<std::string, Clock::time_point> at;
  for (const auto& e : log.Entries()) {
    at.emplace(e.invocation.function, e.at);
    EXPECT_EQ(e.invocation.payload.at("Data").at("Value"),
              e.invocation.function == "Late"    ? 1
              : e.invocation.function == "Early" ? 2
                                                 : 3);
  }
  ASSERT_EQ(at.size(), 3u);
  EXPECT_GE(at["Early"] - t0, early - kTolerance);
  EXPECT_GE(at["Late"] - t0, late - kTolerance);
  // Ready work does not wait for delayed work, nor earlier for later.
  EXPECT_LT(at["Now"], at["Early"]);
  EXPECT_LT(at["Early"], at["Late"]);
}

TEST_P(PlatformContractTest, OneWorkerRunsReadyWorkInOrderWherePromised) {
  constexpr int kCount = 40;
  HostedPlatform* p = Open(1);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(p->Invoke("F", Payload(i)).ok());
  }
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    return Status::Ok();
  });
  ASSERT_TRUE(log.WaitFor([&](const Entries& e) {
    std::set<int> seen;
    for (const auto& x : e) {
      seen.insert(x.invocation.payload.at("Data").at("Value").get<int>());
    }
    return seen.size() == kCount;
  }));
  std::vector<int> order;
  for (const auto& e : log.Entries()) {
    order.push_back(e.invocation.payload.at("Data").at("Value").get<int>());
  }
  if (traits().fifo) {
    std::vector<int> expected(kCount);
    for (int i = 0; i < kCount; ++i) expected[i] = i;
    EXPECT_EQ(order, expected);
  }
}

TEST_P(PlatformContractTest, StopLetsTheRunningHandlerFinishAndLosesNothing) {
  constexpr int kQueued = 20;
  HostedPlatform* p = Open(1);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  Gate slow;
  std::atomic<bool> slow_done{false};
  ASSERT_TRUE(p->Invoke("Slow", Payload(-1)).ok());
  p->Start([&](const Invocation& inv) {
    if (inv.function == "Slow") {
      slow.Wait();
      slow_done = true;
    }
    log.Add(inv);
    return Status::Ok();
  });
  ASSERT_TRUE(slow.WaitEntered());
  for (int i = 0; i < kQueued; ++i) {
    ASSERT_TRUE(p->Invoke("F", Payload(i)).ok());
  }
  std::atomic<bool> slow_done_at_stop{false};
  auto stopped = std::async(std::launch::async, [&] {
    p->Stop();
    slow_done_at_stop = slow_done.load();
  });
  // Stop waits for the running handler.
  EXPECT_EQ(stopped.wait_for(milliseconds(300)), std::future_status::timeout);
  slow.Release();
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(20)),
            std::future_status::ready)
      << "Stop did not return after the running handler finished";
  EXPECT_TRUE(slow_done_at_stop);
  // Nothing runs after Stop returned.
  const size_t at_stop = log.Entries().size();
  std::this_thread::sleep_for(traits().retry_wait);
  EXPECT_EQ(log.Entries().size(), at_stop);

  const Status late = p->Invoke("F", Payload(kQueued));
  if (!traits().durable) {
    // Queued work is dropped, and later invocations refused, not lost
    // silently.
    EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition) << late.ToString();
    return;
  }
  // A durable queue keeps what was not run: the next platform runs it.
  const int expected = late.ok() ? kQueued + 1 : kQueued;
  if (!late.ok()) {
    EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition) << late.ToString();
  }
  HostedPlatform* next = Open(2);
  ASSERT_NE(next, nullptr);
  next->Start([&](const Invocation& inv) {
    log.Add(inv);
    return Status::Ok();
  });
  ASSERT_TRUE(log.WaitFor([&](const Entries& e) {
    std::set<int> seen;
    for (const auto& x : e) {
      if (x.invocation.function == "F") {
        seen.insert(x.invocation.payload.at("Data").at("Value").get<int>());
      }
    }
    return seen.size() == static_cast<size_t>(expected);
  })) << "work queued at Stop was lost";
  EXPECT_EQ(log.Count("Slow"), 1);
}

TEST_P(PlatformContractTest, AHangingHandlerHoldsUpNoOtherWork) {
  constexpr int kOthers = 20;
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  Gate hang;
  p->Start([&](const Invocation& inv) {
    if (inv.function == "Hang") hang.Wait();
    log.Add(inv);
    return Status::Ok();
  });
  ASSERT_TRUE(p->Invoke("Hang", Payload(0)).ok());
  ASSERT_TRUE(hang.WaitEntered());
  for (int i = 0; i < kOthers; ++i) {
    ASSERT_TRUE(p->Invoke("Other", Payload(i)).ok());
  }
  EXPECT_TRUE(log.WaitFor([&](const Entries& e) {
    return Attempts(e, "Other").size() >= size_t(kOthers);
  })) << "work waited for a hanging handler";
  EXPECT_EQ(log.Count("Hang"), 0);
  hang.Release();
  ASSERT_TRUE(log.WaitFor(
      [&](const Entries& e) { return !Attempts(e, "Hang").empty(); }));
}

TEST_P(PlatformContractTest, EmptyRichAndLargestPayloadsArriveIntact) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  DeliveryLog log;
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    return Status::Ok();
  });
  const size_t largest =
      traits().max_payload_bytes > 0 ? traits().max_payload_bytes : 4 << 20;
  // A JSON string of n characters is n + 2 bytes of JSON text.
  const json big(std::string(largest - 2, 'x'));
  ASSERT_EQ(big.dump().size(), largest);
  // Every kind of JSON value, escapes and non-ASCII text included.
  const json rich = {
      {"Session", options_.session},
      {"Data",
       {{"Source", "http"},
        {"Value",
         {{"text", "h\u00e9llo \"q\"\n\t\u2603 \U0001F600"},
          {"n", 1.5},
          {"big", 9007199254740993ULL},
          {"neg", -12},
          {"list",
           {1, nullptr, true, false, json::array(), json::object()}}}}}},
      {"Fan-out", {{"Type", "Map"}, {"Index", 3}, {"Size", 4}}}};
  const std::vector<json> sent = {json(), json::object(), json(""), rich, big};
  for (size_t i = 0; i < sent.size(); ++i) {
    ASSERT_TRUE(p->Invoke(i == 4 ? "Big" : "Empty", sent[i]).ok()) << i;
  }
  if (traits().max_payload_bytes > 0) {
    // One byte more is refused at Invoke, naming the size.
    const Status over = p->Invoke("Big", json(std::string(largest - 1, 'y')));
    EXPECT_EQ(over.code(), StatusCode::kInvalidArgument) << over.ToString();
    EXPECT_THAT(over.message(), HasSubstr(std::to_string(largest + 1)));
  }
  ASSERT_TRUE(log.WaitFor([&](const Entries& e) {
    return Attempts(e, "Empty").size() + Attempts(e, "Big").size() >=
           sent.size();
  }));
  std::this_thread::sleep_for(milliseconds(100));
  std::multiset<std::string> got, want;
  for (const auto& e : log.Entries()) got.insert(e.invocation.payload.dump());
  for (const json& j : sent) want.insert(j.dump());
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want) << "a payload changed on the way";
}

TEST_P(PlatformContractTest, DecodedPayloadsArriveAsSentOrAreRefused) {
  HostedPlatform* p = Open(2);
  ASSERT_NE(p, nullptr);
  auto payload = std::make_shared<runtime::Payload>();
  payload->session = options_.session;
  payload->value = json{{"decoded", true}};
  if (!p->CarriesDecodedPayloads()) {
    // Refused loudly, never dropped.
    const Status s = p->InvokeDecoded(milliseconds(0), "F", payload);
    EXPECT_EQ(s.code(), StatusCode::kUnimplemented) << s.ToString();
    return;
  }
  DeliveryLog log;
  p->Start([&](const Invocation& inv) {
    log.Add(inv);
    if (inv.function == "Fail") return Status::Internal("always fails");
    return Status::Ok();
  });
  ASSERT_TRUE(p->InvokeDecoded(milliseconds(0), "F", payload).ok());
  ASSERT_TRUE(p->InvokeDecoded(milliseconds(200), "Early", payload).ok());
  ASSERT_TRUE(p->InvokeDecoded(milliseconds(0), "Fail", payload).ok());
  const int max = p->MaxAttempts();
  ASSERT_TRUE(log.WaitFor([&](const Entries& e) {
    return !Attempts(e, "Early").empty() &&
           Attempts(e, "Fail").size() >= size_t(max);
  }));
  for (const auto& e : log.Entries()) {
    // The sender's payload itself, on every attempt; no JSON.
    EXPECT_EQ(e.invocation.decoded.get(), payload.get());
    EXPECT_TRUE(e.invocation.payload.is_null());
  }
  std::this_thread::sleep_for(traits().retry_wait);
  ExpectAttempts(Attempts(log.Entries(), "Fail"), max);
}

}  // namespace unum
