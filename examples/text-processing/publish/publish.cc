// Publish: the terminal function. The reference app stores the post in a
// database; this example has no external services, so it checks the post
// and returns it as the workflow result.
//
// Input/Output: {"user_names": [...], "urls": [[...], ...]}
#include <stdexcept>
#include <string>

#include "unum/function.h"

UNUM_FUNCTION(Publish)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object()) {
    throw std::invalid_argument("Publish: input must be the post object");
  }
  for (const char* field : {"user_names", "urls"}) {
    if (!input.contains(field) || !input[field].is_array()) {
      throw std::invalid_argument(std::string("Publish: input field \"") +
                                  field + "\" must be an array");
    }
  }
  return input;
}
