#include "jsonata/functions/format_integer.h"

#include <cctype>
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/functions/integer_words.h"
#include "jsonata/number_text.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// The zero code points of the Unicode decimal digit families (Nd).
constexpr std::uint32_t kZeros[] = {
    0x0030,  0x0660,  0x06F0,  0x07C0, 0x0966, 0x09E6,  0x0A66,  0x0AE6,
    0x0B66,  0x0BE6,  0x0C66,  0x0CE6, 0x0D66, 0x0DE6,  0x0E50,  0x0ED0,
    0x0F20,  0x1040,  0x1090,  0x17E0, 0x1810, 0x1946,  0x19D0,  0x1A80,
    0x1A90,  0x1B50,  0x1BB0,  0x1C40, 0x1C50, 0xA620,  0xA8D0,  0xA900,
    0xA9D0,  0xA9F0,  0xAA50,  0xABF0, 0xFF10, 0x104A0, 0x11066, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6};

std::string ApplyCase(std::string words, IntegerPicture::Case c) {
  if (c == IntegerPicture::Case::kUpper) {
    for (char& ch : words) ch = static_cast<char>(std::toupper(ch));
  } else if (c == IntegerPicture::Case::kTitle) {
    bool start = true;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (start && words.compare(i, 4, "and ") != 0 && std::isalpha(words[i])) {
        words[i] = static_cast<char>(std::toupper(words[i]));
      }
      start = words[i] == ' ' || words[i] == '-';
    }
  }
  return words;
}

}  // namespace

std::optional<std::uint32_t> DigitZero(std::uint32_t cp) {
  for (std::uint32_t zero : kZeros) {
    if (cp >= zero && cp <= zero + 9) return zero;
  }
  return std::nullopt;
}

std::string MapDigits(const std::string& digits, std::uint32_t zero) {
  if (zero == '0') return digits;
  std::string out;
  for (char c : digits) {
    if (c >= '0' && c <= '9') {
      AppendUtf8(out, zero + static_cast<std::uint32_t>(c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string GroupDigits(const std::string& digits,
                        const std::vector<std::pair<int, std::string>>& groups,
                        int regular_every) {
  // Works on code points: the digits may be non-ASCII.
  std::vector<std::uint32_t> cps = CodePoints(digits);
  std::string out;
  const int n = static_cast<int>(cps.size());
  for (int i = 0; i < n; ++i) {
    int from_right = n - i;
    if (i > 0) {
      if (regular_every > 0) {
        if (from_right % regular_every == 0) out += groups[0].second;
      } else {
        for (const auto& [pos, sep] : groups) {
          if (pos == from_right) out += sep;
        }
      }
    }
    AppendUtf8(out, cps[static_cast<std::size_t>(i)]);
  }
  if (regular_every == 0) {
    for (const auto& [pos, sep] : groups) {
      if (pos == 0) out += sep;
    }
  }
  return out;
}

IntegerPicture AnalyseIntegerPicture(const std::string& full) {
  IntegerPicture pic;
  std::string primary = full;
  std::size_t semi = full.rfind(';');
  if (semi != std::string::npos) {
    primary = full.substr(0, semi);
    std::string modifier = full.substr(semi + 1);
    pic.ordinal = !modifier.empty() && modifier[0] == 'o';
  }
  if (primary == "A" || primary == "a") {
    pic.kind = IntegerPicture::Kind::kLetters;
    pic.letter_case = primary == "A" ? IntegerPicture::Case::kUpper
                                     : IntegerPicture::Case::kLower;
    return pic;
  }
  if (primary == "I" || primary == "i") {
    pic.kind = IntegerPicture::Kind::kRoman;
    pic.letter_case = primary == "I" ? IntegerPicture::Case::kUpper
                                     : IntegerPicture::Case::kLower;
    return pic;
  }
  if (primary == "w" || primary == "W" || primary == "Ww") {
    pic.kind = IntegerPicture::Kind::kWords;
    pic.letter_case = primary == "w"   ? IntegerPicture::Case::kLower
                      : primary == "W" ? IntegerPicture::Case::kUpper
                                       : IntegerPicture::Case::kTitle;
    return pic;
  }
  // A decimal digit pattern: digits of one family, '#', and separators.
  std::vector<std::uint32_t> cps = CodePoints(primary);
  std::optional<std::uint32_t> family;
  for (std::uint32_t cp : cps) {
    if (auto zero = DigitZero(cp)) {
      if (family && *family != *zero) {
        throw JsonataError("D3131", -1);
      }
      family = zero;
    }
  }
  if (!family) {
    throw JsonataError("D3130", -1).With(Value::String(primary));
  }
  pic.zero = *family;
  int digits_right = 0;
  for (std::size_t i = cps.size(); i-- > 0;) {
    std::uint32_t cp = cps[i];
    if (DigitZero(cp)) {
      ++pic.mandatory_digits;
      ++digits_right;
    } else if (cp == '#') {
      ++pic.optional_digits;
      ++digits_right;
    } else {
      std::string sep;
      AppendUtf8(sep, cp);
      pic.groups.insert(pic.groups.begin(), {digits_right, sep});
    }
  }
  // Regular: one separator repeated every N digits from the right.
  if (!pic.groups.empty()) {
    int n = pic.groups.back().first;
    bool regular = n > 0;
    for (std::size_t k = 0; k < pic.groups.size() && regular; ++k) {
      const auto& [pos, sep] = pic.groups[pic.groups.size() - 1 - k];
      if (pos != n * static_cast<int>(k + 1) ||
          sep != pic.groups.back().second) {
        regular = false;
      }
    }
    if (regular) pic.regular_every = n;
  }
  return pic;
}

std::string FormatIntegerAs(double value, const IntegerPicture& pic) {
  double n = std::floor(value);
  std::string sign = n < 0 ? "-" : "";
  double a = std::fabs(n);
  switch (pic.kind) {
    case IntegerPicture::Kind::kWords:
      return sign + ApplyCase(IntegerToWords(a, pic.ordinal), pic.letter_case);
    case IntegerPicture::Kind::kRoman: {
      std::string r = IntegerToRoman(a);
      if (pic.letter_case == IntegerPicture::Case::kLower) {
        for (char& c : r) c = static_cast<char>(std::tolower(c));
      }
      return sign + r;
    }
    case IntegerPicture::Kind::kLetters:
      return sign +
             IntegerToLetters(a, pic.letter_case == IntegerPicture::Case::kUpper
                                     ? 'A'
                                     : 'a');
    case IntegerPicture::Kind::kDecimal:
      break;
  }
  std::string digits = JsNumberToString(a);
  while (static_cast<int>(digits.size()) < pic.mandatory_digits) {
    digits.insert(digits.begin(), '0');
  }
  std::string out =
      GroupDigits(MapDigits(digits, pic.zero), pic.groups, pic.regular_every);
  if (pic.ordinal) out += OrdinalSuffix(a);
  return sign + out;
}

std::optional<double> ParseIntegerAs(const std::string& text,
                                     const IntegerPicture& pic) {
  switch (pic.kind) {
    case IntegerPicture::Kind::kWords:
      return WordsToInteger(text);
    case IntegerPicture::Kind::kRoman:
      return RomanToInteger(text);
    case IntegerPicture::Kind::kLetters:
      return LettersToInteger(
          text, pic.letter_case == IntegerPicture::Case::kUpper ? 'A' : 'a');
    case IntegerPicture::Kind::kDecimal:
      break;
  }
  double n = 0;
  bool any = false;
  for (std::uint32_t cp : CodePoints(text)) {
    if (auto zero = DigitZero(cp)) {
      n = n * 10 + (cp - *zero);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return n;
}

}  // namespace unum::jsonata
