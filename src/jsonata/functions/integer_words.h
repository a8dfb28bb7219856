// Integers as English words ("one hundred and twenty-three", ordinals
// "twenty-third"), Roman numerals and alphabetic sequences (a, b, ... z,
// aa), both ways: what $formatInteger, $parseInteger and the date/time
// pictures use for the `w`, `I` and `a` presentations.
#ifndef UNUM_JSONATA_FUNCTIONS_INTEGER_WORDS_H_
#define UNUM_JSONATA_FUNCTIONS_INTEGER_WORDS_H_

#include <optional>
#include <string>

namespace unum::jsonata {

// Lower-case English words for a non-negative integer, British style.
std::string IntegerToWords(double n, bool ordinal);
// The value of English words (case-insensitive), or nullopt.
std::optional<double> WordsToInteger(const std::string& words);

std::string IntegerToRoman(double n);
std::optional<double> RomanToInteger(const std::string& roman);

// 1 -> "a", 26 -> "z", 27 -> "aa" (bijective base 26); 0 -> "".
std::string IntegerToLetters(double n, char a);
std::optional<double> LettersToInteger(const std::string& letters, char a);

// The English ordinal suffix of n: "st", "nd", "rd" or "th".
std::string OrdinalSuffix(double n);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_INTEGER_WORDS_H_
