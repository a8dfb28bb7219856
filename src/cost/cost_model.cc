// The cost model: see cost_model.h and docs/cost.md.
#include "cost/cost_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace unum::cost {

using nlohmann::json;

namespace {

constexpr double kMillion = 1e6;

double GbSeconds(double billed_ms, int64_t memory_mb) {
  return billed_ms / 1000.0 * static_cast<double>(memory_mb) / 1024.0;
}

// Lambda requests and duration of `requests` invocations billing
// `billed_ms` in total.
void AddLambda(CostSection& s, const std::string& who, int64_t requests,
               double billed_ms, const Prices& p, int64_t memory_mb) {
  s.lines.push_back({who + " requests", static_cast<double>(requests),
                     "requests", requests * p.lambda_request_per_million});
  const double gbs = GbSeconds(billed_ms, memory_mb);
  s.lines.push_back(
      {who + " duration", gbs, "GB-s", gbs * p.lambda_gb_second * kMillion});
}

void AddDynamo(CostSection& s, int64_t wru, int64_t rru, const Prices& p) {
  s.lines.push_back({"DynamoDB writes", static_cast<double>(wru), "WRU",
                     wru * p.dynamodb_write_unit_per_million});
  s.lines.push_back({"DynamoDB reads", static_cast<double>(rru), "RRU",
                     rru * p.dynamodb_read_unit_per_million});
}

struct TaskLambdas {
  int64_t requests = 0;
  int64_t billed_ms = 0;
};

// The deliveries of functions with user code that did their work (a
// Step Functions Task runs once per attempt; no helpers, no duplicates).
TaskLambdas TaskLambdasOf(const RunStats& stats) {
  TaskLambdas t;
  for (const auto& [name, f] : stats.functions) {
    if (f.helper) continue;
    t.requests += f.deliveries - f.duplicates;
    t.billed_ms += f.billed_ms - f.duplicate_billed_ms;
  }
  return t;
}

int64_t Tombstones(const DatastoreStats& ds) {
  int64_t n = 0;
  for (const char* kind : {"delete_checkpoint", "delete_set"}) {
    if (auto it = ds.writes.find(kind); it != ds.writes.end()) {
      n += it->second.items;
    }
  }
  return n;
}

}  // namespace

double CostSection::total() const {
  double sum = 0;
  for (const CostLine& l : lines) sum += l.dollars;
  return sum;
}

double CostReport::standard_over_unum() const {
  const double u = unum.total();
  return u > 0 ? standard.total() / u : 0;
}

int64_t WriteRequestUnits(const DatastoreStats& ds, const Prices& prices) {
  int64_t units = 0;
  for (const auto& [kind, items] : ds.writes) {
    units += items.Units(prices.dynamodb_write_unit_kb);
  }
  return units;
}

int64_t ReadRequestUnits(const DatastoreStats& ds, const Prices& prices) {
  int64_t units = 0;
  for (const auto& [kind, items] : ds.reads) {
    units += items.Units(prices.dynamodb_read_unit_kb);
  }
  return units;
}

int64_t ReadRequests(const DatastoreStats& ds) {
  int64_t n = ds.get_checkpoints;  // one batched request per call
  for (const auto& [kind, items] : ds.reads) {
    if (kind != "get_checkpoints") n += items.items;
  }
  return n;
}

int64_t WriteRequests(const DatastoreStats& ds) {
  int64_t n = 0;
  for (const auto& [kind, items] : ds.writes) n += items.items;
  return n;
}

CostReport PriceRun(const RunStats& stats, const Prices& p, int64_t memory_mb) {
  CostReport r;
  r.app = stats.app;
  r.memory_mb = memory_mb;
  r.prices = p;
  const DatastoreStats& ds = stats.datastore;
  const auto& rt = stats.report.runtime;

  int64_t requests = 0;
  int64_t measured_billed_ms = 0;
  for (const auto& [name, f] : stats.functions) {
    requests += f.deliveries;
    measured_billed_ms += f.billed_ms;
  }

  // Unum.
  r.unum.name = "Unum (Lambda + DynamoDB)";
  const int64_t reads = ReadRequests(ds);
  const int64_t writes = WriteRequests(ds);
  const double unum_ms =
      static_cast<double>(measured_billed_ms) + reads * p.latency_read_ms +
      writes * p.latency_write_ms + rt.invocations_sent * p.latency_invoke_ms;
  AddLambda(r.unum, "Lambda", requests, unum_ms, p, memory_mb);
  AddDynamo(r.unum, WriteRequestUnits(ds, p), ReadRequestUnits(ds, p), p);
  r.unum.notes.push_back(fmt::format(
      "Lambda billed ms = {} measured (per delivery, rounded up to 1 ms) + "
      "{} reads x {} + {} writes x {} + {} invokes x {} = {} ms",
      measured_billed_ms, reads, p.latency_read_ms, writes, p.latency_write_ms,
      rt.invocations_sent, p.latency_invoke_ms, unum_ms));
  int64_t kept_bytes = 0;
  for (const char* kind :
       {"delete_checkpoint", "delete_set", "session_record"}) {
    if (auto it = ds.writes.find(kind); it != ds.writes.end()) {
      kept_bytes += it->second.bytes;
    }
  }
  r.unum.notes.push_back(fmt::format(
      "storage not priced: {} tombstone(s) and the session record ({} bytes "
      "of keys and values) stay until their TTL expires (TTL deletes are "
      "free); kept a whole month they would cost ${:.4f} per 1M executions "
      "at ${}/GB-month",
      Tombstones(ds), kept_bytes,
      kept_bytes * kMillion / 1e9 * p.dynamodb_storage_gb_month,
      p.dynamodb_storage_gb_month));
  if (stats.gc == runtime::GcPolicy::kExpire) {
    // The trade-off of expiry-based GC: no delete writes, but every
    // checkpoint is stored until it expires (7 h, of a 730 h month).
    int64_t checkpoint_bytes = 0;
    if (auto it = ds.writes.find("put_checkpoint"); it != ds.writes.end()) {
      checkpoint_bytes = it->second.bytes;
    }
    r.unum.notes.push_back(fmt::format(
        "GarbageCollection: expire: the run's checkpoints ({} bytes) are "
        "stored 7 h instead of being deleted: ${:.4f} per 1M executions of "
        "storage at ${}/GB-month, where deleting them would cost {} write(s) "
        "per execution",
        checkpoint_bytes,
        checkpoint_bytes * kMillion / 1e9 * p.dynamodb_storage_gb_month * 7.0 /
            730.0,
        p.dynamodb_storage_gb_month, stats.report.runtime.instances_done));
  }

  // Step Functions Standard.
  const TaskLambdas tasks = TaskLambdasOf(stats);
  r.standard.name = "Step Functions Standard";
  int64_t transitions = 0;
  if (stats.state_transitions) {
    transitions = *stats.state_transitions;
    r.standard.notes.push_back(
        "state transitions: states entered, counted by the Step Functions "
        "engine during the run");
  } else {
    transitions = rt.user_runs + 2;
    r.standard.notes.push_back(fmt::format(
        "no state machine: transitions estimated as one Task state per "
        "user-function run ({}) + 2 (start and end)",
        rt.user_runs));
  }
  r.standard.lines.push_back(
      {"state transitions", static_cast<double>(transitions), "transitions",
       transitions * p.standard_transition_per_thousand * 1000});
  AddLambda(r.standard, "Task Lambda", tasks.requests,
            static_cast<double>(tasks.billed_ms), p, memory_mb);
  r.standard.notes.push_back(fmt::format(
      "Task Lambdas billed for measured time only ({} ms, at least 1 ms "
      "each), no datastore",
      tasks.billed_ms));

  // Step Functions Express.
  r.express.name = "Step Functions Express";
  const double wall_ms = stats.wall_seconds * 1000.0;
  const int64_t step = p.express_duration_rounding_ms;
  const int64_t express_ms = std::max<int64_t>(
      step, static_cast<int64_t>(std::ceil(wall_ms / step)) * step);
  const double express_gbs =
      GbSeconds(static_cast<double>(express_ms), p.express_memory_chunk_mb);
  r.express.lines.push_back(
      {"requests", 1, "requests", p.express_request_per_million});
  r.express.lines.push_back({"duration", express_gbs, "GB-s",
                             express_gbs * p.express_gb_second * kMillion});
  AddLambda(r.express, "Task Lambda", tasks.requests,
            static_cast<double>(tasks.billed_ms), p, memory_mb);
  r.express.notes.push_back(fmt::format(
      "duration = this run's wall time ({:.1f} ms) rounded up to {} ms, one "
      "{} MB memory chunk (the minimum)",
      wall_ms, step, p.express_memory_chunk_mb));

  // The reference implementation's op pattern.
  r.reference.name = "Reference op pattern (Lambda + DynamoDB)";
  const int64_t runs = rt.user_runs;
  const double ref_ms = static_cast<double>(measured_billed_ms) +
                        runs * (p.latency_read_ms + 2 * p.latency_write_ms) +
                        rt.invocations_sent * p.latency_invoke_ms;
  AddLambda(r.reference, "Lambda", requests, ref_ms, p, memory_mb);
  int64_t checkpoint_wru = 0;
  int64_t checkpoint_items = 0;
  if (auto it = ds.writes.find("put_checkpoint"); it != ds.writes.end()) {
    checkpoint_wru = it->second.Units(p.dynamodb_write_unit_kb);
    checkpoint_items = it->second.items;
  }
  const int64_t ref_wru =
      checkpoint_wru + std::max<int64_t>(0, runs - checkpoint_items) + runs;
  AddDynamo(r.reference, ref_wru, runs, p);
  r.reference.notes.push_back(fmt::format(
      "per user run ({}): 1 read (1 RRU) before, 1 checkpoint write after "
      "(this run's checkpoint sizes, else 1 WRU) and 1 GC write (1 WRU); "
      "Lambda billed ms = {} measured + {} x ({} + 2 x {}) + {} invokes x {} "
      "= {} ms",
      runs, measured_billed_ms, runs, p.latency_read_ms, p.latency_write_ms,
      rt.invocations_sent, p.latency_invoke_ms, ref_ms));
  return r;
}

namespace {

std::string Money(double dollars) { return fmt::format("${:.4f}", dollars); }

void FormatSection(std::string& out, const CostSection& s) {
  out += fmt::format("{:<52}{:>14}\n", s.name, Money(s.total()));
  for (const CostLine& l : s.lines) {
    out += fmt::format("  {:<22}{:>16.6g} {:<12}{:>14}\n", l.item, l.quantity,
                       l.unit, Money(l.dollars));
  }
  for (const std::string& n : s.notes) out += "  note: " + n + "\n";
  out += "\n";
}

json SectionToJson(const CostSection& s) {
  json lines = json::array();
  for (const CostLine& l : s.lines) {
    lines.push_back({{"item", l.item},
                     {"quantity", l.quantity},
                     {"unit", l.unit},
                     {"dollars", l.dollars}});
  }
  return {{"name", s.name},
          {"total", s.total()},
          {"lines", lines},
          {"notes", s.notes}};
}

}  // namespace

std::string FormatCostReport(const CostReport& r) {
  std::string out = fmt::format(
      "unum cost: {}, per 1,000,000 executions (quantities per execution), "
      "Lambda {} MB x86\n"
      "prices: {} list prices of {} ({})\n\n",
      r.app, r.memory_mb, r.prices.region, r.prices.date, r.prices.source);
  FormatSection(out, r.unum);
  FormatSection(out, r.standard);
  FormatSection(out, r.express);
  FormatSection(out, r.reference);
  out += fmt::format("Standard / Unum: {:.2f}x\n", r.standard_over_unum());
  return out;
}

json CostReportToJson(const CostReport& r) {
  return {{"app", r.app},
          {"executions", 1000000},
          {"memory_mb", r.memory_mb},
          {"prices",
           {{"date", r.prices.date},
            {"source", r.prices.source},
            {"region", r.prices.region}}},
          {"unum", SectionToJson(r.unum)},
          {"standard", SectionToJson(r.standard)},
          {"express", SectionToJson(r.express)},
          {"reference", SectionToJson(r.reference)},
          {"standard_over_unum", r.standard_over_unum()}};
}

}  // namespace unum::cost
