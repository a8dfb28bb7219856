// `unum compile APP_DIR [--definition FILE] [--out DIR]`: compiles the
// app's Step Functions state machine (Globals.WorkflowDefinition, or
// --definition) into one IR file per function, helpers included
// (DIR/<function>/unum_config.json, default APP_DIR/.unum/ir), and prints
// a summary: the functions, each helper and why it was added, and for each
// path through the workflow Unum's invocations next to the state
// transitions Step Functions would bill. `unum run` compiles the same way
// in memory, so running never needs this step.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "asl/engine/compile_report.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "common/json_text.h"

namespace unum::cli {
namespace {

namespace fs = std::filesystem;

struct CompileFlags {
  std::string app_dir;
  std::string definition;
  std::string out;
};

int Compile(const CompileFlags& flags) {
  auto app = app::LoadApp(flags.app_dir, flags.definition);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  if (!app->workflow) {
    PrintError(flags.app_dir +
               ": the app names no state machine (set "
               "Globals.WorkflowDefinition in unum-template.yaml, or pass "
               "--definition FILE)");
    return kExitBadInput;
  }
  const fs::path out = flags.out.empty()
                           ? fs::path(flags.app_dir) / ".unum" / "ir"
                           : fs::path(flags.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    PrintError(out.string() + ": " + ec.message());
    return kExitInfrastructure;
  }
  for (const asl::CompiledFunction& f : app->workflow->functions()) {
    const fs::path dir = out / f.name;
    fs::create_directories(dir, ec);
    const std::string ref =
        fs::relative(fs::absolute(app->definition_file), fs::absolute(dir), ec)
            .string();
    const nlohmann::json ir =
        asl::FunctionIr(*app->workflow, f, ec ? app->definition_file : ref);
    std::ofstream file(dir / "unum_config.json");
    file << ToJsonText(ir, 2) << "\n";
    if (!file) {
      PrintError((dir / "unum_config.json").string() + ": cannot write");
      return kExitInfrastructure;
    }
  }
  std::cout << asl::CompileSummary(*app->workflow, app->name);
  std::cerr << fmt::format("wrote {} IR files under {}\n",
                           app->workflow->functions().size(), out.string());
  return kExitOk;
}

}  // namespace

std::vector<Command> AddCompileCommands(CLI::App& cli) {
  auto flags = std::make_shared<CompileFlags>();
  CLI::App* cmd = cli.add_subcommand(
      "compile",
      "Compile the app's Step Functions state machine into IR and print "
      "invocations versus Step Functions transitions");
  cmd->add_option("app_dir", flags->app_dir, "The app directory")->required();
  cmd->add_option("--definition", flags->definition,
                  "The state machine (default: Globals.WorkflowDefinition)");
  cmd->add_option("--out", flags->out,
                  "Where to write the IR (default: APP_DIR/.unum/ir)");
  return {Command{cmd, [flags] { return Compile(*flags); }}};
}

}  // namespace unum::cli
