// PlatformContractTest: the GoogleTest suite every platform passes, through
// the HostedPlatform interface that `unum run`, `unum worker` and the hosts
// drive: at-least-once delivery with the function and payload intact,
// attempts counted and the last one marked (attempt == MaxAttempts()),
// delayed invocations, FIFO order where a platform promises it, Stop with
// work in flight, handlers that throw or hang, and payloads from empty to
// the platform's maximum size (decoded payloads too, where carried).
//
// The suite is compiled once (platform_contract_test.cc, the OBJECT
// library unum_platform_contract); a platform joins it with one factory in
// platform_contract_instances_test.cc:
//
//   PlatformFactory{"Inproc", "inproc", traits,
//                   [](const ContractOptions& o) { return ...; }}
//
// ContractOptions name the queue: a durable platform opened twice on the
// same queue sees the same work (the second one takes over what the first
// left queued). Each test uses a fresh queue and session.
#ifndef UNUM_PLATFORM_PLATFORM_CONTRACT_TEST_H_
#define UNUM_PLATFORM_PLATFORM_CONTRACT_TEST_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "platform/hosted_platform.h"
#include "unum/status.h"

namespace unum {

struct ContractOptions {
  int workers = 2;      // deliveries at once
  std::string queue;    // names the queue (durable platforms)
  std::string session;  // the session of the suite's payloads
};

// What a platform promises beyond the common contract.
struct PlatformTraits {
  // With one worker, ready invocations run in the order they were made.
  bool fifo = false;
  // Work still queued at Stop is kept: the next platform on the queue runs
  // it.
  bool durable = false;
  // SetExhaustedCallback is honoured (Lambda has none: its last attempt is
  // the on-failure destination record, delivered to the handler).
  bool exhausted_callback = true;
  // Attempts are numbered 1, 2, ... exactly. Lambda tells a function
  // nothing of the kind: the bootstrap counts deliveries per request id in
  // its execution environment, so a retry in another environment is
  // attempt 1 again; only the last attempt (the destination record) is
  // marked exactly, as MaxAttempts().
  bool exact_attempts = true;
  // The largest payload (JSON text) accepted, in bytes; 0 for no limit
  // (the suite then sends 4 MiB).
  size_t max_payload_bytes = 0;
  // Above this, a failed delivery is retried no later (the suite's
  // settings): how long "no further attempt" is watched for.
  std::chrono::milliseconds retry_wait{500};
};

struct PlatformFactory {
  std::string name;    // part of the test names
  std::string scheme;  // the OpenPlatform scheme it stands for
  PlatformTraits traits;
  std::function<Result<std::unique_ptr<HostedPlatform>>(const ContractOptions&)>
      make;
};

std::string PlatformFactoryName(
    const ::testing::TestParamInfo<PlatformFactory>& info);
void PrintTo(const PlatformFactory& factory, std::ostream* os);

// The function names the suite invokes (a platform that must know its
// functions up front, like Lambda, declares these).
const std::vector<std::string>& ContractFunctionNames();

// Every delivery a handler saw, in the order they started.
class DeliveryLog {
 public:
  struct Entry {
    Invocation invocation;
    std::chrono::steady_clock::time_point at;
  };
  void Add(const Invocation& invocation);
  std::vector<Entry> Entries() const;
  // Deliveries of `function` so far.
  int Count(const std::string& function) const;
  // Waits until pred(entries) holds or `limit` passes; the last verdict.
  bool WaitFor(const std::function<bool(const std::vector<Entry>&)>& pred,
               std::chrono::milliseconds limit = std::chrono::seconds(20));

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> entries_;
};

class PlatformContractTest : public ::testing::TestWithParam<PlatformFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  const PlatformTraits& traits() const { return GetParam().traits; }
  // A platform on this test's queue (opened again: the same queue); the
  // test fails on an error. Stopped at TearDown.
  HostedPlatform* Open(int workers = 2);
  // A payload of this test's session carrying `value`.
  nlohmann::json Payload(const nlohmann::json& value) const;
  // The attempts of an invocation that failed every time: 1..max, or
  // (without exact_attempts) max of them below max but the last.
  void ExpectAttempts(const std::vector<int>& attempts, int max) const;
  // The attempts of an invocation whose first delivery failed and second
  // succeeded.
  void ExpectRetriedOnce(const std::vector<int>& attempts) const;

  ContractOptions options_;
  std::vector<std::unique_ptr<HostedPlatform>> platforms_;
};

}  // namespace unum

#endif  // UNUM_PLATFORM_PLATFORM_CONTRACT_TEST_H_
