// unum-bench-macro: runs whole workflows (see workloads.h for the cases)
// on every --store x --platform pair, --reps times each, and writes the
// results as JSON (and optionally a markdown table).
//
//   unum-bench-macro --case chain-100 --case map-1000 --store memory://
//       --store sqlite:///tmp/b.db --platform 'inproc://?workers=2'
//       --reps 5 --json out.json
//   unum-bench-macro --emit-sfn sfn-map-1000   # definition + input as JSON
//
// Every run's result is compared with the expected one (computed for the
// generated cases, expected/output.json for the examples, the IR
// workflow's result for the state machines).
//
// Exit code: 0 when every case ran or was skipped (a URL that does not
// open), 1 when one failed (a wrong result, a failed run, a case that
// could not be built), 2 on bad flags.
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/macro/measure.h"
#include "bench/macro/workloads.h"

namespace {

using nlohmann::json;

bool WriteText(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "unum-bench-macro: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// Every (platform, gc policy) pair, platforms outermost.
std::vector<std::pair<std::string, std::string>> Combinations(
    const std::vector<std::string>& platforms,
    const std::vector<std::string>& gcs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& p : platforms) {
    for (const std::string& g : gcs) out.emplace_back(p, g);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Unum macro benchmarks: whole workflows, repeated runs"};
  std::vector<std::string> cases;
  std::vector<std::string> stores = {"memory://"};
  std::vector<std::string> platforms = {"inproc://"};
  std::vector<std::string> gcs = {"delete"};
  unum::bench::WorkloadDirs dirs{UNUM_BENCH_EXAMPLES_DIR,
                                 UNUM_BENCH_MODULE_DIR};
  int reps = 5;
  int warmup = 1;
  double timeout_s = 600;
  std::string json_out = "-";
  std::string markdown_out;
  std::string emit_sfn;
  std::string trace = "on";
  std::vector<std::string> expects;
  cli.add_option("--case", cases,
                 "chain-N, map-N, pipeline-WxD, example-NAME, sfn-chain-N, "
                 "sfn-map-N, sfn-example-NAME (repeatable)");
  cli.add_option("--store", stores, "Datastore URL (repeatable)")
      ->capture_default_str();
  cli.add_option("--platform", platforms, "Platform URL (repeatable)")
      ->capture_default_str();
  cli.add_option("--gc", gcs,
                 "Garbage collection policy: delete, expire (repeatable)")
      ->capture_default_str()
      ->check(CLI::IsMember({"delete", "expire"}));
  cli.add_option("--reps", reps, "Timed runs per case")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--warmup", warmup, "Untimed runs before them")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--timeout", timeout_s, "Seconds one run may take")
      ->capture_default_str();
  cli.add_option("--examples-dir", dirs.examples, "The examples/ directory")
      ->capture_default_str();
  cli.add_option("--module-dir", dirs.modules, "Where app modules are built")
      ->capture_default_str();
  cli.add_option("--json", json_out, "Write the results here (- = stdout)")
      ->capture_default_str();
  cli.add_option("--markdown", markdown_out, "Also write a markdown table");
  cli.add_option("--trace", trace,
                 "on: record the session trace as `unum run` does; off: as "
                 "`unum run --no-trace`; both: one row each")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off", "both"}));
  cli.add_option("--expect", expects,
                 "CASE=JSON: the result CASE must give, instead of its own "
                 "(e.g. a wrong one, to see the harness fail; repeatable)");
  cli.add_option("--emit-sfn", emit_sfn,
                 "Print a state machine case's {definition, input} and exit");
  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  std::map<std::string, json> expected;  // --expect, by case
  for (const std::string& e : expects) {
    const size_t eq = e.find('=');
    const json value = eq == std::string::npos
                           ? json(json::value_t::discarded)
                           : json::parse(e.substr(eq + 1), nullptr, false);
    if (value.is_discarded()) {
      std::cerr << "unum-bench-macro: --expect " << e
                << ": expected CASE=JSON\n";
      return 2;
    }
    expected[e.substr(0, eq)] = value;
  }

  if (!emit_sfn.empty()) {
    auto sm = unum::bench::MakeStateMachine(emit_sfn, dirs);
    if (!sm.ok()) {
      std::cerr << "unum-bench-macro: " << sm.status().message() << "\n";
      return 2;
    }
    if (auto it = expected.find(emit_sfn); it != expected.end()) {
      sm->expected = it->second;
    }
    return WriteText(json_out, json{{"case", emit_sfn},
                                    {"definition", sm->definition},
                                    {"input", sm->input},
                                    {"task_outputs", sm->task_outputs},
                                    {"expected", sm->expected}}
                                       .dump() +
                                   "\n")
               ? 0
               : 1;
  }
  if (cases.empty()) {
    std::cerr << "unum-bench-macro: give at least one --case\n";
    return 2;
  }

  json results = json::array();
  bool failed = false;
  std::vector<bool> traces;
  if (trace != "off") traces.push_back(true);
  if (trace != "on") traces.push_back(false);
  for (const std::string& spec : cases) {
    auto workload = unum::bench::MakeWorkload(spec, dirs);
    if (auto it = expected.find(spec); workload.ok() && it != expected.end()) {
      workload->expected_result = it->second;
    }
    for (const std::string& store : stores) {
      for (const auto& [platform, gc] : Combinations(platforms, gcs)) {
        for (const bool traced : traces) {
          unum::bench::MeasureOptions o;
          o.trace = traced;
          o.gc = *unum::runtime::ParseGcPolicy(gc, "--gc");
          o.store_url = store;
          o.platform_url = platform;
          o.reps = reps;
          o.warmup = warmup;
          o.timeout =
              std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
          json row;
          if (workload.ok()) {
            row = unum::bench::Measure(*workload, o);
          } else {
            row =
                unum::bench::SkippedCase(spec, o, workload.status().ToString());
            row["status"] = "failed";  // a bad case name or a missing module
          }
          if (row.value("status", "") == "failed") failed = true;
          std::cerr << fmt::format("[bench] {} {} {} gc={} trace={}: {}", spec,
                                   store, platform, gc, traced ? "on" : "off",
                                   row.value("status", ""));
          if (row.contains("wall_ms")) {
            std::cerr << fmt::format(" median {:.2f} ms",
                                     row["wall_ms"]["median"].get<double>());
          }
          if (row.contains("error")) {
            std::cerr << " (" << row["error"].get<std::string>() << ")";
          }
          std::cerr << "\n";
          results.push_back(std::move(row));
        }
      }
    }
  }
  if (!WriteText(json_out, json{{"results", results}}.dump(2) + "\n")) {
    return 1;
  }
  if (!markdown_out.empty() &&
      !WriteText(markdown_out, unum::bench::MarkdownTable(results))) {
    return 1;
  }
  return failed ? 1 : 0;
}
