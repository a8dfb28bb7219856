// One full runtime step (src/runtime): a Runtime on a memory datastore and
// a platform that records invocations instead of running them. Each
// iteration delivers one chain-step invocation (B, in A -> B -> C) of a new
// session: the checkpoint lookup, the user code (the identity), the
// checkpoint write, GC of the parent's checkpoint and the invocation of C.
// This is Unum's per-transition orchestration overhead without network.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "datastore/counting_datastore.h"
#include "datastore/memory/memory_datastore.h"
#include "ir/ir_parser.h"
#include "runtime/runtime.h"

namespace {

using nlohmann::json;

class RecordingPlatform : public unum::Platform {
 public:
  unum::Status Invoke(const std::string& function,
                      json payload) override {
    ++invocations;
    last_function = function;
    return unum::Status::Ok();
  }
  unum::Status InvokeAfter(std::chrono::milliseconds, const std::string& f,
                           json payload) override {
    return Invoke(f, payload);
  }
  int MaxAttempts() const override { return 3; }

  int64_t invocations = 0;
  std::string last_function;
};

constexpr size_t kBatch = 4096;  // deliveries per fresh store

// A fresh store and runtime with B registered, and kBatch invocations of B
// in distinct sessions.
struct Fixture {
  explicit Fixture(bool checkpoint, bool gc, int64_t* session_counter) {
    counting = std::make_unique<unum::CountingDatastore>(&memory);
    runtime =
        std::make_unique<unum::runtime::Runtime>(counting.get(), &platform);
    json ir = {{"Name", "B"},
               {"Checkpoint", checkpoint},
               {"Next", {{"Name", "C"}, {"InputType", "Scalar"}}}};
    auto config = unum::ir::ParseFunctionConfig(ir, "bench").value();
    auto status = runtime->AddFunction(
        config, [](const json& in, unum::Context&) -> unum::Result<json> {
          return in;
        });
    if (!status.ok()) std::abort();
    for (size_t i = 0; i < kBatch; ++i) {
      json payload = {
          {"Data", {{"Source", "http"}, {"Value", {{"x", 1}}}}},
          {"Session", "bench-session-" + std::to_string((*session_counter)++)}};
      if (gc) payload["GC"] = {{"Parent", "A"}, {"Children", 1}};
      invocations.push_back(unum::Invocation{"B", std::move(payload), 1});
    }
  }
  unum::MemoryDatastore memory;
  std::unique_ptr<unum::CountingDatastore> counting;
  RecordingPlatform platform;
  std::unique_ptr<unum::runtime::Runtime> runtime;
  std::vector<unum::Invocation> invocations;
};

void RunSteps(benchmark::State& state, bool checkpoint, bool gc) {
  int64_t sessions = 0;
  int64_t ops = 0;
  int64_t invoked = 0;
  auto fixture = std::make_unique<Fixture>(checkpoint, gc, &sessions);
  size_t next = 0;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      const auto s = fixture->counting->stats();
      ops += s.get_checkpoint + s.put_checkpoint + s.get_checkpoints +
             s.set_add + s.delete_checkpoint + s.delete_set + s.session_record;
      invoked += fixture->platform.invocations;
      fixture = std::make_unique<Fixture>(checkpoint, gc, &sessions);
      next = 0;
      state.ResumeTiming();
    }
    auto status = fixture->runtime->Handle(fixture->invocations[next++]);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  const auto s = fixture->counting->stats();
  ops += s.get_checkpoint + s.put_checkpoint + s.get_checkpoints + s.set_add +
         s.delete_checkpoint + s.delete_set + s.session_record;
  invoked += fixture->platform.invocations;
  const double steps = static_cast<double>(state.iterations());
  state.counters["datastore_ops_per_step"] = steps > 0 ? ops / steps : 0;
  state.counters["invocations_per_step"] = steps > 0 ? invoked / steps : 0;
}

void BM_RuntimeChainStep(benchmark::State& state) {
  RunSteps(state, /*checkpoint=*/true, /*gc=*/true);
}
BENCHMARK(BM_RuntimeChainStep);

void BM_RuntimeChainStepNoGcInfo(benchmark::State& state) {
  RunSteps(state, /*checkpoint=*/true, /*gc=*/false);
}
BENCHMARK(BM_RuntimeChainStepNoGcInfo);

void BM_RuntimeChainStepNoCheckpoint(benchmark::State& state) {
  RunSteps(state, /*checkpoint=*/false, /*gc=*/false);
}
BENCHMARK(BM_RuntimeChainStepNoCheckpoint);

}  // namespace
