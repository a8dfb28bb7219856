// The Redis client: see redis_client.h.
#include "datastore/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <charconv>
#include <cstring>
#include <set>
#include <utility>

#include "common/url_options.h"

namespace unum::redis {
namespace {

std::atomic<int64_t> g_round_trips{0};
std::atomic<int64_t> g_calls{0};
std::atomic<int64_t> g_commands{0};
std::atomic<int64_t> g_connects{0};
std::atomic<int64_t> g_connect_failures{0};

thread_local DeferredWrites* t_deferred = nullptr;

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Status BadUrl(const std::string& url, const std::string& why) {
  return Status::InvalidArgument("invalid redis URL '" + url + "': " + why);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string RedisEndpoint::Identity() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

std::string RedisEndpoint::Url() const {
  const bool v6 = host.find(':') != std::string::npos;
  return "redis://" + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + "/" + std::to_string(db);
}

Result<ParsedRedisUrl> ParseRedisUrl(const std::string& url) {
  std::string_view rest(url);
  if (!StartsWith(rest, "redis://")) {
    return BadUrl(url, "the scheme must be redis://");
  }
  rest.remove_prefix(8);
  ParsedRedisUrl parsed;
  RedisEndpoint& ep = parsed.endpoint;

  std::string_view query;
  if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  // userinfo@hostport
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    std::string_view user = userinfo, pass;
    if (const size_t colon = userinfo.find(':');
        colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      pass = userinfo.substr(colon + 1);
    } else {
      // "redis://secret@host" is the password alone, as redis-cli reads it.
      pass = userinfo;
      user = {};
    }
    if (!PercentDecode(user, &ep.username) ||
        !PercentDecode(pass, &ep.password)) {
      return BadUrl(url, "bad %-escape in the user or password");
    }
  }
  // host[:port], host may be [v6].
  std::string_view host = rest, port;
  if (StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return BadUrl(url, "unterminated [IPv6] host");
    }
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return BadUrl(url, "junk after ]");
      port = after.substr(1);
    }
  } else if (const size_t colon = rest.rfind(':');
             colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (!host.empty()) ep.host = std::string(host);
  if (ep.host == "localhost") ep.host = "127.0.0.1";
  int64_t value = 0;
  if (!port.empty()) {
    if (!ParseInt(port, 1, 65535, &value)) {
      return BadUrl(url,
                    "port must be 1..65535, got '" + std::string(port) + "'");
    }
    ep.port = static_cast<int>(value);
  }
  if (!path.empty()) {
    if (!ParseInt(path, 0, 100000, &value)) {
      return BadUrl(url, "the path must be a database number, got '" +
                             std::string(path) + "'");
    }
    ep.db = static_cast<int>(value);
  }
  auto options = ParseUrlOptions(query);
  if (!options.ok()) return BadUrl(url, options.status().message());
  for (auto& [name, text] : *options) {
    if (name == "pool") {
      if (!ParseInt(text, 1, 4096, &value)) {
        return BadUrl(url, "option 'pool' must be 1..4096");
      }
      ep.pool_size = static_cast<int>(value);
    } else if (name == "pipelines") {
      if (!ParseInt(text, 0, 1024, &value)) {
        return BadUrl(url, "option 'pipelines' must be 0..1024");
      }
      ep.pipelines = static_cast<int>(value);
    } else if (name == "timeout_ms") {
      if (!ParseInt(text, 1, 3600000, &value)) {
        return BadUrl(url, "option 'timeout_ms' must be 1..3600000");
      }
      ep.io_timeout = std::chrono::milliseconds(value);
    } else if (name == "connect_timeout_ms") {
      if (!ParseInt(text, 1, 3600000, &value)) {
        return BadUrl(url, "option 'connect_timeout_ms' must be 1..3600000");
      }
      ep.connect_timeout = std::chrono::milliseconds(value);
    } else {
      parsed.options.emplace_back(name, std::move(text));
    }
  }
  return parsed;
}

void ReplyDeleter::operator()(redisReply* r) const {
  if (r != nullptr) freeReplyObject(r);
}

std::string RedisScript::sha() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sha_;
}

void RedisScript::set_sha(const std::string& sha) const {
  std::lock_guard<std::mutex> lock(mu_);
  sha_ = sha;
}

RedisCommand Cmd(std::initializer_list<std::string_view> args) {
  RedisCommand c;
  c.args.reserve(args.size());
  for (std::string_view a : args) c.args.emplace_back(a);
  return c;
}

RedisCommand Eval(const RedisScript& script,
                  std::initializer_list<std::string_view> keys,
                  std::initializer_list<std::string_view> args) {
  RedisCommand c;
  c.script = &script;
  c.args.reserve(3 + keys.size() + args.size());
  c.args.emplace_back();  // EVALSHA or EVAL, chosen when sent
  c.args.emplace_back();  // sha or body
  c.args.push_back(std::to_string(keys.size()));
  for (std::string_view k : keys) c.args.emplace_back(k);
  for (std::string_view a : args) c.args.emplace_back(a);
  return c;
}

bool IsError(const redisReply* r) {
  return r != nullptr && r->type == REDIS_REPLY_ERROR;
}

bool IsNil(const redisReply* r) {
  return r == nullptr || r->type == REDIS_REPLY_NIL;
}

std::string_view ReplyString(const redisReply* r) {
  if (r == nullptr || r->str == nullptr) return {};
  return std::string_view(r->str, r->len);
}

Status RedisErrorStatus(const redisReply* r, std::string_view what) {
  const std::string_view text = ReplyString(r);
  const std::string message =
      "redis " + std::string(what) + ": " + std::string(text);
  for (std::string_view transient :
       {"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "READONLY", "CLUSTERDOWN",
        "NOREPLICAS", "UNBLOCKED"}) {
    if (StartsWith(text, transient)) return Status::Unavailable(message);
  }
  if (StartsWith(text, "OOM")) {
    return Status(StatusCode::kResourceExhausted, message);
  }
  if (StartsWith(text, "NOAUTH") || StartsWith(text, "WRONGPASS") ||
      StartsWith(text, "NOPERM")) {
    return Status(StatusCode::kPermissionDenied, message);
  }
  return Status::Internal(message);
}

Status CheckReply(const redisReply* r, std::string_view what) {
  if (r == nullptr)
    return Status::Internal("redis " + std::string(what) + ": no reply");
  if (IsError(r)) return RedisErrorStatus(r, what);
  return Status::Ok();
}

ClientStats GetClientStats() {
  return ClientStats{.round_trips = g_round_trips.load(),
                     .calls = g_calls.load(),
                     .commands = g_commands.load(),
                     .connects = g_connects.load(),
                     .connect_failures = g_connect_failures.load()};
}

// --- RedisConnection -------------------------------------------------------

RedisConnection::RedisConnection(redisContext* ctx, std::string where)
    : ctx_(ctx), where_(std::move(where)) {}

RedisConnection::~RedisConnection() {
  if (ctx_ != nullptr) redisFree(ctx_);
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint,
    const std::vector<const RedisScript*>& scripts,
    std::chrono::milliseconds io_timeout) {
  // A write to a socket the server closed must fail, not kill the process.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 &&
        current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
  const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  redisContext* ctx =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                              ToTimeval(endpoint.connect_timeout));
  if (ctx == nullptr || ctx->err != 0) {
    ++g_connect_failures;
    std::string why = ctx ? ctx->errstr : "out of memory";
    if (ctx != nullptr) redisFree(ctx);
    return Status::Unavailable("cannot connect to redis at " + where + ": " +
                               why);
  }
  ++g_connects;
  if (io_timeout.count() <= 0) io_timeout = endpoint.io_timeout;
  redisSetTimeout(ctx, ToTimeval(io_timeout));
  redisEnableKeepAlive(ctx);
  std::unique_ptr<RedisConnection> conn(new RedisConnection(ctx, where));

  std::vector<RedisCommand> setup;
  if (!endpoint.password.empty()) {
    setup.push_back(endpoint.username.empty()
                        ? Cmd({"AUTH", endpoint.password})
                        : Cmd({"AUTH", endpoint.username, endpoint.password}));
  }
  if (endpoint.db != 0) {
    setup.push_back(Cmd({"SELECT", std::to_string(endpoint.db)}));
  }
  for (const RedisScript* s : scripts) {
    setup.push_back(Cmd({"SCRIPT", "LOAD", s->body()}));
  }
  if (setup.empty()) return conn;
  UNUM_ASSIGN_OR_RETURN(Replies replies, conn->Execute({}, setup));
  size_t i = 0;
  if (!endpoint.password.empty()) {
    UNUM_RETURN_IF_ERROR(CheckReply(replies.plain[i++].get(), "AUTH"));
  }
  if (endpoint.db != 0) {
    UNUM_RETURN_IF_ERROR(CheckReply(replies.plain[i++].get(), "SELECT"));
  }
  for (const RedisScript* s : scripts) {
    const redisReply* r = replies.plain[i++].get();
    UNUM_RETURN_IF_ERROR(CheckReply(r, "SCRIPT LOAD"));
    s->set_sha(std::string(ReplyString(r)));
  }
  return conn;
}

Status RedisConnection::Broken(std::string_view what) {
  broken_ = true;
  return Status::Unavailable("redis at " + where_ + ": " + std::string(what) +
                             ": " +
                             (ctx_->errstr[0] ? ctx_->errstr : "I/O error"));
}

void RedisConnection::Append(const RedisCommand& command, bool as_eval) {
  std::vector<const char*> argv(command.args.size());
  std::vector<size_t> lens(command.args.size());
  std::string sha;
  for (size_t i = 0; i < command.args.size(); ++i) {
    argv[i] = command.args[i].data();
    lens[i] = command.args[i].size();
  }
  if (command.script != nullptr) {
    sha = command.script->sha();
    const bool use_sha = !as_eval && !sha.empty();
    static constexpr std::string_view kEvalSha = "EVALSHA", kEval = "EVAL";
    argv[0] = use_sha ? kEvalSha.data() : kEval.data();
    lens[0] = use_sha ? kEvalSha.size() : kEval.size();
    argv[1] = use_sha ? sha.data() : command.script->body().data();
    lens[1] = use_sha ? sha.size() : command.script->body().size();
  }
  redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                         lens.data());
  ++g_commands;
}

Status RedisConnection::ReadReply(ReplyPtr* out) {
  void* reply = nullptr;
  if (redisGetReply(ctx_, &reply) != REDIS_OK || reply == nullptr) {
    return Broken("reading a reply");
  }
  out->reset(static_cast<redisReply*>(reply));
  return Status::Ok();
}

namespace {

bool IsNoScript(const redisReply* r) {
  return IsError(r) && StartsWith(ReplyString(r), "NOSCRIPT");
}

}  // namespace

void RedisConnection::AppendRequest(const std::vector<RedisCommand>& tx,
                                    const std::vector<RedisCommand>& plain) {
  if (!tx.empty()) {
    Append(Cmd({"MULTI"}), false);
    for (const RedisCommand& c : tx) Append(c, false);
    Append(Cmd({"EXEC"}), false);
  }
  for (const RedisCommand& c : plain) Append(c, false);
}

Result<RedisConnection::Replies> RedisConnection::ReadRequest(
    const std::vector<RedisCommand>& tx,
    const std::vector<RedisCommand>& plain) {
  Replies out;
  if (!tx.empty()) {
    ReplyPtr r;
    UNUM_RETURN_IF_ERROR(ReadReply(&r));  // MULTI
    Status queued = CheckReply(r.get(), "MULTI");
    for (size_t i = 0; i < tx.size(); ++i) {
      UNUM_RETURN_IF_ERROR(ReadReply(&r));  // QUEUED or an error
      if (queued.ok() && IsError(r.get())) {
        queued = RedisErrorStatus(r.get(), "queueing " + tx[i].args[0]);
      }
    }
    UNUM_RETURN_IF_ERROR(ReadReply(&r));  // EXEC
    if (r->type == REDIS_REPLY_ARRAY && r->elements == tx.size()) {
      out.tx.reserve(tx.size());
      for (size_t i = 0; i < r->elements; ++i) {
        out.tx.emplace_back(r->element[i]);
        r->element[i] = nullptr;  // now owned by out.tx
      }
    } else {
      if (!queued.ok()) {
        out.tx_status = queued;
      } else if (IsError(r.get())) {
        out.tx_status = RedisErrorStatus(r.get(), "EXEC");
      } else {
        out.tx_status = Status::Aborted("redis EXEC: aborted");
      }
    }
  }
  out.plain.reserve(plain.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    ReplyPtr r;
    UNUM_RETURN_IF_ERROR(ReadReply(&r));
    out.plain.push_back(std::move(r));
  }
  return out;
}

Status RedisConnection::FinishRequest(const std::vector<RedisCommand>& tx,
                                      const std::vector<RedisCommand>& plain,
                                      Replies* out) {
  // Scripts the server forgot (restart, SCRIPT FLUSH): send them as EVAL.
  std::vector<std::pair<const RedisCommand*, ReplyPtr*>> redo;
  for (size_t i = 0; i < out->tx.size(); ++i) {
    if (tx[i].script && IsNoScript(out->tx[i].get())) {
      redo.emplace_back(&tx[i], &out->tx[i]);
    }
  }
  for (size_t i = 0; i < out->plain.size(); ++i) {
    if (plain[i].script && IsNoScript(out->plain[i].get())) {
      redo.emplace_back(&plain[i], &out->plain[i]);
    }
  }
  if (!redo.empty()) {
    if (broken_) return Status::Unavailable("redis at " + where_ + ": broken");
    for (auto& [command, reply] : redo) Append(*command, /*as_eval=*/true);
    ++g_round_trips;
    for (auto& [command, reply] : redo) {
      UNUM_RETURN_IF_ERROR(ReadReply(reply));
    }
  }
  for (const ReplyPtr& r : out->tx) {
    if (out->tx_status.ok() && IsError(r.get())) {
      out->tx_status = RedisErrorStatus(r.get(), "transaction");
    }
  }
  return Status::Ok();
}

Result<RedisConnection::Replies> RedisConnection::Execute(
    const std::vector<RedisCommand>& tx,
    const std::vector<RedisCommand>& plain) {
  if (broken_) return Status::Unavailable("redis at " + where_ + ": broken");
  if (tx.empty() && plain.empty()) return Replies{};
  AppendRequest(tx, plain);
  ++g_round_trips;
  ++g_calls;
  UNUM_ASSIGN_OR_RETURN(Replies out, ReadRequest(tx, plain));
  UNUM_RETURN_IF_ERROR(FinishRequest(tx, plain, &out));
  return out;
}

void RedisConnection::ExecuteMany(const std::vector<Request*>& requests) {
  const Status broken = Status::Unavailable("redis at " + where_ + ": broken");
  if (broken_) {
    for (Request* r : requests) r->result = broken;
    return;
  }
  int64_t sent = 0;
  for (Request* r : requests) {
    if (r->tx->empty() && r->plain->empty()) {
      r->result = Replies{};
      continue;
    }
    AppendRequest(*r->tx, *r->plain);
    ++sent;
  }
  if (sent == 0) return;
  ++g_round_trips;
  g_calls += sent;
  Status failed;  // the I/O error that ends the pipeline
  for (Request* r : requests) {
    if (r->tx->empty() && r->plain->empty()) continue;
    if (!failed.ok()) {
      r->result = failed;
      continue;
    }
    Result<Replies> got = ReadRequest(*r->tx, *r->plain);
    if (!got.ok()) failed = got.status();
    r->result = std::move(got);
  }
  for (Request* r : requests) {
    if (!r->result.ok()) continue;
    Status s = FinishRequest(*r->tx, *r->plain, &*r->result);
    if (!s.ok()) r->result = s;
  }
}

Result<ReplyPtr> RedisConnection::Run(const RedisCommand& command) {
  UNUM_ASSIGN_OR_RETURN(Replies replies, Execute({}, {command}));
  return std::move(replies.plain[0]);
}

// --- RedisConnectionPool ---------------------------------------------------

RedisConnectionPool::RedisConnectionPool(
    RedisEndpoint endpoint, std::vector<const RedisScript*> scripts)
    : endpoint_(std::move(endpoint)), scripts_(std::move(scripts)) {}

RedisConnectionPool::~RedisConnectionPool() = default;

RedisConnectionPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

Result<RedisConnectionPool::Lease> RedisConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  const bool ok = cv_.wait_for(lock, endpoint_.io_timeout, [&] {
    return !idle_.empty() || open_ < endpoint_.pool_size;
  });
  if (!ok) {
    return Status::Unavailable("redis connection pool exhausted (" +
                               std::to_string(endpoint_.pool_size) +
                               " connections busy)");
  }
  if (!idle_.empty()) {
    std::unique_ptr<RedisConnection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = RedisConnection::Open(endpoint_, scripts_);
  if (!conn.ok()) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void RedisConnectionPool::Release(std::unique_ptr<RedisConnection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->broken()) {
    --open_;
    // A broken connection hints the server went away; idle ones are likely
    // dead as well. Drop them so the next use reconnects at once.
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Result<RedisConnection::Replies> RedisConnectionPool::Execute(
    const std::vector<RedisCommand>& tx,
    const std::vector<RedisCommand>& plain) {
  if (endpoint_.pipelines > 0) return ExecuteMerged(tx, plain);
  UNUM_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return lease->Execute(tx, plain);
}

Result<RedisConnection::Replies> RedisConnectionPool::ExecuteMerged(
    const std::vector<RedisCommand>& tx,
    const std::vector<RedisCommand>& plain) {
  // Bounds one pipeline, so a burst of callers cannot build a huge write.
  constexpr size_t kMaxMerged = 256;
  auto self = std::make_shared<Waiter>();
  self->request.tx = &tx;
  self->request.plain = &plain;
  std::unique_lock<std::mutex> lock(merge_mu_);
  queued_.push_back(self);
  while (!self->done) {
    if (senders_ >= endpoint_.pipelines || queued_.empty()) {
      self->cv.wait(lock);
      continue;
    }
    // Lead a pipeline: take what is queued (ours, if still there, and the
    // calls of threads that waited behind the pipelines in flight).
    ++senders_;
    const size_t n = std::min(queued_.size(), kMaxMerged);
    std::vector<std::shared_ptr<Waiter>> batch(queued_.begin(),
                                               queued_.begin() + n);
    queued_.erase(queued_.begin(), queued_.begin() + n);
    lock.unlock();
    std::vector<RedisConnection::Request*> requests;
    requests.reserve(batch.size());
    for (const auto& w : batch) requests.push_back(&w->request);
    {
      Result<Lease> lease = Acquire();
      if (!lease.ok()) {
        for (RedisConnection::Request* r : requests) {
          r->result = lease.status();
        }
      } else {
        (*lease)->ExecuteMany(requests);
      }
    }
    lock.lock();
    --senders_;
    for (const auto& w : batch) w->done = true;
    // Calls queued meanwhile: the oldest caller leads the next pipeline.
    std::shared_ptr<Waiter> next;
    if (!queued_.empty() && senders_ < endpoint_.pipelines) {
      next = queued_.front();
    }
    lock.unlock();
    for (const auto& w : batch) {
      if (w != self) w->cv.notify_one();
    }
    if (next != nullptr && next != self) next->cv.notify_one();
    lock.lock();
  }
  return std::move(self->request.result);
}

Result<ReplyPtr> RedisConnectionPool::Run(const RedisCommand& command) {
  UNUM_ASSIGN_OR_RETURN(RedisConnection::Replies replies,
                        Execute({}, {command}));
  return std::move(replies.plain[0]);
}

// --- DeferredWrites --------------------------------------------------------

DeferredWrites* DeferredWrites::For(const std::string& endpoint_identity) {
  DeferredWrites* w = t_deferred;
  return (w != nullptr && w->endpoint_ == endpoint_identity) ? w : nullptr;
}

DeferredWrites::Scope::Scope(DeferredWrites* w) : previous_(t_deferred) {
  t_deferred = w;
}

DeferredWrites::Scope::~Scope() { t_deferred = previous_; }

Result<std::vector<ReplyPtr>> ExecuteWithDeferred(
    RedisConnectionPool& pool, const std::vector<RedisCommand>& plain) {
  DeferredWrites* w = DeferredWrites::For(pool.endpoint().Identity());
  static const std::vector<RedisCommand> kNone;
  const std::vector<RedisCommand>& tx = (w != nullptr) ? w->commands() : kNone;
  UNUM_ASSIGN_OR_RETURN(RedisConnection::Replies replies,
                        pool.Execute(tx, plain));
  if (w != nullptr) {
    // Answered: the writes happened (or failed for good); do not resend.
    w->commands().clear();
    UNUM_RETURN_IF_ERROR(replies.tx_status);
  }
  return std::move(replies.plain);
}

}  // namespace unum::redis
