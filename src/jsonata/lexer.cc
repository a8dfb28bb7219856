#include "jsonata/lexer.h"

#include <cmath>
#include <cstdlib>

#include "jsonata/error.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsOperatorChar(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '{':
    case '}':
    case '(':
    case ')':
    case ',':
    case '@':
    case '#':
    case ';':
    case ':':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '|':
    case '=':
    case '<':
    case '>':
    case '^':
    case '&':
    case '!':
    case '~':
      return true;
    default:
      return false;
  }
}

Token Lexer::Make(Token::Type type, std::string value) const {
  Token t;
  t.type = type;
  t.value = std::move(value);
  t.position = static_cast<int>(pos_);
  return t;
}

void Lexer::SkipSpaceAndComments() {
  for (;;) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    if (pos_ + 1 < text_.size() && text_[pos_] == '/' &&
        text_[pos_ + 1] == '*') {
      std::size_t start = pos_;
      std::size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        throw JsonataError("S0106", static_cast<int>(start));
      }
      pos_ = end + 2;
      continue;
    }
    return;
  }
}

Token Lexer::ScanRegex() {
  // The body ends at a `/` outside brackets that is not escaped.
  std::size_t start = pos_;
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '/' && depth == 0) {
      std::size_t backslashes = 0;
      while (pos_ - backslashes > start &&
             text_[pos_ - backslashes - 1] == '\\') {
        ++backslashes;
      }
      if (backslashes % 2 == 0) {
        std::string body(text_.substr(start, pos_ - start));
        if (body.empty()) throw JsonataError("S0301", static_cast<int>(pos_));
        ++pos_;
        std::size_t flags_start = pos_;
        while (pos_ < text_.size() &&
               (text_[pos_] == 'i' || text_[pos_] == 'm')) {
          ++pos_;
        }
        Token t = Make(Token::Type::kRegex, std::move(body));
        t.flags = std::string(text_.substr(flags_start, pos_ - flags_start));
        return t;
      }
    }
    bool escaped = pos_ > start && text_[pos_ - 1] == '\\';
    if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
    if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
    ++pos_;
  }
  throw JsonataError("S0302", static_cast<int>(pos_));
}

Token Lexer::ScanString(char quote) {
  ++pos_;
  std::string out;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '\\') {
      ++pos_;
      if (pos_ >= text_.size()) break;
      char e = text_[pos_];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          auto hex4 = [&](std::size_t at, unsigned* unit) {
            if (at + 4 > text_.size()) return false;
            unsigned v = 0;
            for (std::size_t i = at; i < at + 4; ++i) {
              int h = HexDigitValue(text_[i]);
              if (h < 0) return false;
              v = v * 16 + static_cast<unsigned>(h);
            }
            *unit = v;
            return true;
          };
          unsigned unit = 0;
          if (!hex4(pos_ + 1, &unit)) {
            throw JsonataError("S0104", static_cast<int>(pos_));
          }
          pos_ += 4;
          unsigned low = 0;
          if (unit >= 0xD800 && unit <= 0xDBFF && pos_ + 2 < text_.size() &&
              text_[pos_ + 1] == '\\' && text_[pos_ + 2] == 'u' &&
              hex4(pos_ + 3, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            pos_ += 6;
            AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
          } else {
            // A lone surrogate has no UTF-8 form: U+FFFD stands for it.
            AppendUtf8(out, (unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit);
          }
          break;
        }
        default:
          throw JsonataError("S0103", static_cast<int>(pos_))
              .Token(std::string(1, e));
      }
      ++pos_;
      continue;
    }
    if (c == quote) {
      ++pos_;
      return Make(Token::Type::kString, std::move(out));
    }
    out += c;
    ++pos_;
  }
  throw JsonataError("S0101", static_cast<int>(pos_));
}

Token Lexer::ScanNumber() {
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)? without the sign: the
  // lexer reads `-` as an operator first.
  std::size_t start = pos_;
  std::size_t p = pos_;
  if (text_[p] == '0') {
    ++p;
  } else {
    while (p < text_.size() && IsDigit(text_[p])) ++p;
  }
  if (p + 1 < text_.size() && text_[p] == '.' && IsDigit(text_[p + 1])) {
    ++p;
    while (p < text_.size() && IsDigit(text_[p])) ++p;
  }
  if (p < text_.size() && (text_[p] == 'e' || text_[p] == 'E')) {
    std::size_t q = p + 1;
    if (q < text_.size() && (text_[q] == '+' || text_[q] == '-')) ++q;
    if (q < text_.size() && IsDigit(text_[q])) {
      while (q < text_.size() && IsDigit(text_[q])) ++q;
      p = q;
    }
  }
  std::string digits(text_.substr(start, p - start));
  double n = std::strtod(digits.c_str(), nullptr);
  if (!std::isfinite(n)) {
    throw JsonataError("S0102", static_cast<int>(start)).Token(digits);
  }
  pos_ = p;
  Token t = Make(Token::Type::kNumber, digits);
  t.number = n;
  return t;
}

Token Lexer::Next(bool infix) {
  SkipSpaceAndComments();
  if (pos_ >= text_.size()) return Make(Token::Type::kEnd, "(end)");
  char c = text_[pos_];
  if (c == '/' && !infix) {
    ++pos_;
    return ScanRegex();
  }
  if (pos_ + 1 < text_.size()) {
    std::string_view two = text_.substr(pos_, 2);
    if (two == ".." || two == ":=" || two == "!=" || two == ">=" ||
        two == "<=" || two == "**" || two == "~>") {
      pos_ += 2;
      return Make(Token::Type::kOperator, std::string(two));
    }
  }
  if (IsOperatorChar(c)) {
    ++pos_;
    return Make(Token::Type::kOperator, std::string(1, c));
  }
  if (c == '"' || c == '\'') return ScanString(c);
  if (IsDigit(c)) return ScanNumber();
  if (c == '`') {
    std::size_t end = text_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      throw JsonataError("S0105", static_cast<int>(pos_));
    }
    std::string name(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return Make(Token::Type::kName, std::move(name));
  }
  std::size_t end = pos_;
  while (end < text_.size() && !IsSpace(text_[end]) &&
         !IsOperatorChar(text_[end])) {
    ++end;
  }
  if (c == '$') {
    std::string name(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end;
    return Make(Token::Type::kVariable, std::move(name));
  }
  std::string name(text_.substr(pos_, end - pos_));
  pos_ = end;
  if (name == "and" || name == "or" || name == "in") {
    return Make(Token::Type::kOperator, std::move(name));
  }
  if (name == "true" || name == "false" || name == "null") {
    return Make(Token::Type::kValue, std::move(name));
  }
  return Make(Token::Type::kName, std::move(name));
}

}  // namespace unum::jsonata
