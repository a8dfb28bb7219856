// Tests for PlanContinuations: which invocations an instance makes next,
// with which payload, for every edge kind, condition and modifier.
#include "runtime/continuation_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace unum::runtime {
namespace {

using ir::FanOut;
using ir::FanOutStack;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

ir::Edge Scalar(const std::string& name, const std::string& cond = "",
                std::vector<std::string> modifiers = {}) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kScalar;
  e.conditional = cond;
  e.modifiers = std::move(modifiers);
  return e;
}

ir::Edge MapEdge(const std::string& name, const std::string& cond = "") {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kMap;
  e.conditional = cond;
  return e;
}

ir::Edge FanIn(const std::string& name, std::vector<std::string> values,
               const std::string& cond = "",
               std::vector<std::string> modifiers = {}) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kFanIn;
  e.values = std::move(values);
  e.conditional = cond;
  e.modifiers = std::move(modifiers);
  return e;
}

CompiledFunction Compile(const std::string& name, std::vector<ir::Edge> next,
                         std::vector<std::string> modifiers = {},
                         bool checkpoint = true) {
  ir::FunctionConfig config;
  config.name = name;
  config.checkpoint = checkpoint;
  config.next = std::move(next);
  config.modifiers = std::move(modifiers);
  Result<CompiledFunction> fn = CompileFunction(config);
  EXPECT_TRUE(fn.ok()) << fn.status().ToString();
  return fn.ok() ? std::move(fn).value() : CompiledFunction{};
}

std::vector<PlannedStep> Plan(const CompiledFunction& fn, const json& output,
                              const FanOutStack& stack = {}) {
  const std::string instance = ir::InstanceName(fn.config.name, stack);
  Result<std::vector<PlannedStep>> plan =
      PlanContinuations(fn, output, stack, "sess", instance);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? std::move(plan).value() : std::vector<PlannedStep>{};
}

Status PlanError(const CompiledFunction& fn, const json& output,
                 const FanOutStack& stack = {}) {
  Result<std::vector<PlannedStep>> plan = PlanContinuations(
      fn, output, stack, "sess", ir::InstanceName(fn.config.name, stack));
  EXPECT_FALSE(plan.ok());
  return plan.status();
}

// ---- compile ----------------------------------------------------------

TEST(CompileFunctionTest, CountsScalarEdgesAndFanIn) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B"), MapEdge("M"), Scalar("C"), FanIn("Z", {"A"})});
  EXPECT_EQ(fn.scalar_edges, 2);
  EXPECT_TRUE(fn.has_fan_in_edge);
  ASSERT_EQ(fn.edges.size(), 4u);
  EXPECT_EQ(fn.edges[0].parallel_index, 0);
  EXPECT_EQ(fn.edges[1].parallel_index, -1);
  EXPECT_EQ(fn.edges[2].parallel_index, 1);
  EXPECT_EQ(fn.edges[3].parallel_index, -1);
}

TEST(CompileFunctionTest, FanInBranchAlwaysCheckpoints) {
  EXPECT_TRUE(Compile("A", {FanIn("Z", {"A"})}, {}, false).checkpoints());
  EXPECT_FALSE(Compile("A", {Scalar("B")}, {}, false).checkpoints());
  EXPECT_TRUE(Compile("A", {Scalar("B")}, {}, true).checkpoints());
}

TEST(CompileFunctionTest, ModifiersFunctionLevelFirst) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B", "", {"$0 = 7"})}, {"Pop"});
  ASSERT_EQ(fn.edges[0].modifiers.size(), 2u);
  EXPECT_EQ(fn.edges[0].modifiers[0].source(), "Pop");
  EXPECT_EQ(fn.edges[0].modifiers[1].source(), "$0 = 7");
}

TEST(CompileFunctionTest, BadExpressionNamesTheFunction) {
  ir::FunctionConfig config;
  config.name = "A";
  config.next = {Scalar("B", "$out >")};
  Result<CompiledFunction> fn = CompileFunction(config);
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fn.status().message(), HasSubstr("function \"A\""));

  config.next = {Scalar("B", "", {"Push"})};
  fn = CompileFunction(config);
  ASSERT_FALSE(fn.ok());
  EXPECT_THAT(fn.status().message(), HasSubstr("function \"A\""));
  EXPECT_THAT(fn.status().message(), HasSubstr("Push"));
}

TEST(SetNamesTest, Names) {
  EXPECT_EQ(FanInSetName("Total"), "fanin/Total");
  EXPECT_EQ(FanInSetName("RowSum-unumIndex-2"), "fanin/RowSum-unumIndex-2");
  EXPECT_EQ(GcSetName("Outer"), "gc/Outer");
}

// ---- chain and parallel -------------------------------------------------

TEST(PlanTest, TerminalHasNoSteps) {
  EXPECT_TRUE(Plan(Compile("A", {}), json(1)).empty());
}

TEST(PlanTest, ChainAddsNoFanOutLevel) {
  const CompiledFunction fn = Compile("A", {Scalar("B")});
  const auto steps = Plan(fn, json{{"k", 1}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].kind, PlannedStep::Kind::kInvoke);
  EXPECT_EQ(steps[0].function, "B");
  EXPECT_EQ(steps[0].payload.session, "sess");
  EXPECT_FALSE(steps[0].payload.fan_in);
  EXPECT_EQ(steps[0].payload.value, json({{"k", 1}}));
  EXPECT_TRUE(steps[0].payload.fanout.empty());
  EXPECT_FALSE(steps[0].payload.gc.has_value());

  // Inside a fan-out the chain keeps the stack as it is.
  const FanOutStack stack = {{"Map", 2, 5}, {"Parallel", 1, 2}};
  const auto inner = Plan(fn, json("x"), stack);
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0].payload.fanout, stack);
  EXPECT_EQ(ir::InstanceName("B", inner[0].payload.fanout), "B-unumIndex-2.1");
}

TEST(PlanTest, ParallelFanOut) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B"), Scalar("C"), Scalar("D")});
  const auto steps = Plan(fn, json(42));
  ASSERT_EQ(steps.size(), 3u);
  const std::vector<std::string> names = {"B", "C", "D"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(steps[i].function, names[i]);
    EXPECT_EQ(steps[i].payload.value, 42);
    EXPECT_THAT(steps[i].payload.fanout, ElementsAre(FanOut{"Parallel", i, 3}));
  }
  EXPECT_EQ(ir::InstanceName("C", steps[1].payload.fanout), "C-unumIndex-1");
}

TEST(PlanTest, ParallelKeepsOuterLevels) {
  const CompiledFunction fn = Compile("A", {Scalar("B"), Scalar("C")});
  const auto steps = Plan(fn, json(1), {{"Map", 4, 9}});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_THAT(steps[1].payload.fanout,
              ElementsAre(FanOut{"Parallel", 1, 2}, FanOut{"Map", 4, 9}));
}

TEST(PlanTest, UntakenConditionalKeepsPositions) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B", "$out.go == 'b'"), Scalar("C"),
                    Scalar("D", "$out.go == 'd'")});
  const auto steps = Plan(fn, json{{"go", "d"}});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].function, "C");
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Parallel", 1, 3}));
  EXPECT_EQ(steps[1].function, "D");
  EXPECT_THAT(steps[1].payload.fanout, ElementsAre(FanOut{"Parallel", 2, 3}));
}

TEST(PlanTest, ParallelIndexCountsOnlyScalarEdges) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B"), MapEdge("M"), Scalar("C")});
  const auto steps = Plan(fn, json::array({"x", "y"}));
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[0].function, "B");
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Parallel", 0, 2}));
  EXPECT_EQ(steps[1].function, "M");
  EXPECT_THAT(steps[1].payload.fanout, ElementsAre(FanOut{"Map", 0, 2}));
  EXPECT_EQ(steps[1].payload.value, "x");
  EXPECT_EQ(steps[2].function, "M");
  EXPECT_THAT(steps[2].payload.fanout, ElementsAre(FanOut{"Map", 1, 2}));
  EXPECT_EQ(steps[2].payload.value, "y");
  EXPECT_EQ(steps[3].function, "C");
  EXPECT_THAT(steps[3].payload.fanout, ElementsAre(FanOut{"Parallel", 1, 2}));
}

// ---- map ----------------------------------------------------------------

TEST(PlanTest, MapOneStepPerElement) {
  const CompiledFunction fn = Compile("A", {MapEdge("B")});
  const json out = json::parse(R"([10, {"v": 20}, [30]])");
  const auto steps = Plan(fn, out);
  ASSERT_EQ(steps.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(steps[k].kind, PlannedStep::Kind::kInvoke);
    EXPECT_EQ(steps[k].function, "B");
    EXPECT_EQ(steps[k].payload.value, out[k]);
    EXPECT_THAT(steps[k].payload.fanout, ElementsAre(FanOut{"Map", k, 3}));
    EXPECT_EQ(steps[k].payload.session, "sess");
  }
}

TEST(PlanTest, MapPushesInnermostAndKeepsOuterLevels) {
  const CompiledFunction fn = Compile("Row", {MapEdge("Square")});
  const FanOutStack stack = {{"Map", 1, 3}, {"Parallel", 0, 2}};
  const auto steps = Plan(fn, json::array({5, 6}), stack);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_THAT(steps[1].payload.fanout,
              ElementsAre(FanOut{"Map", 1, 2}, FanOut{"Map", 1, 3},
                          FanOut{"Parallel", 0, 2}));
  EXPECT_EQ(ir::InstanceName("Square", steps[1].payload.fanout),
            "Square-unumIndex-1.1.0");
}

TEST(PlanTest, NestedMapsStack) {
  const CompiledFunction outer = Compile("Outer", {MapEdge("Row")});
  const CompiledFunction row = Compile("Row", {MapEdge("Square")});
  const auto rows = Plan(outer, json::parse("[[1, 2, 3], [4, 5]]"));
  ASSERT_EQ(rows.size(), 2u);
  const auto squares = Plan(row, rows[1].payload.value, rows[1].payload.fanout);
  ASSERT_EQ(squares.size(), 2u);
  EXPECT_THAT(squares[0].payload.fanout,
              ElementsAre(FanOut{"Map", 0, 2}, FanOut{"Map", 1, 2}));
  EXPECT_EQ(squares[0].payload.value, 4);
  EXPECT_EQ(ir::InstanceName("Square", squares[1].payload.fanout),
            "Square-unumIndex-1.1");
  EXPECT_EQ(squares[1].payload.value, 5);
}

TEST(PlanTest, MapOverNonArrayIsAnError) {
  const Status s = PlanError(Compile("A", {MapEdge("B")}), json{{"a", 1}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "Next (to \"B\"): a Map edge needs an array "
            "output, got object");
}

TEST(PlanTest, MapErrorNamesTheEdgeIndex) {
  const Status s =
      PlanError(Compile("A", {Scalar("C"), MapEdge("B")}), json("text"));
  EXPECT_EQ(s.message(),
            "Next[1] (to \"B\"): a Map edge needs an array "
            "output, got string");
}

TEST(PlanTest, MapOverEmptyArrayIsAnError) {
  const Status s = PlanError(Compile("A", {MapEdge("B")}), json::array());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "Next (to \"B\"): a Map edge over an empty array "
            "starts no branch, so the workflow could not continue");
}

// ---- fan-in -------------------------------------------------------------

TEST(PlanTest, FanInGlobExpandsAndPopGivesAggregator) {
  const CompiledFunction fn =
      Compile("B", {FanIn("C", {"B-unumIndex-*"})}, {"Pop"});
  const FanOutStack stack = {{"Map", 2, 4}};
  const auto steps = Plan(fn, json("out"), stack);
  ASSERT_EQ(steps.size(), 1u);
  const PlannedStep& s = steps[0];
  EXPECT_EQ(s.kind, PlannedStep::Kind::kFanIn);
  EXPECT_EQ(s.function, "C");
  EXPECT_TRUE(s.payload.fan_in);
  EXPECT_THAT(FanInSources(s), ElementsAre("B-unumIndex-0", "B-unumIndex-1",
                                           "B-unumIndex-2", "B-unumIndex-3"));
  EXPECT_TRUE(s.payload.fanout.empty());
  EXPECT_EQ(s.payload.session, "sess");
  EXPECT_EQ(s.aggregator_instance, "C");
  EXPECT_EQ(s.ready_set, "fanin/C");
  EXPECT_EQ(s.ready_size, 4);
  // The plan leaves the names to FanInSources; with them the aggregator's
  // payload is a datastore fan-in.
  EXPECT_TRUE(s.payload.sources.empty());
  Payload aggregator = s.payload;
  aggregator.sources = FanInSources(s);
  EXPECT_EQ(ToJson(aggregator)["Data"],
            json::parse(R"({"Source": "datastore", "Value":
              ["B-unumIndex-0", "B-unumIndex-1", "B-unumIndex-2",
               "B-unumIndex-3"]})"));
}

TEST(PlanTest, NestedFanInKeepsOuterLevelForAggregator) {
  const CompiledFunction fn =
      Compile("Square", {FanIn("RowSum", {"Square-unumIndex-*.$1"})}, {"Pop"});
  const FanOutStack stack = {{"Map", 1, 3}, {"Map", 2, 4}};
  const auto steps = Plan(fn, json(9), stack);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_THAT(FanInSources(steps[0]),
              ElementsAre("Square-unumIndex-0.2", "Square-unumIndex-1.2",
                          "Square-unumIndex-2.2"));
  EXPECT_EQ(steps[0].aggregator_instance, "RowSum-unumIndex-2");
  EXPECT_EQ(steps[0].ready_set, "fanin/RowSum-unumIndex-2");
  EXPECT_EQ(steps[0].ready_size, 3);
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Map", 2, 4}));
}

TEST(PlanTest, FanInWithoutPopAggregatorInsideFanOut) {
  const CompiledFunction fn =
      Compile("UserMention", {FanIn("CreatePost", {"UserMention-unumIndex-0",
                                                   "ShortenUrl-unumIndex-1"})});
  const auto steps = Plan(fn, json(1), {{"Parallel", 0, 2}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].aggregator_instance, "CreatePost-unumIndex-0");
  EXPECT_EQ(steps[0].ready_set, "fanin/CreatePost-unumIndex-0");
  EXPECT_EQ(steps[0].ready_size, 2);
}

TEST(PlanTest, ReadySizeCountsDistinctNames) {
  const CompiledFunction fn =
      Compile("B", {FanIn("C", {"B-unumIndex-0", "B-unumIndex-*"})}, {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 0, 2}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_THAT(FanInSources(steps[0]),
              ElementsAre("B-unumIndex-0", "B-unumIndex-0", "B-unumIndex-1"));
  EXPECT_EQ(steps[0].ready_size, 2);
}

TEST(PlanTest, LargeGlobReadySizeAndOrder) {
  const CompiledFunction fn =
      Compile("W", {FanIn("G", {"W-unumIndex-*"})}, {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 4321, 5000}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].ready_size, 5000);
  ASSERT_EQ(FanInSources(steps[0]).size(), 5000u);
  EXPECT_EQ(FanInSources(steps[0]).front(), "W-unumIndex-0");
  EXPECT_EQ(FanInSources(steps[0])[4321], "W-unumIndex-4321");
  EXPECT_EQ(FanInSources(steps[0]).back(), "W-unumIndex-4999");
}

TEST(PlanTest, LargeGlobPlansWithoutExpanding) {
  const CompiledFunction fn =
      Compile("W", {FanIn("G", {"W-unumIndex-*"})}, {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 9999, 10000}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].ready_size, 10000);
  EXPECT_TRUE(steps[0].payload.sources.empty());
  ASSERT_EQ(steps[0].sources.size(), 1u);
  EXPECT_EQ(steps[0].sources[0],
            ir::BoundNameTemplate::Glob("W-unumIndex-", "", 10000));
}

TEST(PlanTest, ReadySizeOfRepeatedGlobs) {
  const CompiledFunction fn = Compile(
      "B",
      {FanIn("C", {"B-unumIndex-*", "B-unumIndex-*", "B-unumIndex-($0+5)"})},
      {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 1, 3}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].ready_size, 4);
  EXPECT_EQ(FanInSources(steps[0]).size(), 7u);
}

TEST(PlanTest, SeveralTemplatesWithoutRepeats) {
  const CompiledFunction fn = Compile(
      "B", {FanIn("C", {"A-unumIndex-*", "B-unumIndex-$0", "Z"})}, {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 1, 3}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_THAT(FanInSources(steps[0]),
              ElementsAre("A-unumIndex-0", "A-unumIndex-1", "A-unumIndex-2",
                          "B-unumIndex-1", "Z"));
  EXPECT_EQ(steps[0].ready_size, 5);
}

// The pipeline example's Stage: partial fan-ins into a sliding window.
CompiledFunction Stage() {
  return Compile(
      "Stage",
      {FanIn("Combine", {"Stage-unumIndex-$0"}, "$0 == 0"),
       FanIn("Combine", {"Stage-unumIndex-($0-1)", "Stage-unumIndex-$0"},
             "$0 > 0"),
       FanIn("Combine", {"Stage-unumIndex-$0", "Stage-unumIndex-($0+1)"},
             "$0 + 1 < $size", {"$0=$0+1"})});
}

TEST(PlanTest, ModifierChangesAggregatorInstance) {
  const auto steps = Plan(Stage(), json(1), {{"Map", 2, 6}});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].aggregator_instance, "Combine-unumIndex-2");
  EXPECT_EQ(steps[0].ready_set, "fanin/Combine-unumIndex-2");
  EXPECT_THAT(FanInSources(steps[0]),
              ElementsAre("Stage-unumIndex-1", "Stage-unumIndex-2"));
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Map", 2, 6}));
  EXPECT_EQ(steps[1].aggregator_instance, "Combine-unumIndex-3");
  EXPECT_EQ(steps[1].ready_set, "fanin/Combine-unumIndex-3");
  EXPECT_THAT(FanInSources(steps[1]),
              ElementsAre("Stage-unumIndex-2", "Stage-unumIndex-3"));
  EXPECT_THAT(steps[1].payload.fanout, ElementsAre(FanOut{"Map", 3, 6}));
  EXPECT_EQ(steps[1].ready_size, 2);
}

TEST(PlanTest, ConditionsOnIndexAndSize) {
  const auto first = Plan(Stage(), json(1), {{"Map", 0, 6}});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].aggregator_instance, "Combine-unumIndex-0");
  EXPECT_THAT(FanInSources(first[0]), ElementsAre("Stage-unumIndex-0"));
  EXPECT_EQ(first[0].ready_size, 1);
  EXPECT_EQ(first[1].aggregator_instance, "Combine-unumIndex-1");

  const auto last = Plan(Stage(), json(1), {{"Map", 5, 6}});
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].aggregator_instance, "Combine-unumIndex-5");
  EXPECT_THAT(FanInSources(last[0]),
              ElementsAre("Stage-unumIndex-4", "Stage-unumIndex-5"));
}

TEST(PlanTest, FanInValuesWithoutThisInstanceIsAnError) {
  const CompiledFunction fn =
      Compile("B", {FanIn("C", {"B-unumIndex-0", "B-unumIndex-1"})}, {"Pop"});
  const Status s = PlanError(fn, json(1), {{"Map", 2, 3}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "Next (to \"C\"): the fan-in Values do not "
            "include this instance \"B-unumIndex-2\"");
}

TEST(PlanTest, FanInGlobWithoutFanOutIsAnError) {
  const CompiledFunction fn = Compile("B", {FanIn("C", {"B-unumIndex-*"})});
  const Status s = PlanError(fn, json(1));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("Next (to \"C\"): Values "
                                     "\"B-unumIndex-*\""));
}

// ---- conditions ---------------------------------------------------------

TEST(PlanTest, ConditionOnOutput) {
  const CompiledFunction fn =
      Compile("A", {Scalar("Hot", "$out.average > 25"),
                    Scalar("Cold", "$out.average <= 25")});
  auto steps = Plan(fn, json{{"average", 26.625}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].function, "Hot");
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Parallel", 0, 2}));
  steps = Plan(fn, json{{"average", 22.875}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].function, "Cold");
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Parallel", 1, 2}));
}

TEST(PlanTest, ConditionOnOutputIndexAccess) {
  const CompiledFunction fn =
      Compile("A", {MapEdge("B", "$out[1].ok && $size == 3")});
  EXPECT_EQ(
      Plan(fn, json::parse(R"([{}, {"ok": true}])"), {{"Map", 0, 3}}).size(),
      2u);
  EXPECT_TRUE(
      Plan(fn, json::parse(R"([{}, {"ok": true}])"), {{"Map", 0, 4}}).empty());
  EXPECT_TRUE(
      Plan(fn, json::parse(R"([{}, {"ok": false}])"), {{"Map", 0, 3}}).empty());
}

TEST(PlanTest, ConditionOnOuterIndex) {
  const CompiledFunction fn = Compile("A", {Scalar("B", "$1 == 2 && $0 < 1")});
  EXPECT_EQ(Plan(fn, json(0), {{"Map", 0, 2}, {"Map", 2, 3}}).size(), 1u);
  EXPECT_TRUE(Plan(fn, json(0), {{"Map", 1, 2}, {"Map", 2, 3}}).empty());
  EXPECT_TRUE(Plan(fn, json(0), {{"Map", 0, 2}, {"Map", 1, 3}}).empty());
}

TEST(PlanTest, NonBooleanConditionIsAnError) {
  const Status s =
      PlanError(Compile("A", {Scalar("B", "$out.score")}), json{{"score", 3}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "Next (to \"B\"): Conditional: expression "
            "\"$out.score\": expected a boolean result, got number 3");
}

TEST(PlanTest, ConditionEvaluationErrorIsAnError) {
  const Status s = PlanError(
      Compile("A", {Scalar("C"), Scalar("B", "$out.score > 1")}), json(5));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("Next[1] (to \"B\"): Conditional:"));
}

// ---- modifiers ----------------------------------------------------------

TEST(PlanTest, FunctionModifiersRunBeforeEdgeModifiers) {
  const CompiledFunction fn =
      Compile("A", {Scalar("B", "", {"$0 = $0 + 1"})}, {"Pop"});
  const auto steps = Plan(fn, json(1), {{"Map", 1, 3}, {"Map", 2, 4}});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_THAT(steps[0].payload.fanout, ElementsAre(FanOut{"Map", 3, 4}));
}

TEST(PlanTest, PopOnEmptyStackIsAnError) {
  const Status s = PlanError(Compile("A", {Scalar("B")}, {"Pop"}), json(1));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("Next (to \"B\"): "
                                     "modifier \"Pop\""));
}

TEST(PlanTest, ModifiersLeavingAnIndexOutOfRangeAreAnError) {
  // Allowed in between ($size shrinks, then the index follows), not after.
  const CompiledFunction ok =
      Compile("A", {Scalar("B", "", {"$size = 2", "$0 = 1"})});
  EXPECT_THAT(Plan(ok, json(1), {{"Map", 3, 6}})[0].payload.fanout,
              ElementsAre(FanOut{"Map", 1, 2}));
  const Status s = PlanError(Compile("A", {Scalar("B", "", {"$0 = $0 + 1"})}),
                             json(1), {{"Map", 5, 6}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "Next (to \"B\"): the payload modifiers leave fan-out level 0 "
            "with index 6 not below its size 6");
}

TEST(PlanTest, PlanIsDeterministic) {
  const CompiledFunction fn = Stage();
  const auto a = Plan(fn, json(1), {{"Map", 3, 6}});
  const auto b = Plan(fn, json(1), {{"Map", 3, 6}});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(ToJson(a[i].payload), ToJson(b[i].payload));
    EXPECT_EQ(a[i].aggregator_instance, b[i].aggregator_instance);
  }
}

}  // namespace
}  // namespace unum::runtime
