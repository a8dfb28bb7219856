// RedisPlatform: see redis_platform.h.
#include "platform/redis/redis_platform.h"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

#include "common/json_text.h"
#include "common/url_options.h"
#include "platform/redis/stream_entry.h"

namespace unum {

using nlohmann::json;
using redis::Cmd;
using redis::RedisCommand;
using redis::ReplyString;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Lua scripts. Time is the server's (TIME), so workers on machines with
// skewed clocks agree on when a delayed invocation is due.

// KEYS: delayed. ARGV: delay_ms, member.
const redis::RedisScript kScheduleScript(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
return 1
)lua");

// Moves due delayed invocations into the stream. KEYS: delayed, stream.
// ARGV: max. Returns how many moved.
const redis::RedisScript kPromoteScript(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0,
                       tonumber(ARGV[1]))
for _, m in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', 'm', m)
  redis.call('ZREM', KEYS[1], m)
end
return #due
)lua");

// Acknowledges a delivery. KEYS: stream, inflight. ARGV: group, id,
// session. A second acknowledgement (a duplicate's) changes nothing.
const redis::RedisScript kAckScript(R"lua(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XDEL', KEYS[1], ARGV[2])
  if redis.call('HINCRBY', KEYS[2], ARGV[3], -1) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[3])
  end
  return 1
end
return 0
)lua");

// Acknowledges a failed delivery and schedules its retry. KEYS: stream,
// delayed. ARGV: group, id, delay_ms, member. The in-flight count is
// unchanged: the invocation is still in flight.
const redis::RedisScript kRequeueScript(R"lua(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XDEL', KEYS[1], ARGV[2])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[4])
  return 1
end
return 0
)lua");

// Gives up on an entry. KEYS: stream, inflight, dead. ARGV: group, id,
// session, body, reason.
const redis::RedisScript kDeadScript(R"lua(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XDEL', KEYS[1], ARGV[2])
  if redis.call('HINCRBY', KEYS[2], ARGV[3], -1) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[3])
  end
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'm', ARGV[4],
             'reason', ARGV[5])
  return 1
end
return 0
)lua");

const std::vector<const redis::RedisScript*>& AllScripts() {
  static const std::vector<const redis::RedisScript*> scripts = {
      &kScheduleScript, &kPromoteScript, &kAckScript, &kRequeueScript,
      &kDeadScript};
  return scripts;
}

constexpr milliseconds kMaxDelay = std::chrono::hours(24 * 365);

std::string AppKey(const std::string& app, std::string_view what) {
  return "unumq:" + std::to_string(app.size()) + ":" + app + ":" +
         std::string(what);
}

std::string SessionOf(const json& payload) {
  if (payload.is_object()) {
    auto it = payload.find("Session");
    if (it != payload.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

std::string DefaultConsumer() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device rd;
  char suffix[16];
  snprintf(suffix, sizeof(suffix), "%06x", rd() & 0xffffff);
  return std::string(host[0] ? host : "worker") + "-" +
         std::to_string(getpid()) + "-" + suffix;
}

milliseconds Backoff(milliseconds base, int attempt) {
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t ms = base.count() << shift;
  if (base.count() > 0 && (ms >> shift) != base.count()) return kMaxDelay;
  return std::min(milliseconds(ms), kMaxDelay);
}

// Entries of an XREADGROUP / XAUTOCLAIM entry array: [[id, [f, v, ...]]].
void ParseEntries(const redisReply* array, std::vector<std::string>* ids,
                  std::vector<std::string>* bodies) {
  if (array == nullptr || array->type != REDIS_REPLY_ARRAY) return;
  for (size_t i = 0; i < array->elements; ++i) {
    const redisReply* e = array->element[i];
    if (e == nullptr || e->type != REDIS_REPLY_ARRAY || e->elements < 2) {
      continue;  // deleted meanwhile
    }
    std::string body;
    const redisReply* fields = e->element[1];
    if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
      for (size_t f = 0; f + 1 < fields->elements; f += 2) {
        if (ReplyString(fields->element[f]) == "m") {
          body = std::string(ReplyString(fields->element[f + 1]));
        }
      }
    }
    ids->emplace_back(ReplyString(e->element[0]));
    bodies->push_back(std::move(body));
  }
}

}  // namespace

Result<RedisPlatformOptions> ParseRedisPlatformUrl(const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(redis::ParsedRedisUrl parsed,
                        redis::ParseRedisUrl(url));
  RedisPlatformOptions options;
  options.endpoint = parsed.endpoint;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid redis platform URL '" + url +
                                   "': " + why);
  };
  for (const auto& [name, text] : parsed.options) {
    struct IntOption {
      const char* name;
      int64_t lo, hi;
    };
    static constexpr IntOption kInts[] = {
        {"max_attempts", 1, 1000},
        {"retry_backoff_ms", 0, int64_t{86400000}},
        {"visibility_ms", 50, int64_t{86400000}},
        {"block_ms", 1, 60000},
        {"tick_ms", 1, 60000},
        {"concurrency", 1, 1024},
        {"max_deliveries", 1, 1000000},
        {"batch", 1, 1000},
    };
    if (name == "app") {
      options.app = text;
      continue;
    }
    if (name == "group") {
      if (text.empty()) return bad("option 'group' is empty");
      options.group = text;
      continue;
    }
    if (name == "consumer") {
      if (text.empty()) return bad("option 'consumer' is empty");
      options.consumer = text;
      continue;
    }
    const IntOption* option = nullptr;
    for (const IntOption& o : kInts) {
      if (name == o.name) option = &o;
    }
    if (option == nullptr) {
      return bad(
          "unknown option '" + name +
          "' (known: app, group, consumer, max_attempts, "
          "retry_backoff_ms, visibility_ms, block_ms, tick_ms, "
          "concurrency, batch, max_deliveries, pool, pipelines, timeout_ms, "
          "connect_timeout_ms)");
    }
    int64_t value = 0;
    if (!ParseInt(text, option->lo, option->hi, &value)) {
      return bad("option '" + name + "' must be an integer in [" +
                 std::to_string(option->lo) + ", " +
                 std::to_string(option->hi) + "], got '" + text + "'");
    }
    if (name == "max_attempts") {
      options.max_attempts = static_cast<int>(value);
    } else if (name == "retry_backoff_ms") {
      options.retry_backoff = milliseconds(value);
    } else if (name == "visibility_ms") {
      options.visibility_timeout = milliseconds(value);
    } else if (name == "block_ms") {
      options.block = milliseconds(value);
    } else if (name == "tick_ms") {
      options.tick = milliseconds(value);
    } else if (name == "concurrency") {
      options.concurrency = static_cast<int>(value);
    } else if (name == "batch") {
      options.batch = static_cast<int>(value);
    } else {
      options.max_deliveries = static_cast<int>(value);
    }
  }
  return options;
}

std::string RedisPlatform::StreamKey(const std::string& app) {
  return AppKey(app, "stream");
}
std::string RedisPlatform::DelayedKey(const std::string& app) {
  return AppKey(app, "delayed");
}
std::string RedisPlatform::InflightKey(const std::string& app) {
  return AppKey(app, "inflight");
}
std::string RedisPlatform::DeadKey(const std::string& app) {
  return AppKey(app, "dead");
}

Result<std::unique_ptr<RedisPlatform>> RedisPlatform::Create(
    RedisPlatformOptions options, Role role) {
  if (options.app.empty()) {
    return Status::InvalidArgument(
        "the redis platform needs the app's name (?app=NAME) to find its "
        "queue");
  }
  options.concurrency = std::max(options.concurrency, 1);
  options.max_attempts = std::max(options.max_attempts, 1);
  if (options.consumer.empty()) options.consumer = DefaultConsumer();
  return std::unique_ptr<RedisPlatform>(
      new RedisPlatform(std::move(options), role));
}

RedisPlatform::RedisPlatform(RedisPlatformOptions options, Role role)
    : options_(std::move(options)),
      role_(role),
      identity_(options_.endpoint.Identity()),
      stream_(StreamKey(options_.app)),
      delayed_(DelayedKey(options_.app)),
      inflight_(InflightKey(options_.app)),
      dead_(DeadKey(options_.app)),
      pool_(options_.endpoint, AllScripts()) {}

RedisPlatform::~RedisPlatform() { Stop(); }

void RedisPlatform::SetExhaustedCallback(
    std::function<void(const Invocation&, const Status&)> cb) {
  std::lock_guard<std::mutex> lock(mu_);
  exhausted_cb_ = std::move(cb);
}

void RedisPlatform::Start(InvocationHandler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  if (role_ == Role::kSubmitter) return;  // workers run it elsewhere
  handler_ = std::move(handler);
  for (int i = 0; i < options_.concurrency; ++i) {
    threads_.emplace_back([this] { ConsumerLoop(); });
  }
  threads_.emplace_back([this] { HousekeepingLoop(); });
}

void RedisPlatform::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void RedisPlatform::Pause(milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

// --- Submitting ------------------------------------------------------------

void RedisPlatform::AppendEnqueue(const std::string& session,
                                  const std::string& envelope,
                                  milliseconds delay,
                                  std::vector<RedisCommand>* out) const {
  out->push_back(Cmd({"HINCRBY", inflight_, session, "1"}));
  if (delay.count() <= 0) {
    out->push_back(Cmd({"XADD", stream_, "*", "m", envelope}));
  } else {
    out->push_back(redis::Eval(kScheduleScript, {delayed_},
                               {std::to_string(delay.count()), envelope}));
  }
}

Status RedisPlatform::Enqueue(milliseconds delay, const std::string& function,
                              const json& payload) {
  if (stopping_) {
    return Status::FailedPrecondition("redis platform is stopped");
  }
  delay = std::clamp(delay, milliseconds(0), kMaxDelay);
  std::string envelope;
  try {
    json env = {{"f", function}, {"a", 1}, {"p", payload}};
    if (delay.count() > 0) {
      // Members of the delayed set must be unique.
      static thread_local std::mt19937_64 gen{std::random_device{}()};
      env["n"] = gen();
    }
    envelope = ToJsonText(env);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("payload of " + function +
                                   " cannot be serialized: " + e.what());
  }
  const std::string session = SessionOf(payload);
  std::vector<RedisCommand> tx;
  AppendEnqueue(session, envelope, delay, &tx);
  ++invocations_;
  if (role_ == Role::kSubmitter) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.insert(session);
  }
  if (redis::DeferredWrites* w = redis::DeferredWrites::For(identity_)) {
    for (RedisCommand& c : tx) w->Add(std::move(c));
    return Status::Ok();
  }
  UNUM_ASSIGN_OR_RETURN(redis::RedisConnection::Replies replies,
                        pool_.Execute(tx, {}));
  return replies.tx_status.WithContext("invoke " + function);
}

Status RedisPlatform::Invoke(const std::string& function, json payload) {
  return Enqueue(milliseconds(0), function, payload);
}

Status RedisPlatform::InvokeAfter(milliseconds delay,
                                  const std::string& function, json payload) {
  return Enqueue(delay, function, payload);
}

// --- Waiting ---------------------------------------------------------------

Result<RedisPlatform::Depth> RedisPlatform::QueueDepth() {
  UNUM_ASSIGN_OR_RETURN(
      redis::RedisConnection::Replies r,
      pool_.Execute({}, {Cmd({"XLEN", stream_}), Cmd({"ZCARD", delayed_}),
                         Cmd({"HLEN", inflight_})}));
  for (const auto& reply : r.plain) {
    UNUM_RETURN_IF_ERROR(redis::CheckReply(reply.get(), "queue depth"));
  }
  Depth d;
  d.stream = r.plain[0]->integer;
  d.delayed = r.plain[1]->integer;
  d.inflight_sessions = r.plain[2]->integer;
  last_stream_ = d.stream;
  last_delayed_ = d.delayed;
  return d;
}

Status RedisPlatform::WaitUntil(const std::function<bool()>& done,
                                milliseconds timeout) {
  const auto start = Clock::now();
  auto interval = milliseconds(1);
  while (true) {
    if (done()) return Status::Ok();
    std::vector<std::string> sessions;
    {
      std::lock_guard<std::mutex> lock(mu_);
      sessions.assign(sessions_.begin(), sessions_.end());
    }
    std::vector<RedisCommand> probe = {Cmd({"XLEN", stream_}),
                                       Cmd({"ZCARD", delayed_})};
    if (!sessions.empty()) {
      RedisCommand hmget = Cmd({"HMGET", inflight_});
      for (const std::string& s : sessions) hmget.args.push_back(s);
      probe.push_back(std::move(hmget));
    }
    bool idle = false;
    auto r = pool_.Execute({}, probe);
    if (r.ok() && !redis::IsError(r->plain[0].get()) &&
        !redis::IsError(r->plain[1].get())) {
      last_stream_ = r->plain[0]->integer;
      last_delayed_ = r->plain[1]->integer;
      if (sessions.empty()) {
        idle = last_stream_ == 0 && last_delayed_ == 0;
      } else if (r->plain[2]->type == REDIS_REPLY_ARRAY) {
        idle = true;
        for (size_t i = 0; i < r->plain[2]->elements; ++i) {
          const redisReply* count = r->plain[2]->element[i];
          int64_t n = 0;
          if (!redis::IsNil(count) &&
              ParseInt(ReplyString(count), INT64_MIN, INT64_MAX, &n) && n > 0) {
            idle = false;
          }
        }
      }
      if (role_ == Role::kWorker && running_ > 0) idle = false;
    }
    if (idle) {
      if (done()) return Status::Ok();
      return Status::FailedPrecondition(
          "idle: nothing queued, delayed or running for the sessions "
          "submitted here");
    }
    const auto elapsed =
        std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    if (elapsed >= timeout) return Status::DeadlineExceeded("timed out");
    std::this_thread::sleep_for(std::min(interval, timeout - elapsed));
    interval = std::min(interval * 2, milliseconds(20));
  }
}

PlatformStats RedisPlatform::stats() const {
  PlatformStats s;
  s.invocations = invocations_;
  s.completed = completed_;
  s.failed_attempts = failed_attempts_;
  s.retries = retries_;
  s.exhausted = exhausted_;
  s.running = running_;
  s.queued = std::max<int64_t>(last_stream_ - running_, 0);
  s.delayed = last_delayed_;
  return s;
}

RedisPlatform::WorkerStats RedisPlatform::worker_stats() const {
  WorkerStats s;
  s.deliveries = deliveries_;
  s.reclaimed = reclaimed_count_;
  s.dead_lettered = dead_lettered_;
  s.idle_round_trips = idle_round_trips_;
  s.housekeeping_round_trips = housekeeping_round_trips_;
  return s;
}

// --- Delivering ------------------------------------------------------------

Status RedisPlatform::EnsureGroup(redis::RedisConnection& conn) {
  auto r = conn.Run(
      Cmd({"XGROUP", "CREATE", stream_, options_.group, "0", "MKSTREAM"}));
  if (!r.ok()) return r.status();
  if (redis::IsError(r->get()) &&
      ReplyString(r->get()).substr(0, 9) != "BUSYGROUP") {
    return redis::RedisErrorStatus(r->get(), "XGROUP CREATE");
  }
  return Status::Ok();
}

Status RedisPlatform::RunHandler(const Invocation& invocation) {
  try {
    return handler_(invocation);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("handler threw: ") + e.what());
  } catch (...) {
    return Status::Internal("handler threw a non-standard exception");
  }
}

RedisCommand RedisPlatform::AckCommand(const std::string& id,
                                       const std::string& session) const {
  return redis::Eval(kAckScript, {stream_, inflight_},
                     {options_.group, id, session});
}

void RedisPlatform::Deliver(const Entry& entry, redis::DeferredWrites* writes) {
  ++deliveries_;
  Result<StreamEntry> decoded = DecodeStreamEntry(entry.body);
  if (!decoded.ok()) {
    spdlog::error(
        "redis platform: entry {} is not an invocation ({}); moved to {}",
        entry.id, decoded.status().message(), dead_);
    ++dead_lettered_;
    writes->Add(
        redis::Eval(kDeadScript, {stream_, inflight_, dead_},
                    {options_.group, entry.id, "", entry.body,
                     "not an invocation: " + decoded.status().message()}));
    return;
  }
  Invocation inv;
  inv.function = std::move(decoded->function);
  inv.payload = std::move(decoded->payload);
  inv.attempt = decoded->attempt;
  const int infra_retries = decoded->infra_retries;
  const std::string session = SessionOf(inv.payload);

  ++running_;
  Status status;
  {
    redis::DeferredWrites::Scope scope(writes);
    status = RunHandler(inv);
  }
  --running_;
  if (status.ok()) {
    ++completed_;
    writes->Add(AckCommand(entry.id, session));
    return;
  }
  ++failed_attempts_;
  const bool infra = status.IsUnavailable() && infra_retries < kMaxInfraRetries;
  if (infra || inv.attempt < options_.max_attempts) {
    json next = {{"f", inv.function},
                 {"a", infra ? inv.attempt : inv.attempt + 1},
                 {"p", inv.payload}};
    if (infra) next["r"] = infra_retries + 1;
    static thread_local std::mt19937_64 gen{std::random_device{}()};
    next["n"] = gen();
    const milliseconds delay =
        infra ? std::min(Backoff(milliseconds(10), infra_retries + 1),
                         milliseconds(2000))
              : Backoff(options_.retry_backoff, inv.attempt);
    spdlog::debug("{} attempt {} failed ({}); retrying in {} ms", inv.function,
                  inv.attempt, status.ToString(), delay.count());
    if (!infra) ++retries_;
    writes->Add(redis::Eval(kRequeueScript, {stream_, delayed_},
                            {options_.group, entry.id,
                             std::to_string(delay.count()), next.dump()}));
    return;
  }
  ++exhausted_;
  std::function<void(const Invocation&, const Status&)> cb;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cb = exhausted_cb_;
  }
  if (cb) {
    try {
      cb(inv, status);
    } catch (...) {
      spdlog::error("redis platform: exhausted callback threw");
    }
  }
  writes->Add(AckCommand(entry.id, session));
}

void RedisPlatform::ConsumerLoop() {
  std::unique_ptr<redis::RedisConnection> conn;
  // Writes of finished deliveries not yet sent: their datastore deletions,
  // invocations and acknowledgements. They go out in front of the next
  // datastore call of the next delivery, or with the next read.
  redis::DeferredWrites carry(identity_);
  std::vector<std::string> carry_ids;  // entries whose writes are in carry
  std::deque<Entry> batch;             // read by this thread, not yet run
  milliseconds backoff(10);
  auto release = [this](std::vector<std::string>* ids) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& id : *ids) {
      auto it = held_.find(id);
      if (it != held_.end() && --it->second <= 0) held_.erase(it);
    }
    ids->clear();
  };
  auto fail = [&](const Status& s) {
    spdlog::warn("redis platform: {}; reconnecting in {} ms", s.ToString(),
                 backoff.count());
    conn.reset();
    Pause(backoff);
    backoff = std::min(backoff * 2, milliseconds(1000));
  };
  while (true) {
    const bool stopping = stopping_;
    if (stopping && carry.empty() && batch.empty()) break;
    std::optional<Entry> entry;
    if (!batch.empty()) {
      entry = std::move(batch.front());
      batch.pop_front();
    } else if (!stopping) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!reclaimed_.empty()) {
        entry = std::move(reclaimed_.front());
        reclaimed_.pop_front();
      }
    }
    if (!entry) {
      // Send what is left and read more (or only send, when stopping).
      if (conn == nullptr) {
        auto opened = redis::RedisConnection::Open(
            options_.endpoint, AllScripts(),
            options_.block + options_.endpoint.io_timeout);
        if (!opened.ok()) {
          if (stopping) break;  // unacknowledged entries are reclaimed
          fail(opened.status());
          continue;
        }
        conn = std::move(opened).value();
        if (Status s = EnsureGroup(*conn); !s.ok()) {
          if (stopping) break;
          fail(s);
          continue;
        }
      }
      std::vector<RedisCommand> read;
      if (!stopping) {
        read.push_back(Cmd(
            {"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
             std::to_string(options_.batch), "BLOCK",
             std::to_string(options_.block.count()), "STREAMS", stream_, ">"}));
      }
      const bool had_carry = !carry.empty();
      auto r = conn->Execute(carry.commands(), read);
      if (!r.ok()) {
        if (stopping) break;
        fail(r.status());
        continue;
      }
      backoff = milliseconds(10);
      if (had_carry) {
        if (!r->tx_status.ok()) {
          spdlog::warn("redis platform: finishing deliveries: {}",
                       r->tx_status.ToString());
        }
        carry.commands().clear();
      } else if (!read.empty() && redis::IsNil(r->plain[0].get())) {
        ++idle_round_trips_;
      }
      release(&carry_ids);
      if (read.empty()) continue;
      const redisReply* reply = r->plain[0].get();
      if (redis::IsError(reply)) {
        if (ReplyString(reply).substr(0, 7) == "NOGROUP") {
          (void)EnsureGroup(*conn);
        } else {
          fail(redis::RedisErrorStatus(reply, "XREADGROUP"));
        }
        continue;
      }
      if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 &&
          reply->element[0]->type == REDIS_REPLY_ARRAY &&
          reply->element[0]->elements == 2) {
        std::vector<std::string> ids, bodies;
        ParseEntries(reply->element[0]->element[1], &ids, &bodies);
        std::lock_guard<std::mutex> lock(mu_);
        for (size_t i = 0; i < ids.size(); ++i) {
          ++held_[ids[i]];
          batch.push_back(Entry{ids[i], std::move(bodies[i]), 1});
        }
      }
      continue;
    }
    Deliver(*entry, &carry);
    carry_ids.push_back(entry->id);  // held (heartbeats) until carry is sent
  }
}

void RedisPlatform::Reclaim(redis::RedisConnection& conn) {
  int64_t room = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    room = int64_t{options_.concurrency} * 2 -
           static_cast<int64_t>(reclaimed_.size());
  }
  if (room <= 0) return;
  ++housekeeping_round_trips_;
  auto r =
      conn.Run(Cmd({"XAUTOCLAIM", stream_, options_.group, options_.consumer,
                    std::to_string(options_.visibility_timeout.count()), "0-0",
                    "COUNT", std::to_string(room)}));
  if (!r.ok() || redis::IsError(r->get())) {
    if (r.ok() && ReplyString(r->get()).substr(0, 7) == "NOGROUP") {
      (void)EnsureGroup(conn);
    }
    return;
  }
  const redisReply* reply = r->get();
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 2) return;
  std::vector<std::string> ids, bodies;
  ParseEntries(reply->element[1], &ids, &bodies);
  if (ids.empty()) return;
  // How often each was delivered (XAUTOCLAIM counted this one).
  std::vector<RedisCommand> pending;
  for (const std::string& id : ids) {
    pending.push_back(Cmd({"XPENDING", stream_, options_.group, id, id, "1"}));
  }
  ++housekeeping_round_trips_;
  auto counts = conn.Execute({}, pending);
  if (!counts.ok()) return;  // left pending; reclaimed again later
  std::vector<RedisCommand> dead;
  for (size_t i = 0; i < ids.size(); ++i) {
    int64_t deliveries = 1;
    const redisReply* p = counts->plain[i].get();
    if (p->type == REDIS_REPLY_ARRAY && p->elements == 1 &&
        p->element[0]->type == REDIS_REPLY_ARRAY &&
        p->element[0]->elements == 4) {
      deliveries = p->element[0]->element[3]->integer;
    }
    if (deliveries > options_.max_deliveries) {
      json env = json::parse(bodies[i], nullptr, false);
      const std::string session =
          env.is_object() && env.contains("p") ? SessionOf(env["p"]) : "";
      spdlog::error(
          "redis platform: entry {} was delivered {} times without "
          "finishing; moved to {}",
          ids[i], deliveries, dead_);
      ++dead_lettered_;
      dead.push_back(
          redis::Eval(kDeadScript, {stream_, inflight_, dead_},
                      {options_.group, ids[i], session, bodies[i],
                       "delivered " + std::to_string(deliveries) + " times"}));
      continue;
    }
    ++reclaimed_count_;
    std::lock_guard<std::mutex> lock(mu_);
    ++held_[ids[i]];
    reclaimed_.push_back(Entry{ids[i], std::move(bodies[i]), deliveries});
  }
  if (!dead.empty()) {
    ++housekeeping_round_trips_;
    (void)conn.Execute(dead, {});
  }
  cv_.notify_all();
}

void RedisPlatform::Heartbeat(redis::RedisConnection& conn) {
  RedisCommand claim =
      Cmd({"XCLAIM", stream_, options_.group, options_.consumer, "0"});
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (held_.empty()) return;
    for (const auto& [id, holders] : held_) claim.args.push_back(id);
  }
  claim.args.push_back("JUSTID");
  ++housekeeping_round_trips_;
  (void)conn.Run(claim);
}

void RedisPlatform::ForgetDeadConsumers(redis::RedisConnection& conn) {
  ++housekeeping_round_trips_;
  auto r = conn.Run(Cmd({"XINFO", "CONSUMERS", stream_, options_.group}));
  if (!r.ok() || (*r)->type != REDIS_REPLY_ARRAY) return;
  const int64_t forget_after_ms =
      std::max<int64_t>(60000, options_.visibility_timeout.count() * 10);
  std::vector<RedisCommand> deletes;
  for (size_t i = 0; i < (*r)->elements; ++i) {
    const redisReply* c = (*r)->element[i];
    if (c->type != REDIS_REPLY_ARRAY) continue;
    std::string name;
    int64_t pending = -1, idle = -1;
    for (size_t f = 0; f + 1 < c->elements; f += 2) {
      const std::string_view key = ReplyString(c->element[f]);
      const redisReply* v = c->element[f + 1];
      if (key == "name") name = std::string(ReplyString(v));
      if (key == "pending") pending = v->integer;
      if (key == "idle") idle = v->integer;
    }
    if (!name.empty() && name != options_.consumer && pending == 0 &&
        idle > forget_after_ms) {
      deletes.push_back(
          Cmd({"XGROUP", "DELCONSUMER", stream_, options_.group, name}));
    }
  }
  if (!deletes.empty()) {
    ++housekeeping_round_trips_;
    (void)conn.Execute({}, deletes);
  }
}

void RedisPlatform::HousekeepingLoop() {
  std::unique_ptr<redis::RedisConnection> conn;
  const milliseconds reclaim_every =
      std::max(options_.visibility_timeout / 4, options_.tick);
  const milliseconds heartbeat_every =
      std::max(options_.visibility_timeout / 3, options_.tick);
  auto next_reclaim = Clock::now() + reclaim_every;
  auto next_heartbeat = Clock::now() + heartbeat_every;
  auto next_cleanup = Clock::now() + std::chrono::seconds(30);
  while (!stopping_) {
    if (conn == nullptr) {
      auto opened =
          redis::RedisConnection::Open(options_.endpoint, AllScripts());
      if (!opened.ok()) {
        Pause(std::max(options_.tick, milliseconds(100)));
        continue;
      }
      conn = std::move(opened).value();
    }
    ++housekeeping_round_trips_;
    auto moved =
        conn->Run(redis::Eval(kPromoteScript, {delayed_, stream_}, {"1000"}));
    const bool more = moved.ok() && (*moved)->type == REDIS_REPLY_INTEGER &&
                      (*moved)->integer >= 1000;
    const auto now = Clock::now();
    if (!conn->broken() && now >= next_heartbeat) {
      Heartbeat(*conn);
      next_heartbeat = now + heartbeat_every;
    }
    if (!conn->broken() && now >= next_reclaim) {
      Reclaim(*conn);
      next_reclaim = now + reclaim_every;
    }
    if (!conn->broken() && now >= next_cleanup) {
      ForgetDeadConsumers(*conn);
      next_cleanup = now + std::chrono::seconds(60);
    }
    if (conn->broken()) conn.reset();
    if (!more) Pause(options_.tick);
  }
}

}  // namespace unum
