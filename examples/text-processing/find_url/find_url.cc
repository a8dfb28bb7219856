// FindUrl: branch 1 of the text-processing fan-out. Finds the http(s) URLs
// in the text.
//
// A URL starts with "http://" or "https://" and runs to the next
// whitespace character; trailing sentence punctuation (. , ; : ! ? ) ' ")
// is not part of it. URLs are returned in order of appearance.
//
// Input:  "<post text>"
// Output: ["https://...", ...]
#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

#include "unum/function.h"

namespace {

constexpr std::string_view kTrailingPunctuation = ".,;:!?)'\"";

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Length of the URL scheme ("http://" or "https://") at `pos`, or 0.
size_t SchemeLength(std::string_view text, size_t pos) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (text.substr(pos, scheme.size()) == scheme) return scheme.size();
  }
  return 0;
}

}  // namespace

UNUM_FUNCTION(FindUrl)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_string()) {
    throw std::invalid_argument("FindUrl: input must be the text string");
  }
  std::string_view text = input.get_ref<const std::string&>();
  unum::Json urls = unum::Json::array();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t scheme = SchemeLength(text, pos);
    if (scheme == 0) {
      ++pos;
      continue;
    }
    size_t end = pos + scheme;
    while (end < text.size() && !IsSpace(text[end])) ++end;
    size_t url_end = end;
    while (url_end > pos + scheme &&
           kTrailingPunctuation.find(text[url_end - 1]) !=
               std::string_view::npos) {
      --url_end;
    }
    if (url_end > pos + scheme) {
      urls.push_back(std::string(text.substr(pos, url_end - pos)));
    }
    pos = end;
  }
  return urls;
}
