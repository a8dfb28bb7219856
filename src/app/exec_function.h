// `Runtime: exec` functions: any executable. The input JSON goes to its
// stdin, its stdout must be the output JSON; a non-zero exit (or a signal)
// is a failed invocation whose message is the process's stderr.
//
// The command (template Properties.Handler) is split on whitespace into
// argv and run directly, never through a shell; a relative program path is
// resolved against the function's CodeUri, which is also its working
// directory. The invocation context is in the environment: UNUM_SESSION,
// UNUM_FUNCTION, UNUM_INSTANCE, UNUM_ATTEMPT.
//
// Thread-safety: Run may be called from many threads at once.
#ifndef UNUM_APP_EXEC_FUNCTION_H_
#define UNUM_APP_EXEC_FUNCTION_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "unum/function.h"
#include "unum/status.h"

namespace unum::app {

class ExecFunction {
 public:
  // Errors when the command is empty or the program does not exist.
  static Result<ExecFunction> Create(const std::string& command,
                                     const std::string& working_dir);

  Result<nlohmann::json> Run(const nlohmann::json& input,
                             const Context& ctx) const;

 private:
  std::vector<std::string> argv_;
  std::string working_dir_;
};

}  // namespace unum::app

#endif  // UNUM_APP_EXEC_FUNCTION_H_
