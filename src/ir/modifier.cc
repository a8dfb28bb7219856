// Payload modifiers ("Next Payload Modifiers" in the IR): "Pop" drops the
// innermost fan-out, "$k = expr" sets the index of level k and
// "$size = expr" sets the innermost size. Right-hand sides are evaluated
// against the stack as it was before the assignment.
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "ir/expr.h"

namespace unum::ir {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Context(std::string_view source) {
  return "payload modifier \"" + std::string(source) + "\"";
}

Status UnknownModifier(std::string_view source) {
  return Status::InvalidArgument(
      "unknown payload modifier \"" + std::string(source) +
      "\" (expected \"Pop\", \"$<k> = <expr>\" or \"$size = <expr>\")");
}

}  // namespace

Result<Modifier> Modifier::Parse(std::string_view source) {
  Modifier modifier;
  modifier.source_ = std::string(source);
  std::string_view rest = Trim(source);
  if (rest == "Pop") return modifier;
  if (rest.empty() || rest.front() != '$') return UnknownModifier(source);
  rest.remove_prefix(1);
  if (rest.substr(0, 4) == "size") {
    modifier.kind_ = Kind::kSetSize;
    rest.remove_prefix(4);
  } else {
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      ++digits;
    }
    if (digits == 0) return UnknownModifier(source);
    const auto [ptr, ec] =
        std::from_chars(rest.data(), rest.data() + digits, modifier.level_);
    if (ec != std::errc()) {
      return Status::InvalidArgument(Context(source) +
                                     ": fan-out level is too large");
    }
    modifier.kind_ = Kind::kSetIndex;
    rest.remove_prefix(digits);
  }
  rest = Trim(rest);
  if (rest.empty() || rest.front() != '=' || rest.substr(0, 2) == "==") {
    return UnknownModifier(source);
  }
  rest.remove_prefix(1);
  Result<Expr> value = Expr::Parse(rest);
  if (!value.ok()) return value.status().WithContext(Context(source));
  if (value->uses_out()) {
    return Status::InvalidArgument(
        Context(source) + ": `$out` is not available in a payload modifier");
  }
  modifier.value_ = std::make_shared<const Expr>(std::move(value).value());
  return modifier;
}

Status Modifier::Apply(FanOutStack* fanout) const {
  if (fanout == nullptr) {
    return Status::InvalidArgument(Context(source_) + ": no fan-out stack");
  }
  if (kind_ == Kind::kPop) {
    if (fanout->empty()) {
      return Status::InvalidArgument(Context(source_) +
                                     ": no fan-out to pop, payload has none");
    }
    fanout->erase(fanout->begin());
    return Status::Ok();
  }
  const size_t level =
      static_cast<size_t>(kind_ == Kind::kSetSize ? 0 : level_);
  if (level >= fanout->size()) {
    const std::string target =
        kind_ == Kind::kSetSize ? "$size" : "$" + std::to_string(level_);
    return Status::InvalidArgument(
        Context(source_) + ": `" + target + "` needs a fan-out " +
        std::to_string(level + 1) + " deep, payload has " +
        std::to_string(fanout->size()));
  }
  const ExprEnv env{nullptr, fanout};
  Result<int64_t> value = value_->EvalInt(env);
  if (!value.ok()) return value.status().WithContext(Context(source_));
  if (*value < 0) {
    return Status::InvalidArgument(Context(source_) + ": value " +
                                   std::to_string(*value) + " is negative");
  }
  FanOut& target = (*fanout)[level];
  (kind_ == Kind::kSetSize ? target.size : target.index) = *value;
  return Status::Ok();
}

}  // namespace unum::ir
