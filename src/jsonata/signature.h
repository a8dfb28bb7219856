// Signature: a function signature such as `<s-nn?:s>`, parsed once and
// used to check and adjust the arguments of each call.
//
// One symbol per parameter: b n s l a o f j x (boolean, number, string,
// null, array, object, function, any JSON, anything), `(...)` a choice,
// `a<n>` an array of a type, `f<...>` a function (its own signature is not
// checked). Modifiers: `?` optional, `+` one or more, `-` the context
// value stands in when the argument is missing. The return type after `:`
// is not checked (as in jsonata). A non-array argument of an `a` parameter
// is wrapped in an array.
#ifndef UNUM_JSONATA_SIGNATURE_H_
#define UNUM_JSONATA_SIGNATURE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jsonata/value.h"

namespace unum::jsonata {

class Signature {
 public:
  // Throws JsonataError S0401/S0402 at `position` + offset.
  static std::shared_ptr<const Signature> Parse(std::string_view text,
                                                int position);

  // The arguments the function receives. Throws JsonataError T0410,
  // T0411 or T0412 without a position (the caller adds it).
  std::vector<Value> Validate(const std::vector<Value>& args,
                              const Value& context) const;

  // Declared parameters (what jsonata passes a callback: value, index,
  // array up to this many).
  int param_count() const { return static_cast<int>(params_.size()); }

 private:
  struct Param {
    char type = 'x';      // the symbol, or '(' for a choice
    std::string accepts;  // argument symbols this parameter matches
    std::string subtype;  // a<...>: the item type text
    char modifier = 0;    // 0, '?', '+', '-'
  };
  // Matches params_[from..] against symbols[at..]; fills ends[i] with
  // where param i's match ends. With `anchored`, the match must consume
  // everything; `limit` params are considered (a prefix of the list).
  bool Match(const std::string& symbols, std::size_t at, std::size_t from,
             std::size_t limit, bool anchored,
             std::vector<std::size_t>& ends) const;
  [[noreturn]] void ThrowMismatch(const std::vector<Value>& args,
                                  const std::string& symbols) const;

  std::vector<Param> params_;
};

// The one-letter symbol of a value's type in a signature match (`m` for
// undefined).
char SignatureSymbol(const Value& v);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_SIGNATURE_H_
