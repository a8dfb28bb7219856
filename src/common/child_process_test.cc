#include "common/child_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace unum {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Alive and not a zombie (an orphan reparented to a PID 1 that does not
// reap would stay a zombie: that is dead for us).
bool Alive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return false;
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() &&
         stat[close + 2] != 'Z';
}

// Waits up to 5 s for `pid` to be gone.
bool GoneSoon(pid_t pid) {
  const auto until = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < until) {
    if (!Alive(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

ChildResult RunArgv(std::vector<std::string> argv, ChildRun run = {}) {
  auto r = RunChild(ChildSpec{.argv = std::move(argv)}, run);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ChildResult{};
}

TEST(ChildProcessTest, FeedsStdinAndCapturesStdout) {
  ChildRun run;
  run.input = std::string(300000, 'x') + "end";  // more than a pipe holds
  ChildResult r = RunArgv({"cat"}, run);
  EXPECT_EQ(r.ended, ChildResult::Ended::kExited);
  EXPECT_TRUE(r.exit.ok());
  EXPECT_EQ(r.out, run.input);
}

TEST(ChildProcessTest, ReportsExitCodesAndSignals) {
  ChildResult code = RunArgv({"sh", "-c", "echo oops >&2; exit 3"});
  EXPECT_EQ(code.exit.code, 3);
  EXPECT_EQ(code.exit.signal, 0);
  EXPECT_EQ(code.err, "oops\n");
  EXPECT_EQ(code.exit.ToString(), "exit status 3");
  ChildResult sig = RunArgv({"sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(sig.exit.code, -1);
  EXPECT_EQ(sig.exit.signal, SIGTERM);
  EXPECT_THAT(sig.exit.ToString(), HasSubstr("signal 15"));
}

TEST(ChildProcessTest, MissingProgramIsNotFoundNamingIt) {
  auto r = RunChild(ChildSpec{.argv = {"no-such-program-xyz"}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("no-such-program-xyz"));
  auto path = RunChild(ChildSpec{.argv = {"/nonexistent/tool"}}, {});
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(path.status().message(), HasSubstr("/nonexistent/tool"));
  auto dir = RunChild(
      ChildSpec{.argv = {"true"}, .working_dir = "/nonexistent-dir"}, {});
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().message(), HasSubstr("/nonexistent-dir"));
}

TEST(ChildProcessTest, WorkingDirectoryAndEnvironment) {
  auto r = RunChild(
      ChildSpec{
          .argv = {"sh", "-c", "pwd; echo \"$FOO\""},
          .working_dir = "/tmp",
          .env = std::vector<std::string>{"FOO=bar", "PATH=/usr/bin:/bin"}},
      {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "/tmp\nbar\n");
}

TEST(ChildProcessTest, ProgramStartsWithDefaultSignalsAndNoExtraFds) {
  // This process ignores SIGPIPE (RunChild sets that up); the program
  // must not inherit it, nor any blocked signal, nor our descriptors.
  ChildResult status =
      RunArgv({"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"});
  EXPECT_EQ(status.out,
            "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
  ChildResult fds = RunArgv({"ls", "/proc/self/fd"});
  // 0, 1, 2 and the directory ls itself has open.
  EXPECT_EQ(std::count(fds.out.begin(), fds.out.end(), '\n'), 4) << fds.out;
}

TEST(ChildProcessTest, TimeoutKillsTheWholeGroup) {
  ChildRun run;
  run.deadline = Clock::now() + std::chrono::milliseconds(300);
  const auto start = Clock::now();
  // The background sleep prints its pid, then both sleep.
  ChildResult r = RunArgv({"sh", "-c", "sleep 60 & echo $!; sleep 60"}, run);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.ended, ChildResult::Ended::kTimedOut);
  EXPECT_EQ(r.exit.signal, SIGKILL);
  const pid_t background = std::stoi(r.out);
  EXPECT_TRUE(GoneSoon(background)) << background;
}

TEST(ChildProcessTest, BackgroundChildHoldingStdoutDoesNotHangTheRun) {
  const auto start = Clock::now();
  ChildResult r = RunArgv({"sh", "-c", "sleep 60 & echo $!"});
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.ended, ChildResult::Ended::kExited);
  EXPECT_TRUE(r.exit.ok());
  EXPECT_TRUE(GoneSoon(std::stoi(r.out)));
}

TEST(ChildProcessTest, OutputLimitStopsReadingAndKills) {
  ChildRun run;
  run.max_stdout = 1000;
  const auto start = Clock::now();
  ChildResult r = RunArgv({"cat", "/dev/zero"}, run);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.ended, ChildResult::Ended::kOutputLimit);
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_EQ(r.exit.signal, SIGKILL);
  // Exactly at the limit is fine.
  ChildRun exact;
  exact.max_stdout = 5;
  ChildResult ok = RunArgv({"printf", "12345"}, exact);
  EXPECT_EQ(ok.ended, ChildResult::Ended::kExited);
  EXPECT_EQ(ok.out, "12345");
}

TEST(ChildProcessTest, KeepsTheTailOfStderr) {
  ChildRun run;
  run.max_stderr = 10;
  ChildResult r = RunArgv({"sh", "-c",
                       "head -c 200000 /dev/zero | tr '\\0' a >&2; "
                       "echo last-line >&2"},
                      run);
  EXPECT_EQ(r.err, "last-line\n");
}

TEST(ChildProcessTest, CancelFdKills) {
  const int cancel = eventfd(0, EFD_CLOEXEC);
  ASSERT_GE(cancel, 0);
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const uint64_t one = 1;
    EXPECT_EQ(write(cancel, &one, sizeof one), 8);
  });
  ChildRun run;
  run.cancel_fd = cancel;
  ChildResult r = RunArgv({"sleep", "60"}, run);
  canceller.join();
  close(cancel);
  EXPECT_EQ(r.ended, ChildResult::Ended::kCancelled);
  EXPECT_EQ(r.exit.signal, SIGKILL);
}

TEST(ChildProcessTest, GroupDiesWithTheThreadThatStartedIt) {
  // The keeper's parent-death signal: the starting thread ends without
  // stopping the child (as if the process were killed); the program and
  // its children go with it.
  pid_t background = 0, keeper = 0;
  std::thread starter([&] {
    ChildSpec spec{.argv = {"sh", "-c", "sleep 60 & echo $!; sleep 60"}};
    spec.out = ChildStream::Pipe();
    auto child = ChildProcess::Start(spec);
    ASSERT_TRUE(child.ok()) << child.status().ToString();
    char buf[32] = {};
    ASSERT_GT(read((*child)->stdout_fd(), buf, sizeof buf - 1), 0);
    background = std::atoi(buf);
    keeper = (*child)->pid();
    (void)child->release();  // leaked on purpose: nothing kills it but death
  });
  starter.join();
  ASSERT_GT(background, 0);
  EXPECT_TRUE(GoneSoon(background));
  int status = 0;
  EXPECT_EQ(waitpid(keeper, &status, 0), keeper);
}

TEST(ChildProcessTest, StartWaitSignalAndFiles) {
  const fs::path out = fs::path(::testing::TempDir()) /
                       ("child_out_" + std::to_string(getpid()));
  ChildSpec spec{.argv = {"sh", "-c", "echo started; exec sleep 60"}};
  spec.out = ChildStream::File(out.string());
  auto child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  EXPECT_TRUE((*child)->running());
  EXPECT_FALSE((*child)->Wait(std::chrono::milliseconds(100)));
  (*child)->Signal(SIGTERM);
  auto status = (*child)->Wait(std::chrono::seconds(10));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->signal, SIGTERM);
  EXPECT_FALSE((*child)->running());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "started\n");
  fs::remove(out);
}

TEST(ChildProcessTest, DestructorKillsARunningChild) {
  pid_t background = 0;
  {
    ChildSpec spec{.argv = {"sh", "-c", "sleep 60 & echo $!; sleep 60"}};
    spec.out = ChildStream::Pipe();
    auto child = ChildProcess::Start(spec);
    ASSERT_TRUE(child.ok());
    char buf[32] = {};
    ASSERT_GT(read((*child)->stdout_fd(), buf, sizeof buf - 1), 0);
    background = std::atoi(buf);
  }
  EXPECT_TRUE(GoneSoon(background));
}

TEST(ChildProcessTest, FindProgram) {
  auto sh = FindProgram("sh");
  ASSERT_TRUE(sh.ok());
  EXPECT_THAT(*sh, HasSubstr("/sh"));
  EXPECT_EQ(*FindProgram("./x"), "./x");
  EXPECT_FALSE(FindProgram("sh", "/nonexistent").ok());
}

}  // namespace
}  // namespace unum
