#include "runtime/runtime.h"

#include <spdlog/spdlog.h>

#include <set>
#include <thread>

#include "common/uuid.h"
#include "runtime/checkpoint_record.h"
#include "runtime/payload.h"
#include "runtime/session_record.h"

namespace unum::runtime {

using nlohmann::json;

Result<GcPolicy> ParseGcPolicy(const std::string& text,
                               const std::string& what) {
  if (text == "delete") return GcPolicy::kDelete;
  if (text == "expire") return GcPolicy::kExpire;
  return Status::InvalidArgument(what +
                                 ": unknown garbage collection policy \"" +
                                 text + "\" (known: delete, expire)");
}

const char* GcPolicyName(GcPolicy policy) {
  return policy == GcPolicy::kExpire ? "expire" : "delete";
}

// Everything one delivery learns as it goes.
struct Runtime::Delivery {
  const Invocation* invocation = nullptr;
  // The payload: the invocation's decoded one, or `owned_payload`.
  const Payload* payload = nullptr;
  Payload owned_payload;
  Context ctx;
  json output;
  bool from_checkpoint = false;
  // Fan-in sources read during ingress: instance -> children count.
  std::map<std::string, int64_t> source_children;
  bool sources_read = false;
  // Fan-in branches and aggregators always checkpoint: the aggregator
  // reads the branches' checkpoints, and collects them once it has its own.
  bool checkpoints = true;
  bool failure_recorded = false;
  // For the DeliveryObserver: did user code run, and its error.
  bool user_ran = false;
  std::string failure_message;
};

Runtime::Runtime(Datastore* store, Platform* platform, RuntimeOptions options)
    : store_(store), platform_(platform), options_(options) {
  // spdlog creates its default logger on first use. Create it here, before
  // the platform's threads run deliveries that log, so that creation is
  // ordered before every use (Debian's libspdlog is not instrumented, and
  // ThreadSanitizer does not see the ordering of its lazy initialisation).
  spdlog::default_logger_raw();
}

Status Runtime::AddFunction(
    const ir::FunctionConfig& config, UserFunction fn,
    std::shared_ptr<const ContinuationPlanner> planner) {
  if (functions_.contains(config.name)) {
    return Status::AlreadyExists("function \"" + config.name +
                                 "\" is registered twice");
  }
  UNUM_ASSIGN_OR_RETURN(CompiledFunction compiled, CompileFunction(config));
  functions_.emplace(config.name, Registered{std::move(compiled), std::move(fn),
                                             std::move(planner)});
  return Status::Ok();
}

RuntimeStats Runtime::stats() const {
  RuntimeStats s;
  s.deliveries = stats_.deliveries;
  s.user_runs = stats_.user_runs;
  s.user_failures = stats_.user_failures;
  s.checkpoint_hits = stats_.checkpoint_hits;
  s.tombstone_hits = stats_.tombstone_hits;
  s.races_lost = stats_.races_lost;
  s.invocations_sent = stats_.invocations_sent;
  s.fan_in_adds = stats_.fan_in_adds;
  s.checkpoints_deleted = stats_.checkpoints_deleted;
  s.instances_done = stats_.instances_done;
  return s;
}

template <typename Op>
auto Runtime::WithRetries(Op&& op) -> decltype(op()) {
  auto backoff = options_.datastore_backoff;
  for (int attempt = 1;; ++attempt) {
    auto result = op();
    if (result.ok() || !result.status().IsUnavailable() ||
        attempt >= options_.datastore_attempts) {
      return result;
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

template <typename Op>
Status Runtime::RetryStatus(Op&& op) {
  return WithRetries([&]() -> Result<bool> {
           Status s = op();
           if (!s.ok()) return s;
           return true;
         })
      .status();
}

Status Runtime::Fault(ProtocolPoint point, const std::string& instance, int k) {
  if (!fault_hook_) return Status::Ok();
  return fault_hook_(point, instance, k);
}

Status Runtime::Handle(const Invocation& invocation) {
  ++stats_.deliveries;
  const auto start = std::chrono::system_clock::now();
  auto it = functions_.find(invocation.function);
  if (it == functions_.end()) {
    return Status::NotFound("no function \"" + invocation.function +
                            "\" in this app");
  }
  const Registered& reg = it->second;
  Delivery d;
  d.invocation = &invocation;
  if (invocation.decoded != nullptr) {
    // In process: the sender's payload as it is, shared with any retry.
    d.payload = invocation.decoded.get();
  } else {
    auto payload = ParsePayload(invocation.payload);
    if (!payload.ok()) {
      return payload.status().WithContext("function \"" + invocation.function +
                                          "\"");
    }
    d.owned_payload = std::move(payload).value();
    d.payload = &d.owned_payload;
    d.ctx.payload = &invocation.payload;
  }
  if (d.payload->session.empty()) {
    if (!reg.compiled.config.start) {
      return Status::InvalidArgument(
          "function \"" + invocation.function +
          "\": payload has no Session (only the Start function creates one)");
    }
    if (d.payload != &d.owned_payload) d.owned_payload = *d.payload;
    d.owned_payload.session = NewUuid();
    d.payload = &d.owned_payload;
  }
  d.ctx.session = d.payload->session;
  d.ctx.function = invocation.function;
  d.ctx.instance = InstanceNameOf(invocation.function, *d.payload);
  d.ctx.attempt = invocation.attempt;
  d.ctx.step = &d.payload->step;
  d.checkpoints =
      reg.compiled.checkpoints() || d.payload->fan_in || reg.planner != nullptr;
  Status s = Run(reg, d);
  if (s.ok()) {
    ++stats_.instances_done;
  } else if (!d.failure_recorded &&
             invocation.attempt >= platform_->MaxAttempts()) {
    // Not the user code (that path records itself) but the infrastructure
    // failed on the last attempt: the session must still end.
    RecordFailure(d, s);
  }
  if (observer_ != nullptr) ReportDelivery(d, s, start);
  return s;
}

Status Runtime::Run(const Registered& reg, Delivery& d) {
  const std::string& session = d.ctx.session;
  const std::string& instance = d.ctx.instance;

  // 2. No read first: a duplicate delivery runs the user code again and
  // learns at the checkpoint write (step 5), which returns what it lost
  // to, that a previous delivery finished. One datastore write per step.
  json fan_in_input;
  if (!d.from_checkpoint && d.payload->fan_in) {
    // 3. Ingress: a fan-in reads its inputs; an inline value is used as is.
    bool done = false;
    UNUM_RETURN_IF_ERROR(ReadFanInInputs(d, &fan_in_input, &done));
    if (done) return Status::Ok();
  }
  const json& input = d.payload->fan_in ? fan_in_input : d.payload->value;
  if (!d.from_checkpoint) {
    // 4. User code.
    UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kBeforeUserCode, instance));
    ++stats_.user_runs;
    d.user_ran = true;
    Result<json> out = Status::Internal("user function did not run");
    try {
      out = reg.fn(input, d.ctx);
    } catch (const std::exception& e) {
      out = Status::Unknown(e.what());
    } catch (...) {
      out = Status::Unknown("unknown exception");
    }
    if (!out.ok()) {
      ++stats_.user_failures;
      // A duplicate of a finished instance must not record a failure: its
      // committed output stands (read only on this failure path).
      bool finished = false;
      UNUM_RETURN_IF_ERROR(AdoptCommitted(d, &finished));
      if (finished) return Status::Ok();
      if (!d.from_checkpoint) return Fail(d, out.status(), /*retryable=*/true);
    } else {
      d.output = std::move(out).value();
    }
  }
  if (d.user_ran && !d.from_checkpoint) {
    UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kAfterUserCode, instance));
  }

  auto plan = MakePlan(reg, d);
  if (!plan.ok()) return Fail(d, plan.status(), /*retryable=*/false);
  if (plan->retry && !d.from_checkpoint) {
    // A Step Functions Retry: this attempt failed and commits nothing; the
    // next attempt is a new invocation of the same instance, later. Unless
    // this is a duplicate of a finished instance: then its output stands.
    bool finished = false;
    UNUM_RETURN_IF_ERROR(AdoptCommitted(d, &finished));
    if (finished) return Status::Ok();
    if (d.from_checkpoint) {
      plan = MakePlan(reg, d);
      if (!plan.ok()) return Fail(d, plan.status(), /*retryable=*/false);
    }
  }
  if (plan->retry && !d.from_checkpoint) {
    PlannedStep& retry = *plan->retry;
    UNUM_RETURN_IF_ERROR(
        Send(retry.delay, retry.function, std::move(retry.payload)));
    ++stats_.invocations_sent;
    return Status::Ok();
  }

  // 5. Checkpoint with put-if-absent. Losing means another delivery's
  // output is the committed one. Rather than stop and trust that delivery
  // to continue (it may be this very write whose reply was lost), adopt
  // the committed output and continue as a duplicate would: continuations
  // are idempotent, and every consumer sees the committed output.
  if (!d.from_checkpoint && d.checkpoints) {
    const std::string record = EncodeCheckpoint(d.output, plan->GcChildren());
    auto put = WithRetries([&] {
      return store_->PutCheckpoint(session, instance, record, CheckpointTtl());
    });
    if (!put.ok()) return put.status().WithContext(instance);
    if (!put->won) {
      if (put->existing.tombstone()) {
        // Collected already: this instance and its children are done.
        ++stats_.tombstone_hits;
        return Status::Ok();
      }
      if (!put->existing.present()) {
        return Status::Unavailable(instance +
                                   ": checkpoint vanished after a lost race");
      }
      ++stats_.races_lost;
      UNUM_ASSIGN_OR_RETURN(CheckpointRecord r,
                            DecodeCheckpoint(instance, put->existing.value));
      d.output = std::move(r.output);
      d.from_checkpoint = true;
      plan = MakePlan(reg, d);
      if (!plan.ok()) return Fail(d, plan.status(), /*retryable=*/false);
    }
  }
  UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kAfterCheckpoint, instance));

  // 7 before 6: collect parents first. Once this instance is checkpointed
  // its parents are no longer needed, and doing it before continuations
  // means a tombstone on this instance (set by its own children) can only
  // appear after its parents were collected.
  UNUM_RETURN_IF_ERROR(CollectParents(d));
  UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kAfterGc, instance));

  // 6. Continuations.
  if (plan->steps.empty()) return Finish(reg, d, *plan);
  UNUM_RETURN_IF_ERROR(RunContinuations(reg, d, *plan));
  if (plan->GcChildren() == 0 && d.checkpoints && Deletes()) {
    // No child reads this checkpoint (a branch end that left its result
    // in a slot): it collects itself, as a terminal instance does.
    UNUM_RETURN_IF_ERROR(RetryStatus([&] {
      return store_->DeleteCheckpoint(session, instance,
                                      options_.tombstone_ttl);
    }));
    ++stats_.checkpoints_deleted;
  }
  return Status::Ok();
}

Status Runtime::AdoptCommitted(Delivery& d, bool* finished) {
  *finished = false;
  if (!d.checkpoints) return Status::Ok();
  auto lookup = WithRetries(
      [&] { return store_->GetCheckpoint(d.ctx.session, d.ctx.instance); });
  if (!lookup.ok()) return lookup.status().WithContext(d.ctx.instance);
  if (lookup->tombstone()) {
    ++stats_.tombstone_hits;
    *finished = true;
  } else if (lookup->present()) {
    UNUM_ASSIGN_OR_RETURN(CheckpointRecord r,
                          DecodeCheckpoint(d.ctx.instance, lookup->value));
    d.output = std::move(r.output);
    d.from_checkpoint = true;
    ++stats_.checkpoint_hits;
  }
  return Status::Ok();
}

Result<Plan> Runtime::MakePlan(const Registered& reg, const Delivery& d) const {
  if (reg.planner) {
    return reg.planner->PlanFrom(d.output, *d.payload, d.ctx.instance);
  }
  UNUM_ASSIGN_OR_RETURN(
      std::vector<PlannedStep> steps,
      PlanContinuations(reg.compiled, d.output, d.payload->fanout,
                        d.ctx.session, d.ctx.instance));
  Plan plan;
  plan.steps = std::move(steps);
  return plan;
}

Status Runtime::ReadFanInInputs(Delivery& d, json* input, bool* done) {
  const std::string& session = d.ctx.session;
  auto lookups = WithRetries(
      [&] { return store_->GetCheckpoints(session, d.payload->sources); });
  if (!lookups.ok()) return lookups.status().WithContext(d.ctx.instance);
  *input = json::array();
  for (size_t i = 0; i < lookups->size(); ++i) {
    const Lookup& l = (*lookups)[i];
    const std::string& source = d.payload->sources[i];
    if (!l.present()) {
      // A concurrent duplicate of this aggregator may have finished and
      // collected its inputs; then our own checkpoint tells what to do
      // (finished: nothing; committed: finish as a duplicate would).
      UNUM_RETURN_IF_ERROR(AdoptCommitted(d, done));
      if (*done || d.from_checkpoint) return Status::Ok();
      return Status::Internal("fan-in input \"" + source + "\" of \"" +
                              d.ctx.instance + "\" is " +
                              (l.tombstone() ? "already deleted" : "missing"));
    }
    UNUM_ASSIGN_OR_RETURN(CheckpointRecord r,
                          DecodeCheckpoint(source, l.value));
    d.source_children[source] = r.children;
    input->push_back(std::move(r.output));
  }
  d.sources_read = true;
  return Status::Ok();
}

Status Runtime::CollectOne(const std::string& session,
                           const std::string& parent, int64_t children,
                           const std::string& member) {
  if (children > 1) {
    const std::string set = GcSetName(parent);
    auto added =
        WithRetries([&] { return store_->AddToSet(session, set, member); });
    if (!added.ok()) return added.status();
    if (added->closed || added->size < children) return Status::Ok();
  }
  // Last child: the parent's checkpoint is no longer needed. Delete it
  // before its GC set so a crash in between redoes both.
  UNUM_RETURN_IF_ERROR(RetryStatus([&] {
    return store_->DeleteCheckpoint(session, parent, options_.tombstone_ttl);
  }));
  ++stats_.checkpoints_deleted;
  if (children > 1) {
    UNUM_RETURN_IF_ERROR(RetryStatus([&] {
      return store_->DeleteSet(session, GcSetName(parent),
                               options_.tombstone_ttl);
    }));
  }
  return Status::Ok();
}

Status Runtime::CollectParents(Delivery& d) {
  const std::string& session = d.ctx.session;
  if (d.payload->gc) {
    UNUM_RETURN_IF_ERROR(CollectOne(session, d.payload->gc->parent,
                                    d.payload->gc->children, d.ctx.instance));
  }
  if (!d.payload->fan_in) return Status::Ok();
  // With expiry-based GC the branches' checkpoints expire by themselves.
  if (Deletes() && !d.sources_read) {
    // A duplicate that skipped ingress: learn each live source's children.
    auto lookups = WithRetries(
        [&] { return store_->GetCheckpoints(session, d.payload->sources); });
    if (!lookups.ok()) return lookups.status();
    for (size_t i = 0; i < lookups->size(); ++i) {
      if ((*lookups)[i].tombstone()) {
        // Already collected. CollectOne deletes the checkpoint before the
        // GC set, so a crash in between (possibly of this very aggregator)
        // can leave the set behind; finish that here. Safe: a tombstone
        // means every child of that source has checkpointed.
        UNUM_RETURN_IF_ERROR(RetryStatus([&] {
          return store_->DeleteSet(session, GcSetName(d.payload->sources[i]),
                                   options_.tombstone_ttl);
        }));
        continue;
      }
      if (!(*lookups)[i].present()) continue;
      UNUM_ASSIGN_OR_RETURN(
          CheckpointRecord r,
          DecodeCheckpoint(d.payload->sources[i], (*lookups)[i].value));
      d.source_children[d.payload->sources[i]] = r.children;
    }
  }
  if (Deletes()) {
    // A branch whose only child is this aggregator is deleted directly, all
    // of them in one call; a source with other children goes through its
    // GC set.
    std::vector<std::string> only_child;
    for (const auto& [source, children] : d.source_children) {
      if (children <= 1) {
        only_child.push_back(source);
        continue;
      }
      UNUM_RETURN_IF_ERROR(
          CollectOne(session, source, children, d.ctx.instance));
    }
    if (!only_child.empty()) {
      UNUM_RETURN_IF_ERROR(RetryStatus([&] {
        return store_->DeleteCheckpoints(session, only_child,
                                         options_.tombstone_ttl);
      }));
      stats_.checkpoints_deleted += static_cast<int64_t>(only_child.size());
    }
  }
  // The ready set has done its job; later adds (late duplicates) see it
  // closed and do not invoke this aggregator again.
  return RetryStatus([&] {
    return store_->DeleteSet(session, FanInSetName(d.ctx.instance),
                             options_.tombstone_ttl);
  });
}

Status Runtime::Send(std::chrono::milliseconds delay,
                     const std::string& function, Payload&& payload) {
  if (platform_->CarriesDecodedPayloads()) {
    return platform_->InvokeDecoded(
        delay, function, std::make_shared<const Payload>(std::move(payload)));
  }
  json doc = ToJson(std::move(payload));
  return delay.count() > 0
             ? platform_->InvokeAfter(delay, function, std::move(doc))
             : platform_->Invoke(function, std::move(doc));
}

Status Runtime::RunContinuations(const Registered& reg, Delivery& d,
                                 Plan& plan) {
  const std::string& instance = d.ctx.instance;
  int k = 0;
  for (PlannedStep& step : plan.steps) {
    if (step.kind == PlannedStep::Kind::kInvoke) {
      // Sent once: the payload moves out of the plan.
      Payload p = std::move(step.payload);
      if (d.checkpoints && Deletes()) {
        p.gc = GcInfo{instance, plan.GcChildren()};
      }
      UNUM_RETURN_IF_ERROR(Send(step.delay, step.function, std::move(p)));
      ++stats_.invocations_sent;
    } else {
      UNUM_RETURN_IF_ERROR(FanIn(reg.planner.get(), d, step, k));
    }
    ++k;
    UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kAfterContinuation, instance, k));
  }
  return Status::Ok();
}

Status Runtime::FanIn(const ContinuationPlanner* planner, Delivery& d,
                      PlannedStep& step, int k) {
  const std::string& session = d.ctx.session;
  const std::string& instance = d.ctx.instance;
  if (!step.slot.empty()) {
    // The branch's result under a name the aggregator knows in advance.
    // Collected by the aggregator (one child); a lost race means a
    // duplicate wrote the same result.
    const std::string record = EncodeCheckpoint(step.slot_output, 1);
    auto put = WithRetries([&] {
      return store_->PutCheckpoint(session, step.slot, record, CheckpointTtl());
    });
    if (!put.ok()) return put.status().WithContext(instance);
  }
  const std::string& member = step.member.empty() ? instance : step.member;
  auto added = WithRetries(
      [&] { return store_->AddToSet(session, step.ready_set, member); });
  if (!added.ok()) return added.status().WithContext(instance);
  ++stats_.fan_in_adds;
  UNUM_RETURN_IF_ERROR(Fault(ProtocolPoint::kAfterFanInAdd, instance, k));
  if (!step.next_item_origin.empty()) {
    UNUM_RETURN_IF_ERROR(StartDeferredItem(planner, d, step));
  }
  if (!added->closed && added->size >= step.ready_size) {
    // Only the add that completes the set builds the input names.
    Payload p = std::move(step.payload);
    p.sources = FanInSources(step);
    UNUM_RETURN_IF_ERROR(
        Send(std::chrono::milliseconds(0), step.function, std::move(p)));
    ++stats_.invocations_sent;
  }
  return Status::Ok();
}

Status Runtime::StartDeferredItem(const ContinuationPlanner* planner,
                                  const Delivery& d, const PlannedStep& step) {
  const std::string& session = d.ctx.session;
  const std::string& origin = step.next_item_origin;
  auto lookup =
      WithRetries([&] { return store_->GetCheckpoint(session, origin); });
  if (!lookup.ok()) return lookup.status().WithContext(origin);
  // Collected: every item and the join already ran.
  if (!lookup->present()) return Status::Ok();
  UNUM_ASSIGN_OR_RETURN(CheckpointRecord r,
                        DecodeCheckpoint(origin, lookup->value));
  if (!planner) {
    return Status::Internal("a deferred Map item needs a planner");
  }
  UNUM_ASSIGN_OR_RETURN(PlannedStep item,
                        planner->DeferredStep(r.output, origin, *d.payload));
  if (item.function.empty()) return Status::Ok();
  if (Deletes()) {
    item.payload.gc = GcInfo{origin, std::max<int64_t>(r.children, 1)};
  }
  UNUM_RETURN_IF_ERROR(Send(std::chrono::milliseconds(0), item.function,
                            std::move(item.payload)));
  ++stats_.invocations_sent;
  return Status::Ok();
}

Status Runtime::Finish(const Registered& reg, Delivery& d, const Plan& plan) {
  SessionOutcome outcome;
  outcome.succeeded = !plan.failed;
  outcome.result = plan.result ? *plan.result : d.output;
  if (plan.failed) {
    outcome.error = plan.error;
    outcome.cause = plan.cause;
    outcome.message = plan.error + ": " + plan.cause;
    outcome.attempts = d.ctx.attempt;
  }
  outcome.function = d.ctx.function;
  outcome.instance = d.ctx.instance;
  const std::string record = EncodeSessionRecord(outcome);
  auto won = WithRetries(
      [&] { return store_->PutSessionRecordIfAbsent(d.ctx.session, record); });
  if (!won.ok()) return won.status().WithContext(d.ctx.instance);
  if (d.checkpoints && Deletes()) {
    // No child will collect a terminal instance: it collects itself.
    UNUM_RETURN_IF_ERROR(RetryStatus([&] {
      return store_->DeleteCheckpoint(d.ctx.session, d.ctx.instance,
                                      options_.tombstone_ttl);
    }));
    ++stats_.checkpoints_deleted;
  }
  return Status::Ok();
}

Status Runtime::Fail(Delivery& d, const Status& error, bool retryable) {
  d.failure_message = error.message();
  const int max_attempts = platform_->MaxAttempts();
  const bool last = !retryable || d.ctx.attempt >= max_attempts;
  const std::string where = "function \"" + d.ctx.function + "\", instance \"" +
                            d.ctx.instance + "\"";
  if (!retryable) {
    // Deterministic: every redelivery would fail the same way. The session
    // record says why; the delivery itself is finished.
    RecordFailure(d, error);
    return Status::Ok();
  }
  if (last) {
    RecordFailure(d, error);
  } else {
    spdlog::warn("{}: attempt {} of {} failed, will retry: {}", where,
                 d.ctx.attempt, max_attempts, error.message());
  }
  return error.WithContext(where);
}

void Runtime::RecordFailure(Delivery& d, const Status& error) {
  d.failure_recorded = true;
  d.failure_message = error.message();
  const std::string where = "function \"" + d.ctx.function + "\", instance \"" +
                            d.ctx.instance + "\"";
  SessionOutcome outcome;
  outcome.function = d.ctx.function;
  outcome.instance = d.ctx.instance;
  outcome.message = error.message();
  outcome.attempts = d.ctx.attempt;
  auto won = WithRetries([&] {
    return store_->PutSessionRecordIfAbsent(d.ctx.session,
                                            EncodeSessionRecord(outcome));
  });
  if (!won.ok()) {
    spdlog::error("{}: could not record the failure: {}", where,
                  won.status().ToString());
  }
  spdlog::error("{}: failed (attempt {} of {}): {}", where, d.ctx.attempt,
                platform_->MaxAttempts(), error.message());
}

void Runtime::ReportDelivery(const Delivery& d, const Status& s,
                             std::chrono::system_clock::time_point start) {
  DeliveryReport r;
  r.session = d.ctx.session;
  r.function = d.ctx.function;
  r.instance = d.ctx.instance;
  r.attempt = d.ctx.attempt;
  r.start = start;
  r.end = std::chrono::system_clock::now();
  if (!s.ok() || d.failure_recorded) {
    r.outcome = DeliveryOutcome::kFailed;
    r.error = d.failure_message.empty() ? s.message() : d.failure_message;
  } else if (!d.user_ran) {
    r.outcome = DeliveryOutcome::kDuplicateSkipped;
  } else if (d.from_checkpoint) {
    r.outcome = DeliveryOutcome::kLostRace;
  }
  json encoded;  // a decoded fan-in payload's JSON
  if (!d.payload->fan_in) {
    r.input = &d.payload->value;
  } else if (d.invocation->decoded != nullptr) {
    encoded = ToJson(*d.payload);
    r.payload = &encoded;
  } else {
    r.payload = &d.invocation->payload;
  }
  r.sources = d.payload->sources;
  if (d.payload->gc) r.parent = d.payload->gc->parent;
  if (d.user_ran || d.from_checkpoint) r.output = &d.output;
  observer_->OnDelivery(r);
}

const char* DeliveryOutcomeName(DeliveryOutcome outcome) {
  switch (outcome) {
    case DeliveryOutcome::kOk:
      return "ok";
    case DeliveryOutcome::kFailed:
      return "failed";
    case DeliveryOutcome::kDuplicateSkipped:
      return "duplicate_skipped";
    case DeliveryOutcome::kLostRace:
      return "lost_race";
  }
  return "unknown";
}

}  // namespace unum::runtime
