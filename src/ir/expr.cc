// The IR's safe expression language: a hand-written lexer, a
// recursive-descent parser producing an immutable AST, and a tree-walking
// evaluator over nlohmann::json values. See expr.h for the grammar.
#include "ir/expr.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/json_text.h"

namespace unum::ir {

// One AST node. Children are owned; a tree is never mutated once built.
struct ExprNode {
  enum class Op {
    kOr,
    kAnd,
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kAdd,
    kSub,
    kMul,
    kDiv,
    kMod,
    kNot,
    kNeg
  };
  enum class Kind {
    kLiteral,
    kOut,
    kIndexVar,
    kSize,
    kField,
    kIndex,
    kUnary,
    kBinary
  };
  Kind kind = Kind::kLiteral;
  int column = 1;          // 1-based column of the token that names the node
  int depth = 1;           // height of the subtree rooted here
  nlohmann::json literal;  // kLiteral
  int var = 0;             // kIndexVar: k of `$k`
  std::string field;       // kField
  Op op = Op::kOr;         // kUnary, kBinary
  std::unique_ptr<const ExprNode> lhs;  // operand, object, or left side
  std::unique_ptr<const ExprNode> rhs;  // index or right side
};

namespace {

using nlohmann::json;
using NodePtr = std::unique_ptr<ExprNode>;
using ExprOp = ExprNode::Op;

// Bounds both parser recursion and AST height, so that neither parsing,
// evaluation nor destruction can exhaust the stack.
constexpr int kMaxDepth = 256;

std::string FormatError(std::string_view source, int column,
                        std::string_view message) {
  return "expression \"" + std::string(source) + "\": column " +
         std::to_string(column) + ": " + std::string(message);
}

std::string_view OpName(ExprOp op) {
  switch (op) {
    case ExprOp::kOr:
      return "||";
    case ExprOp::kAnd:
      return "&&";
    case ExprOp::kEq:
      return "==";
    case ExprOp::kNe:
      return "!=";
    case ExprOp::kLt:
      return "<";
    case ExprOp::kLe:
      return "<=";
    case ExprOp::kGt:
      return ">";
    case ExprOp::kGe:
      return ">=";
    case ExprOp::kAdd:
      return "+";
    case ExprOp::kSub:
      return "-";
    case ExprOp::kMul:
      return "*";
    case ExprOp::kDiv:
      return "/";
    case ExprOp::kMod:
      return "%";
    case ExprOp::kNot:
      return "!";
    case ExprOp::kNeg:
      return "-";
  }
  return "?";
}

// ---------------------------------------------------------------- lexer --

enum class Tok {
  kEnd,
  kNumber,
  kString,
  kIdent,
  kOut,
  kIndexVar,
  kSize,
  kOrOr,
  kAndAnd,
  kNot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kDot,
  kLBracket,
  kRBracket,
  kLParen,
  kRParen
};

struct Token {
  Tok kind = Tok::kEnd;
  int column = 1;
  std::string_view text;  // the token's source text
  json value;             // kNumber, kString
  int var = 0;            // kIndexVar
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < src_.size() && IsSpace(src_[pos_])) ++pos_;
      if (pos_ >= src_.size()) break;
      UNUM_ASSIGN_OR_RETURN(Token token, Next());
      tokens.push_back(std::move(token));
    }
    Token end;
    end.column = Column(src_.size());
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  static int Column(size_t pos) { return static_cast<int>(pos) + 1; }

  Status Error(size_t pos, std::string_view message) const {
    return Status::InvalidArgument(FormatError(src_, Column(pos), message));
  }

  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  Token Make(Tok kind, size_t start) const {
    Token token;
    token.kind = kind;
    token.column = Column(start);
    token.text = src_.substr(start, pos_ - start);
    return token;
  }

  Result<Token> Next() {
    const char c = Peek();
    if (IsDigit(c)) return LexNumber();
    if (c == '"' || c == '\'') return LexString();
    if (c == '$') return LexVariable();
    if (IsIdentStart(c)) {
      const size_t start = pos_;
      while (IsIdentChar(Peek())) ++pos_;
      return Make(Tok::kIdent, start);
    }
    return LexOperator();
  }

  Result<Token> LexOperator() {
    const size_t start = pos_;
    const char c = Peek();
    const char n = Peek(1);
    auto two = [&](Tok kind) {
      pos_ += 2;
      return Make(kind, start);
    };
    auto one = [&](Tok kind) {
      pos_ += 1;
      return Make(kind, start);
    };
    switch (c) {
      case '|':
        if (n == '|') return two(Tok::kOrOr);
        return Error(start, "unexpected character `|` (did you mean `||`?)");
      case '&':
        if (n == '&') return two(Tok::kAndAnd);
        return Error(start, "unexpected character `&` (did you mean `&&`?)");
      case '=':
        if (n == '=') return two(Tok::kEq);
        return Error(start, "unexpected character `=` (did you mean `==`?)");
      case '!':
        return n == '=' ? two(Tok::kNe) : one(Tok::kNot);
      case '<':
        return n == '=' ? two(Tok::kLe) : one(Tok::kLt);
      case '>':
        return n == '=' ? two(Tok::kGe) : one(Tok::kGt);
      case '+':
        return one(Tok::kPlus);
      case '-':
        return one(Tok::kMinus);
      case '*':
        return one(Tok::kStar);
      case '/':
        return one(Tok::kSlash);
      case '%':
        return one(Tok::kPercent);
      case '.':
        return one(Tok::kDot);
      case '[':
        return one(Tok::kLBracket);
      case ']':
        return one(Tok::kRBracket);
      case '(':
        return one(Tok::kLParen);
      case ')':
        return one(Tok::kRParen);
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) >= 0x7F) {
      return Error(start, "unexpected character (byte " +
                              std::to_string(static_cast<unsigned char>(c)) +
                              ")");
    }
    return Error(start, "unexpected character `" + std::string(1, c) + "`");
  }

  void SkipDigits() {
    while (IsDigit(Peek())) ++pos_;
  }

  Result<Token> LexNumber() {
    const size_t start = pos_;
    SkipDigits();
    bool is_double = false;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      is_double = true;
      ++pos_;
      SkipDigits();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      is_double = true;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return Error(start, "malformed number");
      SkipDigits();
    }
    if (IsIdentChar(Peek())) return Error(start, "malformed number");
    Token token = Make(Tok::kNumber, start);
    const char* first = token.text.data();
    const char* last = first + token.text.size();
    if (is_double) {
      double d = 0;
      const auto [ptr, ec] = std::from_chars(first, last, d);
      if (ec != std::errc() || ptr != last || !std::isfinite(d)) {
        return Error(start, "number literal out of range");
      }
      token.value = d;
    } else {
      int64_t i = 0;
      const auto [ptr, ec] = std::from_chars(first, last, i);
      if (ec != std::errc() || ptr != last) {
        return Error(start, "integer literal out of range");
      }
      token.value = i;
    }
    return token;
  }

  // Reads the 4 hex digits of a \u escape starting at pos_.
  Result<uint32_t> ReadHex4(size_t escape_start) {
    uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = Peek();
      uint32_t digit = 0;
      if (h >= '0' && h <= '9') {
        digit = h - '0';
      } else if (h >= 'a' && h <= 'f') {
        digit = h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        digit = h - 'A' + 10;
      } else {
        return Error(escape_start, "`\\u` needs 4 hex digits");
      }
      cp = cp * 16 + digit;
      ++pos_;
    }
    return cp;
  }

  // pos_ is just past "\u".
  Status LexUnicodeEscape(size_t escape_start, std::string* out) {
    UNUM_ASSIGN_OR_RETURN(uint32_t cp, ReadHex4(escape_start));
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return Error(escape_start, "unpaired surrogate in `\\u` escape");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (Peek() != '\\' || Peek(1) != 'u') {
        return Error(escape_start, "unpaired surrogate in `\\u` escape");
      }
      pos_ += 2;
      UNUM_ASSIGN_OR_RETURN(uint32_t low, ReadHex4(escape_start));
      if (low < 0xDC00 || low > 0xDFFF) {
        return Error(escape_start, "unpaired surrogate in `\\u` escape");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return Status::Ok();
  }

  Status LexEscape(std::string* out) {
    const size_t escape_start = pos_;
    ++pos_;  // the backslash
    const char e = Peek();
    ++pos_;
    switch (e) {
      case '\\':
        *out += '\\';
        return Status::Ok();
      case '\'':
        *out += '\'';
        return Status::Ok();
      case '"':
        *out += '"';
        return Status::Ok();
      case '/':
        *out += '/';
        return Status::Ok();
      case 'n':
        *out += '\n';
        return Status::Ok();
      case 't':
        *out += '\t';
        return Status::Ok();
      case 'r':
        *out += '\r';
        return Status::Ok();
      case 'b':
        *out += '\b';
        return Status::Ok();
      case 'f':
        *out += '\f';
        return Status::Ok();
      case '0':
        *out += '\0';
        return Status::Ok();
      case 'u':
        return LexUnicodeEscape(escape_start, out);
      default:
        break;
    }
    if (e == '\0' && pos_ > src_.size()) {
      return Error(escape_start, "unterminated string");
    }
    return Error(escape_start, "unknown escape `\\" + std::string(1, e) + "`");
  }

  Result<Token> LexString() {
    const size_t start = pos_;
    const char quote = Peek();
    ++pos_;
    std::string value;
    while (true) {
      if (pos_ >= src_.size()) return Error(start, "unterminated string");
      const char c = src_[pos_];
      if (c == quote) break;
      if (c == '\\') {
        UNUM_RETURN_IF_ERROR(LexEscape(&value));
      } else {
        value += c;
        ++pos_;
      }
    }
    ++pos_;  // closing quote
    Token token = Make(Tok::kString, start);
    token.value = std::move(value);
    return token;
  }

  Result<Token> LexVariable() {
    const size_t start = pos_;
    ++pos_;  // '$'
    if (IsDigit(Peek())) {
      SkipDigits();
      Token token = Make(Tok::kIndexVar, start);
      const std::string_view digits = token.text.substr(1);
      const auto [ptr, ec] = std::from_chars(
          digits.data(), digits.data() + digits.size(), token.var);
      if (ec != std::errc() || token.var >= kMaxDepth * 1024) {
        return Error(start, "fan-out variable `" + std::string(token.text) +
                                "` is too large");
      }
      return token;
    }
    while (IsIdentChar(Peek())) ++pos_;
    const std::string_view name = src_.substr(start, pos_ - start);
    if (name == "$out") return Make(Tok::kOut, start);
    if (name == "$size") return Make(Tok::kSize, start);
    return Error(start, "unknown variable `" + std::string(name) +
                            "` (expected `$out`, `$size` or `$<digits>`)");
  }

  std::string_view src_;
  size_t pos_ = 0;
};

// --------------------------------------------------------------- parser --

class Parser {
 public:
  Parser(std::string_view source, std::vector<Token> tokens)
      : src_(source), tokens_(std::move(tokens)) {}

  Result<NodePtr> ParseAll() {
    UNUM_ASSIGN_OR_RETURN(NodePtr root, ParseOr());
    if (IsCompare(Cur().kind)) {
      return Error(Cur(), "comparison operators cannot be chained");
    }
    if (Cur().kind != Tok::kEnd) {
      return Error(Cur(), "unexpected `" + std::string(Cur().text) + "`");
    }
    return root;
  }

  bool uses_out() const { return uses_out_; }
  int max_index_var() const { return max_index_var_; }

 private:
  // Counts parser recursion; fails once it is too deep.
  class DepthGuard {
   public:
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    bool too_deep() const { return *depth_ > kMaxDepth; }

   private:
    int* depth_;
  };

  static bool IsCompare(Tok kind) {
    return kind == Tok::kEq || kind == Tok::kNe || kind == Tok::kLt ||
           kind == Tok::kLe || kind == Tok::kGt || kind == Tok::kGe;
  }

  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Advance() { return tokens_[pos_++]; }

  Status Error(const Token& at, std::string_view message) const {
    return Status::InvalidArgument(FormatError(src_, at.column, message));
  }

  Status Unexpected(std::string_view wanted) const {
    if (Cur().kind == Tok::kEnd) {
      return Error(Cur(), "expected " + std::string(wanted));
    }
    return Error(Cur(), "expected " + std::string(wanted) + ", found `" +
                            std::string(Cur().text) + "`");
  }

  // Consumes the closing bracket `kind` or explains why it is missing.
  Status ExpectClose(Tok kind, std::string_view name) {
    if (IsCompare(Cur().kind)) {
      return Error(Cur(), "comparison operators cannot be chained");
    }
    if (Cur().kind != kind) return Unexpected(name);
    Advance();
    return Status::Ok();
  }

  Status TooDeep() const {
    return Error(Cur(), "expression nests too deeply (limit " +
                            std::to_string(kMaxDepth) + ")");
  }

  // Returns the operator of the current token if it is one of `ops`.
  std::optional<ExprOp> Match(
      std::initializer_list<std::pair<Tok, ExprOp>> ops) const {
    for (const auto& [tok, op] : ops) {
      if (Cur().kind == tok) return op;
    }
    return std::nullopt;
  }

  static NodePtr NewNode(ExprNode::Kind kind, int column) {
    auto node = std::make_unique<ExprNode>();
    node->kind = kind;
    node->column = column;
    return node;
  }

  // Builds a node over `lhs` (and `rhs` if given), checking the height.
  Result<NodePtr> Combine(ExprNode::Kind kind, ExprOp op, const Token& at,
                          NodePtr lhs, NodePtr rhs) const {
    NodePtr node = NewNode(kind, at.column);
    node->op = op;
    node->depth = 1 + std::max(lhs->depth, rhs ? rhs->depth : 0);
    if (node->depth > kMaxDepth) return TooDeep();
    node->lhs = std::move(lhs);
    node->rhs = std::move(rhs);
    return node;
  }

  using LevelFn = Result<NodePtr> (Parser::*)();

  // level (op level)* with left associativity.
  Result<NodePtr> ParseLeftAssoc(
      LevelFn level, std::initializer_list<std::pair<Tok, ExprOp>> ops) {
    UNUM_ASSIGN_OR_RETURN(NodePtr lhs, (this->*level)());
    while (const std::optional<ExprOp> op = Match(ops)) {
      const Token& at = Advance();
      UNUM_ASSIGN_OR_RETURN(NodePtr rhs, (this->*level)());
      UNUM_ASSIGN_OR_RETURN(lhs, Combine(ExprNode::Kind::kBinary, *op, at,
                                         std::move(lhs), std::move(rhs)));
    }
    return lhs;
  }

  Result<NodePtr> ParseOr() {
    DepthGuard guard(&depth_);
    if (guard.too_deep()) return TooDeep();
    return ParseLeftAssoc(&Parser::ParseAnd, {{Tok::kOrOr, ExprOp::kOr}});
  }

  Result<NodePtr> ParseAnd() {
    return ParseLeftAssoc(&Parser::ParseCmp, {{Tok::kAndAnd, ExprOp::kAnd}});
  }

  Result<NodePtr> ParseCmp() {
    UNUM_ASSIGN_OR_RETURN(NodePtr lhs, ParseAdd());
    const std::optional<ExprOp> op = Match({{Tok::kEq, ExprOp::kEq},
                                            {Tok::kNe, ExprOp::kNe},
                                            {Tok::kLt, ExprOp::kLt},
                                            {Tok::kLe, ExprOp::kLe},
                                            {Tok::kGt, ExprOp::kGt},
                                            {Tok::kGe, ExprOp::kGe}});
    if (!op) return lhs;
    const Token& at = Advance();
    UNUM_ASSIGN_OR_RETURN(NodePtr rhs, ParseAdd());
    return Combine(ExprNode::Kind::kBinary, *op, at, std::move(lhs),
                   std::move(rhs));
  }

  Result<NodePtr> ParseAdd() {
    return ParseLeftAssoc(&Parser::ParseMul, {{Tok::kPlus, ExprOp::kAdd},
                                              {Tok::kMinus, ExprOp::kSub}});
  }

  Result<NodePtr> ParseMul() {
    return ParseLeftAssoc(&Parser::ParseUnary, {{Tok::kStar, ExprOp::kMul},
                                                {Tok::kSlash, ExprOp::kDiv},
                                                {Tok::kPercent, ExprOp::kMod}});
  }

  Result<NodePtr> ParseUnary() {
    DepthGuard guard(&depth_);
    if (guard.too_deep()) return TooDeep();
    const std::optional<ExprOp> op =
        Match({{Tok::kNot, ExprOp::kNot}, {Tok::kMinus, ExprOp::kNeg}});
    if (!op) return ParsePostfix();
    const Token& at = Advance();
    UNUM_ASSIGN_OR_RETURN(NodePtr operand, ParseUnary());
    return Combine(ExprNode::Kind::kUnary, *op, at, std::move(operand),
                   nullptr);
  }

  Result<NodePtr> ParsePostfix() {
    UNUM_ASSIGN_OR_RETURN(NodePtr node, ParsePrimary());
    while (Cur().kind == Tok::kDot || Cur().kind == Tok::kLBracket) {
      const Token& at = Advance();
      if (at.kind == Tok::kDot) {
        if (Cur().kind != Tok::kIdent) return Unexpected("a field name");
        const std::string field(Advance().text);
        UNUM_ASSIGN_OR_RETURN(node, Combine(ExprNode::Kind::kField, ExprOp::kOr,
                                            at, std::move(node), nullptr));
        node->field = field;
        continue;
      }
      UNUM_ASSIGN_OR_RETURN(NodePtr index, ParseOr());
      UNUM_RETURN_IF_ERROR(ExpectClose(Tok::kRBracket, "`]`"));
      UNUM_ASSIGN_OR_RETURN(node,
                            Combine(ExprNode::Kind::kIndex, ExprOp::kOr, at,
                                    std::move(node), std::move(index)));
    }
    return node;
  }

  Result<NodePtr> ParsePrimary() {
    const Token& token = Cur();
    switch (token.kind) {
      case Tok::kNumber:
      case Tok::kString: {
        NodePtr node = NewNode(ExprNode::Kind::kLiteral, token.column);
        node->literal = Advance().value;
        return node;
      }
      case Tok::kIdent:
        return ParseKeyword();
      case Tok::kOut:
        uses_out_ = true;
        return NewNode(ExprNode::Kind::kOut, Advance().column);
      case Tok::kSize:
        // $size reads the innermost level, so it needs one as $0 does.
        max_index_var_ = std::max(max_index_var_, 0);
        return NewNode(ExprNode::Kind::kSize, Advance().column);
      case Tok::kIndexVar: {
        NodePtr node = NewNode(ExprNode::Kind::kIndexVar, token.column);
        node->var = Advance().var;
        max_index_var_ = std::max(max_index_var_, node->var);
        return node;
      }
      case Tok::kLParen: {
        Advance();
        UNUM_ASSIGN_OR_RETURN(NodePtr inner, ParseOr());
        UNUM_RETURN_IF_ERROR(ExpectClose(Tok::kRParen, "`)`"));
        return inner;
      }
      default:
        return Unexpected("an operand");
    }
  }

  Result<NodePtr> ParseKeyword() {
    const Token& token = Cur();
    NodePtr node = NewNode(ExprNode::Kind::kLiteral, token.column);
    if (token.text == "true") {
      node->literal = true;
    } else if (token.text == "false") {
      node->literal = false;
    } else if (token.text == "null") {
      node->literal = nullptr;
    } else {
      return Error(token, "unknown name `" + std::string(token.text) +
                              "` (did you mean `$out." +
                              std::string(token.text) + "`?)");
    }
    Advance();
    return node;
  }

  std::string_view src_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool uses_out_ = false;
  int max_index_var_ = -1;
};

// ------------------------------------------------------------ evaluator --

// A value produced during evaluation: either a reference into the
// environment or the AST (no copy), or an owned temporary.
class Value {
 public:
  static Value Ref(const json* ref) {
    Value v;
    v.ref_ = ref;
    return v;
  }
  static Value Own(json owned) {
    Value v;
    v.owned_ = std::move(owned);
    return v;
  }

  const json& get() const { return ref_ != nullptr ? *ref_ : owned_; }
  // A value for `child`, a part of get(): a reference when this is one.
  Value Child(const json& child) const {
    return ref_ != nullptr ? Ref(&child) : Own(child);
  }
  json Take() && { return ref_ != nullptr ? *ref_ : std::move(owned_); }

 private:
  const json* ref_ = nullptr;
  json owned_;
};

std::string_view TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "binary";
  }
}

// The type name, plus the value itself for numbers.
std::string Describe(const json& value) {
  if (value.is_number()) return "number " + ToJsonText(value);
  return std::string(TypeName(value));
}

// A JSON number as int64 (when it is an integer that fits) or double.
struct Num {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;
  double AsDouble() const { return is_int ? static_cast<double>(i) : d; }
};

std::optional<Num> ToNum(const json& value) {
  Num num;
  switch (value.type()) {
    case json::value_t::number_integer:
      num.i = value.get<int64_t>();
      return num;
    case json::value_t::number_unsigned: {
      const uint64_t u = value.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        num.i = static_cast<int64_t>(u);
      } else {
        num.is_int = false;
        num.d = static_cast<double>(u);
      }
      return num;
    }
    case json::value_t::number_float:
      num.is_int = false;
      num.d = value.get<double>();
      return num;
    default:
      return std::nullopt;
  }
}

// -1, 0 or 1 comparing two numbers.
int CompareNums(const Num& a, const Num& b) {
  if (a.is_int && b.is_int) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  const double x = a.AsDouble();
  const double y = b.AsDouble();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool JsonEquals(const json& a, const json& b) {
  const std::optional<Num> x = ToNum(a);
  const std::optional<Num> y = ToNum(b);
  if (x && y) return CompareNums(*x, *y) == 0;
  return a == b;
}

class Evaluator {
 public:
  Evaluator(const ExprEnv& env, std::string_view source)
      : env_(env), src_(source) {}

  Result<Value> Eval(const ExprNode& node) const {
    switch (node.kind) {
      case ExprNode::Kind::kLiteral:
        return Value::Ref(&node.literal);
      case ExprNode::Kind::kOut:
        return EvalOut(node);
      case ExprNode::Kind::kIndexVar:
        return EvalIndexVar(node);
      case ExprNode::Kind::kSize:
        return EvalSize(node);
      case ExprNode::Kind::kField:
        return EvalField(node);
      case ExprNode::Kind::kIndex:
        return EvalIndex(node);
      case ExprNode::Kind::kUnary:
        return EvalUnary(node);
      case ExprNode::Kind::kBinary:
        return EvalBinary(node);
    }
    return Error(node, "unknown expression node");
  }

 private:
  Status Error(const ExprNode& node, std::string_view message) const {
    return Status::InvalidArgument(FormatError(src_, node.column, message));
  }

  size_t StackDepth() const {
    return env_.fanout == nullptr ? 0 : env_.fanout->size();
  }

  Result<Value> EvalOut(const ExprNode& node) const {
    if (env_.out == nullptr) {
      return Error(node, "`$out` is not available here");
    }
    return Value::Ref(env_.out);
  }

  Result<Value> EvalIndexVar(const ExprNode& node) const {
    const size_t k = static_cast<size_t>(node.var);
    if (k >= StackDepth()) {
      return Error(node, "`$" + std::to_string(k) + "` needs a fan-out " +
                             std::to_string(k + 1) + " deep, payload has " +
                             std::to_string(StackDepth()));
    }
    return Value::Own((*env_.fanout)[k].index);
  }

  Result<Value> EvalSize(const ExprNode& node) const {
    if (StackDepth() == 0) {
      return Error(node, "`$size` needs a fan-out, payload has none");
    }
    return Value::Own((*env_.fanout)[0].size);
  }

  Result<Value> EvalField(const ExprNode& node) const {
    UNUM_ASSIGN_OR_RETURN(Value object, Eval(*node.lhs));
    const json& o = object.get();
    if (!o.is_object()) {
      return Error(node,
                   "`." + node.field + "` needs an object, got " + Describe(o));
    }
    return FieldOf(object, node.field);
  }

  static Value FieldOf(const Value& object, const std::string& key) {
    static const json kNull = nullptr;
    const json& o = object.get();
    const auto it = o.find(key);
    if (it == o.end()) return Value::Ref(&kNull);
    return object.Child(*it);
  }

  Result<Value> EvalIndex(const ExprNode& node) const {
    UNUM_ASSIGN_OR_RETURN(Value container, Eval(*node.lhs));
    UNUM_ASSIGN_OR_RETURN(Value index_value, Eval(*node.rhs));
    const json& c = container.get();
    const json& index = index_value.get();
    if (c.is_object()) {
      if (!index.is_string()) {
        return Error(node,
                     "object key must be a string, got " + Describe(index));
      }
      return FieldOf(container, index.get_ref<const std::string&>());
    }
    if (!c.is_array()) {
      return Error(node,
                   "`[...]` needs an array or an object, got " + Describe(c));
    }
    const std::optional<Num> i = ToNum(index);
    if (!i || !i->is_int) {
      return Error(node,
                   "array index must be an integer, got " + Describe(index));
    }
    if (i->i < 0 || static_cast<uint64_t>(i->i) >= c.size()) {
      return Error(node, "index " + std::to_string(i->i) +
                             " is out of range for an array of " +
                             std::to_string(c.size()));
    }
    return container.Child(c[static_cast<size_t>(i->i)]);
  }

  Result<Value> EvalUnary(const ExprNode& node) const {
    UNUM_ASSIGN_OR_RETURN(Value operand, Eval(*node.lhs));
    const json& v = operand.get();
    if (node.op == ExprOp::kNot) {
      if (!v.is_boolean()) {
        return Error(node, "`!` needs a boolean, got " + Describe(v));
      }
      return Value::Own(!v.get<bool>());
    }
    const std::optional<Num> n = ToNum(v);
    if (!n) return Error(node, "`-` needs a number, got " + Describe(v));
    if (!n->is_int) return Value::Own(-n->d);
    if (n->i == std::numeric_limits<int64_t>::min()) {
      return Error(node, "integer overflow in `-`");
    }
    return Value::Own(-n->i);
  }

  Result<Value> EvalBinary(const ExprNode& node) const {
    if (node.op == ExprOp::kAnd || node.op == ExprOp::kOr) {
      return EvalLogical(node);
    }
    UNUM_ASSIGN_OR_RETURN(Value lhs, Eval(*node.lhs));
    UNUM_ASSIGN_OR_RETURN(Value rhs, Eval(*node.rhs));
    const json& a = lhs.get();
    const json& b = rhs.get();
    switch (node.op) {
      case ExprOp::kEq:
        return Value::Own(JsonEquals(a, b));
      case ExprOp::kNe:
        return Value::Own(!JsonEquals(a, b));
      case ExprOp::kLt:
      case ExprOp::kLe:
      case ExprOp::kGt:
      case ExprOp::kGe:
        return EvalOrdering(node, a, b);
      default:
        return EvalArithmetic(node, a, b);
    }
  }

  // Requires a boolean operand of `&&` / `||`.
  Result<bool> Bool(const ExprNode& node, const json& value) const {
    if (!value.is_boolean()) {
      return Error(node, "`" + std::string(OpName(node.op)) +
                             "` needs booleans, got " + Describe(value));
    }
    return value.get<bool>();
  }

  Result<Value> EvalLogical(const ExprNode& node) const {
    UNUM_ASSIGN_OR_RETURN(Value lhs, Eval(*node.lhs));
    UNUM_ASSIGN_OR_RETURN(bool a, Bool(node, lhs.get()));
    const bool is_and = node.op == ExprOp::kAnd;
    if (a != is_and) return Value::Own(a);  // false && _, true || _
    UNUM_ASSIGN_OR_RETURN(Value rhs, Eval(*node.rhs));
    UNUM_ASSIGN_OR_RETURN(bool b, Bool(node, rhs.get()));
    return Value::Own(b);
  }

  Result<Value> EvalOrdering(const ExprNode& node, const json& a,
                             const json& b) const {
    int cmp = 0;
    const std::optional<Num> x = ToNum(a);
    const std::optional<Num> y = ToNum(b);
    if (x && y) {
      cmp = CompareNums(*x, *y);
    } else if (a.is_string() && b.is_string()) {
      const int c = a.get_ref<const std::string&>().compare(
          b.get_ref<const std::string&>());
      cmp = c < 0 ? -1 : (c > 0 ? 1 : 0);
    } else {
      return Error(node, "`" + std::string(OpName(node.op)) +
                             "` needs two numbers or two strings, got " +
                             std::string(TypeName(a)) + " and " +
                             std::string(TypeName(b)));
    }
    switch (node.op) {
      case ExprOp::kLt:
        return Value::Own(cmp < 0);
      case ExprOp::kLe:
        return Value::Own(cmp <= 0);
      case ExprOp::kGt:
        return Value::Own(cmp > 0);
      default:
        return Value::Own(cmp >= 0);
    }
  }

  Result<Value> EvalArithmetic(const ExprNode& node, const json& a,
                               const json& b) const {
    const std::optional<Num> x = ToNum(a);
    const std::optional<Num> y = ToNum(b);
    if (!x || !y) {
      return Error(node, "`" + std::string(OpName(node.op)) +
                             "` needs numbers, got " +
                             std::string(TypeName(a)) + " and " +
                             std::string(TypeName(b)));
    }
    if (x->is_int && y->is_int) return IntArithmetic(node, x->i, y->i);
    return DoubleArithmetic(node, x->AsDouble(), y->AsDouble());
  }

  Result<Value> IntArithmetic(const ExprNode& node, int64_t a,
                              int64_t b) const {
    int64_t r = 0;
    bool overflow = false;
    switch (node.op) {
      case ExprOp::kAdd:
        overflow = __builtin_add_overflow(a, b, &r);
        break;
      case ExprOp::kSub:
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
      case ExprOp::kMul:
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
      case ExprOp::kDiv:
      case ExprOp::kMod:
        if (b == 0) {
          return Error(node, node.op == ExprOp::kDiv ? "division by zero"
                                                     : "modulo by zero");
        }
        if (b == -1) {  // INT64_MIN / -1 overflows; x % -1 is always 0
          if (node.op == ExprOp::kMod) return Value::Own(int64_t{0});
          overflow = __builtin_sub_overflow(int64_t{0}, a, &r);
          break;
        }
        r = node.op == ExprOp::kDiv ? a / b : a % b;
        break;
      default:
        return Error(node, "not an arithmetic operator");
    }
    if (overflow) {
      return Error(
          node, "integer overflow in `" + std::string(OpName(node.op)) + "`");
    }
    return Value::Own(r);
  }

  Result<Value> DoubleArithmetic(const ExprNode& node, double a,
                                 double b) const {
    double r = 0;
    switch (node.op) {
      case ExprOp::kAdd:
        r = a + b;
        break;
      case ExprOp::kSub:
        r = a - b;
        break;
      case ExprOp::kMul:
        r = a * b;
        break;
      case ExprOp::kDiv:
      case ExprOp::kMod:
        if (b == 0) {
          return Error(node, node.op == ExprOp::kDiv ? "division by zero"
                                                     : "modulo by zero");
        }
        r = node.op == ExprOp::kDiv ? a / b : std::fmod(a, b);
        break;
      default:
        return Error(node, "not an arithmetic operator");
    }
    if (!std::isfinite(r)) {
      return Error(node, "arithmetic overflow in `" +
                             std::string(OpName(node.op)) + "`");
    }
    return Value::Own(r);
  }

  const ExprEnv& env_;
  std::string_view src_;
};

}  // namespace

Result<Expr> Expr::Parse(std::string_view source) {
  UNUM_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(source).Run());
  Parser parser(source, std::move(tokens));
  UNUM_ASSIGN_OR_RETURN(NodePtr root, parser.ParseAll());
  Expr expr;
  expr.source_ = std::string(source);
  expr.root_ = std::shared_ptr<const ExprNode>(std::move(root));
  expr.uses_out_ = parser.uses_out();
  expr.max_index_var_ = parser.max_index_var();
  return expr;
}

Result<nlohmann::json> Expr::Eval(const ExprEnv& env) const {
  if (root_ == nullptr) {
    return Status::InvalidArgument("evaluating an expression never parsed");
  }
  UNUM_ASSIGN_OR_RETURN(Value value, Evaluator(env, source_).Eval(*root_));
  return std::move(value).Take();
}

Result<bool> Expr::EvalBool(const ExprEnv& env) const {
  UNUM_ASSIGN_OR_RETURN(nlohmann::json value, Eval(env));
  if (!value.is_boolean()) {
    return Status::InvalidArgument("expression \"" + source_ +
                                   "\": expected a boolean result, got " +
                                   Describe(value));
  }
  return value.get<bool>();
}

Result<int64_t> Expr::EvalInt(const ExprEnv& env) const {
  UNUM_ASSIGN_OR_RETURN(nlohmann::json value, Eval(env));
  const std::optional<Num> num = ToNum(value);
  if (!num || !num->is_int) {
    return Status::InvalidArgument("expression \"" + source_ +
                                   "\": expected an integer result, got " +
                                   Describe(value));
  }
  return num->i;
}

}  // namespace unum::ir
