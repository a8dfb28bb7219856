// The checkpoint record as stored: {"Children": n, "Output": output}, the
// output of one instance and how many of its children must checkpoint
// before it may be deleted.
#ifndef UNUM_RUNTIME_CHECKPOINT_RECORD_H_
#define UNUM_RUNTIME_CHECKPOINT_RECORD_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "unum/status.h"

namespace unum::runtime {

struct CheckpointRecord {
  nlohmann::json output;
  int64_t children = 0;
};

// The record's text: the same bytes as ToJsonText of the record object
// (keys in json's order, strings that are not UTF-8 replaced), without
// building that object around `output`.
std::string EncodeCheckpoint(const nlohmann::json& output, int64_t children);

// Parses a record; DataLoss naming `instance` when it is not one (not a
// JSON object, no Output, Children not an integer).
Result<CheckpointRecord> DecodeCheckpoint(const std::string& instance,
                                          const std::string& text);

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_CHECKPOINT_RECORD_H_
