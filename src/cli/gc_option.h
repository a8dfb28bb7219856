// The `--gc delete|expire` option that `unum run` and `unum cost` share:
// it overrides the app's Globals.GarbageCollection for one run.
#ifndef UNUM_CLI_GC_OPTION_H_
#define UNUM_CLI_GC_OPTION_H_

#include <CLI/CLI.hpp>
#include <string>

#include "app/app.h"
#include "runtime/runtime.h"

namespace unum::cli {

// Adds `--gc` to `cmd`; CLI11 accepts only "delete" and "expire".
void AddGcOption(CLI::App* cmd, std::string* flag);

// The run's policy: `flag` when given, else the app's.
runtime::GcPolicy GcPolicyOf(const app::App& app, const std::string& flag);

}  // namespace unum::cli

#endif  // UNUM_CLI_GC_OPTION_H_
