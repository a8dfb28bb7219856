// Fuzz target: the JSONata evaluator. The first line of the input is a
// JSONata expression; the rest, when it is JSON, is the input document.
// What parses is evaluated under small limits. Errors are fine (each must
// carry a jsonata error code); crashes, UB, leaks and hangs are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "unum/jsonata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string_view source = text.substr(0, newline);
  std::optional<nlohmann::json> input;
  if (newline != std::string_view::npos) {
    auto parsed = unum::ParseJsonText(text.substr(newline + 1), "input");
    if (parsed.ok()) input = std::move(parsed).value();
  }
  unum::jsonata::Error error;
  auto expr = unum::jsonata::Expression::Parse(source, &error);
  if (!expr.ok()) {
    FUZZ_CHECK(!error.code.empty());
    FUZZ_CHECK(error.code[0] == 'S' || error.code[0] == 'U');
    return 0;
  }
  unum::jsonata::Limits limits;
  limits.timeout = std::chrono::milliseconds(2000);
  limits.max_string_bytes = 1 << 20;
  limits.max_array_items = 100000;
  auto result = expr->Evaluate(input, {}, limits, &error);
  if (!result.ok()) {
    FUZZ_CHECK(!error.code.empty());
    FUZZ_CHECK(!error.message.empty());
    return 0;
  }
  if (*result) (void)unum::ToJsonText(**result);
  return 0;
}
