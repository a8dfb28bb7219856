// The syntax tree of a JSONata expression.
//
// The parser builds a raw tree whose binary nodes still hold the path
// operators (`.`, `[`, `{`, `^`, `@`, `#`); ProcessTree (ast_process.cc)
// turns it into the tree the evaluator walks: paths with steps, stages
// and tuple bindings, parent slots resolved, tail calls marked. Nodes are
// immutable after processing and shared by concurrent evaluations.
#ifndef UNUM_JSONATA_AST_H_
#define UNUM_JSONATA_AST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jsonata/value.h"

namespace unum::jsonata {

class Regex;
class Signature;
struct Node;
using NodePtr = std::unique_ptr<Node>;

enum class NodeType {
  kString,
  kNumber,
  kValue,  // true, false, null
  kRegex,
  kName,
  kVariable,
  kWildcard,
  kDescendant,
  kParent,
  kPlaceholder,  // `?` in a partial application
  kUnary,        // `-` (value "-"), array constructor ("["), object ("{")
  kBinary,       // operators; before processing also . [ { ^ @ # :=
  kPath,
  kSort,
  kCondition,
  kBlock,
  kBind,
  kApply,  // ~>
  kFunction,
  kPartial,
  kLambda,
  kTransform,
};

// What a `%` refers to: the input of the step labelled with it, `level`
// steps up from where it is used (resolved by ProcessTree).
struct ParentSlot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct Stage {
  enum class Kind { kFilter, kIndex };
  Kind kind = Kind::kFilter;
  NodePtr expr;     // kFilter
  std::string var;  // kIndex: the `#$var` name
  int position = 0;
};

struct SortTerm {
  bool descending = false;
  NodePtr expr;
};

struct Node {
  NodeType type;
  int position = 0;   // byte offset just after the node's token
  std::string value;  // operator, name, variable name or string literal
  Value literal;      // kString, kNumber, kValue
  NodePtr lhs, rhs;   // kBinary, kBind, kApply; kUnary "-" uses lhs
  std::vector<NodePtr> items;  // path steps, block and array items,
                               // call arguments, lambda parameters
  std::vector<std::pair<NodePtr, NodePtr>> pairs;  // object constructor
  NodePtr procedure;                               // kFunction, kPartial
  NodePtr body;                                    // kLambda
  NodePtr condition, then, otherwise;              // kCondition
  NodePtr pattern, update, deletion;               // kTransform
  std::vector<SortTerm> terms;                     // kSort and the raw `^`
  std::vector<Stage> stages;        // filters and `#` of a path step
  std::vector<NodePtr> predicates;  // filters of a non-step node
  // Grouping `{...}` after the node: pairs and the `{` position.
  std::unique_ptr<std::vector<std::pair<NodePtr, NodePtr>>> group;
  int group_position = 0;
  std::string focus;                     // `@$var` on a step
  std::string index_var;                 // `#$var` on a step without stages
  std::shared_ptr<ParentSlot> ancestor;  // label bound by this step
  std::shared_ptr<ParentSlot> slot;      // kParent
  std::vector<std::shared_ptr<ParentSlot>> seeking_parent;
  std::shared_ptr<const Signature> signature;  // kLambda
  std::shared_ptr<const Regex> regex;          // kRegex
  bool tuple = false;                          // step or path binds tuples
  bool keep_array = false;                     // `[]` after the node
  bool keep_singleton_array = false;           // path: a step had `[]`
  bool cons_array = false;  // array constructor as a path step
  bool thunk = false;       // kLambda: a tail call to trampoline
  int height = 1;           // of the raw tree (parser's bound)

  Node(NodeType t, int pos) : type(t), position(pos) {}
};

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_AST_H_
