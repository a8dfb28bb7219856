// The workflow of an app as a Graphviz DOT graph: one node per function
// (the start function drawn with a double border), one edge per IR edge.
// Edge kinds are drawn distinctly:
//
//   chain        A -> B                       plain
//   parallel     several unconditional Scalar edges out of one function: bold
//   map          label "*", green
//   fan-in       dashed, blue, arrowhead "inv"
//   conditional  the condition text as the label, orange
//
// Nodes carry id="fn_<Name>" so an SVG rendering can be addressed (the web
// view uses this). Optional decorations colour nodes and add a note under
// the name (the web view: instance status and map widths).
//
// Pure functions of their arguments; thread-safe.
#ifndef UNUM_GRAPH_GRAPH_DOT_H_
#define UNUM_GRAPH_GRAPH_DOT_H_

#include <map>
#include <string>

#include "app/app.h"

namespace unum::graph {

struct NodeDecoration {
  std::string fill_color;  // e.g. "#c8e6c9"; empty: no fill
  std::string note;        // second label line, e.g. "3/3 done"
};

// Function name -> decoration; functions not listed are drawn plain.
using Decorations = std::map<std::string, NodeDecoration>;

std::string AppToDot(const app::App& app, const Decorations& decorations = {});

// Quotes `text` as a DOT string literal ("..." with \" and \\ escaped).
std::string DotQuote(const std::string& text);

}  // namespace unum::graph

#endif  // UNUM_GRAPH_GRAPH_DOT_H_
