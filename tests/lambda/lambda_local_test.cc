// "Run on AWS" end to end with the deployable artifacts: `unum build
// --platform aws` writes the zips and the SAM template, `unum lambda-local`
// unpacks them and runs each function's `bootstrap` as separate processes
// behind the Invoke and Runtime APIs, the functions checkpoint into
// dynalite (a local DynamoDB API), and `unum run --platform lambda://`
// invokes the start function and reads the session record from the table.
// The result must equal examples/<app>/expected exactly.
//
// Also: retries through lambda-local (a function that always throws is
// delivered 3 times: 2 deliveries + the on-failure destination), and
// `unum deploy` without the SAM CLI.
//
// UNUM_BINARY comes from tests/lambda/CMakeLists.txt; the tests run in the
// source directory.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "datastore/dynamodb/dynalite_test_server.h"
#include "unum/datastore.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// A child process with stdout/stderr in files; killed when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& out,
        const fs::path& err,
        const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out_s = out.string(), err_s = err.string();
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const int o = open(out_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = open(err_s.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0 || in < 0) _exit(126);
      dup2(o, STDOUT_FILENO);
      dup2(e, STDERR_FILENO);
      dup2(in, STDIN_FILENO);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }
  // Waits for the exit; the exit code, or -1 (signal) / -2 (timeout).
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = Clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      if (r < 0 && errno != EINTR) return -3;
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -2;
  }
  void Signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }

 private:
  pid_t pid_ = -1;
};

struct Output {
  int code = -1;
  std::string out, err;
};

class LambdaLocalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto url = dynamodb::testing::SharedTestDynamoDbUrl();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    // Create the table once; the functions open it without create=1.
    auto store = OpenDatastore(*url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_url_ = *url;
    const size_t create = store_url_.find("&create=1");
    if (create != std::string::npos) store_url_.erase(create, 9);
  }

  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "unum-lambda-e2e-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Output Unum(const std::vector<std::string>& args, const std::string& tag,
              const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> argv = {UNUM_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    Output o;
    {
      Child c(argv, dir_ / (tag + ".out"), dir_ / (tag + ".err"), env);
      o.code = c.Wait();
    }
    o.out = ReadFile(dir_ / (tag + ".out"));
    o.err = ReadFile(dir_ / (tag + ".err"));
    return o;
  }

  // Builds `app_dir`, starts lambda-local on it, runs the workflow on
  // `input` through it and returns `unum run`'s output.
  Output RunThroughLambdaLocal(const std::string& app_dir,
                               const std::string& input) {
    const std::string artifacts = (dir_ / "aws").string();
    Output built = Unum(
        {"build", app_dir, "--platform", "aws", "--out", artifacts}, "build");
    EXPECT_EQ(built.code, 0) << built.err;
    if (built.code != 0) return built;

    Child local({UNUM_BINARY, "--log-level", "info", "lambda-local", app_dir,
                 "--artifacts", artifacts, "--store", store_url_},
                dir_ / "local.out", dir_ / "local.err");
    int port = 0;
    const std::string banner = "lambda-local: Invoke API on http://127.0.0.1:";
    for (auto deadline = Clock::now() + std::chrono::seconds(20);
         Clock::now() < deadline && port == 0;
         std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
      const std::string out = ReadFile(dir_ / "local.out");
      if (size_t at = out.find(banner);
          at != std::string::npos && out.find('\n', at) != std::string::npos) {
        port = std::atoi(out.c_str() + at + banner.size());
      }
    }
    EXPECT_GT(port, 0) << ReadFile(dir_ / "local.err");
    if (port == 0) return {};

    Output run = Unum(
        {"run", app_dir, "--input", input, "--store", store_url_, "--platform",
         "lambda://?region=us-east-1&endpoint=http://127.0.0.1:" +
             std::to_string(port),
         "--timeout", "50"},
        "run");
    local.Signal(SIGTERM);
    EXPECT_EQ(local.Wait(), 0) << ReadFile(dir_ / "local.err");
    local_log_ = ReadFile(dir_ / "local.err");
    return run;
  }

  static inline std::string store_url_;
  fs::path dir_;
  std::string local_log_;
};

TEST_F(LambdaLocalTest, TextProcessingMatchesExpected) {
  Output run = RunThroughLambdaLocal(
      "examples/text-processing", "examples/text-processing/events/event.json");
  ASSERT_EQ(run.code, 0) << run.err << "\n--- lambda-local:\n" << local_log_;
  EXPECT_EQ(
      json::parse(run.out),
      json::parse(ReadFile("examples/text-processing/expected/output.json")));
  // Six functions, one delivery each, none failed.
  EXPECT_THAT(local_log_, HasSubstr("invocations 6, deliveries 6, succeeded "
                                    "6, failed 0, retries 0"));
}

TEST_F(LambdaLocalTest, WordcountMatchesExpected) {
  Output run = RunThroughLambdaLocal("examples/wordcount",
                                     "examples/wordcount/events/event.json");
  ASSERT_EQ(run.code, 0) << run.err << "\n--- lambda-local:\n" << local_log_;
  EXPECT_EQ(json::parse(run.out),
            json::parse(ReadFile("examples/wordcount/expected/output.json")));
  EXPECT_THAT(local_log_, HasSubstr("failed 0, retries 0"));
}

TEST_F(LambdaLocalTest, AFailingFunctionIsDeliveredThreeTimesThenRecorded) {
  const std::string input = (dir_ / "in.json").string();
  std::ofstream(input) << "{}";
  Output run = RunThroughLambdaLocal("tests/fixtures/always-throws", input);
  EXPECT_EQ(run.code, 1) << run.err << "\n--- lambda-local:\n" << local_log_;
  EXPECT_THAT(run.err, HasSubstr("unum: error: workflow failed in function "
                                 "\"Boom\" (instance \"Boom-unumIndex-0\", "
                                 "after 3 attempt(s)): boom\n"));
  // Items once; Boom twice, then its on-failure destination record.
  EXPECT_THAT(local_log_,
              HasSubstr("invocations 2, deliveries 4, succeeded 2, failed 2, "
                        "retries 1, destinations 1, dropped 0"));
}

TEST_F(LambdaLocalTest, DeployWithoutSamSaysHowToGetIt) {
  Output deploy = Unum(
      {"deploy", "examples/text-processing", "--out", (dir_ / "aws").string()},
      "deploy", {{"PATH", "/nonexistent"}});
  EXPECT_EQ(deploy.code, 2);
  EXPECT_EQ(deploy.out, "");
  EXPECT_EQ(
      deploy.err,
      "unum deploy: the AWS SAM CLI (sam) is not installed or not on PATH.\n"
      "Install it (see https://docs.aws.amazon.com/serverless-application-"
      "model/latest/developerguide/install-sam-cli.html, or `pip install "
      "aws-sam-cli`), configure AWS credentials, and run unum deploy again.\n"
      "Without SAM: `unum build APP_DIR --platform aws --out DIR` writes "
      "DIR/template.yaml and one zip per function; deploy them with "
      "CloudFormation (aws cloudformation package/deploy).\n");
  EXPECT_FALSE(fs::exists(dir_ / "aws"));
}

}  // namespace
}  // namespace unum
