// Renders DOT text with Graphviz's `dot` program (Debian package graphviz),
// run as a child process with the DOT on its stdin.
#ifndef UNUM_GRAPH_GRAPHVIZ_H_
#define UNUM_GRAPH_GRAPHVIZ_H_

#include <string>

#include "unum/status.h"

namespace unum::graph {

// `format` is a `dot -T` format ("svg", "png"). kFailedPrecondition with an
// install hint when `dot` is not on PATH; kInternal with dot's stderr when
// it rejects the graph. `dot_program` is for tests (default: "dot").
Result<std::string> RenderDot(const std::string& dot_text,
                              const std::string& format,
                              const std::string& dot_program = "dot");

}  // namespace unum::graph

#endif  // UNUM_GRAPH_GRAPHVIZ_H_
