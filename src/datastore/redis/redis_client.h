// The small Redis client under the redis:// datastore and platform, on
// hiredis (blocking API, RESP2).
//
// - RedisEndpoint and ParseRedisUrl: "redis://[[user]:password@]host[:port]
//   [/db][?options]". Options that both users share (pool, pipelines,
//   timeout_ms, connect_timeout_ms) are parsed here; the rest are handed back
//   to the caller (the datastore accepts none, the platform its own).
// - RedisCommand: one command as binary-safe arguments (hiredis
//   redisAppendCommandArgv with explicit lengths, like the %b format).
//   A command may name a RedisScript: it is sent as EVALSHA and re-sent as
//   EVAL if the server answers NOSCRIPT (after a restart or SCRIPT FLUSH).
// - RedisConnection: one socket. Execute() pipelines commands (one write,
//   one round trip) optionally behind a MULTI/EXEC block. An I/O error,
//   EOF or timeout breaks the connection and returns kUnavailable; a
//   broken connection is never reused.
// - RedisConnectionPool: connections shared by many threads, opened on
//   demand up to `pool` at once; broken ones are dropped, so the next use
//   reconnects. Every new connection loads the registered scripts.
//   The first connection sets SIGPIPE to SIG_IGN if it was SIG_DFL, so a
//   server going away is an error (kUnavailable), not the process's end.
// - DeferredWrites: a per-thread write-behind buffer for one delivery of a
//   worker (see the class comment).
//
// Error mapping (RedisErrorStatus): transient server states (LOADING,
// BUSY, TRYAGAIN, MASTERDOWN, READONLY, CLUSTERDOWN, connection errors)
// are kUnavailable; OOM is kResourceExhausted; everything else kInternal.
//
// Thread-safety: RedisConnection is used by one thread at a time;
// RedisConnectionPool and RedisScript are thread-safe; DeferredWrites is
// thread-local by construction.
#ifndef UNUM_DATASTORE_REDIS_REDIS_CLIENT_H_
#define UNUM_DATASTORE_REDIS_REDIS_CLIENT_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "unum/status.h"

struct redisContext;
struct redisReply;

namespace unum::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string username;  // empty: AUTH password only (or no AUTH)
  std::string password;  // empty: no AUTH
  int pool_size = 32;    // connections open at once, at most
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds io_timeout{10000};
  // How a pool sends calls made by several threads at once. 0: each call
  // borrows a connection of its own (one round trip per call). N > 0:
  // calls are merged into shared pipelines, at most N in flight at once;
  // a call waits while N are in flight and then goes out, in one write,
  // with every other call queued meanwhile (group commit). Each call keeps
  // its own MULTI/EXEC block and replies; only the syscalls and server
  // wake-ups are shared. A lone caller sees no difference.
  int pipelines = 0;

  // "host:port/db": two endpoints with the same identity reach the same
  // keyspace (used to merge a delivery's writes into one pipeline).
  std::string Identity() const;
  // A redis:// URL for this endpoint (without options or password).
  std::string Url() const;
};

struct ParsedRedisUrl {
  RedisEndpoint endpoint;
  // Query options not consumed by ParseRedisUrl, in URL order.
  std::vector<std::pair<std::string, std::string>> options;
};

// Parses a redis:// URL. Errors are kInvalidArgument naming the URL.
Result<ParsedRedisUrl> ParseRedisUrl(const std::string& url);

// Deletes hiredis replies.
struct ReplyDeleter {
  void operator()(redisReply* r) const;
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// A Lua script run with EVALSHA. The SHA1 is learnt from the first SCRIPT
// LOAD reply (every pool connection loads its scripts when it opens).
class RedisScript {
 public:
  explicit RedisScript(std::string body) : body_(std::move(body)) {}
  const std::string& body() const { return body_; }
  std::string sha() const;
  void set_sha(const std::string& sha) const;

 private:
  std::string body_;
  mutable std::mutex mu_;
  mutable std::string sha_;
};

struct RedisCommand {
  std::vector<std::string> args;
  const RedisScript* script = nullptr;  // an EVALSHA of this script
};

// Builds a command from its arguments.
RedisCommand Cmd(std::initializer_list<std::string_view> args);
// EVALSHA `script` with `keys` and `args` (EVAL when no SHA is known yet).
RedisCommand Eval(const RedisScript& script,
                  std::initializer_list<std::string_view> keys,
                  std::initializer_list<std::string_view> args);

// Reply helpers.
bool IsError(const redisReply* r);
bool IsNil(const redisReply* r);
std::string_view ReplyString(const redisReply* r);  // string/status/error
// The Status for an error reply `r` of `what`.
Status RedisErrorStatus(const redisReply* r, std::string_view what);
// OK, or the error of a non-array/error reply, for a step named `what`.
Status CheckReply(const redisReply* r, std::string_view what);

// Counters of client work in this process, for benchmarks.
struct ClientStats {
  int64_t round_trips = 0;  // pipelines sent (each one write + its replies)
  // Calls answered (a caller waiting for its replies): round_trips plus
  // the calls that shared a merged pipeline with others.
  int64_t calls = 0;
  int64_t commands = 0;
  int64_t connects = 0;
  int64_t connect_failures = 0;
};
ClientStats GetClientStats();

class RedisConnection {
 public:
  // Connects, authenticates, selects the db and loads `scripts`.
  // kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<RedisConnection>> Open(
      const RedisEndpoint& endpoint,
      const std::vector<const RedisScript*>& scripts = {},
      std::chrono::milliseconds io_timeout = std::chrono::milliseconds(0));
  ~RedisConnection();

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  struct Replies {
    // The outcome of the MULTI/EXEC block: OK, or the first error of one of
    // its commands (they all ran unless the block was refused).
    Status tx_status;
    // One reply per command of `tx`, from EXEC's array (empty if refused).
    std::vector<ReplyPtr> tx;
    // One reply per command of `plain`, in order.
    std::vector<ReplyPtr> plain;
  };

  // Sends `tx` (inside MULTI/EXEC, when not empty) and then `plain` in one
  // pipeline and reads every reply. An EVALSHA answered NOSCRIPT is re-sent
  // as EVAL (one more round trip). kUnavailable (and a broken connection)
  // on I/O errors; error replies are returned as replies.
  Result<Replies> Execute(const std::vector<RedisCommand>& tx,
                          const std::vector<RedisCommand>& plain);

  // One command, one reply (error replies included).
  Result<ReplyPtr> Run(const RedisCommand& command);

  // One caller's part of a merged pipeline (ExecuteMany).
  struct Request {
    const std::vector<RedisCommand>* tx = nullptr;
    const std::vector<RedisCommand>* plain = nullptr;
    Result<Replies> result = Status::Internal("redis request not sent");
  };
  // Execute for several callers at once: every request's commands go out
  // in one pipeline, then each request's replies are read in order into
  // its `result` (as Execute would have returned them). An I/O error fails
  // that request and all later ones with kUnavailable.
  void ExecuteMany(const std::vector<Request*>& requests);

  bool broken() const { return broken_; }

 private:
  RedisConnection(redisContext* ctx, std::string where);
  void AppendRequest(const std::vector<RedisCommand>& tx,
                     const std::vector<RedisCommand>& plain);
  Result<Replies> ReadRequest(const std::vector<RedisCommand>& tx,
                              const std::vector<RedisCommand>& plain);
  Status FinishRequest(const std::vector<RedisCommand>& tx,
                       const std::vector<RedisCommand>& plain, Replies* out);
  void Append(const RedisCommand& command, bool as_eval);
  Status ReadReply(ReplyPtr* out);
  Status Broken(std::string_view what);

  redisContext* ctx_;
  std::string where_;  // host:port for messages
  bool broken_ = false;
};

class RedisConnectionPool {
 public:
  RedisConnectionPool(RedisEndpoint endpoint,
                      std::vector<const RedisScript*> scripts);
  ~RedisConnectionPool();

  RedisConnectionPool(const RedisConnectionPool&) = delete;
  RedisConnectionPool& operator=(const RedisConnectionPool&) = delete;

  // A connection borrowed from the pool; returned (or dropped when broken)
  // on destruction.
  class Lease {
   public:
    Lease(RedisConnectionPool* pool, std::unique_ptr<RedisConnection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    RedisConnection* operator->() { return conn_.get(); }
    RedisConnection& operator*() { return *conn_; }

   private:
    RedisConnectionPool* pool_;
    std::unique_ptr<RedisConnection> conn_;
  };

  // Borrows a connection, opening one when none is idle; waits when
  // `pool_size` are in use. kUnavailable when the server is unreachable.
  Result<Lease> Acquire();

  // Acquire + Execute, or with endpoint.pipelines > 0 a merged pipeline.
  Result<RedisConnection::Replies> Execute(
      const std::vector<RedisCommand>& tx,
      const std::vector<RedisCommand>& plain);
  // Execute + the one reply.
  Result<ReplyPtr> Run(const RedisCommand& command);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void Release(std::unique_ptr<RedisConnection> conn);
  Result<RedisConnection::Replies> ExecuteMerged(
      const std::vector<RedisCommand>& tx,
      const std::vector<RedisCommand>& plain);

  const RedisEndpoint endpoint_;
  const std::vector<const RedisScript*> scripts_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  int open_ = 0;  // idle + leased

  // Merged pipelines (endpoint.pipelines > 0). A caller waits on its own
  // condition variable, so finishing a pipeline wakes only its callers
  // (and the next caller to lead one); they are woken after merge_mu_ is
  // released (shared ownership keeps a returned caller's Waiter alive).
  struct Waiter {
    RedisConnection::Request request;
    std::condition_variable cv;
    bool done = false;  // guarded by merge_mu_
  };
  std::mutex merge_mu_;
  std::vector<std::shared_ptr<Waiter>> queued_;  // not yet sent, oldest first
  int senders_ = 0;                              // pipelines in flight
};

// A delivery's write-behind buffer. A worker thread installs one
// (DeferredWrites::Scope) while it runs a delivery; then the redis://
// datastore and platform of the same endpoint append writes whose replies
// the runtime does not need (checkpoint and set deletions, invocations)
// instead of sending them. The buffer is sent, inside MULTI/EXEC and in
// order, in front of the next command this thread sends to that endpoint,
// or with the delivery's acknowledgement when the handler returns. Program
// order is kept, so the protocol is unchanged; only the replies arrive
// later. If the worker dies first, the delivery is not acknowledged and is
// delivered again, redoing the writes (they are idempotent).
class DeferredWrites {
 public:
  explicit DeferredWrites(std::string endpoint_identity)
      : endpoint_(std::move(endpoint_identity)) {}

  // The buffer installed on this thread for `endpoint_identity`, or null.
  static DeferredWrites* For(const std::string& endpoint_identity);

  // Installs `w` on this thread for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(DeferredWrites* w);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DeferredWrites* previous_;
  };

  void Add(RedisCommand command) { commands_.push_back(std::move(command)); }
  std::vector<RedisCommand>& commands() { return commands_; }
  bool empty() const { return commands_.empty(); }
  const std::string& endpoint() const { return endpoint_; }

 private:
  std::string endpoint_;
  std::vector<RedisCommand> commands_;
};

// Executes `plain` on `pool`, first sending the thread's deferred writes for
// this endpoint (if any) in the same pipeline. The deferred writes are
// dropped from the buffer once the server answered them; on an I/O error
// they stay and are sent again with the next command. A failed deferred
// write fails this call.
Result<std::vector<ReplyPtr>> ExecuteWithDeferred(
    RedisConnectionPool& pool, const std::vector<RedisCommand>& plain);

}  // namespace unum::redis

#endif  // UNUM_DATASTORE_REDIS_REDIS_CLIENT_H_
