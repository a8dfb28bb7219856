// `unum run` and `unum validate`.
#include <fmt/core.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "app/function_table.h"
#include "app/runner.h"
#include "cli/commands.h"
#include "cli/gc_option.h"
#include "cli/run_output.h"
#include "common/json_text.h"
#include "common/uuid.h"
#include "cost/run_stats.h"
#include "datastore/counting_datastore.h"
#include "runtime/names.h"
#include "trace/trace_recorder.h"

namespace unum::cli {

using nlohmann::json;

namespace {

int ExitFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
      return kExitBadInput;
    default:
      return kExitInfrastructure;
  }
}

}  // namespace

Result<json> ReadInput(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::stringstream buf;
    buf << std::cin.rdbuf();
    text = buf.str();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound("input file " + path + " cannot be read");
    std::stringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  return ParseJsonText(text, "input " + path);
}

int RunCommand(const RunFlags& flags) {
  if (!flags.session.empty()) {
    Status valid = runtime::ValidateSessionId(flags.session);
    if (!valid.ok()) {
      PrintError("--session: " + valid.message());
      return kExitBadInput;
    }
  }
  auto app = app::LoadApp(flags.app_dir, flags.definition);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  auto input = ReadInput(flags.input);
  if (!input.ok()) {
    PrintError(input.status().message());
    return kExitBadInput;
  }
  auto functions = app::LoadFunctions(*app, flags.module);
  if (!functions.ok()) {
    PrintError(functions.status().message());
    return kExitBadInput;
  }
  std::string store_url = flags.store;
  if (store_url.empty()) store_url = app->datastore_url;
  if (store_url.empty() && flags.platform.rfind("redis:", 0) == 0) {
    // Workers elsewhere cannot see this process's memory: share the
    // platform's Redis server (without the platform's query options).
    store_url = flags.platform.substr(0, flags.platform.find('?'));
  }
  if (store_url.empty()) store_url = "memory://";
  if (flags.platform.rfind("lambda:", 0) == 0 &&
      store_url.rfind("memory:", 0) == 0) {
    PrintError(
        "--platform lambda:// runs the functions in AWS Lambda, which cannot "
        "see this process's memory: give the app's table with --store "
        "dynamodb://TABLE?region=R");
    return kExitBadInput;
  }
  auto store = OpenDatastore(store_url);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ExitFor(store.status());
  }
  CountingDatastore counting(store->get());
  // Trace writes go to the unwrapped store: --stats counts protocol work.
  trace::TraceRecorder recorder(store->get());

  // Times every delivery by function (for --stats-json), then traces it.
  cost::DeliveryTimer timer(flags.no_trace ? nullptr : &recorder);

  app::RunOptions options;
  options.runtime.gc = GcPolicyOf(*app, flags.gc);
  options.observer = &timer;
  options.platform_url = flags.platform;
  // Choose the session id here so it can be shown before the run starts:
  // it is what `unum resume` needs after a crash.
  options.session = flags.session.empty() ? NewUuid() : flags.session;
  options.poll_store = store->get();
  options.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(flags.timeout_seconds * 1000));
  const bool tty = flags.progress && isatty(STDERR_FILENO);
  if (tty) std::cerr << "[unum] session " << options.session << "\n";
  spdlog::info("session {}", options.session);
  bool progress_shown = false;
  if (tty) {
    options.on_progress = [&](const app::Progress& p) {
      progress_shown = true;
      std::cerr << fmt::format(
                       "\r\033[K[unum] {:.1f} s: {} instances done, "
                       "{} in flight",
                       p.seconds, p.instances_done, p.in_flight)
                << std::flush;
    };
  }
  auto report = app::RunWorkflow(*app, *functions, *input, &counting, options);
  if (progress_shown) std::cerr << "\r\033[K" << std::flush;
  if (!report.ok()) {
    PrintError(report.status().message());
    return report.status().code() == StatusCode::kInvalidArgument
               ? kExitBadInput
               : kExitInfrastructure;
  }
  if (flags.stats) {
    std::cerr << FormatRunStats(*report, counting.stats(), /*resumed=*/false);
  }
  if (!flags.stats_json.empty()) {
    cost::RunStats stats =
        cost::MakeRunStats(*app, *report, counting.stats(), timer.times());
    stats.gc = options.runtime.gc;
    std::ofstream out(flags.stats_json, std::ios::binary | std::ios::trunc);
    out << ToJsonText(cost::RunStatsToJson(stats), 2) << "\n";
    out.close();
    if (!out) {
      PrintError("--stats-json: cannot write " + flags.stats_json);
      return kExitInfrastructure;
    }
  }
  return PrintOutcome(*report, flags.compact);
}

int ValidateCommand(const std::string& app_dir, const std::string& module) {
  auto app = app::LoadApp(app_dir);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  if (!module.empty()) {
    auto functions = app::LoadFunctions(*app, module);
    if (!functions.ok()) {
      PrintError(functions.status().message());
      return kExitBadInput;
    }
  }
  std::cout << fmt::format(
      "{}: app \"{}\" is valid: {} functions, starts at "
      "\"{}\"\n",
      app_dir, app->name, app->functions.size(), app->start_function);
  return kExitOk;
}

}  // namespace unum::cli

namespace unum::cli {

std::vector<Command> AddRunCommands(CLI::App& cli) {
  auto run = std::make_shared<RunFlags>();
  auto no_progress = std::make_shared<bool>(false);
  CLI::App* run_cmd = cli.add_subcommand(
      "run", "Run one workflow of an app and print its result as JSON");
  run_cmd->add_option("app_dir", run->app_dir, "The app directory")->required();
  run_cmd->add_option("--input,-i", run->input,
                      "Input JSON file, or - for stdin");
  run_cmd->add_option("--store", run->store,
                      "Datastore URL (default: Globals.DataStore, else "
                      "memory://)");
  run_cmd->add_option("--platform", run->platform,
                      "Platform URL, e.g. inproc://?workers=4");
  run_cmd->add_option("--module", run->module,
                      "The app's module (.so); found by app name otherwise");
  run_cmd->add_option("--definition", run->definition,
                      "Run this Step Functions state machine (ASL JSON) "
                      "instead of the app's IR (default: "
                      "Globals.WorkflowDefinition)");
  run_cmd->add_option("--session", run->session,
                      "Session id to use (default: a new uuid)");
  run_cmd->add_option("--timeout", run->timeout_seconds,
                      "Give up after this many seconds");
  AddGcOption(run_cmd, &run->gc);
  run_cmd->add_flag("--stats", run->stats,
                    "Print invocations and datastore operations to stderr");
  run_cmd->add_option("--stats-json", run->stats_json,
                      "Write the same counts, with item sizes, request "
                      "units, state transitions and per-function times, "
                      "as JSON to this file (docs/cost.md)");
  run_cmd->add_flag("--compact", run->compact, "Print the result on one line");
  run_cmd->add_flag("--no-progress", *no_progress,
                    "No progress line, even on a terminal");
  run_cmd->add_flag(
      "--no-trace", run->no_trace,
      "Do not record the session trace (unum trace / sessions / ui)");

  auto validate_dir = std::make_shared<std::string>();
  auto validate_module = std::make_shared<std::string>();
  CLI::App* validate_cmd =
      cli.add_subcommand("validate", "Check an app's template and IR");
  validate_cmd->add_option("app_dir", *validate_dir, "The app directory")
      ->required();
  validate_cmd->add_option("--module", *validate_module,
                           "Also check the module has every C++ function");
  return {
      Command{run_cmd,
              [run, no_progress] {
                run->progress = !*no_progress;
                return RunCommand(*run);
              }},
      Command{validate_cmd,
              [validate_dir, validate_module] {
                return ValidateCommand(*validate_dir, *validate_module);
              }},
  };
}

}  // namespace unum::cli
