// `unum`: the command-line front end. Each subcommand lives in its own file
// and registers itself here; logs go to stderr, results to stdout.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"unum: serverless workflows without an orchestrator"};
  cli.require_subcommand(1);
  std::string log_level = "warn";
  cli.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  std::vector<unum::cli::Command> commands;
  for (auto& c : unum::cli::AddRunCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddResumeCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddWorkerCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddTableCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddCompileCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddGraphCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddTraceCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddUiCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddBuildCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddLambdaLocalCommands(cli)) commands.push_back(c);
  for (auto& c : unum::cli::AddCostCommands(cli)) commands.push_back(c);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? 0 : unum::cli::kExitBadInput;
  }
  auto logger = spdlog::stderr_color_mt("unum");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");

  for (const auto& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return unum::cli::kExitBadInput;
}
