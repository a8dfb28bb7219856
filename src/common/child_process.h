// ChildProcess: the one way Unum starts another program (exec functions,
// C++ functions isolated in a process, Graphviz, `sam deploy`, the local
// Lambda service's runtimes, the test servers and the tests' `unum` runs).
//
// A program is started without a shell (argv[0] is a path, or a name looked
// up on PATH) behind a keeper process that leads its own process group:
//
//   this process -- keeper (group leader) -- program -- program's children
//
// - The keeper has PR_SET_PDEATHSIG: when the thread that started it dies
//   (the whole process killed with SIGKILL included), it kills the group.
// - When the program exits, the keeper kills the rest of the group (a
//   background child left holding the pipes) and reports the program's
//   exit status. So nothing a program starts outlives it or its host,
//   unless it leaves the group itself (setsid, setpgid).
// - Kill() and timeouts kill the whole group with SIGKILL.
// - The program starts with default signal dispositions, no blocked
//   signals, and only its standard streams open.
//
// Start the child from a thread that lives as long as the child should:
// the parent-death signal follows that thread (Linux semantics).
//
// Thread-safety: Start and RunChild may be called from many threads at
// once; one ChildProcess object is used by one thread at a time.
#ifndef UNUM_COMMON_CHILD_PROCESS_H_
#define UNUM_COMMON_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "unum/status.h"

namespace unum {

// Where one of the child's standard streams goes.
struct ChildStream {
  enum class Kind {
    kInherit,       // this process's own stream
    kNull,          // /dev/null
    kPipe,          // a pipe this process reads (stdout/stderr) or writes
    kFile,          // `path` (stdin: read; stdout/stderr: truncated, or
                    // appended to with `append`)
    kParentStderr,  // this process's stderr (stdout only: logs, not data)
  };
  Kind kind = Kind::kInherit;
  std::string path;
  bool append = false;

  static ChildStream Inherit() { return {}; }
  static ChildStream Null() { return {Kind::kNull}; }
  static ChildStream Pipe() { return {Kind::kPipe}; }
  static ChildStream File(std::string p) { return {Kind::kFile, std::move(p)}; }
  static ChildStream AppendTo(std::string p) {
    return {Kind::kFile, std::move(p), true};
  }
  static ChildStream ParentStderr() { return {Kind::kParentStderr}; }
};

struct ChildSpec {
  std::vector<std::string> argv;  // argv[0]: a path or a name on PATH
  std::string working_dir;        // empty: this process's
  // The child's whole environment ("NAME=value"); nullopt: this process's.
  std::optional<std::vector<std::string>> env;
  ChildStream in = ChildStream::Null();
  ChildStream out = ChildStream::Inherit();
  ChildStream err = ChildStream::Inherit();
};

// How a child ended.
struct ExitStatus {
  int code = -1;   // the exit code; -1 when a signal ended it
  int signal = 0;  // the signal that ended it, else 0
  bool ok() const { return code == 0; }
  // "exit status 3" / "signal 9 (Killed)".
  std::string ToString() const;
};

class ChildProcess {
 public:
  // Starts `spec`. kNotFound when the program does not exist or cannot be
  // executed (the message names it); kInvalidArgument for an empty argv;
  // kUnavailable when the system refuses (fork, pipes).
  static Result<std::unique_ptr<ChildProcess>> Start(const ChildSpec& spec);

  // Kills the group and reaps the keeper unless the child was reaped.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The keeper's pid, which is also the process group id.
  pid_t pid() const { return pid_; }

  // The pipe ends of kPipe streams (-1 otherwise). Owned here; callers may
  // CloseStdin() to send EOF.
  int stdin_fd() const { return in_fd_; }
  int stdout_fd() const { return out_fd_; }
  int stderr_fd() const { return err_fd_; }
  void CloseStdin();

  // Reaps the child if it has exited (the program's own exit status);
  // nullopt while it runs. Waits at most `timeout` (zero: does not block).
  std::optional<ExitStatus> Wait(std::chrono::milliseconds timeout);
  std::optional<ExitStatus> TryWait() { return Wait({}); }
  bool running() const { return !exit_; }

  // Sends `signal` to the whole group (no-op once reaped).
  void Signal(int signal);
  // SIGKILL to the whole group, then reaps; returns how it ended.
  ExitStatus Kill();

 private:
  ChildProcess() = default;
  // Reaps the keeper (blocking) and reads the program's status.
  ExitStatus Reap();

  pid_t pid_ = -1;
  int pidfd_ = -1;      // -1 without pidfd_open (then Wait polls)
  int status_fd_ = -1;  // the keeper reports the program's exit here
  int in_fd_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::optional<ExitStatus> exit_;
};

// One synchronous run: stdin is `input` (then closed), stdout and stderr
// are captured. Requires spec.in/out/err to be kPipe (RunChild sets them).
struct ChildRun {
  std::string input;
  // Past it the group is killed (ended = kTimedOut).
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  // Bytes of stdout kept; 0: no limit. One byte more kills the group
  // (ended = kOutputLimit) and the rest is never read.
  size_t max_stdout = 0;
  // Only the last max_stderr bytes of stderr are kept.
  size_t max_stderr = 64 * 1024;
  // When readable, the group is killed (ended = kCancelled). -1: none.
  int cancel_fd = -1;
};

struct ChildResult {
  enum class Ended { kExited, kTimedOut, kOutputLimit, kCancelled };
  Ended ended = Ended::kExited;
  ExitStatus exit;
  std::string out;
  std::string err;
};

// Runs `spec` to its end (see ChildRun). Errors as ChildProcess::Start; a
// non-zero exit, a timeout or the output limit are values in the result.
Result<ChildResult> RunChild(ChildSpec spec, const ChildRun& run);

// The path `name` runs as: `name` itself when it contains '/', else the
// first executable `dir/name` on `path` (':'-separated; empty: $PATH).
// kNotFound otherwise.
Result<std::string> FindProgram(const std::string& name,
                                const std::string& path = "");

}  // namespace unum

#endif  // UNUM_COMMON_CHILD_PROCESS_H_
