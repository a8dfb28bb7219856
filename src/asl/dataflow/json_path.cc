// JsonPath evaluation: walks the parsed steps over a document.
#include "asl/dataflow/json_path.h"

#include <algorithm>
#include <utility>

namespace unum::asl {
namespace {

using nlohmann::json;
using Nodes = std::vector<const json*>;

// `node` and its descendants in document order. Iterative: input depth is
// not bounded by anything we control.
void Preorder(const json& node, Nodes* out) {
  Nodes stack{&node};
  while (!stack.empty()) {
    const json* n = stack.back();
    stack.pop_back();
    out->push_back(n);
    if (n->is_array() || n->is_object()) {
      size_t first_child = stack.size();
      for (const json& child : *n) stack.push_back(&child);
      std::reverse(stack.begin() + first_child, stack.end());
    }
  }
}

void SelectIndex(const json& node, std::int64_t index, Nodes* out) {
  if (!node.is_array()) return;
  auto size = static_cast<std::int64_t>(node.size());
  if (index < 0) index += size;
  if (index >= 0 && index < size) out->push_back(&node[index]);
}

void SelectName(const json& node, const std::string& name, Nodes* out) {
  if (!node.is_object()) return;
  auto it = node.find(name);
  if (it != node.end()) out->push_back(&*it);
}

// Python slice semantics: negative bounds count from the end, bounds are
// clamped, a negative step walks backwards.
void SelectSlice(const json& node, const PathSelector& sel, Nodes* out) {
  if (!node.is_array()) return;
  auto size = static_cast<std::int64_t>(node.size());
  auto normalize = [size](std::int64_t i, std::int64_t lo, std::int64_t hi) {
    if (i < 0) i += size;
    return std::clamp(i, lo, hi);
  };
  if (sel.step > 0) {
    std::int64_t start = sel.start ? normalize(*sel.start, 0, size) : 0;
    std::int64_t end = sel.end ? normalize(*sel.end, 0, size) : size;
    for (std::int64_t i = start; i < end; i += sel.step) {
      out->push_back(&node[i]);
    }
  } else {
    std::int64_t start =
        sel.start ? normalize(*sel.start, -1, size - 1) : size - 1;
    std::int64_t end = sel.end ? normalize(*sel.end, -1, size - 1) : -1;
    for (std::int64_t i = start; i > end; i += sel.step) {
      out->push_back(&node[i]);
    }
  }
}

bool EvalFilter(const FilterExpr& expr, const json& current, const json& root);

// One side of a comparison: a literal, the single node of a definite path,
// or the array of an indefinite path's matches. Points into the document
// rather than copying it; `get()` is null when a definite path matches
// nothing.
class OperandValue {
 public:
  OperandValue(const FilterOperand& operand, const json& current,
               const json& root) {
    if (operand.kind == FilterOperand::Kind::kLiteral) {
      ptr_ = &operand.literal;
      return;
    }
    const json& start =
        operand.kind == FilterOperand::Kind::kCurrent ? current : root;
    Nodes nodes = SelectSteps(operand.steps, start, root);
    if (StepsAreDefinite(operand.steps)) {
      if (!nodes.empty()) ptr_ = nodes[0];
      return;
    }
    owned_ = json::array();
    for (const json* n : nodes) owned_.push_back(*n);
    ptr_ = &owned_;
  }
  OperandValue(const OperandValue&) = delete;
  OperandValue& operator=(const OperandValue&) = delete;

  const json* get() const { return ptr_; }

 private:
  const json* ptr_ = nullptr;
  json owned_;
};

bool Compare(FilterExpr::Op op, const json& a, const json& b) {
  switch (op) {
    case FilterExpr::Op::kEq:
      return a == b;
    case FilterExpr::Op::kNe:
      return a != b;
    default:
      break;
  }
  bool comparable =
      (a.is_number() && b.is_number()) || (a.is_string() && b.is_string());
  if (!comparable) return false;
  switch (op) {
    case FilterExpr::Op::kLt:
      return a < b;
    case FilterExpr::Op::kLe:
      return a <= b;
    case FilterExpr::Op::kGt:
      return a > b;
    case FilterExpr::Op::kGe:
      return a >= b;
    default:
      return false;
  }
}

bool EvalFilter(const FilterExpr& expr, const json& current, const json& root) {
  switch (expr.kind) {
    case FilterExpr::Kind::kOr:
      return std::any_of(
          expr.children.begin(), expr.children.end(),
          [&](const FilterExpr& e) { return EvalFilter(e, current, root); });
    case FilterExpr::Kind::kAnd:
      return std::all_of(
          expr.children.begin(), expr.children.end(),
          [&](const FilterExpr& e) { return EvalFilter(e, current, root); });
    case FilterExpr::Kind::kNot:
      return !EvalFilter(expr.children[0], current, root);
    case FilterExpr::Kind::kExists: {
      OperandValue v(expr.lhs, current, root);
      if (!v.get()) return false;
      return StepsAreDefinite(expr.lhs.steps) || !v.get()->empty();
    }
    case FilterExpr::Kind::kCompare: {
      OperandValue a(expr.lhs, current, root);
      OperandValue b(expr.rhs, current, root);
      // A missing side never matches, for != too (Jayway's behaviour).
      if (!a.get() || !b.get()) return false;
      return Compare(expr.op, *a.get(), *b.get());
    }
  }
  return false;
}

void ApplySelector(const PathSelector& sel, const json& node, const json& root,
                   Nodes* out) {
  switch (sel.kind) {
    case PathSelector::Kind::kName:
      SelectName(node, sel.name, out);
      return;
    case PathSelector::Kind::kIndex:
      SelectIndex(node, sel.index, out);
      return;
    case PathSelector::Kind::kWildcard:
      if (node.is_array() || node.is_object()) {
        for (const json& child : node) out->push_back(&child);
      }
      return;
    case PathSelector::Kind::kSlice:
      SelectSlice(node, sel, out);
      return;
    case PathSelector::Kind::kUnion:
      for (const auto& member : sel.members) {
        if (const auto* name = std::get_if<std::string>(&member)) {
          SelectName(node, *name, out);
        } else {
          SelectIndex(node, std::get<std::int64_t>(member), out);
        }
      }
      return;
    case PathSelector::Kind::kFilter:
      if (node.is_array() || node.is_object()) {
        for (const json& child : node) {
          if (EvalFilter(*sel.filter, child, root)) out->push_back(&child);
        }
      }
      return;
  }
}

}  // namespace

std::vector<const json*> SelectSteps(const std::vector<PathStep>& steps,
                                     const json& start, const json& root) {
  Nodes current{&start};
  for (const PathStep& step : steps) {
    Nodes next;
    for (const json* node : current) {
      if (step.recursive) {
        Nodes all;
        Preorder(*node, &all);
        for (const json* n : all) ApplySelector(step.selector, *n, root, &next);
      } else {
        ApplySelector(step.selector, *node, root, &next);
      }
    }
    current = std::move(next);
    if (current.empty()) break;
  }
  return current;
}

bool StepsAreDefinite(const std::vector<PathStep>& steps) {
  return std::all_of(steps.begin(), steps.end(), [](const PathStep& s) {
    return !s.recursive && (s.selector.kind == PathSelector::Kind::kName ||
                            s.selector.kind == PathSelector::Kind::kIndex);
  });
}

bool JsonPath::is_definite() const { return StepsAreDefinite(steps_); }

bool JsonPath::is_reference() const {
  if (context_ || !is_definite()) return false;
  return std::all_of(steps_.begin(), steps_.end(), [](const PathStep& s) {
    return s.selector.kind == PathSelector::Kind::kName ||
           s.selector.index >= 0;
  });
}

std::vector<const json*> JsonPath::Select(const json& input,
                                          const json& context) const {
  const json& root = context_ ? context : input;
  return SelectSteps(steps_, root, root);
}

std::optional<json> JsonPath::Evaluate(const json& input,
                                       const json& context) const {
  Nodes nodes = Select(input, context);
  if (is_definite()) {
    if (nodes.empty()) return std::nullopt;
    return *nodes[0];
  }
  json array = json::array();
  for (const json* n : nodes) array.push_back(*n);
  return array;
}

}  // namespace unum::asl
