// Lexer: splits a JSONata expression into tokens on demand.
//
// Whether `/` starts a regular expression or divides depends on where the
// parser is: the parser asks for the next token with `infix` true when an
// operator may follow (then `/` divides) and false where an operand is
// expected.
#ifndef UNUM_JSONATA_LEXER_H_
#define UNUM_JSONATA_LEXER_H_

#include <string>
#include <string_view>

namespace unum::jsonata {

struct Token {
  enum class Type {
    kEnd,
    kOperator,
    kString,
    kNumber,
    kValue,  // true, false, null (text in `value`)
    kName,
    kVariable,
    kRegex,
  };
  Type type = Type::kEnd;
  std::string value;  // operator text, name, variable, string, regex body
  double number = 0;
  std::string flags;  // regex flags (i, m)
  int position = 0;   // byte offset just after the token
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  // The next token; throws JsonataError (S01xx, S03xx) on bad text.
  Token Next(bool infix);

 private:
  Token Make(Token::Type type, std::string value) const;
  Token ScanRegex();
  Token ScanString(char quote);
  Token ScanNumber();
  void SkipSpaceAndComments();

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Whether `c` is one of the single-character operators (a name ends there).
bool IsOperatorChar(char c);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_LEXER_H_
