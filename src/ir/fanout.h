// The fan-out index stack carried in a payload's "Fan-out" field.
//
// Index 0 is the innermost fan-out (the reference's order: `Fan-out` is the
// innermost, `Fan-out.OuterLoop` the next one out). `$0` in expressions is
// stack[0].index, `$1` stack[1].index, `$size` stack[0].size.
#ifndef UNUM_IR_FANOUT_H_
#define UNUM_IR_FANOUT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "unum/status.h"

namespace unum::ir {

struct FanOut {
  std::string type;  // "Map" or "Parallel"
  int64_t index = 0;
  int64_t size = 0;
  // Optional ("Origin"): the instance that fanned out (the Step Functions
  // layer reads a Parallel's or Map's input from its checkpoint at the
  // join). Not part of instance names.
  std::string origin;
  // Optional ("Attempt", default 0): a Step Functions Retry of the whole
  // Parallel/Map runs its branches again as new instances: from attempt 1
  // the level's part of instance names is "<index>a<attempt>".
  int64_t attempt = 0;
  friend bool operator==(const FanOut&, const FanOut&) = default;
};

using FanOutStack = std::vector<FanOut>;  // [0] = innermost

// Deepest nesting of fan-outs a payload may carry (maps in maps in ...).
inline constexpr size_t kMaxFanOutDepth = 64;

// {"Type":..,"Index":..,"Size":..,"OuterLoop":{...}} or null when empty.
nlohmann::json FanOutToJson(const FanOutStack& stack);

// Parses the payload's "Fan-out" value (null/absent = empty stack).
// Errors name the offending field: a missing or negative Index or Size, a
// Size of 0, an Index not below its Size, more than kMaxFanOutDepth levels.
Result<FanOutStack> FanOutFromJson(const nlohmann::json& value);

// One level's part of an instance name: "<index>", or "<index>a<attempt>".
std::string LevelName(int64_t index, int64_t attempt);

// The index suffix of an instance name: "" for an empty stack, else
// "-unumIndex-<i0>.<i1>..." innermost first (each level as LevelName).
std::string InstanceSuffix(const FanOutStack& stack);

// `function` + InstanceSuffix(stack).
std::string InstanceName(const std::string& function, const FanOutStack& stack);

}  // namespace unum::ir

#endif  // UNUM_IR_FANOUT_H_
