// `unum build APP_DIR --platform aws [--out DIR]`: the deployment zips and
// the SAM template (src/lambda/deployment.h).
// `unum deploy APP_DIR [--out DIR] [--stack-name S]`: builds, then runs
// `sam deploy` on the template when the SAM CLI is on PATH; otherwise says
// how to get it and exits 2.
#include <fmt/core.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/run_output.h"
#include "common/child_process.h"
#include "lambda/deployment.h"

namespace unum::cli {
namespace {

namespace fs = std::filesystem;

struct BuildFlags {
  std::string app_dir;
  std::string platform = "aws";
  std::string out;
  std::string bootstrap;
  std::string module;
  std::string stack_name;
  int memory_mb = 512;
  int timeout_seconds = 60;
};

std::string DefaultOut(const std::string& app_dir) {
  return (fs::path(app_dir) / "build" / "aws").string();
}

int Build(const BuildFlags& flags, lambda::AwsBuildReport* report_out) {
  auto app = app::LoadApp(flags.app_dir);
  if (!app.ok()) {
    PrintError(app.status().message());
    return kExitBadInput;
  }
  lambda::AwsBuildOptions options;
  options.out_dir = flags.out.empty() ? DefaultOut(flags.app_dir) : flags.out;
  options.bootstrap = flags.bootstrap;
  options.module = flags.module;
  options.sam.memory_mb = flags.memory_mb;
  options.sam.timeout_seconds = flags.timeout_seconds;
  auto report = lambda::BuildAwsArtifacts(*app, options);
  if (!report.ok()) {
    PrintError(report.status().message());
    return report.status().IsUnavailable() ? kExitInfrastructure
                                           : kExitBadInput;
  }
  for (const std::string& zip : report->zips) std::cout << zip << "\n";
  std::cout << report->template_file << std::endl;
  if (report_out != nullptr) *report_out = *report;
  return kExitOk;
}

int Deploy(const BuildFlags& flags) {
  auto found = FindProgram("sam");
  const std::string sam = found.ok() ? *found : "";
  if (sam.empty()) {
    std::cerr
        << "unum deploy: the AWS SAM CLI (sam) is not installed or not on "
           "PATH.\n"
           "Install it (see "
           "https://docs.aws.amazon.com/serverless-application-model/latest/"
           "developerguide/install-sam-cli.html, or `pip install "
           "aws-sam-cli`), configure AWS credentials, and run unum deploy "
           "again.\n"
           "Without SAM: `unum build APP_DIR --platform aws --out DIR` writes "
           "DIR/template.yaml and one zip per function; deploy them with "
           "CloudFormation (aws cloudformation package/deploy).\n";
    return kExitBadInput;
  }
  lambda::AwsBuildReport report;
  if (int code = Build(flags, &report); code != kExitOk) return code;
  auto app = app::LoadApp(flags.app_dir);
  std::string stack = flags.stack_name.empty() ? app->name : flags.stack_name;
  std::vector<std::string> args = {sam,
                                   "deploy",
                                   "--template-file",
                                   report.template_file,
                                   "--stack-name",
                                   stack,
                                   "--capabilities",
                                   "CAPABILITY_IAM",
                                   "--resolve-s3",
                                   "--no-fail-on-empty-changeset"};
  std::cerr << "unum deploy: running";
  for (const std::string& a : args) std::cerr << " " << a;
  std::cerr << std::endl;
  ChildSpec spec{.argv = args};
  spec.in = ChildStream::Inherit();
  auto child = ChildProcess::Start(spec);
  if (!child.ok()) {
    PrintError("cannot run " + sam + ": " + child.status().message());
    return kExitInfrastructure;
  }
  const std::optional<ExitStatus> exit =
      (*child)->Wait(std::chrono::milliseconds::max());
  if (exit && exit->ok()) {
    std::cerr << fmt::format(
        "unum deploy: stack {} is deployed; the start function is {}-{}\n",
        stack, stack, app->start_function);
    return kExitOk;
  }
  PrintError("sam deploy failed");
  return kExitInfrastructure;
}

void AddCommonOptions(CLI::App* cmd, BuildFlags* flags) {
  cmd->add_option("app_dir", flags->app_dir, "The app directory")->required();
  cmd->add_option("--out,-o", flags->out,
                  "Output directory (default APP_DIR/build/aws)");
  cmd->add_option("--bootstrap", flags->bootstrap,
                  "The unum-lambda-bootstrap executable (default: next to "
                  "unum)");
  cmd->add_option("--module", flags->module,
                  "The app's module (.so); found by app name otherwise");
  cmd->add_option("--memory", flags->memory_mb, "MemorySize of each function")
      ->check(CLI::Range(128, 10240));
  cmd->add_option("--timeout", flags->timeout_seconds,
                  "Timeout of each function in seconds")
      ->check(CLI::Range(1, 900));
}

}  // namespace

std::vector<Command> AddBuildCommands(CLI::App& cli) {
  auto flags = std::make_shared<BuildFlags>();
  CLI::App* build = cli.add_subcommand(
      "build",
      "Package an app for a platform: --platform aws writes one Lambda "
      "deployment zip per function and a SAM template");
  AddCommonOptions(build, flags.get());
  build->add_option("--platform", flags->platform, "Target platform")
      ->check(CLI::IsMember({"aws"}));

  auto deploy_flags = std::make_shared<BuildFlags>();
  CLI::App* deploy = cli.add_subcommand(
      "deploy",
      "Build for AWS and deploy with `sam deploy` (needs the AWS SAM CLI)");
  AddCommonOptions(deploy, deploy_flags.get());
  deploy->add_option("--stack-name", deploy_flags->stack_name,
                     "CloudFormation stack (default: the app's name)");
  return {Command{build, [flags] { return Build(*flags, nullptr); }},
          Command{deploy, [deploy_flags] { return Deploy(*deploy_flags); }}};
}

}  // namespace unum::cli
