// TextProcessing: the entry function of the text-processing app. It checks
// the input and passes the post text on; its IR fans the text out to
// UserMention (branch 0) and FindUrl (branch 1).
//
// Input:  {"text": "<post text>"}
// Output: "<post text>"
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(TextProcessing)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("text") ||
      !input["text"].is_string()) {
    throw std::invalid_argument(
        "TextProcessing: input field \"text\" must be a string");
  }
  return input["text"];
}
