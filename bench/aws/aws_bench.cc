// unum-bench-aws: measurements of the AWS backends on this machine, which
// used to be disabled tests (docs/aws.md quotes them through
// docs/benchmarks.md). Prints one JSON line per case; a case whose result
// is wrong prints "status": "failed" and the exit code is 1.
//
//   unum-bench-aws --case lambda-in-flight    # 512 async Invoke requests to
//       a local server answering 202 after 10 ms, 1 / 8 / 64 in flight
//   unum-bench-aws --case dynamodb-fan-in     # a 10,000-member fan-in set
//       on dynalite (tests/dynamodb-peer), 16 adding threads
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "aws/curl_http_client.h"
#include "common/uuid.h"
#include "datastore/dynamodb/dynalite_test_server.h"
#include "platform/lambda/lambda_platform.h"
#include "unum/datastore.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// 512 invocations, one at a time versus 8 and 64 in flight, against a
// server that takes 10 ms per request. httplib's listen backlog is 5, so a
// burst of new connections loses SYNs (1 s retransmits).
json LambdaInFlight() {
  constexpr int kInvocations = 512;
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(80); };
  server.set_keep_alive_max_count(100000);
  std::atomic<int> received{0};
  server.Post(R"(/2015-03-31/functions/([^/]+)/invocations)",
              [&](const httplib::Request&, httplib::Response& res) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                ++received;
                res.status = 202;
              });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    return {{"case", "lambda-in-flight"},
            {"status", "failed"},
            {"error", "cannot listen on loopback"}};
  }
  std::thread listener([&] { server.listen_after_bind(); });
  json rows = json::array();
  std::string error;
  for (int in_flight : {1, 8, 64}) {
    unum::LambdaPlatformOptions o;
    o.region = "us-east-1";
    o.endpoint = "http://127.0.0.1:" + std::to_string(port);
    o.max_in_flight = in_flight;
    unum::LambdaPlatform platform(
        o, unum::aws::AwsCredentials{"AKIDBENCH", "secret", ""},
        std::make_shared<unum::aws::CurlHttpClient>());
    received = 0;
    const auto start = Clock::now();
    for (int i = 0; i < kInvocations; ++i) {
      if (!platform.Invoke("Mapper", json(i)).ok()) error = "Invoke failed";
    }
    const unum::Status flushed = platform.Flush();
    const double s = Seconds(start);
    // The result: every request accepted, each exactly once.
    if (!flushed.ok()) error = flushed.ToString();
    if (platform.stats().completed != kInvocations ||
        received != kInvocations) {
      error = "accepted " + std::to_string(platform.stats().completed) +
              ", received " + std::to_string(received.load()) + " of " +
              std::to_string(kInvocations);
    }
    rows.push_back({{"max_in_flight", in_flight},
                    {"seconds", s},
                    {"per_second", kInvocations / s}});
  }
  server.stop();
  listener.join();
  json out = {{"case", "lambda-in-flight"},
              {"invocations", kInvocations},
              {"server_ms_per_request", 10},
              {"runs", rows}};
  out["status"] = error.empty() ? "ok" : "failed";
  if (!error.empty()) out["error"] = error;
  return out;
}

// 10,000 members added to one fan-in set from 16 threads: every size from
// 1 to 10,000 must come back exactly once.
json DynamoDbFanIn() {
  constexpr int kThreads = 16;
  constexpr int kMembers = 10000;
  json out = {{"case", "dynamodb-fan-in"},
              {"members", kMembers},
              {"threads", kThreads}};
  auto url = unum::dynamodb::testing::SharedTestDynamoDbUrl();
  if (!url.ok()) {
    out["status"] = "failed";
    out["error"] = url.status().ToString();
    return out;
  }
  auto store = unum::OpenDatastore(*url);
  if (!store.ok()) {
    out["status"] = "failed";
    out["error"] = store.status().ToString();
    return out;
  }
  const std::string session = "bench-fanin-" + unum::NewUuid();
  std::vector<std::vector<int64_t>> sizes(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kMembers; i += kThreads) {
        auto r = (*store)->AddToSet(session, "Agg-fanin",
                                    "Branch-unumIndex-" + std::to_string(i));
        if (!r.ok() || r->closed) {
          ++errors;
        } else {
          sizes[t].push_back(r->size);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const double s = Seconds(start);
  std::vector<int64_t> all;
  for (const auto& v : sizes) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  bool every_size_once = all.size() == kMembers;
  for (size_t i = 0; every_size_once && i < all.size(); ++i) {
    every_size_once = all[i] == static_cast<int64_t>(i) + 1;
  }
  out["seconds"] = s;
  out["adds_per_second"] = kMembers / s;
  out["status"] = errors == 0 && every_size_once ? "ok" : "failed";
  if (errors > 0 || !every_size_once) {
    out["error"] =
        std::to_string(errors.load()) +
        " failed adds; every size once: " + (every_size_once ? "yes" : "no");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Measurements of the AWS backends on this machine"};
  std::vector<std::string> cases;
  cli.add_option("--case", cases, "lambda-in-flight, dynamodb-fan-in")
      ->required()
      ->check(CLI::IsMember({"lambda-in-flight", "dynamodb-fan-in"}));
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  bool failed = false;
  for (const std::string& c : cases) {
    const json row =
        c == "lambda-in-flight" ? LambdaInFlight() : DynamoDbFanIn();
    failed = failed || row.value("status", "") != "ok";
    std::cout << row.dump() << "\n";
  }
  return failed ? 1 : 0;
}
