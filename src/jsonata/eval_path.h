// Path evaluation: steps over sequences (flattening arrays, keeping a last
// step's single array), tuple streams for `@`, `#` and `%` bindings,
// predicates, order-by, grouping with reduce semantics, `*` and `**`.
#ifndef UNUM_JSONATA_EVAL_PATH_H_
#define UNUM_JSONATA_EVAL_PATH_H_

#include <string>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/evaluator.h"
#include "jsonata/value.h"

namespace unum::jsonata {

class PathEvaluator {
 public:
  explicit PathEvaluator(Evaluator& ev) : ev_(ev) {}

  Value EvalPath(const Node& path, const Value& input, const FramePtr& env);
  // A predicate `[...]`: an index (numbers) or a filter (anything else).
  Value Filter(const Node& predicate, const Value& input, const FramePtr& env);
  // The grouping of `owner` (its `{...}` after an expression, or an object
  // constructor) over `input`.
  Value Group(const Node& owner, const Value& input, const FramePtr& env);
  // An order-by step over `input` (values or tuples): a stable sort.
  Value Sort(const Node& sort, const Value& input, const FramePtr& env);

 private:
  Value Step(const Node& step, const Value& input, const FramePtr& env,
             bool last);
  Value TupleStep(const Node& step, const Value& input, const Value& tuples,
                  const FramePtr& env);
  Value Stages(const std::vector<Stage>& stages, Value input,
               const FramePtr& env);
  FramePtr FrameFromTuple(const FramePtr& env, const Value& tuple);

  Evaluator& ev_;
};

// jsonata's field lookup: over arrays it maps and flattens.
Value LookupField(const Value& input, const std::string& key);
Value Wildcard(const Value& input);
Value Descendants(const Value& input);
// jsonata's $append: concatenates, making non-arrays single items.
Value Append(const Value& a, const Value& b);
// Every non-array value inside nested arrays, in order.
void Flatten(const Value& v, std::vector<Value>& out, int depth = 0);
// A stable merge sort; `after(a, b)` tells whether a goes after b.
template <typename After>
void MergeSort(std::vector<Value>& items, After after);

template <typename After>
void MergeSort(std::vector<Value>& items, After after) {
  // Top-down with jsonata's split, so that the same pairs are compared in
  // the same order (a comparison may fail, and which one fails first
  // shows).
  if (items.size() < 2) return;
  std::size_t middle = items.size() / 2;
  std::vector<Value> left(items.begin(), items.begin() + middle);
  std::vector<Value> right(items.begin() + middle, items.end());
  MergeSort(left, after);
  MergeSort(right, after);
  std::size_t i = 0, j = 0, k = 0;
  while (i < left.size() && j < right.size()) {
    if (after(left[i], right[j])) {
      items[k++] = std::move(right[j++]);
    } else {
      items[k++] = std::move(left[i++]);
    }
  }
  while (i < left.size()) items[k++] = std::move(left[i++]);
  while (j < right.size()) items[k++] = std::move(right[j++]);
}

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_EVAL_PATH_H_
