// JsonPath::Parse: a hand-written recursive-descent parser for the JSONPath
// subset in json_path.h. Filter expressions become FilterExpr trees.
#include <cctype>
#include <charconv>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "asl/dataflow/json_path.h"

namespace unum::asl {
namespace {

using nlohmann::json;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Status ParseSteps(std::vector<PathStep>* steps, bool in_filter) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '.') {
        PathStep step;
        ++pos_;
        if (Peek() == '.') {
          step.recursive = true;
          ++pos_;
          if (Peek() == '[') {
            UNUM_RETURN_IF_ERROR(ParseBracket(&step.selector));
            steps->push_back(std::move(step));
            continue;
          }
        }
        if (Peek() == '*') {
          ++pos_;
          step.selector.kind = PathSelector::Kind::kWildcard;
        } else {
          UNUM_RETURN_IF_ERROR(ParseName(&step.selector.name));
          step.selector.kind = PathSelector::Kind::kName;
        }
        steps->push_back(std::move(step));
      } else if (c == '[') {
        PathStep step;
        UNUM_RETURN_IF_ERROR(ParseBracket(&step.selector));
        steps->push_back(std::move(step));
      } else if (in_filter) {
        return Status::Ok();  // the operand ends here
      } else {
        return Error(std::string("unexpected character '") + c + "'");
      }
    }
    return Status::Ok();
  }

  Status Error(std::string_view what) const { return ErrorAt(pos_, what); }
  Status ErrorAt(size_t at, std::string_view what) const {
    return Status::InvalidArgument("invalid JSONPath \"" + std::string(text_) +
                                   "\" at offset " + std::to_string(at) + ": " +
                                   std::string(what));
  }

  size_t pos_ = 0;

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool AtEnd() const { return pos_ >= text_.size(); }

  void SkipSpaces() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }

  bool Consume(std::string_view token) {
    if (text_.substr(pos_, token.size()) == token) {
      pos_ += token.size();
      return true;
    }
    return false;
  }

  static bool IsNameChar(char c) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
    static constexpr std::string_view kStop = ".[]()'\"?@,*=!<>&|";
    return kStop.find(c) == std::string_view::npos;
  }

  Status ParseName(std::string* name) {
    size_t begin = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == begin) {
      return AtEnd() ? Error("expected a name after '.'")
                     : Error(std::string("unexpected character '") + Peek() +
                             "' where a name was expected");
    }
    *name = std::string(text_.substr(begin, pos_ - begin));
    return Status::Ok();
  }

  Status ParseQuoted(std::string* out) {
    char quote = text_[pos_];
    size_t begin = pos_++;
    out->clear();
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') {
        if (++pos_ >= text_.size()) break;
      }
      out->push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return ErrorAt(begin, "unterminated string");
    ++pos_;  // closing quote
    return Status::Ok();
  }

  Status ParseInt(std::int64_t* value) {
    size_t begin = pos_;
    if (Peek() == '-') ++pos_;
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
    std::string_view digits = text_.substr(begin, pos_ - begin);
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), *value);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      return ErrorAt(begin, "expected an integer");
    }
    return Status::Ok();
  }

  bool AtIntStart() const {
    char c = Peek();
    return c == '-' || std::isdigit(static_cast<unsigned char>(c));
  }

  Status Expect(char c) {
    SkipSpaces();
    if (Peek() != c) {
      if (AtEnd()) return Error(std::string("expected '") + c + "'");
      return Error(std::string("expected '") + c + "', found '" + Peek() + "'");
    }
    ++pos_;
    return Status::Ok();
  }

  // At '['; parses through the matching ']'.
  Status ParseBracket(PathSelector* sel) {
    size_t open = pos_;
    if (Peek() != '[') return Error("expected '['");
    ++pos_;
    SkipSpaces();
    char c = Peek();
    if (c == '*') {
      ++pos_;
      sel->kind = PathSelector::Kind::kWildcard;
      return Expect(']');
    }
    if (c == '?') {
      ++pos_;
      UNUM_RETURN_IF_ERROR(Expect('('));
      auto filter = std::make_shared<FilterExpr>();
      UNUM_RETURN_IF_ERROR(ParseOr(filter.get()));
      UNUM_RETURN_IF_ERROR(Expect(')'));
      sel->kind = PathSelector::Kind::kFilter;
      sel->filter = std::move(filter);
      return Expect(']');
    }
    if (c == ':') return ParseSlice(sel, std::nullopt);
    if (c != '\'' && c != '"' && !AtIntStart()) {
      if (AtEnd()) return ErrorAt(open, "unterminated '['");
      return Error(std::string("unexpected character '") + c + "' after '['");
    }
    // A name, an index, a slice, or a union of names and indices.
    std::vector<std::variant<std::string, std::int64_t>> members;
    while (true) {
      SkipSpaces();
      if (Peek() == '\'' || Peek() == '"') {
        std::string name;
        UNUM_RETURN_IF_ERROR(ParseQuoted(&name));
        members.emplace_back(std::move(name));
      } else if (AtIntStart()) {
        std::int64_t index;
        UNUM_RETURN_IF_ERROR(ParseInt(&index));
        SkipSpaces();
        if (members.empty() && Peek() == ':') return ParseSlice(sel, index);
        members.emplace_back(index);
      } else {
        return AtEnd() ? ErrorAt(open, "unterminated '['")
                       : Error("expected a quoted name or an integer");
      }
      SkipSpaces();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      UNUM_RETURN_IF_ERROR(Expect(']'));
      break;
    }
    if (members.size() > 1) {
      sel->kind = PathSelector::Kind::kUnion;
      sel->members = std::move(members);
    } else if (auto* name = std::get_if<std::string>(&members[0])) {
      sel->kind = PathSelector::Kind::kName;
      sel->name = std::move(*name);
    } else {
      sel->kind = PathSelector::Kind::kIndex;
      sel->index = std::get<std::int64_t>(members[0]);
    }
    return Status::Ok();
  }

  // At the first ':' of a slice whose start (if any) was already read.
  Status ParseSlice(PathSelector* sel, std::optional<std::int64_t> start) {
    sel->kind = PathSelector::Kind::kSlice;
    sel->start = start;
    ++pos_;  // ':'
    SkipSpaces();
    if (AtIntStart()) {
      std::int64_t end;
      UNUM_RETURN_IF_ERROR(ParseInt(&end));
      sel->end = end;
      SkipSpaces();
    }
    if (Peek() == ':') {
      ++pos_;
      SkipSpaces();
      if (AtIntStart()) {
        size_t at = pos_;
        UNUM_RETURN_IF_ERROR(ParseInt(&sel->step));
        if (sel->step == 0) return ErrorAt(at, "slice step must not be 0");
        SkipSpaces();
      }
    }
    return Expect(']');
  }

  Status ParseOr(FilterExpr* out) {
    FilterExpr first;
    UNUM_RETURN_IF_ERROR(ParseAnd(&first));
    SkipSpaces();
    if (text_.substr(pos_, 2) != "||") {
      *out = std::move(first);
      return Status::Ok();
    }
    out->kind = FilterExpr::Kind::kOr;
    out->children.push_back(std::move(first));
    while (SkipSpaces(), Consume("||")) {
      FilterExpr next;
      UNUM_RETURN_IF_ERROR(ParseAnd(&next));
      out->children.push_back(std::move(next));
    }
    return Status::Ok();
  }

  Status ParseAnd(FilterExpr* out) {
    FilterExpr first;
    UNUM_RETURN_IF_ERROR(ParseUnary(&first));
    SkipSpaces();
    if (text_.substr(pos_, 2) != "&&") {
      *out = std::move(first);
      return Status::Ok();
    }
    out->kind = FilterExpr::Kind::kAnd;
    out->children.push_back(std::move(first));
    while (SkipSpaces(), Consume("&&")) {
      FilterExpr next;
      UNUM_RETURN_IF_ERROR(ParseUnary(&next));
      out->children.push_back(std::move(next));
    }
    return Status::Ok();
  }

  Status ParseUnary(FilterExpr* out) {
    SkipSpaces();
    // Bounds the recursion on '!' and '(' nesting.
    if (++depth_ > kMaxFilterDepth) return Error("filter nested too deeply");
    struct Leave {
      int* depth;
      ~Leave() { --*depth; }
    } leave{&depth_};
    if (Peek() == '!' && text_.substr(pos_, 2) != "!=") {
      ++pos_;
      FilterExpr inner;
      UNUM_RETURN_IF_ERROR(ParseUnary(&inner));
      out->kind = FilterExpr::Kind::kNot;
      out->children.push_back(std::move(inner));
      return Status::Ok();
    }
    if (Peek() == '(') {
      ++pos_;
      UNUM_RETURN_IF_ERROR(ParseOr(out));
      return Expect(')');
    }
    return ParseComparison(out);
  }

  Status ParseComparison(FilterExpr* out) {
    size_t begin = pos_;
    UNUM_RETURN_IF_ERROR(ParseOperand(&out->lhs));
    SkipSpaces();
    static constexpr std::pair<std::string_view, FilterExpr::Op> kOps[] = {
        {"==", FilterExpr::Op::kEq}, {"!=", FilterExpr::Op::kNe},
        {"<=", FilterExpr::Op::kLe}, {">=", FilterExpr::Op::kGe},
        {"<", FilterExpr::Op::kLt},  {">", FilterExpr::Op::kGt}};
    for (const auto& [token, op] : kOps) {
      if (Consume(token)) {
        out->kind = FilterExpr::Kind::kCompare;
        out->op = op;
        return ParseOperand(&out->rhs);
      }
    }
    if (out->lhs.kind == FilterOperand::Kind::kLiteral) {
      return ErrorAt(begin, "a literal alone is not a filter condition");
    }
    out->kind = FilterExpr::Kind::kExists;
    return Status::Ok();
  }

  Status ParseOperand(FilterOperand* out) {
    SkipSpaces();
    char c = Peek();
    if (c == '@' || c == '$') {
      ++pos_;
      out->kind =
          c == '@' ? FilterOperand::Kind::kCurrent : FilterOperand::Kind::kRoot;
      return ParseSteps(&out->steps, /*in_filter=*/true);
    }
    out->kind = FilterOperand::Kind::kLiteral;
    if (c == '\'' || c == '"') {
      std::string s;
      UNUM_RETURN_IF_ERROR(ParseQuoted(&s));
      out->literal = std::move(s);
      return Status::Ok();
    }
    if (Consume("true")) {
      out->literal = true;
      return Status::Ok();
    }
    if (Consume("false")) {
      out->literal = false;
      return Status::Ok();
    }
    if (Consume("null")) {
      out->literal = nullptr;
      return Status::Ok();
    }
    return ParseNumber(&out->literal);
  }

  Status ParseNumber(json* out) {
    size_t begin = pos_;
    if (Peek() == '-') ++pos_;
    auto digits = [this] {
      size_t start = pos_;
      while (pos_ < text_.size() &&
             std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
      return pos_ - start;
    };
    if (digits() == 0) {
      pos_ = begin;
      return AtEnd() ? Error("expected a value")
                     : Error(std::string("unexpected character '") + Peek() +
                             "' where a value was expected");
    }
    bool is_float = false;
    if (Peek() == '.') {
      is_float = true;
      ++pos_;
      if (digits() == 0) return Error("expected digits after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      is_float = true;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (digits() == 0) return Error("expected an exponent");
    }
    std::string_view number = text_.substr(begin, pos_ - begin);
    const char* first = number.data();
    const char* last = first + number.size();
    if (!is_float) {
      std::int64_t i;
      auto [end, ec] = std::from_chars(first, last, i);
      if (ec == std::errc() && end == last) {
        *out = i;
        return Status::Ok();
      }
    }
    double d;
    auto [end, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || end != last) {
      return ErrorAt(begin, "number out of range");
    }
    *out = d;
    return Status::Ok();
  }

  static constexpr int kMaxFilterDepth = 64;
  std::string_view text_;
  int depth_ = 0;
};

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  Parser parser(text);
  JsonPath path;
  path.text_ = std::string(text);
  if (text.substr(0, 2) == "$$") {
    path.context_ = true;
    parser.pos_ = 2;
  } else if (text.substr(0, 1) == "$") {
    parser.pos_ = 1;
  } else {
    return parser.ErrorAt(0, "a path must start with '$'");
  }
  UNUM_RETURN_IF_ERROR(parser.ParseSteps(&path.steps_, /*in_filter=*/false));
  return path;
}

}  // namespace unum::asl
