// JsonataError: how the parser and the evaluator fail internally.
//
// Thrown inside the library only and caught by Expression::Parse and
// Expression::Evaluate, which return it as an unum::jsonata::Error; no
// exception leaves the library. Messages are built from the code and the
// offending token or value.
#ifndef UNUM_JSONATA_ERROR_H_
#define UNUM_JSONATA_ERROR_H_

#include <string>
#include <string_view>

#include "jsonata/value.h"
#include "unum/jsonata.h"

namespace unum::jsonata {

class JsonataError {
 public:
  JsonataError(std::string code, int position) noexcept
      : code_(std::move(code)), position_(position) {}
  JsonataError& Token(std::string t) {
    token_ = std::move(t);
    has_token_ = true;
    return *this;
  }
  JsonataError& With(Value v) {
    value_ = std::move(v);
    return *this;
  }
  JsonataError& With2(Value v) {
    value2_ = std::move(v);
    return *this;
  }
  JsonataError& Index(int i) {
    index_ = i;
    return *this;
  }
  // A message given by the expression itself ($error, $assert).
  JsonataError& Message(std::string m) {
    message_ = std::move(m);
    return *this;
  }

  const std::string& code() const { return code_; }
  int position() const { return position_; }
  bool has_position() const { return position_ >= 0; }
  void set_position(int p) { position_ = p; }
  bool has_token() const { return has_token_; }
  const std::string& token() const { return token_; }

  // The error as the public API reports it; `text` is the expression (to
  // count the position in characters, as jsonata does).
  Error ToError(std::string_view text) const;

 private:
  std::string code_;
  int position_;
  std::string token_;
  bool has_token_ = false;
  Value value_, value2_;
  int index_ = 0;
  std::string message_;
};

// The character offset (UTF-16 units, as JavaScript counts) of byte
// offset `byte` in `text`.
int CharPosition(std::string_view text, int byte);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_ERROR_H_
