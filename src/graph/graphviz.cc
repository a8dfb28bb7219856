#include "graph/graphviz.h"

#include "common/subprocess.h"

namespace unum::graph {

Result<std::string> RenderDot(const std::string& dot_text,
                              const std::string& format,
                              const std::string& dot_program) {
  auto run = RunProcess({dot_program, "-T" + format}, dot_text);
  if (!run.ok()) {
    if (run.status().IsNotFound()) {
      return Status::FailedPrecondition(
          "Graphviz `" + dot_program +
          "` is not installed (Debian: apt-get install graphviz); "
          "--format dot needs no Graphviz");
    }
    return run.status();
  }
  if (run->exit_code != 0) {
    std::string err = run->err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Status::Internal(
        "`" + dot_program + " -T" + format + "` failed: " +
        (err.empty() ? "exit status " + std::to_string(run->exit_code) : err));
  }
  return std::move(run->out);
}

}  // namespace unum::graph
