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
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "aws/curl_http_client.h"
#include "aws/sigv4.h"
#include "common/child_process.h"
#include "datastore/dynamodb/dynalite_test_server.h"
#include "datastore/redis/redis_test_server.h"
#include "unum/datastore.h"

extern char** environ;

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
    ChildSpec spec{.argv = args};
    if (!env.empty()) {
      std::map<std::string, std::string> vars;
      for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const size_t eq = entry.find('=');
        if (eq != std::string::npos)
          vars[entry.substr(0, eq)] = entry.substr(eq + 1);
      }
      for (const auto& [k, v] : env) vars[k] = v;
      spec.env.emplace();
      for (const auto& [k, v] : vars) spec.env->push_back(k + "=" + v);
    }
    spec.out = ChildStream::File(out.string());
    spec.err = ChildStream::File(err.string());
    auto started = ChildProcess::Start(spec);
    if (!started.ok()) {
      ADD_FAILURE() << started.status().ToString();
      return;
    }
    process_ = std::move(started).value();
  }
  // Waits for the exit; the exit code, or -1 (signal) / -2 (timeout).
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(60)) {
    if (process_ == nullptr) return -3;
    auto status = process_->Wait(timeout);
    if (!status) {
      process_->Kill();
      return -2;
    }
    return status->code;
  }
  void Signal(int sig) {
    if (process_ != nullptr) process_->Signal(sig);
  }
  // The process that runs the program (its keeper's child).
  pid_t pid() const;

 private:
  std::unique_ptr<ChildProcess> process_;
};

// The processes whose parent is `parent` (from /proc/<pid>/stat).
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    const std::string stat = ReadFile(entry.path() / "stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 1));
    std::string state;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

pid_t Child::pid() const {
  if (process_ == nullptr) return -1;
  const std::vector<pid_t> program = ChildrenOf(process_->pid());
  return program.size() == 1 ? program[0] : -1;
}

// The programs the service at `pid` runs: each runs under a keeper
// (common/child_process.h) that is the service's child.
std::vector<pid_t> ProgramsOf(pid_t pid) {
  std::vector<pid_t> out;
  for (pid_t keeper : ChildrenOf(pid)) {
    for (pid_t program : ChildrenOf(keeper)) out.push_back(program);
  }
  return out;
}

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

  // Builds `app_dir` into dir_/aws and starts lambda-local on it; returns
  // the Invoke API port (0 on failure, with the test failed).
  int StartLocal(const std::string& app_dir, std::string store = "") {
    if (store.empty()) store = store_url_;
    const std::string artifacts = (dir_ / "aws").string();
    Output built = Unum(
        {"build", app_dir, "--platform", "aws", "--out", artifacts}, "build");
    EXPECT_EQ(built.code, 0) << built.err;
    if (built.code != 0) return 0;
    local_ = std::make_unique<Child>(
        std::vector<std::string>{UNUM_BINARY, "--log-level", "info",
                                 "lambda-local", app_dir, "--artifacts",
                                 artifacts, "--store", store},
        dir_ / "local.out", dir_ / "local.err");
    const std::string banner = "lambda-local: Invoke API on http://127.0.0.1:";
    for (auto deadline = Clock::now() + std::chrono::seconds(20);
         Clock::now() < deadline;
         std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
      const std::string out = ReadFile(dir_ / "local.out");
      if (size_t at = out.find(banner);
          at != std::string::npos && out.find('\n', at) != std::string::npos) {
        return std::atoi(out.c_str() + at + banner.size());
      }
    }
    ADD_FAILURE() << "lambda-local did not start: "
                  << ReadFile(dir_ / "local.err");
    return 0;
  }

  // Stops lambda-local (SIGTERM), expects exit 0 and keeps its log.
  void StopLocal() {
    local_->Signal(SIGTERM);
    EXPECT_EQ(local_->Wait(), 0) << ReadFile(dir_ / "local.err");
    local_log_ = ReadFile(dir_ / "local.err");
    local_.reset();
  }

  // Runs the workflow of `app_dir` on `input` through lambda-local and
  // returns `unum run`'s output.
  Output RunThroughLambdaLocal(const std::string& app_dir,
                               const std::string& input) {
    const int port = StartLocal(app_dir);
    if (port == 0) return {};
    Output run = Unum(
        {"run", app_dir, "--input", input, "--store", store_url_, "--platform",
         "lambda://?region=us-east-1&endpoint=http://127.0.0.1:" +
             std::to_string(port),
         "--timeout", "50"},
        "run");
    StopLocal();
    return run;
  }

  static inline std::string store_url_;
  fs::path dir_;
  std::unique_ptr<Child> local_;
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

// SIGKILL every bootstrap process once while wordcount runs: lambda-local
// starts new ones and delivers the events they held again (Lambda's
// behaviour when an execution environment dies); the result is still
// exactly the expected one. The store is Redis here: dynalite itself dies
// when a client is killed in the middle of a request (an uncaught
// "Error: aborted" ECONNRESET in dynalite/index.js), which is a fault of
// the DynamoDB stand-in, not of what this test checks.
TEST_F(LambdaLocalTest, KilledProcessesAreReplacedAndTheirEventsRedelivered) {
  auto redis = redis::testing::SharedTestRedisUrl();
  ASSERT_TRUE(redis.ok()) << redis.status().ToString();
  const int port = StartLocal("examples/wordcount", *redis);
  ASSERT_GT(port, 0);
  Child run({UNUM_BINARY, "run", "examples/wordcount", "--input",
             "examples/wordcount/events/event.json", "--store", *redis,
             "--timeout", "50", "--platform",
             "lambda://?region=us-east-1&endpoint=http://127.0.0.1:" +
                 std::to_string(port)},
            dir_ / "run.out", dir_ / "run.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  // Every function's process is up by now, or soon (each starts behind a
  // keeper, see common/child_process.h).
  std::vector<pid_t> victims = ProgramsOf(local_->pid());
  for (int i = 0; i < 500 && victims.size() < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    victims = ProgramsOf(local_->pid());
  }
  EXPECT_EQ(victims.size(), 5u);  // one process per function
  for (pid_t p : victims) kill(p, SIGKILL);
  const int code = run.Wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // restarts
  StopLocal();
  ASSERT_EQ(code, 0) << ReadFile(dir_ / "run.err") << "\n--- lambda-local:\n"
                     << local_log_;
  EXPECT_EQ(json::parse(ReadFile(dir_ / "run.out")),
            json::parse(ReadFile("examples/wordcount/expected/output.json")));
  EXPECT_THAT(local_log_, HasSubstr("processes 10"));
}

TEST_F(LambdaLocalTest, ExecFunctionsRunFromTheirZips) {
  const std::string input = (dir_ / "in.json").string();
  std::ofstream(input) << R"({"n": 1})";
  const int port = StartLocal("tests/fixtures/exec-only");
  ASSERT_GT(port, 0);
  Output run = Unum({"run", "tests/fixtures/exec-only", "--input", input,
                     "--store", store_url_, "--compact", "--platform",
                     "lambda://?region=us-east-1&endpoint=http://127.0.0.1:" +
                         std::to_string(port)},
                    "run");
  StopLocal();
  ASSERT_EQ(run.code, 0) << run.err << "\n--- lambda-local:\n" << local_log_;
  EXPECT_EQ(run.out,
            R"({"attempt":1,"fn":"Env","in":{"got":{"n":1}},"instance":"Env"})"
            "\n");
}

TEST_F(LambdaLocalTest, InvokeApiAnswersLikeLambda) {
  const int port = StartLocal("examples/text-processing");
  ASSERT_GT(port, 0);
  auto http = std::make_unique<aws::CurlHttpClient>();
  auto send = [&](const std::string& function, const std::string& type,
                  const std::string& body, bool sign,
                  const std::string& secret = "test") {
    aws::HttpRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(port) +
            "/2015-03-31/functions/" + function + "/invocations";
    r.headers = {{"X-Amz-Invocation-Type", type},
                 {"Content-Type", "application/json"}};
    r.body = body;
    if (sign) {
      EXPECT_TRUE(aws::SignRequest(&r,
                                   {.access_key_id = "test",
                                    .secret_access_key = secret,
                                    .session_token = ""},
                                   {.region = "us-east-1",
                                    .service = "lambda",
                                    .amz_date = aws::AmzDate(
                                        std::chrono::system_clock::now())})
                      .ok());
    }
    auto response = http->Send(r);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : aws::HttpResponse{};
  };
  auto type_of = [](const aws::HttpResponse& r) {
    return aws::FindHeader(r.headers, "x-amzn-ErrorType");
  };
  aws::HttpResponse r = send("Nope", "Event", "{}", true);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(type_of(r), "ResourceNotFoundException");
  r = send("Publish", "RequestResponse", "{}", true);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(type_of(r), "InvalidParameterValueException");
  r = send("Publish", "Event", "{}", false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(type_of(r), "MissingAuthenticationTokenException");
  r = send("Publish", "Event", "{}", true, "not-the-secret");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(type_of(r), "InvalidSignatureException");
  r = send("Publish", "Event", json(std::string(300000, 'x')).dump(), true);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(type_of(r), "RequestTooLargeException");
  r = send("Publish", "Event", "not json", true);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(type_of(r), "InvalidRequestContentException");
  http.reset();  // closes its keep-alive connection
  StopLocal();
  // Nothing was queued.
  EXPECT_THAT(local_log_, HasSubstr("invocations 0, deliveries 0"));
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
