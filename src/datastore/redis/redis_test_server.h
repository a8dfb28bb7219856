// RedisServer: a real redis-server child process for tests (loopback only).
//
//   auto server = RedisServer::Start();           // a free port, no disk
//   ASSERT_TRUE(server.ok());
//   auto store = RedisDatastore::Open((*server)->url());
//
// The binary is $UNUM_REDIS_SERVER or `redis-server` on PATH. It runs as a
// ChildProcess, so it dies with the thread that started it: a crashed test
// leaves no server behind; start servers from a long-lived thread.
//
// SharedTestRedisUrl() is what contract and platform tests use: the URL in
// $UNUM_TEST_REDIS_URL when set, else one server started on first use and
// killed when the process exits.
//
// Thread-safety: a RedisServer is driven by one thread; SharedTestRedisUrl
// is thread-safe.
#ifndef UNUM_DATASTORE_REDIS_REDIS_TEST_SERVER_H_
#define UNUM_DATASTORE_REDIS_REDIS_TEST_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "unum/status.h"

namespace unum::redis::testing {

struct RedisServerOptions {
  // appendonly yes + appendfsync always: every acknowledged write survives
  // a kill -9 of the server.
  bool persistence = false;
  // Working directory (AOF files, log); empty: a fresh temporary directory
  // removed with the server.
  std::string dir;
  std::vector<std::string> extra_args;  // e.g. {"--maxmemory", "10mb"}
};

class RedisServer {
 public:
  // Starts a server on a free loopback port and waits until it answers
  // PING. kUnavailable when redis-server is missing or does not come up.
  static Result<std::unique_ptr<RedisServer>> Start(
      RedisServerOptions options = {});
  ~RedisServer();  // kills the server (SIGKILL) and removes its temp dir

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  bool running() const { return process_ != nullptr; }
  const std::string& dir() const { return dir_; }
  // "redis://127.0.0.1:<port>/<db>" plus `query` ("?a=1") when given.
  std::string url(int db = 0, const std::string& query = "") const;

  // Sends `signal` to the server and waits for it to exit.
  Status Stop(int signal = 9);
  // Starts it again on the same port and directory (a restart keeps the
  // data only with persistence) and waits until it answers PING.
  Status Restart();

 private:
  explicit RedisServer(RedisServerOptions options);
  // Spawns on port_ and waits for PING; kUnavailable if it exited.
  Status Launch(std::chrono::milliseconds ready_timeout);

  RedisServerOptions options_;
  std::string binary_;
  std::string dir_;
  bool owns_dir_ = false;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;  // null when not running
};

// A free TCP port on 127.0.0.1 (bound and released; racy by nature).
int FreeLoopbackPort();

// $UNUM_TEST_REDIS_URL, or the URL of this process's shared server
// (started on first call). kUnavailable if no server can be started.
Result<std::string> SharedTestRedisUrl();

}  // namespace unum::redis::testing

#endif  // UNUM_DATASTORE_REDIS_REDIS_TEST_SERVER_H_
