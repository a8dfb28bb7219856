// DynamoDbDatastore: the Datastore behind
// "dynamodb://TABLE?region=R&endpoint=URL&create=1", on DynamoDB's JSON API.
//
// Table layout (one table for every session; docs/aws.md has the details):
//   partition key "p" (binary) = the session id's bytes
//   sort key      "s" (binary) = a kind byte, then the name's bytes:
//     'c' + instance            checkpoint
//     's' + set                 set head: "c" count, "f" in-flight members,
//                               "g" trim counter
//     'r'                       the session record
//     'm' + u32 len + set + member   one set member (idempotency marker)
//     'x' + u32 len + head key + token + u32 index   a value chunk
// Other attributes: "v" value bytes (first chunk), "n" chunk count and "t"
// chunk token when the value was split, "w" writer token, "d" tombstone
// flag, "e" expiry (epoch seconds; the table's TTL attribute), "k" member
// counted flag. Values above 350,000 bytes are split into chunk items
// written before the head item, so a reader never sees part of a value.
//
// Every read is strongly consistent. ListKeys is one Query on the session.
//
// Thread-safety: every method may be called from many threads.
#ifndef UNUM_DATASTORE_DYNAMODB_DYNAMODB_DATASTORE_H_
#define UNUM_DATASTORE_DYNAMODB_DYNAMODB_DATASTORE_H_

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/http_client.h"
#include "datastore/dynamodb/dynamodb_client.h"
#include "unum/datastore.h"

namespace unum {

struct DynamoDbDatastoreOptions {
  std::string table;
  std::string region;
  std::string endpoint;  // default: https://dynamodb.<region>.amazonaws.com
  bool create = false;   // create the table (and enable TTL) when missing
  int max_attempts = 10;
  std::chrono::milliseconds timeout{10000};
};

// Parses dynamodb://TABLE[?region=R&endpoint=URL&create=0|1&retries=N&
// timeout_ms=T]. The region defaults to $AWS_REGION / $AWS_DEFAULT_REGION.
Result<DynamoDbDatastoreOptions> ParseDynamoDbUrl(const std::string& url);

class DynamoDbDatastore : public Datastore {
 public:
  // Opens with credentials from the environment and a libcurl client;
  // creates the table first when options.create.
  static Result<std::unique_ptr<DynamoDbDatastore>> Open(
      const DynamoDbDatastoreOptions& options);
  static Result<std::unique_ptr<DynamoDbDatastore>> Open(
      const std::string& url);

  DynamoDbDatastore(std::string table,
                    std::shared_ptr<dynamodb::DynamoDbClient> client);

  // Creates the table (PAY_PER_REQUEST, keys p/s binary) unless it exists,
  // waits until it is ACTIVE and enables TTL on "e". An endpoint without
  // UpdateTimeToLive (dynalite) is accepted: tombstones then never expire.
  Status CreateTable();

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
  // Trace events are items at sort key "e" + id (attribute v); reading
  // them is one Query. ListSessions Scans the whole table.
  Status PutTraceEvent(const std::string& session, const std::string& id,
                       const std::string& value) override;
  Result<std::vector<std::string>> GetTraceEvents(
      const std::string& session) override;
  Result<std::vector<std::string>> ListSessions() override;

  // Largest value bytes stored in one item; longer values are split.
  static constexpr size_t kChunkBytes = 350000;

 private:
  using json = nlohmann::json;

  json Key(const std::string& session, const std::string& sort) const;
  Result<json> GetItem(const std::string& session, const std::string& sort);
  // Reads whole values (chunks included) of items read by key.
  Result<Lookup> ToLookup(const std::string& session, const std::string& sort,
                          const json& item);
  // Put-if-absent of a value (split into chunks when long); a lost put
  // returns what it lost to. `expire_after` > 0 adds the TTL attribute.
  Result<PutOutcome> PutValueIfAbsent(const std::string& session,
                                      const std::string& sort,
                                      const std::string& value,
                                      std::chrono::seconds expire_after);
  // Items by sort key, strongly consistent, 100 keys a request, unprocessed
  // keys retried. One entry per sort key, in order; null when absent.
  Result<std::vector<json>> BatchGet(const std::string& session,
                                     const std::vector<std::string>& sorts);
  Status Tombstone(const std::string& session, const std::string& sort,
                   std::chrono::seconds ttl);
  // Tombstones every item of `sorts`, up to 64 requests in flight.
  Status TombstoneAll(const std::string& session,
                      const std::vector<std::string>& sorts,
                      std::chrono::seconds ttl);
  void DeleteItems(const std::string& session,
                   const std::vector<std::string>& sorts);

  std::string table_;
  std::shared_ptr<dynamodb::DynamoDbClient> client_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_DYNAMODB_DYNAMODB_DATASTORE_H_
