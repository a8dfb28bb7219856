// Mapper: counts the words of one chunk.
//
// Word definition (shared with the expected-output script, see README):
// ASCII letters are lower-cased; a word is a maximal run of the letters
// a-z; every other byte (digits, punctuation, apostrophes, whitespace,
// non-ASCII bytes) separates words.
//
// Input:  {"text": "<chunk>", "reducers": R}
// Output: {"reducers": R, "counts": {"word": count, ...}}
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "unum/function.h"

namespace {

char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

UNUM_FUNCTION(Mapper)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("text") ||
      !input["text"].is_string()) {
    throw std::invalid_argument(
        "Mapper: input field \"text\" must be a string");
  }
  if (!input.contains("reducers") || !input["reducers"].is_number_integer()) {
    throw std::invalid_argument(
        "Mapper: input field \"reducers\" must be an integer");
  }
  std::map<std::string, int64_t> counts;
  std::string word;
  for (char raw : input["text"].get_ref<const std::string&>()) {
    char c = LowerAscii(raw);
    if (c >= 'a' && c <= 'z') {
      word += c;
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  if (!word.empty()) ++counts[word];
  return {{"reducers", input["reducers"]}, {"counts", counts}};
}
