// Invocation payloads (src/runtime/payload): parse and encode the JSON a
// function receives, for an inline input and for a 1,000-way fan-in.
#include <benchmark/benchmark.h>

#include <string>

#include "runtime/payload.h"

namespace {

using nlohmann::json;
using unum::runtime::ParsePayload;
using unum::runtime::ToJson;

json InlinePayload() {
  return {{"Data", {{"Source", "http"}, {"Value", {{"x", 1}, {"y", "abc"}}}}},
          {"Session", "5f0c7a5e-1b7e-4a43-9a53-3c1d2f5e9b10"},
          {"Fan-out",
           {{"Type", "Map"},
            {"Index", 3},
            {"Size", 20},
            {"OuterLoop", {{"Type", "Map"}, {"Index", 1}, {"Size", 4}}}}},
          {"GC", {{"Parent", "Fan-unumIndex-1"}, {"Children", 20}}}};
}

json FanInPayload(int n) {
  json names = json::array();
  for (int i = 0; i < n; ++i)
    names.push_back("Work-unumIndex-" + std::to_string(i));
  return {{"Data", {{"Source", "datastore"}, {"Value", names}}},
          {"Session", "5f0c7a5e-1b7e-4a43-9a53-3c1d2f5e9b10"}};
}

void BM_PayloadDecodeInline(benchmark::State& state) {
  const json doc = InlinePayload();
  for (auto _ : state) {
    auto p = ParsePayload(doc);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_PayloadDecodeInline);

void BM_PayloadEncodeInline(benchmark::State& state) {
  const auto p = ParsePayload(InlinePayload()).value();
  for (auto _ : state) {
    json doc = ToJson(p);
    benchmark::DoNotOptimize(doc);
  }
}
BENCHMARK(BM_PayloadEncodeInline);

// Decoding from text too: what a platform that ships payloads as strings
// pays.
void BM_PayloadDecodeInlineText(benchmark::State& state) {
  const std::string text = InlinePayload().dump();
  for (auto _ : state) {
    auto p = ParsePayload(json::parse(text));
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_PayloadDecodeInlineText);

void BM_PayloadDecodeFanIn(benchmark::State& state) {
  const json doc = FanInPayload(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto p = ParsePayload(doc);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PayloadDecodeFanIn)->Arg(10)->Arg(1000);

}  // namespace
