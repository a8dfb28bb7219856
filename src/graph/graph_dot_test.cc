// The DOT text of the example apps (exact node and edge lines), rendering
// every example to SVG with Graphviz, and the error when `dot` is missing.
// Runs in the source tree (ctest WORKING_DIRECTORY).
#include "graph/graph_dot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "graph/graphviz.h"

namespace unum::graph {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ExampleDot(const std::string& name) {
  auto app = app::LoadApp("examples/" + name);
  EXPECT_TRUE(app.ok()) << app.status().ToString();
  if (!app.ok()) return "";
  return AppToDot(*app);
}

constexpr char kHeader[] =
    "  rankdir=TB;\n"
    "  node [shape=box, style=rounded, fontname=\"Helvetica\", "
    "fontsize=12];\n"
    "  edge [fontname=\"Helvetica\", fontsize=10];\n";

TEST(GraphDotTest, HelloWorldIsAChainFromTheStart) {
  EXPECT_EQ(ExampleDot("hello-world"),
            std::string("digraph \"hello-world\" {\n") + kHeader +
                "  \"Hello\" [id=\"fn_Hello\", label=\"Hello\", "
                "peripheries=2];\n"
                "  \"World\" [id=\"fn_World\", label=\"World\"];\n"
                "  \"Hello\" -> \"World\";\n"
                "}\n");
}

TEST(GraphDotTest, ConditionsAreEdgeLabels) {
  const std::string dot = ExampleDot("iot-pipeline");
  EXPECT_THAT(dot, HasSubstr("  \"Aggregator\" -> \"HvacController\" "
                             "[label=\"$out.average > 25\", "
                             "color=\"#ef6c00\", fontcolor=\"#ef6c00\"];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"Aggregator\" -> \"Report\" "
                             "[label=\"$out.average <= 25\", "
                             "color=\"#ef6c00\", fontcolor=\"#ef6c00\"];\n"));
}

TEST(GraphDotTest, ParallelEdgesAreBoldAndFanInIsDashed) {
  const std::string dot = ExampleDot("text-processing");
  EXPECT_THAT(dot, HasSubstr("  \"TextProcessing\" -> \"UserMention\" "
                             "[style=bold];\n"));
  EXPECT_THAT(dot,
              HasSubstr("  \"TextProcessing\" -> \"FindUrl\" [style=bold];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"FindUrl\" -> \"ShortenUrl\";\n"));
  const std::string fan_in =
      " -> \"CreatePost\" [style=dashed, color=\"#1565c0\", "
      "arrowhead=inv];\n";
  EXPECT_THAT(dot, HasSubstr("  \"UserMention\"" + fan_in));
  EXPECT_THAT(dot, HasSubstr("  \"ShortenUrl\"" + fan_in));
}

TEST(GraphDotTest, MapEdgesAreMarkedWithAStar) {
  const std::string dot = ExampleDot("wordcount");
  EXPECT_THAT(dot, HasSubstr("  \"Splitter\" -> \"Mapper\" [label=\"*\", "
                             "color=\"#2e7d32\", fontcolor=\"#2e7d32\", "
                             "penwidth=2];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"Splitter\" [id=\"fn_Splitter\", "
                             "label=\"Splitter\", peripheries=2];\n"));
}

TEST(GraphDotTest, ConditionalFanInEdgesKeepEachCondition) {
  const std::string dot = ExampleDot("pipeline");
  EXPECT_THAT(dot, HasSubstr("  \"Stage\" -> \"Combine\" [label=\"$0 == 0\", "
                             "style=dashed, color=\"#1565c0\", arrowhead=inv, "
                             "fontcolor=\"#ef6c00\"];\n"));
  EXPECT_THAT(dot, HasSubstr("[label=\"$0 + 1 < $size\", style=dashed"));
}

TEST(GraphDotTest, DecorationsFillAndAnnotateNodes) {
  auto app = app::LoadApp("examples/wordcount");
  ASSERT_TRUE(app.ok());
  Decorations d;
  d["Mapper"] = NodeDecoration{"#c8e6c9", "3/3 done"};
  EXPECT_THAT(AppToDot(*app, d),
              HasSubstr("  \"Mapper\" [id=\"fn_Mapper\", style=\"rounded,"
                        "filled\", fillcolor=\"#c8e6c9\", "
                        "label=\"Mapper\\n3/3 done\"];\n"));
}

// A compiled state machine: folded states label the edges, catch edges are
// dotted red, a Map is starred and the join dashed.
TEST(GraphDotTest, StateMachineEdgesShowTheFoldedStates) {
  auto iot = app::LoadApp("examples/iot-pipeline",
                          "examples/iot-pipeline/unum-step-functions.json");
  ASSERT_TRUE(iot.ok()) << iot.status().ToString();
  const std::string dot = AppToDot(*iot);
  EXPECT_THAT(dot, HasSubstr("  \"Aggregator\" -> \"HvacController\" "
                             "[label=\"Choice TooWarm?\"];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"Aggregator\" -> \"Report\" "
                             "[label=\"Choice TooWarm?\"];\n"));
  auto wc = app::LoadApp("examples/wordcount",
                         "examples/wordcount/unum-step-functions.json");
  ASSERT_TRUE(wc.ok()) << wc.status().ToString();
  const std::string wc_dot = AppToDot(*wc);
  EXPECT_THAT(wc_dot,
              HasSubstr("  \"Splitter\" -> \"Mapper\" [label=\"* Map Map\""));
  EXPECT_THAT(wc_dot, HasSubstr("  \"Mapper\" -> \"Partition\" [style=dashed"));
  auto sfn = app::LoadApp("tests/fixtures/sfn-exec");
  ASSERT_TRUE(sfn.ok()) << sfn.status().ToString();
  EXPECT_THAT(AppToDot(*sfn),
              HasSubstr("  \"unum-start\" -> \"Check\" [label=\"Pass "
                        "Normalize\"];\n"));
  auto tp = app::LoadApp("examples/text-processing",
                         "examples/text-processing/unum-step-functions.json");
  ASSERT_TRUE(tp.ok()) << tp.status().ToString();
  EXPECT_THAT(AppToDot(*tp),
              HasSubstr("  \"TextProcessing\" -> \"FindUrl\" "
                        "[label=\"Parallel Analyse\", style=bold];\n"));
}

TEST(GraphDotTest, QuotesEscapeQuotesAndBackslashes) {
  EXPECT_EQ(DotQuote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
}

TEST(GraphvizTest, EveryExampleRendersToSvg) {
  int examples = 0;
  for (const auto& entry : fs::directory_iterator("examples")) {
    if (!fs::exists(entry.path() / "unum-template.yaml")) continue;
    ++examples;
    auto app = app::LoadApp(entry.path().string());
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    auto svg = RenderDot(AppToDot(*app), "svg");
    ASSERT_TRUE(svg.ok()) << entry.path() << ": " << svg.status().ToString();
    EXPECT_THAT(*svg, StartsWith("<?xml"));
    EXPECT_THAT(*svg, HasSubstr("</svg>"));
    for (const auto& [name, spec] : app->functions) {
      EXPECT_NE(svg->find("id=\"fn_" + name + "\""), std::string::npos)
          << entry.path() << " lacks node " << name;
    }
  }
  EXPECT_EQ(examples, 6);
}

TEST(GraphvizTest, PngStartsWithThePngSignature) {
  auto png = RenderDot("digraph g { a -> b; }", "png");
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_THAT(*png, StartsWith("\x89PNG"));
}

TEST(GraphvizTest, MissingDotIsAClearError) {
  auto r = RenderDot("digraph g {}", "svg", "unum-test-no-such-dot");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Graphviz `unum-test-no-such-dot` is not installed (Debian: "
            "apt-get install graphviz); --format dot needs no Graphviz");
}

TEST(GraphvizTest, BadDotReportsGraphvizError) {
  auto r = RenderDot("digraph {", "svg");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), StartsWith("`dot -Tsvg` failed: "));
}

}  // namespace
}  // namespace unum::graph
