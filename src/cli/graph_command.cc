// `unum graph APP_DIR [--format dot|svg|png] [--out FILE]`: the app's
// workflow as a picture (src/graph). DOT is written by our code; svg and png
// are rendered by Graphviz `dot`. Without --out the picture goes to stdout.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "graph/graph_dot.h"
#include "graph/graphviz.h"

namespace unum::cli {
namespace {

struct GraphFlags {
  std::string app_dir;
  std::string format = "dot";
  std::string definition;  // a Step Functions state machine
  std::string out;
};

int GraphCommand(const GraphFlags& flags) {
  auto app = app::LoadApp(flags.app_dir, flags.definition);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  std::string picture = graph::AppToDot(*app);
  if (flags.format != "dot") {
    auto rendered = graph::RenderDot(picture, flags.format);
    if (!rendered.ok()) {
      PrintError(rendered.status().message());
      return kExitInfrastructure;
    }
    picture = std::move(rendered).value();
  }
  if (flags.out.empty() || flags.out == "-") {
    std::cout << picture;
    std::cout.flush();
    return std::cout ? kExitOk : kExitInfrastructure;
  }
  std::ofstream file(flags.out, std::ios::binary | std::ios::trunc);
  file << picture;
  file.close();
  if (!file) {
    PrintError("cannot write " + flags.out);
    return kExitInfrastructure;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AddGraphCommands(CLI::App& cli) {
  auto flags = std::make_shared<GraphFlags>();
  CLI::App* graph =
      cli.add_subcommand("graph", "Draw an app's workflow (DOT, SVG or PNG)");
  graph->add_option("app_dir", flags->app_dir, "the app directory")->required();
  graph->add_option("--format", flags->format, "dot (default), svg or png")
      ->check(CLI::IsMember({"dot", "svg", "png"}));
  graph->add_option("--out", flags->out, "output file (default: stdout)");
  graph->add_option("--definition", flags->definition,
                    "draw this Step Functions state machine instead of the "
                    "IR (default: Globals.WorkflowDefinition)");
  return {Command{graph, [flags] { return GraphCommand(*flags); }}};
}

}  // namespace unum::cli
