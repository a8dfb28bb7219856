// Exhaustive single-fault sweeps of the runtime, in both payload modes.
//
// Each workflow is first run cleanly to count its store calls, protocol
// points and deliveries; then it is rerun once per possible fault: a crash
// before or after (reply lost) each store call, a crash at each protocol
// point, and a duplicate (immediate or very late) of each delivery. Failed
// deliveries are redelivered with attempt + 1, as a FaaS platform does.
// Every run must end with the exact result and only the session record and
// tombstones in the store.
//
// Every sweep runs twice: with JSON payloads (what a platform between
// processes carries) and with the runtime's decoded payloads handed from
// step to step (what inproc://, the platform of `unum run`, carries).
// A mutation test plants a bug on the decoded path only (a fan-in payload
// whose sources are dropped) and checks that the sweep's check catches it.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "runtime/payload.h"
#include "runtime/runtime.h"
#include "runtime/runtime_test_util.h"
#include "runtime/sweep_workflows.h"

namespace unum::runtime::testing {
namespace {

using nlohmann::json;

constexpr char kSession[] = "sess-1";

// Crashes (kInternal, not retried by the runtime) at the n-th store call,
// either before doing it or after doing it.
class CrashAtCall : public ForwardingDatastore {
 public:
  CrashAtCall(Datastore* target, int crash_at, bool after)
      : ForwardingDatastore(target), crash_at_(crash_at), after_(after) {}
  int calls() const { return calls_; }

#define UNUM_CRASHING_CALL(expr)                 \
  const int n = ++calls_;                        \
  if (n == crash_at_ && !after_) return Crash(); \
  auto r = (expr);                               \
  if (n == crash_at_ && after_) return Crash();  \
  return r

  Result<Lookup> GetCheckpoint(const std::string& s,
                               const std::string& i) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::GetCheckpoint(s, i));
  }
  Result<PutOutcome> PutCheckpoint(const std::string& s, const std::string& i,
                                   const std::string& v,
                                   std::chrono::seconds e) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::PutCheckpoint(s, i, v, e));
  }
  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& s, const std::vector<std::string>& i) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::GetCheckpoints(s, i));
  }
  Result<SetAddResult> AddToSet(const std::string& s, const std::string& set,
                                const std::string& m) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::AddToSet(s, set, m));
  }
  Status DeleteCheckpoint(const std::string& s, const std::string& i,
                          std::chrono::seconds ttl) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::DeleteCheckpoint(s, i, ttl));
  }
  Status DeleteCheckpoints(const std::string& s,
                           const std::vector<std::string>& i,
                           std::chrono::seconds ttl) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::DeleteCheckpoints(s, i, ttl));
  }
  Status DeleteSet(const std::string& s, const std::string& set,
                   std::chrono::seconds ttl) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::DeleteSet(s, set, ttl));
  }
  Result<bool> PutSessionRecordIfAbsent(const std::string& s,
                                        const std::string& v) override {
    UNUM_CRASHING_CALL(ForwardingDatastore::PutSessionRecordIfAbsent(s, v));
  }
#undef UNUM_CRASHING_CALL

 private:
  static Status Crash() { return Status::Internal("injected crash"); }
  const int crash_at_;
  const bool after_;
  int calls_ = 0;
};

struct Fault {
  enum class Kind {
    kNone,
    kStoreBefore,
    kStoreAfter,
    kPoint,
    kDupNow,
    kDupLate
  } kind = Kind::kNone;
  int at = 0;  // 1-based index of the store call / point / delivery
};

struct SweepRun {
  int store_calls = 0;
  int decoded_sends = 0;  // invocations the runtime sent decoded
  int points = 0;
  int deliveries = 0;
  int redeliveries = 0;
  std::optional<SessionOutcome> outcome;
  std::vector<std::string> live_keys;  // anything but record and tombstones
};

SweepRun RunSweep(const SweepWorkflow& wf, Fault fault, bool decoded,
                  FakePlatform::Mutation mutation = nullptr) {
  MemoryDatastore store;
  CrashAtCall crash(&store,
                    fault.kind == Fault::Kind::kStoreBefore ||
                            fault.kind == Fault::Kind::kStoreAfter
                        ? fault.at
                        : 0,
                    fault.kind == Fault::Kind::kStoreAfter);
  FakePlatform platform(/*max_attempts=*/10, decoded);
  if (mutation) platform.SetDecodedMutation(std::move(mutation));
  RuntimeOptions options;
  options.datastore_backoff = std::chrono::milliseconds(0);
  Runtime rt(&crash, &platform, options);
  for (const SweepFunction& f : wf.functions) {
    EXPECT_TRUE(rt.AddFunction(f.config, f.fn).ok());
  }
  SweepRun run;
  rt.SetFaultHook([&](ProtocolPoint, const std::string&, int) {
    ++run.points;
    if (fault.kind == Fault::Kind::kPoint && run.points == fault.at) {
      return Status::Internal("injected crash at a protocol point");
    }
    return Status::Ok();
  });
  std::deque<Invocation> queue;
  std::vector<Invocation> late;
  // The caller's Start invocation is JSON (as `unum run` sends it); what
  // the runtime sends on is in the platform's payload mode.
  queue.push_back(Invocation{wf.start, StartPayload(wf.input, kSession), 1});
  auto drain = [&] {
    while (!queue.empty()) {
      Invocation inv = std::move(queue.front());
      queue.pop_front();
      ++run.deliveries;
      if (fault.kind == Fault::Kind::kDupNow && run.deliveries == fault.at) {
        queue.push_front(inv);
      }
      if (fault.kind == Fault::Kind::kDupLate && run.deliveries == fault.at) {
        late.push_back(inv);
      }
      if (!rt.Handle(inv).ok()) {
        ++run.redeliveries;
        if (inv.attempt < platform.MaxAttempts()) {
          ++inv.attempt;
          queue.push_back(inv);
        }
      }
      for (auto& c : platform.Take()) queue.push_back(c.ToInvocation());
    }
  };
  drain();
  // Very late duplicates arrive after the session finished.
  for (Invocation& inv : late) queue.push_back(inv);
  late.clear();
  drain();
  run.store_calls = crash.calls();
  run.decoded_sends = platform.decoded_calls();
  run.outcome = ReadOutcome(store, kSession);
  run.live_keys = LiveKeys(store, kSession);
  return run;
}

std::string FaultName(const Fault& f) {
  static const char* kNames[] = {"none",
                                 "crash before store call",
                                 "crash after store call",
                                 "crash at protocol point",
                                 "immediate duplicate of delivery",
                                 "late duplicate of delivery"};
  return std::string(kNames[static_cast<int>(f.kind)]) + " #" +
         std::to_string(f.at);
}

const char* ModeName(bool decoded) { return decoded ? "decoded" : "json"; }

using SweepCase = std::tuple<SweepWorkflow, bool /*decoded*/>;

class FaultSweepTest : public ::testing::TestWithParam<SweepCase> {
 protected:
  const SweepWorkflow& Workflow() const { return std::get<0>(GetParam()); }
  bool Decoded() const { return std::get<1>(GetParam()); }

  SweepRun Run(const Fault& fault) {
    return RunSweep(Workflow(), fault, Decoded());
  }
  void Check(const SweepRun& run, const Fault& fault) {
    SCOPED_TRACE(Workflow().name + " (" + ModeName(Decoded()) +
                 " payloads): " + FaultName(fault));
    CheckSession(Workflow(), run.outcome, run.live_keys);
  }
  // The clean run: correct, and it did something to sweep over, through
  // the payload mode under test.
  SweepRun Clean() {
    const SweepRun clean = Run(Fault{});
    Check(clean, Fault{});
    EXPECT_EQ(clean.redeliveries, 0);
    EXPECT_GT(clean.store_calls, 0);
    EXPECT_GT(clean.points, 0);
    EXPECT_GT(clean.deliveries, 1);
    if (Decoded()) {
      EXPECT_EQ(clean.decoded_sends, clean.deliveries - 1)
          << "every invocation the runtime sends goes decoded";
    } else {
      EXPECT_EQ(clean.decoded_sends, 0);
    }
    return clean;
  }
};

TEST_P(FaultSweepTest, EveryStoreCrashRecovers) {
  const SweepRun clean = Clean();
  ASSERT_FALSE(HasFailure());
  int swept = 0;
  for (auto kind : {Fault::Kind::kStoreBefore, Fault::Kind::kStoreAfter}) {
    for (int at = 1; at <= clean.store_calls; ++at) {
      const Fault fault{kind, at};
      const SweepRun run = Run(fault);
      Check(run, fault);
      EXPECT_EQ(run.redeliveries, 1) << FaultName(fault);
      ++swept;
    }
  }
  EXPECT_EQ(swept, 2 * clean.store_calls);
}

TEST_P(FaultSweepTest, EveryProtocolPointCrashRecovers) {
  const SweepRun clean = Clean();
  ASSERT_FALSE(HasFailure());
  int swept = 0;
  for (int at = 1; at <= clean.points; ++at) {
    const Fault fault{Fault::Kind::kPoint, at};
    const SweepRun run = Run(fault);
    Check(run, fault);
    EXPECT_EQ(run.redeliveries, 1) << FaultName(fault);
    ++swept;
  }
  EXPECT_EQ(swept, clean.points);
}

TEST_P(FaultSweepTest, EveryDuplicateDeliveryIsHarmless) {
  const SweepRun clean = Clean();
  ASSERT_FALSE(HasFailure());
  int swept = 0;
  for (auto kind : {Fault::Kind::kDupNow, Fault::Kind::kDupLate}) {
    for (int at = 1; at <= clean.deliveries; ++at) {
      const Fault fault{kind, at};
      const SweepRun run = Run(fault);
      Check(run, fault);
      EXPECT_GT(run.deliveries, clean.deliveries) << FaultName(fault);
      ++swept;
    }
  }
  EXPECT_EQ(swept, 2 * clean.deliveries);
}

INSTANTIATE_TEST_SUITE_P(
    Workflows, FaultSweepTest,
    ::testing::Combine(::testing::ValuesIn(SweepWorkflows()),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<SweepCase>& info) {
      std::string name = std::get<0>(info.param).name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name + "_" + ModeName(std::get<1>(info.param));
    });

// ---- the sweeps catch a bug planted on the decoded path ------------------

// The planted bug: a decoded fan-in payload loses its sources on the way
// (the JSON path is untouched).
std::shared_ptr<const Payload> DropFanInSources(
    std::shared_ptr<const Payload> payload) {
  if (!payload->fan_in) return payload;
  auto broken = std::make_shared<Payload>(*payload);
  broken->sources.clear();
  return broken;
}

// How many assertions CheckSession fails for `run`.
int CheckFailures(const SweepWorkflow& wf, const SweepRun& run) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::
            INTERCEPT_ONLY_CURRENT_THREAD,
        &failures);
    CheckSession(wf, run.outcome, run.live_keys);
  }
  return failures.size();
}

TEST(DecodedPathMutationTest, DroppedFanInSourcesAreCaughtOnlyWhenDecoded) {
  int fan_in_workflows = 0;
  for (const SweepWorkflow& wf : SweepWorkflows()) {
    SCOPED_TRACE(wf.name);
    // The JSON path does not go through the bug: clean.
    const SweepRun json_run =
        RunSweep(wf, Fault{}, /*decoded=*/false, DropFanInSources);
    EXPECT_EQ(CheckFailures(wf, json_run), 0);
    const SweepRun decoded_run =
        RunSweep(wf, Fault{}, /*decoded=*/true, DropFanInSources);
    if (!wf.fan_in) {
      EXPECT_EQ(CheckFailures(wf, decoded_run), 0);
      continue;
    }
    ++fan_in_workflows;
    EXPECT_GT(CheckFailures(wf, decoded_run), 0)
        << "the sweep's check missed fan-in inputs dropped on the decoded "
           "path";
    // And under every duplicate, as the sweep runs it.
    for (int at = 1; at <= decoded_run.deliveries; ++at) {
      const Fault fault{Fault::Kind::kDupNow, at};
      EXPECT_GT(CheckFailures(wf, RunSweep(wf, fault, true, DropFanInSources)),
                0)
          << FaultName(fault);
    }
  }
  EXPECT_GE(fan_in_workflows, 3);
}

}  // namespace
}  // namespace unum::runtime::testing
