// The invocation payload every Unum function receives (UNUM.md section 2):
//
//   {"Data": {"Source": "http", "Value": <input>},
//    "Session": "<uuid>",
//    "Fan-out": {"Type": "Map", "Index": 3, "Size": 20, "OuterLoop": {...}},
//    "GC": {"Parent": "<instance>", "Children": 4}}
//
// Source "http" carries the input inline; Source "datastore" carries, in
// Value, the ordered instance names whose checkpoints hold the inputs (a
// fan-in). GC names the parent checkpoint the receiver helps delete.
#ifndef UNUM_RUNTIME_PAYLOAD_H_
#define UNUM_RUNTIME_PAYLOAD_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ir/fanout.h"
#include "unum/status.h"

namespace unum::runtime {

inline constexpr char kSourceInline[] = "http";
inline constexpr char kSourceDatastore[] = "datastore";

struct GcInfo {
  std::string parent;    // the parent's instance name
  int64_t children = 0;  // how many children must checkpoint first
};

struct Payload {
  std::string session;               // empty when absent (only valid for Start)
  bool fan_in = false;               // Data.Source != "http"
  nlohmann::json value;              // inline input (fan_in == false)
  std::vector<std::string> sources;  // fan-in instance names, in order
  ir::FanOutStack fanout;
  std::optional<GcInfo> gc;
  // "Round" (default 0): which visit of a function on a loop this is; a
  // round above 0 is part of the instance name (InstanceNameOf).
  int64_t round = 0;
  // "Step" (optional object): state of the function's wrapper that the
  // runtime only carries (the Step Functions layer: the state entered,
  // retry counts, the execution's input and start time).
  nlohmann::json step;
};

// The instance an invocation with `payload` runs: the function, its fan-out
// indices and, from round 1, "-unumRound-<round>".
std::string InstanceNameOf(const std::string& function, const Payload& payload);

// Errors are kInvalidArgument naming the payload field.
Result<Payload> ParsePayload(const nlohmann::json& doc);
nlohmann::json ToJson(const Payload& payload);
// The same, moving the value and step out of `payload`.
nlohmann::json ToJson(Payload&& payload);

// The payload a caller sends to the Start function.
nlohmann::json StartPayload(const nlohmann::json& input,
                            const std::string& session);

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_PAYLOAD_H_
