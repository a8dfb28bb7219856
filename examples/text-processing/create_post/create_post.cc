// CreatePost: the fan-in of the two branches. Its input is the array of
// the branch outputs in the order its fan-in Values list them:
// [UserMention-unumIndex-0, ShortenUrl-unumIndex-1].
//
// Input:  [["name", ...], [["url", "short"], ...]]
// Output: {"user_names": ["name", ...], "urls": [["url", "short"], ...]}
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(CreatePost)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array() || input.size() != 2) {
    throw std::invalid_argument(
        "CreatePost: input must be the 2 branch outputs [user names, urls]");
  }
  if (!input[0].is_array()) {
    throw std::invalid_argument(
        "CreatePost: input[0] (user names) must be an array");
  }
  if (!input[1].is_array()) {
    throw std::invalid_argument("CreatePost: input[1] (urls) must be an array");
  }
  return {{"user_names", input[0]}, {"urls", input[1]}};
}
