// Hello: the first step of the hello-world chain.
//
// Input:  {"name": "<someone>"}
// Output: "Hello, <someone>"
#include <stdexcept>
#include <string>

#include "unum/function.h"

UNUM_FUNCTION(Hello)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("name") ||
      !input["name"].is_string()) {
    throw std::invalid_argument("Hello: input field \"name\" must be a string");
  }
  return "Hello, " + input["name"].get<std::string>();
}
