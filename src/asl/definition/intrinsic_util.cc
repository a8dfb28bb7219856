// The intrinsic function table and the small value helpers shared by the
// intrinsic parser and evaluator.
#include "asl/definition/intrinsic_util.h"

#include <cmath>
#include <limits>

namespace unum::asl {

using nlohmann::json;

namespace {

const std::vector<IntrinsicSpec>& Specs() {
  using K = ArgKind;
  static const std::vector<IntrinsicSpec> specs = {
      {"States.Format", 1, -1, {K::kString}},
      {"States.StringToJson", 1, 1, {K::kString}},
      {"States.JsonToString", 1, 1, {K::kPathOrCall}},
      {"States.Array", 0, -1, {}},
      {"States.ArrayPartition", 2, 2, {K::kArray, K::kNumber}},
      {"States.ArrayContains", 2, 2, {K::kArray, K::kAny}},
      {"States.ArrayRange", 3, 3, {K::kNumber, K::kNumber, K::kNumber}},
      {"States.ArrayGetItem", 2, 2, {K::kArray, K::kNumber}},
      {"States.ArrayLength", 1, 1, {K::kArray}},
      {"States.ArrayUnique", 1, 1, {K::kArray}},
      {"States.Base64Encode", 1, 1, {K::kString}},
      {"States.Base64Decode", 1, 1, {K::kString}},
      {"States.Hash", 2, 2, {K::kString, K::kString}},
      {"States.JsonMerge", 3, 3, {K::kObject, K::kObject, K::kBoolean}},
      {"States.MathRandom", 2, 3, {K::kNumber, K::kNumber, K::kNumber}},
      {"States.MathAdd", 2, 2, {K::kNumber, K::kNumber}},
      {"States.StringSplit", 2, 2, {K::kString, K::kString}},
      {"States.UUID", 0, 0, {}},
  };
  return specs;
}

std::string Arguments(int n) {
  return std::to_string(n) + (n == 1 ? " argument" : " arguments");
}

}  // namespace

const IntrinsicSpec* FindIntrinsicSpec(std::string_view name) {
  for (const IntrinsicSpec& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ArgCountText(const IntrinsicSpec& spec) {
  if (spec.max_args < 0) return "at least " + Arguments(spec.min_args);
  if (spec.max_args == 0) return "no arguments";
  if (spec.min_args == spec.max_args) return Arguments(spec.min_args);
  return std::to_string(spec.min_args) + " or " + Arguments(spec.max_args);
}

std::string JsonTypeName(const json& v) {
  if (v.is_number()) return "number";
  return v.type_name();
}

std::optional<int64_t> ExactInteger(const json& v) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 0x1p62) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> RoundedInteger(const json& v) {
  if (!v.is_number()) return std::nullopt;
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) >= 0x1p62) return std::nullopt;
    // Java's Math.round (AWS's runtime): halves go up, -2.5 -> -2.
    return static_cast<int64_t>(std::floor(d + 0.5));
  }
  auto exact = ExactInteger(v);
  if (!exact || *exact >= (int64_t{1} << 62) || *exact <= -(int64_t{1} << 62))
    return std::nullopt;
  return exact;
}

size_t CountPlaceholders(std::string_view t) {
  size_t n = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++i;  // skip the escaped character
    } else if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '}') {
      ++n;
      ++i;
    }
  }
  return n;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace unum::asl
