// ParseIntrinsic and LooksLikeIntrinsic: a recursive-descent parser for
// intrinsic calls, plus the argument checks that can be made before any
// input is known (counts, literal types, States.Format placeholders).
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "asl/definition/intrinsic_util.h"
#include "asl/definition/intrinsics.h"

namespace unum::asl {
namespace {

using nlohmann::json;

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const json* LiteralOf(const IntrinsicArg& arg) {
  return std::get_if<json>(&arg.value);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<IntrinsicCall> ParseAll() {
    SkipSpace();
    UNUM_ASSIGN_OR_RETURN(IntrinsicCall call, ParseCall(1));
    SkipSpace();
    if (pos_ != text_.size()) {
      return Error(pos_, "unexpected text after the closing ')'");
    }
    return call;
  }

 private:
  Status Error(size_t pos, const std::string& what) const {
    return Status::InvalidArgument("intrinsic function \"" +
                                   std::string(text_) + "\": at position " +
                                   std::to_string(pos) + ": " + what);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }

  std::string_view ReadName() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  Result<IntrinsicCall> ParseCall(int depth) {
    size_t start = pos_;
    std::string_view name = ReadName();
    if (name.substr(0, 7) != "States.") {
      return Error(start,
                   "expected an intrinsic function name such as "
                   "States.Format");
    }
    const IntrinsicSpec* spec = FindIntrinsicSpec(name);
    if (spec == nullptr) {
      return Error(start, "unknown intrinsic function " + std::string(name));
    }
    if (depth > kMaxIntrinsicNesting) {
      return Error(start, "intrinsic functions are nested more than " +
                              std::to_string(kMaxIntrinsicNesting) + " deep");
    }
    IntrinsicCall call;
    call.name = std::string(name);
    SkipSpace();
    if (AtEnd() || text_[pos_] != '(') {
      return Error(pos_, "expected '(' after " + call.name);
    }
    ++pos_;
    SkipSpace();
    if (!AtEnd() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        SkipSpace();
        UNUM_ASSIGN_OR_RETURN(IntrinsicArg arg, ParseArg(depth));
        call.args.push_back(std::move(arg));
        SkipSpace();
        if (AtEnd()) {
          return Error(pos_, "missing ')' to close " + call.name);
        }
        if (text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (text_[pos_] == ')') {
          ++pos_;
          break;
        }
        return Error(pos_,
                     "expected ',' or ')' in the arguments of " + call.name);
      }
    }
    UNUM_RETURN_IF_ERROR(CheckStatically(*spec, call, start));
    return call;
  }

  Result<IntrinsicArg> ParseArg(int depth) {
    if (AtEnd()) return Error(pos_, "expected an argument");
    char c = text_[pos_];
    if (c == '\'') return ParseString();
    if (c == '$') return ParsePath();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      return ParseNumber();
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      std::string_view word = ReadName();
      if (word == "true") return IntrinsicArg{json(true)};
      if (word == "false") return IntrinsicArg{json(false)};
      if (word == "null") return IntrinsicArg{json(nullptr)};
      pos_ = start;
      if (word.substr(0, 7) == "States.") {
        UNUM_ASSIGN_OR_RETURN(IntrinsicCall nested, ParseCall(depth + 1));
        return IntrinsicArg{std::make_shared<IntrinsicCall>(std::move(nested))};
      }
      return Error(start, "unexpected '" + std::string(word) +
                              "' (an argument is a 'string', a number, "
                              "true, false, null, a path or a call)");
    }
    return Error(pos_, std::string("unexpected '") + c + "'");
  }

  Result<IntrinsicArg> ParseString() {
    size_t open = pos_++;
    std::string value;
    std::string source;
    while (true) {
      if (AtEnd()) return Error(open, "unterminated string literal");
      char c = text_[pos_];
      if (c == '\'') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) {
          return Error(pos_, "open escape '\\' at the end of the text");
        }
        char e = text_[pos_ + 1];
        if (e != '\'' && e != '{' && e != '}' && e != '\\') {
          return Error(pos_, std::string("invalid escape '\\") + e +
                                 "' (only \\' \\{ \\} \\\\ are allowed)");
        }
        value += e;
        source += c;
        source += e;
        pos_ += 2;
        continue;
      }
      value += c;
      source += c;
      ++pos_;
    }
    IntrinsicArg arg{json(std::move(value))};
    arg.literal_source = std::move(source);
    return arg;
  }

  Result<IntrinsicArg> ParsePath() {
    // A path runs to the ',' or ')' that ends the argument; brackets,
    // parentheses (filters) and quoted names inside them may hold either.
    size_t start = pos_;
    std::string closers;  // the brackets still open, innermost last
    char quote = 0;
    while (!AtEnd()) {
      char c = text_[pos_];
      if (quote != 0) {
        if (c == '\\' && pos_ + 1 < text_.size()) {
          pos_ += 2;
          continue;
        }
        if (c == quote) quote = 0;
      } else if (!closers.empty() && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == '[') {
        closers += ']';
      } else if (c == '(' && !closers.empty()) {
        closers += ')';
      } else if (!closers.empty() && c == closers.back()) {
        closers.pop_back();
      } else if (closers.empty() && (c == ',' || c == ')' || IsSpace(c))) {
        break;
      } else if (c == ']' || c == ')') {
        return Error(pos_, std::string("unbalanced '") + c + "' in a path");
      }
      ++pos_;
    }
    if (quote != 0 || !closers.empty()) {
      return Error(start, "unterminated bracket or quote in a path");
    }
    return IntrinsicArg{
        IntrinsicArg::Path{std::string(text_.substr(start, pos_ - start))}};
  }

  Result<IntrinsicArg> ParseNumber() {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (!AtEnd() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
        ++pos_;
      return pos_ > from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (!digits()) return Error(start, "malformed number");
    if (!AtEnd() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return Error(start, "malformed number");
    }
    if (!AtEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!AtEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return Error(start, "malformed number");
    }
    if (!AtEnd() && IsNameChar(text_[pos_])) {
      return Error(start, "malformed number");
    }
    std::string token(text_.substr(start, pos_ - start));
    // Leading zeros ("007") are not JSON; the JSON parser rejects them.
    json value = json::parse(token, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded() || !value.is_number()) {
      return Error(start, "malformed number '" + token + "'");
    }
    return IntrinsicArg{std::move(value)};
  }

  // The checks that do not depend on input: a literal's type where the
  // function needs a given type, and States.Format's placeholder count.
  Status CheckStatically(const IntrinsicSpec& spec, const IntrinsicCall& call,
                         size_t at) const {
    const size_t n = call.args.size();
    if (n < static_cast<size_t>(spec.min_args) ||
        (spec.max_args >= 0 && n > static_cast<size_t>(spec.max_args))) {
      return Error(at, call.name + " takes " + ArgCountText(spec) + ", got " +
                           std::to_string(n));
    }
    for (size_t i = 0; i < n; ++i) {
      const json* lit = LiteralOf(call.args[i]);
      if (lit == nullptr) continue;
      ArgKind kind = spec.ArgKindAt(i);
      std::string what = call.name + " argument " + std::to_string(i + 1);
      switch (kind) {
        case ArgKind::kAny:
          break;
        case ArgKind::kString:
          if (!lit->is_string()) {
            return Error(at,
                         what + " must be a string, got " + JsonTypeName(*lit));
          }
          break;
        case ArgKind::kNumber:
          if (!lit->is_number()) {
            return Error(at,
                         what + " must be a number, got " + JsonTypeName(*lit));
          }
          break;
        case ArgKind::kBoolean:
          if (!lit->is_boolean()) {
            return Error(
                at, what + " must be a boolean, got " + JsonTypeName(*lit));
          }
          break;
        case ArgKind::kArray:
          return Error(at, what +
                               " must be an array (a path or a call), "
                               "got a " +
                               JsonTypeName(*lit) + " literal");
        case ArgKind::kObject:
          return Error(at, what +
                               " must be an object (a path or a call), "
                               "got a " +
                               JsonTypeName(*lit) + " literal");
        case ArgKind::kPathOrCall:
          return Error(at, what + " must be a path or a call, got a " +
                               JsonTypeName(*lit) + " literal");
      }
    }
    if (call.name == "States.Format") {
      if (const json* tmpl = LiteralOf(call.args[0])) {
        size_t holes = CountPlaceholders(call.args[0].literal_source.empty()
                                             ? tmpl->get<std::string>()
                                             : call.args[0].literal_source);
        if (holes != n - 1) {
          return Error(at, "States.Format template has " +
                               std::to_string(holes) +
                               " {} placeholder(s) but " +
                               std::to_string(n - 1) + " value argument(s)");
        }
      }
    }
    if (call.name == "States.Hash") {
      if (const json* algo = LiteralOf(call.args[1])) {
        if (!IsHashAlgorithm(algo->get<std::string>())) {
          return Error(at, "States.Hash algorithm '" +
                               algo->get<std::string>() + "' is not one of " +
                               HashAlgorithmList());
        }
      }
    }
    if (call.name == "States.JsonMerge") {
      if (const json* deep = LiteralOf(call.args[2]); deep && *deep == true) {
        return Error(at,
                     "States.JsonMerge supports only a shallow merge: "
                     "argument 3 must be false");
      }
    }
    if (call.name == "States.ArrayPartition") {
      if (const json* size = LiteralOf(call.args[1])) {
        auto chunk = ExactInteger(*size);
        if (!chunk || *chunk <= 0) {
          return Error(at,
                       "States.ArrayPartition chunk size must be a "
                       "positive integer, got " +
                           size->dump());
        }
      }
    }
    return Status::Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<IntrinsicCall> ParseIntrinsic(std::string_view text) {
  return Parser(text).ParseAll();
}

bool LooksLikeIntrinsic(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) ++i;
  return text.substr(i, 7) == "States.";
}

}  // namespace unum::asl
