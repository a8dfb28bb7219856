// Outer: the entry function of nested-map. Checks the matrix and passes its
// rows on; its IR maps the rows onto Row instances (outer index i).
//
// Input:  {"matrix": [[int, ...], ...]}   (non-empty, every row non-empty)
// Output: [[int, ...], ...]               (the rows)
#include <stdexcept>
#include <string>

#include "unum/function.h"

UNUM_FUNCTION(Outer)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_object() || !input.contains("matrix") ||
      !input["matrix"].is_array() || input["matrix"].empty()) {
    throw std::invalid_argument(
        "Outer: input field \"matrix\" must be a non-empty array of rows");
  }
  const unum::Json& matrix = input["matrix"];
  for (size_t i = 0; i < matrix.size(); ++i) {
    // An empty row would start a map over nothing, so the row's fan-in
    // would never fire.
    if (!matrix[i].is_array() || matrix[i].empty()) {
      throw std::invalid_argument("Outer: matrix[" + std::to_string(i) +
                                  "] must be a non-empty array of integers");
    }
    for (const unum::Json& x : matrix[i]) {
      if (!x.is_number_integer()) {
        throw std::invalid_argument("Outer: matrix[" + std::to_string(i) +
                                    "] must contain only integers");
      }
    }
  }
  return matrix;
}
