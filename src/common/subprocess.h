// Runs a program as a child process (posix_spawnp, never a shell), feeds
// `input` to its stdin and collects its stdout and stderr.
//
// Thread-safety: may be called from many threads at once.
#ifndef UNUM_COMMON_SUBPROCESS_H_
#define UNUM_COMMON_SUBPROCESS_H_

#include <string>
#include <vector>

#include "unum/status.h"

namespace unum {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::string working_dir;  // empty: this process's
  // The child's whole environment ("NAME=value"); empty: this process's.
  std::vector<std::string> env;
};

// kNotFound when argv[0] cannot be started (not on PATH / not executable);
// any exit code is a value in the result.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const std::string& input,
                                 const ProcessOptions& options = {});

}  // namespace unum

#endif  // UNUM_COMMON_SUBPROCESS_H_
