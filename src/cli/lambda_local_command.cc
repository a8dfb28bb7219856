// `unum lambda-local APP_DIR --store URL [--port N] [--artifacts DIR]
// [--concurrency N]`: serves the Lambda Invoke API on loopback and runs the
// app's built deployment zips (unum build --platform aws) as Lambda would
// (src/lambda/local/local_lambda.h), until SIGTERM or SIGINT.
//
// Its first stdout line is "lambda-local: Invoke API on http://127.0.0.1:P"
// so scripts and tests can find the port; then invoke the app with
//   unum run APP_DIR -i IN --store URL
//       --platform 'lambda://?region=us-east-1&endpoint=http://127.0.0.1:P'
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/run_output.h"
#include "lambda/local/local_lambda.h"

namespace unum::cli {
namespace {

struct LambdaLocalFlags {
  std::string app_dir;
  std::string artifacts;
  std::string store;
  int port = 0;
  int concurrency = 1;
};

int LambdaLocal(const LambdaLocalFlags& flags) {
  if (flags.store.rfind("memory:", 0) == 0) {
    PrintError(
        "lambda-local runs functions in separate processes: --store must be "
        "shared (dynamodb://, redis://, sqlite:///), not " +
        flags.store);
    return kExitBadInput;
  }
  lambda::LocalLambdaOptions options;
  options.artifacts_dir =
      flags.artifacts.empty()
          ? (std::filesystem::path(flags.app_dir) / "build" / "aws").string()
          : flags.artifacts;
  options.store_url = flags.store;
  options.port = flags.port;
  options.environments = flags.concurrency;
  if (const char* r = std::getenv("AWS_REGION"); r && *r) options.region = r;

  // Every thread blocks the stop signals; this one waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto service = lambda::LocalLambda::Start(options);
  if (!service.ok()) {
    PrintError(service.status().message());
    return service.status().IsInvalidArgument() ? kExitBadInput
                                                : kExitInfrastructure;
  }
  std::string names;
  for (const std::string& n : (*service)->functions()) {
    names += (names.empty() ? "" : ", ") + n;
  }
  std::cout << "lambda-local: Invoke API on http://127.0.0.1:"
            << (*service)->port() << " (functions: " << names << ")"
            << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  const lambda::LocalLambdaStats s = (*service)->stats();
  (*service)->Stop();
  spdlog::info(
      "lambda-local: stopped; invocations {}, deliveries {}, succeeded {}, "
      "failed {}, retries {}, destinations {}, dropped {}, processes {}",
      s.invocations, s.deliveries, s.succeeded, s.failed, s.retries,
      s.destinations, s.dropped, s.starts);
  return kExitOk;
}

}  // namespace

std::vector<Command> AddLambdaLocalCommands(CLI::App& cli) {
  auto flags = std::make_shared<LambdaLocalFlags>();
  CLI::App* cmd = cli.add_subcommand(
      "lambda-local",
      "Serve the Lambda Invoke API on loopback and run the app's built "
      "deployment zips as Lambda would, until SIGTERM/SIGINT");
  cmd->add_option("app_dir", flags->app_dir, "The app directory")->required();
  cmd->add_option(
         "--store", flags->store,
         "UNUM_STORE for every function (e.g. "
         "dynamodb://T?region=us-east-1&endpoint=http://127.0.0.1:8000)")
      ->required();
  cmd->add_option("--port", flags->port, "Invoke API port (default: any)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--artifacts", flags->artifacts,
                  "What unum build wrote (default APP_DIR/build/aws)");
  cmd->add_option("--concurrency,-c", flags->concurrency,
                  "Processes per function")
      ->check(CLI::Range(1, 64));
  return {Command{cmd, [flags] { return LambdaLocal(*flags); }}};
}

}  // namespace unum::cli
