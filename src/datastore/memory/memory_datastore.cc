// MemoryDatastore: see memory_datastore.h.
#include "datastore/memory/memory_datastore.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace unum {

MemoryDatastore::MemoryDatastore(Clock clock) : clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

MemoryDatastore::~MemoryDatastore() = default;

MemoryDatastore::Shard& MemoryDatastore::ShardFor(const std::string& session) {
  return shards_[std::hash<std::string>{}(session) % kNumShards];
}

MemoryDatastore::TimePoint MemoryDatastore::Now() const { return clock_(); }

void MemoryDatastore::DropExpiredLocked(Shard& shard, TimePoint now) {
  while (!shard.expiries.empty() && shard.expiries.top().expires <= now) {
    Expiry expiry = shard.expiries.top();
    shard.expiries.pop();
    auto session_it = shard.sessions.find(expiry.session);
    if (session_it == shard.sessions.end()) continue;
    SessionData& data = session_it->second;
    if (expiry.is_set) {
      auto it = data.sets.find(expiry.name);
      // Skip stale heap entries: the tombstone may have been extended.
      if (it != data.sets.end() && it->second.tombstone &&
          it->second.expires <= now) {
        data.sets.erase(it);
      }
    } else {
      auto it = data.checkpoints.find(expiry.name);
      if (it != data.checkpoints.end() && it->second.expires != TimePoint{} &&
          it->second.expires <= now) {
        data.checkpoints.erase(it);
      }
    }
    if (data.empty()) shard.sessions.erase(session_it);
  }
}

MemoryDatastore::SessionData* MemoryDatastore::FindSessionLocked(
    Shard& shard, const std::string& session) {
  auto it = shard.sessions.find(session);
  return it == shard.sessions.end() ? nullptr : &it->second;
}

Lookup MemoryDatastore::ToLookup(const CheckpointEntry& entry) {
  Lookup lookup;
  if (entry.tombstone) {
    lookup.state = Lookup::State::kTombstone;
  } else {
    lookup.state = Lookup::State::kPresent;
    lookup.value = entry.value;
  }
  return lookup;
}

Result<Lookup> MemoryDatastore::GetCheckpoint(const std::string& session,
                                              const std::string& instance) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData* data = FindSessionLocked(shard, session);
  if (data == nullptr) return Lookup{};
  auto it = data->checkpoints.find(instance);
  if (it == data->checkpoints.end()) return Lookup{};
  return ToLookup(it->second);
}

Result<PutOutcome> MemoryDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData& data = shard.sessions[session];
  // A tombstone counts as present: the step already finished.
  auto [it, inserted] = data.checkpoints.try_emplace(instance);
  if (!inserted)
    return PutOutcome{.won = false, .existing = ToLookup(it->second)};
  it->second.value = value;
  if (expire_after.count() > 0) {
    it->second.expires = now + expire_after;
    shard.expiries.push(Expiry{.expires = it->second.expires,
                               .session = session,
                               .is_set = false,
                               .name = instance});
  }
  return PutOutcome{.won = true, .existing = {}};
}

Result<std::vector<Lookup>> MemoryDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::vector<Lookup> lookups(instances.size());
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData* data = FindSessionLocked(shard, session);
  if (data == nullptr) return lookups;
  for (size_t i = 0; i < instances.size(); ++i) {
    auto it = data->checkpoints.find(instances[i]);
    if (it != data->checkpoints.end()) lookups[i] = ToLookup(it->second);
  }
  return lookups;
}

Result<SetAddResult> MemoryDatastore::AddToSet(const std::string& session,
                                               const std::string& set,
                                               const std::string& member) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData& data = shard.sessions[session];
  SetEntry& entry = data.sets[set];
  // A tombstoned set stays closed until its tombstone expires.
  if (entry.tombstone) return SetAddResult{.size = 0, .closed = true};
  entry.members.insert(member);
  return SetAddResult{.size = static_cast<int64_t>(entry.members.size()),
                      .closed = false};
}

Status MemoryDatastore::DeleteCheckpoint(const std::string& session,
                                         const std::string& instance,
                                         std::chrono::seconds ttl) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  TombstoneLocked(shard, shard.sessions[session], session, instance, now + ttl);
  return Status::Ok();
}

Status MemoryDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  const TimePoint now = Now();
  const TimePoint expires = now + ttl;
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData& data = shard.sessions[session];
  for (const std::string& instance : instances) {
    TombstoneLocked(shard, data, session, instance, expires);
  }
  return Status::Ok();
}

void MemoryDatastore::TombstoneLocked(Shard& shard, SessionData& data,
                                      const std::string& session,
                                      const std::string& instance,
                                      TimePoint expires) {
  CheckpointEntry& entry = data.checkpoints[instance];
  // Idempotent: a repeated delete keeps the later of the two expiries.
  if (entry.tombstone && entry.expires >= expires) return;
  entry.tombstone = true;
  entry.expires = expires;
  std::string().swap(entry.value);  // free the checkpoint's memory
  shard.expiries.push(Expiry{.expires = expires,
                             .session = session,
                             .is_set = false,
                             .name = instance});
}

Status MemoryDatastore::DeleteSet(const std::string& session,
                                  const std::string& set,
                                  std::chrono::seconds ttl) {
  const TimePoint now = Now();
  const TimePoint expires = now + ttl;
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SetEntry& entry = shard.sessions[session].sets[set];
  if (entry.tombstone && entry.expires >= expires) return Status::Ok();
  entry.tombstone = true;
  entry.expires = expires;
  std::unordered_set<std::string>().swap(entry.members);
  shard.expiries.push(Expiry{
      .expires = expires, .session = session, .is_set = true, .name = set});
  return Status::Ok();
}

Result<bool> MemoryDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData& data = shard.sessions[session];
  if (data.record.has_value()) return false;
  data.record = value;
  return true;
}

Result<Lookup> MemoryDatastore::GetSessionRecord(const std::string& session) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  SessionData* data = FindSessionLocked(shard, session);
  Lookup lookup;
  if (data != nullptr && data->record.has_value()) {
    lookup.state = Lookup::State::kPresent;
    lookup.value = *data->record;
  }
  return lookup;
}

Result<std::vector<KeyInfo>> MemoryDatastore::ListKeys(
    const std::string& session) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::vector<KeyInfo> keys;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    DropExpiredLocked(shard, now);
    SessionData* data = FindSessionLocked(shard, session);
    if (data == nullptr) return keys;
    keys.reserve(data->checkpoints.size() + data->sets.size() + 1);
    for (const auto& [name, entry] : data->checkpoints) {
      keys.push_back(
          KeyInfo{.kind = KeyInfo::Kind::kCheckpoint,
                  .name = name,
                  .tombstone = entry.tombstone,
                  .expires = !entry.tombstone && entry.expires != TimePoint{}});
    }
    for (const auto& [name, entry] : data->sets) {
      keys.push_back(KeyInfo{.kind = KeyInfo::Kind::kSet,
                             .name = name,
                             .tombstone = entry.tombstone});
    }
    if (data->record.has_value()) {
      keys.push_back(KeyInfo{.kind = KeyInfo::Kind::kSessionRecord,
                             .name = "",
                             .tombstone = false});
    }
  }
  std::sort(keys.begin(), keys.end(), [](const KeyInfo& a, const KeyInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return keys;
}

Status MemoryDatastore::PutTraceEvent(const std::string& session,
                                      const std::string& id,
                                      const std::string& value) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  shard.sessions[session].trace_events[id] = value;
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryDatastore::GetTraceEvents(
    const std::string& session) {
  const TimePoint now = Now();
  Shard& shard = ShardFor(session);
  std::lock_guard<std::mutex> lock(shard.mu);
  DropExpiredLocked(shard, now);
  std::vector<std::string> events;
  SessionData* data = FindSessionLocked(shard, session);
  if (data == nullptr) return events;
  for (const auto& [id, value] : data->trace_events) events.push_back(value);
  return events;
}

Result<std::vector<std::string>> MemoryDatastore::ListSessions() {
  const TimePoint now = Now();
  std::vector<std::string> sessions;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    DropExpiredLocked(shard, now);
    for (const auto& [session, data] : shard.sessions) {
      if (data.record.has_value() || !data.trace_events.empty()) {
        sessions.push_back(session);
      }
    }
  }
  std::sort(sessions.begin(), sessions.end());
  return sessions;
}

}  // namespace unum
