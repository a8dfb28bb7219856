#include "sim/simulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "datastore/memory/memory_datastore.h"
#include "runtime/payload.h"
#include "runtime/runtime.h"
#include "sim/fault_datastore.h"
#include "sim/invariants.h"
#include "sim/rng.h"
#include "sim/sim_platform.h"
#include "sim/tagging.h"

namespace unum::sim {

using nlohmann::json;

namespace {

// Independent random streams of one seed.
enum Stream : uint64_t {
  kProfileStream = 0,
  kFaultStream = 1,
  kPlatformStream = 2,
  kNonceStream = 3,
  kInputStream = 4,
};

}  // namespace

const char* PayloadModeName(bool decoded_payloads) {
  return decoded_payloads ? "decoded" : "json";
}

RunResult RunSimulation(const Workflow& wf, uint64_t seed,
                        const SimConfig& config) {
  RunResult result;
  result.seed = seed;
  result.workflow = wf.name;
  result.decoded_payloads = config.decoded_payloads;

  // The run's fault profile: each kind from "off" to "heavy", so runs
  // range from calm to stormy and every combination is explored.
  Rng profile = Rng::Stream(seed, kProfileStream);
  FaultOptions fault_options;
  static constexpr double kUnavailable[] = {0, 0.02, 0.05, 0.1};
  static constexpr double kReplyLost[] = {0, 0.02, 0.05};
  static constexpr double kCrash[] = {0, 0.1, 0.25, 0.4};
  static constexpr double kDuplicate[] = {0, 0.1, 0.3};
  static constexpr double kDelayedDuplicate[] = {0, 0.05, 0.15};
  static constexpr double kDelay[] = {0, 0.3, 0.7};
  static constexpr double kInvokeUnavailable[] = {0, 0.02, 0.05};
  fault_options.unavailable = profile.Pick(kUnavailable);
  fault_options.reply_lost = profile.Pick(kReplyLost);
  SimOptions sim_options;
  sim_options.crash = profile.Pick(kCrash);
  sim_options.duplicate = profile.Pick(kDuplicate);
  sim_options.delayed_duplicate = profile.Pick(kDelayedDuplicate);
  sim_options.delay = profile.Pick(kDelay);
  sim_options.invoke_unavailable = profile.Pick(kInvokeUnavailable);
  sim_options.record_trace = config.record_trace;
  sim_options.decoded_payloads = config.decoded_payloads;
  sim_options.mutate_decoded = config.mutate_decoded;
  const int late_duplicates = static_cast<int>(profile.Range(1, 3));
  result.profile = fmt::format(
      "unavailable={} reply_lost={} crash={} duplicate={} "
      "delayed_duplicate={} delay={} invoke_unavailable={} late={}",
      fault_options.unavailable, fault_options.reply_lost, sim_options.crash,
      sim_options.duplicate, sim_options.delayed_duplicate, sim_options.delay,
      sim_options.invoke_unavailable, late_duplicates);

  VirtualClock clock;
  MemoryDatastore memory([&clock] { return clock.Now(); });
  RecordingDatastore recorded(&memory);
  FaultDatastore faults(&recorded, Rng::Stream(seed, kFaultStream).Next(),
                        fault_options);
  SimPlatform platform(Rng::Stream(seed, kPlatformStream).Next(), sim_options,
                       &clock, &faults);

  runtime::RuntimeOptions runtime_options;
  runtime_options.datastore_backoff = std::chrono::milliseconds(0);
  if (config.tombstone_ttl)
    runtime_options.tombstone_ttl = *config.tombstone_ttl;
  runtime_options.gc = config.gc;
  const bool expiring = config.gc == runtime::GcPolicy::kExpire;
  runtime::Runtime rt(&faults, &platform, runtime_options);
  rt.SetFaultHook(platform.FaultHook());

  RunLog log;
  Rng nonces = Rng::Stream(seed, kNonceStream);
  for (const ir::FunctionConfig& original : wf.functions) {
    ir::FunctionConfig config_copy = original;
    if (config.checkpoint_off) config_copy.checkpoint = false;
    auto code = wf.code.find(original.name);
    if (code == wf.code.end()) {
      result.violations.push_back("setup: no code for function " +
                                  original.name);
      return result;
    }
    runtime::UserFunction real = code->second;
    auto planner = wf.planners.find(original.name);
    const bool state_machine = wf.state_machine;
    Status added = rt.AddFunction(
        config_copy,
        [&platform, &log, &nonces, real, state_machine](
            const json& input, Context& ctx) -> Result<json> {
          const Delivery* d = platform.current();
          Execution e = d != nullptr ? RunLog::FromDelivery(*d) : Execution{};
          e.instance = ctx.instance;
          e.input = input;
          // A state machine's functions return envelopes the planner reads:
          // they run untagged (a second commit is still caught by
          // invariant 3).
          Result<json> out = real(state_machine ? input : Untag(input), ctx);
          if (!out.ok()) {
            log.Add(std::move(e));
            return out;
          }
          e.ok = true;
          e.output = state_machine ? *out
                                   : Tag(*out, ctx.instance,
                                         fmt::format("{:016x}", nonces.Next()));
          json returned = e.output;
          log.Add(std::move(e));
          return returned;
        },
        planner == wf.planners.end() ? nullptr : planner->second);
    if (!added.ok()) {
      result.violations.push_back("setup: " + added.ToString());
      return result;
    }
  }
  platform.SetHandler(
      [&rt](const Invocation& invocation) { return rt.Handle(invocation); });

  Rng input_rng = Rng::Stream(seed, kInputStream);
  const json input = wf.make_input(input_rng);
  const std::string session = fmt::format("sim-{:016x}", seed);
  platform.Submit(wf.start, runtime::StartPayload(input, session));
  platform.RunUntilIdle();

  // Quiescent: the session must be finished and fully collected.
  std::optional<std::string> record_before;
  if (auto rec = memory.GetSessionRecord(session); rec.ok() && rec->present()) {
    record_before = rec->value;
  }
  result.violations = CheckOnlyTombstones(
      &memory, session, "at quiescence, before the late duplicates", expiring);
  std::map<std::string, size_t> commits_before_late;
  for (const auto& [instance, values] : recorded.commits()) {
    commits_before_late[instance] = values.size();
  }
  if (!record_before) {
    result.violations.push_back(
        "no session record at quiescence: the workflow did not finish before "
        "the late duplicates");
  }

  // Late duplicates: after everything was collected, within the
  // platform's maximum event age.
  platform.InjectLateDuplicates(late_duplicates);
  platform.RunUntilIdle();

  CheckInput check;
  check.session = session;
  check.workflow_input = input;
  check.expected = wf.expected ? wf.expected(input) : std::nullopt;
  check.recorded = &recorded;
  check.log = &log;
  check.platform = &platform;
  check.store_calls_after_crash = faults.counts().calls_after_crash;
  check.store = &memory;
  check.record_before_late = record_before;
  check.commits_before_late = std::move(commits_before_late);
  check.expiring_checkpoints = expiring;
  check.state_machine = wf.state_machine;
  const std::vector<std::string> at_quiescence = result.violations;
  for (std::string& v : CheckRun(check)) {
    // A leak already reported at quiescence is not reported twice.
    static const std::string kEnd = "leak at the end of the run";
    if (v.rfind(kEnd, 0) == 0) {
      const std::string same =
          "leak at quiescence, before the late duplicates" +
          v.substr(kEnd.size());
      if (std::find(at_quiescence.begin(), at_quiescence.end(), same) !=
          at_quiescence.end()) {
        continue;
      }
    }
    result.violations.push_back(std::move(v));
  }

  const SimCounts& pc = platform.counts();
  const FaultCounts& fc = faults.counts();
  auto& f = result.faults;
  f["datastore.unavailable"] = fc.unavailable;
  f["datastore.reply-lost"] = fc.reply_lost;
  f["invoke.unavailable"] = pc.invoke_unavailable;
  f["delay"] = pc.delays;
  f["duplicate.concurrent"] = pc.duplicates;
  f["duplicate.delayed"] = pc.delayed_duplicates;
  f["duplicate.late"] = pc.late_duplicates;
  for (int i = 0; i < kNumCrashPoints; ++i) {
    f[std::string("crash.") + CrashPointName(static_cast<CrashPoint>(i))] =
        pc.crashes[i];
  }
  f["crash.mid-gc"] += fc.crash_mid_gc;
  f["crash.after-datastore-op"] += fc.crash_after_op;

  const runtime::RuntimeStats rs = rt.stats();
  auto& w = result.work;
  w["deliveries"] = pc.deliveries;
  w["deliveries.failed"] = pc.failed_attempts;
  w["platform.retries"] = pc.retries;
  w["user-code.runs"] = static_cast<int64_t>(log.executions().size());
  w["runtime.checkpoint-hits"] = rs.checkpoint_hits;
  w["runtime.tombstone-hits"] = rs.tombstone_hits;
  w["runtime.races-lost"] = rs.races_lost;
  w["datastore.operations"] = fc.operations;
  w["scheduler.steps"] = pc.steps;
  w["virtual.ms"] = clock.now_us / 1000;
  w["invocations.decoded"] = platform.decoded_invocations();
  result.trace_hash = platform.trace_hash();
  if (config.record_trace) result.trace = platform.trace();
  return result;
}

}  // namespace unum::sim
