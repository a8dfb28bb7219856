#include "common/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

extern char** environ;

namespace unum {
namespace {

using Clock = std::chrono::steady_clock;

// The keeper's descriptors, fixed so its code needs no bookkeeping.
constexpr int kExecFd = 3;    // program -> parent: why exec failed
constexpr int kStatusFd = 4;  // keeper -> parent: the program's wait status

// Tags of the messages on those pipes (one byte, then an int).
constexpr char kExecFailed = 'E';
constexpr char kChdirFailed = 'C';
constexpr char kForkFailed = 'F';
constexpr char kExited = 'X';

// A child that stops reading stdin must not kill us with SIGPIPE.
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 &&
        current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// A descriptor closed on scope exit unless released.
struct OwnedFd {
  int fd = -1;
  OwnedFd() = default;
  explicit OwnedFd(int f) : fd(f) {}
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  ~OwnedFd() { CloseFd(&fd); }
  int Release() {
    const int f = fd;
    fd = -1;
    return f;
  }
};

// Async-signal-safe: writes a tag and an int.
void Report(int fd, char tag, int value) {
  char msg[1 + sizeof(int)];
  msg[0] = tag;
  std::memcpy(msg + 1, &value, sizeof value);
  const char* p = msg;
  size_t left = sizeof msg;
  while (left > 0) {
    const ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w;
    left -= static_cast<size_t>(w);
  }
}

// Reads one tagged message; false on EOF or a short read.
bool ReadReport(int fd, char* tag, int* value) {
  char msg[1 + sizeof(int)];
  size_t got = 0;
  while (got < sizeof msg) {
    const ssize_t r = read(fd, msg + got, sizeof msg - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  *tag = msg[0];
  std::memcpy(value, msg + 1, sizeof *value);
  return true;
}

// Everything the keeper and the program need, made before fork: after it
// they may not allocate (another thread may hold the allocator's lock).
struct Prepared {
  std::string program;
  std::vector<std::string> args;
  std::vector<char*> argv;
  std::vector<std::string> env_store;
  std::vector<char*> envp;
  char** env = nullptr;
  std::string working_dir;
  int fds[3] = {-1, -1, -1};  // become the program's 0, 1, 2; -1: inherit
};

void CloseFrom(int lowest) {
  if (syscall(SYS_close_range, lowest, ~0U, 0) == 0) return;
  const long max = sysconf(_SC_OPEN_MAX);
  for (int fd = lowest; fd < (max > 0 ? max : 65536); ++fd) close(fd);
}

// The program, in the keeper's child. Never returns.
[[noreturn]] void ExecProgram(const Prepared& p) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  close(kStatusFd);
  if (!p.working_dir.empty() && chdir(p.working_dir.c_str()) != 0) {
    Report(kExecFd, kChdirFailed, errno);
    _exit(127);
  }
  execve(p.program.c_str(), p.argv.data(), p.env);
  Report(kExecFd, kExecFailed, errno);
  _exit(127);
}

// The keeper: the forked child of this process. Only async-signal-safe
// calls. Never returns.
[[noreturn]] void RunKeeper(const Prepared& p, pid_t parent, int exec_fd,
                            int status_fd) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGHUP);
  if (getppid() != parent) _exit(127);  // the parent is gone already
  // Move what the program needs to 0..4 (above 9 first, so no move
  // overwrites another), then close everything else this process had open.
  int want[5] = {p.fds[0], p.fds[1], p.fds[2], exec_fd, status_fd};
  for (int& fd : want) {
    if (fd >= 0) fd = fcntl(fd, F_DUPFD, 10);
  }
  for (int i = 0; i < 5; ++i) {
    if (want[i] >= 0) dup2(want[i], i);
  }
  CloseFrom(5);
  fcntl(kExecFd, F_SETFD, FD_CLOEXEC);
  fcntl(kStatusFd, F_SETFD, FD_CLOEXEC);
  // Every signal is blocked (the parent blocked them around fork): the
  // keeper waits for SIGCHLD and the parent-death SIGHUP below.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &dfl, nullptr);
  const pid_t program = _Fork();
  if (program == 0) ExecProgram(p);
  if (program < 0) Report(kExecFd, kForkFailed, errno);
  close(kExecFd);
  // No standard stream stays open here: the pipes' EOF follows the group.
  close(0);
  close(1);
  close(2);
  if (program > 0) {
    sigset_t wait_for;
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGCHLD);
    sigaddset(&wait_for, SIGHUP);
    while (true) {
      const int sig = sigwaitinfo(&wait_for, nullptr);
      if (sig == SIGHUP) break;  // the starting thread (or process) died
      if (sig != SIGCHLD) continue;
      int wstatus = 0;
      if (waitpid(program, &wstatus, WNOHANG) == program) {
        Report(kStatusFd, kExited, wstatus);
        break;
      }
    }
  }
  kill(0, SIGKILL);  // the whole group, this keeper included
  _exit(127);
}

ExitStatus FromWaitStatus(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) {
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

Status OpenStream(const ChildStream& s, int which, int* child_end,
                  int* parent_end, OwnedFd* keep) {
  switch (s.kind) {
    case ChildStream::Kind::kInherit:
      return Status::Ok();
    case ChildStream::Kind::kParentStderr:
      *child_end = STDERR_FILENO;
      return Status::Ok();
    case ChildStream::Kind::kNull:
    case ChildStream::Kind::kFile: {
      const bool null = s.kind == ChildStream::Kind::kNull;
      const char* path = null ? "/dev/null" : s.path.c_str();
      const int flags =
          which == 0
              ? O_RDONLY
              : O_WRONLY |
                    (null ? 0 : O_CREAT | (s.append ? O_APPEND : O_TRUNC));
      keep->fd = open(path, flags | O_CLOEXEC, 0644);
      if (keep->fd < 0) {
        return Status::Unavailable(std::string("cannot open ") + path + ": " +
                                   strerror(errno));
      }
      *child_end = keep->fd;
      return Status::Ok();
    }
    case ChildStream::Kind::kPipe: {
      int fds[2];
      if (pipe2(fds, O_CLOEXEC) != 0) {
        return Status::Unavailable(std::string("pipe: ") + strerror(errno));
      }
      // stdin: the child reads fds[0]; stdout/stderr: it writes fds[1].
      keep->fd = which == 0 ? fds[0] : fds[1];
      *parent_end = which == 0 ? fds[1] : fds[0];
      *child_end = keep->fd;
      return Status::Ok();
    }
  }
  return Status::Internal("unknown stream kind");
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signal != 0) {
    const char* name = strsignal(signal);
    return "signal " + std::to_string(signal) +
           (name != nullptr ? std::string(" (") + name + ")" : "");
  }
  return "exit status " + std::to_string(code);
}

Result<std::string> FindProgram(const std::string& name,
                                const std::string& path) {
  if (name.empty()) return Status::InvalidArgument("empty program name");
  if (name.find('/') != std::string::npos) return name;
  std::string dirs = path;
  if (dirs.empty()) {
    const char* env = std::getenv("PATH");
    dirs =
        env != nullptr && *env != '\0' ? env : "/usr/local/bin:/usr/bin:/bin";
  }
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return Status::NotFound("cannot start " + name + ": not found on PATH");
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const ChildSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return Status::InvalidArgument("empty command");
  }
  IgnoreSigpipeOnce();
  Prepared p;
  UNUM_ASSIGN_OR_RETURN(p.program, FindProgram(spec.argv[0]));
  p.args = spec.argv;
  for (std::string& a : p.args) p.argv.push_back(a.data());
  p.argv.push_back(nullptr);
  if (spec.env) {
    p.env_store = *spec.env;
    for (std::string& e : p.env_store) p.envp.push_back(e.data());
    p.envp.push_back(nullptr);
    p.env = p.envp.data();
  } else {
    p.env = environ;
  }
  p.working_dir = spec.working_dir;

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  OwnedFd child_ends[3];
  int parent_ends[3] = {-1, -1, -1};
  const ChildStream* streams[3] = {&spec.in, &spec.out, &spec.err};
  for (int i = 0; i < 3; ++i) {
    Status s =
        OpenStream(*streams[i], i, &p.fds[i], &parent_ends[i], &child_ends[i]);
    // Parent ends are owned by `child` from here, closed with it.
    if (i == 0) child->in_fd_ = parent_ends[0];
    if (i == 1) child->out_fd_ = parent_ends[1];
    if (i == 2) child->err_fd_ = parent_ends[2];
    if (!s.ok()) return s;
  }
  int exec_pipe[2], status_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    return Status::Unavailable(std::string("pipe: ") + strerror(errno));
  }
  OwnedFd exec_read(exec_pipe[0]), exec_write(exec_pipe[1]);
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    return Status::Unavailable(std::string("pipe: ") + strerror(errno));
  }
  OwnedFd status_read(status_pipe[0]), status_write(status_pipe[1]);

  // The keeper starts with every signal blocked, so no handler of ours can
  // run in it.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) RunKeeper(p, parent, exec_write.fd, status_write.fd);
  const int fork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) {
    return Status::Unavailable(std::string("fork: ") + strerror(fork_errno));
  }
  setpgid(pid, pid);  // also done by the keeper; whichever runs first
  child->pid_ = pid;
  child->status_fd_ = status_read.Release();
  for (OwnedFd& end : child_ends) CloseFd(&end.fd);
  CloseFd(&exec_write.fd);
  CloseFd(&status_write.fd);
  child->pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));

  // EOF: the program is running (its exec closed the pipe).
  char tag = 0;
  int err = 0;
  if (ReadReport(exec_read.fd, &tag, &err)) {
    child->Reap();
    const std::string what = tag == kChdirFailed
                                 ? "cannot enter " + spec.working_dir
                             : tag == kForkFailed ? "cannot fork"
                                                  : "cannot start " + p.program;
    const std::string message = what + ": " + strerror(err);
    if (tag == kExecFailed &&
        (err == ENOENT || err == EACCES || err == ENOEXEC || err == ENOTDIR)) {
      return Status::NotFound(message);
    }
    return tag == kChdirFailed ? Status::NotFound(message)
                               : Status::Unavailable(message);
  }
  return child;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_) Kill();
  CloseFd(&in_fd_);
  CloseFd(&out_fd_);
  CloseFd(&err_fd_);
  CloseFd(&status_fd_);
  CloseFd(&pidfd_);
}

void ChildProcess::CloseStdin() { CloseFd(&in_fd_); }

ExitStatus ChildProcess::Reap() {
  int wstatus = 0;
  while (waitpid(pid_, &wstatus, 0) < 0 && errno == EINTR) {
  }
  ExitStatus keeper = FromWaitStatus(wstatus);
  char tag = 0;
  int program_status = 0;
  // The keeper wrote the program's status before it killed the group.
  if (status_fd_ >= 0 && ReadReport(status_fd_, &tag, &program_status) &&
      tag == kExited) {
    exit_ = FromWaitStatus(program_status);
  } else {
    exit_ = keeper;
  }
  CloseFd(&status_fd_);
  CloseFd(&pidfd_);
  return *exit_;
}

std::optional<ExitStatus> ChildProcess::Wait(
    std::chrono::milliseconds timeout) {
  if (exit_) return exit_;
  const auto now = Clock::now();
  const auto deadline =
      timeout >= std::chrono::duration_cast<std::chrono::milliseconds>(
                     Clock::time_point::max() - now)
          ? Clock::time_point::max()
          : now + timeout;
  while (true) {
    siginfo_t info{};
    // WNOWAIT: look without reaping, so the group id stays ours until Reap.
    if (waitid(P_PID, static_cast<id_t>(pid_), &info,
               WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      return Reap();
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_ >= 0) {
      pollfd fd{pidfd_, POLLIN, 0};
      poll(&fd, 1, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
    } else {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(5)));
    }
  }
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0 && !exit_) kill(-pid_, signal);
}

ExitStatus ChildProcess::Kill() {
  if (exit_) return *exit_;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);  // in case the group is not set up yet
  ExitStatus s = Reap();
  // The keeper died by our SIGKILL before it could report: say so.
  return s;
}

Result<ChildResult> RunChild(ChildSpec spec, const ChildRun& run) {
  spec.in = ChildStream::Pipe();
  spec.out = ChildStream::Pipe();
  spec.err = ChildStream::Pipe();
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<ChildProcess> child,
                        ChildProcess::Start(spec));
  ChildResult result;
  int in = child->stdin_fd();
  int out = child->stdout_fd();
  int err = child->stderr_fd();
  size_t written = 0;
  fcntl(in, F_SETFL, O_NONBLOCK);
  if (run.input.empty()) {
    child->CloseStdin();
    in = -1;
  }
  auto ended = ChildResult::Ended::kExited;
  while (out >= 0 || err >= 0) {
    const auto now = Clock::now();
    if (now >= run.deadline) {
      ended = ChildResult::Ended::kTimedOut;
      break;
    }
    pollfd fds[4];
    int n = 0, i_in = -1, i_out = -1, i_err = -1, i_cancel = -1;
    if (in >= 0) fds[i_in = n++] = {in, POLLOUT, 0};
    if (out >= 0) fds[i_out = n++] = {out, POLLIN, 0};
    if (err >= 0) fds[i_err = n++] = {err, POLLIN, 0};
    if (run.cancel_fd >= 0) fds[i_cancel = n++] = {run.cancel_fd, POLLIN, 0};
    int wait_ms = -1;
    if (run.deadline != Clock::time_point::max()) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(run.deadline - now);
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), INT_MAX));
    }
    if (poll(fds, n, wait_ms) < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(std::string("poll: ") + strerror(errno));
    }
    if (i_cancel >= 0 && fds[i_cancel].revents != 0) {
      ended = ChildResult::Ended::kCancelled;
      break;
    }
    if (i_in >= 0 && fds[i_in].revents != 0) {
      const ssize_t w =
          write(in, run.input.data() + written, run.input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      // The child closed stdin (or died): it gets no more.
      if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
          written >= run.input.size()) {
        child->CloseStdin();
        in = -1;
      }
    }
    if (i_out >= 0 && fds[i_out].revents != 0) {
      size_t room = 65536;
      if (run.max_stdout > 0) {
        room = std::min(room, run.max_stdout + 1 - result.out.size());
      }
      const size_t before = result.out.size();
      result.out.resize(before + room);
      const ssize_t r = read(out, result.out.data() + before, room);
      result.out.resize(before + (r > 0 ? static_cast<size_t>(r) : 0));
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) out = -1;
      if (run.max_stdout > 0 && result.out.size() > run.max_stdout) {
        result.out.resize(run.max_stdout);
        ended = ChildResult::Ended::kOutputLimit;
        break;
      }
    }
    if (i_err >= 0 && fds[i_err].revents != 0) {
      char buf[65536];
      const ssize_t r = read(err, buf, sizeof buf);
      if (r > 0) {
        result.err.append(buf, static_cast<size_t>(r));
        if (result.err.size() > 2 * run.max_stderr) {
          result.err.erase(0, result.err.size() - run.max_stderr);
        }
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        err = -1;
      }
    }
  }
  if (result.err.size() > run.max_stderr) {
    result.err.erase(0, result.err.size() - run.max_stderr);
  }
  if (ended == ChildResult::Ended::kExited) {
    // Both streams closed; the program may still run without them.
    const auto left = run.deadline == Clock::time_point::max()
                          ? std::chrono::milliseconds(INT_MAX)
                          : std::chrono::ceil<std::chrono::milliseconds>(
                                run.deadline - Clock::now());
    auto status = child->Wait(std::max(left, std::chrono::milliseconds(0)));
    if (status) {
      result.exit = *status;
    } else {
      ended = ChildResult::Ended::kTimedOut;
    }
  }
  if (ended != ChildResult::Ended::kExited) result.exit = child->Kill();
  result.ended = ended;
  return result;
}

}  // namespace unum
