// DynaliteServer: see dynalite_test_server.h.
#include "datastore/dynamodb/dynalite_test_server.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "aws/curl_http_client.h"
#include "common/child_process.h"
#include "datastore/redis/redis_test_server.h"

namespace unum::dynamodb::testing {

namespace {

std::string FindBinary() {
  if (const char* env = std::getenv("UNUM_DYNALITE"); env && *env) return env;
  return "tests/dynamodb-peer/node_modules/.bin/dynalite";
}

}  // namespace

std::string DynaliteServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

DynaliteServer::~DynaliteServer() = default;  // the process is killed

Result<std::unique_ptr<DynaliteServer>> DynaliteServer::Start() {
  const std::string binary = FindBinary();
  if (access(binary.c_str(), X_OK) != 0) {
    return Status::Unavailable(
        "dynalite not found at " + binary +
        " (run tests/dynamodb-peer/install.sh, or set UNUM_DYNALITE)");
  }
  std::unique_ptr<DynaliteServer> server(new DynaliteServer());
  aws::CurlHttpClient http;
  for (int attempt = 0; attempt < 5; ++attempt) {
    server->port_ = redis::testing::FreeLoopbackPort();
    std::vector<std::string> args = {binary,
                                     "--host",
                                     "127.0.0.1",
                                     "--port",
                                     std::to_string(server->port_),
                                     "--createTableMs",
                                     "0",
                                     "--deleteTableMs",
                                     "0",
                                     "--updateTableMs",
                                     "0"};
    ChildSpec spec{.argv = std::move(args)};
    spec.out = ChildStream::Null();
    UNUM_ASSIGN_OR_RETURN(server->process_, ChildProcess::Start(spec));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (server->process_->TryWait()) break;
      aws::HttpRequest ping{.method = "GET",
                            .url = server->endpoint() + "/",
                            .headers = {},
                            .body = "",
                            .timeout = std::chrono::milliseconds(500)};
      if (http.Send(ping).ok()) return server;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    server->process_.reset();  // killed if it still runs
  }
  return Status::Unavailable("dynalite did not start (" + binary + ")");
}

Result<std::string> SharedTestDynamoDbEndpoint() {
  setenv("AWS_ACCESS_KEY_ID", "test", 0);
  setenv("AWS_SECRET_ACCESS_KEY", "test", 0);
  if (const char* env = std::getenv("UNUM_TEST_DYNAMODB_URL"); env && *env) {
    return std::string(env);
  }
  static std::mutex mu;
  static std::unique_ptr<DynaliteServer> server;
  static Status failure;
  std::lock_guard<std::mutex> lock(mu);
  if (server == nullptr && failure.ok()) {
    auto started = DynaliteServer::Start();
    if (started.ok()) {
      server = std::move(started).value();
    } else {
      failure = started.status();
    }
  }
  if (!failure.ok()) return failure;
  return server->endpoint();
}

Result<std::string> SharedTestDynamoDbUrl() {
  UNUM_ASSIGN_OR_RETURN(std::string endpoint, SharedTestDynamoDbEndpoint());
  return "dynamodb://unum-test?region=us-east-1&endpoint=" + endpoint +
         "&create=1";
}

}  // namespace unum::dynamodb::testing
