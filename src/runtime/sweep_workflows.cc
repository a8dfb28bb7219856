#include "runtime/sweep_workflows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "runtime/runtime_test_util.h"

namespace unum::runtime::testing {

using nlohmann::json;
using ::testing::IsEmpty;

namespace {

UserFunction Identity() {
  return [](const json& in, Context&) -> Result<json> { return in; };
}

// Non-deterministic user code: a fresh nonce per run, so a re-run that
// leaks into the result would show.
UserFunction Tagged(const std::string& tag) {
  auto counter = std::make_shared<std::atomic<int>>(0);
  return [tag, counter](const json& in, Context&) -> Result<json> {
    return json{{"tag", tag}, {"in", in}, {"run", ++*counter}};
  };
}

}  // namespace

std::vector<SweepWorkflow> SweepWorkflows() {
  std::vector<SweepWorkflow> out;
  {  // chain with a Checkpoint:false middle
    SweepWorkflow wf{"chain", {}, "A", json(1), json()};
    wf.functions.push_back({Config("A", {Scalar("B")}, true), Identity()});
    wf.functions.push_back({Config("B", {Scalar("C")}, false, false),
                            [](const json& in, Context&) -> Result<json> {
                              return json(in.get<int>() + 1);
                            }});
    wf.functions.push_back({Config("C", {}), Identity()});
    wf.expected = 2;
    out.push_back(wf);
  }
  {  // parallel + chain + fan-in (text-processing's shape)
    SweepWorkflow wf{"parallel-fan-in", {}, "T", json("p"), json()};
    const std::vector<std::string> values = {"U-unumIndex-0", "S-unumIndex-1"};
    wf.functions.push_back(
        {Config("T", {Scalar("U"), Scalar("F")}, true), Identity()});
    wf.functions.push_back(
        {Config("U", {FanInTo("P", values)}, false, true, {"Pop"}),
         [](const json& in, Context&) -> Result<json> {
           return json("u:" + in.get<std::string>());
         }});
    wf.functions.push_back({Config("F", {Scalar("S")}), Identity()});
    wf.functions.push_back(
        {Config("S", {FanInTo("P", values)}, false, true, {"Pop"}),
         [](const json& in, Context&) -> Result<json> {
           return json("s:" + in.get<std::string>());
         }});
    wf.functions.push_back({Config("P", {Scalar("Z")}), Identity()});
    wf.functions.push_back({Config("Z", {}), Identity()});
    wf.expected = json::array({"u:p", "s:p"});
    wf.fan_in = true;
    out.push_back(wf);
  }
  {  // nested map with two fan-ins (nested-map's shape)
    SweepWorkflow wf{
        "nested-map", {}, "Outer", json::parse("[[1, 2], [3]]"), json()};
    wf.functions.push_back({Config("Outer", {MapTo("Row")}, true), Identity()});
    wf.functions.push_back({Config("Row", {MapTo("Sq")}), Identity()});
    wf.functions.push_back(
        {Config("Sq", {FanInTo("Sum", {"Sq-unumIndex-*.$1"})}, false, true,
                {"Pop"}),
         [](const json& in, Context&) -> Result<json> {
           return json(in.get<int>() * in.get<int>());
         }});
    wf.functions.push_back(
        {Config("Sum", {FanInTo("Total", {"Sum-unumIndex-*"})}, false, true,
                {"Pop"}),
         [](const json& in, Context&) -> Result<json> {
           int sum = 0;
           for (const json& v : in) sum += v.get<int>();
           return json(sum);
         }});
    wf.functions.push_back({Config("Total", {}), Identity()});
    wf.expected = json::array({5, 9});
    wf.fan_in = true;
    out.push_back(wf);
  }
  {  // sliding-window partial fan-ins (pipeline's shape)
    SweepWorkflow wf{
        "pipeline", {}, "Src", json::array({"a", "b", "c"}), json()};
    ir::Edge first = FanInTo("Comb", {"St-unumIndex-$0"});
    first.conditional = "$0 == 0";
    ir::Edge pair = FanInTo("Comb", {"St-unumIndex-($0-1)", "St-unumIndex-$0"});
    pair.conditional = "$0 > 0";
    ir::Edge next = FanInTo("Comb", {"St-unumIndex-$0", "St-unumIndex-($0+1)"});
    next.conditional = "$0 + 1 < $size";
    next.modifiers = {"$0=$0+1"};
    wf.functions.push_back({Config("Src", {MapTo("St")}, true), Identity()});
    wf.functions.push_back({Config("St", {first, pair, next}), Identity()});
    wf.functions.push_back(
        {Config("Comb", {FanInTo("Coll", {"Comb-unumIndex-*"})}, false, true,
                {"Pop"}),
         Identity()});
    wf.functions.push_back({Config("Coll", {}), Identity()});
    wf.expected = json::parse(R"([["a"], ["a", "b"], ["b", "c"]])");
    wf.fan_in = true;
    out.push_back(wf);
  }
  {  // non-deterministic map + fan-in: the committed outputs must win
    SweepWorkflow wf{"nondeterministic", {}, "M", json::array({0, 1}), json()};
    wf.functions.push_back({Config("M", {MapTo("W")}, true), Identity()});
    wf.functions.push_back(
        {Config("W", {FanInTo("G", {"W-unumIndex-*"})}, false, true, {"Pop"}),
         Tagged("w")});
    wf.functions.push_back({Config("G", {}), Identity()});
    wf.expected = nullptr;  // checked by shape below
    wf.fan_in = true;
    out.push_back(wf);
  }
  return out;
}

void PrintTo(const SweepWorkflow& wf, std::ostream* os) { *os << wf.name; }

// Checks one finished session of `wf`: exact result, nothing live left.
void CheckSession(const SweepWorkflow& wf,
                  const std::optional<SessionOutcome>& outcome,
                  const std::vector<std::string>& live_keys) {
  ASSERT_TRUE(outcome.has_value()) << "no session record";
  ASSERT_TRUE(outcome->succeeded)
      << outcome->function << " / " << outcome->instance << ": "
      << outcome->message;
  if (!wf.expected.is_null()) {
    EXPECT_EQ(outcome->result, wf.expected);
  } else {
    // Each branch's committed output, exactly once, in index order.
    const json& r = outcome->result;
    ASSERT_TRUE(r.is_array());
    ASSERT_EQ(r.size(), wf.input.size());
    for (size_t i = 0; i < r.size(); ++i) EXPECT_EQ(r[i]["in"], wf.input[i]);
  }
  EXPECT_THAT(live_keys, IsEmpty());
}

std::vector<std::string> LiveKeys(Datastore& store,
                                  const std::string& session) {
  std::vector<std::string> live;
  auto keys = store.ListKeys(session);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  if (!keys.ok())
    return {"<ListKeys failed: " + keys.status().ToString() + ">"};
  for (const KeyInfo& k : *keys) {
    if (k.kind != KeyInfo::Kind::kSessionRecord && !k.tombstone) {
      live.push_back(Describe(k));
    }
  }
  return live;
}

std::optional<SessionOutcome> ReadOutcome(Datastore& store,
                                          const std::string& session) {
  auto record = store.GetSessionRecord(session);
  if (!record.ok() || !record->present()) return std::nullopt;
  auto outcome = DecodeSessionRecord(record->value);
  EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
  if (!outcome.ok()) return std::nullopt;
  return *outcome;
}

}  // namespace unum::runtime::testing
