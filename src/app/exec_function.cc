#include "app/exec_function.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "common/json_text.h"

extern char** environ;

namespace unum::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Closes both ends of the pipes it owns on every path out.
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

std::string Trim(const std::string& s, size_t max) {
  std::string t = s;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  if (t.size() > max) t = t.substr(0, max) + "...";
  return t;
}

// A child that exits without reading all of its stdin must not kill this
// process with SIGPIPE; the failed write is then handled as "child gone".
// Only a default disposition is changed, once.
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

Result<ExecFunction> ExecFunction::Create(const std::string& command,
                                          const std::string& working_dir) {
  IgnoreSigpipeOnce();
  ExecFunction f;
  std::istringstream words(command);
  for (std::string w; words >> w;) f.argv_.push_back(w);
  if (f.argv_.empty()) {
    return Status::InvalidArgument("exec function: empty command");
  }
  f.working_dir_ = fs::absolute(working_dir).string();
  std::string& program = f.argv_[0];
  if (program.find('/') != std::string::npos) {
    fs::path p = fs::path(program).is_absolute()
                     ? fs::path(program)
                     : fs::path(f.working_dir_) / program;
    if (!fs::exists(p)) {
      return Status::NotFound("exec function: program " + p.string() +
                              " does not exist");
    }
    program = p.lexically_normal().string();
  }
  return f;
}

Result<json> ExecFunction::Run(const json& input, const Context& ctx) const {
  Pipe in, out, err;
  if (!in.Open() || !out.Open() || !err.Open()) {
    return Status::Unavailable(std::string("pipe: ") + strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, working_dir_.c_str());

  std::vector<std::string> env_store;
  for (char** e = environ; *e != nullptr; ++e) {
    if (strncmp(*e, "UNUM_", 5) != 0) env_store.emplace_back(*e);
  }
  env_store.push_back("UNUM_SESSION=" + ctx.session);
  env_store.push_back("UNUM_FUNCTION=" + ctx.function);
  env_store.push_back("UNUM_INSTANCE=" + ctx.instance);
  env_store.push_back("UNUM_ATTEMPT=" + std::to_string(ctx.attempt));
  std::vector<char*> envp;
  for (std::string& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv_;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid;
  int rc =
      posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::FailedPrecondition("cannot start " + argv_[0] + ": " +
                                      strerror(rc));
  }
  in.CloseEnd(0);
  out.CloseEnd(1);
  err.CloseEnd(1);

  // Feed stdin and drain stdout/stderr together so neither side blocks.
  const std::string data = ToJsonText(input);
  size_t written = 0;
  std::string stdout_text, stderr_text;
  fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
  if (data.empty()) in.CloseEnd(1);
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[3];
    int n = 0;
    int idx_in = -1, idx_out = -1, idx_err = -1;
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
      ssize_t w = write(in.fd[1], data.data() + written, data.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) written = data.size();  // EPIPE: child gone
      if (written >= data.size()) in.CloseEnd(1);
    }
    char buf[65536];
    for (auto [idx, pipe, text] : {std::tuple{idx_out, &out, &stdout_text},
                                   std::tuple{idx_err, &err, &stderr_text}}) {
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
    return Status::Unknown(
        argv_[0] + " killed by signal " + std::to_string(WTERMSIG(wstatus)) +
        (stderr_text.empty() ? "" : ": " + Trim(stderr_text, 4000)));
  }
  if (WEXITSTATUS(wstatus) != 0) {
    std::string msg = stderr_text.empty()
                          ? argv_[0] + " exited with status " +
                                std::to_string(WEXITSTATUS(wstatus))
                          : Trim(stderr_text, 4000);
    // Like a Lambda function's error: the last stderr line may be
    // {"errorType": name, "errorMessage": cause}.
    const size_t last = stderr_text.find_last_not_of("\n");
    if (last != std::string::npos) {
      const size_t begin = stderr_text.rfind('\n', last);
      const std::string line = stderr_text.substr(
          begin == std::string::npos ? 0 : begin + 1,
          last + 1 - (begin == std::string::npos ? 0 : begin + 1));
      auto doc = ParseJsonText(line, "stderr");
      if (doc.ok() && doc->is_object() && doc->contains("errorType") &&
          (*doc)["errorType"].is_string()) {
        const nlohmann::json& message =
            doc->value("errorMessage", nlohmann::json(""));
        return Status::Unknown(message.is_string() ? message.get<std::string>()
                                                   : ToJsonText(message))
            .WithErrorType((*doc)["errorType"].get<std::string>());
      }
    }
    return Status::Unknown(msg);
  }
  auto output = ParseJsonText(stdout_text, "stdout");
  if (!output.ok()) {
    return Status::Unknown(argv_[0] + " printed no valid JSON on " +
                           output.status().message() + " (output began \"" +
                           Trim(stdout_text, 200) + "\")");
  }
  return output;
}

}  // namespace unum::app
