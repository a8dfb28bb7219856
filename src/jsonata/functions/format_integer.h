// Integer pictures (XPath format-integer): decimal digit patterns with
// grouping separators in any Unicode digit family, words (w, W, Ww),
// Roman numerals (i, I), letters (a, A), and the ordinal modifier `;o`.
// Used by $formatInteger, $parseInteger and the date/time pictures.
#ifndef UNUM_JSONATA_FUNCTIONS_FORMAT_INTEGER_H_
#define UNUM_JSONATA_FUNCTIONS_FORMAT_INTEGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace unum::jsonata {

struct IntegerPicture {
  enum class Kind { kDecimal, kWords, kRoman, kLetters };
  enum class Case { kLower, kUpper, kTitle };
  Kind kind = Kind::kDecimal;
  Case letter_case = Case::kLower;
  bool ordinal = false;
  // kDecimal: the digit family, digit counts and grouping separators
  // (position counted in digits from the right, separator text).
  std::uint32_t zero = '0';
  int mandatory_digits = 0;
  int optional_digits = 0;
  std::vector<std::pair<int, std::string>> groups;
  int regular_every = 0;  // separators repeat every N digits (0: not)
};

// Throws JsonataError D3130 (not a supported picture) or D3131 (digits
// from two families).
IntegerPicture AnalyseIntegerPicture(const std::string& picture);
std::string FormatIntegerAs(double value, const IntegerPicture& picture);
// Nullopt when `text` does not read as the picture.
std::optional<double> ParseIntegerAs(const std::string& text,
                                     const IntegerPicture& picture);

// The zero of the Unicode decimal digit family `cp` belongs to, or
// nullopt when `cp` is not a decimal digit.
std::optional<std::uint32_t> DigitZero(std::uint32_t cp);
// Decimal digits of `digits` (ASCII) rewritten in the family of `zero`.
std::string MapDigits(const std::string& digits, std::uint32_t zero);
// Inserts grouping separators into the digits (counted from the right).
std::string GroupDigits(const std::string& digits,
                        const std::vector<std::pair<int, std::string>>& groups,
                        int regular_every);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_FORMAT_INTEGER_H_
