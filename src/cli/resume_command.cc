// `unum resume SESSION APP_DIR --store URL`: finishes a session whose
// `unum run` died (kill -9, crash, reboot) on a durable store and platform.
//
// The pending invocations of the session are in the platform's durable
// queue (for sqlite:// the outbox table in the store's database file), and
// every committed step is in the store. Resume starts the platform for
// that one session with the app's functions, without invoking the Start
// function again, waits for the session record and prints the result
// exactly as `unum run` would have. Resuming a finished session prints its
// result (and lets leftover clean-up run); exit codes are those of run.
#include <fmt/core.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/function_table.h"
#include "app/runner.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "common/json_text.h"
#include "common/url_options.h"
#include "datastore/counting_datastore.h"
#include "runtime/names.h"
#include "trace/trace_recorder.h"

namespace unum::cli {

using nlohmann::json;

namespace {

struct ResumeFlags {
  std::string session;
  std::string app_dir;
  std::string definition;  // a state machine instead of the IR
  std::string store;
  std::string platform;
  std::string module;
  double timeout_seconds = 600;
  bool stats = false;
  bool compact = false;
  bool progress = true;
  bool no_trace = false;
};

std::string Scheme(const std::string& url) {
  const size_t colon = url.find(':');
  return colon == std::string::npos ? std::string() : url.substr(0, colon);
}

// The platform URL serving `session`: --platform, or by default the
// store's own sqlite file. A sqlite platform is told to serve the session
// (its `session` option); it serves nothing else.
Result<std::string> PlatformUrl(const ResumeFlags& flags,
                                const std::string& store_url) {
  std::string url = flags.platform;
  if (url.empty()) {
    if (Scheme(store_url) != "sqlite") {
      return Status::InvalidArgument(
          "no --platform given and the store '" + store_url +
          "' names no durable queue; pass the platform the run used, e.g. "
          "--platform sqlite:///path/to/db");
    }
    url = store_url;  // the outbox lives in the same database file
  }
  const std::string scheme = Scheme(url);
  if (scheme == "sqlite" || scheme == "sqlite-outbox") {
    url += url.find('?') == std::string::npos ? "?" : "&";
    url += "session=" + PercentEncode(flags.session);
  }
  return url;
}

int ResumeCommand(const ResumeFlags& flags) {
  Status valid = runtime::ValidateSessionId(flags.session);
  if (!valid.ok()) {
    PrintError("SESSION: " + valid.message());
    return kExitBadInput;
  }
  auto app = app::LoadApp(flags.app_dir, flags.definition);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  auto functions = app::LoadFunctions(*app, flags.module);
  if (!functions.ok()) {
    PrintError(functions.status().message());
    return kExitBadInput;
  }
  std::string store_url = flags.store;
  if (store_url.empty()) store_url = app->datastore_url;
  if (store_url.empty() || Scheme(store_url) == "memory") {
    PrintError(
        "resume needs the durable store the run used, e.g. --store "
        "sqlite:///path/to/db (" +
        (store_url.empty() ? std::string("none given")
                           : store_url + " does not outlive a process") +
        ")");
    return kExitBadInput;
  }
  auto platform_url = PlatformUrl(flags, store_url);
  if (!platform_url.ok()) {
    PrintError(platform_url.status().message());
    return kExitBadInput;
  }
  auto store = OpenDatastore(store_url);
  if (!store.ok()) {
    PrintError(store.status().message());
    return store.status().code() == StatusCode::kInvalidArgument
               ? kExitBadInput
               : kExitInfrastructure;
  }
  CountingDatastore counting(store->get());
  trace::TraceRecorder recorder(store->get());

  app::RunOptions options;
  options.runtime.gc = app->gc;
  if (!flags.no_trace) options.observer = &recorder;
  options.platform_url = *platform_url;
  options.session = flags.session;
  options.resume = true;
  options.poll_store = store->get();
  options.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(flags.timeout_seconds * 1000));
  const bool tty = flags.progress && isatty(STDERR_FILENO);
  bool progress_shown = false;
  if (tty) {
    options.on_progress = [&](const app::Progress& p) {
      progress_shown = true;
      std::cerr << fmt::format(
                       "\r\033[K[unum] resuming, {:.1f} s: {} "
                       "instances done, {} in flight",
                       p.seconds, p.instances_done, p.in_flight)
                << std::flush;
    };
  }
  auto report = app::RunWorkflow(*app, *functions, json(), &counting, options);
  if (progress_shown) std::cerr << "\r\033[K" << std::flush;
  if (!report.ok()) {
    const Status& s = report.status();
    if (s.code() == StatusCode::kFailedPrecondition) {
      PrintError(fmt::format(
          "session {} has no result and nothing left to run in {}: an "
          "unknown session, or its run died before it queued its first "
          "invocation",
          flags.session, store_url));
      return kExitBadInput;
    }
    PrintError(s.message());
    return s.code() == StatusCode::kInvalidArgument ? kExitBadInput
                                                    : kExitInfrastructure;
  }
  if (flags.stats) {
    std::cerr << FormatRunStats(*report, counting.stats(), /*resumed=*/true);
  }
  return PrintOutcome(*report, flags.compact);
}

}  // namespace

std::vector<Command> AddResumeCommands(CLI::App& cli) {
  auto flags = std::make_shared<ResumeFlags>();
  auto no_progress = std::make_shared<bool>(false);
  CLI::App* cmd = cli.add_subcommand(
      "resume",
      "Finish a session whose `unum run` died, from its durable store and "
      "queue, and print its result as JSON");
  cmd->add_option("session", flags->session,
                  "The session id (`unum run --session` sets it)")
      ->required();
  cmd->add_option("app_dir", flags->app_dir,
                  "The app directory (its functions run the rest)")
      ->required();
  cmd->add_option("--definition", flags->definition,
                  "The Step Functions state machine the app runs (default: "
                  "Globals.WorkflowDefinition)");
  cmd->add_option("--store", flags->store,
                  "Datastore URL the run used, e.g. sqlite:///path/to/db "
                  "(default: Globals.DataStore)");
  cmd->add_option("--platform", flags->platform,
                  "Platform URL holding the pending invocations (default: "
                  "the sqlite store's file, e.g. sqlite:///path/to/db; add "
                  "?workers=N)");
  cmd->add_option("--module", flags->module,
                  "The app's module (.so); found by app name otherwise");
  cmd->add_option("--timeout", flags->timeout_seconds,
                  "Give up after this many seconds");
  cmd->add_flag("--stats", flags->stats,
                "Print deliveries and datastore operations to stderr");
  cmd->add_flag("--compact", flags->compact, "Print the result on one line");
  cmd->add_flag("--no-progress", *no_progress,
                "No progress line, even on a terminal");
  cmd->add_flag("--no-trace", flags->no_trace,
                "Do not record the session trace (unum trace / sessions / ui)");
  return {Command{cmd, [flags, no_progress] {
                    flags->progress = !*no_progress;
                    return ResumeCommand(*flags);
                  }}};
}

}  // namespace unum::cli
