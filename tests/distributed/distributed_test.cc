// Real faults with real processes: `unum worker` processes run apps from a
// Redis queue while this test SIGKILLs them (and starts new ones), or
// kill -9s and restarts the redis-server itself (with persistence on), and
// checks the run ends with the fault-free result, exactly one session
// record, and nothing left behind but the record and tombstones.
//
// Every test starts its own redis-server on a free loopback port (a child
// process, killed at the end). The fault schedule is random; its seed is
// printed and $UNUM_TEST_SEED replays it.
//
// UNUM_BINARY and UNUM_SOURCE_DIR come from tests/distributed/CMakeLists.txt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/child_process.h"
#include "datastore/redis/redis_client.h"
#include "datastore/redis/redis_datastore.h"
#include "datastore/redis/redis_test_server.h"
#include "platform/redis/redis_platform.h"
#include "runtime/session_record.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Worker timings: a dead worker's invocations are taken over after 1 s.
constexpr char kQueueOptions[] = "?visibility_ms=1000&tick_ms=20&block_ms=100";
// The map tests read several entries per worker thread, so acknowledgements
// ride with the next delivery's datastore calls (see RedisPlatformOptions),
// and a worker's threads merge their datastore calls into one pipeline
// (`pipelines`, see RedisEndpoint).
constexpr char kBatchedQueueOptions[] =
    "?visibility_ms=1000&tick_ms=20&block_ms=100&batch=4&pipelines=1";
constexpr int kWorkers = 4;
constexpr int kThreadsPerWorker = 2;
// No single run may take longer than this.
constexpr auto kRunLimit = std::chrono::seconds(50);

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string Tail(const std::string& text, size_t n = 3000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

// A child process with its output in files; killed when the test ends.
class Process {
 public:
  static std::unique_ptr<Process> Spawn(const std::vector<std::string>& args,
                                        const fs::path& out,
                                        const fs::path& err) {
    ChildSpec spec{.argv = args};
    spec.out = ChildStream::AppendTo(out.string());
    spec.err = ChildStream::AppendTo(err.string());
    auto started = ChildProcess::Start(spec);
    if (!started.ok()) return nullptr;
    auto p = std::unique_ptr<Process>(new Process());
    p->child_ = std::move(started).value();
    p->out_ = out;
    p->err_ = err;
    return p;
  }

  bool Running() {
    if (auto status = child_->TryWait()) {
      exit_code_ = status->code;
      return false;
    }
    return child_->running();
  }

  // Waits (polling) for the exit; kills it after `limit`. Returns the exit
  // code, or -1 if it was killed or died of a signal.
  int Wait(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Running()) {
      if (Clock::now() > deadline) {
        Kill(SIGKILL);
        timed_out_ = true;
        break;
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    return exit_code_;
  }

  // Sends `signal` (to the process and what it started) and waits for it.
  void Kill(int signal) {
    child_->Signal(signal);
    if (auto status = child_->Wait(std::chrono::milliseconds::max())) {
      exit_code_ = status->code;
    }
  }

  int exit_code() const { return exit_code_; }
  bool timed_out() const { return timed_out_; }
  std::string out() const { return ReadFile(out_); }
  std::string err() const { return ReadFile(err_); }

 private:
  Process() = default;

  std::unique_ptr<ChildProcess> child_;  // killed with the Process
  int exit_code_ = -1;
  bool timed_out_ = false;
  fs::path out_, err_;
};

struct RunOutcome {
  int exit_code = -1;
  bool timed_out = false;
  json result;
  std::string out, err;
  int kills = 0;
};

class DistributedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("unum_distributed_" + std::string(info->name()) + "_" +
            std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    uint64_t seed = std::random_device{}();
    if (const char* env = std::getenv("UNUM_TEST_SEED"); env && *env) {
      seed = std::stoull(env);
    }
    std::cout << "fault schedule seed: " << seed
              << " (replay with UNUM_TEST_SEED)\n";
    rng_.seed(seed);
  }

  void TearDown() override {
    if (HasFailure()) {
      for (size_t i = 0; i < logs_.size(); ++i) {
        const std::string log = ReadFile(logs_[i]);
        if (log.empty()) continue;
        std::cout << "--- " << logs_[i].filename() << ":\n"
                  << Tail(log) << "\n";
      }
      if (server_ != nullptr) {
        std::cout << "--- redis.log:\n"
                  << Tail(ReadFile(fs::path(server_->dir()) / "redis.log"))
                  << "\n";
      }
    }
    workers_.clear();
    server_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void StartServer(bool persistence) {
    redis::testing::RedisServerOptions options;
    options.persistence = persistence;
    options.dir = (dir_ / "redis").string();
    auto server = redis::testing::RedisServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  std::string QueueUrl() const { return server_->url(0, queue_options_); }
  std::string StoreUrl() const { return server_->url(0); }

  std::unique_ptr<Process> SpawnWorker(const std::string& app_dir) {
    const int n = spawned_++;
    const fs::path err = dir_ / ("worker-" + std::to_string(n) + ".err");
    logs_.push_back(err);
    return Process::Spawn({UNUM_BINARY, "--log-level", "info", "worker",
                           app_dir, "--redis", QueueUrl(), "--concurrency",
                           std::to_string(kThreadsPerWorker), "--stats"},
                          dir_ / ("worker-" + std::to_string(n) + ".out"), err);
  }

  void StartWorkers(const std::string& app_dir) {
    for (int i = 0; i < kWorkers; ++i) {
      workers_.push_back(SpawnWorker(app_dir));
      ASSERT_NE(workers_.back(), nullptr);
    }
  }

  // Stops the workers gracefully; they must exit cleanly. Reports how many
  // invocations the survivors took over from killed workers.
  void StopWorkers() {
    int64_t reclaimed = 0, deliveries = 0;
    for (auto& w : workers_) {
      w->Kill(SIGTERM);
      EXPECT_EQ(w->exit_code(), 0);
      json stats = json::parse(w->out(), nullptr, false);
      if (stats.is_object()) {
        reclaimed += stats.value("reclaimed", int64_t{0});
        deliveries += stats.value("deliveries", int64_t{0});
      }
    }
    workers_.clear();
    std::cout << "surviving workers: " << deliveries << " deliveries, "
              << reclaimed << " taken over from killed workers\n";
  }

  // Runs one workflow with `unum run`. With `kill_workers`, SIGKILLs a
  // random worker every 150-400 ms while it runs and starts a new one.
  // `during` (optional) is polled every few ms while the run goes on.
  RunOutcome Run(const std::string& app_dir, const json& input,
                 const std::string& session, bool kill_workers,
                 const std::function<void()>& during = nullptr) {
    const int n = runs_++;
    const fs::path input_file = dir_ / ("input-" + std::to_string(n) + ".json");
    std::ofstream(input_file) << input.dump();
    const fs::path out = dir_ / ("run-" + std::to_string(n) + ".out");
    const fs::path err = dir_ / ("run-" + std::to_string(n) + ".err");
    logs_.push_back(err);
    auto run = Process::Spawn(
        {UNUM_BINARY, "run", app_dir, "-i", input_file.string(), "--platform",
         QueueUrl(), "--store", StoreUrl(), "--session", session, "--compact",
         "--no-progress", "--timeout",
         std::to_string(std::chrono::seconds(kRunLimit).count())},
        out, err);
    RunOutcome outcome;
    if (run == nullptr) return outcome;
    // The schedule carries over from run to run, so runs shorter than the
    // interval are hit too.
    std::uniform_int_distribution<int> interval(150, 400);
    const auto deadline = Clock::now() + kRunLimit + std::chrono::seconds(5);
    if (next_kill_ == Clock::time_point()) {
      next_kill_ = Clock::now() + milliseconds(interval(rng_));
    }
    while (run->Running() && Clock::now() < deadline) {
      if (during) during();
      if (kill_workers && Clock::now() >= next_kill_) {
        const size_t victim = rng_() % workers_.size();
        workers_[victim]->Kill(SIGKILL);
        workers_[victim] = SpawnWorker(app_dir);
        ++outcome.kills;
        next_kill_ = Clock::now() + milliseconds(interval(rng_));
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
    outcome.exit_code = run->Wait(milliseconds(0));
    outcome.timed_out = run->timed_out();
    outcome.out = run->out();
    outcome.err = run->err();
    outcome.result = json::parse(outcome.out, nullptr, false);
    return outcome;
  }

  // After a finished session: exactly one session record, holding
  // `expected`, and nothing else but tombstones.
  void ExpectOnlyRecordAndTombstones(const std::string& session,
                                     const json& expected) {
    RedisDatastore store(redis::ParseRedisUrl(StoreUrl())->endpoint);
    auto keys = store.ListKeys(session);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    int records = 0;
    for (const KeyInfo& k : *keys) {
      if (k.kind == KeyInfo::Kind::kSessionRecord) {
        ++records;
      } else {
        EXPECT_TRUE(k.tombstone)
            << "leaked " << (k.kind == KeyInfo::Kind::kSet ? "set " : "")
            << k.name << " in session " << session;
      }
    }
    EXPECT_EQ(records, 1) << session;
    auto record = store.GetSessionRecord(session);
    ASSERT_TRUE(record.ok() && record->present()) << session;
    auto outcome = runtime::DecodeSessionRecord(record->value);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    EXPECT_TRUE(outcome->succeeded) << record->value;
    EXPECT_EQ(outcome->result, expected) << session;
  }

  // The whole keyspace holds only `sessions`' keys and the (empty) queue.
  void ExpectNothingElseInRedis(const std::string& app,
                                const std::set<std::string>& sessions) {
    auto conn = redis::RedisConnection::Open(
        redis::ParseRedisUrl(StoreUrl())->endpoint);
    ASSERT_TRUE(conn.ok());
    std::set<std::string> prefixes;
    for (const std::string& s : sessions) {
      prefixes.insert(RedisDatastore::SessionPrefix(s));
    }
    std::string cursor = "0";
    do {
      auto r = (*conn)->Run(redis::Cmd({"SCAN", cursor, "COUNT", "1000"}));
      ASSERT_TRUE(r.ok());
      cursor = std::string(redis::ReplyString((*r)->element[0]));
      for (size_t i = 0; i < (*r)->element[1]->elements; ++i) {
        const std::string key(redis::ReplyString((*r)->element[1]->element[i]));
        if (key == RedisPlatform::StreamKey(app)) continue;
        bool ours = false;
        for (const std::string& p : prefixes) {
          if (key.rfind(p, 0) == 0) ours = true;
        }
        EXPECT_TRUE(ours) << "leaked key " << key;
      }
    } while (cursor != "0");
    auto len =
        (*conn)->Run(redis::Cmd({"XLEN", RedisPlatform::StreamKey(app)}));
    ASSERT_TRUE(len.ok());
    EXPECT_EQ((*len)->integer, 0) << "invocations left in the queue";
  }

  fs::path dir_;
  std::mt19937_64 rng_;
  std::unique_ptr<redis::testing::RedisServer> server_;
  std::vector<std::unique_ptr<Process>> workers_;
  std::vector<fs::path> logs_;
  int spawned_ = 0;
  int runs_ = 0;
  Clock::time_point next_kill_{};
  std::string queue_options_ = kQueueOptions;
};

std::string SourcePath(const std::string& rel) {
  return (fs::path(UNUM_SOURCE_DIR) / rel).string();
}

json ReadJson(const std::string& path) {
  json doc = json::parse(ReadFile(path), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << path;
  return doc;
}

std::string Describe(const RunOutcome& r) {
  return "exit " + std::to_string(r.exit_code) +
         (r.timed_out ? " (timed out)" : "") + ", kills " +
         std::to_string(r.kills) + "\n--- stdout:\n" + Tail(r.out) +
         "\n--- stderr:\n" + Tail(r.err);
}

TEST_F(DistributedTest, WordcountSurvivesKilledWorkers) {
  ASSERT_NO_FATAL_FAILURE(StartServer(/*persistence=*/false));
  const std::string app = SourcePath("examples/wordcount");
  const json input =
      ReadJson(SourcePath("examples/wordcount/events/event.json"));
  const json expected =
      ReadJson(SourcePath("examples/wordcount/expected/output.json"));
  ASSERT_NO_FATAL_FAILURE(StartWorkers(app));

  std::set<std::string> sessions;
  const RunOutcome clean = Run(app, input, "wc-clean", false);
  ASSERT_EQ(clean.exit_code, 0) << Describe(clean);
  EXPECT_EQ(clean.result, expected);
  sessions.insert("wc-clean");

  // Wordcount takes tens of milliseconds, so run sessions back to back
  // until enough workers have died under them.
  int kills = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(40);
  for (int i = 0; (kills < 8 || i < 4) && Clock::now() < deadline; ++i) {
    const std::string session = "wc-faulty-" + std::to_string(i);
    const RunOutcome faulty = Run(app, input, session, true);
    kills += faulty.kills;
    ASSERT_EQ(faulty.exit_code, 0) << Describe(faulty);
    EXPECT_EQ(faulty.result, clean.result) << session;
    sessions.insert(session);
  }
  EXPECT_GE(kills, 8);
  std::cout << sessions.size() << " sessions, " << kills << " workers killed\n";
  StopWorkers();
  for (const std::string& s : sessions) {
    ExpectOnlyRecordAndTombstones(s, expected);
  }
  ExpectNothingElseInRedis("wordcount", sessions);
}

TEST_F(DistributedTest, ThousandBranchFanInSurvivesKilledWorkers) {
  ASSERT_NO_FATAL_FAILURE(StartServer(/*persistence=*/false));
  const std::string app = SourcePath("tests/distributed/fixtures/fanout");
  // 1,000 branches of 10 ms on 8 worker threads: a few seconds of work.
  const json input = {{"n", 1000}, {"sleep_ms", 10}};
  const json expected = {{"count", 1000}, {"sum", 332833500}};
  queue_options_ = kBatchedQueueOptions;
  ASSERT_NO_FATAL_FAILURE(StartWorkers(app));

  const RunOutcome clean = Run(app, input, "fan-clean", false);
  ASSERT_EQ(clean.exit_code, 0) << Describe(clean);
  EXPECT_EQ(clean.result, expected);

  const RunOutcome faulty = Run(app, input, "fan-faulty", true);
  ASSERT_EQ(faulty.exit_code, 0) << Describe(faulty);
  EXPECT_EQ(faulty.result, clean.result);
  EXPECT_GE(faulty.kills, 3) << Describe(faulty);

  StopWorkers();
  ExpectOnlyRecordAndTombstones("fan-clean", expected);
  ExpectOnlyRecordAndTombstones("fan-faulty", expected);
  ExpectNothingElseInRedis("unum-dist-fanout", {"fan-clean", "fan-faulty"});
}

TEST_F(DistributedTest, SessionCompletesAcrossARedisRestart) {
  ASSERT_NO_FATAL_FAILURE(StartServer(/*persistence=*/true));
  const std::string app = SourcePath("tests/distributed/fixtures/fanout");
  const json input = {{"n", 1000}, {"sleep_ms", 5}};
  const json expected = {{"count", 1000}, {"sum", 332833500}};
  queue_options_ = kBatchedQueueOptions;
  ASSERT_NO_FATAL_FAILURE(StartWorkers(app));

  // Restart the server (kill -9, then start on the same port and data)
  // once the run has made progress: some branches done, most not.
  RedisDatastore probe(redis::ParseRedisUrl(StoreUrl())->endpoint);
  bool restarted = false;
  Status restart_status;
  size_t keys_at_restart = 0;
  const RunOutcome r = Run(app, input, "restart", false, [&] {
    if (restarted) return;
    auto keys = probe.ListKeys("restart");
    if (!keys.ok() || keys->size() < 150) return;
    keys_at_restart = keys->size();
    restart_status = server_->Restart();
    restarted = true;
  });
  ASSERT_TRUE(restarted) << "the run ended before it made progress";
  ASSERT_TRUE(restart_status.ok()) << restart_status.ToString();
  EXPECT_LT(keys_at_restart, 1000u) << "restarted too late to matter";
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_EQ(r.result, expected);
  StopWorkers();
  ExpectOnlyRecordAndTombstones("restart", expected);
  ExpectNothingElseInRedis("unum-dist-fanout", {"restart"});
}

TEST_F(DistributedTest, WorkerRejectsBadInput) {
  const std::string app = SourcePath("tests/distributed/fixtures/fanout");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"worker", app, "--redis", "http://127.0.0.1:1"}, "redis://"},
      {{"worker", app, "--redis", "redis://127.0.0.1:1/0?bogus=1"}, "bogus"},
      {{"worker", app, "--redis", "redis://127.0.0.1:1/0", "--store",
        "memory://"},
       "shared"},
      {{"worker", SourcePath("no/such/app"), "--redis",
        "redis://127.0.0.1:1/0"},
       "no/such/app"},
      {{"worker", app}, "--redis"},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::vector<std::string> args = {UNUM_BINARY};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const std::string tag = "bad-" + std::to_string(n++);
    auto p = Process::Spawn(args, dir_ / (tag + ".out"), dir_ / (tag + ".err"));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->Wait(milliseconds(20000)), 2) << c.args[1] << "\n" << p->err();
    EXPECT_THAT(p->err(), ::testing::HasSubstr(c.message)) << c.message;
  }
}

TEST_F(DistributedTest, RunWithoutWorkersTimesOut) {
  ASSERT_NO_FATAL_FAILURE(StartServer(/*persistence=*/false));
  const std::string app = SourcePath("tests/distributed/fixtures/fanout");
  const fs::path input = dir_ / "input.json";
  std::ofstream(input) << R"({"n": 3})";
  auto run = Process::Spawn(
      {UNUM_BINARY, "run", app, "-i", input.string(), "--platform", QueueUrl(),
       "--store", StoreUrl(), "--timeout", "1", "--no-progress"},
      dir_ / "run.out", dir_ / "run.err");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->Wait(milliseconds(20000)), 3) << run->err();
  EXPECT_THAT(run->err(), ::testing::HasSubstr("did not finish"));
  // The invocation waits in the queue for a worker; none ran it locally.
  RedisDatastore store(redis::ParseRedisUrl(StoreUrl())->endpoint);
  auto platform = RedisPlatform::Create(
      *ParseRedisPlatformUrl(StoreUrl() + "?app=unum-dist-fanout"),
      RedisPlatform::Role::kSubmitter);
  ASSERT_TRUE(platform.ok());
  auto depth = (*platform)->QueueDepth();
  ASSERT_TRUE(depth.ok()) << depth.status().ToString();
  EXPECT_EQ(depth->stream, 1);
  EXPECT_EQ(depth->inflight_sessions, 1);
}

}  // namespace
}  // namespace unum
