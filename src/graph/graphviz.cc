#include "graph/graphviz.h"

#include "common/child_process.h"

namespace unum::graph {

Result<std::string> RenderDot(const std::string& dot_text,
                              const std::string& format,
                              const std::string& dot_program) {
  ChildRun io;
  io.input = dot_text;
  // A graph that takes Graphviz longer is not worth a hung page.
  io.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto run = RunChild(ChildSpec{.argv = {dot_program, "-T" + format}}, io);
  if (!run.ok()) {
    if (run.status().IsNotFound()) {
      return Status::FailedPrecondition(
          "Graphviz `" + dot_program +
          "` is not installed (Debian: apt-get install graphviz); "
          "--format dot needs no Graphviz");
    }
    return run.status();
  }
  if (run->ended == ChildResult::Ended::kTimedOut) {
    return Status::DeadlineExceeded("`" + dot_program + " -T" + format +
                                    "` did not finish within 60 s");
  }
  if (!run->exit.ok()) {
    std::string err = run->err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Status::Internal("`" + dot_program + " -T" + format + "` failed: " +
                            (err.empty() ? run->exit.ToString() : err));
  }
  return std::move(run->out);
}

}  // namespace unum::graph
