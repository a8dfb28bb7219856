// RunStats: what one workflow run used, in the form `unum run --stats-json`
// writes and `unum cost` prices (format: docs/cost.md). Built from a
// finished run (the runner's report, the CountingDatastore's counts, the
// DeliveryTimer's per-function times and the state machine's transition
// count), or read back from the JSON.
#ifndef UNUM_COST_RUN_STATS_H_
#define UNUM_COST_RUN_STATS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/app.h"
#include "app/runner.h"
#include "runtime/delivery_observer.h"
#include "runtime/runtime.h"
#include "unum/datastore.h"

namespace unum::cost {

// Deliveries of one function and the Lambda milliseconds they would bill:
// each delivery's measured wall time (Runtime::Handle, from the
// DeliveryReport) rounded up to a whole millisecond, at least 1.
struct FunctionTime {
  bool helper = false;  // added by the Step Functions compiler (no user code)
  int64_t deliveries = 0;
  int64_t duplicates = 0;  // deliveries that found the work already done
  double measured_ms = 0;
  int64_t billed_ms = 0;
  int64_t duplicate_billed_ms = 0;  // part of billed_ms spent on duplicates
};

// max(1, ceil(ms)): Lambda bills each invocation in whole milliseconds.
int64_t BilledMs(double ms);

// A DeliveryObserver that times every delivery by function, then passes
// the report on to `next` (may be null), e.g. the session trace.
class DeliveryTimer : public runtime::DeliveryObserver {
 public:
  explicit DeliveryTimer(runtime::DeliveryObserver* next = nullptr)
      : next_(next) {}
  void OnDelivery(const runtime::DeliveryReport& report) override;
  std::map<std::string, FunctionTime> times() const;

 private:
  runtime::DeliveryObserver* next_;
  mutable std::mutex mu_;
  std::map<std::string, FunctionTime> times_;  // by mu_
};

struct RunStats {
  std::string app;
  std::string session;
  bool state_machine = false;  // the app ran a Step Functions definition
  // How the run collected checkpoints ("gc" in the JSON; default delete).
  runtime::GcPolicy gc = runtime::GcPolicy::kDelete;
  bool succeeded = false;
  double wall_seconds = 0;
  app::RunReport report;  // runtime and platform counters (outcome unused)
  DatastoreStats datastore;
  // States entered (Step Functions state transitions); only for a state
  // machine whose functions ran in this process.
  std::optional<int64_t> state_transitions;
  std::map<std::string, FunctionTime> functions;
};

// Collects the stats of a finished run of `app`.
RunStats MakeRunStats(const app::App& app, const app::RunReport& report,
                      const DatastoreStats& datastore,
                      const std::map<std::string, FunctionTime>& times);

// The --stats-json document ("format": "unum-run-stats", "version": 1).
nlohmann::json RunStatsToJson(const RunStats& stats);

// Reads a --stats-json document; `what` names it in errors
// (InvalidArgument naming the field).
Result<RunStats> RunStatsFromJson(const nlohmann::json& j,
                                  const std::string& what);

// The datastore kinds that read and that write, in --stats order.
inline constexpr const char* kDatastoreKinds[] = {
    "get_checkpoint",    "put_checkpoint", "get_checkpoints", "set_add",
    "delete_checkpoint", "delete_set",     "session_record"};

// The count of datastore calls of `kind` (a name of kDatastoreKinds).
int64_t OpCount(const DatastoreStats& ds, const std::string& kind);

}  // namespace unum::cost

#endif  // UNUM_COST_RUN_STATS_H_
