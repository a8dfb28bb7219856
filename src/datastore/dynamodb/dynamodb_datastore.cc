// DynamoDbDatastore: see dynamodb_datastore.h and docs/aws.md.
#include "datastore/dynamodb/dynamodb_datastore.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "aws/credentials.h"
#include "aws/curl_http_client.h"
#include "common/base64.h"
#include "common/url_options.h"

namespace unum {
namespace {

using dynamodb::IsConditionFailed;
using nlohmann::json;

constexpr size_t kBatchGetKeys = 100;
constexpr int kMaxSetRounds = 200;

json B(const std::string& bytes) { return {{"B", Base64Encode(bytes)}}; }
json N(int64_t n) { return {{"N", std::to_string(n)}}; }

std::string U32(size_t n) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<char>(n & 0xff);
    n >>= 8;
  }
  return out;
}

std::string CheckpointKey(const std::string& name) { return "c" + name; }
std::string SetKey(const std::string& name) { return "s" + name; }
const std::string kRecordKey = "r";
std::string MemberKey(const std::string& set, const std::string& member) {
  return "m" + U32(set.size()) + set + member;
}
std::string MemberPrefix(const std::string& set) {
  return "m" + U32(set.size()) + set;
}
std::string ChunkKey(const std::string& head, const std::string& token,
                     size_t index) {
  return "x" + U32(head.size()) + head + token + U32(index);
}

// A random token (32 hex digits) naming one writer's attempt.
std::string NewToken() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 2; ++i) {
    uint64_t bits = gen();
    for (int j = 0; j < 16; ++j, bits >>= 4) t.push_back(kHex[bits & 0xf]);
  }
  return t;
}

// Reads a binary attribute; false when absent or malformed.
bool GetB(const json& item, const char* name, std::string* out) {
  out->clear();
  if (!item.is_object() || !item.contains(name)) return false;
  const json& a = item[name];
  if (!a.is_object() || !a.contains("B") || !a["B"].is_string()) return false;
  std::optional<std::string> decoded = Base64Decode(a["B"].get<std::string>());
  if (!decoded) return false;
  *out = std::move(*decoded);
  return true;
}

int64_t GetN(const json& item, const char* name) {
  if (!item.is_object() || !item.contains(name)) return 0;
  const json& a = item[name];
  if (!a.is_object() || !a.contains("N") || !a["N"].is_string()) return 0;
  int64_t n = 0;
  ParseInt(a["N"].get<std::string>(), INT64_MIN, INT64_MAX, &n);
  return n;
}

bool Has(const json& item, const char* name) {
  return item.is_object() && item.contains(name);
}

// Whether the binary set attribute `name` holds `bytes`.
bool SetContains(const json& item, const char* name, const std::string& bytes) {
  if (!Has(item, name) || !item[name].contains("BS")) return false;
  const std::string encoded = Base64Encode(bytes);
  for (const json& v : item[name]["BS"]) {
    if (v.is_string() && v.get<std::string>() == encoded) return true;
  }
  return false;
}

int64_t EpochSeconds(std::chrono::seconds from_now) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() + from_now).time_since_epoch())
      .count();
}

Status Malformed(const std::string& what) {
  return Status::DataLoss("dynamodb: malformed item: " + what);
}

}  // namespace

Result<DynamoDbDatastoreOptions> ParseDynamoDbUrl(const std::string& url) {
  auto bad = [&](const Status& s) {
    return Status::InvalidArgument("invalid dynamodb URL '" + url +
                                   "': " + s.message());
  };
  constexpr std::string_view kScheme = "dynamodb://";
  if (!std::string_view(url).starts_with(kScheme)) {
    return bad(Status::InvalidArgument("must start with dynamodb://"));
  }
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  const size_t q = rest.find('?');
  DynamoDbDatastoreOptions o;
  if (!PercentDecode(rest.substr(0, q), &o.table)) {
    return bad(Status::InvalidArgument("malformed %-escape in the table"));
  }
  // DynamoDB table names: 3-255 of [A-Za-z0-9_.-].
  if (o.table.size() < 3 || o.table.size() > 255 ||
      !std::all_of(o.table.begin(), o.table.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               c == '-' || c == '.';
      })) {
    return bad(Status::InvalidArgument(
        "the table name must be 3-255 characters of A-Z a-z 0-9 _ - ."));
  }
  if (q != std::string_view::npos) {
    auto options = ParseUrlOptions(rest.substr(q + 1));
    if (!options.ok()) return bad(options.status());
    for (const auto& [name, value] : *options) {
      int64_t n = 0;
      if (name == "region") {
        o.region = value;
      } else if (name == "endpoint") {
        if (!value.starts_with("http://") && !value.starts_with("https://")) {
          return bad(Status::InvalidArgument(
              "option 'endpoint' must be an http:// or https:// URL"));
        }
        o.endpoint = value;
        while (o.endpoint.ends_with("/")) o.endpoint.pop_back();
      } else if (name == "create") {
        if (!ParseInt(value, 0, 1, &n)) {
          return bad(BadIntegerOption(name, 0, 1, value));
        }
        o.create = n == 1;
      } else if (name == "retries") {
        if (!ParseInt(value, 0, 100, &n)) {
          return bad(BadIntegerOption(name, 0, 100, value));
        }
        o.max_attempts = static_cast<int>(n) + 1;
      } else if (name == "timeout_ms") {
        if (!ParseInt(value, 1, 600000, &n)) {
          return bad(BadIntegerOption(name, 1, 600000, value));
        }
        o.timeout = std::chrono::milliseconds(n);
      } else {
        return bad(UnknownUrlOption(
            name, {"region", "endpoint", "create", "retries", "timeout_ms"}));
      }
    }
  }
  if (o.region.empty()) o.region = aws::RegionFromEnvironment();
  if (o.region.empty()) {
    return bad(Status::InvalidArgument(
        "no region: add ?region=... or set AWS_REGION"));
  }
  if (o.endpoint.empty()) {
    o.endpoint = "https://dynamodb." + o.region + ".amazonaws.com";
  }
  return o;
}

Result<std::unique_ptr<DynamoDbDatastore>> DynamoDbDatastore::Open(
    const std::string& url) {
  UNUM_ASSIGN_OR_RETURN(DynamoDbDatastoreOptions options,
                        ParseDynamoDbUrl(url));
  return Open(options);
}

Result<std::unique_ptr<DynamoDbDatastore>> DynamoDbDatastore::Open(
    const DynamoDbDatastoreOptions& options) {
  UNUM_ASSIGN_OR_RETURN(aws::AwsCredentials credentials,
                        aws::CredentialsFromEnvironment());
  dynamodb::DynamoDbClientOptions c;
  c.endpoint = options.endpoint;
  c.region = options.region;
  c.credentials = std::move(credentials);
  c.max_attempts = options.max_attempts;
  c.timeout = options.timeout;
  auto client = std::make_shared<dynamodb::DynamoDbClient>(
      std::move(c), std::make_shared<aws::CurlHttpClient>());
  auto store = std::make_unique<DynamoDbDatastore>(options.table, client);
  if (options.create) UNUM_RETURN_IF_ERROR(store->CreateTable());
  return store;
}

DynamoDbDatastore::DynamoDbDatastore(
    std::string table, std::shared_ptr<dynamodb::DynamoDbClient> client)
    : table_(std::move(table)), client_(std::move(client)) {}

Status DynamoDbDatastore::CreateTable() {
  json create = {{"TableName", table_},
                 {"AttributeDefinitions",
                  {{{"AttributeName", "p"}, {"AttributeType", "B"}},
                   {{"AttributeName", "s"}, {"AttributeType", "B"}}}},
                 {"KeySchema",
                  {{{"AttributeName", "p"}, {"KeyType", "HASH"}},
                   {{"AttributeName", "s"}, {"KeyType", "RANGE"}}}},
                 {"BillingMode", "PAY_PER_REQUEST"}};
  Result<json> created = client_->Call("CreateTable", create);
  if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) {
    return created.status().WithContext("dynamodb: CreateTable " + table_);
  }
  for (int i = 0;; ++i) {
    UNUM_ASSIGN_OR_RETURN(
        json described,
        client_->Call("DescribeTable", json{{"TableName", table_}}));
    const std::string state =
        described.value("/Table/TableStatus"_json_pointer, "");
    if (state == "ACTIVE") break;
    if (i >= 600) {
      return Status::Unavailable("dynamodb: table " + table_ +
                                 " not ACTIVE after 60 s (" + state + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Result<json> ttl = client_->Call(
      "UpdateTimeToLive", json{{"TableName", table_},
                               {"TimeToLiveSpecification",
                                {{"Enabled", true}, {"AttributeName", "e"}}}});
  if (!ttl.ok()) {
    const std::string m = ttl.status().message();
    if (m.starts_with("UnknownOperationException")) {
      static std::once_flag warned;  // once per process, not per open
      std::call_once(warned, [&] {
        spdlog::warn(
            "dynamodb: the endpoint has no UpdateTimeToLive; "
            "tombstones of table {} will not expire",
            table_);
      });
    } else if (m.find("already enabled") == std::string::npos) {
      return ttl.status().WithContext("dynamodb: UpdateTimeToLive " + table_);
    }
  }
  return Status::Ok();
}

json DynamoDbDatastore::Key(const std::string& session,
                            const std::string& sort) const {
  return {{"p", B(session)}, {"s", B(sort)}};
}

Result<json> DynamoDbDatastore::GetItem(const std::string& session,
                                        const std::string& sort) {
  UNUM_ASSIGN_OR_RETURN(
      json r, client_->Call("GetItem", json{{"TableName", table_},
                                            {"Key", Key(session, sort)},
                                            {"ConsistentRead", true}}));
  return r.contains("Item") ? r["Item"] : json();
}

Result<std::vector<json>> DynamoDbDatastore::BatchGet(
    const std::string& session, const std::vector<std::string>& sorts) {
  std::map<std::string, json> found;
  std::vector<std::string> unique(sorts);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  for (size_t start = 0; start < unique.size(); start += kBatchGetKeys) {
    json keys = json::array();
    for (size_t i = start; i < std::min(unique.size(), start + kBatchGetKeys);
         ++i) {
      keys.push_back(Key(session, unique[i]));
    }
    json request = {{"RequestItems",
                     {{table_, {{"Keys", keys}, {"ConsistentRead", true}}}}}};
    for (int round = 0;; ++round) {
      UNUM_ASSIGN_OR_RETURN(json r, client_->Call("BatchGetItem", request));
      if (r.contains("Responses") && r["Responses"].contains(table_)) {
        for (const json& item : r["Responses"][table_]) {
          std::string sort;
          if (!GetB(item, "s", &sort)) return Malformed("sort key");
          found[sort] = item;
        }
      }
      if (!r.contains("UnprocessedKeys") || !r["UnprocessedKeys"].is_object() ||
          r["UnprocessedKeys"].empty()) {
        break;
      }
      if (round >= 50) {
        return Status::Unavailable(
            "dynamodb: BatchGetItem left keys "
            "unprocessed after 50 rounds");
      }
      request = {{"RequestItems", r["UnprocessedKeys"]}};
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(1000, 10 << std::min(round, 6))));
    }
  }
  std::vector<json> out;
  out.reserve(sorts.size());
  for (const std::string& s : sorts) {
    auto it = found.find(s);
    out.push_back(it == found.end() ? json() : it->second);
  }
  return out;
}

Result<Lookup> DynamoDbDatastore::ToLookup(const std::string& session,
                                           const std::string& sort,
                                           const json& item) {
  Lookup lookup;
  if (item.is_null()) return lookup;
  if (Has(item, "d")) {
    lookup.state = Lookup::State::kTombstone;
    return lookup;
  }
  lookup.state = Lookup::State::kPresent;
  if (Has(item, "v") && !GetB(item, "v", &lookup.value)) {
    return Malformed("value");
  }
  const int64_t chunks = GetN(item, "n");
  if (chunks <= 1) return lookup;
  std::string token;
  if (!GetB(item, "t", &token)) return Malformed("chunk token");
  std::vector<std::string> keys;
  for (int64_t i = 1; i < chunks; ++i) keys.push_back(ChunkKey(sort, token, i));
  UNUM_ASSIGN_OR_RETURN(std::vector<json> parts, BatchGet(session, keys));
  for (const json& part : parts) {
    std::string bytes;
    if (part.is_null()) {
      // Deleted under us: the head is a tombstone by now.
      UNUM_ASSIGN_OR_RETURN(json head, GetItem(session, sort));
      if (Has(head, "d")) {
        return Lookup{.state = Lookup::State::kTombstone, .value = ""};
      }
      return Status::DataLoss("dynamodb: a chunk of a value is missing");
    }
    if (!GetB(part, "v", &bytes)) return Malformed("chunk");
    lookup.value += bytes;
  }
  return lookup;
}

Result<PutOutcome> DynamoDbDatastore::PutValueIfAbsent(
    const std::string& session, const std::string& sort,
    const std::string& value, std::chrono::seconds expire_after) {
  const std::string token = NewToken();
  const size_t chunks =
      value.empty() ? 1 : (value.size() + kChunkBytes - 1) / kChunkBytes;
  // An expiring value: every item of it carries the TTL attribute.
  const json expiry =
      expire_after.count() > 0 ? N(EpochSeconds(expire_after)) : json();
  std::vector<std::string> chunk_keys;
  if (chunks > 1) {
    std::vector<json> puts;
    for (size_t i = 1; i < chunks; ++i) {
      chunk_keys.push_back(ChunkKey(sort, token, i));
      json item = Key(session, chunk_keys.back());
      item["v"] = B(value.substr(i * kChunkBytes, kChunkBytes));
      if (!expiry.is_null()) item["e"] = expiry;
      puts.push_back({{"TableName", table_}, {"Item", item}});
    }
    for (const Result<json>& r : client_->CallAll("PutItem", puts)) {
      if (!r.ok()) {
        DeleteItems(session, chunk_keys);
        return r.status().WithContext("dynamodb: writing a value chunk");
      }
    }
  }
  json item = Key(session, sort);
  if (!value.empty()) item["v"] = B(value.substr(0, kChunkBytes));
  item["w"] = B(token);
  if (!expiry.is_null()) item["e"] = expiry;
  if (chunks > 1) {
    item["n"] = N(static_cast<int64_t>(chunks));
    item["t"] = B(token);
  }
  dynamodb::CallInfo info;
  // A lost write returns the item it lost to (ALL_OLD), so the loser needs
  // no second read; a service that does not send it gets one.
  Result<json> put =
      client_->Call("PutItem",
                    json{{"TableName", table_},
                         {"Item", item},
                         {"ConditionExpression", "attribute_not_exists(p)"},
                         {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}},
                    &info);
  if (put.ok()) return PutOutcome{.won = true};
  if (!IsConditionFailed(put.status())) {
    DeleteItems(session, chunk_keys);
    return put.status().WithContext("dynamodb: PutItem");
  }
  json head = info.condition_item;
  if (head.is_null() || info.ambiguous) {
    UNUM_ASSIGN_OR_RETURN(head, GetItem(session, sort));
  }
  std::string writer;
  if (info.ambiguous && GetB(head, "w", &writer) && writer == token) {
    // An earlier attempt of this very call is what is there.
    return PutOutcome{.won = true};
  }
  DeleteItems(session, chunk_keys);
  UNUM_ASSIGN_OR_RETURN(Lookup existing, ToLookup(session, sort, head));
  return PutOutcome{.won = false, .existing = std::move(existing)};
}

void DynamoDbDatastore::DeleteItems(const std::string& session,
                                    const std::vector<std::string>& sorts) {
  constexpr size_t kInFlight = 32;
  for (size_t start = 0; start < sorts.size(); start += kInFlight) {
    std::vector<json> deletes;
    for (size_t i = start; i < std::min(sorts.size(), start + kInFlight); ++i) {
      deletes.push_back(
          {{"TableName", table_}, {"Key", Key(session, sorts[i])}});
    }
    // Best effort: a leftover chunk or member item is garbage, not state.
    (void)client_->CallAll("DeleteItem", deletes);
  }
}

Result<Lookup> DynamoDbDatastore::GetCheckpoint(const std::string& session,
                                                const std::string& instance) {
  const std::string sort = CheckpointKey(instance);
  UNUM_ASSIGN_OR_RETURN(json item, GetItem(session, sort));
  return ToLookup(session, sort, item);
}

Result<PutOutcome> DynamoDbDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  return PutValueIfAbsent(session, CheckpointKey(instance), value,
                          expire_after);
}

Result<std::vector<Lookup>> DynamoDbDatastore::GetCheckpoints(
    const std::string& session, const std::vector<std::string>& instances) {
  std::vector<std::string> sorts;
  for (const std::string& i : instances) sorts.push_back(CheckpointKey(i));
  UNUM_ASSIGN_OR_RETURN(std::vector<json> items, BatchGet(session, sorts));
  std::vector<Lookup> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    UNUM_ASSIGN_OR_RETURN(Lookup l, ToLookup(session, sorts[i], items[i]));
    out.push_back(std::move(l));
  }
  return out;
}

Status DynamoDbDatastore::Tombstone(const std::string& session,
                                    const std::string& sort,
                                    std::chrono::seconds ttl) {
  return TombstoneAll(session, {sort}, ttl);
}

Status DynamoDbDatastore::TombstoneAll(const std::string& session,
                                       const std::vector<std::string>& sorts,
                                       std::chrono::seconds ttl) {
  constexpr size_t kInFlight = 64;
  const json expiry = N(EpochSeconds(ttl));
  for (size_t start = 0; start < sorts.size(); start += kInFlight) {
    const size_t end = std::min(sorts.size(), start + kInFlight);
    std::vector<json> puts;
    for (size_t i = start; i < end; ++i) {
      json item = Key(session, sorts[i]);
      item["d"] = json{{"BOOL", true}};
      item["e"] = expiry;
      puts.push_back({{"TableName", table_},
                      {"Item", std::move(item)},
                      {"ReturnValues", "ALL_OLD"}});
    }
    // All in flight at once.
    std::vector<Result<json>> olds = client_->CallAll("PutItem", puts);
    for (size_t k = 0; k < olds.size(); ++k) {
      if (!olds[k].ok()) return olds[k].status();
      // Chunks of the value it replaced are garbage now.
      const json& old = *olds[k];
      const json& before =
          old.contains("Attributes") ? old["Attributes"] : json();
      const int64_t chunks = GetN(before, "n");
      std::string token;
      if (chunks > 1 && GetB(before, "t", &token)) {
        std::vector<std::string> keys;
        for (int64_t i = 1; i < chunks; ++i) {
          keys.push_back(ChunkKey(sorts[start + k], token, i));
        }
        DeleteItems(session, keys);
      }
    }
  }
  return Status::Ok();
}

Status DynamoDbDatastore::DeleteCheckpoints(
    const std::string& session, const std::vector<std::string>& instances,
    std::chrono::seconds ttl) {
  std::vector<std::string> sorts;
  sorts.reserve(instances.size());
  for (const std::string& i : instances) sorts.push_back(CheckpointKey(i));
  return TombstoneAll(session, sorts, ttl)
      .WithContext("dynamodb: DeleteCheckpoints");
}

Status DynamoDbDatastore::DeleteCheckpoint(const std::string& session,
                                           const std::string& instance,
                                           std::chrono::seconds ttl) {
  return Tombstone(session, CheckpointKey(instance), ttl)
      .WithContext("dynamodb: DeleteCheckpoint");
}

// AddToSet. A member item (put if absent) makes adds idempotent; the set
// head counts members with ADD. The head's "f" set holds the members counted
// but not yet marked counted in their member item, so a retry after a crash
// between the two writes neither loses nor double counts; "g" counts the
// removals from "f" so a duplicate's stale view cannot count twice.
Result<SetAddResult> DynamoDbDatastore::AddToSet(const std::string& session,
                                                 const std::string& set,
                                                 const std::string& member) {
  const std::string head_key = SetKey(set);
  const std::string member_key = MemberKey(set, member);
  const json member_set = {{"BS", {Base64Encode(member)}}};
  const SetAddResult closed{.size = 0, .closed = true};

  // Counts the member on the head; then marks it counted and trims "f".
  auto count = [&](const std::string& condition,
                   const json& values) -> Result<std::optional<int64_t>> {
    json v = values;
    v[":one"] = N(1);
    v[":m"] = B(member);
    v[":ms"] = member_set;
    Result<json> r = client_->Call(
        "UpdateItem", json{{"TableName", table_},
                           {"Key", Key(session, head_key)},
                           {"UpdateExpression", "ADD c :one, f :ms"},
                           {"ConditionExpression", condition},
                           {"ExpressionAttributeValues", v},
                           {"ReturnValues", "UPDATED_NEW"}});
    if (!r.ok()) {
      if (IsConditionFailed(r.status())) return std::optional<int64_t>();
      return r.status().WithContext("dynamodb: counting a set member");
    }
    const int64_t size = GetN((*r)["Attributes"], "c");
    UNUM_ASSIGN_OR_RETURN(
        json marked,
        client_->Call("UpdateItem", json{{"TableName", table_},
                                         {"Key", Key(session, member_key)},
                                         {"UpdateExpression", "SET k = :t"},
                                         {"ExpressionAttributeValues",
                                          {{":t", {{"BOOL", true}}}}}}));
    (void)marked;
    Result<json> trimmed = client_->Call(
        "UpdateItem", json{{"TableName", table_},
                           {"Key", Key(session, head_key)},
                           {"UpdateExpression", "DELETE f :ms ADD g :one"},
                           {"ConditionExpression", "attribute_not_exists(d)"},
                           {"ExpressionAttributeValues",
                            {{":ms", member_set}, {":one", N(1)}}}});
    if (!trimmed.ok() && !IsConditionFailed(trimmed.status())) {
      return trimmed.status().WithContext("dynamodb: trimming a set head");
    }
    return std::optional<int64_t>(size);
  };

  // 1. Claim the member.
  const std::string token = NewToken();
  dynamodb::CallInfo info;
  Result<json> claimed =
      client_->Call("PutItem",
                    json{{"TableName", table_},
                         {"Item",
                          [&] {
                            json item = Key(session, member_key);
                            item["w"] = B(token);
                            return item;
                          }()},
                         {"ConditionExpression", "attribute_not_exists(p)"}},
                    &info);
  bool owner = claimed.ok();
  if (!claimed.ok()) {
    if (!IsConditionFailed(claimed.status())) {
      return claimed.status().WithContext("dynamodb: adding a set member");
    }
    if (info.ambiguous) {
      UNUM_ASSIGN_OR_RETURN(json m, GetItem(session, member_key));
      std::string w;
      owner = GetB(m, "w", &w) && w == token && !Has(m, "k");
    }
  }
  if (owner) {
    UNUM_ASSIGN_OR_RETURN(
        std::optional<int64_t> size,
        count("attribute_not_exists(d) AND NOT contains(f, :m)",
              json::object()));
    if (size.has_value()) return SetAddResult{.size = *size, .closed = false};
    // Closed, or counted by a duplicate of this add.
    UNUM_ASSIGN_OR_RETURN(json head, GetItem(session, head_key));
    if (Has(head, "d")) {
      DeleteItems(session, {member_key});
      return closed;
    }
    return SetAddResult{.size = GetN(head, "c"), .closed = false};
  }

  // 2. The member was claimed before: counted already, or its adder is
  // between its writes (or died there).
  for (int round = 0; round < kMaxSetRounds; ++round) {
    UNUM_ASSIGN_OR_RETURN(json head, GetItem(session, head_key));
    if (Has(head, "d")) return closed;
    UNUM_ASSIGN_OR_RETURN(json m, GetItem(session, member_key));
    if (m.is_null()) {
      // Removed by a DeleteSet racing us.
      UNUM_ASSIGN_OR_RETURN(json again, GetItem(session, head_key));
      if (Has(again, "d")) return closed;
      return Status::Unavailable("dynamodb: set member vanished; retry");
    }
    if (Has(m, "k") || SetContains(head, "f", member)) {
      if (Has(m, "k")) {
        UNUM_ASSIGN_OR_RETURN(head, GetItem(session, head_key));
        if (Has(head, "d")) return closed;
      }
      return SetAddResult{.size = GetN(head, "c"), .closed = false};
    }
    const int64_t g = GetN(head, "g");
    const std::string unchanged =
        Has(head, "g") ? "g = :g" : "attribute_not_exists(g)";
    json values = json::object();
    if (Has(head, "g")) values[":g"] = N(g);
    UNUM_ASSIGN_OR_RETURN(
        std::optional<int64_t> size,
        count(
            "attribute_not_exists(d) AND NOT contains(f, :m) AND " + unchanged,
            values));
    if (size.has_value()) return SetAddResult{.size = *size, .closed = false};
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + round % 10));
  }
  return Status::Unavailable("dynamodb: set add kept racing; retry");
}

Status DynamoDbDatastore::DeleteSet(const std::string& session,
                                    const std::string& set,
                                    std::chrono::seconds ttl) {
  UNUM_RETURN_IF_ERROR(
      Tombstone(session, SetKey(set), ttl).WithContext("dynamodb: DeleteSet"));
  // Drop the member items (adds after the tombstone report closed).
  json request = {{"TableName", table_},
                  {"ConsistentRead", true},
                  {"KeyConditionExpression", "p = :p AND begins_with(s, :m)"},
                  {"ProjectionExpression", "s"},
                  {"ExpressionAttributeValues",
                   {{":p", B(session)}, {":m", B(MemberPrefix(set))}}}};
  while (true) {
    UNUM_ASSIGN_OR_RETURN(json r, client_->Call("Query", request));
    std::vector<std::string> keys;
    for (const json& item : r.value("Items", json::array())) {
      std::string sort;
      if (GetB(item, "s", &sort)) keys.push_back(sort);
    }
    DeleteItems(session, keys);
    if (!r.contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  return Status::Ok();
}

Result<bool> DynamoDbDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  UNUM_ASSIGN_OR_RETURN(
      PutOutcome put,
      PutValueIfAbsent(session, kRecordKey, value, std::chrono::seconds(0)));
  return put.won;
}

Result<Lookup> DynamoDbDatastore::GetSessionRecord(const std::string& session) {
  UNUM_ASSIGN_OR_RETURN(json item, GetItem(session, kRecordKey));
  return ToLookup(session, kRecordKey, item);
}

Result<std::vector<KeyInfo>> DynamoDbDatastore::ListKeys(
    const std::string& session) {
  json request = {{"TableName", table_},
                  {"ConsistentRead", true},
                  {"KeyConditionExpression", "p = :p"},
                  {"ProjectionExpression", "s, d, e"},
                  {"ExpressionAttributeValues", {{":p", B(session)}}}};
  std::vector<KeyInfo> out;
  while (true) {
    UNUM_ASSIGN_OR_RETURN(json r, client_->Call("Query", request));
    for (const json& item : r.value("Items", json::array())) {
      std::string sort;
      if (!GetB(item, "s", &sort) || sort.empty()) return Malformed("key");
      KeyInfo k{.kind = KeyInfo::Kind::kCheckpoint,
                .name = sort.substr(1),
                .tombstone = Has(item, "d"),
                .expires = !Has(item, "d") && Has(item, "e")};
      if (sort[0] == 'c') {
        k.kind = KeyInfo::Kind::kCheckpoint;
      } else if (sort[0] == 's') {
        k.kind = KeyInfo::Kind::kSet;
      } else if (sort[0] == 'r') {
        k.kind = KeyInfo::Kind::kSessionRecord;
      } else {
        continue;  // member markers and value chunks
      }
      out.push_back(std::move(k));
    }
    if (!r.contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  return out;
}

Status DynamoDbDatastore::PutTraceEvent(const std::string& session,
                                        const std::string& id,
                                        const std::string& value) {
  json item = Key(session, "e" + id);
  item["v"] = B(value);
  return client_->Call("PutItem", json{{"TableName", table_}, {"Item", item}})
      .status()
      .WithContext("dynamodb: PutTraceEvent");
}

Result<std::vector<std::string>> DynamoDbDatastore::GetTraceEvents(
    const std::string& session) {
  json request = {
      {"TableName", table_},
      {"ConsistentRead", true},
      {"KeyConditionExpression", "p = :p AND begins_with(s, :e)"},
      {"ProjectionExpression", "v"},
      {"ExpressionAttributeValues", {{":p", B(session)}, {":e", B("e")}}}};
  std::vector<std::string> out;
  while (true) {
    UNUM_ASSIGN_OR_RETURN(json r, client_->Call("Query", request));
    for (const json& item : r.value("Items", json::array())) {
      std::string value;
      if (!GetB(item, "v", &value)) return Malformed("trace event");
      out.push_back(std::move(value));
    }
    if (!r.contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  return out;
}

Result<std::vector<std::string>> DynamoDbDatastore::ListSessions() {
  json request = {
      {"TableName", table_},
      {"ConsistentRead", true},
      {"ProjectionExpression", "p"},
      {"FilterExpression", "s = :r OR begins_with(s, :e)"},
      {"ExpressionAttributeValues", {{":r", B(kRecordKey)}, {":e", B("e")}}}};
  std::set<std::string> sessions;
  while (true) {
    UNUM_ASSIGN_OR_RETURN(json r, client_->Call("Scan", request));
    for (const json& item : r.value("Items", json::array())) {
      std::string session;
      if (!GetB(item, "p", &session)) return Malformed("partition key");
      sessions.insert(std::move(session));
    }
    if (!r.contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  return std::vector<std::string>(sessions.begin(), sessions.end());
}

}  // namespace unum
