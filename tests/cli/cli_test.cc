// Tests of the `unum` command: runs the built binary as a subprocess on the
// example apps and the fixture apps in tests/fixtures, and checks the exit
// code (0 ok, 1 workflow failed, 2 bad input, 3 infrastructure), stdout and
// the error message on stderr.
//
// UNUM_BINARY (the unum executable) and UNUM_SOURCE_DIR (the source tree,
// the subprocess's working directory) come from tests/cli/CMakeLists.txt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/child_process.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using unum::ChildResult;
using unum::ChildRun;
using unum::ChildSpec;
using unum::RunChild;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr int kExitOk = 0;
constexpr int kExitWorkflowFailed = 1;
constexpr int kExitBadInput = 2;

// A run that takes longer than this is killed and fails the test.
constexpr auto kTimeout = std::chrono::seconds(60);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, or 0
  bool timed_out = false;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const RunResult& r) {
  return os << "exit " << r.exit_code << ", signal " << r.signal
            << (r.timed_out ? " (timed out)" : "") << "\n--- stdout:\n"
            << r.out << "\n--- stderr:\n"
            << r.err;
}

std::string FixturesModule() {
  return (fs::path(UNUM_BINARY).parent_path() / "apps" / "unum-cli-fixtures.so")
      .string();
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// A scratch directory for this test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::path(::testing::TempDir()) /
            ("unum_cli_test_" + std::string(info->name()) + "_" +
             std::to_string(getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string Path(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Runs `unum args...` in the source directory with `stdin_text` on stdin
// (none: an empty stdin) and an environment without UNUM_* variables.
RunResult RunUnum(const std::vector<std::string>& args,
                  const std::optional<std::string>& stdin_text = std::nullopt) {
  RunResult result;
  ChildSpec spec{.argv = {UNUM_BINARY}, .working_dir = UNUM_SOURCE_DIR};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (strncmp(*e, "UNUM_", 5) != 0) env.emplace_back(*e);
  }
  spec.env = std::move(env);
  ChildRun run;
  run.input = stdin_text.value_or("");
  run.deadline = std::chrono::steady_clock::now() + kTimeout;
  run.max_stderr = 1 << 20;
  auto ran = RunChild(std::move(spec), run);
  if (!ran.ok()) {
    ADD_FAILURE() << "cannot start " << UNUM_BINARY << ": "
                  << ran.status().ToString();
    return result;
  }
  result.exit_code = ran->exit.code;
  result.signal = ran->exit.signal;
  result.timed_out = ran->ended == ChildResult::Ended::kTimedOut;
  result.out = std::move(ran->out);
  result.err = std::move(ran->err);
  EXPECT_FALSE(result.timed_out)
      << "unum did not finish within " << kTimeout.count() << " s";
  return result;
}

// `unum run <app> [extra...]` with `--no-progress` and a timeout.
RunResult RunApp(const std::string& app, std::vector<std::string> extra = {},
                 const std::optional<std::string>& stdin_text = std::nullopt) {
  std::vector<std::string> args = {"run", app, "--no-progress", "--timeout",
                                   "30"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunUnum(args, stdin_text);
}

// Skips the test when the example module it needs was not built (e.g.
// UNUM_BUILD_EXAMPLES=OFF).
#define REQUIRE_MODULE(name)                                         \
  do {                                                               \
    const fs::path m =                                               \
        fs::path(UNUM_BINARY).parent_path() / "apps" / (name ".so"); \
    if (!fs::exists(m)) GTEST_SKIP() << m << " was not built";       \
  } while (0)

// ---------------------------------------------------------------------------
// Successful runs.

TEST(UnumRunTest, HelloWorldPrintsTheExpectedOutput) {
  REQUIRE_MODULE("hello-world");
  RunResult r =
      RunUnum({"run", "examples/hello-world", "--input",
               "examples/hello-world/events/event.json", "--compact"});
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, "\"Hello, Ada, and hello world!\"\n") << r;
  EXPECT_EQ(json::parse(r.out),
            json::parse(ReadFile(fs::path(UNUM_SOURCE_DIR) /
                                 "examples/hello-world/expected/output.json")));
  EXPECT_EQ(r.err, "") << r;
}

TEST(UnumRunTest, InputFromStdin) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world", {"--input", "-", "--compact"},
                       R"({"name": "Bob"})");
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, "\"Hello, Bob, and hello world!\"\n") << r;
}

TEST(UnumRunTest, InputDefaultsToStdin) {
  REQUIRE_MODULE("hello-world");
  RunResult r =
      RunApp("examples/hello-world", {"--compact"}, R"({"name": "Eve"})");
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, "\"Hello, Eve, and hello world!\"\n") << r;
}

TEST(UnumRunTest, StatsPrintsDatastoreOperationsToStderr) {
  REQUIRE_MODULE("hello-world");
  RunResult r =
      RunApp("examples/hello-world",
             {"--input", "examples/hello-world/events/event.json", "--compact",
              "--stats", "--session", "cli-test-session"});
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  // The result stays alone on stdout; the table goes to stderr.
  EXPECT_EQ(r.out, "\"Hello, Ada, and hello world!\"\n") << r;
  EXPECT_THAT(r.err, AllOf(HasSubstr("session cli-test-session\n"),
                           HasSubstr("datastore operations"),
                           // Hello and World each checkpoint once.
                           ::testing::ContainsRegex("\n +put checkpoint +2\n"),
                           HasSubstr("get checkpoint")))
      << r;
}

// ---------------------------------------------------------------------------
// unum validate.

TEST(UnumValidateTest, WordcountIsValid) {
  RunResult r = RunUnum({"validate", "examples/wordcount"});
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_THAT(r.out, HasSubstr("app \"wordcount\" is valid: 5 functions, "
                               "starts at \"Splitter\""))
      << r;
}

TEST(UnumValidateTest, MalformedIrIsBadInput) {
  RunResult r = RunUnum({"validate", "tests/fixtures/bad-json-ir"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("tests/fixtures/bad-json-ir/a/unum_config.json"))
      << r;
}

TEST(UnumValidateTest, ModuleMissingAFunctionIsBadInput) {
  RunResult r = RunUnum({"validate", "tests/fixtures/missing-function",
                         "--module", FixturesModule()});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("function \"Missing\" is not in module")) << r;
}

// ---------------------------------------------------------------------------
// Bad input: exit 2, stderr says what and where.

TEST(UnumRunErrorTest, MalformedIrJsonNamesTheFile) {
  RunResult r = RunApp("tests/fixtures/bad-json-ir", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("unum: error: "),
                    HasSubstr("tests/fixtures/bad-json-ir/a/unum_config.json"),
                    HasSubstr("invalid JSON")))
      << r;
  EXPECT_EQ(r.out, "") << r;
}

TEST(UnumRunErrorTest, UnknownEdgeTypeNamesFunctionAndField) {
  RunResult r = RunApp("tests/fixtures/unknown-edge-type", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("tests/fixtures/unknown-edge-type/mapper/"
                               "unum_config.json: function \"Mapper\": "
                               "Next.InputType: unknown edge type \"Mapp\""))
      << r;
}

TEST(UnumRunErrorTest, FunctionMissingFromModuleSaysWhatTheModuleHas) {
  RunResult r = RunApp("tests/fixtures/missing-function", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("function \"Missing\" is not in module"),
                    HasSubstr("unum-cli-fixtures.so"), HasSubstr("it has: "),
                    HasSubstr("Present"), HasSubstr("UNUM_FUNCTION(Missing)")))
      << r;
}

TEST(UnumRunErrorTest, InputFileMissing) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world",
                       {"--input", "examples/hello-world/events/no-such.json"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("examples/hello-world/events/no-such.json"))
      << r;
}

TEST(UnumRunErrorTest, InputFileNotJson) {
  REQUIRE_MODULE("hello-world");
  TempDir tmp;
  const std::string path = tmp.Write("input.json", "{\"name\": Ada}\n");
  RunResult r = RunApp("examples/hello-world", {"--input", path});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, AllOf(HasSubstr(path), HasSubstr("invalid JSON"))) << r;
}

TEST(UnumRunErrorTest, StdinNotJson) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world", {"--input", "-"}, "not json");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("invalid JSON")) << r;
}

TEST(UnumRunErrorTest, DeeplyNestedInputIsRefused) {
  REQUIRE_MODULE("hello-world");
  TempDir tmp;
  const std::string path =
      tmp.Write("deep.json", std::string(10000, '[') + std::string(10000, ']'));
  RunResult r = RunApp("examples/hello-world", {"--input", path});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("input " + path +
                               ": JSON nested deeper than 1000 levels (at "
                               "byte 1000)"))
      << r;
}

TEST(UnumRunErrorTest, BadSessionIdsAreRefused) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world", {"--session", "a/b"}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("--session: session id \"a/b\" contains '/' "
                               "at position 1"))
      << r;
  r = RunApp("examples/hello-world", {"--session", "tab\there"}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("contains byte 0x09 at position 3")) << r;
  r = RunApp("examples/hello-world", {"--session", std::string(10000, 'x')},
             "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("is 10000 characters long; at most 128")) << r;
  r = RunUnum({"resume", "bad/id", "examples/hello-world", "--store",
               "sqlite:///nonexistent/x.db"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("SESSION: session id \"bad/id\" contains "
                               "'/'"))
      << r;
}

TEST(UnumRunErrorTest, AppDirMissing) {
  RunResult r = RunApp("tests/fixtures/no-such-app", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("tests/fixtures/no-such-app")) << r;
}

TEST(UnumRunErrorTest, UnknownStoreSchemeNamesTheUrl) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world",
                       {"--input", "examples/hello-world/events/event.json",
                        "--store", "bogus://somewhere/x"});
  EXPECT_THAT(r.exit_code, AnyOf(kExitBadInput, 3)) << r;
  EXPECT_THAT(r.err, HasSubstr("bogus://somewhere/x")) << r;
  EXPECT_EQ(r.out, "") << r;
}

TEST(UnumRunErrorTest, BadPlatformOptionIsBadInput) {
  REQUIRE_MODULE("hello-world");
  RunResult r = RunApp("examples/hello-world",
                       {"--input", "examples/hello-world/events/event.json",
                        "--platform", "inproc://?wrokers=2"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("wrokers")) << r;
}

TEST(UnumRunErrorTest, UsageErrorsAreBadInput) {
  EXPECT_EQ(RunUnum({}).exit_code, kExitBadInput);
  EXPECT_EQ(RunUnum({"run"}).exit_code, kExitBadInput);
  EXPECT_EQ(
      RunUnum({"run", "examples/hello-world", "--no-such-flag"}).exit_code,
      kExitBadInput);
}

// ---------------------------------------------------------------------------
// Workflow failures: exit 1, stderr names the function and the instance.

TEST(UnumRunFailureTest, MapEdgeOverNonArraySaysItNeedsAnArray) {
  RunResult r = RunApp("tests/fixtures/map-non-array", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err, AllOf(HasSubstr("workflow failed in function \"Gen\""),
                           HasSubstr("Next (to \"Each\")"),
                           HasSubstr("needs an array output, got object")))
      << r;
  EXPECT_EQ(r.out, "") << r;
}

// Reported bug (src/runtime/runtime.cc, Runtime::Fail): a non-retryable
// failure (here the Map edge over an object) records the session as failed
// "after 1 attempt(s)" but still returns an error to the platform, which
// re-delivers it twice; each re-delivery logs "failed (attempt N of 3)"
// again, contradicting the recorded outcome. Expected: no re-delivery.
TEST(UnumRunFailureTest, NonRetryableFailureIsNotRedelivered) {
  RunResult r = RunApp("tests/fixtures/map-non-array", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err, HasSubstr("(instance \"Gen\", after 1 attempt(s))")) << r;
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("attempt 2 of 3")))
      << "BUG(runtime.cc Runtime::Fail): a non-retryable failure is retried\n"
      << r;
}

TEST(UnumRunFailureTest, ThrowingFunctionFailsAfterThreeAttempts) {
  RunResult r = RunApp("tests/fixtures/always-throws", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err, HasSubstr("unum: error: workflow failed in function "
                               "\"Boom\" (instance \"Boom-unumIndex-0\", "
                               "after 3 attempt(s)): boom\n"))
      << r;
  EXPECT_EQ(r.out, "") << r;
}

// ---------------------------------------------------------------------------
// `Runtime: exec` functions.

TEST(UnumRunExecTest, TwoExecFunctionsNeedNoModule) {
  RunResult r =
      RunApp("tests/fixtures/exec-only", {"--compact"}, R"({"n": 1})");
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out,
            R"({"attempt":1,"fn":"Env","in":{"got":{"n":1}},"instance":"Env"})"
            "\n")
      << r;
}

TEST(UnumRunExecTest, ExecFunctionChainedToCpp) {
  RunResult r = RunApp("tests/fixtures/exec-mixed", {"--compact"},
                       R"({"n": [1, "two"]})");
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, R"({"function":"Annotate","input":{"got":{"n":[1,"two"]}}})"
                   "\n")
      << r;
}

TEST(UnumRunExecTest, FailingExecFunctionReportsItsStderr) {
  RunResult r = RunApp("tests/fixtures/exec-fails", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err, AllOf(HasSubstr("workflow failed in function \"Fail\""),
                           HasSubstr("3 attempt(s)"), HasSubstr("bad thing")))
      << r;
}

TEST(UnumRunExecTest, ExecFunctionPrintingInvalidJson) {
  RunResult r = RunApp("tests/fixtures/exec-bad-json", {}, "{}");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err,
              AllOf(HasSubstr("workflow failed in function \"Garble\""),
                    HasSubstr("garble.sh printed no valid JSON on stdout"),
                    HasSubstr("this is not json")))
      << r;
}

// Reported bug (src/app/exec_function.cc, ExecFunction::Run): an exec
// function that answers without reading all of a large input makes the
// parent's write to the closed pipe raise SIGPIPE, which kills `unum`.
// Expected: the write fails with EPIPE and the function's output is used.
TEST(UnumRunExecTest, ExecFunctionIgnoringLargeInputDoesNotKillUnum) {
  const std::string big =
      json{{"blob", std::string(1 << 20, 'x')}}.dump();  // > a pipe buffer
  RunResult r = RunApp("tests/fixtures/exec-ignores-stdin", {"--compact"}, big);
  EXPECT_EQ(r.signal, 0) << "BUG(exec_function.cc): unum killed by signal "
                         << r.signal << " (SIGPIPE is " << SIGPIPE << ")";
  EXPECT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, "{\"ok\":true}\n") << r;
}

// A Step Functions state machine named by the template, over an exec
// function that fails with a named error (tests/fixtures/sfn-exec).
TEST(UnumStepFunctionsTest, TemplateWorkflowRunsAndCatchesANamedError) {
  RunResult ok = RunApp("tests/fixtures/sfn-exec", {"--compact"},
                        R"({"name": "ann", "x": 1})");
  ASSERT_EQ(ok.exit_code, kExitOk) << ok;
  EXPECT_EQ(ok.out, R"({"name":"ann","result":{"ok":true}})"
                    "\n")
      << ok;
  RunResult caught =
      RunApp("tests/fixtures/sfn-exec", {"--compact"}, R"({"name": "bad"})");
  ASSERT_EQ(caught.exit_code, kExitOk) << caught;
  EXPECT_EQ(
      caught.out,
      R"({"error":{"Cause":"no bad names","Error":"BadName"},"name":"bad"})"
      "\n")
      << caught;
}

TEST(UnumStepFunctionsTest, UncaughtErrorFailsWithErrorAndCause) {
  RunResult r =
      RunApp("tests/fixtures/sfn-exec",
             {"--definition", "tests/fixtures/sfn-exec/uncaught.json"},
             R"({"name": "bad"})");
  EXPECT_EQ(r.exit_code, kExitWorkflowFailed) << r;
  EXPECT_THAT(r.err, HasSubstr("workflow failed: BadName: no bad names (in "
                               "\"Check\")"))
      << r;
}

TEST(UnumStepFunctionsTest, BadDefinitionIsBadInputNamingTheState) {
  RunResult r =
      RunApp("tests/fixtures/sfn-exec",
             {"--definition", "tests/fixtures/sfn-exec/bad-next.json"}, "{}");
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, AllOf(HasSubstr("bad-next.json"), HasSubstr("\"Check\""),
                           HasSubstr("Nowhere")))
      << r;
}

TEST(UnumCompileTest, WritesIrAndPrintsInvocationsVersusTransitions) {
  TempDir out;
  RunResult r =
      RunUnum({"compile", "tests/fixtures/sfn-exec", "--out", out.Path("ir")});
  ASSERT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out,
            "unum-cli-sfn-exec: 2 functions (1 for Task states, 1 helpers), "
            "starts at \"unum-start\"\n"
            "  helper unum-start: the workflow starts with Pass state "
            "\"Normalize\", which no Task runs before\n"
            "1 path(s) through the workflow:\n"
            "  1. Normalize -> Check (succeeds): Unum 2 invocation(s), Step "
            "Functions 2 state transition(s)\n")
      << r;
  const json ir = json::parse(
      ReadFile(fs::path(out.Path("ir")) / "Check" / "unum_config.json"));
  EXPECT_EQ(ir["Name"], "Check");
  EXPECT_EQ(ir["StateMachine"]["Handler"], "Check");
  EXPECT_EQ(ir["StateMachine"]["Role"], "Task");
  const json start = json::parse(
      ReadFile(fs::path(out.Path("ir")) / "unum-start" / "unum_config.json"));
  EXPECT_EQ(start["Start"], true);
  EXPECT_EQ(start["Next"][0]["Name"], "Check");
}

TEST(UnumCompileTest, AppWithoutAStateMachineIsBadInput) {
  RunResult r = RunUnum({"compile", "examples/hello-world"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("names no state machine")) << r;
}

// ---------------------------------------------------------------------------
// unum graph, unum trace, unum sessions.

TEST(UnumGraphTest, PrintsDotForAnExample) {
  RunResult r = RunUnum({"graph", "examples/hello-world"});
  EXPECT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out,
            "digraph \"hello-world\" {\n"
            "  rankdir=TB;\n"
            "  node [shape=box, style=rounded, fontname=\"Helvetica\", "
            "fontsize=12];\n"
            "  edge [fontname=\"Helvetica\", fontsize=10];\n"
            "  \"Hello\" [id=\"fn_Hello\", label=\"Hello\", peripheries=2];\n"
            "  \"World\" [id=\"fn_World\", label=\"World\"];\n"
            "  \"Hello\" -> \"World\";\n"
            "}\n")
      << r;
}

TEST(UnumGraphTest, WritesSvgToAFile) {
  TempDir tmp;
  const std::string out = tmp.Path("g.svg");
  RunResult r =
      RunUnum({"graph", "examples/wordcount", "--format", "svg", "--out", out});
  EXPECT_EQ(r.exit_code, kExitOk) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(ReadFile(out), HasSubstr("<g id=\"fn_Mapper\" class=\"node\">"));
}

TEST(UnumGraphTest, BadInput) {
  RunResult r = RunUnum({"graph", "tests/fixtures/no-such-app"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("tests/fixtures/no-such-app")) << r;
  EXPECT_EQ(
      RunUnum({"graph", "examples/hello-world", "--format", "gif"}).exit_code,
      kExitBadInput);
}

TEST(UnumTraceTest, TraceAndSessionsOfAFailedRun) {
  TempDir tmp;
  const std::string store = "sqlite://" + tmp.Path("t.db");
  RunResult run = RunApp("tests/fixtures/exec-fails",
                         {"--store", store, "--session", "failing-1"}, "{}");
  ASSERT_EQ(run.exit_code, kExitWorkflowFailed) << run;

  RunResult t = RunUnum({"trace", "failing-1", "--store", store});
  EXPECT_EQ(t.exit_code, kExitOk) << t;
  EXPECT_THAT(t.out, AllOf(HasSubstr("session failing-1  FAILED  3 deliveries"),
                           HasSubstr("failed in Fail: bad thing\n"),
                           HasSubstr("failed                   3  Fail  "
                                     "error: bad thing\n")))
      << t;

  RunResult svg =
      RunUnum({"trace", "failing-1", "--store", store, "--format", "svg"});
  EXPECT_EQ(svg.exit_code, kExitOk) << svg;
  EXPECT_THAT(svg.out, HasSubstr("<rect class=\"bar failed\"")) << svg;

  RunResult list = RunUnum({"sessions", "--store", store});
  EXPECT_EQ(list.exit_code, kExitOk) << list;
  EXPECT_THAT(list.out, HasSubstr("  FAILED   ")) << list;
  EXPECT_THAT(list.out, HasSubstr("           3  failing-1\n")) << list;

  RunResult nope = RunUnum({"trace", "nope", "--store", store});
  EXPECT_EQ(nope.exit_code, kExitBadInput) << nope;
  EXPECT_EQ(nope.err,
            "unum: error: no session \"nope\" in this store (no session "
            "record, no trace)\n");
}

TEST(UnumTraceTest, NoTraceRecordsNothing) {
  TempDir tmp;
  const std::string store = "sqlite://" + tmp.Path("t.db");
  RunResult run =
      RunApp("tests/fixtures/exec-fails",
             {"--store", store, "--session", "quiet-1", "--no-trace"}, "{}");
  ASSERT_EQ(run.exit_code, kExitWorkflowFailed) << run;
  RunResult t = RunUnum({"trace", "quiet-1", "--store", store});
  EXPECT_EQ(t.exit_code, kExitOk) << t;
  EXPECT_THAT(t.out, HasSubstr("session quiet-1  FAILED  0 deliveries")) << t;
}

TEST(UnumUiTest, BadStoreAndBusyPortAreClearErrors) {
  RunResult bad = RunUnum({"ui", "--store", "bogus://x", "--port", "0"});
  EXPECT_EQ(bad.exit_code, kExitBadInput) << bad;
  EXPECT_THAT(bad.err, HasSubstr("unknown scheme 'bogus'")) << bad;

  // A port this test holds open.
  const int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(sock, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(sock, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  RunResult busy = RunUnum({"ui", "--store", "memory://", "--port", port});
  close(sock);
  EXPECT_EQ(busy.exit_code, 3) << busy;
  EXPECT_EQ(busy.err, "unum: error: cannot listen on 127.0.0.1:" + port +
                          " (in use? try --port 0)\n");
}

}  // namespace

// ---------------------------------------------------------------------------
// unum run --stats-json and unum cost (docs/cost.md).

namespace {

json ReadJsonFile(const std::string& path) {
  return json::parse(ReadFile(path));
}

const json& CostLine(const json& section, const std::string& item) {
  for (const json& l : section["lines"]) {
    if (l["item"] == item) return l;
  }
  ADD_FAILURE() << "no line \"" << item << "\" in " << section.dump();
  static const json none = json::object();
  return none;
}

// What a --stats-json document implies for the Unum section, computed here
// from its counts (independently of src/cost).
struct Implied {
  int64_t requests = 0, billed_ms = 0, wru = 0, rru = 0, reads = 0, writes = 0,
          task_requests = 0, task_billed_ms = 0;
};

Implied ImpliedBy(const json& stats) {
  Implied i;
  for (const auto& [name, f] : stats["functions"].items()) {
    i.requests += f["deliveries"].get<int64_t>();
    i.billed_ms += f["billed_ms"].get<int64_t>();
    if (!f["helper"].get<bool>()) {
      i.task_requests +=
          f["deliveries"].get<int64_t>() - f["duplicates"].get<int64_t>();
      i.task_billed_ms += f["billed_ms"].get<int64_t>() -
                          f["duplicate_billed_ms"].get<int64_t>();
    }
  }
  for (const auto& [kind, op] : stats["datastore"]["ops"].items()) {
    if (op.contains("write")) {
      i.wru += op["write"]["wru"].get<int64_t>();
      i.writes += op["write"]["items"].get<int64_t>();
    }
    if (op.contains("read")) {
      i.rru += op["read"]["rru"].get<int64_t>();
      i.reads += kind == "get_checkpoints" ? op["count"].get<int64_t>()
                                           : op["read"]["items"].get<int64_t>();
    }
  }
  return i;
}

TEST(UnumCostTest, StateMachineCostIsWhatItsStatsJsonImplies) {
  REQUIRE_MODULE("wordcount");
  TempDir tmp;
  const std::string stats_path = tmp.Path("stats.json");
  RunResult run = RunApp(
      "examples/wordcount",
      {"--definition", "examples/wordcount/unum-step-functions.json", "-i",
       "examples/wordcount/events/event.json", "--stats-json", stats_path});
  ASSERT_EQ(run.exit_code, kExitOk) << run;
  const json stats = ReadJsonFile(stats_path);
  EXPECT_EQ(stats["format"], "unum-run-stats");
  EXPECT_EQ(stats["version"], 1);
  EXPECT_EQ(stats["state_machine"], true);
  EXPECT_EQ(stats["outcome"], "SUCCEEDED");
  // Splitter, Map, 8 Mappers, Partition, Reduce, 4 Reducers, Summary.
  EXPECT_EQ(stats["state_transitions"], 17);
  // The same counts as --stats: ops by kind add up to the total.
  int64_t ops = 0;
  for (const auto& [kind, op] : stats["datastore"]["ops"].items()) {
    ops += op["count"].get<int64_t>();
  }
  EXPECT_EQ(stats["datastore"]["total_ops"], ops);
  EXPECT_GT(ops, 0);

  RunResult cost = RunUnum({"cost", "--from-stats", stats_path, "--json"});
  ASSERT_EQ(cost.exit_code, kExitOk) << cost;
  const json report = json::parse(cost.out);
  const Implied i = ImpliedBy(stats);
  const json& unum = report["unum"];
  // Every delivery is timed: 15 Tasks, no helpers.
  EXPECT_EQ(i.requests, stats["runtime"]["deliveries"]);
  EXPECT_EQ(i.requests, 15);
  EXPECT_EQ(CostLine(unum, "Lambda requests")["quantity"], i.requests);
  EXPECT_NEAR(CostLine(unum, "Lambda requests")["dollars"].get<double>(),
              i.requests * 0.20, 1e-9);
  const double unum_ms =
      i.billed_ms + i.reads * 7.0 + i.writes * 20.0 +
      stats["runtime"]["invocations_sent"].get<int64_t>() * 44.0;
  EXPECT_NEAR(CostLine(unum, "Lambda duration")["quantity"].get<double>(),
              unum_ms / 1000 * 128 / 1024, 1e-12);
  EXPECT_EQ(CostLine(unum, "DynamoDB writes")["quantity"], i.wru);
  EXPECT_NEAR(CostLine(unum, "DynamoDB writes")["dollars"].get<double>(),
              i.wru * 0.625, 1e-9);
  EXPECT_EQ(CostLine(unum, "DynamoDB reads")["quantity"], i.rru);
  EXPECT_NEAR(CostLine(unum, "DynamoDB reads")["dollars"].get<double>(),
              i.rru * 0.125, 1e-9);

  const json& standard = report["standard"];
  EXPECT_EQ(CostLine(standard, "state transitions")["quantity"], 17);
  EXPECT_NEAR(CostLine(standard, "state transitions")["dollars"].get<double>(),
              17 * 25.0, 1e-9);
  // Tasks: Splitter, 8 Mappers, Partition, 4 Reducers, Summary.
  EXPECT_EQ(i.task_requests, 15);
  EXPECT_EQ(CostLine(standard, "Task Lambda requests")["quantity"], 15);
  EXPECT_NEAR(
      CostLine(standard, "Task Lambda duration")["quantity"].get<double>(),
      i.task_billed_ms / 1000.0 * 128 / 1024, 1e-12);
  EXPECT_NEAR(report["standard_over_unum"].get<double>(),
              standard["total"].get<double>() / unum["total"].get<double>(),
              1e-9);
}

TEST(UnumCostTest, LiveRunPrintsEverySectionWithTheCountsOfAStatsRun) {
  REQUIRE_MODULE("wordcount");
  TempDir tmp;
  const std::string stats_path = tmp.Path("stats.json");
  RunResult run = RunApp("examples/wordcount",
                         {"-i", "examples/wordcount/events/event.json",
                          "--stats-json", stats_path});
  ASSERT_EQ(run.exit_code, kExitOk) << run;
  const json stats = ReadJsonFile(stats_path);
  EXPECT_EQ(stats["state_machine"], false);
  EXPECT_TRUE(stats["state_transitions"].is_null());
  const Implied i = ImpliedBy(stats);

  RunResult text = RunUnum({"cost", "examples/wordcount", "-i",
                            "examples/wordcount/events/event.json"});
  ASSERT_EQ(text.exit_code, kExitOk) << text;
  for (const char* section :
       {"Unum (Lambda + DynamoDB)", "Step Functions Standard",
        "Step Functions Express", "Reference op pattern", "Standard / Unum: ",
        "Lambda billed ms = ", "no state machine: transitions estimated",
        "prices: us-east-1 list prices of 2026-11-28"}) {
    EXPECT_THAT(text.out, HasSubstr(section)) << text;
  }

  // The same app run again by `unum cost` does the same work.
  RunResult live = RunUnum({"cost", "examples/wordcount", "-i",
                            "examples/wordcount/events/event.json", "--json",
                            "--memory-mb", "256"});
  ASSERT_EQ(live.exit_code, kExitOk) << live;
  const json report = json::parse(live.out);
  EXPECT_EQ(report["memory_mb"], 256);
  EXPECT_EQ(CostLine(report["unum"], "Lambda requests")["quantity"],
            i.requests);
  EXPECT_EQ(CostLine(report["unum"], "DynamoDB writes")["quantity"], i.wru);
  EXPECT_EQ(CostLine(report["unum"], "DynamoDB reads")["quantity"], i.rru);
  EXPECT_EQ(CostLine(report["standard"], "state transitions")["quantity"],
            stats["runtime"]["user_runs"].get<int64_t>() + 2);
  EXPECT_EQ(CostLine(report["reference"], "DynamoDB reads")["quantity"],
            stats["runtime"]["user_runs"]);
}

TEST(UnumCostTest, ExpiryGcTradesDeleteWritesForStorage) {
  REQUIRE_MODULE("wordcount");
  TempDir tmp;
  json stats[2];
  const char* policies[2] = {"delete", "expire"};
  for (int k = 0; k < 2; ++k) {
    const std::string path = tmp.Path(std::string(policies[k]) + ".json");
    RunResult run = RunApp("examples/wordcount",
                           {"-i", "examples/wordcount/events/event.json",
                            "--gc", policies[k], "--stats-json", path});
    ASSERT_EQ(run.exit_code, kExitOk) << run;
    stats[k] = ReadJsonFile(path);
    EXPECT_EQ(stats[k]["gc"], policies[k]);
  }
  const auto& del = stats[0]["datastore"]["ops"];
  const auto& exp = stats[1]["datastore"]["ops"];
  // Same checkpoints written; no checkpoint deleted with expiry.
  EXPECT_EQ(exp["put_checkpoint"]["count"], del["put_checkpoint"]["count"]);
  EXPECT_GT(del["delete_checkpoint"]["count"].get<int64_t>(), 0);
  EXPECT_EQ(exp["delete_checkpoint"]["count"], 0);
  EXPECT_LT(stats[1]["datastore"]["total_ops"].get<int64_t>(),
            stats[0]["datastore"]["total_ops"].get<int64_t>());
  RunResult cost = RunUnum({"cost", "--from-stats", tmp.Path("expire.json")});
  ASSERT_EQ(cost.exit_code, kExitOk) << cost;
  EXPECT_THAT(cost.out,
              HasSubstr("GarbageCollection: expire: the run's checkpoints ("));
  RunResult live =
      RunUnum({"cost", "examples/wordcount", "-i",
               "examples/wordcount/events/event.json", "--gc", "expire"});
  ASSERT_EQ(live.exit_code, kExitOk) << live;
  EXPECT_THAT(live.out, HasSubstr("GarbageCollection: expire"));
}

TEST(UnumCostTest, BadPricesFileNamesTheFileAndField) {
  TempDir tmp;
  const std::string stats_path = tmp.Path("stats.json");
  const std::string prices = tmp.Write("prices.json", R"({"date": "x",
    "source": "s", "region": "r", "lambda": {"request_per_million": 0.2}})");
  RunResult r =
      RunUnum({"cost", "--from-stats", stats_path, "--prices", prices});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("unum: error: price file " + prices +
                               ": field \"lambda.gb_second\" is missing"));

  const std::string not_json = tmp.Write("broken.json", "{");
  r = RunUnum({"cost", "--from-stats", stats_path, "--prices", not_json});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("price file " + not_json + ": invalid JSON"));

  r = RunUnum({"cost", "--from-stats", tmp.Path("none.json")});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("stats file " + tmp.Path("none.json") +
                               " cannot be read"));

  const std::string bad_stats =
      tmp.Write("bad-stats.json", R"({"format": "unum-run-stats",
        "version": 1, "app": "a", "session": "s", "state_machine": false,
        "outcome": "SUCCEEDED"})");
  r = RunUnum({"cost", "--from-stats", bad_stats});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("stats file " + bad_stats +
                               ": field \"wall_seconds\" is missing"));

  r = RunUnum({"cost"});
  EXPECT_EQ(r.exit_code, kExitBadInput) << r;
  EXPECT_THAT(r.err, HasSubstr("give an app directory or --from-stats"));
}

}  // namespace
