// Splitter: the entry function of wordcount. Splits the text into one
// chunk per mapper; its IR maps the chunks onto Mapper instances.
//
// The text is cut into whitespace-separated tokens; with T tokens and N
// mappers, chunk k holds tokens [k*T/N, (k+1)*T/N) joined by single
// spaces, so chunks never split a word and differ in size by at most one
// token. A chunk may be empty when there are more mappers than tokens.
//
// Input:  {"text": "...", "mappers": N, "reducers": R}   (N, R >= 1)
// Output: [{"text": "<chunk 0>", "reducers": R}, ... N entries]
#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "unum/function.h"

namespace {

// Reads a positive integer field of `input`.
int64_t PositiveField(const unum::Json& input, const char* field) {
  if (!input.contains(field) || !input[field].is_number_integer() ||
      input[field].get<int64_t>() < 1) {
    throw std::invalid_argument(std::string("Splitter: input field \"") +
                                field + "\" must be an integer >= 1");
  }
  return input[field].get<int64_t>();
}

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

}  // namespace

UNUM_FUNCTION(Splitter)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object()) {
    throw std::invalid_argument("Splitter: input must be an object");
  }
  if (!input.contains("text") || !input["text"].is_string()) {
    throw std::invalid_argument(
        "Splitter: input field \"text\" must be a string");
  }
  const int64_t mappers = PositiveField(input, "mappers");
  const int64_t reducers = PositiveField(input, "reducers");
  const std::vector<std::string> tokens =
      Tokens(input["text"].get_ref<const std::string&>());
  const int64_t total = static_cast<int64_t>(tokens.size());

  unum::Json chunks = unum::Json::array();
  for (int64_t k = 0; k < mappers; ++k) {
    std::string chunk;
    for (int64_t t = k * total / mappers; t < (k + 1) * total / mappers; ++t) {
      if (!chunk.empty()) chunk += ' ';
      chunk += tokens[t];
    }
    chunks.push_back({{"text", std::move(chunk)}, {"reducers", reducers}});
  }
  return chunks;
}
