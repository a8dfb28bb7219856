// Frame: one scope of variable bindings (a block, a lambda call, a tuple
// of path bindings), chained to its enclosing scope.
//
// Closures capture frames and frames hold closures, so reference cycles
// form (`$f := function() { $f() }`); the evaluation that created the
// frames clears them when it ends (EvalState), which frees the cycles.
#ifndef UNUM_JSONATA_FRAME_H_
#define UNUM_JSONATA_FRAME_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jsonata/value.h"

namespace unum::jsonata {

class Frame {
 public:
  explicit Frame(std::shared_ptr<Frame> parent) : parent_(std::move(parent)) {}

  void Bind(std::string_view name, Value value) {
    for (auto& [k, v] : vars_) {
      if (k == name) {
        v = std::move(value);
        return;
      }
    }
    vars_.emplace_back(std::string(name), std::move(value));
  }

  // The innermost binding of `name`, or nullptr.
  const Value* Lookup(std::string_view name) const {
    for (const Frame* f = this; f != nullptr; f = f->parent_.get()) {
      for (const auto& [k, v] : f->vars_) {
        if (k == name) return &v;
      }
    }
    return nullptr;
  }

  void Clear() {
    vars_.clear();
    parent_.reset();
  }

 private:
  std::shared_ptr<Frame> parent_;
  std::vector<std::pair<std::string, Value>> vars_;
};

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FRAME_H_
