// World: the second (terminal) step of the hello-world chain. Appends to
// the greeting it receives from Hello.
//
// Input:  "Hello, <someone>"
// Output: "Hello, <someone>, and hello world!"
#include <stdexcept>
#include <string>

#include "unum/function.h"

UNUM_FUNCTION(World)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_string()) {
    throw std::invalid_argument(
        "World: input must be the greeting string produced by Hello");
  }
  return input.get<std::string>() + ", and hello world!";
}
