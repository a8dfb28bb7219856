// `unum`: the command-line front end. Parses flags with CLI11 and hands
// off to one subcommand; logs go to stderr, results to stdout.
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

  unum::cli::RunFlags run;
  CLI::App* run_cmd = cli.add_subcommand(
      "run", "Run one workflow of an app and print its result as JSON");
  run_cmd->add_option("app_dir", run.app_dir, "The app directory")
      ->required();
  run_cmd->add_option("--input,-i", run.input,
                      "Input JSON file, or - for stdin");
  run_cmd->add_option("--store", run.store,
                      "Datastore URL (default: Globals.DataStore, else "
                      "memory://)");
  run_cmd->add_option("--platform", run.platform,
                      "Platform URL, e.g. inproc://?workers=4");
  run_cmd->add_option("--module", run.module,
                      "The app's module (.so); found by app name otherwise");
  run_cmd->add_option("--session", run.session,
                      "Session id to use (default: a new uuid)");
  run_cmd->add_option("--timeout", run.timeout_seconds,
                      "Give up after this many seconds");
  run_cmd->add_flag("--stats", run.stats,
                    "Print invocations and datastore operations to stderr");
  run_cmd->add_flag("--compact", run.compact, "Print the result on one line");
  bool no_progress = false;
  run_cmd->add_flag("--no-progress", no_progress,
                    "No progress line, even on a terminal");

  std::string validate_dir, validate_module;
  CLI::App* validate_cmd =
      cli.add_subcommand("validate", "Check an app's template and IR");
  validate_cmd->add_option("app_dir", validate_dir, "The app directory")
      ->required();
  validate_cmd->add_option("--module", validate_module,
                           "Also check the module has every C++ function");

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

  if (run_cmd->parsed()) {
    run.progress = !no_progress;
    return unum::cli::RunCommand(run);
  }
  return unum::cli::ValidateCommand(validate_dir, validate_module);
}
