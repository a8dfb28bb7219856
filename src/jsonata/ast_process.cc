// ProcessTree: from the raw parse tree to the tree the evaluator walks.
//
// `a.b.c` becomes one path node with steps; a predicate on a path step
// becomes a stage of that step (applied per step context), on any other
// node a predicate of the node (applied to its whole result); `^(...)`
// becomes a sort step; `@$v` and `#$v` mark their step as binding tuples.
// Each `%` gets a slot that names the step whose input it refers to: the
// step `level` navigation steps before it, found by walking back through
// the path (SeekParent). Tail calls in lambda bodies become thunks.
#include <algorithm>

#include "jsonata/error.h"
#include "jsonata/parser.h"

namespace unum::jsonata {
namespace {

// The node type names jsonata reports in S0217.
std::string TypeName(const Node& n) {
  switch (n.type) {
    case NodeType::kPath:
      return "path";
    case NodeType::kVariable:
      return "variable";
    case NodeType::kBlock:
      return "block";
    case NodeType::kUnary:
      return "unary";
    case NodeType::kBinary:
      return "binary";
    case NodeType::kFunction:
      return "function";
    case NodeType::kParent:
      return "parent";
    default:
      return "expression";
  }
}

class Processor {
 public:
  NodePtr Process(NodePtr n) {
    switch (n->type) {
      case NodeType::kBinary:
        if (n->value == ".") return Path(std::move(n));
        if (n->value == "[") return Predicate(std::move(n));
        if (n->value == "{") return Group(std::move(n));
        if (n->value == "^") return OrderBy(std::move(n));
        if (n->value == "@") return Focus(std::move(n));
        if (n->value == "#") return IndexBinding(std::move(n));
        if (n->value == "~>") {
          n->type = NodeType::kApply;
          n->lhs = Process(std::move(n->lhs));
          n->rhs = Process(std::move(n->rhs));
          n->keep_array = n->lhs->keep_array || n->rhs->keep_array;
          PushAncestry(*n, *n->lhs);
          PushAncestry(*n, *n->rhs);
          return n;
        }
        n->lhs = Process(std::move(n->lhs));
        n->rhs = Process(std::move(n->rhs));
        PushAncestry(*n, *n->lhs);
        PushAncestry(*n, *n->rhs);
        return n;
      case NodeType::kBind:
        n->lhs = Process(std::move(n->lhs));
        n->rhs = Process(std::move(n->rhs));
        PushAncestry(*n, *n->rhs);
        return n;
      case NodeType::kUnary:
        return Unary(std::move(n));
      case NodeType::kFunction:
      case NodeType::kPartial:
        n->procedure = Process(std::move(n->procedure));
        for (NodePtr& arg : n->items) {
          arg = Process(std::move(arg));
          PushAncestry(*n, *arg);
        }
        return n;
      case NodeType::kLambda:
        n->body = TailCallOptimize(Process(std::move(n->body)));
        return n;
      case NodeType::kCondition:
        n->condition = Process(std::move(n->condition));
        PushAncestry(*n, *n->condition);
        n->then = Process(std::move(n->then));
        PushAncestry(*n, *n->then);
        if (n->otherwise) {
          n->otherwise = Process(std::move(n->otherwise));
          PushAncestry(*n, *n->otherwise);
        }
        return n;
      case NodeType::kTransform:
        n->pattern = Process(std::move(n->pattern));
        n->update = Process(std::move(n->update));
        if (n->deletion) n->deletion = Process(std::move(n->deletion));
        return n;
      case NodeType::kBlock:
        for (NodePtr& item : n->items) {
          item = Process(std::move(item));
          PushAncestry(*n, *item);
          if (item->cons_array ||
              (item->type == NodeType::kPath && item->items[0]->cons_array)) {
            n->cons_array = true;
          }
        }
        return n;
      case NodeType::kName: {
        auto path = std::make_unique<Node>(NodeType::kPath, n->position);
        path->keep_singleton_array = n->keep_array;
        path->items.push_back(std::move(n));
        return path;
      }
      case NodeType::kParent:
        n->slot = std::make_shared<ParentSlot>();
        n->slot->label = "!" + std::to_string(next_label_++);
        n->slot->index = next_index_++;
        return n;
      default:
        return n;
    }
  }

 private:
  // A node that becomes a path step: its predicates apply per step.
  static void PredicatesToStages(Node& step, int position) {
    for (NodePtr& p : step.predicates) {
      Stage stage;
      stage.expr = std::move(p);
      stage.position = position;
      step.stages.push_back(std::move(stage));
    }
    step.predicates.clear();
  }

  static void PushAncestry(Node& result, const Node& value) {
    for (const auto& slot : value.seeking_parent) {
      if (slot->level > 0) result.seeking_parent.push_back(slot);
    }
    if (value.type == NodeType::kParent) {
      result.seeking_parent.push_back(value.slot);
    }
  }

  // Walks back from `node` by slot->level navigation steps; the step
  // reached records its input under the slot's label.
  static void SeekParent(Node& node, const std::shared_ptr<ParentSlot>& slot) {
    switch (node.type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        if (--slot->level == 0) {
          if (node.ancestor) slot->label = node.ancestor->label;
          node.ancestor = slot;
          node.tuple = true;
        }
        return;
      case NodeType::kParent:
        ++slot->level;
        return;
      case NodeType::kBlock:
        if (!node.items.empty()) {
          node.tuple = true;
          SeekParent(*node.items.back(), slot);
        }
        return;
      case NodeType::kPath: {
        node.tuple = true;
        int i = static_cast<int>(node.items.size()) - 1;
        SeekParent(*node.items[i--], slot);
        while (slot->level > 0 && i >= 0) SeekParent(*node.items[i--], slot);
        return;
      }
      default:
        throw JsonataError("S0217", node.position).Token(TypeName(node));
    }
  }

  static void ResolveAncestry(Node& path) {
    Node& last = *path.items.back();
    std::vector<std::shared_ptr<ParentSlot>> slots = last.seeking_parent;
    if (last.type == NodeType::kParent) slots.push_back(last.slot);
    for (const auto& slot : slots) {
      int i = static_cast<int>(path.items.size()) - 2;
      while (slot->level > 0) {
        if (i < 0) {
          path.seeking_parent.push_back(slot);
          break;
        }
        Node* step = path.items[i--].get();
        // Consecutive steps that bind the focus do not move the context.
        while (i >= 0 && !step->focus.empty() &&
               !path.items[i]->focus.empty()) {
          step = path.items[i--].get();
        }
        SeekParent(*step, slot);
      }
    }
  }

  NodePtr Path(NodePtr raw) {
    NodePtr lstep = Process(std::move(raw->lhs));
    NodePtr path;
    if (lstep->type == NodeType::kPath) {
      path = std::move(lstep);
    } else {
      path = std::make_unique<Node>(NodeType::kPath, raw->position);
      if (lstep->type == NodeType::kParent) {
        path->seeking_parent.push_back(lstep->slot);
      }
      path->items.push_back(std::move(lstep));
    }
    NodePtr rest = Process(std::move(raw->rhs));
    if (rest->type == NodeType::kPath) {
      for (NodePtr& step : rest->items) path->items.push_back(std::move(step));
    } else {
      PredicatesToStages(*rest, rest->position);
      path->items.push_back(std::move(rest));
    }
    for (NodePtr& step : path->items) {
      if (step->type == NodeType::kNumber || step->type == NodeType::kValue) {
        throw JsonataError("S0213", step->position).With(step->literal);
      }
      if (step->type == NodeType::kString) step->type = NodeType::kName;
      if (step->keep_array) path->keep_singleton_array = true;
    }
    Node& first = *path->items.front();
    if (first.type == NodeType::kUnary && first.value == "[") {
      first.cons_array = true;
    }
    Node& last = *path->items.back();
    if (last.type == NodeType::kUnary && last.value == "[") {
      last.cons_array = true;
    }
    ResolveAncestry(*path);
    return path;
  }

  NodePtr Predicate(NodePtr raw) {
    NodePtr result = Process(std::move(raw->lhs));
    bool in_path = result->type == NodeType::kPath;
    Node& step = in_path ? *result->items.back() : *result;
    if (step.group) throw JsonataError("S0209", raw->position);
    NodePtr predicate = Process(std::move(raw->rhs));
    // Only slots sought from inside the predicate (not a bare `%`, which
    // jsonata leaves unresolved) are resolved here.
    if (!predicate->seeking_parent.empty()) {
      for (const auto& slot : predicate->seeking_parent) {
        if (slot->level == 1) {
          SeekParent(step, slot);
        } else if (slot->level > 1) {
          --slot->level;
        }
      }
      PushAncestry(step, *predicate);
    }
    if (in_path) {
      Stage stage;
      stage.expr = std::move(predicate);
      stage.position = raw->position;
      step.stages.push_back(std::move(stage));
    } else {
      step.predicates.push_back(std::move(predicate));
    }
    return result;
  }

  NodePtr Group(NodePtr raw) {
    NodePtr result = Process(std::move(raw->lhs));
    if (result->group) throw JsonataError("S0210", raw->position);
    result->group =
        std::make_unique<std::vector<std::pair<NodePtr, NodePtr>>>();
    // As in jsonata, a `%` inside a grouping is not resolved (it finds
    // nothing at run time) and raises no error.
    for (auto& [k, v] : raw->pairs) {
      NodePtr key = Process(std::move(k));
      NodePtr value = Process(std::move(v));
      result->group->emplace_back(std::move(key), std::move(value));
    }
    result->group_position = raw->position;
    return result;
  }

  NodePtr OrderBy(NodePtr raw) {
    NodePtr result = Process(std::move(raw->lhs));
    if (result->type != NodeType::kPath) {
      auto path = std::make_unique<Node>(NodeType::kPath, raw->position);
      path->items.push_back(std::move(result));
      result = std::move(path);
    }
    auto sort = std::make_unique<Node>(NodeType::kSort, raw->position);
    for (SortTerm& term : raw->terms) {
      term.expr = Process(std::move(term.expr));
      PushAncestry(*sort, *term.expr);
      sort->terms.push_back(std::move(term));
    }
    result->items.push_back(std::move(sort));
    ResolveAncestry(*result);
    return result;
  }

  NodePtr Focus(NodePtr raw) {
    NodePtr result = Process(std::move(raw->lhs));
    Node& step =
        result->type == NodeType::kPath ? *result->items.back() : *result;
    if (!step.stages.empty() || !step.predicates.empty()) {
      throw JsonataError("S0215", raw->position);
    }
    if (step.type == NodeType::kSort) {
      throw JsonataError("S0216", raw->position);
    }
    if (raw->keep_array) step.keep_array = true;
    step.focus = raw->rhs->value;
    step.tuple = true;
    return result;
  }

  NodePtr IndexBinding(NodePtr raw) {
    NodePtr result = Process(std::move(raw->lhs));
    Node* step = result.get();
    if (result->type == NodeType::kPath) {
      step = result->items.back().get();
    } else {
      auto path = std::make_unique<Node>(NodeType::kPath, raw->position);
      PredicatesToStages(*step, raw->position);
      path->items.push_back(std::move(result));
      result = std::move(path);
    }
    if (step->stages.empty()) {
      step->index_var = raw->rhs->value;
    } else {
      Stage stage;
      stage.kind = Stage::Kind::kIndex;
      stage.var = raw->rhs->value;
      stage.position = raw->position;
      step->stages.push_back(std::move(stage));
    }
    step->tuple = true;
    return result;
  }

  NodePtr Unary(NodePtr n) {
    if (n->value == "-") {
      n->lhs = Process(std::move(n->lhs));
      if (n->lhs->type == NodeType::kNumber) {
        NodePtr number = std::move(n->lhs);
        number->literal = Value::Number(-number->literal.number());
        return number;
      }
      PushAncestry(*n, *n->lhs);
      return n;
    }
    if (n->value == "[") {
      for (NodePtr& item : n->items) {
        item = Process(std::move(item));
        PushAncestry(*n, *item);
      }
      return n;
    }
    for (auto& [k, v] : n->pairs) {
      k = Process(std::move(k));
      PushAncestry(*n, *k);
      v = Process(std::move(v));
      PushAncestry(*n, *v);
    }
    return n;
  }

  static NodePtr TailCallOptimize(NodePtr expr) {
    if (expr->type == NodeType::kFunction && expr->predicates.empty() &&
        !expr->group) {
      auto thunk = std::make_unique<Node>(NodeType::kLambda, expr->position);
      thunk->thunk = true;
      thunk->body = std::move(expr);
      return thunk;
    }
    if (expr->type == NodeType::kCondition) {
      expr->then = TailCallOptimize(std::move(expr->then));
      if (expr->otherwise) {
        expr->otherwise = TailCallOptimize(std::move(expr->otherwise));
      }
    } else if (expr->type == NodeType::kBlock && !expr->items.empty()) {
      expr->items.back() = TailCallOptimize(std::move(expr->items.back()));
    }
    return expr;
  }

  int next_label_ = 0;
  int next_index_ = 0;
};

}  // namespace

NodePtr ProcessTree(NodePtr raw) {
  Processor processor;
  NodePtr root = processor.Process(std::move(raw));
  bool unresolved = root->type == NodeType::kParent;
  for (const auto& slot : root->seeking_parent) {
    if (slot->level > 0) unresolved = true;
  }
  if (unresolved) {
    int position = root->type == NodeType::kPath ? -1 : root->position;
    throw JsonataError("S0217", position).Token(TypeName(*root));
  }
  return root;
}

}  // namespace unum::jsonata
