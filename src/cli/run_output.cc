#include "cli/run_output.h"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "common/json_text.h"

namespace unum::cli {

void PrintError(const std::string& what) {
  std::cerr << "unum: error: " << what << "\n";
}

std::string FormatRunStats(const app::RunReport& r, const DatastoreStats& ds,
                           bool resumed) {
  const auto& rt = r.runtime;
  const auto& pf = r.platform;
  return fmt::format(
      "session {}{}\n"
      "  wall time             {:.3f} s\n"
      "  invocations           {} delivered, {} retried, {} gave up\n"
      "  user code runs        {} ({} failed)\n"
      "  duplicates skipped    {} by checkpoint, {} by tombstone, {} lost "
      "race\n"
      "  continuations sent    {} (fan-in adds {})\n"
      "  checkpoints deleted   {}\n"
      "  datastore operations  {} total\n"
      "    get checkpoint      {}\n"
      "    put checkpoint      {}\n"
      "    multi-get           {}\n"
      "    set add             {}\n"
      "    delete checkpoint   {}\n"
      "    delete set          {}\n"
      "    session record      {}\n",
      // A resumed run re-delivers what was pending without new Invoke
      // calls, so it counts the runtime's deliveries.
      r.session, resumed ? " (resumed)" : "", r.seconds,
      resumed ? rt.deliveries : pf.invocations, pf.retries, pf.exhausted,
      rt.user_runs, rt.user_failures, rt.checkpoint_hits, rt.tombstone_hits,
      rt.races_lost, rt.invocations_sent, rt.fan_in_adds,
      rt.checkpoints_deleted,
      ds.get_checkpoint + ds.put_checkpoint + ds.get_checkpoints + ds.set_add +
          ds.delete_checkpoint + ds.delete_set + ds.session_record,
      ds.get_checkpoint, ds.put_checkpoint, ds.get_checkpoints, ds.set_add,
      ds.delete_checkpoint, ds.delete_set, ds.session_record);
}

int PrintOutcome(const app::RunReport& report, bool compact) {
  const auto& outcome = report.outcome;
  if (!outcome.succeeded && !outcome.error.empty()) {
    // A state machine's error: its name and cause, as Step Functions says.
    PrintError(fmt::format("workflow failed: {}: {} (in \"{}\")", outcome.error,
                           outcome.cause, outcome.instance));
    return kExitWorkflowFailed;
  }
  if (!outcome.succeeded) {
    PrintError(fmt::format(
        "workflow failed in function \"{}\" (instance "
        "\"{}\", after {} attempt(s)): {}",
        outcome.function, outcome.instance, outcome.attempts, outcome.message));
    return kExitWorkflowFailed;
  }
  std::cout << ToJsonText(outcome.result, compact ? -1 : 2) << "\n";
  return kExitOk;
}

}  // namespace unum::cli
