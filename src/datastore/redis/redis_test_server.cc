// RedisServer: see redis_test_server.h.
#include "datastore/redis/redis_test_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/child_process.h"
#include "datastore/redis/redis_client.h"

namespace unum::redis::testing {
namespace fs = std::filesystem;

namespace {

// The redis-server binary: $UNUM_REDIS_SERVER, else the first on PATH.
std::string FindBinary() {
  if (const char* env = std::getenv("UNUM_REDIS_SERVER"); env && *env) {
    return env;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  auto found = FindProgram("redis-server", dirs + ":/usr/sbin:/usr/local/sbin");
  return found.ok() ? *found : "";
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)) {}

RedisServer::~RedisServer() {
  (void)Stop(SIGKILL);
  if (owns_dir_) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string RedisServer::url(int db, const std::string& query) const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/" +
         std::to_string(db) + query;
}

Result<std::unique_ptr<RedisServer>> RedisServer::Start(
    RedisServerOptions options) {
  std::unique_ptr<RedisServer> server(new RedisServer(std::move(options)));
  server->binary_ = FindBinary();
  if (server->binary_.empty()) {
    return Status::Unavailable(
        "redis-server not found on PATH (install Debian's redis-server, "
        "e.g. via scripts/setup.sh, or set UNUM_REDIS_SERVER)");
  }
  if (server->options_.dir.empty()) {
    std::string tmpl =
        (fs::temp_directory_path() / "unum-redis-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      return Status::Unavailable("cannot create a temporary directory");
    }
    server->dir_ = tmpl;
    server->owns_dir_ = true;
  } else {
    server->dir_ = server->options_.dir;
    std::error_code ec;
    fs::create_directories(server->dir_, ec);
  }
  Status last;
  for (int attempt = 0; attempt < 8; ++attempt) {
    server->port_ = FreeLoopbackPort();
    if (server->port_ == 0) continue;
    last = server->Launch(std::chrono::seconds(10));
    if (last.ok()) return server;
  }
  return last.ok() ? Status::Unavailable("no free port for redis-server")
                   : last;
}

Status RedisServer::Launch(std::chrono::milliseconds ready_timeout) {
  std::vector<std::string> args = {
      binary_,   "--port",    std::to_string(port_),
      "--bind",  "127.0.0.1", "--daemonize",
      "no",      "--dir",     dir_,
      "--save",  "",          "--loglevel",
      "warning", "--logfile", (fs::path(dir_) / "redis.log").string(),
  };
  if (options_.persistence) {
    for (const char* a : {"--appendonly", "yes", "--appendfsync", "always"}) {
      args.emplace_back(a);
    }
  } else {
    args.emplace_back("--appendonly");
    args.emplace_back("no");
  }
  for (const std::string& a : options_.extra_args) args.push_back(a);
  const std::string out_path = (fs::path(dir_) / "redis.out").string();
  ChildSpec spec{.argv = std::move(args)};
  spec.out = ChildStream::AppendTo(out_path);
  spec.err = ChildStream::AppendTo(out_path);
  UNUM_ASSIGN_OR_RETURN(process_, ChildProcess::Start(spec));

  RedisEndpoint endpoint;
  endpoint.port = port_;
  endpoint.connect_timeout = std::chrono::milliseconds(200);
  endpoint.io_timeout = std::chrono::milliseconds(1000);
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  auto pause = std::chrono::milliseconds(2);
  while (true) {
    if (process_->TryWait()) {
      process_.reset();
      return Status::Unavailable("redis-server on port " +
                                 std::to_string(port_) +
                                 " exited at start (see " + dir_ + ")");
    }
    auto conn = RedisConnection::Open(endpoint);
    if (conn.ok()) {
      auto pong = (*conn)->Run(Cmd({"PING"}));
      if (pong.ok() && CheckReply(pong->get(), "PING").ok()) {
        return Status::Ok();
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      (void)Stop(SIGKILL);
      return Status::Unavailable("redis-server on port " +
                                 std::to_string(port_) +
                                 " did not answer PING in time");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

Status RedisServer::Stop(int signal) {
  if (process_ == nullptr) return Status::Ok();
  process_->Signal(signal);
  (void)process_->Wait(std::chrono::milliseconds::max());
  process_.reset();
  return Status::Ok();
}

Status RedisServer::Restart() {
  UNUM_RETURN_IF_ERROR(Stop(SIGKILL));
  // The port is ours again at once: redis-server sets SO_REUSEADDR.
  Status last;
  for (int attempt = 0; attempt < 20; ++attempt) {
    last = Launch(std::chrono::seconds(20));
    if (last.ok()) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

Result<std::string> SharedTestRedisUrl() {
  if (const char* env = std::getenv("UNUM_TEST_REDIS_URL"); env && *env) {
    return std::string(env);
  }
  static std::mutex mu;
  static std::unique_ptr<RedisServer> server;
  static Status failure;
  std::lock_guard<std::mutex> lock(mu);
  if (server == nullptr && failure.ok()) {
    auto started = RedisServer::Start();
    if (started.ok()) {
      server = std::move(started).value();
    } else {
      failure = started.status();
    }
  }
  if (!failure.ok()) return failure;
  return server->url();
}

}  // namespace unum::redis::testing
