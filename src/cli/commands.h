// The `unum` command's subcommands. Each returns the process exit code:
//   0 success; 1 the workflow ran and failed; 2 bad input (usage, app,
//   IR, input file); 3 infrastructure (datastore, platform, timeout).
#ifndef UNUM_CLI_COMMANDS_H_
#define UNUM_CLI_COMMANDS_H_

#include <functional>
#include <vector>
#include <string>

#include <CLI/CLI.hpp>

namespace unum::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitWorkflowFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInfrastructure = 3;

struct RunFlags {
  std::string app_dir;
  std::string input = "-";
  std::string store;
  std::string platform = "inproc://";
  std::string module;
  std::string session;
  std::string definition;  // a state machine to run instead of the IR
  std::string gc;          // --gc: overrides Globals.GarbageCollection
  double timeout_seconds = 600;
  bool stats = false;
  std::string stats_json;  // --stats-json: write the stats here as JSON
  bool compact = false;
  bool progress = true;
  bool no_trace = false;  // --no-trace: no session trace events
};

int RunCommand(const RunFlags& flags);
int ValidateCommand(const std::string& app_dir, const std::string& module);

// A subcommand registered on the top-level CLI::App: `run` is called when
// `app` was the parsed subcommand and returns the exit code.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Each adds its subcommand(s) to `cli`; main() dispatches.
std::vector<Command> AddRunCommands(CLI::App& cli);  // run, validate
std::vector<Command> AddResumeCommands(CLI::App& cli);  // resume
std::vector<Command> AddWorkerCommands(CLI::App& cli);  // worker
std::vector<Command> AddTableCommands(CLI::App& cli);  // table create
std::vector<Command> AddCompileCommands(CLI::App& cli);  // compile
std::vector<Command> AddGraphCommands(CLI::App& cli);  // graph
std::vector<Command> AddTraceCommands(CLI::App& cli);  // trace, sessions
std::vector<Command> AddUiCommands(CLI::App& cli);  // ui
std::vector<Command> AddBuildCommands(CLI::App& cli);  // build, deploy
std::vector<Command> AddLambdaLocalCommands(CLI::App& cli);  // lambda-local
std::vector<Command> AddCostCommands(CLI::App& cli);  // cost

}  // namespace unum::cli

#endif  // UNUM_CLI_COMMANDS_H_
