// DatastoreContractTest: the GoogleTest suite every Datastore backend must
// pass (see docs: "A backend is done when the contract suite passes").
//
// The suite is value-parameterized and compiled once
// (datastore_contract_test.cc, the OBJECT library unum_datastore_contract); a
// backend's test binary links it and instantiates it with one DatastoreFactory
// per configuration:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Memory, DatastoreContractTest,
//       ::testing::Values(DatastoreFactory{"Plain", [] {
//         return Result<std::unique_ptr<Datastore>>(
//             std::make_unique<MemoryDatastore>());
//       }}),
//       DatastoreFactoryName);
//
// make() is called once per test. A backend that cannot be opened (no
// server, a bad URL) fails the test with the error: the tests start the
// servers they need, so nothing is skipped. Each test uses session ids
// with a random per-test prefix, so backends shared between tests or runs
// (a redis-server, a DynamoDB table) need no cleanup.
#ifndef UNUM_DATASTORE_DATASTORE_CONTRACT_TEST_H_
#define UNUM_DATASTORE_DATASTORE_CONTRACT_TEST_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <latch>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "unum/datastore.h"
#include "unum/status.h"

namespace unum {
namespace contract_internal {

inline constexpr std::chrono::seconds kLongTtl = std::chrono::hours(1);

// A random hex token, different per call.
inline std::string RandomToken() {
  static std::atomic<uint64_t> counter{0};
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd() ^
                      counter.fetch_add(1));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  uint64_t bits = gen();
  for (int i = 0; i < 16; ++i) {
    token.push_back(kHex[bits & 0xf]);
    bits >>= 4;
  }
  return token;
}

// Bytes 0..255 repeated to `size`: NULs, non-UTF8, everything.
inline std::string AllBytes(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    s[i] =
        static_cast<char>(static_cast<unsigned char>((i * 7 + i / 256) % 256));
  }
  return s;
}

// A comparable view of KeyInfo (ListKeys order is backend defined).
using KeyTuple = std::tuple<KeyInfo::Kind, std::string, bool>;

inline std::vector<KeyTuple> SortedKeys(const std::vector<KeyInfo>& keys) {
  std::vector<KeyTuple> out;
  out.reserve(keys.size());
  for (const KeyInfo& k : keys) out.emplace_back(k.kind, k.name, k.tombstone);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace contract_internal

// One configuration of a backend: a name (part of the test names) and how
// to open a fresh store.
struct DatastoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Datastore>>()> make;
};

// For INSTANTIATE_TEST_SUITE_P's last argument: the factory's name.
std::string DatastoreFactoryName(
    const ::testing::TestParamInfo<DatastoreFactory>& info);
// GoogleTest prints a factory as its name.
void PrintTo(const DatastoreFactory& factory, std::ostream* os);

class DatastoreContractTest
    : public ::testing::TestWithParam<DatastoreFactory> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Datastore>> store = GetParam().make();
    ASSERT_TRUE(store.ok())
        << GetParam().name
        << ": cannot open the datastore: " << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_NE(store_, nullptr) << GetParam().name << ": make() gave null";
    prefix_ = "contract-" + contract_internal::RandomToken() + "-";
  }

  // A session id unique to this test run.
  std::string Session(std::string_view tag) const {
    return prefix_ + std::string(tag);
  }

  Datastore& store() { return *store_; }

  // Helpers that record a failure on a non-OK Status and return a default.
  Lookup Get(const std::string& session, const std::string& instance) {
    Result<Lookup> r = store_->GetCheckpoint(session, instance);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lookup{};
  }

  bool Put(const std::string& session, const std::string& instance,
           const std::string& value) {
    Result<bool> r = store_->PutCheckpointIfAbsent(session, instance, value);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }

  SetAddResult Add(const std::string& session, const std::string& set,
                   const std::string& member) {
    Result<SetAddResult> r = store_->AddToSet(session, set, member);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SetAddResult{.size = -1, .closed = false};
  }

  void Delete(const std::string& session, const std::string& instance) {
    Status s = store_->DeleteCheckpoint(session, instance,
                                        contract_internal::kLongTtl);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  void DeleteSet(const std::string& session, const std::string& set) {
    Status s = store_->DeleteSet(session, set, contract_internal::kLongTtl);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  std::vector<contract_internal::KeyTuple> Keys(const std::string& session) {
    Result<std::vector<KeyInfo>> r = store_->ListKeys(session);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? contract_internal::SortedKeys(*r)
                  : std::vector<contract_internal::KeyTuple>{};
  }

  std::unique_ptr<Datastore> store_;
  std::string prefix_;
};

}  // namespace unum

#endif  // UNUM_DATASTORE_DATASTORE_CONTRACT_TEST_H_
