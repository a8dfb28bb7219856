// RedisDatastore: the Datastore behind "redis://host:port/db", on hiredis.
//
// Layout. Every key of a session starts with "unum:<len>:<session>:" (the
// length makes the prefix unambiguous for any bytes in the session id),
// followed by a kind and the name:
//   c:<instance>  checkpoint: "v" + value, or "t" for a tombstone (SET EX)
//   s:<set>       a Redis set, or the string "t" once deleted (SET EX)
//   r             the session record (no expiry)
//
// Operations, one round trip each:
//   GetCheckpoint            GET
//   PutCheckpoint            SET NX GET [EX] (a tombstone blocks it: it is a
//                            value; the reply is what blocked it)
//   GetCheckpoints           MGET
//   AddToSet                 EVALSHA of a script: -1 (closed) if the key
//                            is a tombstone string, else SADD + SCARD
//   DeleteCheckpoint/Set     SET "t" EX ttl (DEL when ttl <= 0)
//   session record           SET NX / GET
// ListKeys (tooling) SCANs the session's prefix.
//
// Deletions are write-behind inside a worker's delivery: see
// DeferredWrites in redis_client.h. Elsewhere they are sent at once.
//
// Errors: connection loss, timeouts and transient server states are
// kUnavailable (the next call reconnects); see redis_client.h.
//
// Thread-safety: every method may be called from many threads; each call
// borrows a pooled connection.
#ifndef UNUM_DATASTORE_REDIS_REDIS_DATASTORE_H_
#define UNUM_DATASTORE_REDIS_REDIS_DATASTORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "datastore/redis/redis_client.h"
#include "unum/datastore.h"

namespace unum {

class RedisDatastore : public Datastore {
 public:
  // Parses `url` (redis://[[user]:password@]host[:port][/db][?pool=N&
  // timeout_ms=T&connect_timeout_ms=C]). Does not connect: the first call
  // does, so a store may be opened before its server is up.
  static Result<std::unique_ptr<RedisDatastore>> Open(const std::string& url);

  explicit RedisDatastore(redis::RedisEndpoint endpoint);
  ~RedisDatastore() override;

  RedisDatastore(const RedisDatastore&) = delete;
  RedisDatastore& operator=(const RedisDatastore&) = delete;

  Result<Lookup> GetCheckpoint(const std::string& session,
                               const std::string& instance) override;
  Result<PutOutcome> PutCheckpoint(const std::string& session,
                                   const std::string& instance,
                                   const std::string& value,
                                   std::chrono::seconds expire_after) override;
  Result<std::vector<Lookup>> GetCheckpoints(
      const std::string& session,
      const std::vector<std::string>& instances) override;
  Result<SetAddResult> AddToSet(const std::string& session,
                                const std::string& set,
                                const std::string& member) override;
  Status DeleteCheckpoint(const std::string& session,
                          const std::string& instance,
                          std::chrono::seconds ttl) override;
  Status DeleteCheckpoints(const std::string& session,
                           const std::vector<std::string>& instances,
                           std::chrono::seconds ttl) override;
  Status DeleteSet(const std::string& session, const std::string& set,
                   std::chrono::seconds ttl) override;
  Result<bool> PutSessionRecordIfAbsent(const std::string& session,
                                        const std::string& value) override;
  Result<Lookup> GetSessionRecord(const std::string& session) override;
  Result<std::vector<KeyInfo>> ListKeys(const std::string& session) override;
  // Trace events: one hash per session (`<prefix>e`, field = event id);
  // a worker's writes are deferred and batched like deletions.
  Status PutTraceEvent(const std::string& session, const std::string& id,
                       const std::string& value) override;
  Result<std::vector<std::string>> GetTraceEvents(
      const std::string& session) override;
  // SCANs the whole keyspace for session records and trace hashes.
  Result<std::vector<std::string>> ListSessions() override;

  // PING: OK when the server answers.
  Status Ping();

  const redis::RedisEndpoint& endpoint() const { return pool_.endpoint(); }

  // The key names (exposed for tests and tooling).
  static std::string SessionPrefix(const std::string& session);
  static std::string CheckpointKey(const std::string& session,
                                   const std::string& instance);
  static std::string SetKey(const std::string& session, const std::string& set);
  static std::string RecordKey(const std::string& session);

 private:
  // Runs `commands` (after this thread's deferred writes) and returns the
  // replies; errors carry `what`.
  Result<std::vector<redis::ReplyPtr>> Execute(
      const std::vector<redis::RedisCommand>& commands, const char* what);
  // Sends a write now, or appends it to the delivery's deferred writes.
  Status Write(redis::RedisCommand command, const char* what);

  const std::string identity_;
  redis::RedisConnectionPool pool_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_REDIS_REDIS_DATASTORE_H_
