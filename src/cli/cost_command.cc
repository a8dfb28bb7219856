// `unum cost`: runs an app once on the embedded platform (inproc:// and a
// memory:// store), or reads the stats a `unum run --stats-json` wrote, and
// prices the run per million executions: Unum vs Step Functions Standard
// and Express, and the reference implementation's op pattern. The model
// and the price table are in docs/cost.md.
#include <fmt/core.h>

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
#include "cost/cost_model.h"
#include "cost/prices.h"
#include "cost/run_stats.h"
#include "datastore/counting_datastore.h"

namespace unum::cli {

using nlohmann::json;

namespace {

struct CostFlags {
  std::string app_dir;
  std::string input = "-";
  std::string prices;
  std::string definition;
  std::string module;
  std::string from_stats;
  std::string gc;  // overrides Globals.GarbageCollection
  int64_t memory_mb = 128;
  bool json = false;
};

// Runs the app once and collects its stats; on failure prints the error
// and sets `exit_code`.
std::optional<cost::RunStats> RunOnce(const CostFlags& flags, int* exit_code) {
  *exit_code = kExitBadInput;
  auto app = app::LoadApp(flags.app_dir, flags.definition);
  if (!app.ok()) {
    PrintError(app.status().message());
    return std::nullopt;
  }
  auto input = ReadInput(flags.input);
  if (!input.ok()) {
    PrintError(input.status().message());
    return std::nullopt;
  }
  auto functions = app::LoadFunctions(*app, flags.module);
  if (!functions.ok()) {
    PrintError(functions.status().message());
    return std::nullopt;
  }
  auto store = OpenDatastore("memory://");
  if (!store.ok()) {
    PrintError(store.status().message());
    *exit_code = kExitInfrastructure;
    return std::nullopt;
  }
  CountingDatastore counting(store->get());
  cost::DeliveryTimer timer;
  app::RunOptions options;
  options.platform_url = "inproc://";
  options.poll_store = store->get();
  options.observer = &timer;
  options.runtime.gc = GcPolicyOf(*app, flags.gc);
  auto report = app::RunWorkflow(*app, *functions, *input, &counting, options);
  if (!report.ok()) {
    PrintError(report.status().message());
    *exit_code = report.status().code() == StatusCode::kInvalidArgument
                     ? kExitBadInput
                     : kExitInfrastructure;
    return std::nullopt;
  }
  if (!report->outcome.succeeded) {
    PrintOutcome(*report, true);  // says why
    *exit_code = kExitWorkflowFailed;
    return std::nullopt;
  }
  cost::RunStats stats =
      cost::MakeRunStats(*app, *report, counting.stats(), timer.times());
  stats.gc = options.runtime.gc;
  return stats;
}

std::optional<cost::RunStats> ReadStats(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    PrintError("stats file " + path + " cannot be read");
    return std::nullopt;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string what = "stats file " + path;
  auto j = ParseJsonText(buf.str(), what);
  if (!j.ok()) {
    PrintError(j.status().message());
    return std::nullopt;
  }
  auto stats = cost::RunStatsFromJson(*j, what);
  if (!stats.ok()) {
    PrintError(stats.status().message());
    return std::nullopt;
  }
  return *stats;
}

int CostCommand(const CostFlags& flags) {
  auto prices = flags.prices.empty() ? cost::DefaultPrices()
                                     : cost::LoadPrices(flags.prices);
  if (!prices.ok()) {
    PrintError(prices.status().message());
    return kExitBadInput;
  }
  if (flags.app_dir.empty() == flags.from_stats.empty()) {
    PrintError("give an app directory or --from-stats FILE (not both)");
    return kExitBadInput;
  }
  std::optional<cost::RunStats> stats;
  int exit_code = kExitBadInput;
  if (!flags.from_stats.empty()) {
    stats = ReadStats(flags.from_stats);
  } else {
    stats = RunOnce(flags, &exit_code);
  }
  if (!stats) return exit_code;
  const cost::CostReport report =
      cost::PriceRun(*stats, *prices, flags.memory_mb);
  if (flags.json) {
    std::cout << ToJsonText(cost::CostReportToJson(report), 2) << "\n";
  } else {
    std::cout << cost::FormatCostReport(report);
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AddCostCommands(CLI::App& cli) {
  auto flags = std::make_shared<CostFlags>();
  CLI::App* cmd = cli.add_subcommand(
      "cost",
      "Price one run of an app per million executions: Unum vs Step "
      "Functions Standard and Express (docs/cost.md)");
  cmd->add_option("app_dir", flags->app_dir,
                  "The app directory (run once on inproc:// + memory://)");
  cmd->add_option("--input,-i", flags->input,
                  "Input JSON file, or - for stdin");
  cmd->add_option("--prices", flags->prices,
                  "Price table JSON (default: the built-in "
                  "data/prices/aws-us-east-1.json)");
  cmd->add_option("--definition", flags->definition,
                  "Run this Step Functions state machine instead of the "
                  "app's IR");
  cmd->add_option("--module", flags->module,
                  "The app's module (.so); found by app name otherwise");
  cmd->add_option("--from-stats", flags->from_stats,
                  "Price the stats a `unum run --stats-json` wrote instead "
                  "of running the app");
  AddGcOption(cmd, &flags->gc);
  cmd->add_option("--memory-mb", flags->memory_mb,
                  "Memory of every Lambda function, MB")
      ->check(CLI::Range(int64_t{128}, int64_t{10240}));
  cmd->add_flag("--json", flags->json, "Print the report as JSON");
  return {Command{cmd, [flags] { return CostCommand(*flags); }}};
}

}  // namespace unum::cli
