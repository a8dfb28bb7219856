// What the `unum` subcommands print: errors, the `--stats` report of `unum
// run` and `unum resume` (invocations, user code runs, duplicates skipped,
// datastore operations by kind), and a finished workflow's outcome.
#ifndef UNUM_CLI_RUN_OUTPUT_H_
#define UNUM_CLI_RUN_OUTPUT_H_

#include <string>

#include "app/runner.h"
#include "unum/datastore.h"

namespace unum::cli {

// Reads a run's input JSON from file `path`, or stdin for "-" (errors name
// the file).
Result<nlohmann::json> ReadInput(const std::string& path);

// "unum: error: <what>" on stderr.
void PrintError(const std::string& what);

// The report as text (several lines). `resumed` marks a `unum resume`.
std::string FormatRunStats(const app::RunReport& report,
                           const DatastoreStats& ds, bool resumed);

// Prints the result as JSON on stdout (compact: one line) and returns
// kExitOk, or prints why the workflow failed and returns
// kExitWorkflowFailed.
int PrintOutcome(const app::RunReport& report, bool compact);

}  // namespace unum::cli

#endif  // UNUM_CLI_RUN_OUTPUT_H_
