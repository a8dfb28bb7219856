// `unum trace SESSION --store URL [--format table|svg] [--out FILE]`: the
// session's deliveries in start order with durations, status and the
// critical path, or a Gantt chart as SVG. `unum sessions --store URL`: the
// sessions in a store, newest first, with status and duration.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/run_output.h"
#include "trace/session_trace.h"
#include "unum/datastore.h"

namespace unum::cli {
namespace {

struct TraceFlags {
  std::string session;
  std::string store;
  std::string format = "table";
  std::string out;
};

int ExitFor(const Status& s) {
  if (s.IsInvalidArgument() || s.IsNotFound()) return kExitBadInput;
  return kExitInfrastructure;
}

int WriteOut(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
    return std::cout ? kExitOk : kExitInfrastructure;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    PrintError("cannot write " + path);
    return kExitInfrastructure;
  }
  return kExitOk;
}

int TraceCommand(const TraceFlags& flags) {
  auto store = OpenDatastore(flags.store);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ExitFor(store.status());
  }
  auto trace = trace::LoadSessionTrace(**store, flags.session);
  if (!trace.ok()) {
    PrintError(trace.status().message());
    return ExitFor(trace.status());
  }
  return WriteOut(flags.format == "svg" ? trace::TraceSvg(*trace)
                                        : trace::FormatTraceTable(*trace),
                  flags.out);
}

int SessionsCommand(const std::string& store_url, size_t limit) {
  auto store = OpenDatastore(store_url);
  if (!store.ok()) {
    PrintError(store.status().message());
    return ExitFor(store.status());
  }
  auto ids = (*store)->ListSessions();
  if (!ids.ok()) {
    PrintError(ids.status().message());
    return kExitInfrastructure;
  }
  std::vector<trace::SessionTrace> sessions;
  for (const std::string& id : *ids) {
    auto t = trace::LoadSessionTrace(**store, id);
    if (!t.ok()) {
      PrintError(t.status().message());
      return kExitInfrastructure;
    }
    sessions.push_back(std::move(t).value());
  }
  std::sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) {
    return a.start_us > b.start_us;
  });
  if (sessions.size() > limit) sessions.resize(limit);
  return WriteOut(trace::FormatSessionList(sessions), "");
}

}  // namespace

std::vector<Command> AddTraceCommands(CLI::App& cli) {
  auto flags = std::make_shared<TraceFlags>();
  CLI::App* trace_cmd = cli.add_subcommand(
      "trace", "Show a session's deliveries, critical path and timeline");
  trace_cmd->add_option("session", flags->session, "The session id")
      ->required();
  trace_cmd->add_option("--store", flags->store, "The datastore URL")
      ->required();
  trace_cmd->add_option("--format", flags->format, "table (default) or svg")
      ->check(CLI::IsMember({"table", "svg"}));
  trace_cmd->add_option("--out", flags->out, "output file (default: stdout)");

  auto store = std::make_shared<std::string>();
  auto limit = std::make_shared<size_t>(50);
  CLI::App* sessions_cmd = cli.add_subcommand(
      "sessions", "List the sessions in a store, newest first");
  sessions_cmd->add_option("--store", *store, "The datastore URL")->required();
  sessions_cmd->add_option("--limit", *limit, "At most this many (50)");
  return {Command{trace_cmd, [flags] { return TraceCommand(*flags); }},
          Command{sessions_cmd,
                  [store, limit] { return SessionsCommand(*store, *limit); }}};
}

}  // namespace unum::cli
