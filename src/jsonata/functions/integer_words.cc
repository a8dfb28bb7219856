#include "jsonata/functions/integer_words.h"

#include <cctype>
#include <cmath>
#include <map>
#include <vector>

namespace unum::jsonata {
namespace {

const char* const kOnes[] = {"zero",    "one",       "two",      "three",
                             "four",    "five",      "six",      "seven",
                             "eight",   "nine",      "ten",      "eleven",
                             "twelve",  "thirteen",  "fourteen", "fifteen",
                             "sixteen", "seventeen", "eighteen", "nineteen"};
const char* const kOnesOrdinal[] = {
    "zeroth",    "first",     "second",      "third",      "fourth",
    "fifth",     "sixth",     "seventh",     "eighth",     "ninth",
    "tenth",     "eleventh",  "twelfth",     "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
const char* const kTens[] = {"",      "ten",   "twenty",  "thirty", "forty",
                             "fifty", "sixty", "seventy", "eighty", "ninety"};
const char* const kTensOrdinal[] = {
    "",         "tenth",    "twentieth",  "thirtieth", "fortieth",
    "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"};

struct Scale {
  double value;
  const char* name;
};
const Scale kScales[] = {{1e12, "trillion"},
                         {1e9, "billion"},
                         {1e6, "million"},
                         {1e3, "thousand"},
                         {1e2, "hundred"}};

std::string Words(double n, bool ordinal) {
  if (n < 20) {
    int i = static_cast<int>(n);
    return ordinal ? kOnesOrdinal[i] : kOnes[i];
  }
  if (n < 100) {
    int tens = static_cast<int>(n / 10);
    int ones = static_cast<int>(std::fmod(n, 10));
    if (ones == 0) return ordinal ? kTensOrdinal[tens] : kTens[tens];
    return std::string(kTens[tens]) + "-" + Words(ones, ordinal);
  }
  for (const Scale& s : kScales) {
    if (n < s.value) continue;
    double head = std::floor(n / s.value);
    double rest = std::fmod(n, s.value);
    std::string out = Words(head, false) + " " + s.name;
    if (rest == 0) return ordinal ? out + "th" : out;
    out += rest < 100 ? " and " : ", ";
    return out + Words(rest, ordinal);
  }
  return "";
}

}  // namespace

std::string IntegerToWords(double n, bool ordinal) {
  return Words(std::floor(n), ordinal);
}

std::optional<double> WordsToInteger(const std::string& words) {
  static const auto* kValues = [] {
    auto* m = new std::map<std::string, double>();
    for (int i = 0; i < 20; ++i) {
      (*m)[kOnes[i]] = i;
      (*m)[kOnesOrdinal[i]] = i;
    }
    for (int i = 2; i < 10; ++i) {
      (*m)[kTens[i]] = i * 10;
      (*m)[kTensOrdinal[i]] = i * 10;
    }
    return m;
  }();
  std::vector<std::string> tokens;
  std::string token;
  for (char c : words) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!token.empty()) {
      tokens.push_back(token);
      token.clear();
    }
  }
  if (!token.empty()) tokens.push_back(token);
  if (tokens.empty()) return std::nullopt;
  // Sums within a group, multiplied out by each scale word: "one hundred
  // and twenty-three thousand, four" = (1*100+23)*1000 + 4.
  double total = 0, group = 0;
  for (std::string t : tokens) {
    if (t == "and") continue;
    if (t.size() > 2 && t.compare(t.size() - 2, 2, "th") == 0) {
      std::string base = t.substr(0, t.size() - 2);
      for (const Scale& s : kScales) {
        if (base == s.name) t = base;
      }
    }
    auto known = kValues->find(t);
    if (known != kValues->end()) {
      group += known->second;
      continue;
    }
    bool scaled = false;
    for (const Scale& s : kScales) {
      if (t != s.name) continue;
      scaled = true;
      if (s.value == 1e2) {
        group *= 100;
      } else {
        total += (group == 0 ? 1 : group) * s.value;
        group = 0;
      }
    }
    if (!scaled) return std::nullopt;
  }
  return total + group;
}

std::string IntegerToRoman(double n) {
  static const std::pair<int, const char*> kNumerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"},
      {90, "XC"},  {50, "L"},   {40, "XL"}, {10, "X"},   {9, "IX"},
      {5, "V"},    {4, "IV"},   {1, "I"}};
  std::string out;
  double rest = std::floor(n);
  for (const auto& [value, text] : kNumerals) {
    while (rest >= value) {
      out += text;
      rest -= value;
    }
  }
  return out;
}

std::optional<double> RomanToInteger(const std::string& roman) {
  auto value = [](char c) -> int {
    switch (std::toupper(static_cast<unsigned char>(c))) {
      case 'I':
        return 1;
      case 'V':
        return 5;
      case 'X':
        return 10;
      case 'L':
        return 50;
      case 'C':
        return 100;
      case 'D':
        return 500;
      case 'M':
        return 1000;
      default:
        return 0;
    }
  };
  double total = 0;
  for (std::size_t i = 0; i < roman.size(); ++i) {
    int v = value(roman[i]);
    if (v == 0) return std::nullopt;
    int next = i + 1 < roman.size() ? value(roman[i + 1]) : 0;
    total += next > v ? -v : v;
  }
  return total;
}

std::string IntegerToLetters(double n, char a) {
  std::string out;
  double rest = std::floor(n);
  while (rest > 0) {
    double digit = std::fmod(rest - 1, 26);
    out.insert(out.begin(), static_cast<char>(a + static_cast<int>(digit)));
    rest = std::floor((rest - 1) / 26);
  }
  return out;
}

std::optional<double> LettersToInteger(const std::string& letters, char a) {
  if (letters.empty()) return std::nullopt;
  double total = 0;
  for (char c : letters) {
    int d = c - a;
    if (d < 0 || d >= 26) return std::nullopt;
    total = total * 26 + d + 1;
  }
  return total;
}

std::string OrdinalSuffix(double n) {
  double last2 = std::fmod(std::fabs(n), 100);
  double last = std::fmod(std::fabs(n), 10);
  if (last2 >= 11 && last2 <= 13) return "th";
  if (last == 1) return "st";
  if (last == 2) return "nd";
  if (last == 3) return "rd";
  return "th";
}

}  // namespace unum::jsonata
