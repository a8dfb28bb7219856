// RedisDatastore: see redis_datastore.h.
#include "datastore/redis/redis_datastore.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace unum {

using redis::Cmd;
using redis::ReplyPtr;
using redis::ReplyString;

namespace {

// Adds a member to a set unless the set was deleted (its key then holds a
// tombstone string). Returns the size after the add, or -1 when closed.
const redis::RedisScript kAddToSetScript(R"lua(
local t = redis.call('TYPE', KEYS[1])['ok']
if t == 'string' then return -1 end
redis.call('SADD', KEYS[1], ARGV[1])
return redis.call('SCARD', KEYS[1])
)lua");

constexpr std::string_view kPresentTag = "v";
constexpr std::string_view kTombstone = "t";

// A tombstone write: SET "t" EX ttl, or DEL for a TTL that is already over.
redis::RedisCommand TombstoneCommand(const std::string& key,
                                     std::chrono::seconds ttl) {
  if (ttl.count() <= 0) return Cmd({"DEL", key});
  return Cmd({"SET", key, kTombstone, "EX", std::to_string(ttl.count())});
}

Result<Lookup> DecodeCheckpoint(const redisReply* r, const std::string& key) {
  Lookup lookup;
  if (redis::IsNil(r)) return lookup;
  if (r->type != REDIS_REPLY_STRING || r->len < 1) {
    return Status::DataLoss("redis key " + key + " does not hold a checkpoint");
  }
  const std::string_view text = ReplyString(r);
  if (text == kTombstone) {
    lookup.state = Lookup::State::kTombstone;
  } else if (text.substr(0, 1) == kPresentTag) {
    lookup.state = Lookup::State::kPresent;
    lookup.value.assign(text.data() + 1, text.size() - 1);
  } else {
    return Status::DataLoss("redis key " + key + " does not hold a checkpoint");
  }
  return lookup;
}

// Escapes glob characters for SCAN MATCH (Redis reads "\x" as x).
std::string GlobEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' ||
        c == '-') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<RedisDatastore>> RedisDatastore::Open(
    const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(redis::ParsedRedisUrl parsed,
                        redis::ParseRedisUrl(url));
  if (!parsed.options.empty()) {
    return Status::InvalidArgument(
        "invalid redis URL '" + url + "': unknown option '" +
        parsed.options.front().first +
        "' (known: pool, pipelines, timeout_ms, connect_timeout_ms)");
  }
  return std::make_unique<RedisDatastore>(parsed.endpoint);
}

RedisDatastore::RedisDatastore(redis::RedisEndpoint endpoint)
    : identity_(endpoint.Identity()),
      pool_(std::move(endpoint), {&kAddToSetScript}) {}

RedisDatastore::~RedisDatastore() = default;

std::string RedisDatastore::SessionPrefix(const std::string& session) {
  return "unum:" + std::to_string(session.size()) + ":" + session + ":";
}

std::string RedisDatastore::CheckpointKey(const std::string& session,
                                          const std::string& instance) {
  return SessionPrefix(session) + "c:" + instance;
}

std::string RedisDatastore::SetKey(const std::string& session,
                                   const std::string& set) {
  return SessionPrefix(session) + "s:" + set;
}

std::string RedisDatastore::RecordKey(const std::string& session) {
  return SessionPrefix(session) + "r";
}

Result<std::vector<ReplyPtr>> RedisDatastore::Execute(
    const std::vector<redis::RedisCommand>& commands, const char* what) {
  auto replies = redis::ExecuteWithDeferred(pool_, commands);
  if (!replies.ok()) return replies.status().WithContext(what);
  return replies;
}

Status RedisDatastore::Write(redis::RedisCommand command, const char* what) {
  if (redis::DeferredWrites* w = redis::DeferredWrites::For(identity_)) {
    w->Add(std::move(command));
    return Status::Ok();
  }
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({std::move(command)}, what));
  return redis::CheckReply(replies[0].get(), what);
}

Result<Lookup> RedisDatastore::GetCheckpoint(const std::string& session,
                                             const std::string& instance) {
  const std::string key = CheckpointKey(session, instance);
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({Cmd({"GET", key})}, "get checkpoint"));
  UNUM_RETURN_IF_ERROR(redis::CheckReply(replies[0].get(), "GET"));
  return DecodeCheckpoint(replies[0].get(), key);
}

Result<PutOutcome> RedisDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  // SET NX GET (Redis 7): writes unless the key exists and returns what
  // was there (nil when this call wrote it), in one command.
  redis::RedisCommand set;
  set.args.reserve(7);
  set.args.emplace_back("SET");
  set.args.push_back(CheckpointKey(session, instance));
  std::string stored;
  stored.reserve(value.size() + 1);
  stored.append(kPresentTag);
  stored.append(value);
  set.args.push_back(std::move(stored));
  set.args.emplace_back("NX");
  set.args.emplace_back("GET");
  if (expire_after.count() > 0) {
    set.args.emplace_back("EX");
    set.args.push_back(std::to_string(expire_after.count()));
  }
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({set}, "put checkpoint"));
  UNUM_RETURN_IF_ERROR(redis::CheckReply(replies[0].get(), "SET NX GET"));
  if (redis::IsNil(replies[0].get())) return PutOutcome{.won = true};
  UNUM_ASSIGN_OR_RETURN(Lookup existing,
                        DecodeCheckpoint(replies[0].get(), set.args[1]));
  return PutOutcome{.won = false, .existing = std::move(existing)};
}

Result<std::vector<Lookup>> RedisDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  std::vector<Lookup> lookups;
  if (instances.empty()) return lookups;
  redis::RedisCommand mget;
  mget.args.reserve(instances.size() + 1);
  mget.args.emplace_back("MGET");
  for (const std::string& instance : instances) {
    mget.args.push_back(CheckpointKey(session, instance));
  }
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({mget}, "get checkpoints"));
  const redisReply* r = replies[0].get();
  UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "MGET"));
  if (r->type != REDIS_REPLY_ARRAY || r->elements != instances.size()) {
    return Status::Internal("redis MGET: unexpected reply");
  }
  lookups.reserve(instances.size());
  for (size_t i = 0; i < instances.size(); ++i) {
    UNUM_ASSIGN_OR_RETURN(Lookup lookup,
                          DecodeCheckpoint(r->element[i], mget.args[i + 1]));
    lookups.push_back(std::move(lookup));
  }
  return lookups;
}

Result<SetAddResult> RedisDatastore::AddToSet(const std::string& session,
                                              const std::string& set,
                                              const std::string& member) {
  UNUM_ASSIGN_OR_RETURN(
      std::vector<ReplyPtr> replies,
      Execute({redis::Eval(kAddToSetScript, {SetKey(session, set)}, {member})},
              "add to set"));
  const redisReply* r = replies[0].get();
  UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "add to set"));
  if (r->type != REDIS_REPLY_INTEGER) {
    return Status::Internal("redis add to set: unexpected reply");
  }
  if (r->integer < 0) return SetAddResult{.size = 0, .closed = true};
  return SetAddResult{.size = r->integer, .closed = false};
}

Status RedisDatastore::DeleteCheckpoint(const std::string& session,
                                        const std::string& instance,
                                        std::chrono::seconds ttl) {
  return Write(TombstoneCommand(CheckpointKey(session, instance), ttl),
               "delete checkpoint");
}

Status RedisDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  if (instances.empty()) return Status::Ok();
  std::vector<redis::RedisCommand> commands;
  commands.reserve(instances.size());
  for (const std::string& instance : instances) {
    commands.push_back(TombstoneCommand(CheckpointKey(session, instance), ttl));
  }
  if (redis::DeferredWrites* w = redis::DeferredWrites::For(identity_)) {
    for (auto& c : commands) w->Add(std::move(c));
    return Status::Ok();
  }
  // One pipeline: one round trip for all of them.
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute(std::move(commands), "delete checkpoints"));
  for (const ReplyPtr& r : replies) {
    UNUM_RETURN_IF_ERROR(redis::CheckReply(r.get(), "delete checkpoints"));
  }
  return Status::Ok();
}

Status RedisDatastore::DeleteSet(const std::string& session,
                                 const std::string& set,
                                 std::chrono::seconds ttl) {
  return Write(TombstoneCommand(SetKey(session, set), ttl), "delete set");
}

Result<bool> RedisDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({Cmd({"SET", RecordKey(session), value, "NX"})},
                                "put session record"));
  UNUM_RETURN_IF_ERROR(redis::CheckReply(replies[0].get(), "SET NX"));
  return !redis::IsNil(replies[0].get());
}

Result<Lookup> RedisDatastore::GetSessionRecord(const std::string& session) {
  UNUM_ASSIGN_OR_RETURN(
      std::vector<ReplyPtr> replies,
      Execute({Cmd({"GET", RecordKey(session)})}, "get session record"));
  const redisReply* r = replies[0].get();
  UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "GET"));
  Lookup lookup;
  if (redis::IsNil(r)) return lookup;
  if (r->type != REDIS_REPLY_STRING) {
    return Status::DataLoss("redis session record of " + session +
                            " is not a string");
  }
  lookup.state = Lookup::State::kPresent;
  lookup.value = std::string(ReplyString(r));
  return lookup;
}

Result<std::vector<KeyInfo>> RedisDatastore::ListKeys(
    const std::string& session) {
  const std::string prefix = SessionPrefix(session);
  const std::string pattern = GlobEscape(prefix) + "*";
  std::set<std::string> keys;  // SCAN may return a key twice
  std::string cursor = "0";
  do {
    UNUM_ASSIGN_OR_RETURN(
        std::vector<ReplyPtr> replies,
        Execute({Cmd({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"})},
                "list keys"));
    const redisReply* r = replies[0].get();
    UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "SCAN"));
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[1]->type != REDIS_REPLY_ARRAY) {
      return Status::Internal("redis SCAN: unexpected reply");
    }
    cursor = std::string(ReplyString(r->element[0]));
    for (size_t i = 0; i < r->element[1]->elements; ++i) {
      keys.emplace(ReplyString(r->element[1]->element[i]));
    }
  } while (cursor != "0");

  // TYPE tells a live set from a tombstone; the first byte of a checkpoint
  // tells a value from a tombstone; PTTL tells an expiring checkpoint.
  std::vector<redis::RedisCommand> probes;
  std::vector<const std::string*> names;
  for (const std::string& key : keys) {
    if (key.size() < prefix.size() + 1) continue;
    probes.push_back(Cmd({"TYPE", key}));
    probes.push_back(Cmd({"GETRANGE", key, "0", "0"}));
    probes.push_back(Cmd({"PTTL", key}));
    names.push_back(&key);
  }
  std::vector<KeyInfo> out;
  if (probes.empty()) return out;
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute(probes, "list keys"));
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& key = *names[i];
    const redisReply* type = replies[3 * i].get();
    const redisReply* first = replies[3 * i + 1].get();
    const redisReply* pttl = replies[3 * i + 2].get();
    UNUM_RETURN_IF_ERROR(redis::CheckReply(type, "TYPE"));
    const std::string_view t = ReplyString(type);
    if (t == "none") continue;  // expired meanwhile
    const std::string_view rest = std::string_view(key).substr(prefix.size());
    KeyInfo info;
    if (rest == "r") {
      info.kind = KeyInfo::Kind::kSessionRecord;
    } else if (rest.substr(0, 2) == "c:") {
      info.kind = KeyInfo::Kind::kCheckpoint;
      info.name = std::string(rest.substr(2));
      info.tombstone = !redis::IsError(first) && ReplyString(first) == "t";
      info.expires = !info.tombstone && pttl->type == REDIS_REPLY_INTEGER &&
                     pttl->integer >= 0;
    } else if (rest.substr(0, 2) == "s:") {
      info.kind = KeyInfo::Kind::kSet;
      info.name = std::string(rest.substr(2));
      info.tombstone = (t == "string");
    } else {
      continue;  // not ours
    }
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const KeyInfo& a, const KeyInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return out;
}

Status RedisDatastore::PutTraceEvent(const std::string& session,
                                     const std::string& id,
                                     const std::string& value) {
  return Write(Cmd({"HSET", SessionPrefix(session) + "e", id, value}),
               "put trace event");
}

Result<std::vector<std::string>> RedisDatastore::GetTraceEvents(
    const std::string& session) {
  UNUM_ASSIGN_OR_RETURN(
      std::vector<ReplyPtr> replies,
      Execute({Cmd({"HGETALL", SessionPrefix(session) + "e"})},
              "get trace events"));
  const redisReply* r = replies[0].get();
  UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "HGETALL"));
  if (r->type != REDIS_REPLY_ARRAY) {
    return Status::DataLoss("redis trace events of " + session +
                            " are not a hash");
  }
  std::map<std::string, std::string> by_id;
  for (size_t i = 0; i + 1 < r->elements; i += 2) {
    by_id.emplace(ReplyString(r->element[i]), ReplyString(r->element[i + 1]));
  }
  std::vector<std::string> events;
  for (auto& [id, value] : by_id) events.push_back(std::move(value));
  return events;
}

Result<std::vector<std::string>> RedisDatastore::ListSessions() {
  std::set<std::string> sessions;
  std::string cursor = "0";
  do {
    UNUM_ASSIGN_OR_RETURN(
        std::vector<ReplyPtr> replies,
        Execute({Cmd({"SCAN", cursor, "MATCH", "unum:*", "COUNT", "1000"})},
                "list sessions"));
    const redisReply* r = replies[0].get();
    UNUM_RETURN_IF_ERROR(redis::CheckReply(r, "SCAN"));
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[1]->type != REDIS_REPLY_ARRAY) {
      return Status::Internal("redis SCAN: unexpected reply");
    }
    cursor = std::string(ReplyString(r->element[0]));
    for (size_t i = 0; i < r->element[1]->elements; ++i) {
      // unum:<len>:<session>:<rest>; the length makes the split exact.
      const std::string_view key = ReplyString(r->element[1]->element[i]);
      const size_t colon = key.find(':', 5);
      if (colon == std::string_view::npos) continue;
      size_t len = 0;
      bool digits = colon > 5;
      for (char c : key.substr(5, colon - 5)) {
        if (c < '0' || c > '9' || len > key.size()) {
          digits = false;
          break;
        }
        len = len * 10 + static_cast<size_t>(c - '0');
      }
      if (!digits || colon + 1 + len + 1 > key.size()) continue;
      const std::string_view rest = key.substr(colon + 1 + len + 1);
      if (rest == "r" || rest == "e") {
        sessions.emplace(key.substr(colon + 1, len));
      }
    }
  } while (cursor != "0");
  return std::vector<std::string>(sessions.begin(), sessions.end());
}

Status RedisDatastore::Ping() {
  UNUM_ASSIGN_OR_RETURN(std::vector<ReplyPtr> replies,
                        Execute({Cmd({"PING"})}, "ping"));
  return redis::CheckReply(replies[0].get(), "PING");
}

}  // namespace unum
