#include "bench/macro/measure.h"

#include <fmt/core.h>

#include <algorithm>
#include <optional>

#include "app/runner.h"
#include "cost/run_stats.h"
#include "datastore/counting_datastore.h"
#include "platform/hosted_platform.h"
#include "trace/trace_recorder.h"
#include "unum/datastore.h"

namespace unum::bench {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

int64_t TotalOps(const DatastoreStats& s) {
  return s.get_checkpoint + s.put_checkpoint + s.get_checkpoints + s.set_add +
         s.delete_checkpoint + s.delete_set + s.session_record;
}

json OpsJson(const DatastoreStats& s) {
  return {{"get_checkpoint", s.get_checkpoint},
          {"put_checkpoint", s.put_checkpoint},
          {"get_checkpoints", s.get_checkpoints},
          {"set_add", s.set_add},
          {"delete_checkpoint", s.delete_checkpoint},
          {"delete_set", s.delete_set},
          {"session_record", s.session_record},
          {"total", TotalOps(s)}};
}

json Row(const std::string& name, const MeasureOptions& o) {
  return {{"case", name},
          {"store", o.store_url},
          {"platform", o.platform_url},
          {"gc", runtime::GcPolicyName(o.gc)},
          {"trace", o.trace},
          {"reps", o.reps},
          {"warmup", o.warmup}};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct OneRun {
  double ms = 0;
  app::RunReport report;
  DatastoreStats ops;
};

// One run on a freshly opened store (opening is not timed). With `count`
// the store is wrapped in a CountingDatastore (its bookkeeping is then part
// of the time, so counted runs are not timed).
Result<OneRun> RunOnce(const Workload& w, const MeasureOptions& o, bool count) {
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<Datastore> store,
                        OpenDatastore(o.store_url));
  std::optional<CountingDatastore> counting;
  if (count) counting.emplace(store.get());
  Datastore* used = count ? &*counting : store.get();
  // As `unum run`: trace writes go to the bare store (not counted as
  // protocol work), every delivery is timed and then traced.
  trace::TraceRecorder recorder(store.get());
  cost::DeliveryTimer timer(&recorder);
  app::RunOptions run;
  run.platform_url = o.platform_url;
  run.runtime.gc = o.gc;
  run.timeout = o.timeout;
  run.poll_store = store.get();  // polling is not protocol work
  if (o.trace) run.observer = &timer;
  const auto start = Clock::now();
  auto report = app::RunWorkflow(w.app, w.functions, w.input, used, run);
  const auto end = Clock::now();
  if (!report.ok()) return report.status();
  OneRun r;
  r.ms = std::chrono::duration<double, std::milli>(end - start).count();
  r.report = std::move(report).value();
  if (counting) r.ops = counting->stats();
  return r;
}

// Why a finished run is not a valid measurement, or empty.
std::string CheckRun(const Workload& w, const OneRun& r) {
  const auto& outcome = r.report.outcome;
  if (!outcome.succeeded) {
    return fmt::format("the workflow FAILED in {}: {} {} {}", outcome.instance,
                       outcome.message, outcome.error, outcome.cause);
  }
  if (w.expected_result && outcome.result != *w.expected_result) {
    return fmt::format("wrong result: {} (expected {})",
                       outcome.result.dump().substr(0, 200),
                       w.expected_result->dump().substr(0, 200));
  }
  if (w.expected_instances &&
      r.report.runtime.instances_done != *w.expected_instances) {
    return fmt::format("ran {} instances, expected {}",
                       r.report.runtime.instances_done, *w.expected_instances);
  }
  return "";
}

}  // namespace

json SkippedCase(const std::string& name, const MeasureOptions& options,
                 const std::string& error) {
  json row = Row(name, options);
  row["status"] = "skipped";
  row["error"] = error;
  return row;
}

json Measure(const Workload& w, const MeasureOptions& o) {
  json row = Row(w.name, o);
  // Open the URLs once up front: a URL this build cannot use skips the
  // case instead of failing it.
  if (auto store = OpenDatastore(o.store_url); !store.ok()) {
    return SkippedCase(w.name, o, "store: " + store.status().ToString());
  }
  if (auto platform = OpenPlatform(o.platform_url); !platform.ok()) {
    return SkippedCase(w.name, o, "platform: " + platform.status().ToString());
  }
  // Run 0 counts the datastore operations; then the warm-up runs; then the
  // timed runs, on the bare store. Every run's result is checked.
  std::vector<double> ms;
  OneRun last;
  DatastoreStats counted;
  for (int i = 0; i < 1 + o.warmup + o.reps; ++i) {
    auto r = RunOnce(w, o, /*count=*/i == 0);
    std::string problem = r.ok() ? CheckRun(w, *r) : r.status().ToString();
    if (!problem.empty()) {
      row["status"] = "failed";
      row["error"] = problem;
      return row;
    }
    if (i == 0) counted = r->ops;
    if (i >= 1 + o.warmup) ms.push_back(r->ms);
    last = std::move(r).value();
  }
  const int64_t instances = last.report.runtime.instances_done;
  const double median = Median(ms);
  const int64_t ops = TotalOps(counted);
  row["status"] = "ok";
  row["instances"] = instances;
  row["user_runs"] = last.report.runtime.user_runs;
  row["invocations"] = last.report.platform.invocations;
  row["wall_ms"] = {{"median", median},
                    {"min", *std::min_element(ms.begin(), ms.end())},
                    {"max", *std::max_element(ms.begin(), ms.end())},
                    {"all", ms}};
  row["per_transition_us"] =
      instances > 0 ? median * 1000.0 / static_cast<double>(instances) : 0.0;
  row["datastore_ops"] = OpsJson(counted);
  row["datastore_ops_per_transition"] =
      instances > 0 ? static_cast<double>(ops) / static_cast<double>(instances)
                    : 0.0;
  return row;
}

std::string MarkdownTable(const json& results) {
  std::string out =
      "| case | store | platform | gc | instances | median ms | min ms | "
      "max ms | µs / transition | datastore ops / transition |\n"
      "|---|---|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const json& r : results) {
    const std::string head = fmt::format(
        "| {} | `{}` | `{}` | {} ", r.value("case", ""), r.value("store", ""),
        r.value("platform", ""), r.value("gc", ""));
    if (r.value("status", "") != "ok") {
      out += head + fmt::format("| {}: {} | | | | | |\n", r.value("status", ""),
                                r.value("error", ""));
      continue;
    }
    const json& ms = r.at("wall_ms");
    out += head +
           fmt::format("| {} | {:.2f} | {:.2f} | {:.2f} | {:.1f} | {:.2f} |\n",
                       r.at("instances").get<int64_t>(),
                       ms.at("median").get<double>(),
                       ms.at("min").get<double>(), ms.at("max").get<double>(),
                       r.at("per_transition_us").get<double>(),
                       r.at("datastore_ops_per_transition").get<double>());
  }
  return out;
}

}  // namespace unum::bench
