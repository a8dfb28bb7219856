// The cost model of `unum cost`: prices one workflow run (RunStats) per
// million executions under four designs, with a price table (Prices):
//
//   Unum:     Lambda requests (every delivery, helpers included) + Lambda
//             duration + DynamoDB request units (per item, by size).
//   Step Functions Standard: state transitions + the Task functions'
//             Lambda requests and duration (user code only, no datastore).
//   Step Functions Express:  one request + the execution's duration (wall
//             time, rounded up, one 64 MB chunk) + the same Task Lambdas.
//   Reference op pattern: Unum's Lambdas with one read before and one
//             write after each user run plus one GC write (the reference
//             implementation's pattern) instead of the measured operations.
//
// Lambda duration per invocation = measured handler wall time (rounded up
// to 1 ms, at least 1 ms) + read requests x latency_read_ms + write
// requests x latency_write_ms + invokes sent x latency_invoke_ms. The
// latencies are the price table's (the embedded run's datastore and
// platform take microseconds, so the measured time is the user code's).
// See docs/cost.md.
#ifndef UNUM_COST_COST_MODEL_H_
#define UNUM_COST_COST_MODEL_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cost/prices.h"
#include "cost/run_stats.h"

namespace unum::cost {

// One priced quantity: `quantity` `unit`s per execution, costing
// `dollars` per million executions.
struct CostLine {
  std::string item;
  double quantity = 0;
  std::string unit;
  double dollars = 0;
};

struct CostSection {
  std::string name;
  std::vector<CostLine> lines;
  std::vector<std::string> notes;
  double total() const;
};

struct CostReport {
  std::string app;
  int64_t memory_mb = 128;
  Prices prices;
  CostSection unum;
  CostSection standard;
  CostSection express;
  CostSection reference;
  // Standard / Unum totals (0 when Unum costs nothing).
  double standard_over_unum() const;
};

// Request units the datastore items of `ds` take, by the price table.
int64_t WriteRequestUnits(const DatastoreStats& ds, const Prices& prices);
int64_t ReadRequestUnits(const DatastoreStats& ds, const Prices& prices);
// Datastore requests (a multi-get is one request; each write one).
int64_t ReadRequests(const DatastoreStats& ds);
int64_t WriteRequests(const DatastoreStats& ds);

// Prices `stats` for functions of `memory_mb` MB.
CostReport PriceRun(const RunStats& stats, const Prices& prices,
                    int64_t memory_mb);

// The report as text (the model is stated in it) and as JSON.
std::string FormatCostReport(const CostReport& report);
nlohmann::json CostReportToJson(const CostReport& report);

}  // namespace unum::cost

#endif  // UNUM_COST_COST_MODEL_H_
