// unum-sim: deterministic fault simulation of the Unum runtime (issue 4).
//
//   unum-sim --runs N [--seed S] [--workflow NAME] [--checkpoint-off] [--long]
//            [--payloads both|json|decoded] [--require-every-fault]
//
// Runs N seeded runs (seeds S..S+N-1, spread round-robin over the
// workflows and, with --payloads both (the default), alternating between
// JSON payloads and the decoded payloads inproc:// carries), checks the
// invariants after each, and prints runs, faults injected by kind and
// payload mode, and violations. A violation prints its seed, workflow and
// the command that replays it; the exit status is then 1.
// --require-every-fault also fails (exit 1) when a workflow did not run in
// every payload mode, a fault kind was never injected in a mode, or no
// decoded payload was sent in the decoded mode.
//
// --checkpoint-off forces Checkpoint:false on every function (fan-in
// branches still checkpoint) to show that the checker catches the forks
// at-least-once execution causes: there, exit status 0 means violations
// WERE detected, 1 that none were (the checker would be blind).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/simulation.h"
#include "sim/workflows.h"

#ifndef UNUM_SIM_EXAMPLES_DIR
#define UNUM_SIM_EXAMPLES_DIR "examples"
#endif
#ifndef UNUM_SIM_MODULE_DIR
#define UNUM_SIM_MODULE_DIR "apps"
#endif

namespace {

using unum::sim::RunResult;
using unum::sim::SimConfig;
using unum::sim::Workflow;

constexpr int64_t kLongRuns = 1000000;

// A short name for the kind of a violation (for the summary).
std::string ViolationKind(const std::string& v) {
  static const std::pair<const char*, const char*> kKinds[] = {
      {"fork:", "fork (one instance's different outputs reached consumers)"},
      {"two different results", "two different session results"},
      {"wrong answer", "wrong answer"},
      {"is not the committed output", "consumer saw a non-committed output"},
      {"has no committed output", "fan-in source never committed"},
      {"late duplicate committed", "late duplicate committed again"},
      {"committed ", "instance committed twice"},
      {"late duplicate changed", "late duplicate changed the session record"},
      {"leak", "checkpoint/set leak after quiescence"},
      {"lost invocation", "lost invocation (failed every attempt)"},
      {"no session record", "workflow never finished"},
      {"session FAILED", "session FAILED"},
      {"crashed delivery kept running", "crash swallowed"},
      {"out of index order", "fan-in order"},
      {"setup", "setup"},
  };
  for (const auto& [needle, kind] : kKinds) {
    if (v.find(needle) != std::string::npos) return kind;
  }
  return "other";
}

struct Totals {
  int64_t runs = 0;
  int64_t failing_runs = 0;
  int64_t violations = 0;
  std::map<std::string, int64_t> faults;
  std::map<std::string, int64_t> work;
  // By payload mode ("json", "decoded").
  std::map<std::string, std::map<std::string, int64_t>> mode_faults;
  std::map<std::string, std::map<std::string, int64_t>> mode_work;
  std::map<std::string, int64_t> mode_runs;
  // Runs per workflow and mode.
  std::map<std::string, std::map<std::string, int64_t>> workflow_runs;
  std::map<std::string, int64_t> violation_kinds;
  std::vector<RunResult> failures;  // the first few, by seed

  void Add(RunResult r, size_t keep) {
    ++runs;
    const std::string mode = unum::sim::PayloadModeName(r.decoded_payloads);
    ++mode_runs[mode];
    ++workflow_runs[r.workflow][mode];
    for (const auto& [k, n] : r.faults) {
      faults[k] += n;
      mode_faults[mode][k] += n;
    }
    for (const auto& [k, n] : r.work) {
      work[k] += n;
      mode_work[mode][k] += n;
    }
    if (r.violations.empty()) return;
    ++failing_runs;
    violations += static_cast<int64_t>(r.violations.size());
    for (const std::string& v : r.violations)
      ++violation_kinds[ViolationKind(v)];
    failures.push_back(std::move(r));
    std::sort(
        failures.begin(), failures.end(),
        [](const RunResult& a, const RunResult& b) { return a.seed < b.seed; });
    if (failures.size() > keep) failures.resize(keep);
  }
};

std::string ReplayCommand(const std::string& argv0, const RunResult& r,
                          const SimConfig& config, const std::string& extra) {
  std::string cmd = fmt::format(
      "{} --runs 1 --seed {} --workflow {} --payloads {}", argv0, r.seed,
      r.workflow, unum::sim::PayloadModeName(r.decoded_payloads));
  if (r.workflow.rfind("example/", 0) != 0) {
    cmd += " --no-examples";  // a pattern: no app modules needed
  } else {
    cmd += extra;
  }
  if (config.checkpoint_off) cmd += " --checkpoint-off";
  if (config.tombstone_ttl) {
    cmd += fmt::format(" --tombstone-ttl {}", config.tombstone_ttl->count());
  }
  if (config.gc == unum::runtime::GcPolicy::kExpire) cmd += " --gc expire";
  return cmd + " --trace";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "unum-sim: deterministic simulation of duplicates, crashes and "
      "datastore faults against the Unum runtime, with invariant checks"};
  int64_t runs = 1000;
  uint64_t seed = 1;
  std::string workflow_filter;
  bool checkpoint_off = false;
  bool long_mode = false;
  bool trace = false;
  bool list = false;
  bool no_examples = false;
  bool verbose = false;
  bool expect_violations = false;
  int jobs = 1;
  int max_print = 5;
  int64_t tombstone_ttl = 0;
  std::string payloads = "both";
  bool require_every_fault = false;
  std::string examples_dir = UNUM_SIM_EXAMPLES_DIR;
  std::string module_dir = UNUM_SIM_MODULE_DIR;
  cli.add_option("--runs", runs, "number of seeded runs")
      ->check(CLI::PositiveNumber);
  cli.add_option("--seed", seed, "first seed (runs use seed..seed+runs-1)");
  cli.add_option("--workflow", workflow_filter,
                 "run only this workflow (see --list)");
  cli.add_flag("--checkpoint-off", checkpoint_off,
               "force Checkpoint:false (except fan-in branches); succeeds "
               "only if the checker detects violations");
  cli.add_flag("--long", long_mode, "1,000,000 runs");
  cli.add_flag("--trace", trace, "print each run's schedule trace");
  cli.add_flag("--list", list, "list the workflows and exit");
  cli.add_flag("--no-examples", no_examples,
               "only the built-in patterns (no example app modules needed)");
  cli.add_option("--jobs", jobs, "runs in parallel on this many threads")
      ->check(CLI::Range(1, 256));
  cli.add_option("--max-print", max_print,
                 "how many failing runs to print in full");
  cli.add_option("--tombstone-ttl", tombstone_ttl,
                 "override the runtime's tombstone TTL, in seconds (below "
                 "the 6 h maximum event age the checker must catch late "
                 "duplicates re-running)");
  std::string gc = "delete";
  cli.add_option("--gc", gc,
                 "garbage collection policy: delete (children delete their "
                 "parent's checkpoint) or expire (checkpoints expire)")
      ->check(CLI::IsMember({"delete", "expire"}));
  cli.add_option("--payloads", payloads,
                 "how the platform carries payloads: json, decoded (the "
                 "runtime's decoded payload, as inproc:// does) or both "
                 "(alternating per round of workflows)")
      ->check(CLI::IsMember({"both", "json", "decoded"}));
  cli.add_flag("--require-every-fault", require_every_fault,
               "also fail unless every workflow ran in every payload mode "
               "and every fault kind was injected in each mode");
  cli.add_option("--examples", examples_dir, "the examples directory");
  cli.add_option("--modules", module_dir,
                 "where the example app modules (<app>.so) are");
  cli.add_flag("--verbose", verbose, "show the runtime's log lines");
  cli.add_flag("--expect-violations", expect_violations,
               "invert the exit status: 0 only if violations were detected "
               "(to prove the checker fails on a broken configuration)");
  CLI11_PARSE(cli, argc, argv);
  if (long_mode) runs = kLongRuns;
  spdlog::set_level(verbose ? spdlog::level::warn : spdlog::level::off);

  std::vector<Workflow> workflows;
  {
    auto patterns = unum::sim::PatternWorkflows();
    if (!patterns.ok()) {
      fmt::print(stderr, "unum-sim: {}\n", patterns.status().ToString());
      return 2;
    }
    workflows = std::move(patterns).value();
  }
  if (!no_examples) {
    auto examples = unum::sim::ExampleWorkflows(examples_dir, module_dir);
    if (!examples.ok()) {
      fmt::print(stderr, "unum-sim: {}\n(use --no-examples to skip them)\n",
                 examples.status().ToString());
      return 2;
    }
    for (Workflow& wf : examples.value()) workflows.push_back(std::move(wf));
  }
  if (list) {
    for (const Workflow& wf : workflows) {
      fmt::print("{:<32} {}\n", wf.name, wf.shape);
    }
    return 0;
  }
  if (!workflow_filter.empty()) {
    std::vector<Workflow> chosen;
    for (Workflow& wf : workflows) {
      if (wf.name == workflow_filter) chosen.push_back(std::move(wf));
    }
    if (chosen.empty()) {
      fmt::print(stderr, "unum-sim: no workflow \"{}\" (see --list)\n",
                 workflow_filter);
      return 2;
    }
    workflows = std::move(chosen);
  }

  std::string replay_extra;
  if (examples_dir != UNUM_SIM_EXAMPLES_DIR) {
    replay_extra += " --examples " + examples_dir;
  }
  if (module_dir != UNUM_SIM_MODULE_DIR) {
    replay_extra += " --modules " + module_dir;
  }

  SimConfig config;
  config.checkpoint_off = checkpoint_off;
  config.record_trace = trace;
  if (tombstone_ttl > 0)
    config.tombstone_ttl = std::chrono::seconds(tombstone_ttl);
  config.gc = *unum::runtime::ParseGcPolicy(gc, "--gc");

  fmt::print(
      "unum-sim: {} runs, seeds {}..{}, {} workflows, checkpoints {}, "
      "payloads {}, {} job(s)\n",
      runs, seed, seed + static_cast<uint64_t>(runs) - 1, workflows.size(),
      checkpoint_off ? "OFF (forced Checkpoint:false)" : "on", payloads, jobs);
  // Run i: workflow i mod W; with both modes, decoded in odd rounds.
  auto decoded_for = [&](int64_t i) {
    if (payloads != "both") return payloads == "decoded";
    return (static_cast<size_t>(i) / workflows.size()) % 2 == 1;
  };
  std::fflush(stdout);

  const auto start = std::chrono::steady_clock::now();
  Totals totals;
  std::mutex mu;
  std::atomic<int64_t> next{0};
  const size_t keep = static_cast<size_t>(std::max(max_print, 1));
  const int64_t progress_every = runs >= 100000 ? runs / 20 : 0;
  auto worker = [&] {
    for (;;) {
      const int64_t i = next.fetch_add(1);
      if (i >= runs) return;
      const Workflow& wf = workflows[static_cast<size_t>(i) % workflows.size()];
      SimConfig run_config = config;
      run_config.decoded_payloads = decoded_for(i);
      RunResult r = unum::sim::RunSimulation(
          wf, seed + static_cast<uint64_t>(i), run_config);
      std::lock_guard<std::mutex> lock(mu);
      if (trace) {
        fmt::print("--- seed {} workflow {} ({})\n", r.seed, r.workflow,
                   r.profile);
        for (const std::string& line : r.trace) fmt::print("  {}\n", line);
        fmt::print("  trace hash {:016x}\n", r.trace_hash);
        for (const std::string& v : r.violations) {
          fmt::print("  VIOLATION {}\n", v);
        }
      }
      totals.Add(std::move(r), keep);
      if (progress_every > 0 && totals.runs % progress_every == 0) {
        const double s = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
        fmt::print(stderr, "  ... {} runs, {} violations, {:.0f} s\n",
                   totals.runs, totals.violations, s);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  fmt::print("runs: {} in {:.1f} s ({:.2f} ms/run)\n", totals.runs, seconds,
             1000.0 * seconds /
                 static_cast<double>(std::max<int64_t>(totals.runs, 1)));
  const std::vector<std::string> modes = {"json", "decoded"};
  fmt::print("runs by payload mode: json {}, decoded {}\n",
             totals.mode_runs["json"], totals.mode_runs["decoded"]);
  int64_t injected = 0;
  for (const auto& [k, n] : totals.faults) injected += n;
  fmt::print("faults injected: {}\n", injected);
  fmt::print("  {:<28} {:>12} {:>12} {:>12}\n", "", "total", "json", "decoded");
  for (const auto& [k, n] : totals.faults) {
    fmt::print("  {:<28} {:>12} {:>12} {:>12}\n", k, n,
               totals.mode_faults["json"][k], totals.mode_faults["decoded"][k]);
  }
  fmt::print("work:\n");
  for (const auto& [k, n] : totals.work) {
    fmt::print("  {:<28} {:>12} {:>12} {:>12}\n", k, n,
               totals.mode_work["json"][k], totals.mode_work["decoded"][k]);
  }
  // What did not run: a workflow missing a payload mode, a fault kind
  // never injected in a mode, a decoded mode that sent nothing decoded.
  std::vector<std::string> not_exercised;
  for (const std::string& mode : modes) {
    if (payloads != "both" && payloads != mode) continue;
    for (const Workflow& wf : workflows) {
      if (totals.workflow_runs[wf.name][mode] == 0) {
        not_exercised.push_back(fmt::format(
            "workflow {} never ran with {} payloads", wf.name, mode));
      }
    }
    for (const auto& [k, n] : totals.faults) {
      if (totals.mode_faults[mode][k] == 0) {
        not_exercised.push_back(
            fmt::format("fault {} never injected with {} payloads", k, mode));
      }
    }
    if (mode == "decoded" && totals.mode_runs[mode] > 0 &&
        totals.mode_work[mode]["invocations.decoded"] == 0) {
      not_exercised.push_back("no invocation was sent decoded");
    }
  }
  for (const std::string& n : not_exercised) {
    fmt::print("not exercised: {}\n", n);
  }
  fmt::print("violations: {} in {} run(s)\n", totals.violations,
             totals.failing_runs);
  for (const auto& [k, n] : totals.violation_kinds) {
    fmt::print("  {:<60} {}\n", k, n);
  }
  for (const RunResult& r : totals.failures) {
    fmt::print("{} seed {} workflow {} ({} violation(s); profile {}):\n",
               checkpoint_off || expect_violations ? "DETECTED (expected)"
                                                   : "VIOLATION",
               r.seed, r.workflow, r.violations.size(), r.profile);
    for (size_t i = 0; i < r.violations.size() && i < 8; ++i) {
      fmt::print("  - {}\n", r.violations[i]);
    }
    fmt::print("  replay: {}\n",
               ReplayCommand(argv[0], r, config, replay_extra));
  }
  if (checkpoint_off) {
    // Forks specifically: a non-checkpointed instance ran twice and both
    // outputs travelled on.
    int64_t forks = 0;
    for (const auto& [kind, n] : totals.violation_kinds) {
      if (kind.rfind("fork", 0) == 0 || kind.rfind("two different", 0) == 0 ||
          kind.rfind("consumer saw", 0) == 0) {
        forks += n;
      }
    }
    if (forks > 0) {
      fmt::print(
          "checkpoint-off: the checker detected {} fork(s) ({} "
          "violation(s) in {} of {} runs), as it must without "
          "checkpoints: OK\n",
          forks, totals.violations, totals.failing_runs, totals.runs);
      return 0;
    }
    fmt::print(
        "checkpoint-off: NO fork detected; the checker cannot see "
        "forks: FAIL\n");
    return 1;
  }
  if (expect_violations) {
    fmt::print("--expect-violations: {}\n",
               totals.violations > 0 ? "violations detected: OK"
                                     : "NO violation detected: FAIL");
    return totals.violations > 0 ? 0 : 1;
  }
  if (require_every_fault && !not_exercised.empty()) {
    fmt::print("--require-every-fault: {} gap(s) in coverage: FAIL\n",
               not_exercised.size());
    return 1;
  }
  return totals.violations == 0 ? 0 : 1;
}
