// Fuzz target: the IR expression language. The first line of the input is
// parsed as an expression, a Fan-in name template and a payload modifier;
// the rest, when it is JSON, is `$out`. Whatever parses is evaluated under
// a fixed fan-out stack. Errors are fine; crashes, UB and hangs are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json_text.h"
#include "fuzz/fuzz_check.h"
#include "ir/expr.h"
#include "ir/fanout.h"

namespace {

using nlohmann::json;
using unum::ir::FanOutStack;

const FanOutStack kStack = {{"Map", 2, 5}, {"Parallel", 1, 3}, {"Map", 0, 2}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string_view source = text.substr(0, newline);
  json out = json::object({{"n", 3}, {"s", "x"}, {"a", {1, 2.5, nullptr}}});
  if (newline != std::string_view::npos) {
    auto parsed = unum::ParseJsonText(text.substr(newline + 1), "$out");
    if (parsed.ok()) out = std::move(parsed).value();
  }
  const unum::ir::ExprEnv env{&out, &kStack};

  if (auto expr = unum::ir::Expr::Parse(source); expr.ok()) {
    auto value = expr->Eval(env);
    if (!value.ok()) FUZZ_CHECK(!value.status().message().empty());
    (void)expr->EvalBool(env);
    (void)expr->EvalInt(env);
  } else {
    FUZZ_CHECK(expr.status().code() == unum::StatusCode::kInvalidArgument);
  }

  if (auto name = unum::ir::NameTemplate::Parse(source); name.ok()) {
    auto names = name->Expand(kStack);
    if (names.ok()) {
      FUZZ_CHECK(name->has_glob() || names->size() == 1);
    }
  }

  if (auto modifier = unum::ir::Modifier::Parse(source); modifier.ok()) {
    FanOutStack stack = kStack;
    const unum::Status applied = modifier->Apply(&stack);
    if (!applied.ok()) FUZZ_CHECK(stack == kStack);
  }
  return 0;
}
