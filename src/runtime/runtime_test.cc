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
#include <string>
#include <vector>

#include "datastore/forwarding_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "runtime/payload.h"
#include "runtime/session_record.h"

namespace unum::runtime {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Records invocations; runs nothing.
class FakePlatform : public Platform {
 public:
  struct Call {
    std::string function;
    json payload;
    std::chrono::milliseconds delay{0};
  };

  explicit FakePlatform(int max_attempts = 3) : max_attempts_(max_attempts) {}

  Status Invoke(const std::string& function, const json& payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(Call{function, payload});
    return Status::Ok();
  }
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     const json& payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(Call{function, payload, delay});
    return Status::Ok();
  }
  int MaxAttempts() const override { return max_attempts_; }

  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // Removes and returns every recorded call.
  std::vector<Call> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Call> out;
    out.swap(calls_);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Call> calls_;
  int max_attempts_;
};

// GetCheckpoint of one instance always reads absent (as a stale replica
// would), so the runtime believes it is first and must lose the put.
class BlindGetDatastore : public ForwardingDatastore {
 public:
  BlindGetDatastore(Datastore* target, std::string blind)
      : ForwardingDatastore(target), blind_(std::move(blind)) {}
  Result<Lookup> GetCheckpoint(const std::string& session,
                               const std::string& instance) override {
    if (instance == blind_) return Lookup{};
    return ForwardingDatastore::GetCheckpoint(session, instance);
  }

 private:
  std::string blind_;
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
  Result<bool> PutCheckpointIfAbsent(const std::string& s,
                                     const std::string& i,
                                     const std::string& v) override {
    if (Flake()) return Status::Unavailable("injected");
    return ForwardingDatastore::PutCheckpointIfAbsent(s, i, v);
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

ir::Edge Scalar(const std::string& name, const std::string& cond = "") {
  ir::Edge e;
  e.name = name;
  e.conditional = cond;
  return e;
}
ir::Edge MapTo(const std::string& name) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kMap;
  return e;
}
ir::Edge FanInTo(const std::string& name, std::vector<std::string> values) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kFanIn;
  e.values = std::move(values);
  return e;
}

ir::FunctionConfig Config(const std::string& name, std::vector<ir::Edge> next,
                          bool start = false, bool checkpoint = true,
                          std::vector<std::string> modifiers = {}) {
  ir::FunctionConfig c;
  c.name = name;
  c.start = start;
  c.checkpoint = checkpoint;
  c.next = std::move(next);
  c.modifiers = std::move(modifiers);
  return c;
}

// A key as a short string, for comparing whole stores.
std::string Describe(const KeyInfo& k) {
  switch (k.kind) {
    case KeyInfo::Kind::kCheckpoint:
      return "checkpoint " + k.name + (k.tombstone ? " (tombstone)" : "");
    case KeyInfo::Kind::kSet:
      return "set " + k.name + (k.tombstone ? " (tombstone)" : "");
    case KeyInfo::Kind::kSessionRecord:
      return "record";
  }
  return "?";
}

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
    ASSERT_TRUE(rt_
                    .AddFunction(config,
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
  Add(Config("A", {Scalar("B")}, /*start=*/true), [&](const json& in, Context& ctx) {
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
      [](const json& in, Context&) { return json{{"n", in}}; });
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
  EXPECT_EQ(calls[1].payload["GC"], json::parse(R"({"Parent": "A", "Children": 2})"));
}

TEST_F(RuntimeTest, SecondDeliveryDoesNotRerunUserCode) {
  AddIdentity(Config("A", {MapTo("B")}, true));
  AddIdentity(Config("B", {}));
  ASSERT_TRUE(Start("A", json::array({1, 2})).ok());
  ASSERT_TRUE(Start("A", json::array({1, 2})).ok());
  EXPECT_EQ(Runs("A"), 1);
  EXPECT_EQ(rt_.stats().checkpoint_hits, 1);
  EXPECT_EQ(rt_.stats().user_runs, 1);
  const auto calls = platform_.calls();
  ASSERT_EQ(calls.size(), 4u);
  // The duplicate re-issues exactly the same continuations.
  EXPECT_EQ(calls[2].function, calls[0].function);
  EXPECT_EQ(calls[2].payload, calls[0].payload);
  EXPECT_EQ(calls[3].payload, calls[1].payload);
  EXPECT_EQ(calls[1].payload["Data"]["Value"], 2);
  EXPECT_EQ(calls[1].payload["GC"], json::parse(R"({"Parent": "A", "Children": 2})"));
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
  EXPECT_EQ(Runs("A"), 1);
  EXPECT_TRUE(platform_.calls().empty());
  EXPECT_EQ(rt_.stats().tombstone_hits, 1);
}

TEST_F(RuntimeTest, LostPutRaceStops) {
  BlindGetDatastore blind(&store_, "A");
  Runtime rt(&blind, &platform_, FastOptions());
  int runs = 0;
  ASSERT_TRUE(rt.AddFunction(Config("A", {Scalar("B")}, true),
                             [&](const json&, Context&) -> Result<json> {
                               ++runs;
                               return json("mine");
                             })
                  .ok());
  // A concurrent duplicate already checkpointed.
  const std::string theirs =
      json{{"Output", "theirs"}, {"Children", 1}}.dump();
  ASSERT_TRUE(*store_.PutCheckpointIfAbsent(kSession, "A", theirs));
  ASSERT_TRUE(rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(rt.stats().races_lost, 1);
  EXPECT_TRUE(platform_.calls().empty());
  EXPECT_EQ(Checkpoint("A").value, theirs);
}

// ---- fan-in -------------------------------------------------------------

// A -Map-> B-unumIndex-k -Fan-in, Pop-> C.
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
                          "checkpoint C (tombstone)",
                          "set fanin/C (tombstone)",
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
  EXPECT_EQ(Runs("B"), 3);
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
  EXPECT_EQ(Runs("B"), 3);
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
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)",
                                  "checkpoint X-unumIndex-0 (tombstone)",
                                  "checkpoint Y-unumIndex-1 (tombstone)",
                                  "checkpoint Z (tombstone)",
                                  "set fanin/Z (tombstone)",
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
  EXPECT_THAT(Keys(), ElementsAre("checkpoint A (tombstone)",
                                  "checkpoint B-unumIndex-0",
                                  "checkpoint C-unumIndex-1",
                                  "checkpoint D-unumIndex-2",
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
  EXPECT_EQ(calls[0].payload["GC"], json::parse(R"({"Parent": "A", "Children": 1})"));
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
  const Status s = Start("A", json{{"not", "an array"}});
  EXPECT_FALSE(s.ok());
  auto outcome = Outcome();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->function, "A");
  EXPECT_EQ(outcome->instance, "A");
  EXPECT_EQ(outcome->attempts, 1);
  EXPECT_EQ(outcome->message,
            "function \"A\": Next (to \"B\"): a Map edge needs an array "
            "output, got object");
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
  ASSERT_TRUE(rt.Handle(Invocation{"A", StartPayload(json(1), kSession), 1}).ok());
  EXPECT_EQ(flaky.failed(), 3);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(CheckpointJson("A"), json::parse(R"({"Output": 1, "Children": 1})"));
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
  EXPECT_EQ(flaky.calls(), 4);  // the first GetCheckpoint, 4 attempts
  EXPECT_EQ(runs, 0);
  EXPECT_TRUE(platform_.calls().empty());
}

// ---- a whole workflow through the fake platform ---------------------------

TEST_F(RuntimeTest, NestedMapWithFanInsLeavesOnlyTombstones) {
  AddIdentity(Config("Outer", {MapTo("Row")}, true));
  AddIdentity(Config("Row", {MapTo("Square")}));
  Add(Config("Square", {FanInTo("RowSum", {"Square-unumIndex-*.$1"})}, false,
             true, {"Pop"}),
      [](const json& in, Context&) { return json(in.get<int>() * in.get<int>()); });
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
