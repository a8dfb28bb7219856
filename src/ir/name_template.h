// A fan-in name template bound to one fan-out stack: the instance names it
// stands for, held as a literal prefix and suffix around an integer index
// 0..size-1 (a glob) or as one literal name. Counting the names, testing
// whether a name is one of them and getting the i-th name all take time
// independent of the number of names, so a branch of an N-way fan-in can
// plan its continuation without building the N names (only the branch that
// invokes the aggregator expands them). Made by NameTemplate::Bind
// (ir/expr.h).
#ifndef UNUM_IR_NAME_TEMPLATE_H_
#define UNUM_IR_NAME_TEMPLATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace unum::ir {

class BoundNameTemplate {
 public:
  // One literal name.
  static BoundNameTemplate Single(std::string name);
  // prefix + i + suffix for i = 0..size-1 (decimal, no leading zeros);
  // size >= 0.
  static BoundNameTemplate Glob(std::string prefix, std::string suffix,
                                int64_t size);

  bool glob() const { return glob_; }
  // How many names (1 without a glob). Distinct within one template.
  int64_t size() const { return size_; }
  // The position of `name` among the names, or -1 when it is not one.
  int64_t IndexOf(std::string_view name) const;
  bool Contains(std::string_view name) const { return IndexOf(name) >= 0; }
  // The name at `index` (0 <= index < size()).
  std::string Name(int64_t index) const;
  // Every name, in index order.
  std::vector<std::string> Names() const;

  // True when no name can be in both (a cheap, conservative test: false
  // may still mean disjoint).
  bool ProvablyDisjoint(const BoundNameTemplate& other) const;
  // Both globs with the same prefix and suffix (sizes may differ).
  bool SameShape(const BoundNameTemplate& other) const {
    return glob_ && other.glob_ && prefix_ == other.prefix_ &&
           suffix_ == other.suffix_;
  }

  friend bool operator==(const BoundNameTemplate&,
                         const BoundNameTemplate&) = default;

 private:
  std::string prefix_;  // the whole name without a glob
  std::string suffix_;
  bool glob_ = false;
  int64_t size_ = 1;
};

// The number of distinct names in the union of `templates`. Without
// expanding them when every pair is provably disjoint, or identical up to
// their sizes, or involves a single name (the usual cases); otherwise the
// overlapping globs are walked name by name.
int64_t CountDistinctNames(const std::vector<BoundNameTemplate>& templates);

// The names of every template, concatenated in order (repeats kept).
std::vector<std::string> ExpandNames(
    const std::vector<BoundNameTemplate>& templates);

}  // namespace unum::ir

#endif  // UNUM_IR_NAME_TEMPLATE_H_
