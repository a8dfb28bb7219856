// The shared --gc option: see gc_option.h.
#include "cli/gc_option.h"

namespace unum::cli {

void AddGcOption(CLI::App* cmd, std::string* flag) {
  cmd->add_option("--gc", *flag,
                  "Garbage collection: delete (children delete their "
                  "parent's checkpoint) or expire (checkpoints expire "
                  "after 7 h; one write per step) (default: "
                  "Globals.GarbageCollection, else delete)")
      ->check(CLI::IsMember({"delete", "expire"}));
}

runtime::GcPolicy GcPolicyOf(const app::App& app, const std::string& flag) {
  if (flag.empty()) return app.gc;
  auto policy = runtime::ParseGcPolicy(flag, "--gc");
  return policy.ok() ? *policy : app.gc;  // CLI11 admitted only valid names
}

}  // namespace unum::cli
