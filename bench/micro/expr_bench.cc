// Expression language (src/ir/expr): parsing and evaluating the kinds of
// expressions IR edges carry.
#include <benchmark/benchmark.h>

#include "ir/expr.h"

namespace {

using unum::ir::Expr;
using unum::ir::ExprEnv;
using unum::ir::FanOutStack;

const FanOutStack kStack = {{"Map", 3, 20, "", 0}, {"Map", 1, 4, "", 0}};

void BM_ExprParse(benchmark::State& state) {
  for (auto _ : state) {
    auto e = Expr::Parse("$0 + 1 < $size && $out.total > 10");
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_ExprParse);

void BM_ExprEvalConditional(benchmark::State& state) {
  auto e = Expr::Parse("$0 + 1 < $size && $out.total > 10").value();
  const nlohmann::json out = {{"total", 42}, {"name", "x"}};
  const ExprEnv env{&out, &kStack};
  for (auto _ : state) {
    auto r = e.EvalBool(env);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExprEvalConditional);

void BM_ExprEvalIndex(benchmark::State& state) {
  auto e = Expr::Parse("($0 * 7 + $1) % $size").value();
  const ExprEnv env{nullptr, &kStack};
  for (auto _ : state) {
    auto r = e.EvalInt(env);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExprEvalIndex);

}  // namespace
