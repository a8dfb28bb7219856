// End-to-end tests of the simulator on the built-in patterns (the example
// apps are exercised by the unum_sim_10k ctest through unum-sim).
#include "sim/simulation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "datastore/memory/memory_datastore.h"
#include "runtime/payload.h"
#include "sim/invariants.h"
#include "sim/tagging.h"
#include "sim/workflows.h"

namespace unum::sim {
namespace {

using nlohmann::json;

const std::vector<Workflow>& Patterns() {
  static const std::vector<Workflow>* patterns = [] {
    auto p = PatternWorkflows();
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return new std::vector<Workflow>(p.ok() ? std::move(p).value()
                                            : std::vector<Workflow>{});
  }();
  return *patterns;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += "\n  " + x;
  return s;
}

TEST(TaggingTest, TagKeepsShapeAndUntagRestoresIt) {
  const json out = {{"a", 1}, {"b", {1, 2}}};
  json tagged = Tag(out, "X", "n1");
  EXPECT_EQ(tagged["a"], 1);
  EXPECT_EQ(NonceOf(tagged), "n1");
  EXPECT_EQ(ProducerOf(tagged), "X");
  EXPECT_EQ(Untag(tagged), out);

  const json arr = {3, "s", {{"k", true}}};
  json tagged_arr = Tag(arr, "Y", "n2");
  ASSERT_EQ(tagged_arr.size(), 3u);
  EXPECT_EQ(NonceOf(tagged_arr[1]), "n2");
  EXPECT_EQ(tagged_arr[2]["k"], true);
  EXPECT_EQ(Untag(tagged_arr), arr);
  EXPECT_EQ(Untag(tagged_arr[0]), 3);

  EXPECT_EQ(Untag(Tag("hi", "Z", "n3")), "hi");
  // A fan-in input: an array of tagged outputs.
  EXPECT_EQ(Untag(json::array({tagged, tagged_arr})), json::array({out, arr}));
  EXPECT_EQ(NonceOf(json::array()), "");
}

SimConfig Decoded() {
  SimConfig config;
  config.decoded_payloads = true;
  return config;
}

TEST(SimulationTest, EveryPatternPassesUnderFaultsInBothPayloadModes) {
  ASSERT_EQ(Patterns().size(), 7u);
  for (const SimConfig& config : {SimConfig{}, Decoded()}) {
    for (const Workflow& wf : Patterns()) {
      int64_t decoded = 0;
      for (uint64_t seed = 1; seed <= 40; ++seed) {
        RunResult r = RunSimulation(wf, seed, config);
        EXPECT_TRUE(r.violations.empty())
            << wf.name << " seed " << seed << " ("
            << PayloadModeName(config.decoded_payloads) << ", " << r.profile
            << ")" << Join(r.violations);
        decoded += r.work["invocations.decoded"];
      }
      // The payload mode under test is the one that ran.
      if (config.decoded_payloads) {
        EXPECT_GT(decoded, 0) << wf.name;
      } else {
        EXPECT_EQ(decoded, 0) << wf.name;
      }
    }
  }
}

// The planted bug: decoded fan-in payloads lose their sources on the way.
std::shared_ptr<const runtime::Payload> DropFanInSources(
    std::shared_ptr<const runtime::Payload> payload) {
  if (!payload->fan_in) return payload;
  auto broken = std::make_shared<runtime::Payload>(*payload);
  broken->sources.clear();
  return broken;
}

TEST(SimulationTest, ABugOnTheDecodedPathIsCaughtOnlyInDecodedMode) {
  for (const Workflow& wf : Patterns()) {
    if (wf.name != "fan-in" && wf.name != "parallel" && wf.name != "map") {
      continue;
    }
    int64_t json_violations = 0, decoded_violations = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      SimConfig json_mode;
      json_mode.mutate_decoded = DropFanInSources;
      json_violations += RunSimulation(wf, seed, json_mode).violations.size();
      SimConfig decoded_mode = Decoded();
      decoded_mode.mutate_decoded = DropFanInSources;
      decoded_violations +=
          RunSimulation(wf, seed, decoded_mode).violations.size();
    }
    // The JSON path never carries the bug; the decoded runs must catch it.
    EXPECT_EQ(json_violations, 0) << wf.name;
    EXPECT_GT(decoded_violations, 0)
        << wf.name << ": dropped fan-in sources went unnoticed";
  }
}

TEST(SimulationTest, SameSeedReplaysExactly) {
  const Workflow& wf = Patterns()[4];  // nested-map
  SimConfig config;
  config.record_trace = true;
  RunResult a = RunSimulation(wf, 1234, config);
  RunResult b = RunSimulation(wf, 1234, config);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.trace, b.trace);
  EXPECT_EQ(a.faults, b.faults);
  EXPECT_EQ(a.work, b.work);
  RunResult c = RunSimulation(wf, 1235, config);
  EXPECT_NE(a.trace_hash, c.trace_hash);
}

TEST(SimulationTest, FaultsOfEveryKindAreInjectedInBothPayloadModes) {
  for (const SimConfig& config : {SimConfig{}, Decoded()}) {
    std::map<std::string, int64_t> total;
    for (const Workflow& wf : Patterns()) {
      for (uint64_t seed = 1; seed <= 40; ++seed) {
        for (const auto& [k, n] : RunSimulation(wf, seed, config).faults) {
          total[k] += n;
        }
      }
    }
    for (const auto& [kind, n] : total) {
      EXPECT_GT(n, 0) << kind << " with "
                      << PayloadModeName(config.decoded_payloads)
                      << " payloads";
    }
    EXPECT_GE(total.size(), 15u);
  }
}

TEST(SimulationTest, CheckpointOffShowsForksTheCheckerDetects) {
  SimConfig config;
  config.checkpoint_off = true;
  int64_t violations = 0;
  int64_t forks = 0;
  for (const Workflow& wf : Patterns()) {
    for (uint64_t seed = 1; seed <= 40; ++seed) {
      for (const std::string& v : RunSimulation(wf, seed, config).violations) {
        ++violations;
        if (v.find("fork") != std::string::npos ||
            v.find("two different results") != std::string::npos) {
          ++forks;
        }
      }
    }
  }
  EXPECT_GT(violations, 0);
  EXPECT_GT(forks, 0);
}

TEST(SimulationTest, TombstoneTtlBelowEventAgeIsCaught) {
  SimConfig config;
  config.tombstone_ttl = std::chrono::seconds(600);  // < 6 h event age
  int64_t late_commits = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    for (const std::string& v :
         RunSimulation(Patterns()[0], seed, config).violations) {
      if (v.find("late duplicate committed") != std::string::npos) {
        ++late_commits;
      }
    }
  }
  EXPECT_GT(late_commits, 0);
}

TEST(SimulationTest, ExpiryBasedGcKeepsEveryInvariant) {
  SimConfig config;
  config.gc = runtime::GcPolicy::kExpire;
  for (const Workflow& wf : Patterns()) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      const RunResult r = RunSimulation(wf, seed, config);
      EXPECT_TRUE(r.violations.empty())
          << wf.name << " seed " << seed << ": " << r.violations[0];
    }
  }
}

// The checker itself: a forged execution that saw a non-committed output.
TEST(InvariantsTest, DetectsAConsumerThatSawANonCommittedOutput) {
  VirtualClock clock;
  MemoryDatastore memory;
  RecordingDatastore recorded(&memory);
  SimPlatform platform(1, SimOptions{}, &clock, nullptr);
  const json committed = Tag(json{{"x", 1}}, "A", "good");
  ASSERT_TRUE(
      recorded
          .PutCheckpointIfAbsent("s", "A", json{{"Output", committed}}.dump())
          .ok());
  ASSERT_TRUE(recorded
                  .PutSessionRecordIfAbsent("s", json{{"Status", "SUCCEEDED"},
                                                      {"Result", committed},
                                                      {"Instance", "A"}}
                                                     .dump())
                  .ok());
  ASSERT_TRUE(memory.DeleteCheckpoint("s", "A", std::chrono::hours(7)).ok());
  RunLog log;
  Execution e;
  e.instance = "B";
  e.sender = "A";
  e.ok = true;
  e.input = Tag(json{{"x", 1}}, "A", "forked");
  log.Add(e);
  CheckInput in;
  in.session = "s";
  in.recorded = &recorded;
  in.log = &log;
  in.platform = &platform;
  in.store = &memory;
  in.expected = json{{"x", 1}};
  std::vector<std::string> v = CheckRun(in);
  ASSERT_EQ(v.size(), 1u) << Join(v);
  EXPECT_NE(v[0].find("not the committed output of its producer A"),
            std::string::npos);

  // A second, different session result is a violation too.
  ASSERT_TRUE(recorded
                  .PutSessionRecordIfAbsent(
                      "s", json{{"Status", "SUCCEEDED"},
                                {"Result", Tag(json{{"x", 1}}, "A", "other")},
                                {"Instance", "A"}}
                               .dump())
                  .ok());
  v = CheckRun(in);
  EXPECT_EQ(v.size(), 2u) << Join(v);
}

}  // namespace
}  // namespace unum::sim
