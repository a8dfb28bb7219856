// DeliveryObserver: told about every delivery the Runtime handled, after
// the fact (for the session trace, src/trace). Runtime::Handle times the
// delivery and reports it once it is over; the observer must not fail the
// delivery, so it has no way to return an error.
//
// Thread-safety: OnDelivery is called from every thread that runs
// Runtime::Handle, concurrently.
#ifndef UNUM_RUNTIME_DELIVERY_OBSERVER_H_
#define UNUM_RUNTIME_DELIVERY_OBSERVER_H_

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace unum::runtime {

enum class DeliveryOutcome {
  kOk,                // user code ran and its checkpoint (if any) won
  kFailed,            // an error: retried, or recorded in the session record
  kDuplicateSkipped,  // a checkpoint or tombstone said the work was done
  kLostRace,          // user code ran but another delivery's output won
};

const char* DeliveryOutcomeName(DeliveryOutcome outcome);

struct DeliveryReport {
  std::string session;
  std::string function;
  std::string instance;
  int attempt = 1;
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point end;
  DeliveryOutcome outcome = DeliveryOutcome::kOk;
  std::string error;  // kFailed: what went wrong
  // A fan-in aggregator's invocation payload (the names of its inputs);
  // null for other deliveries, whose payload is `input` plus routing.
  const nlohmann::json* payload = nullptr;
  // The user input: the payload's value; null for a fan-in aggregator,
  // whose input is its sources' outputs (named in `sources`).
  const nlohmann::json* input = nullptr;
  std::vector<std::string> sources;        // fan-in inputs, in order
  std::string parent;                      // the instance that invoked this one
  const nlohmann::json* output = nullptr;  // null when there is none
};

class DeliveryObserver {
 public:
  virtual ~DeliveryObserver() = default;
  virtual void OnDelivery(const DeliveryReport& report) = 0;
};

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_DELIVERY_OBSERVER_H_
