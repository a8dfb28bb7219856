// The `--stats` report of `unum run` and `unum resume`: invocations, user
// code runs, duplicates skipped and datastore operations by kind.
#ifndef UNUM_CLI_RUN_STATS_H_
#define UNUM_CLI_RUN_STATS_H_

#include <string>

#include "app/runner.h"
#include "unum/datastore.h"

namespace unum::cli {

// The report as text (several lines). `resumed` marks a `unum resume`.
std::string FormatRunStats(const app::RunReport& report,
                           const DatastoreStats& ds, bool resumed);

}  // namespace unum::cli

#endif  // UNUM_CLI_RUN_STATS_H_
