// Instance names (src/runtime/names, src/ir/name_template): validating
// names and expanding fan-in name templates.
#include <benchmark/benchmark.h>

#include "ir/expr.h"
#include "ir/fanout.h"
#include "ir/name_template.h"
#include "runtime/names.h"
#include "runtime/payload.h"

namespace {

using unum::ir::FanOutStack;
using unum::ir::NameTemplate;

void BM_ValidateInstanceName(benchmark::State& state) {
  const std::string name = "Reducer-unumIndex-17.3";
  for (auto _ : state) {
    auto s = unum::runtime::ValidateInstanceName(name);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ValidateInstanceName);

void BM_ValidateSessionId(benchmark::State& state) {
  const std::string id = "5f0c7a5e-1b7e-4a43-9a53-3c1d2f5e9b10";
  for (auto _ : state) {
    auto s = unum::runtime::ValidateSessionId(id);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ValidateSessionId);

void BM_InstanceName(benchmark::State& state) {
  const FanOutStack stack = {{"Map", 3, 20, "", 0}, {"Map", 1, 4, "", 0}};
  for (auto _ : state) {
    std::string name = unum::ir::InstanceName("Reducer", stack);
    benchmark::DoNotOptimize(name);
  }
}
BENCHMARK(BM_InstanceName);

// Expanding "Work-unumIndex-*" under a fan-out of range(0) branches: what
// the branch that invokes an N-way fan-in aggregator pays.
void BM_ExpandGlob(benchmark::State& state) {
  const auto t = NameTemplate::Parse("Work-unumIndex-*").value();
  const FanOutStack stack = {
      {"Map", 0, static_cast<int64_t>(state.range(0)), "", 0}};
  for (auto _ : state) {
    auto names = t.Expand(stack);
    benchmark::DoNotOptimize(names);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ExpandGlob)->Arg(10)->Arg(1000);

// Binding without expanding (what every other branch pays).
void BM_BindGlob(benchmark::State& state) {
  const auto t = NameTemplate::Parse("Stage-unumIndex-($0+1).$1").value();
  const FanOutStack stack = {{"Map", 3, 20, "", 0}, {"Map", 1, 4, "", 0}};
  for (auto _ : state) {
    auto bound = t.Bind(stack);
    benchmark::DoNotOptimize(bound);
  }
}
BENCHMARK(BM_BindGlob);

}  // namespace
