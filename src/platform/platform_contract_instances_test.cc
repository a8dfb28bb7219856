// The platform contract suite (platform_contract_test.h) on every platform
// OpenPlatform knows: inproc://, sqlite://, redis:// (workers on a real
// redis-server the tests start) and lambda:// (LambdaPlatform sending to
// `unum lambda-local`'s service, whose environments run the bootstrap's
// event loop in this process). A new platform is one more factory here;
// EveryPlatformSchemeRunsTheContract fails until it has one.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <typeinfo>
#include <vector>

#include "datastore/redis/redis_test_server.h"
#include "lambda/local/local_lambda_platform.h"
#include "platform/hosted_platform.h"
#include "platform/platform_contract_test.h"
#include "platform/redis/redis_platform.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using Opened = Result<std::unique_ptr<HostedPlatform>>;

// A directory for the SQLite queues of this process.
const std::string& TempDir() {
  static const std::string dir = [] {
    std::string tmpl =
        (fs::path(::testing::TempDir()) / "unum_contract_XXXXXX").string();
    return std::string(mkdtemp(tmpl.data()) != nullptr ? tmpl.c_str() : "");
  }();
  return dir;
}

std::vector<PlatformFactory> Factories() {
  std::vector<PlatformFactory> out;
  out.push_back({"Inproc", "inproc",
                 PlatformTraits{.fifo = true,
                                .durable = false,
                                .exhausted_callback = true,
                                .exact_attempts = true,
                                .max_payload_bytes = 0,
                                .retry_wait = std::chrono::milliseconds(300)},
                 [](const ContractOptions& o) {
                   return OpenPlatform(
                       "inproc://?workers=" + std::to_string(o.workers) +
                       "&max_attempts=3&retry_backoff_ms=5");
                 }});
  out.push_back({"Sqlite", "sqlite",
                 PlatformTraits{.fifo = true,
                                .durable = true,
                                .exhausted_callback = true,
                                .exact_attempts = true,
                                .max_payload_bytes = 0,
                                .retry_wait = std::chrono::milliseconds(300)},
                 [](const ContractOptions& o) -> Opened {
                   if (TempDir().empty())
                     return Status::Internal("no temp directory");
                   return OpenPlatform(
                       "sqlite://" + TempDir() + "/" + o.queue +
                       ".db?workers=" + std::to_string(o.workers) +
                       "&max_attempts=3&retry_backoff_ms=5&poll_ms=5"
                       "&session=" +
                       o.session);
                 }});
  out.push_back(
      {"Redis", "redis",
       PlatformTraits{.fifo = true,
                      .durable = true,
                      .exhausted_callback = true,
                      .exact_attempts = true,
                      .max_payload_bytes = 0,
                      .retry_wait = std::chrono::milliseconds(500)},
       [](const ContractOptions& o) -> Opened {
         // Workers (OpenPlatform's redis:// only submits): they run the
         // handler and invoke too.
         Result<std::string> url = redis::testing::SharedTestRedisUrl();
         if (!url.ok()) return url.status();
         UNUM_ASSIGN_OR_RETURN(
             RedisPlatformOptions options,
             ParseRedisPlatformUrl(*url + "?app=" + o.queue +
                                   "&concurrency=" + std::to_string(o.workers) +
                                   "&max_attempts=3&retry_backoff_ms=20"
                                   "&tick_ms=10&block_ms=50"));
         UNUM_ASSIGN_OR_RETURN(
             std::unique_ptr<RedisPlatform> platform,
             RedisPlatform::Create(options, RedisPlatform::Role::kWorker));
         return std::unique_ptr<HostedPlatform>(std::move(platform));
       }});
  out.push_back({"Lambda", "lambda",
                 PlatformTraits{.fifo = false,
                                .durable = false,
                                .exhausted_callback = false,
                                .exact_attempts = false,
                                .max_payload_bytes = 256 * 1024,
                                .retry_wait = std::chrono::milliseconds(500)},
                 [](const ContractOptions& o) -> Opened {
                   UNUM_ASSIGN_OR_RETURN(
                       std::unique_ptr<lambda::LocalLambdaPlatform> platform,
                       lambda::LocalLambdaPlatform::Open(
                           {.functions = ContractFunctionNames(),
                            .environments = o.workers,
                            .retry_delay = std::chrono::milliseconds(20)}));
                   return std::unique_ptr<HostedPlatform>(std::move(platform));
                 }});
  return out;
}

INSTANTIATE_TEST_SUITE_P(Platforms, PlatformContractTest,
                         ::testing::ValuesIn(Factories()), PlatformFactoryName);

// The dynamic type OpenPlatform gives for `scheme`'s example URL.
std::string BackendType(const PlatformScheme& scheme) {
  std::string url = scheme.example;
  if (size_t at = url.find("{tmp}"); at != std::string::npos) {
    url.replace(at, 5, TempDir());
  }
  auto opened = OpenPlatform(url);
  EXPECT_TRUE(opened.ok()) << url << ": " << opened.status().ToString();
  if (!opened.ok()) return "";
  const HostedPlatform& p = **opened;
  return typeid(p).name();
}

TEST(PlatformContractCoverageTest, EveryPlatformSchemeRunsTheContract) {
  // lambda:// signs requests: it opens only with credentials (none is sent).
  setenv("AWS_ACCESS_KEY_ID", "test", /*overwrite=*/0);
  setenv("AWS_SECRET_ACCESS_KEY", "test", /*overwrite=*/0);
  const std::vector<PlatformFactory> factories = Factories();
  std::vector<std::string> covered_types;
  for (const PlatformScheme& scheme : PlatformSchemes()) {
    if (std::any_of(factories.begin(), factories.end(),
                    [&](const PlatformFactory& f) {
                      return f.scheme == scheme.name;
                    })) {
      covered_types.push_back(BackendType(scheme));
    }
  }
  for (const PlatformScheme& scheme : PlatformSchemes()) {
    const bool named = std::any_of(
        factories.begin(), factories.end(),
        [&](const PlatformFactory& f) { return f.scheme == scheme.name; });
    // An alias (sqlite-outbox://) opens a backend the suite covers.
    const bool alias = std::find(covered_types.begin(), covered_types.end(),
                                 BackendType(scheme)) != covered_types.end();
    EXPECT_TRUE(named || alias)
        << scheme.name << ":// has no factory in the platform contract suite";
  }
}

}  // namespace
}  // namespace unum
