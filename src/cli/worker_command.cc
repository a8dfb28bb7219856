// `unum worker APP_DIR --redis URL [--concurrency N]`: runs an app's
// functions for the invocations queued in Redis (see
// platform/redis/redis_platform.h), on this machine, until SIGTERM or
// SIGINT. Start as many workers on as many machines as you like; `unum run
// APP --platform redis://... --store redis://...` submits workflows to them.
//
// The datastore is --store, else the app's Globals.DataStore unless it is
// memory://, else the --redis server itself (same db).
#include <fmt/core.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/function_table.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "datastore/counting_datastore.h"
#include "datastore/redis/redis_client.h"
#include "datastore/redis/redis_datastore.h"
#include "platform/redis/redis_platform.h"
#include "runtime/runtime.h"
#include "trace/trace_recorder.h"

namespace unum::cli {
namespace {

struct WorkerFlags {
  std::string app_dir;
  std::string definition;  // a state machine instead of the IR
  std::string redis_url;
  std::string store;
  std::string module;
  int concurrency = 0;  // 0: the URL's, else 1
  int max_attempts = 0;
  double visibility_seconds = 0;
  bool stats = false;
  bool no_trace = false;
};

int WorkerCommand(const WorkerFlags& flags) {
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
  auto options = ParseRedisPlatformUrl(flags.redis_url);
  if (!options.ok()) {
    PrintError(options.status().message());
    return kExitBadInput;
  }
  if (options->app.empty()) options->app = app->name;
  if (flags.concurrency > 0) options->concurrency = flags.concurrency;
  if (flags.max_attempts > 0) options->max_attempts = flags.max_attempts;
  if (flags.visibility_seconds > 0) {
    options->visibility_timeout = std::chrono::milliseconds(
        static_cast<int64_t>(flags.visibility_seconds * 1000));
  }

  std::string store_url = flags.store;
  if (store_url.empty() && !app->datastore_url.empty() &&
      app->datastore_url.rfind("memory:", 0) != 0) {
    store_url = app->datastore_url;
  }
  std::unique_ptr<Datastore> store;
  if (store_url.empty()) {
    store = std::make_unique<RedisDatastore>(options->endpoint);
    store_url = options->endpoint.Url();
  } else {
    if (store_url.rfind("memory:", 0) == 0) {
      PrintError(
          "a worker needs a datastore shared with the other workers "
          "(--store redis://... or sqlite:///...), not " +
          store_url);
      return kExitBadInput;
    }
    auto opened = OpenDatastore(store_url);
    if (!opened.ok()) {
      PrintError(opened.status().message());
      return opened.status().IsInvalidArgument() ? kExitBadInput
                                                 : kExitInfrastructure;
    }
    store = std::move(opened).value();
  }
  CountingDatastore counting(store.get());

  auto platform = RedisPlatform::Create(*options, RedisPlatform::Role::kWorker);
  if (!platform.ok()) {
    PrintError(platform.status().message());
    return kExitBadInput;
  }
  runtime::RuntimeOptions runtime_options;
  runtime_options.gc = app->gc;
  runtime::Runtime rt(&counting, platform->get(), runtime_options);
  trace::TraceRecorder recorder(&counting);  // not counted, deferred
  if (!flags.no_trace) rt.SetDeliveryObserver(&recorder);
  for (const auto& [name, spec] : app->functions) {
    auto fn = functions->functions.find(name);
    if (fn == functions->functions.end()) {
      PrintError("function \"" + name + "\" has no code");
      return kExitBadInput;
    }
    if (Status s =
            rt.AddFunction(spec.config, fn->second, functions->PlannerOf(name));
        !s.ok()) {
      PrintError(s.message());
      return kExitBadInput;
    }
  }
  (*platform)->SetExhaustedCallback([](const Invocation& inv, const Status& s) {
    spdlog::warn("{}: gave up after {} attempts: {}", inv.function, inv.attempt,
                 s.ToString());
  });

  // Every thread blocks the stop signals; this one waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  (*platform)->Start([&rt](const Invocation& inv) { return rt.Handle(inv); });
  spdlog::info("worker {} serving app \"{}\" from {} ({} threads), store {}",
               (*platform)->options().consumer, options->app,
               options->endpoint.Url(), options->concurrency, store_url);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("worker {}: signal {}, stopping",
               (*platform)->options().consumer, signal);
  (*platform)->Stop();

  if (flags.stats) {
    const RedisPlatform::WorkerStats ws = (*platform)->worker_stats();
    const PlatformStats ps = (*platform)->stats();
    const runtime::RuntimeStats rs = rt.stats();
    const DatastoreStats ds = counting.stats();
    const redis::ClientStats cs = redis::GetClientStats();
    std::cout << fmt::format(
                     "{{\"consumer\":\"{}\",\"deliveries\":{},"
                     "\"completed\":{},\"retries\":{},\"reclaimed\":{},"
                     "\"dead_lettered\":{},\"user_runs\":{},"
                     "\"instances_done\":{},\"datastore_ops\":{},"
                     "\"round_trips\":{},\"calls\":{},"
                     "\"idle_round_trips\":{},"
                     "\"housekeeping_round_trips\":{},\"connects\":{}}}",
                     (*platform)->options().consumer, ws.deliveries,
                     ps.completed, ps.retries, ws.reclaimed, ws.dead_lettered,
                     rs.user_runs, rs.instances_done,
                     ds.get_checkpoint + ds.put_checkpoint +
                         ds.get_checkpoints + ds.set_add +
                         ds.delete_checkpoint + ds.delete_set +
                         ds.session_record,
                     cs.round_trips, cs.calls, ws.idle_round_trips,
                     ws.housekeeping_round_trips, cs.connects)
              << std::endl;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> AddWorkerCommands(CLI::App& cli) {
  auto flags = std::make_shared<WorkerFlags>();
  CLI::App* cmd = cli.add_subcommand(
      "worker",
      "Run an app's functions for invocations queued in Redis, until "
      "SIGTERM/SIGINT");
  cmd->add_option("app_dir", flags->app_dir, "The app directory")->required();
  cmd->add_option("--definition", flags->definition,
                  "The Step Functions state machine the app runs (default: "
                  "Globals.WorkflowDefinition)");
  cmd->add_option("--redis", flags->redis_url,
                  "The queue: redis://host:port/db[?options] (options: "
                  "visibility_ms, max_attempts, retry_backoff_ms, block_ms, "
                  "tick_ms, concurrency, batch, pipelines, group, app)")
      ->required();
  cmd->add_option("--concurrency,-c", flags->concurrency,
                  "Functions run at once by this worker (threads)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--store", flags->store,
                  "Datastore URL (default: Globals.DataStore unless "
                  "memory://, else the --redis server)");
  cmd->add_option("--module", flags->module,
                  "The app's module (.so); found by app name otherwise");
  cmd->add_option("--max-attempts", flags->max_attempts,
                  "Deliveries of a failing invocation in all (default 3)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--visibility-timeout", flags->visibility_seconds,
                  "Seconds before a dead worker's invocations are taken "
                  "over (default 30)")
      ->check(CLI::Range(0.05, 86400.0));
  cmd->add_flag("--stats", flags->stats,
                "On exit, print this worker's counters as JSON to stdout");
  cmd->add_flag("--no-trace", flags->no_trace,
                "Do not record the session trace (unum trace / sessions / ui)");
  return {Command{cmd, [flags] { return WorkerCommand(*flags); }}};
}

}  // namespace unum::cli
