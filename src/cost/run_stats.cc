// RunStats: see run_stats.h.
#include "cost/run_stats.h"

#include <fmt/core.h>

#include <chrono>
#include <cmath>

namespace unum::cost {

using nlohmann::json;

int64_t BilledMs(double ms) {
  const auto whole = static_cast<int64_t>(std::ceil(ms));
  return whole < 1 ? 1 : whole;
}

void DeliveryTimer::OnDelivery(const runtime::DeliveryReport& report) {
  const double ms =
      std::chrono::duration<double, std::milli>(report.end - report.start)
          .count();
  const bool duplicate =
      report.outcome == runtime::DeliveryOutcome::kDuplicateSkipped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    FunctionTime& t = times_[report.function];
    ++t.deliveries;
    t.measured_ms += ms;
    t.billed_ms += BilledMs(ms);
    if (duplicate) {
      ++t.duplicates;
      t.duplicate_billed_ms += BilledMs(ms);
    }
  }
  if (next_ != nullptr) next_->OnDelivery(report);
}

std::map<std::string, FunctionTime> DeliveryTimer::times() const {
  std::lock_guard<std::mutex> lock(mu_);
  return times_;
}

int64_t OpCount(const DatastoreStats& ds, const std::string& kind) {
  if (kind == "get_checkpoint") return ds.get_checkpoint;
  if (kind == "put_checkpoint") return ds.put_checkpoint;
  if (kind == "get_checkpoints") return ds.get_checkpoints;
  if (kind == "set_add") return ds.set_add;
  if (kind == "delete_checkpoint") return ds.delete_checkpoint;
  if (kind == "delete_set") return ds.delete_set;
  if (kind == "session_record") return ds.session_record;
  return 0;
}

namespace {

int64_t* OpCountField(DatastoreStats& ds, const std::string& kind) {
  if (kind == "get_checkpoint") return &ds.get_checkpoint;
  if (kind == "put_checkpoint") return &ds.put_checkpoint;
  if (kind == "get_checkpoints") return &ds.get_checkpoints;
  if (kind == "set_add") return &ds.set_add;
  if (kind == "delete_checkpoint") return &ds.delete_checkpoint;
  if (kind == "delete_set") return &ds.delete_set;
  if (kind == "session_record") return &ds.session_record;
  return nullptr;
}

json ItemsToJson(const DatastoreStats::Items& items, const char* unit_name,
                 int64_t unit_kb) {
  json hist = json::object();
  for (const auto& [kb, n] : items.by_started_kb) hist[std::to_string(kb)] = n;
  return {{"items", items.items},
          {"bytes", items.bytes},
          {"by_started_kb", hist},
          {unit_name, items.Units(unit_kb)}};
}

// The runtime and platform counters, by their JSON names.
struct Counter {
  const char* name;
  int64_t runtime::RuntimeStats::*field;
};
constexpr Counter kRuntimeCounters[] = {
    {"deliveries", &runtime::RuntimeStats::deliveries},
    {"user_runs", &runtime::RuntimeStats::user_runs},
    {"user_failures", &runtime::RuntimeStats::user_failures},
    {"checkpoint_hits", &runtime::RuntimeStats::checkpoint_hits},
    {"tombstone_hits", &runtime::RuntimeStats::tombstone_hits},
    {"races_lost", &runtime::RuntimeStats::races_lost},
    {"invocations_sent", &runtime::RuntimeStats::invocations_sent},
    {"fan_in_adds", &runtime::RuntimeStats::fan_in_adds},
    {"checkpoints_deleted", &runtime::RuntimeStats::checkpoints_deleted},
    {"instances_done", &runtime::RuntimeStats::instances_done},
};
struct PlatformCounter {
  const char* name;
  int64_t PlatformStats::*field;
};
constexpr PlatformCounter kPlatformCounters[] = {
    {"accepted", &PlatformStats::invocations},
    {"completed", &PlatformStats::completed},
    {"failed_attempts", &PlatformStats::failed_attempts},
    {"retried", &PlatformStats::retries},
    {"gave_up", &PlatformStats::exhausted},
};

// Reads JSON fields with errors naming the field.
class Reader {
 public:
  explicit Reader(std::string what) : what_(std::move(what)) {}
  const Status& status() const { return status_; }

  const json* Get(const json& obj, const std::string& path, const char* key) {
    if (!status_.ok()) return nullptr;
    if (!obj.is_object() || !obj.contains(key)) {
      Fail(path.empty() ? key : path + "." + key, "is missing");
      return nullptr;
    }
    return &obj[key];
  }
  const json* Object(const json& obj, const std::string& path,
                     const char* key) {
    const json* v = Get(obj, path, key);
    if (v != nullptr && !v->is_object()) {
      Fail(Join(path, key), "must be an object");
      return nullptr;
    }
    return v;
  }
  int64_t Count(const json& obj, const std::string& path, const char* key) {
    const json* v = Get(obj, path, key);
    if (v == nullptr) return 0;
    if (!v->is_number_integer() || v->get<int64_t>() < 0) {
      Fail(Join(path, key), "must be an integer >= 0");
      return 0;
    }
    return v->get<int64_t>();
  }
  double Number(const json& obj, const std::string& path, const char* key) {
    const json* v = Get(obj, path, key);
    if (v == nullptr) return 0;
    if (!v->is_number() || v->get<double>() < 0) {
      Fail(Join(path, key), "must be a number >= 0");
      return 0;
    }
    return v->get<double>();
  }
  void Fail(const std::string& field, const std::string& why) {
    if (status_.ok()) {
      status_ = Status::InvalidArgument(
          fmt::format("{}: field \"{}\" {}", what_, field, why));
    }
  }
  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string what_;
  Status status_;
};

DatastoreStats::Items ItemsFromJson(Reader& r, const json& j,
                                    const std::string& path) {
  DatastoreStats::Items items;
  items.items = r.Count(j, path, "items");
  items.bytes = r.Count(j, path, "bytes");
  const json* hist = r.Object(j, path, "by_started_kb");
  if (hist == nullptr) return items;
  int64_t sum = 0;
  for (const auto& [kb, n] : hist->items()) {
    int64_t size = 0;
    for (char c : kb) {
      if (c < '0' || c > '9' || size > (int64_t{1} << 40)) {
        size = 0;
        break;
      }
      size = size * 10 + (c - '0');
    }
    if (size <= 0 || !n.is_number_integer() || n.get<int64_t>() < 0) {
      r.Fail(path + ".by_started_kb." + kb,
             "must map a kilobyte count > 0 to an item count >= 0");
      return items;
    }
    items.by_started_kb[size] = n.get<int64_t>();
    sum += n.get<int64_t>();
  }
  if (sum != items.items) {
    r.Fail(path + ".by_started_kb", "does not add up to \"items\"");
  }
  return items;
}

}  // namespace

RunStats MakeRunStats(const app::App& app, const app::RunReport& report,
                      const DatastoreStats& datastore,
                      const std::map<std::string, FunctionTime>& times) {
  RunStats s;
  s.app = app.name;
  s.session = report.session;
  s.state_machine = app.workflow != nullptr;
  s.succeeded = report.outcome.succeeded;
  s.wall_seconds = report.seconds;
  s.report = report;
  s.datastore = datastore;
  // The engine counts where the functions run: only a run delivered in
  // this process (inproc://, sqlite://) has the count here.
  if (app.workflow && !times.empty()) {
    s.state_transitions = app.workflow->transitions();
  }
  s.functions = times;
  for (auto& [name, t] : s.functions) {
    auto it = app.functions.find(name);
    t.helper = it != app.functions.end() &&
               it->second.runtime == app::FunctionRuntime::kHelper;
  }
  return s;
}

json RunStatsToJson(const RunStats& s) {
  json runtime = json::object();
  for (const Counter& c : kRuntimeCounters) {
    runtime[c.name] = s.report.runtime.*c.field;
  }
  json invocations = json::object();
  for (const PlatformCounter& c : kPlatformCounters) {
    invocations[c.name] = s.report.platform.*c.field;
  }
  json ops = json::object();
  int64_t total = 0;
  for (const char* kind : kDatastoreKinds) {
    json op = {{"count", OpCount(s.datastore, kind)}};
    total += OpCount(s.datastore, kind);
    if (auto it = s.datastore.reads.find(kind); it != s.datastore.reads.end()) {
      op["read"] = ItemsToJson(it->second, "rru", 4);
    }
    if (auto it = s.datastore.writes.find(kind);
        it != s.datastore.writes.end()) {
      op["write"] = ItemsToJson(it->second, "wru", 1);
    }
    ops[kind] = std::move(op);
  }
  json functions = json::object();
  for (const auto& [name, t] : s.functions) {
    functions[name] = {{"helper", t.helper},
                       {"deliveries", t.deliveries},
                       {"duplicates", t.duplicates},
                       {"measured_ms", t.measured_ms},
                       {"billed_ms", t.billed_ms},
                       {"duplicate_billed_ms", t.duplicate_billed_ms}};
  }
  return {{"format", "unum-run-stats"},
          {"version", 1},
          {"app", s.app},
          {"session", s.session},
          {"state_machine", s.state_machine},
          {"gc", runtime::GcPolicyName(s.gc)},
          {"outcome", s.succeeded ? "SUCCEEDED" : "FAILED"},
          {"wall_seconds", s.wall_seconds},
          {"invocations", invocations},
          {"runtime", runtime},
          {"datastore", {{"total_ops", total}, {"ops", ops}}},
          {"state_transitions",
           s.state_transitions ? json(*s.state_transitions) : json(nullptr)},
          {"functions", functions}};
}

Result<RunStats> RunStatsFromJson(const json& j, const std::string& what) {
  Reader r(what);
  RunStats s;
  if (!j.is_object() || j.value("format", "") != "unum-run-stats") {
    return Status::InvalidArgument(
        what + ": field \"format\" must be \"unum-run-stats\"");
  }
  if (r.Count(j, "", "version") != 1) {
    if (r.status().ok()) r.Fail("version", "must be 1");
    return r.status();
  }
  const json* app = r.Get(j, "", "app");
  if (app != nullptr && app->is_string()) s.app = app->get<std::string>();
  const json* session = r.Get(j, "", "session");
  if (session != nullptr && session->is_string()) {
    s.session = session->get<std::string>();
  }
  const json* sm = r.Get(j, "", "state_machine");
  if (sm != nullptr) {
    if (!sm->is_boolean()) {
      r.Fail("state_machine", "must be true or false");
    } else {
      s.state_machine = sm->get<bool>();
    }
  }
  if (j.contains("gc")) {
    const json& gc = j.at("gc");
    auto policy = gc.is_string()
                      ? runtime::ParseGcPolicy(gc.get<std::string>(),
                                               what + ": field \"gc\"")
                      : Result<runtime::GcPolicy>(Status::InvalidArgument(
                            what + ": field \"gc\" must be a string"));
    if (!policy.ok()) return policy.status();
    s.gc = *policy;
  }
  const json* outcome = r.Get(j, "", "outcome");
  s.succeeded = outcome != nullptr && *outcome == "SUCCEEDED";
  s.wall_seconds = r.Number(j, "", "wall_seconds");
  if (const json* inv = r.Object(j, "", "invocations")) {
    for (const PlatformCounter& c : kPlatformCounters) {
      s.report.platform.*c.field = r.Count(*inv, "invocations", c.name);
    }
  }
  if (const json* rt = r.Object(j, "", "runtime")) {
    for (const Counter& c : kRuntimeCounters) {
      s.report.runtime.*c.field = r.Count(*rt, "runtime", c.name);
    }
  }
  if (const json* ds = r.Object(j, "", "datastore")) {
    if (const json* ops = r.Object(*ds, "datastore", "ops")) {
      for (const char* kind : kDatastoreKinds) {
        const std::string path = std::string("datastore.ops.") + kind;
        const json* op = r.Object(*ops, "datastore.ops", kind);
        if (op == nullptr) break;
        *OpCountField(s.datastore, kind) = r.Count(*op, path, "count");
        if (op->contains("read")) {
          s.datastore.reads[kind] =
              ItemsFromJson(r, (*op)["read"], path + ".read");
        }
        if (op->contains("write")) {
          s.datastore.writes[kind] =
              ItemsFromJson(r, (*op)["write"], path + ".write");
        }
      }
    }
  }
  const json* st = r.Get(j, "", "state_transitions");
  if (st != nullptr && !st->is_null()) {
    s.state_transitions = r.Count(j, "", "state_transitions");
  }
  if (const json* fns = r.Object(j, "", "functions")) {
    for (const auto& [name, f] : fns->items()) {
      const std::string path = "functions." + name;
      FunctionTime t;
      const json* helper = r.Get(f, path, "helper");
      t.helper =
          helper != nullptr && helper->is_boolean() && helper->get<bool>();
      t.deliveries = r.Count(f, path, "deliveries");
      t.duplicates = r.Count(f, path, "duplicates");
      t.measured_ms = r.Number(f, path, "measured_ms");
      t.billed_ms = r.Count(f, path, "billed_ms");
      t.duplicate_billed_ms = r.Count(f, path, "duplicate_billed_ms");
      s.functions[name] = t;
    }
  }
  s.report.session = s.session;
  s.report.seconds = s.wall_seconds;
  if (!r.status().ok()) return r.status();
  return s;
}

}  // namespace unum::cost
