#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

extern char** environ;

namespace unum {
namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) close(f);
    }
  }
  bool Open() { return pipe2(fd, O_CLOEXEC) == 0; }
  void CloseEnd(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

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

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv_in,
                                 const std::string& input,
                                 const ProcessOptions& options) {
  if (argv_in.empty()) return Status::InvalidArgument("empty command");
  IgnoreSigpipeOnce();
  Pipe in, out, err;
  if (!in.Open() || !out.Open() || !err.Open()) {
    return Status::Unavailable(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  }
  std::vector<std::string> args = argv_in;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = options.env;
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(),
                        env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::NotFound("cannot start " + argv_in[0] + ": " + strerror(rc));
  }
  in.CloseEnd(0);
  out.CloseEnd(1);
  err.CloseEnd(1);

  ProcessResult result;
  size_t written = 0;
  fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
  if (input.empty()) in.CloseEnd(1);
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[3];
    int n = 0, idx_in = -1, idx_out = -1, idx_err = -1;
    if (in.fd[1] >= 0) {
      idx_in = n;
      fds[n++] = {in.fd[1], POLLOUT, 0};
    }
    if (out.fd[0] >= 0) {
      idx_out = n;
      fds[n++] = {out.fd[0], POLLIN, 0};
    }
    if (err.fd[0] >= 0) {
      idx_err = n;
      fds[n++] = {err.fd[0], POLLIN, 0};
    }
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (idx_in >= 0 && fds[idx_in].revents) {
      ssize_t w =
          write(in.fd[1], input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) written = input.size();  // child gone
      if (written >= input.size()) in.CloseEnd(1);
    }
    char buf[65536];
    for (auto [idx, pipe, text] : {std::tuple{idx_out, &out, &result.out},
                                   std::tuple{idx_err, &err, &result.err}}) {
      if (idx < 0 || !fds[idx].revents) continue;
      ssize_t r = read(pipe->fd[0], buf, sizeof buf);
      if (r > 0) {
        text->append(buf, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        pipe->CloseEnd(0);
      }
    }
  }
  in.CloseEnd(1);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus)) {
    result.signal = WTERMSIG(wstatus);
  } else {
    result.exit_code = WEXITSTATUS(wstatus);
  }
  return result;
}

}  // namespace unum
