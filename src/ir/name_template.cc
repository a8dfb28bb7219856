// Fan-in value templates: instance-name patterns such as "A-unumIndex-*",
// "B-unumIndex-$0.$1" or "A-unumIndex-($0+1)", parsed once into literal
// text, at most one glob and integer expressions, and expanded against a
// payload's fan-out stack into concrete instance names.
#include <cstdint>
#include <memory>
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

Result<std::vector<std::string>> NameTemplate::Expand(
    const FanOutStack& fanout) const {
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
  if (!has_glob_) return std::vector<std::string>{std::move(prefix)};
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
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(size));
  for (int64_t i = 0; i < size; ++i) {
    names.push_back(prefix + std::to_string(i) + suffix);
  }
  return names;
}

}  // namespace unum::ir
