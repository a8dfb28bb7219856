// Tests for DynamoDbDatastore against dynalite: the contract suite (through
// the class and OpenDatastore), URL parsing, table creation, value
// splitting and the set's member items.
//
// The endpoint is $UNUM_TEST_DYNAMODB_URL when set, else a dynalite child
// started by this process on a free loopback port. A missing dynalite fails
// the tests; they are never skipped.
#include "datastore/dynamodb/dynamodb_datastore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aws/curl_http_client.h"
#include "common/base64.h"
#include "datastore/datastore_contract_test.h"
#include "datastore/dynamodb/dynalite_test_server.h"
#include "unum/datastore.h"

namespace unum {
namespace {

using dynamodb::testing::SharedTestDynamoDbEndpoint;
using dynamodb::testing::SharedTestDynamoDbUrl;

std::string TestUrl() {
  Result<std::string> url = SharedTestDynamoDbUrl();
  if (!url.ok()) {
    ADD_FAILURE() << "no dynalite for the tests: " << url.status().ToString();
    return "";
  }
  return *url;
}

std::unique_ptr<DynamoDbDatastore> OpenTestStore() {
  const std::string url = TestUrl();
  if (url.empty()) return nullptr;
  auto store = DynamoDbDatastore::Open(url);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

using Made = Result<std::unique_ptr<Datastore>>;

INSTANTIATE_TEST_SUITE_P(
    DynamoDb, DatastoreContractTest,
    ::testing::Values(DatastoreFactory{"Plain",
                                       []() -> Made {
                                         Result<std::string> url =
                                             SharedTestDynamoDbUrl();
                                         if (!url.ok()) return url.status();
                                         auto store =
                                             DynamoDbDatastore::Open(*url);
                                         if (!store.ok()) return store.status();
                                         return Made(std::move(store).value());
                                       }},
                      DatastoreFactory{"Opened",
                                       []() -> Made {
                                         Result<std::string> url =
                                             SharedTestDynamoDbUrl();
                                         if (!url.ok()) return url.status();
                                         return OpenDatastore(*url);
                                       }}),
    DatastoreFactoryName);

// A raw client on the test table, to leave the items an adder that died
// between its writes would leave.
class RawTable {
 public:
  RawTable() {
    Result<std::string> endpoint = SharedTestDynamoDbEndpoint();
    EXPECT_TRUE(endpoint.ok());
    dynamodb::DynamoDbClientOptions o;
    o.endpoint = endpoint.ok() ? *endpoint : "";
    o.region = "us-east-1";
    o.credentials = {.access_key_id = "test",
                     .secret_access_key = "test",
                     .session_token = ""};
    client_ = std::make_unique<dynamodb::DynamoDbClient>(
        o, std::make_shared<aws::CurlHttpClient>());
  }

  static nlohmann::json B(const std::string& bytes) {
    return {{"B", Base64Encode(bytes)}};
  }
  static std::string MemberKey(const std::string& set, const std::string& m) {
    std::string len(4, '\0');
    len[3] = static_cast<char>(set.size());
    return "m" + len + set + m;
  }

  // PutItem of `item` (attributes besides the key) at (session, sort).
  void Put(const std::string& session, const std::string& sort,
           nlohmann::json item = nlohmann::json::object()) {
    item["p"] = B(session);
    item["s"] = B(sort);
    Result<nlohmann::json> r = client_->Call(
        "PutItem", nlohmann::json{{"TableName", "unum-test"}, {"Item", item}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // Items of `session` of every kind (members and chunks included).
  int64_t CountItems(const std::string& session) {
    Result<nlohmann::json> r = client_->Call(
        "Query",
        nlohmann::json{{"TableName", "unum-test"},
                       {"ConsistentRead", true},
                       {"Select", "COUNT"},
                       {"KeyConditionExpression", "p = :p"},
                       {"ExpressionAttributeValues", {{":p", B(session)}}}});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->value("Count", int64_t{-1}) : -1;
  }

 private:
  std::unique_ptr<dynamodb::DynamoDbClient> client_;
};

TEST(DynamoDbUrlTest, ParsesEveryOption) {
  auto o = ParseDynamoDbUrl(
      "dynamodb://my-table.v1?region=eu-west-1&endpoint=http://127.0.0.1:8000/"
      "&create=1&retries=3&timeout_ms=2500");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->table, "my-table.v1");
  EXPECT_EQ(o->region, "eu-west-1");
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:8000");
  EXPECT_TRUE(o->create);
  EXPECT_EQ(o->max_attempts, 4);
  EXPECT_EQ(o->timeout.count(), 2500);

  o = ParseDynamoDbUrl("dynamodb://tbl?region=us-west-2");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->endpoint, "https://dynamodb.us-west-2.amazonaws.com");
  EXPECT_FALSE(o->create);
  EXPECT_EQ(o->max_attempts, 10);
}

TEST(DynamoDbUrlTest, RejectsBadUrls) {
  EXPECT_EQ(ParseDynamoDbUrl("dynamodb://ab?region=r").status().message(),
            "invalid dynamodb URL 'dynamodb://ab?region=r': the table name "
            "must be 3-255 characters of A-Z a-z 0-9 _ - .");
  EXPECT_EQ(
      ParseDynamoDbUrl("dynamodb://tbl?region=r&create=2").status().message(),
      "invalid dynamodb URL 'dynamodb://tbl?region=r&create=2': option "
      "'create' must be an integer in [0, 1], got '2'");
  EXPECT_EQ(ParseDynamoDbUrl("dynamodb://tbl?region=r&endpoint=ftp://x")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseDynamoDbUrl("dynamodb://tbl?region=r&nope=1").status().code(),
            StatusCode::kInvalidArgument);
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(ParseDynamoDbUrl("dynamodb://tbl").status().message(),
            "invalid dynamodb URL 'dynamodb://tbl': no region: add "
            "?region=... or set AWS_REGION");
  EXPECT_EQ(OpenDatastore("dynamodb://tbl").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DynamoDbDatastoreTest, CreateOnOpenMakesAUsableTableAndIsIdempotent) {
  Result<std::string> endpoint = SharedTestDynamoDbEndpoint();
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  const std::string table = "created-" + contract_internal::RandomToken();
  const std::string base =
      "dynamodb://" + table + "?region=us-east-1&endpoint=" + *endpoint;
  // Without create=1 a missing table is an error naming it.
  auto plain = DynamoDbDatastore::Open(base);
  ASSERT_TRUE(plain.ok());
  Result<Lookup> missing = (*plain)->GetCheckpoint("s", "F");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  auto created = DynamoDbDatastore::Open(base + "&create=1");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(*(*created)->PutCheckpointIfAbsent("s", "F", "v"));
  EXPECT_TRUE((*created)->CreateTable().ok());  // exists: fine
  EXPECT_EQ((*plain)->GetCheckpoint("s", "F")->value, "v");
}

TEST(DynamoDbDatastoreTest, LargeValuesAreSplitAndTombstonesDropChunks) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "split-" + contract_internal::RandomToken();
  const std::string value =
      contract_internal::AllBytes(2 * DynamoDbDatastore::kChunkBytes + 7);
  ASSERT_TRUE(*store->PutCheckpointIfAbsent(s, "Big", value));
  EXPECT_FALSE(*store->PutCheckpointIfAbsent(s, "Big", "other"));
  EXPECT_EQ(store->GetCheckpoint(s, "Big")->value, value);
  Result<std::vector<Lookup>> many = store->GetCheckpoints(s, {"Big", "No"});
  ASSERT_TRUE(many.ok());
  EXPECT_TRUE((*many)[0].value == value);
  EXPECT_TRUE((*many)[1].absent());
  // Chunk items are not keys of the session.
  Result<std::vector<KeyInfo>> keys = store->ListKeys(s);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 1u);
  RawTable raw;
  EXPECT_EQ(raw.CountItems(s), 3);  // the head and two chunks
  ASSERT_TRUE(store->DeleteCheckpoint(s, "Big", std::chrono::hours(1)).ok());
  EXPECT_TRUE(store->GetCheckpoint(s, "Big")->tombstone());
  EXPECT_EQ(raw.CountItems(s), 1);  // the chunks went with the value
}

TEST(DynamoDbDatastoreTest, ManyCheckpointsAreReadInBatchesOf100) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "batch-" + contract_internal::RandomToken();
  std::vector<std::string> names;
  for (int i = 0; i < 250; ++i) {
    names.push_back("B-unumIndex-" + std::to_string(i));
    if (i % 2 == 0) {
      ASSERT_TRUE(
          *store->PutCheckpointIfAbsent(s, names.back(), std::to_string(i)));
    }
  }
  Result<std::vector<Lookup>> r = store->GetCheckpoints(s, names);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 250u);
  for (int i = 0; i < 250; ++i) {
    if (i % 2 == 0) {
      EXPECT_EQ((*r)[i].value, std::to_string(i));
    } else {
      EXPECT_TRUE((*r)[i].absent()) << i;
    }
  }
}

TEST(DynamoDbDatastoreTest, AddCountsAMemberClaimedButNeverCounted) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  RawTable raw;
  const std::string s = "recover-" + contract_internal::RandomToken();
  ASSERT_EQ(store->AddToSet(s, "fanin", "a")->size, 1);
  // "b"'s adder claimed its member item, then died before counting it.
  raw.Put(s, RawTable::MemberKey("fanin", "b"),
          {{"w", RawTable::B("dead-adder-token")}});
  // Its retry counts it, once.
  EXPECT_EQ(store->AddToSet(s, "fanin", "b")->size, 2);
  EXPECT_EQ(store->AddToSet(s, "fanin", "b")->size, 2);
  EXPECT_EQ(store->AddToSet(s, "fanin", "c")->size, 3);
  EXPECT_EQ(store->AddToSet(s, "fanin", "a")->size, 3);
}

TEST(DynamoDbDatastoreTest, AddDoesNotRecountAMemberCountedButNotMarked) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  RawTable raw;
  const std::string s = "recover2-" + contract_internal::RandomToken();
  // "a" counted on the head (in "f"), its member item not yet marked: the
  // adder died between its second and third write.
  raw.Put(s, RawTable::MemberKey("fanin", "a"),
          {{"w", RawTable::B("dead-adder-token")}});
  raw.Put(s, "sfanin",
          {{"c", {{"N", "1"}}}, {"f", {{"BS", {Base64Encode("a")}}}}});
  EXPECT_EQ(store->AddToSet(s, "fanin", "a")->size, 1);
  EXPECT_EQ(store->AddToSet(s, "fanin", "b")->size, 2);
  EXPECT_EQ(store->AddToSet(s, "fanin", "a")->size, 2);
}

TEST(DynamoDbDatastoreTest, DeleteSetRemovesMemberItems) {
  auto store = OpenTestStore();
  ASSERT_NE(store, nullptr);
  const std::string s = "members-" + contract_internal::RandomToken();
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(store->AddToSet(s, "gc", std::to_string(i))->size, i + 1);
  }
  ASSERT_TRUE(store->DeleteSet(s, "gc", std::chrono::hours(1)).ok());
  EXPECT_TRUE(store->AddToSet(s, "gc", "0")->closed);
  EXPECT_TRUE(store->AddToSet(s, "gc", "new")->closed);
  Result<std::vector<KeyInfo>> keys = store->ListKeys(s);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_TRUE((*keys)[0].tombstone);
  // No member item is left behind in the table either.
  RawTable raw;
  EXPECT_EQ(raw.CountItems(s), 1);
}

}  // namespace
}  // namespace unum
