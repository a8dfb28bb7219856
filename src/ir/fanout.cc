// The fan-out index stack: conversion to and from the payload's "Fan-out"
// JSON (innermost level outside, outer levels nested under "OuterLoop") and
// the instance names derived from it.
#include "ir/fanout.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/json_text.h"

namespace unum::ir {
namespace {

using nlohmann::json;

// Reads a non-negative int64 from `value`; false when it is not one.
bool ReadNonNegativeInt(const json& value, int64_t* out) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    *out = static_cast<int64_t>(u);
    return true;
  }
  if (value.is_number_integer()) {
    const int64_t i = value.get<int64_t>();
    if (i < 0) return false;
    *out = i;
    return true;
  }
  return false;
}

Status FieldError(const std::string& path, std::string_view field,
                  std::string_view what) {
  return Status::InvalidArgument(path + "." + std::string(field) + ": " +
                                 std::string(what));
}

// Parses one level (without its OuterLoop) found at `path`.
Result<FanOut> ParseLevel(const json& level, const std::string& path) {
  if (!level.is_object()) {
    return Status::InvalidArgument(path + ": expected an object");
  }
  FanOut fan_out;
  const auto type = level.find("Type");
  if (type == level.end()) return FieldError(path, "Type", "missing");
  if (!type->is_string() ||
      (type->get_ref<const std::string&>() != "Map" &&
       type->get_ref<const std::string&>() != "Parallel")) {
    return FieldError(path, "Type", "expected \"Map\" or \"Parallel\"");
  }
  fan_out.type = type->get<std::string>();
  for (const auto& [field, target] :
       {std::pair<const char*, int64_t*>{"Index", &fan_out.index},
        std::pair<const char*, int64_t*>{"Size", &fan_out.size}}) {
    const auto it = level.find(field);
    if (it == level.end()) return FieldError(path, field, "missing");
    if (!ReadNonNegativeInt(*it, target)) {
      return FieldError(
          path, field,
          "expected a non-negative integer, got " + ToJsonText(*it));
    }
  }
  if (const auto origin = level.find("Origin"); origin != level.end()) {
    if (!origin->is_string())
      return FieldError(path, "Origin", "expected a string");
    fan_out.origin = origin->get<std::string>();
  }
  if (const auto attempt = level.find("Attempt"); attempt != level.end()) {
    if (!ReadNonNegativeInt(*attempt, &fan_out.attempt)) {
      return FieldError(path, "Attempt", "expected a non-negative integer");
    }
  }
  if (fan_out.size < 1) {
    return FieldError(path, "Size", "must be at least 1, got 0");
  }
  if (fan_out.index >= fan_out.size) {
    return FieldError(path, "Index",
                      "out of range: " + std::to_string(fan_out.index) +
                          " is not below Size " + std::to_string(fan_out.size));
  }
  return fan_out;
}

}  // namespace

nlohmann::json FanOutToJson(const FanOutStack& stack) {
  json result = nullptr;
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    json level = {{"Type", it->type}, {"Index", it->index}, {"Size", it->size}};
    if (!it->origin.empty()) level["Origin"] = it->origin;
    if (it->attempt > 0) level["Attempt"] = it->attempt;
    if (!result.is_null()) level["OuterLoop"] = std::move(result);
    result = std::move(level);
  }
  return result;
}

Result<FanOutStack> FanOutFromJson(const nlohmann::json& value) {
  FanOutStack stack;
  std::string path = "Fan-out";
  const json* level = &value;
  while (!level->is_null()) {
    if (stack.size() == kMaxFanOutDepth) {
      return Status::InvalidArgument(path + ": fan-outs nested more than " +
                                     std::to_string(kMaxFanOutDepth) +
                                     " levels deep");
    }
    UNUM_ASSIGN_OR_RETURN(FanOut fan_out, ParseLevel(*level, path));
    stack.push_back(std::move(fan_out));
    const auto outer = level->find("OuterLoop");
    if (outer == level->end()) break;
    level = &*outer;
    path += ".OuterLoop";
  }
  return stack;
}

std::string LevelName(int64_t index, int64_t attempt) {
  std::string name = std::to_string(index);
  if (attempt > 0) name += "a" + std::to_string(attempt);
  return name;
}

std::string InstanceSuffix(const FanOutStack& stack) {
  if (stack.empty()) return "";
  std::string suffix = "-unumIndex-";
  for (size_t i = 0; i < stack.size(); ++i) {
    if (i > 0) suffix += '.';
    suffix += LevelName(stack[i].index, stack[i].attempt);
  }
  return suffix;
}

std::string InstanceName(const std::string& function,
                         const FanOutStack& stack) {
  return function + InstanceSuffix(stack);
}

}  // namespace unum::ir
