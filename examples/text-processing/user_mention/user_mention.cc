// UserMention: branch 0 of the text-processing fan-out. Extracts the user
// names mentioned in the text.
//
// A mention is '@' followed by one or more ASCII letters or digits; the
// name is that run of letters and digits (without the '@'). Mentions are
// returned in order of appearance, duplicates included.
//
// Input:  "<post text>"
// Output: ["name", ...]
#include <cctype>
#include <stdexcept>
#include <string>

#include "unum/function.h"

namespace {

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

UNUM_FUNCTION(UserMention)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_string()) {
    throw std::invalid_argument("UserMention: input must be the text string");
  }
  const std::string& text = input.get_ref<const std::string&>();
  unum::Json names = unum::Json::array();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@') continue;
    size_t end = i + 1;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end > i + 1) {
      names.push_back(text.substr(i + 1, end - i - 1));
      i = end - 1;
    }
  }
  return names;
}
