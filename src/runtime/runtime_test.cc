// Tests for the Unum runtime protocol, driven one delivery at a time: a
// MemoryDatastore holds the state and a fake Platform records every
// invocation instead of running it, so each step of the protocol
// (checkpoint, GC, fan-in, session record) is observable.
#include "runtime/runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "datastore/counting_datastore.h"
#include "datastore/forwarding_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "runtime/payload.h"
#include "runtime/runtime_test_util.h"
#include "runtime/session_record.h"

namespace unum::runtime {
namespace {

using nlohmann::json;
using testing::Config;
using testing::Describe;
using ::testing::ElementsAre;
using testing::FakePlatform;
using testing::FanInTo;
using ::testing::HasSubstr;
using testing::MapTo;
using testing::Scalar;

// The first GetCheckpoint of one instance reads absent (as a stale replica
// would), so the runtime believes it is first and then loses the put.
class BlindGetDatastore : public ForwardingDatastore {
 public:
  BlindGetDatastore(Datastore* target, std::string blind)
      : ForwardingDatastore(target), blind_(std::move(blind)) {}
  Result<Lookup> GetCheckpoint(const std::string& session,
                               const std::string& instance) override {
    if (instance == blind_ && !blinded_.exchange(true)) return Lookup{};
    return ForwardingDatastore::GetCheckpoint(session, instance);
  }

 private:
  std::string blind_;
  std::atomic<bool> blinded_{false};
};

// The first PutCheckpointIfAbsent is written but its reply is lost
// (kUnavailable), so the runtime's retry finds its own write.
class LostReplyDatastore : public ForwardingDatastore {
 public:
  using ForwardingDatastore::ForwardingDatastore;
  Result<PutOutcome> PutCheckpoint(const std::string& s, const std::string& i,
                                   const std::string& v,
                                   std::chrono::seconds e) override {
    auto r = ForwardingDatastore::PutCheckpoint(s, i, v, e);
    if (!lost_.exchange(true)) return Status::Unavailable("reply lost");
    return r;
  }

 private:
  std::atomic<bool> lost_{false};
};

// Fails the first `failures` calls (of any kind) with kUnavailable.
class FlakyDatastore : public ForwardingDatastore {
 public:
  FlakyDatastore(Datastore* target, int failures)
      : ForwardingDatastore(target), failures_left_(failures) {}

  int calls() const { return calls_; }
  int failed() const { return failed_; }
  // From now on each call fails when the previous one did not.
  void FailEveryOtherCall() { every_other_ = true; }

  Result<Lookup> GetCheckpoint(const std::string& s,
                               const std::string& i) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::GetCheckpoint(s, i);
  }
  Result<PutOutcome> PutCheckpoint(const std::string& s, const std::string& i,
                                   const std::string& v,
                                   std::chrono::seconds e) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::PutCheckpoint(s, i, v, e);
  }
  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& s, const std::vector<std::string>& i) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::GetCheckpoints(s, i);
  }
  Result<SetAddResult> AddToSet(const std::string& s, const std::string& set,
                                const std::string& m) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::AddToSet(s, set, m);
  }
  Status DeleteCheckpoint(const std::string& s, const std::string& i,
                          std::chrono::seconds ttl) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::DeleteCheckpoint(s, i, ttl);
  }
  Status DeleteSet(const std::string& s, const std::string& set,
                   std::chrono::seconds ttl) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::DeleteSet(s, set, ttl);
  }
  Result<bool> PutSessionRecordIfAbsent(const std::string& s,
                                        const std::string& v) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::PutSessionRecordIfAbsent(s, v);
  }

 private:
  bool Flake() {
    ++calls_;
    if (every_other_) {
      flip_ = !flip_;
      if (flip_) ++failed_;
      return flip_;
    }
    if (failures_left_ > 0) {
      --failures_left_;
      ++failed_;
      return true;
    }
    return false;
  }
  std::atomic<int> failures_left_;
  std::atomic<int> calls_{0};
  std::atomic<int> failed_{0};
  bool every_other_ = false;
  bool flip_ = false;
};

constexpr char kSession[] = "sess-1";

class RuntimeTest : public ::testing::Test {
 protected:
  RuntimeTest() : rt_(&store_, &platform_, FastOptions()) {}

  static RuntimeOptions FastOptions() {
    RuntimeOptions o;
    o.datastore_backoff = std::chrono::milliseconds(0);
    return o;
  }

  // Registers `config` whose user code records its input and returns
  // fn(input, ctx).
  void Add(const ir::FunctionConfig& config,
           std::function<json(const json&, Context&)> fn) {
    const std::string name = config.name;
    ASSERT_TRUE(rt_.AddFunction(config,
                                [this, name, fn](const json& in,
                                                 Context& ctx) -> Result<json> {
                                  {
                                    std::lock_guard<std::mutex> l(mu_);
                                    ++runs_[name];
                                    inputs_[ctx.instance].push_back(in);
                                  }
                                  return fn(in, ctx);
                                })
                    .ok());
  }
  void AddIdentity(const ir::FunctionConfig& config) {
    Add(config, [](const json& in, Context&) { return in; });
  }

  Status Deliver(const std::string& function, const json& payload,
                 int attempt = 1) {
    return rt_.Handle(Invocation{function, payload, attempt});
  }
  Status Deliver(const FakePlatform::Call& call, int attempt = 1) {
    return Deliver(call.function, call.payload, attempt);
  }
  Status Start(const std::string& function, const json& input) {
    return Deliver(function, StartPayload(input, kSession));
  }

  // Delivers every recorded call (and the calls those make) in FIFO order.
  void RunAll() {
    std::deque<FakePlatform::Call> queue;
    for (auto& c : platform_.Take()) queue.push_back(std::move(c));
    while (!queue.empty()) {
      FakePlatform::Call c = std::move(queue.front());
      queue.pop_front();
      Status s = Deliver(c);
      ASSERT_TRUE(s.ok()) << c.function << ": " << s.ToString();
      for (auto& n : platform_.Take()) queue.push_back(std::move(n));
    }
  }

  Lookup Checkpoint(const std::string& instance,
                    const std::string& session = kSession) {
    auto l = store_.GetCheckpoint(session, instance);
    EXPECT_TRUE(l.ok());
    return l.ok() ? *l : Lookup{};
  }
  json CheckpointJson(const std::string& instance) {
    Lookup l = Checkpoint(instance);
    EXPECT_TRUE(l.present()) << instance;
    return l.present() ? json::parse(l.value) : json();
  }
  std::vector<std::string> Keys(const std::string& session = kSession) {
    auto keys = store_.ListKeys(session);
    EXPECT_TRUE(keys.ok());
    std::vector<std::string> out;
    if (keys.ok()) {
      for (const KeyInfo& k : *keys) out.push_back(Describe(k));
    }
    return out;
  }
  std::optional<SessionOutcome> Outcome(const std::string& session = kSession) {
    auto r = store_.GetSessionRecord(session);
    EXPECT_TRUE(r.ok());
    if (!r.ok() || !r->present()) return std::nullopt;
    auto o = DecodeSessionRecord(r->value);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    if (!o.ok()) return std::nullopt;
    return *o;
  }
  int Runs(const std::string& function) {
    std::lock_guard<std::mutex> l(mu_);
    return runs_[function];
  }
  std::vector<json> Inputs(const std::string& instance) {
    std::lock_guard<std::mutex> l(mu_);
    return inputs_[instance];
  }

  MemoryDatastore store_;
  FakePlatform platform_;
  Runtime rt_;
  std::mutex mu_;
  std::map<std::string, int> runs_;
  std::map<std::string, std::vector<json>> inputs_;
};

// ---- session and payload ------------------------------------------------

TEST_F(RuntimeTest, StartFunctionCreatesSessionWhenNoneGiven) {
  std::string seen_session;
  Add(Config("A", {Scalar("B")}, /*start=*/true),
      [&](const json& in, Context& ctx) {
        seen_session = ctx.session;
        return in;
      });
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Deliver("A", StartPayload(json(5), "")).ok());
  ASSERT_EQ(seen_session.size(), 36u) << seen_session;
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].function, "B");
  EXPECT_EQ(calls[0].payload["Session"], seen_session);
  EXPECT_TRUE(Checkpoint("A", seen_session).present());
  // A second start without a session is a second workflow run.
  std::string first = seen_session;
  ASSERT_TRUE(Deliver("A", StartPayload(json(5), "")).ok());
  EXPECT_NE(seen_session, first);
}

TEST_F(RuntimeTest, StartFunctionKeepsGivenSession) {
  std::string seen;
  Add(Config("A", {}, true), [&](const json& in, Context& ctx) {
    seen = ctx.session;
    EXPECT_EQ(ctx.function, "A");
    EXPECT_EQ(ctx.instance, "A");
    EXPECT_EQ(ctx.attempt, 1);
    return in;
  });
  ASSERT_TRUE(Start("A", json("x")).ok());
  EXPECT_EQ(seen, kSession);
}

TEST_F(RuntimeTest, NonStartFunctionWithoutSessionIsInvalid) {
  AddIdentity(Config("A", {Scalar("B")}, true));
  AddIdentity(Config("B", {}));
  const Status s = Deliver("B", json::parse(R"({"Data": {"Value": 1}})"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("no Session"));
  EXPECT_THAT(s.message(), HasSubstr("function \"B\""));
  EXPECT_EQ(Runs("B"), 0);
  EXPECT_TRUE(platform_.calls().empty());
}

TEST_F(RuntimeTest, UnknownFunctionIsNotFound) {
  const Status s = Deliver("Nope", StartPayload(json(1), kSession));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("\"Nope\""));
}

TEST_F(RuntimeTest, MalformedPayloadNamesFunctionAndField) {
  AddIdentity(Config("A", {}, true));
  const Status s = Deliver("A", json::parse(R"({"Session": "s"})"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("function \"A\""));
  EXPECT_THAT(s.message(), HasSubstr("Data"));
  EXPECT_EQ(Runs("A"), 0);
}

TEST_F(RuntimeTest, DuplicateFunctionRegistrationFails) {
  AddIdentity(Config("A", {}, true));
  const Status s = rt_.AddFunction(Config("A", {}), nullptr);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
}

// ---- checkpoint and duplicates -------------------------------------------

TEST_F(RuntimeTest, CheckpointHoldsOutputAndChildren) {
  Add(Config("A", {Scalar("B"), Scalar("C"), Scalar("D", "$out.n > 100")},
             true),
      [](const json& in, Context&) {
        return json{{"n", in}};
      });
  for (const char* f : {"B", "C", "D"}) AddIdentity(Config(f, {}));
  ASSERT_TRUE(Start("A", json(7)).ok());
  EXPECT_EQ(CheckpointJson("A"),
            json::parse(R"({"Output": {"n": 7}, "Children": 2})"));
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].payload, json::parse(R"({
      "Data": {"Source": "http", "Value": {"n": 7}},
      "Session": "sess-1",
      "Fan-out": {"Type": "Parallel", "Index": 0, "Size": 3},
      "GC": {"Parent": "A", "Children": 2}})"));
  EXPECT_EQ(calls[1].function, "C");
  EXPECT_EQ(calls[1].payload["Fan-out"]["Index"], 1);
  EXPECT_EQ(calls[1].payload["GC"],
            json::parse(R"({"Parent": "A", "Children": 2})"));
}

TEST_F(RuntimeTest, SecondDeliveryContinuesFromTheCommittedCheckpoint) {
  AddIdentity(Config("A", {MapTo("B")}, true));
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Start("A", json::array({1, 2})).ok());
  ASSERT_TRUE(Start("A", json::array({1, 2})).ok());
  // No read before the user code: the duplicate runs it again and learns
  // from the lost checkpoint write that the first delivery committed.
  EXPECT_EQ(Runs("A"), 2);
  EXPECT_EQ(rt_.stats().races_lost, 1);
  EXPECT_EQ(rt_.stats().user_runs, 2);
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 4u);
  // The duplicate re-issues exactly the same continuations.
  EXPECT_EQ(calls[2].function, calls[0].function);
  EXPECT_EQ(calls[2].payload, calls[0].payload);
  EXPECT_EQ(calls[3].payload, calls[1].payload);
  EXPECT_EQ(calls[1].payload["Data"]["Value"], 2);
  EXPECT_EQ(calls[1].payload["GC"],
            json::parse(R"({"Parent": "A", "Children": 2})"));
}

TEST_F(RuntimeTest, DuplicateUsesCheckpointNotNewOutput) {
  // Non-deterministic user code: each run returns a new value. The
  // duplicate must continue with the checkpointed one.
  std::atomic<int> counter{0};
  Add(Config("A", {Scalar("B")}, true),
      [&](const json&, Context&) { return json(++counter); });
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Start("A", json(nullptr)).ok());
  ASSERT_TRUE(Start("A", json(nullptr)).ok());
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].payload["Data"]["Value"], 1);
  EXPECT_EQ(calls[1].payload["Data"]["Value"], 1);
}

TEST_F(RuntimeTest, DeliveryAfterTombstoneDoesNothing) {
  AddIdentity(Config("A", {Scalar("B")}, true));
  AddIdentity(Config("B", {Scalar("C")}));
  AddIdentity(Config("C", {}));
  ASSERT_TRUE(Start("A", json(1)).ok());
  auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(Deliver(calls[0]).ok());  // B collects A
  ASSERT_TRUE(Checkpoint("A").tombstone());
  platform_.Take();
  ASSERT_TRUE(Start("A", json(1)).ok());
  // The user code runs again; the write that loses to the tombstone stops
  // the delivery before any continuation.
  EXPECT_EQ(Runs("A"), 2);
  EXPECT_TRUE(platform_.calls().empty());
  EXPECT_EQ(rt_.stats().tombstone_hits, 1);
}

TEST_F(RuntimeTest, LostPutRaceAdoptsCommittedOutput) {
  BlindGetDatastore blind(&store_, "A");
  Runtime rt(&blind, &platform_, FastOptions());
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json&, Context&) -> Result<json> {
                               ++runs;
                               return json("mine");
                             })
                  .ok());
  // A concurrent duplicate already checkpointed (and may have continued).
  const std::string theirs = json{{"Output", "theirs"}, {"Children", 1}}.dump();
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent(kSession, "A", theirs));
  const Status s =
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(rt.stats().races_lost, 1);
  EXPECT_EQ(Checkpoint("A").value, theirs);
  // Only the committed output travels on: never "mine".
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].payload, json::parse(R"({
      "Data": {"Source": "http", "Value": "theirs"}, "Session": "sess-1",
      "GC": {"Parent": "A", "Children": 1}})"));
}

TEST_F(RuntimeTest, LostRaceAgainstTombstoneStops) {
  BlindGetDatastore blind(&store_, "A");
  Runtime rt(&blind, &platform_, FastOptions());
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json&, Context&) -> Result<json> {
                               return json("mine");
                             })
                  .ok());
  ASSERT_TRUE(
      store_.DeleteCheckpoint(kSession, "A", std::chrono::hours(1)).ok());
  ASSERT_TRUE(
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  EXPECT_EQ(rt.stats().tombstone_hits, 1);
  EXPECT_TRUE(platform_.calls().empty());
}

TEST_F(RuntimeTest, LostPutReplyStillContinues) {
  // The put landed but its reply was lost; the retry "loses" to that very
  // write. The workflow must still go on, exactly once.
  LostReplyDatastore lossy(&store_);
  Runtime rt(&lossy, &platform_, FastOptions());
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json&, Context&) -> Result<json> {
                               return json("out");
                             })
                  .ok());
  ASSERT_TRUE(
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].payload["Data"]["Value"], "out");
  EXPECT_EQ(CheckpointJson("A"),
            json::parse(R"({"Output": "out", "Children": 1})"));
}

// ---- fan-in -------------------------------------------------------------

// A -Map-> B-unumIndex-k -Fan-in, Pop-> C.
TEST_F(RuntimeTest, FailingDuplicateOfFinishedInstanceKeepsItsOutput) {
  // The first delivery commits; a duplicate's user code then fails on the
  // platform's last attempt. The committed output stands: no FAILED
  // record, and the duplicate continues with that output.
  int runs = 0;
  ASSERT_TRUE(rt_.AddFunction(Config("A", {Scalar("B")}, true),
                              [&](const json&, Context&) -> Result<json> {
                                if (++runs > 1) return Status::Unknown("flaky");
                                return json("first");
                              })
                  .ok());
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Start("A", json(1)).ok());
  ASSERT_TRUE(
      Deliver("A", StartPayload(json(1), kSession), /*attempt=*/3).ok());
  EXPECT_EQ(runs, 2);
  EXPECT_TRUE(store_.GetSessionRecord(kSession)->absent());
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].payload, calls[0].payload);
  EXPECT_EQ(calls[1].payload["Data"]["Value"], "first");
}

// Datastore operations of a chain A -> B -> C -> D, by policy.
struct ChainOps {
  DatastoreStats ops;
  std::vector<std::string> keys;
  std::vector<json> payloads;
};

ChainOps RunChain(GcPolicy policy) {
  MemoryDatastore memory;
  CountingDatastore store(&memory);
  FakePlatform platform;
  RuntimeOptions options;
  options.gc = policy;
  Runtime rt(&store, &platform, options);
  const std::vector<std::string> names = {"A", "B", "C", "D"};
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<ir::Edge> next;
    if (i + 1 < names.size()) next.push_back(Scalar(names[i + 1]));
    EXPECT_TRUE(rt.AddFunction(Config(names[i], next, i == 0),
                               [](const json& in, Context&) -> Result<json> {
                                 return in;
                               })
                    .ok());
  }
  ChainOps out;
  EXPECT_TRUE(
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  for (auto calls = platform.Take(); !calls.empty(); calls = platform.Take()) {
    for (const auto& c : calls) {
      out.payloads.push_back(c.payload);
      EXPECT_TRUE(rt.Handle(Invocation{c.function, c.payload, 1}).ok());
    }
  }
  out.ops = store.stats();
  auto keys = memory.ListKeys(kSession);
  EXPECT_TRUE(keys.ok());
  for (const KeyInfo& k : *keys) out.keys.push_back(Describe(k));
  return out;
}

TEST(GcPolicyTest, DeletePolicyCostsTwoOperationsPerChainStep) {
  const ChainOps r = RunChain(GcPolicy::kDelete);
  // Each of A, B, C: its checkpoint write, and (B, C, D) the delete of the
  // parent; D writes its checkpoint, the record and deletes itself.
  EXPECT_EQ(r.ops.get_checkpoint, 0);
  EXPECT_EQ(r.ops.put_checkpoint, 4);
  EXPECT_EQ(r.ops.delete_checkpoint, 4);
  EXPECT_EQ(r.ops.session_record, 1);
  EXPECT_EQ(r.ops.set_add + r.ops.delete_set + r.ops.get_checkpoints, 0);
  EXPECT_THAT(r.keys,
              ::testing::ElementsAre("checkpoint A (tombstone)",
                                     "checkpoint B (tombstone)",
                                     "checkpoint C (tombstone)",
                                     "checkpoint D (tombstone)", "record"));
  EXPECT_TRUE(r.payloads[0].contains("GC"));
}

TEST(GcPolicyTest, ExpirePolicyCostsOneOperationPerChainStep) {
  const ChainOps r = RunChain(GcPolicy::kExpire);
  EXPECT_EQ(r.ops.get_checkpoint, 0);
  EXPECT_EQ(r.ops.put_checkpoint, 4);
  EXPECT_EQ(r.ops.delete_checkpoint, 0);
  EXPECT_EQ(r.ops.session_record, 1);
  EXPECT_EQ(r.ops.set_add + r.ops.delete_set + r.ops.get_checkpoints, 0);
  // Nothing is deleted, and every checkpoint expires by itself.
  EXPECT_THAT(r.keys, ::testing::ElementsAre(
                          "checkpoint A (expires)", "checkpoint B (expires)",
                          "checkpoint C (expires)", "checkpoint D (expires)",
                          "record"));
  for (const json& p : r.payloads) EXPECT_FALSE(p.contains("GC")) << p;
}

TEST(GcPolicyTest, ExpirePolicyDuplicateAfterTheRunContinuesFromCheckpoint) {
  MemoryDatastore store;
  FakePlatform platform;
  RuntimeOptions options;
  options.gc = GcPolicy::kExpire;
  Runtime rt(&store, &platform, options);
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json&, Context&) -> Result<json> {
                               return json(++runs);
                             })
                  .ok());
  const Invocation start{"A", StartPayload(json(0), kSession), 1};
  ASSERT_TRUE(rt.Handle(start).ok());
  ASSERT_TRUE(rt.Handle(start).ok());
  const auto calls = platform.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].payload["Data"]["Value"], 1);
  EXPECT_EQ(calls[1].payload["Data"]["Value"], 1);  // never the rerun's 2
}

TEST(GcPolicyTest, ParsesPolicyNames) {
  EXPECT_EQ(*ParseGcPolicy("delete", "x"), GcPolicy::kDelete);
  EXPECT_EQ(*ParseGcPolicy("expire", "x"), GcPolicy::kExpire);
  EXPECT_EQ(
      ParseGcPolicy("ttl", "unum-template.yaml: Globals.GarbageCollection")
          .status()
          .message(),
      "unum-template.yaml: Globals.GarbageCollection: unknown garbage "
      "collection policy \"ttl\" (known: delete, expire)");
}

class FanInTest : public RuntimeTest {
 protected:
  void SetUp() override {
    AddIdentity(Config("A", {MapTo("B")}, true));
    Add(Config("B", {FanInTo("C", {"B-unumIndex-*"})}, false, true, {"Pop"}),
        [](const json& in, Context&) { return json(in.get<int>() * 10); });
    AddIdentity(Config("C", {}));
    ASSERT_TRUE(Start("A", json::array({0, 1, 2})).ok());
    branches_ = platform_.Take();
    ASSERT_EQ(branches_.size(), 3u);
  }
  std::vector<FakePlatform::Call> branches_;
};

TEST_F(FanInTest, LastBranchInvokesAggregatorOnce) {
  ASSERT_TRUE(Deliver(branches_[2]).ok());
  EXPECT_TRUE(platform_.calls().empty());
  ASSERT_TRUE(Deliver(branches_[0]).ok());
  EXPECT_TRUE(platform_.calls().empty());
  ASSERT_TRUE(Deliver(branches_[1]).ok());
  const auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].function, "C");
  EXPECT_EQ(calls[0].payload, json::parse(R"({
      "Data": {"Source": "datastore",
               "Value": ["B-unumIndex-0", "B-unumIndex-1", "B-unumIndex-2"]},
      "Session": "sess-1"})"));
  EXPECT_EQ(rt_.stats().fan_in_adds, 3);

  // Aggregator reads inputs in Values order, not completion order.
  ASSERT_TRUE(Deliver(calls[0]).ok());
  EXPECT_EQ(Runs("C"), 1);
  EXPECT_THAT(Inputs("C"), ElementsAre(json::array({0, 10, 20})));
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_EQ(outcome->result, json::array({0, 10, 20}));
  EXPECT_EQ(outcome->function, "C");
  EXPECT_EQ(outcome->instance, "C");
  EXPECT_THAT(Keys(),
              ElementsAre("checkpoint A (tombstone)",
                          "checkpoint B-unumIndex-0 (tombstone)",
                          "checkpoint B-unumIndex-1 (tombstone)",
                          "checkpoint B-unumIndex-2 (tombstone)",
                          "checkpoint C (tombstone)", "set fanin/C (tombstone)",
                          "set gc/A (tombstone)", "record"));
}

TEST_F(FanInTest, BranchCheckpointHasChildrenOne) {
  ASSERT_TRUE(Deliver(branches_[1]).ok());
  EXPECT_EQ(CheckpointJson("B-unumIndex-1"),
            json::parse(R"({"Output": 10, "Children": 1})"));
}

TEST_F(FanInTest, DuplicateOfAggregatorDoesNotRerun) {
  for (const auto& b : branches_) ASSERT_TRUE(Deliver(b).ok());
  const auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(Deliver(calls[0]).ok());
  ASSERT_TRUE(Deliver(calls[0]).ok());
  EXPECT_EQ(Runs("C"), 1);
  EXPECT_EQ(rt_.stats().tombstone_hits, 1);
}

TEST_F(FanInTest, LateDuplicateBranchSeesClosedSet) {
  ASSERT_TRUE(Deliver(branches_[0]).ok());
  ASSERT_TRUE(Deliver(branches_[1]).ok());
  ASSERT_TRUE(Deliver(branches_[2]).ok());
  const auto agg = platform_.Take();
  ASSERT_EQ(agg.size(), 1u);
  // A duplicate of branch 2 finds its checkpoint; while it is between its
  // checkpoint and its fan-in add, the aggregator runs to completion and
  // closes the ready set.
  bool ran_aggregator = false;
  rt_.SetFaultHook([&](ProtocolPoint p, const std::string& instance, int) {
    if (p == ProtocolPoint::kAfterCheckpoint && instance == "B-unumIndex-2" &&
        !ran_aggregator) {
      ran_aggregator = true;
      EXPECT_TRUE(Deliver(agg[0]).ok());
    }
    return Status::Ok();
  });
  ASSERT_TRUE(Deliver(branches_[2]).ok());
  ASSERT_TRUE(ran_aggregator);
  EXPECT_EQ(Runs("C"), 1);
  EXPECT_EQ(Runs("B"), 4);  // the duplicate reran B, then adopted its output
  EXPECT_EQ(rt_.stats().fan_in_adds, 4);
  EXPECT_TRUE(platform_.calls().empty()) << platform_.calls()[0].function;
}

TEST_F(FanInTest, DuplicateBranchBeforeAggregatorReinvokesIt) {
  for (const auto& b : branches_) ASSERT_TRUE(Deliver(b).ok());
  ASSERT_TRUE(Deliver(branches_[0]).ok());
  // At-least-once: the ready set is still open, so the aggregator is
  // invoked again, and its duplicate is harmless.
  const auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].payload, calls[1].payload);
  ASSERT_TRUE(Deliver(calls[0]).ok());
  ASSERT_TRUE(Deliver(calls[1]).ok());
  EXPECT_EQ(Runs("C"), 1);
  EXPECT_EQ(Runs("B"), 4);
}

TEST_F(RuntimeTest, AggregatorReadsInputsInValuesOrder) {
  // Values list Y before X; the aggregator gets [out Y, out X].
  AddIdentity(Config("A", {Scalar("X"), Scalar("Y")}, true));
  Add(Config("X", {FanInTo("Z", {"Y-unumIndex-1", "X-unumIndex-0"})}, false,
             true, {"Pop"}),
      [](const json&, Context&) { return json("from X"); });
  Add(Config("Y", {FanInTo("Z", {"Y-unumIndex-1", "X-unumIndex-0"})}, false,
             true, {"Pop"}),
      [](const json&, Context&) { return json("from Y"); });
  AddIdentity(Config("Z", {}));
  ASSERT_TRUE(Start("A", json(0)).ok());
  RunAll();
  EXPECT_THAT(Inputs("Z"), ElementsAre(json::array({"from Y", "from X"})));
  EXPECT_EQ(Outcome()->result, json::array({"from Y", "from X"}));
  EXPECT_THAT(Keys(),
              ElementsAre("checkpoint A (tombstone)",
                          "checkpoint X-unumIndex-0 (tombstone)",
                          "checkpoint Y-unumIndex-1 (tombstone)",
                          "checkpoint Z (tombstone)", "set fanin/Z (tombstone)",
                          "set gc/A (tombstone)", "record"));
}

// ---- garbage collection ---------------------------------------------------

TEST_F(RuntimeTest, ParallelParentDeletedAfterThirdChild) {
  AddIdentity(Config("A", {Scalar("B"), Scalar("C"), Scalar("D")}, true));
  for (const char* f : {"B", "C", "D"}) AddIdentity(Config(f, {Scalar("E")}));
  AddIdentity(Config("E", {}));
  ASSERT_TRUE(Start("A", json(1)).ok());
  const auto children = platform_.Take();
  ASSERT_EQ(children.size(), 3u);
  ASSERT_TRUE(Deliver(children[0]).ok());
  EXPECT_TRUE(Checkpoint("A").present());
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A", "checkpoint B-unumIndex-0",
                                  "set gc/A"));
  ASSERT_TRUE(Deliver(children[2]).ok());
  EXPECT_TRUE(Checkpoint("A").present());
  // A duplicate of a child counts once.
  ASSERT_TRUE(Deliver(children[0]).ok());
  EXPECT_TRUE(Checkpoint("A").present());
  ASSERT_TRUE(Deliver(children[1]).ok());
  EXPECT_TRUE(Checkpoint("A").tombstone());
  EXPECT_THAT(
      Keys(),
      ElementsAre("checkpoint A (tombstone)", "checkpoint B-unumIndex-0",
                  "checkpoint C-unumIndex-1", "checkpoint D-unumIndex-2",
                  "set gc/A (tombstone)"));
  EXPECT_EQ(rt_.stats().checkpoints_deleted, 1);
}

TEST_F(RuntimeTest, ChainParentDeletedDirectly) {
  AddIdentity(Config("A", {Scalar("B")}, true));
  AddIdentity(Config("B", {Scalar("C")}));
  AddIdentity(Config("C", {}));
  ASSERT_TRUE(Start("A", json(1)).ok());
  auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].payload["GC"],
            json::parse(R"({"Parent": "A", "Children": 1})"));
  ASSERT_TRUE(Deliver(calls[0]).ok());
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)", "checkpoint B"));
  calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(Deliver(calls[0]).ok());
  // The terminal writes the record and tombstones itself.
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)",
                                  "checkpoint B (tombstone)",
                                  "checkpoint C (tombstone)", "record"));
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_EQ(outcome->result, 1);
  EXPECT_EQ(outcome->function, "C");
  EXPECT_EQ(outcome->instance, "C");
}

TEST_F(RuntimeTest, MapParentCollectedThroughGcSet) {
  AddIdentity(Config("A", {MapTo("B")}, true));
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Start("A", json::array({"a", "b"})).ok());
  const auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_TRUE(Deliver(calls[0]).ok());
  EXPECT_TRUE(Checkpoint("A").present());
  ASSERT_TRUE(Deliver(calls[1]).ok());
  EXPECT_TRUE(Checkpoint("A").tombstone());
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)",
                                  "checkpoint B-unumIndex-0 (tombstone)",
                                  "checkpoint B-unumIndex-1 (tombstone)",
                                  "set gc/A (tombstone)", "record"));
}

// Crash (a non-retryable store error) right after an aggregator deleted a
// shared fan-in source's checkpoint, before it deleted that source's GC
// set. The platform redelivers; the redelivery must finish the job.
TEST_F(RuntimeTest, CrashBetweenSourceDeleteAndGcSetDeleteLeaksNothing) {
  class CrashOnce : public ForwardingDatastore {
   public:
    using ForwardingDatastore::ForwardingDatastore;
    Status DeleteSet(const std::string& s, const std::string& set,
                     std::chrono::seconds ttl) override {
      if (set == "gc/Stage-unumIndex-0" && !crashed_.exchange(true)) {
        return Status::Internal("crash before deleting " + set);
      }
      return ForwardingDatastore::DeleteSet(s, set, ttl);
    }
    bool crashed() const { return crashed_; }

   private:
    std::atomic<bool> crashed_{false};
  };
  CrashOnce crash(&store_);
  Runtime rt(&crash, &platform_, FastOptions());
  auto identity = [](const json& in, Context&) -> Result<json> { return in; };
  // The pipeline example's shape with 2 stages: Stage-0 feeds Combine-0 and
  // Combine-1, so its checkpoint is collected through gc/Stage-unumIndex-0.
  ir::Edge first = FanInTo("Combine", {"Stage-unumIndex-$0"});
  first.conditional = "$0 == 0";
  ir::Edge pair =
      FanInTo("Combine", {"Stage-unumIndex-($0-1)", "Stage-unumIndex-$0"});
  pair.conditional = "$0 > 0";
  ir::Edge next =
      FanInTo("Combine", {"Stage-unumIndex-$0", "Stage-unumIndex-($0+1)"});
  next.conditional = "$0 + 1 < $size";
  next.modifiers = {"$0=$0+1"};
  ASSERT_TRUE(
      rt.AddFunction(Config("Source", {MapTo("Stage")}, true), identity).ok());
  ASSERT_TRUE(
      rt.AddFunction(Config("Stage", {first, pair, next}), identity).ok());
  ASSERT_TRUE(
      rt.AddFunction(
            Config("Combine", {FanInTo("Collect", {"Combine-unumIndex-*"})},
                   false, true, {"Pop"}),
            identity)
          .ok());
  ASSERT_TRUE(rt.AddFunction(Config("Collect", {}), identity).ok());
  ASSERT_TRUE(
      rt.Handle(Invocation{"Source",
                           StartPayload(json::array({"x", "y"}), kSession), 1})
          .ok());
  // A platform: FIFO, failed deliveries come back with attempt + 1.
  std::deque<Invocation> queue;
  for (auto& c : platform_.Take()) queue.push_back({c.function, c.payload, 1});
  int failures = 0;
  while (!queue.empty()) {
    Invocation inv = queue.front();
    queue.pop_front();
    if (!rt.Handle(inv).ok()) {
      ++failures;
      ASSERT_LT(inv.attempt, 3);
      ++inv.attempt;
      queue.push_back(inv);
    }
    for (auto& c : platform_.Take())
      queue.push_back({c.function, c.payload, 1});
  }
  ASSERT_TRUE(crash.crashed());
  EXPECT_EQ(failures, 1);
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->result, json::parse(R"([["x"], ["x", "y"]])"));
  for (const std::string& k : Keys()) {
    EXPECT_TRUE(k == "record" || k.ends_with("(tombstone)")) << k;
  }
}

// ---- failures -------------------------------------------------------------

class FailureTest : public RuntimeTest {
 protected:
  void SetUp() override {
    AddIdentity(Config("A", {Scalar("B")}, true));
    Add(Config("B", {Scalar("C")}), [](const json& in, Context&) -> json {
      if (in == "throw") throw std::runtime_error("boom");
      return in;
    });
    AddIdentity(Config("C", {}));
  }
  FakePlatform::Call ToB(const json& input) {
    EXPECT_TRUE(Start("A", input).ok());
    auto calls = platform_.Take();
    EXPECT_EQ(calls.size(), 1u);
    return calls.at(0);
  }
};

TEST_F(FailureTest, EarlyAttemptFailsWithoutSessionRecord) {
  const auto b = ToB("throw");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const Status s = Deliver(b, attempt);
    EXPECT_EQ(s.code(), StatusCode::kUnknown);
    EXPECT_EQ(s.message(), "function \"B\", instance \"B\": boom");
    EXPECT_FALSE(Outcome().has_value());
    EXPECT_FALSE(Checkpoint("B").present());
  }
  EXPECT_EQ(Runs("B"), 2);
  EXPECT_EQ(rt_.stats().user_failures, 2);
  EXPECT_TRUE(platform_.calls().empty());
  // The parent is still there for the retry.
  EXPECT_TRUE(Checkpoint("A").present());
}

TEST_F(FailureTest, LastAttemptRecordsFailure) {
  const auto b = ToB("throw");
  const Status s = Deliver(b, 3);
  EXPECT_EQ(s.code(), StatusCode::kUnknown);
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->function, "B");
  EXPECT_EQ(outcome->instance, "B");
  EXPECT_EQ(outcome->message, "boom");
  EXPECT_EQ(outcome->attempts, 3);
  EXPECT_TRUE(platform_.calls().empty());
}

TEST_F(FailureTest, ReturnedErrorIsRecordedToo) {
  Runtime rt(&store_, &platform_, FastOptions());
  ASSERT_TRUE(rt.AddFunction(Config("F", {}, true),
                             [](const json&, Context&) -> Result<json> {
                               return Status::Internal("disk on fire");
                             })
                  .ok());
  const auto payload = StartPayload(json(1), "sess-2");
  Status s = rt.Handle(Invocation{"F", payload, 1});
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_FALSE(Outcome("sess-2").has_value());
  s = rt.Handle(Invocation{"F", payload, 3});
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  auto outcome = Outcome("sess-2");
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->function, "F");
  EXPECT_EQ(outcome->instance, "F");
  EXPECT_EQ(outcome->message, "disk on fire");
  EXPECT_EQ(outcome->attempts, 3);
}

TEST_F(FailureTest, SingleAttemptPlatformFailsAtOnce) {
  FakePlatform one(1);
  Runtime rt(&store_, &one, FastOptions());
  ASSERT_TRUE(rt.AddFunction(Config("F", {}, true),
                             [](const json&, Context&) -> Result<json> {
                               throw std::runtime_error("nope");
                             })
                  .ok());
  EXPECT_FALSE(rt.Handle(Invocation{"F", StartPayload(1, "sess-3"), 1}).ok());
  auto outcome = Outcome("sess-3");
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->message, "nope");
  EXPECT_EQ(outcome->attempts, 1);
}

TEST_F(FailureTest, RetrySucceedsAfterFailure) {
  std::atomic<int> attempts{0};
  Runtime rt(&store_, &platform_, FastOptions());
  ASSERT_TRUE(rt.AddFunction(Config("F", {}, true),
                             [&](const json& in, Context& ctx) -> Result<json> {
                               ++attempts;
                               if (ctx.attempt == 1) {
                                 throw std::runtime_error("flaky");
                               }
                               return in;
                             })
                  .ok());
  const auto payload = StartPayload(json("ok"), "sess-4");
  EXPECT_FALSE(rt.Handle(Invocation{"F", payload, 1}).ok());
  EXPECT_TRUE(rt.Handle(Invocation{"F", payload, 2}).ok());
  auto outcome = Outcome("sess-4");
  ASSERT_TRUE(outcome.has_value());
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_EQ(outcome->result, "ok");
  EXPECT_EQ(attempts, 2);
}

TEST_F(RuntimeTest, PlanErrorFailsAtOnceNamingFunctionAndEdge) {
  AddIdentity(Config("A", {MapTo("B")}, true));
  AddIdentity(Config("B", {}));
  // Deterministic: redelivering cannot help, so the session fails on the
  // first attempt and the delivery itself is finished.
  EXPECT_TRUE(Start("A", json{{"not", "an array"}}).ok());
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->function, "A");
  EXPECT_EQ(outcome->instance, "A");
  EXPECT_EQ(outcome->attempts, 1);
  EXPECT_EQ(outcome->message,
            "Next (to \"B\"): a Map edge needs an array output, got object");
  EXPECT_FALSE(Checkpoint("A").present());
  EXPECT_TRUE(platform_.calls().empty());
}

// ---- Checkpoint: false -----------------------------------------------------

TEST_F(RuntimeTest, NoCheckpointFunctionStillContinues) {
  AddIdentity(Config("A", {Scalar("B")}, true));
  Add(Config("B", {Scalar("C")}, false, /*checkpoint=*/false),
      [](const json& in, Context&) { return json(in.get<int>() + 1); });
  AddIdentity(Config("C", {}));
  ASSERT_TRUE(Start("A", json(1)).ok());
  const auto b = platform_.Take();
  ASSERT_EQ(b.size(), 1u);
  ASSERT_TRUE(Deliver(b[0]).ok());
  // No checkpoint for B, but its parent was collected and C invoked.
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)"));
  auto calls = platform_.Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].function, "C");
  // Nothing for C to collect: B has no checkpoint.
  EXPECT_EQ(calls[0].payload, json::parse(R"({
      "Data": {"Source": "http", "Value": 2}, "Session": "sess-1"})"));
  // At-least-once: a duplicate runs B again.
  ASSERT_TRUE(Deliver(b[0]).ok());
  EXPECT_EQ(Runs("B"), 2);
  ASSERT_EQ(platform_.calls().size(), 1u);
  ASSERT_TRUE(Deliver(calls[0]).ok());
  EXPECT_EQ(Outcome()->result, 2);
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)",
                                  "checkpoint C (tombstone)", "record"));
}

TEST_F(RuntimeTest, NoCheckpointTerminalWritesRecordOnly) {
  AddIdentity(Config("A", {Scalar("B")}, true));
  AddIdentity(Config("B", {}, false, false));
  ASSERT_TRUE(Start("A", json("r")).ok());
  RunAll();
  EXPECT_EQ(Outcome()->result, "r");
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)", "record"));
}

// ---- transient datastore errors -------------------------------------------

TEST_F(RuntimeTest, TransientStoreErrorsAreRetried) {
  FlakyDatastore flaky(&store_, 3);
  Runtime rt(&flaky, &platform_, FastOptions());
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json& in, Context&) -> Result<json> {
                               ++runs;
                               return in;
                             })
                  .ok());
  ASSERT_TRUE(
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  EXPECT_EQ(flaky.failed(), 3);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(CheckpointJson("A"),
            json::parse(R"({"Output": 1, "Children": 1})"));
  EXPECT_EQ(platform_.calls().size(), 1u);
}

TEST_F(RuntimeTest, TransientErrorsOnEveryStoreCallAreRetried) {
  // Every store call fails once before it succeeds, through a whole
  // map + fan-in workflow (every kind of store operation).
  FlakyDatastore flaky(&store_, 0);
  flaky.FailEveryOtherCall();
  RuntimeOptions options = FastOptions();
  options.datastore_attempts = 2;
  Runtime rt(&flaky, &platform_, options);
  auto identity = [](const json& in, Context&) -> Result<json> { return in; };
  ASSERT_TRUE(rt.AddFunction(Config("A", {MapTo("B")}, true), identity).ok());
  ASSERT_TRUE(rt.AddFunction(Config("B", {FanInTo("C", {"B-unumIndex-*"})},
                                    false, true, {"Pop"}),
                             identity)
                  .ok());
  ASSERT_TRUE(rt.AddFunction(Config("C", {}), identity).ok());
  ASSERT_TRUE(
      rt.Handle(Invocation{"A", StartPayload(json::array({1, 2}), kSession), 1})
          .ok());
  std::deque<FakePlatform::Call> queue;
  for (auto& c : platform_.Take()) queue.push_back(c);
  while (!queue.empty()) {
    auto c = queue.front();
    queue.pop_front();
    ASSERT_TRUE(rt.Handle(Invocation{c.function, c.payload, 1}).ok())
        << c.function;
    for (auto& n : platform_.Take()) queue.push_back(n);
  }
  EXPECT_GT(flaky.failed(), 10);
  EXPECT_EQ(flaky.failed() * 2, flaky.calls());
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->result, json::array({1, 2}));
  for (const std::string& k : Keys()) {
    EXPECT_TRUE(k == "record" || k.ends_with("(tombstone)")) << k;
  }
}

TEST_F(RuntimeTest, PersistentStoreErrorIsReturned) {
  RuntimeOptions options = FastOptions();
  options.datastore_attempts = 4;
  FlakyDatastore flaky(&store_, 100);
  Runtime rt(&flaky, &platform_, options);
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json& in, Context&) -> Result<json> {
                               ++runs;
                               return in;
                             })
                  .ok());
  const Status s =
      rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1});
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(flaky.calls(), 4);  // the checkpoint write, 4 attempts
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(platform_.calls().empty());
}

TEST_F(RuntimeTest, StoreErrorOnLastAttemptRecordsFailure) {
  class NoPut : public ForwardingDatastore {
   public:
    using ForwardingDatastore::ForwardingDatastore;
    Result<PutOutcome> PutCheckpoint(const std::string&, const std::string&,
                                     const std::string&,
                                     std::chrono::seconds) override {
      return Status::Unavailable("store down");
    }
  };
  NoPut no_put(&store_);
  RuntimeOptions options = FastOptions();
  options.datastore_attempts = 2;
  Runtime rt(&no_put, &platform_, options);
  ASSERT_TRUE(rt.AddFunction(
                    Config("A", {Scalar("B")}, true),
                    [](const json& in, Context&) -> Result<json> { return in; })
                  .ok());
  const json payload = StartPayload(json(1), kSession);
  EXPECT_EQ(rt.Handle(Invocation{"A", payload, 2}).code(),
            StatusCode::kUnavailable);
  EXPECT_FALSE(Outcome().has_value());
  EXPECT_EQ(rt.Handle(Invocation{"A", payload, 3}).code(),
            StatusCode::kUnavailable);
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->function, "A");
  EXPECT_EQ(outcome->instance, "A");
  EXPECT_THAT(outcome->message, HasSubstr("store down"));
  EXPECT_EQ(outcome->attempts, 3);
  EXPECT_TRUE(platform_.calls().empty());
}

// ---- tombstone TTL ---------------------------------------------------------

TEST(TombstoneTtlTest, EveryDeleteUsesTheConfiguredTtl) {
  class TtlRecorder : public ForwardingDatastore {
   public:
    using ForwardingDatastore::ForwardingDatastore;
    Status DeleteCheckpoint(const std::string& s, const std::string& i,
                            std::chrono::seconds ttl) override {
      ttls.insert(ttl.count());
      ++deletes;
      return ForwardingDatastore::DeleteCheckpoint(s, i, ttl);
    }
    Status DeleteCheckpoints(const std::string& s,
                             const std::vector<std::string>& i,
                             std::chrono::seconds ttl) override {
      ttls.insert(ttl.count());
      deletes += static_cast<int>(i.size());
      return ForwardingDatastore::DeleteCheckpoints(s, i, ttl);
    }
    Status DeleteSet(const std::string& s, const std::string& set,
                     std::chrono::seconds ttl) override {
      ttls.insert(ttl.count());
      ++deletes;
      return ForwardingDatastore::DeleteSet(s, set, ttl);
    }
    std::set<int64_t> ttls;
    int deletes = 0;
  };
  MemoryDatastore store;
  TtlRecorder recorder(&store);
  FakePlatform platform;
  RuntimeOptions options;
  EXPECT_EQ(options.tombstone_ttl, std::chrono::hours(7));
  options.tombstone_ttl = std::chrono::seconds(1234);
  Runtime rt(&recorder, &platform, options);
  auto identity = [](const json& in, Context&) -> Result<json> { return in; };
  ASSERT_TRUE(rt.AddFunction(Config("A", {MapTo("B")}, true), identity).ok());
  ASSERT_TRUE(rt.AddFunction(Config("B", {FanInTo("C", {"B-unumIndex-*"})},
                                    false, true, {"Pop"}),
                             identity)
                  .ok());
  ASSERT_TRUE(rt.AddFunction(Config("C", {}), identity).ok());
  std::deque<Invocation> queue;
  queue.push_back({"A", StartPayload(json::array({1, 2}), kSession), 1});
  while (!queue.empty()) {
    ASSERT_TRUE(rt.Handle(queue.front()).ok());
    queue.pop_front();
    for (auto& c : platform.Take()) queue.push_back({c.function, c.payload, 1});
  }
  // A, B-0, B-1, C and the sets gc/A and fanin/C.
  EXPECT_EQ(recorder.deletes, 6);
  EXPECT_EQ(recorder.ttls, (std::set<int64_t>{1234}));
}

TEST(TombstoneTtlTest, LateDuplicateWithinTtlDoesNotRerun) {
  auto now = std::make_shared<std::chrono::steady_clock::time_point>(
      std::chrono::steady_clock::time_point{} + std::chrono::hours(1));
  MemoryDatastore store([now] { return *now; });
  FakePlatform platform;
  Runtime rt(&store, &platform);
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json& in, Context&) -> Result<json> {
                               ++runs;
                               return in;
                             })
                  .ok());
  ASSERT_TRUE(rt.AddFunction(
                    Config("B", {}),
                    [](const json& in, Context&) -> Result<json> { return in; })
                  .ok());
  const Invocation start{"A", StartPayload(json(1), kSession), 1};
  ASSERT_TRUE(rt.Handle(start).ok());
  auto calls = platform.Take();
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(rt.Handle({calls[0].function, calls[0].payload, 1}).ok());
  // Six hours later (Lambda's maximum event age) a duplicate of A arrives.
  *now += std::chrono::hours(6) + std::chrono::minutes(59);
  ASSERT_TRUE(rt.Handle(start).ok());
  EXPECT_EQ(runs, 2);  // ran again, then its write met the tombstone
  EXPECT_TRUE(platform.calls().empty());
  EXPECT_EQ(rt.stats().tombstone_hits, 1);
}

// ---- a whole workflow through the fake platform ---------------------------

TEST_F(RuntimeTest, NestedMapWithFanInsLeavesOnlyTombstones) {
  AddIdentity(Config("Outer", {MapTo("Row")}, true));
  AddIdentity(Config("Row", {MapTo("Square")}));
  Add(Config("Square", {FanInTo("RowSum", {"Square-unumIndex-*.$1"})}, false,
             true, {"Pop"}),
      [](const json& in, Context&) {
        return json(in.get<int>() * in.get<int>());
      });
  Add(Config("RowSum", {FanInTo("Total", {"RowSum-unumIndex-*"})}, false, true,
             {"Pop"}),
      [](const json& in, Context&) {
        int sum = 0;
        for (const json& v : in) sum += v.get<int>();
        return json(sum);
      });
  AddIdentity(Config("Total", {}));
  ASSERT_TRUE(Start("Outer", json::parse("[[1, 2, 3], [4, 5]]")).ok());
  RunAll();
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->result, json::array({14, 41}));
  EXPECT_THAT(Inputs("RowSum-unumIndex-1"), ElementsAre(json::array({16, 25})));
  for (const std::string& k : Keys()) {
    EXPECT_TRUE(k == "record" || k.ends_with("(tombstone)")) << k;
  }
  // 11 checkpoints, 3 GC sets (Outer, 2 Rows), 3 ready sets, the record.
  EXPECT_EQ(Keys().size(), 11u + 3 + 3 + 1);
}

}  // namespace
}  // namespace unum::runtime
