// Faults on real platforms and real threads, in every payload mode a
// platform offers: every invocation is delivered twice at once, deliveries
// crash at protocol points, and datastore calls fail before reaching the
// store or lose their reply. Every session must end with its exact result
// and nothing but tombstones left.
//
// PlatformsUnderFaults() lists the platforms so tested;
// EveryPlatformCarryingDecodedPayloadsIsUnderFaults fails when a platform
// that OpenPlatform knows carries decoded payloads (the path `unum run`
// takes on inproc://) and is not in that list in its decoded mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "platform/hosted_platform.h"
#include "runtime/payload.h"
#include "runtime/runtime.h"
#include "runtime/sweep_workflows.h"

namespace unum::runtime::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A platform under faults: its URL ({tmp}: a fresh directory) and whether
// the runtime hands it decoded payloads.
struct FaultedPlatform {
  std::string name;
  std::string url;
  bool decoded = false;
};

void PrintTo(const FaultedPlatform& p, std::ostream* os) { *os << p.name; }

std::vector<FaultedPlatform> PlatformsUnderFaults() {
  const std::string inproc =
      "inproc://?workers=4&max_attempts=10&retry_backoff_ms=1";
  return {
      {"inproc_decoded", inproc, true},
      {"inproc_json", inproc, false},
      {"sqlite_json",
       "sqlite://{tmp}/outbox.db?workers=4&max_attempts=10&retry_backoff_ms=1",
       false},
  };
}

std::string WithTmp(std::string url, const std::string& tmp) {
  const size_t at = url.find("{tmp}");
  if (at != std::string::npos) url.replace(at, 5, tmp);
  return url;
}

// A fresh directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (fs::path(::testing::TempDir()) / "unum_faults_XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every invocation delivered twice, concurrently (the platform's workers
// take both). In decoded mode both share the one decoded payload, as a
// redelivery on inproc:// does.
class DuplicatingPlatform : public Platform {
 public:
  DuplicatingPlatform(Platform* inner, bool decoded)
      : inner_(inner), decoded_(decoded) {}
  Status Invoke(const std::string& f, json p) override {
    UNUM_RETURN_IF_ERROR(inner_->Invoke(f, p));
    return inner_->Invoke(f, std::move(p));
  }
  Status InvokeAfter(std::chrono::milliseconds d, const std::string& f,
                     json p) override {
    UNUM_RETURN_IF_ERROR(inner_->InvokeAfter(d, f, p));
    return inner_->InvokeAfter(d, f, std::move(p));
  }
  bool CarriesDecodedPayloads() const override {
    return decoded_ && inner_->CarriesDecodedPayloads();
  }
  Status InvokeDecoded(std::chrono::milliseconds d, const std::string& f,
                       std::shared_ptr<const Payload> p) override {
    ++decoded_sends_;
    UNUM_RETURN_IF_ERROR(inner_->InvokeDecoded(d, f, p));
    return inner_->InvokeDecoded(d, f, std::move(p));
  }
  int MaxAttempts() const override { return inner_->MaxAttempts(); }
  int decoded_sends() const { return decoded_sends_; }

 private:
  Platform* inner_;
  bool decoded_;
  std::atomic<int> decoded_sends_{0};
};

// Seeded coin flips shared by the delivery threads.
class Coin {
 public:
  explicit Coin(uint64_t seed) : gen_(seed) {}
  bool Flip(double p) {
    std::lock_guard<std::mutex> lock(mu_);
    return std::bernoulli_distribution(p)(gen_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 gen_;
};

// Datastore calls fail with kUnavailable (the runtime retries them), half
// before reaching the store, half after it (the reply is lost).
class FlakyStore : public ForwardingDatastore {
 public:
  FlakyStore(Datastore* target, Coin* coin)
      : ForwardingDatastore(target), coin_(coin) {}
  int faults() const { return faults_; }

#define UNUM_FLAKY_CALL(expr)                               \
  const int fault = Fault();                                \
  if (fault == 1) return Status::Unavailable("injected");   \
  auto r = (expr);                                          \
  if (fault == 2) return Status::Unavailable("reply lost"); \
  return r

  Result<Lookup> GetCheckpoint(const std::string& s,
                               const std::string& i) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::GetCheckpoint(s, i));
  }
  Result<PutOutcome> PutCheckpoint(const std::string& s, const std::string& i,
                                   const std::string& v,
                                   std::chrono::seconds e) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::PutCheckpoint(s, i, v, e));
  }
  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& s, const std::vector<std::string>& i) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::GetCheckpoints(s, i));
  }
  Result<SetAddResult> AddToSet(const std::string& s, const std::string& set,
                                const std::string& m) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::AddToSet(s, set, m));
  }
  Status DeleteCheckpoint(const std::string& s, const std::string& i,
                          std::chrono::seconds ttl) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::DeleteCheckpoint(s, i, ttl));
  }
  Status DeleteCheckpoints(const std::string& s,
                           const std::vector<std::string>& i,
                           std::chrono::seconds ttl) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::DeleteCheckpoints(s, i, ttl));
  }
  Status DeleteSet(const std::string& s, const std::string& set,
                   std::chrono::seconds ttl) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::DeleteSet(s, set, ttl));
  }
  Result<bool> PutSessionRecordIfAbsent(const std::string& s,
                                        const std::string& v) override {
    UNUM_FLAKY_CALL(ForwardingDatastore::PutSessionRecordIfAbsent(s, v));
  }
#undef UNUM_FLAKY_CALL

 private:
  // 0: no fault, 1: before the call, 2: after it.
  int Fault() {
    if (!coin_->Flip(0.04)) return 0;
    ++faults_;
    return coin_->Flip(0.5) ? 1 : 2;
  }
  Coin* coin_;
  std::atomic<int> faults_{0};
};

class ConcurrentFaultsTest : public ::testing::TestWithParam<FaultedPlatform> {
};

TEST_P(ConcurrentFaultsTest, EverySessionEndsExactlyOnceWithNothingLeft) {
  constexpr int kSessions = 8;
  const FaultedPlatform& param = GetParam();
  int crashes = 0, store_faults = 0, decoded_sends = 0;
  for (const SweepWorkflow& wf : SweepWorkflows()) {
    SCOPED_TRACE(wf.name + " on " + param.name);
    TempDir tmp;
    ASSERT_FALSE(tmp.path().empty());
    auto opened = OpenPlatform(WithTmp(param.url, tmp.path()));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    HostedPlatform& inner = **opened;
    ASSERT_EQ(inner.CarriesDecodedPayloads() && param.decoded, param.decoded)
        << param.url << " does not carry decoded payloads";
    MemoryDatastore store;
    Coin coin(42);
    FlakyStore flaky(&store, &coin);
    DuplicatingPlatform platform(&inner, param.decoded);
    RuntimeOptions options;
    options.datastore_backoff = std::chrono::milliseconds(0);
    Runtime rt(&flaky, &platform, options);
    for (const SweepFunction& f : wf.functions) {
      ASSERT_TRUE(rt.AddFunction(f.config, f.fn).ok());
    }
    // A crash at a protocol point, at most once per instance, point and
    // continuation count, so every invocation completes.
    std::mutex mu;
    std::set<std::string> crashed;
    std::atomic<int> wf_crashes{0};
    rt.SetFaultHook(
        [&](ProtocolPoint point, const std::string& instance, int k) {
          if (!coin.Flip(0.2)) return Status::Ok();
          const std::string key = instance + "/" +
                                  std::to_string(static_cast<int>(point)) +
                                  "/" + std::to_string(k);
          std::lock_guard<std::mutex> lock(mu);
          if (!crashed.insert(key).second) return Status::Ok();
          ++wf_crashes;
          return Status::Internal("injected crash at " + key);
        });
    inner.Start([&rt](const Invocation& inv) { return rt.Handle(inv); });
    std::vector<std::string> sessions;
    for (int i = 0; i < kSessions; ++i) {
      sessions.push_back(wf.name + "-" + std::to_string(i));
      ASSERT_TRUE(
          platform.Invoke(wf.start, StartPayload(wf.input, sessions.back()))
              .ok());
    }
    const Status idle =
        inner.WaitUntil([] { return false; }, std::chrono::seconds(60));
    ASSERT_EQ(idle.code(), StatusCode::kFailedPrecondition) << idle.ToString();
    inner.Stop();
    EXPECT_EQ(inner.stats().exhausted, 0);
    for (const std::string& session : sessions) {
      SCOPED_TRACE(session);
      CheckSession(wf, ReadOutcome(store, session), LiveKeys(store, session));
    }
    crashes += wf_crashes;
    store_faults += flaky.faults();
    decoded_sends += platform.decoded_sends();
  }
  // Every fault kind happened, through the payload mode under test.
  EXPECT_GT(crashes, 0);
  EXPECT_GT(store_faults, 0);
  if (param.decoded) {
    EXPECT_GT(decoded_sends, 0);
  } else {
    EXPECT_EQ(decoded_sends, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Platforms, ConcurrentFaultsTest,
    ::testing::ValuesIn(PlatformsUnderFaults()),
    [](const ::testing::TestParamInfo<FaultedPlatform>& info) {
      return info.param.name;
    });

TEST(DecodedPayloadCoverageTest,
     EveryPlatformCarryingDecodedPayloadsIsUnderFaults) {
  // lambda:// signs requests: it opens only with credentials (none is sent).
  setenv("AWS_ACCESS_KEY_ID", "test", /*overwrite=*/0);
  setenv("AWS_SECRET_ACCESS_KEY", "test", /*overwrite=*/0);
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  int carrying = 0;
  for (const PlatformScheme& scheme : PlatformSchemes()) {
    SCOPED_TRACE(scheme.name);
    auto opened = OpenPlatform(WithTmp(scheme.example, tmp.path()));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    if (!(*opened)->CarriesDecodedPayloads()) continue;
    ++carrying;
    const auto faulted = PlatformsUnderFaults();
    EXPECT_TRUE(std::any_of(faulted.begin(), faulted.end(),
                            [&](const FaultedPlatform& f) {
                              return f.decoded &&
                                     f.url.rfind(scheme.name + ":", 0) == 0;
                            }))
        << scheme.name << ":// carries decoded payloads, but no test runs it "
        << "under faults in that mode: add it to PlatformsUnderFaults()";
  }
  EXPECT_GE(carrying, 1) << "inproc:// carries decoded payloads";
}

}  // namespace
}  // namespace unum::runtime::testing
