// Source: the entry function of the pipeline app. Tags every item with its
// position; its IR maps the tagged items onto Stage instances.
//
// Input:  {"items": [int, ...]}   (non-empty)
// Output: [{"i": 0, "item": int}, {"i": 1, "item": int}, ...]
#include <stdexcept>

#include "unum/function.h"

UNUM_FUNCTION(Source)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("items") ||
      !input["items"].is_array() || input["items"].empty()) {
    throw std::invalid_argument(
        "Source: input field \"items\" must be a non-empty array of integers");
  }
  unum::Json tagged = unum::Json::array();
  for (size_t i = 0; i < input["items"].size(); ++i) {
    const unum::Json& item = input["items"][i];
    if (!item.is_number_integer()) {
      throw std::invalid_argument(
          "Source: input field \"items\" must contain only integers");
    }
    tagged.push_back({{"i", i}, {"item", item}});
  }
  return tagged;
}
