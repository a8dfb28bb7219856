#include "sim/sim_platform.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "ir/fanout.h"
#include "runtime/payload.h"

namespace unum::sim {

using nlohmann::json;
using runtime::ProtocolPoint;

namespace {

// Trace event codes (mixed into the trace hash).
enum TraceEvent : int {
  kEvQueue = 1,
  kEvStart,
  kEvYield,
  kEvCrash,
  kEvDone,
  kEvFailed,
  kEvRetry,
  kEvExhausted,
  kEvLate,
  kEvInvokeFault,
  kEvDatastoreFault,
};

int64_t Micros(std::chrono::milliseconds ms) {
  return static_cast<int64_t>(ms.count()) * 1000;
}

}  // namespace

const char* CrashPointName(CrashPoint p) {
  switch (p) {
    case CrashPoint::kBeforeUserCode:
      return "before-user-code";
    case CrashPoint::kAfterUserCode:
      return "after-user-code";
    case CrashPoint::kAfterCheckpoint:
      return "after-checkpoint";
    case CrashPoint::kAfterGc:
      return "after-gc";
    case CrashPoint::kAfterContinuation:
      return "after-k-continuations";
    case CrashPoint::kAfterFanInAdd:
      return "after-fan-in-add";
    case CrashPoint::kMidGc:
      return "mid-gc";
    case CrashPoint::kAfterDatastoreOp:
      return "after-datastore-op";
  }
  return "?";
}

const char* OriginName(Origin o) {
  switch (o) {
    case Origin::kExternal:
      return "external";
    case Origin::kInvoke:
      return "invoke";
    case Origin::kDuplicate:
      return "duplicate";
    case Origin::kDelayedDuplicate:
      return "delayed-duplicate";
    case Origin::kLateDuplicate:
      return "late-duplicate";
    case Origin::kRetry:
      return "retry";
  }
  return "?";
}

SimPlatform::SimPlatform(uint64_t seed, SimOptions options, VirtualClock* clock,
                         FaultDatastore* faults)
    : rng_(seed), options_(options), clock_(clock), faults_(faults) {
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  if (faults_ != nullptr) {
    faults_->SetScope(nullptr);
    faults_->SetOperationHook([this](DatastoreOp op) {
      YieldToScheduler(kEvYield, static_cast<uint64_t>(op) + 1);
    });
    faults_->SetFaultObserver([this](const std::string& what) {
      if (running_ != nullptr)
        Trace(kEvDatastoreFault, running_->info.id, 0, what);
    });
  }
}

SimPlatform::~SimPlatform() {
  if (faults_ != nullptr) {
    faults_->SetOperationHook(nullptr);
    faults_->SetFaultObserver(nullptr);
    faults_->SetScope(nullptr);
  }
}

void SimPlatform::Trace(int event, uint64_t id, uint64_t detail,
                        const std::string& text) {
  // FNV-1a over (event, id, detail, time).
  for (uint64_t v : {static_cast<uint64_t>(event), id, detail,
                     static_cast<uint64_t>(clock_->now_us)}) {
    for (int i = 0; i < 8; ++i) {
      trace_hash_ ^= (v >> (8 * i)) & 0xFF;
      trace_hash_ *= 0x100000001b3ULL;
    }
  }
  if (options_.record_trace) {
    trace_.push_back(fmt::format("{:>12}us d{} {}", clock_->now_us, id, text));
  }
}

runtime::Runtime::FaultHook SimPlatform::FaultHook() {
  return [this](ProtocolPoint point, const std::string& instance, int k) {
    return OnProtocolPoint(point, instance, k);
  };
}

const Delivery* SimPlatform::current() const {
  return running_ == nullptr ? nullptr : &running_->info;
}

namespace {

// What a scheduling point is about, for readable traces: 1..8 datastore
// operations, 100+ protocol points, 200 Invoke.
std::string YieldLabel(uint64_t detail) {
  if (detail >= 1 && detail <= 8) {
    return std::string("before ") +
           DatastoreOpName(static_cast<DatastoreOp>(detail - 1));
  }
  if (detail == 200) return "before Invoke";
  switch (static_cast<ProtocolPoint>(detail - 100)) {
    case ProtocolPoint::kBeforeUserCode:
      return "at before-user-code";
    case ProtocolPoint::kAfterUserCode:
      return "at after-user-code";
    case ProtocolPoint::kAfterCheckpoint:
      return "at after-checkpoint";
    case ProtocolPoint::kAfterGc:
      return "at after-gc";
    case ProtocolPoint::kAfterContinuation:
      return "at after-continuation";
    case ProtocolPoint::kAfterFanInAdd:
      return "at after-fan-in-add";
  }
  return "?";
}

}  // namespace

void SimPlatform::YieldToScheduler(int event, uint64_t detail) {
  Active* self = running_;
  if (self == nullptr || Coroutine::Current() != self->co.get()) return;
  Trace(event, self->info.id, detail,
        options_.record_trace ? "yield " + YieldLabel(detail) : std::string());
  Coroutine::Yield();
  // Step() restored running_ and the fault scope before resuming us.
}

Status SimPlatform::OnProtocolPoint(ProtocolPoint point,
                                    const std::string& instance, int k) {
  YieldToScheduler(kEvYield, 100 + static_cast<uint64_t>(point));
  Active* a = running_;
  if (a == nullptr) return Status::Ok();
  if (a->scope.crashed) {
    ++counts_.calls_after_crash;
    return Status::Aborted(
        "simulated crash: a dead process reached a "
        "protocol point");
  }
  if (!a->plan.armed) return Status::Ok();
  CrashPoint want;
  switch (point) {
    case ProtocolPoint::kBeforeUserCode:
      want = CrashPoint::kBeforeUserCode;
      break;
    case ProtocolPoint::kAfterUserCode:
      want = CrashPoint::kAfterUserCode;
      break;
    case ProtocolPoint::kAfterCheckpoint:
      want = CrashPoint::kAfterCheckpoint;
      break;
    case ProtocolPoint::kAfterGc:
      want = CrashPoint::kAfterGc;
      break;
    case ProtocolPoint::kAfterContinuation:
      want = CrashPoint::kAfterContinuation;
      break;
    case ProtocolPoint::kAfterFanInAdd:
      want = CrashPoint::kAfterFanInAdd;
      break;
    default:
      return Status::Ok();
  }
  if (a->plan.point != want) return Status::Ok();
  if (want == CrashPoint::kAfterContinuation && k != a->plan.k) {
    return Status::Ok();
  }
  a->plan.armed = false;
  a->scope.crashed = true;
  a->scope.crash_reason = CrashPointName(want);
  ++counts_.crashes[static_cast<int>(want)];
  Trace(kEvCrash, a->info.id, static_cast<uint64_t>(want),
        options_.record_trace ? fmt::format("CRASH {} {} (k={})",
                                            CrashPointName(want), instance, k)
                              : std::string());
  return Status::Aborted(fmt::format("simulated crash {} of {} (k={})",
                                     CrashPointName(want), instance, k));
}

Delivery SimPlatform::MakeDelivery(
    const std::string& function, const json* payload,
    std::shared_ptr<const runtime::Payload> decoded, Origin origin) {
  Delivery d;
  d.id = next_id_++;
  d.function = function;
  d.attempt = 1;
  d.origin = origin;
  d.invoked_us = clock_->now_us;
  d.due_us = clock_->now_us;
  d.late_phase = late_phase_;
  // The instance name, computed the way the runtime computes it.
  d.instance = function;
  if (decoded != nullptr) {
    d.instance = runtime::InstanceNameOf(function, *decoded);
    d.decoded = std::move(decoded);
  } else {
    d.payload = std::make_shared<const json>(*payload);
    if (payload->is_object() && payload->contains("Fan-out")) {
      auto stack = ir::FanOutFromJson(payload->at("Fan-out"));
      if (stack.ok()) d.instance = ir::InstanceName(function, *stack);
    }
  }
  if (running_ != nullptr) {
    d.sender = running_->info.instance;
    d.sender_delivery = running_->info.id;
  }
  return d;
}

void SimPlatform::Queue(Delivery d) {
  Trace(kEvQueue, d.id, static_cast<uint64_t>(d.due_us),
        options_.record_trace
            ? fmt::format("queue {} {} a{} due {}us", OriginName(d.origin),
                          d.instance, d.attempt, d.due_us)
            : std::string());
  pending_.push_back(std::move(d));
}

void SimPlatform::Submit(const std::string& function, const json& payload) {
  Active* saved = running_;
  running_ = nullptr;  // an external caller, even if called from a handler
  Delivery d = MakeDelivery(function, &payload, nullptr, Origin::kExternal);
  running_ = saved;
  invocations_.push_back(d);
  if (rng_.Chance(options_.duplicate)) {
    Delivery dup = d;
    dup.id = next_id_++;
    dup.origin = Origin::kDuplicate;
    dup.due_us += static_cast<int64_t>(
        rng_.Uniform(Micros(options_.max_duplicate_lag) + 1));
    ++counts_.duplicates;
    Queue(std::move(dup));
  }
  Queue(std::move(d));
}

Status SimPlatform::Invoke(const std::string& function, json payload) {
  return Enqueue(std::chrono::milliseconds(0), function, &payload, nullptr);
}

Status SimPlatform::InvokeAfter(std::chrono::milliseconds delay,
                                const std::string& function, json payload) {
  return Enqueue(delay, function, &payload, nullptr);
}

Status SimPlatform::InvokeDecoded(
    std::chrono::milliseconds delay, const std::string& function,
    std::shared_ptr<const runtime::Payload> payload) {
  if (!options_.decoded_payloads) {
    return Platform::InvokeDecoded(delay, function, std::move(payload));
  }
  if (payload == nullptr) {
    return Status::InvalidArgument("InvokeDecoded of \"" + function +
                                   "\" without a payload");
  }
  if (options_.mutate_decoded) payload = options_.mutate_decoded(payload);
  return Enqueue(delay, function, nullptr, std::move(payload));
}

Status SimPlatform::Enqueue(std::chrono::milliseconds delay,
                            const std::string& function, const json* payload,
                            std::shared_ptr<const runtime::Payload> decoded) {
  YieldToScheduler(kEvYield, 200);
  Active* a = running_;
  if (a != nullptr && a->scope.crashed) {
    ++counts_.calls_after_crash;
    return Status::Aborted("simulated crash: a dead process called Invoke");
  }
  if (a != nullptr && a->scope.enabled &&
      rng_.Chance(options_.invoke_unavailable)) {
    ++counts_.invoke_unavailable;
    Trace(kEvInvokeFault, a->info.id, 0,
          options_.record_trace ? "Invoke " + function + " throttled"
                                : std::string());
    return Status::Unavailable("injected: Invoke of \"" + function +
                               "\" throttled");
  }
  if (decoded != nullptr) ++decoded_invocations_;
  Delivery d =
      MakeDelivery(function, payload, std::move(decoded), Origin::kInvoke);
  d.due_us += std::max<int64_t>(0, Micros(delay));
  if (rng_.Chance(options_.delay)) {
    ++counts_.delays;
    d.due_us +=
        static_cast<int64_t>(rng_.Uniform(Micros(options_.max_delay) + 1));
  }
  invocations_.push_back(d);
  if (rng_.Chance(options_.duplicate)) {
    Delivery dup = d;
    dup.id = next_id_++;
    dup.origin = Origin::kDuplicate;
    dup.due_us = clock_->now_us + static_cast<int64_t>(rng_.Uniform(
                                      Micros(options_.max_duplicate_lag) + 1));
    ++counts_.duplicates;
    Queue(std::move(dup));
  }
  if (rng_.Chance(options_.delayed_duplicate)) {
    Delivery dup = d;
    dup.id = next_id_++;
    dup.origin = Origin::kDelayedDuplicate;
    dup.due_us =
        clock_->now_us + rng_.Range(Micros(options_.delayed_duplicate_min),
                                    Micros(options_.delayed_duplicate_max));
    ++counts_.delayed_duplicates;
    Queue(std::move(dup));
  }
  Queue(std::move(d));
  return Status::Ok();
}

void SimPlatform::StartDelivery(size_t pending_index) {
  auto a = std::make_unique<Active>();
  a->info = std::move(pending_[pending_index]);
  pending_.erase(pending_.begin() + static_cast<ptrdiff_t>(pending_index));
  a->info.late_phase = a->info.late_phase || late_phase_;
  a->invocation.function = a->info.function;
  if (a->info.decoded != nullptr) {
    a->invocation.decoded = a->info.decoded;
  } else {
    a->invocation.payload = *a->info.payload;
  }
  a->invocation.attempt = a->info.attempt;
  const bool faults = options_.faults_on_last_attempt ||
                      a->info.attempt < options_.max_attempts;
  a->scope.enabled = faults;
  if (faults && rng_.Chance(options_.crash)) {
    const auto point = static_cast<CrashPoint>(rng_.Uniform(kNumCrashPoints));
    switch (point) {
      case CrashPoint::kMidGc:
        a->scope.crash_after_delete = static_cast<int>(rng_.Range(1, 2));
        break;
      case CrashPoint::kAfterDatastoreOp:
        a->scope.crash_after_op = static_cast<int>(rng_.Range(1, 8));
        break;
      default:
        a->plan.armed = true;
        a->plan.point = point;
        a->plan.k = static_cast<int>(rng_.Range(1, 3));
        break;
    }
  }
  ++counts_.deliveries;
  started_.push_back(a->info);
  Trace(kEvStart, a->info.id, static_cast<uint64_t>(a->info.attempt),
        options_.record_trace
            ? fmt::format("start {} {} a{}{}", OriginName(a->info.origin),
                          a->info.instance, a->info.attempt,
                          a->info.late_phase ? " (late phase)" : "")
            : std::string());
  Active* raw = a.get();
  a->co = std::make_unique<Coroutine>([this, raw] {
    if (!handler_) {
      raw->status = Status::FailedPrecondition("SimPlatform: no handler");
      return;
    }
    raw->status = handler_(raw->invocation);
  });
  active_.push_back(std::move(a));
}

void SimPlatform::Step(Active* a) {
  running_ = a;
  if (faults_ != nullptr) faults_->SetScope(&a->scope);
  a->co->Resume();
  if (faults_ != nullptr) faults_->SetScope(nullptr);
  running_ = nullptr;
  if (a->co->done()) {
    FinishDelivery(a);
    auto it = std::find_if(active_.begin(), active_.end(),
                           [a](const auto& p) { return p.get() == a; });
    active_.erase(it);
  }
}

void SimPlatform::FinishDelivery(Active* a) {
  if (a->status.ok()) {
    ++counts_.completed;
    Trace(kEvDone, a->info.id, 0,
          options_.record_trace ? "done " + a->info.instance : std::string());
    return;
  }
  ++counts_.failed_attempts;
  Trace(kEvFailed, a->info.id, static_cast<uint64_t>(a->status.code()),
        options_.record_trace
            ? "failed " + a->info.instance + ": " + a->status.ToString()
            : std::string());
  if (a->info.attempt < options_.max_attempts) {
    Delivery r = a->info;
    r.id = next_id_++;
    r.attempt += 1;
    r.origin = Origin::kRetry;
    r.due_us = clock_->now_us + rng_.Range(Micros(options_.retry_min),
                                           Micros(options_.retry_max));
    ++counts_.retries;
    Queue(std::move(r));
    return;
  }
  ++counts_.exhausted;
  Trace(
      kEvExhausted, a->info.id, 0,
      options_.record_trace ? "EXHAUSTED " + a->info.instance : std::string());
  exhausted_.push_back(Exhausted{a->info, a->status});
}

void SimPlatform::RunUntilIdle() {
  std::vector<size_t> ready;
  while (!pending_.empty() || !active_.empty()) {
    ready.clear();
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].due_us <= clock_->now_us) ready.push_back(i);
    }
    const size_t n = active_.size() + ready.size();
    if (n == 0) {
      int64_t next = std::numeric_limits<int64_t>::max();
      for (const Delivery& d : pending_) next = std::min(next, d.due_us);
      clock_->now_us = next;
      continue;
    }
    ++counts_.steps;
    const size_t pick = static_cast<size_t>(rng_.Uniform(n));
    Active* a;
    if (pick < active_.size()) {
      a = active_[pick].get();
    } else {
      StartDelivery(ready[pick - active_.size()]);
      a = active_.back().get();
    }
    Step(a);
    clock_->now_us += static_cast<int64_t>(rng_.Uniform(1001));
  }
}

int SimPlatform::InjectLateDuplicates(int n) {
  late_phase_ = true;
  int queued = 0;
  if (invocations_.empty()) return 0;
  const int64_t age =
      static_cast<int64_t>(options_.max_event_age.count()) * 1000 * 1000;
  for (int i = 0; i < n; ++i) {
    const Delivery& original = invocations_[rng_.Uniform(invocations_.size())];
    const int64_t latest = original.invoked_us + age;
    if (latest < clock_->now_us) continue;  // older than any delivery can be
    Delivery d = original;
    d.id = next_id_++;
    d.attempt = 1;
    d.origin = Origin::kLateDuplicate;
    d.late_phase = true;
    d.due_us = rng_.Range(clock_->now_us, latest);
    ++counts_.late_duplicates;
    ++queued;
    Trace(kEvLate, d.id, 0,
          options_.record_trace ? "late duplicate of " + d.instance
                                : std::string());
    Queue(std::move(d));
  }
  return queued;
}

}  // namespace unum::sim
