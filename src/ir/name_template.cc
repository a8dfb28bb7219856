// Fan-in value templates: instance-name patterns such as "A-unumIndex-*",
// "B-unumIndex-$0.$1" or "A-unumIndex-($0+1)", parsed once into literal
// text, at most one glob and integer expressions, and expanded against a
// payload's fan-out stack into concrete instance names.
#include "ir/name_template.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/expr.h"

namespace unum::ir {
namespace {

// A glob expands to one name per index; this bounds the memory a payload
// with an absurd Size can make us allocate.
constexpr int64_t kMaxGlobSize = int64_t{1} << 20;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Context(std::string_view source) {
  return "name template \"" + std::string(source) + "\"";
}

Status TemplateError(std::string_view source, size_t pos,
                     std::string_view message) {
  return Status::InvalidArgument(Context(source) + ": column " +
                                 std::to_string(pos + 1) + ": " +
                                 std::string(message));
}

// Length of the variable token (`$<digits>` or `$size`) at `pos`, or 0
// when the `$` there starts no variable.
size_t VariableLength(std::string_view source, size_t pos) {
  size_t end = pos + 1;
  while (end < source.size() && IsDigit(source[end])) ++end;
  if (end > pos + 1) return end - pos;
  if (source.substr(pos, 5) == "$size") return 5;
  return 0;
}

// Position of the `)` matching the `(` at `open`; parentheses inside
// quoted strings do not count.
Result<size_t> FindClose(std::string_view source, size_t open) {
  int depth = 0;
  char quote = '\0';
  for (size_t i = open; i < source.size(); ++i) {
    const char c = source[i];
    if (quote != '\0') {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = '\0';
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i;
    }
  }
  return TemplateError(source, open, "unbalanced `(`");
}

}  // namespace

Result<NameTemplate> NameTemplate::Parse(std::string_view source) {
  NameTemplate result;
  result.source_ = std::string(source);
  std::string text;
  auto flush_text = [&] {
    if (text.empty()) return;
    result.parts_.push_back({Part::Kind::kText, std::move(text), nullptr});
    text.clear();
  };
  auto add_expr = [&](std::string_view expr_source) -> Status {
    Result<Expr> expr = Expr::Parse(expr_source);
    if (!expr.ok()) return expr.status().WithContext(Context(source));
    if (expr->uses_out()) {
      return Status::InvalidArgument(
          Context(source) + ": `$out` is not available in a name template");
    }
    flush_text();
    result.parts_.push_back(
        {Part::Kind::kExpr, std::string(expr_source),
         std::make_shared<const Expr>(std::move(expr).value())});
    return Status::Ok();
  };
  size_t pos = 0;
  while (pos < source.size()) {
    const char c = source[pos];
    if (c == '*') {
      if (result.has_glob_) {
        return TemplateError(source, pos, "at most one `*` is allowed");
      }
      flush_text();
      result.parts_.push_back({Part::Kind::kGlob, "*", nullptr});
      result.has_glob_ = true;
      ++pos;
    } else if (c == '$' && VariableLength(source, pos) > 0) {
      const size_t length = VariableLength(source, pos);
      UNUM_RETURN_IF_ERROR(add_expr(source.substr(pos, length)));
      pos += length;
    } else if (c == '$' && source.substr(pos, 4) == "$out") {
      return TemplateError(source, pos,
                           "`$out` is not available in a name template");
    } else if (c == '(') {
      UNUM_ASSIGN_OR_RETURN(const size_t close, FindClose(source, pos));
      UNUM_RETURN_IF_ERROR(add_expr(source.substr(pos, close - pos + 1)));
      pos = close + 1;
    } else {
      text += c;
      ++pos;
    }
  }
  flush_text();
  return result;
}

Result<BoundNameTemplate> NameTemplate::Bind(const FanOutStack& fanout) const {
  const ExprEnv env{nullptr, &fanout};
  std::string prefix;  // everything before the glob (or the whole name)
  std::string suffix;  // everything after the glob
  bool after_glob = false;
  for (const Part& part : parts_) {
    std::string* target = after_glob ? &suffix : &prefix;
    switch (part.kind) {
      case Part::Kind::kText:
        *target += part.text;
        break;
      case Part::Kind::kGlob:
        after_glob = true;
        break;
      case Part::Kind::kExpr: {
        Result<int64_t> index = part.expr->EvalInt(env);
        if (!index.ok()) return index.status().WithContext(Context(source_));
        if (*index < 0) {
          return Status::InvalidArgument(
              Context(source_) + ": index " + std::to_string(*index) +
              " computed by `" + part.text + "` is negative");
        }
        *target += std::to_string(*index);
        break;
      }
    }
  }
  if (!has_glob_) return BoundNameTemplate::Single(std::move(prefix));
  if (fanout.empty()) {
    return Status::InvalidArgument(Context(source_) +
                                   ": `*` needs a fan-out, payload has none");
  }
  const int64_t size = fanout[0].size;
  if (size < 0 || size > kMaxGlobSize) {
    return Status::InvalidArgument(Context(source_) +
                                   ": `*` cannot expand a fan-out of size " +
                                   std::to_string(size));
  }
  return BoundNameTemplate::Glob(std::move(prefix), std::move(suffix), size);
}

Result<std::vector<std::string>> NameTemplate::Expand(
    const FanOutStack& fanout) const {
  UNUM_ASSIGN_OR_RETURN(const BoundNameTemplate bound, Bind(fanout));
  return bound.Names();
}

// ------------------------------------------------- BoundNameTemplate --

BoundNameTemplate BoundNameTemplate::Single(std::string name) {
  BoundNameTemplate t;
  t.prefix_ = std::move(name);
  return t;
}

BoundNameTemplate BoundNameTemplate::Glob(std::string prefix,
                                          std::string suffix, int64_t size) {
  BoundNameTemplate t;
  t.prefix_ = std::move(prefix);
  t.suffix_ = std::move(suffix);
  t.glob_ = true;
  t.size_ = std::max<int64_t>(size, 0);
  return t;
}

int64_t BoundNameTemplate::IndexOf(std::string_view name) const {
  if (!glob_) return name == prefix_ ? 0 : -1;
  if (name.size() <= prefix_.size() + suffix_.size() ||
      !name.starts_with(prefix_) || !name.ends_with(suffix_)) {
    return -1;
  }
  const std::string_view digits = name.substr(
      prefix_.size(), name.size() - prefix_.size() - suffix_.size());
  // Only the canonical spelling std::to_string gives: no sign, no leading
  // zeros, and short enough not to overflow.
  if (digits.size() > 18 || (digits.size() > 1 && digits[0] == '0')) {
    return -1;
  }
  int64_t index = 0;
  for (const char c : digits) {
    if (!IsDigit(c)) return -1;
    index = index * 10 + (c - '0');
  }
  return index < size_ ? index : -1;
}

std::string BoundNameTemplate::Name(int64_t index) const {
  if (!glob_) return prefix_;
  std::string name = prefix_;
  name += std::to_string(index);
  name += suffix_;
  return name;
}

std::vector<std::string> BoundNameTemplate::Names() const {
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(size_));
  for (int64_t i = 0; i < size_; ++i) names.push_back(Name(i));
  return names;
}

bool BoundNameTemplate::ProvablyDisjoint(const BoundNameTemplate& other) const {
  if (!glob_) return !other.Contains(prefix_);
  if (!other.glob_) return !Contains(other.prefix_);
  if (size_ == 0 || other.size_ == 0) return true;
  // Every name starts with its prefix and ends with its suffix: two
  // prefixes of which neither starts the other (or two such suffixes)
  // leave no name in common.
  const auto compatible_prefix = [](std::string_view a, std::string_view b) {
    return a.starts_with(b) || b.starts_with(a);
  };
  const auto compatible_suffix = [](std::string_view a, std::string_view b) {
    return a.ends_with(b) || b.ends_with(a);
  };
  return !compatible_prefix(prefix_, other.prefix_) ||
         !compatible_suffix(suffix_, other.suffix_);
}

int64_t CountDistinctNames(const std::vector<BoundNameTemplate>& templates) {
  int64_t total = 0;
  for (size_t i = 0; i < templates.size(); ++i) {
    const BoundNameTemplate& t = templates[i];
    const auto seen_before = [&](std::string_view name) {
      for (size_t j = 0; j < i; ++j) {
        if (templates[j].Contains(name)) return true;
      }
      return false;
    };
    if (!t.glob()) {
      if (!seen_before(t.Name(0))) ++total;
      continue;
    }
    // The names of t not in an earlier template: indices below `covered`
    // are (an earlier glob with the same prefix and suffix), so are the
    // single names in `singles`; anything else forces a walk.
    int64_t covered = 0;
    std::set<int64_t> singles;
    bool walk = false;
    for (size_t j = 0; j < i && !walk; ++j) {
      const BoundNameTemplate& e = templates[j];
      if (!e.glob()) {
        const int64_t index = t.IndexOf(e.Name(0));
        if (index >= 0) singles.insert(index);
      } else if (e.SameShape(t)) {
        covered = std::max(covered, std::min(e.size(), t.size()));
      } else if (!e.ProvablyDisjoint(t)) {
        walk = true;
      }
    }
    if (walk) {
      for (int64_t k = 0; k < t.size(); ++k) {
        if (!seen_before(t.Name(k))) ++total;
      }
      continue;
    }
    total += t.size() - covered;
    total -= std::distance(singles.lower_bound(covered), singles.end());
  }
  return total;
}

std::vector<std::string> ExpandNames(
    const std::vector<BoundNameTemplate>& templates) {
  std::vector<std::string> names;
  int64_t total = 0;
  for (const BoundNameTemplate& t : templates) total += t.size();
  names.reserve(static_cast<size_t>(total));
  for (const BoundNameTemplate& t : templates) {
    for (int64_t k = 0; k < t.size(); ++k) names.push_back(t.Name(k));
  }
  return names;
}

}  // namespace unum::ir
