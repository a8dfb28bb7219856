// The Unum IR: one small configuration per function (reference file name
// `unum_config.json`), holding only node-local knowledge: the function's
// name, whether it starts the workflow, whether it checkpoints, and its
// outgoing edges. See docs/ir.md for the full language.
//
// These are plain value types as read from the file; expressions are kept
// as source text here and compiled by the runtime.
#ifndef UNUM_IR_H_
#define UNUM_IR_H_

#include <string>
#include <vector>

namespace unum::ir {

enum class InputType { kScalar, kMap, kFanIn };

// One outgoing edge.
struct Edge {
  std::string name;                      // the next function's Name
  InputType input_type = InputType::kScalar;
  std::vector<std::string> values;       // Fan-in only: ordered name templates
  std::string conditional;               // empty = always taken
  std::vector<std::string> modifiers;    // "Payload Modifiers" of this edge
};

struct FunctionConfig {
  std::string name;
  bool start = false;
  bool checkpoint = true;
  std::vector<Edge> next;
  // "Next Payload Modifiers": applied to every edge, before the edge's own.
  std::vector<std::string> modifiers;
  std::string source_file;  // where it was read from, for error messages
};

}  // namespace unum::ir

#endif  // UNUM_IR_H_
