// Test helpers shared by the runtime's tests (runtime_test.cc,
// fault_sweep_test.cc): a fake Platform that records invocations instead
// of running them, in either payload mode, and IR builders.
#ifndef UNUM_RUNTIME_RUNTIME_TEST_UTIL_H_
#define UNUM_RUNTIME_RUNTIME_TEST_UTIL_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "runtime/payload.h"
#include "unum/datastore.h"
#include "unum/ir.h"
#include "unum/platform.h"

namespace unum::runtime::testing {

// Records invocations; runs nothing. With `decoded`, it carries the
// runtime's decoded payloads (as inproc:// does): the runtime then sends
// every invocation through InvokeDecoded.
class FakePlatform : public Platform {
 public:
  struct Call {
    std::string function;
    nlohmann::json payload;  // null when sent decoded
    std::chrono::milliseconds delay{0};
    std::shared_ptr<const Payload> decoded;

    // The delivery of this call, as a platform hands it to the runtime.
    Invocation ToInvocation(int attempt = 1) const {
      return Invocation{function, payload, attempt, decoded};
    }
  };
  using Mutation = std::function<std::shared_ptr<const Payload>(
      std::shared_ptr<const Payload>)>;

  explicit FakePlatform(int max_attempts = 3, bool decoded = false)
      : max_attempts_(max_attempts), decoded_(decoded) {}

  Status Invoke(const std::string& function, nlohmann::json payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(Call{function, std::move(payload)});
    return Status::Ok();
  }
  Status InvokeAfter(std::chrono::milliseconds delay,
                     const std::string& function,
                     nlohmann::json payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(Call{function, std::move(payload), delay});
    return Status::Ok();
  }
  bool CarriesDecodedPayloads() const override { return decoded_; }
  Status InvokeDecoded(std::chrono::milliseconds delay,
                       const std::string& function,
                       std::shared_ptr<const Payload> payload) override {
    if (!decoded_) {
      return Platform::InvokeDecoded(delay, function, std::move(payload));
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (mutation_) payload = mutation_(std::move(payload));
    ++decoded_calls_;
    calls_.push_back(Call{function, nullptr, delay, std::move(payload)});
    return Status::Ok();
  }
  int MaxAttempts() const override { return max_attempts_; }

  // Tests only: applied to every decoded payload, to plant a bug on the
  // decoded path.
  void SetDecodedMutation(Mutation mutation) {
    std::lock_guard<std::mutex> lock(mu_);
    mutation_ = std::move(mutation);
  }

  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // Removes and returns every recorded call.
  std::vector<Call> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Call> out;
    out.swap(calls_);
    return out;
  }
  // InvokeDecoded calls accepted so far.
  int decoded_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return decoded_calls_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Call> calls_;
  int max_attempts_;
  bool decoded_;
  int decoded_calls_ = 0;
  Mutation mutation_;
};

inline ir::Edge Scalar(const std::string& name, const std::string& cond = "") {
  ir::Edge e;
  e.name = name;
  e.conditional = cond;
  return e;
}
inline ir::Edge MapTo(const std::string& name) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kMap;
  return e;
}
inline ir::Edge FanInTo(const std::string& name,
                        std::vector<std::string> values) {
  ir::Edge e;
  e.name = name;
  e.input_type = ir::InputType::kFanIn;
  e.values = std::move(values);
  return e;
}

inline ir::FunctionConfig Config(const std::string& name,
                                 std::vector<ir::Edge> next, bool start = false,
                                 bool checkpoint = true,
                                 std::vector<std::string> modifiers = {}) {
  ir::FunctionConfig c;
  c.name = name;
  c.start = start;
  c.checkpoint = checkpoint;
  c.next = std::move(next);
  c.modifiers = std::move(modifiers);
  return c;
}

// A key as a short string, for comparing whole stores.
inline std::string Describe(const KeyInfo& k) {
  switch (k.kind) {
    case KeyInfo::Kind::kCheckpoint:
      return "checkpoint " + k.name + (k.tombstone ? " (tombstone)" : "") +
             (k.expires ? " (expires)" : "");
    case KeyInfo::Kind::kSet:
      return "set " + k.name + (k.tombstone ? " (tombstone)" : "");
    case KeyInfo::Kind::kSessionRecord:
      return "record";
  }
  return "?";
}

}  // namespace unum::runtime::testing

#endif  // UNUM_RUNTIME_RUNTIME_TEST_UTIL_H_
