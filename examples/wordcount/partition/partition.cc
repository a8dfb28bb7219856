// Partition: the shuffle step. Receives every Mapper's output (fan-in,
// in mapper order) and groups the counts by word into R partitions; its
// IR maps the partitions onto Reducer instances.
//
// A word goes to partition FNV-1a-32(word) mod R, so each word lands in
// exactly one partition. For each word the partition lists the counts
// the mappers reported for it, in mapper order.
//
// Input:  [{"reducers": R, "counts": {"word": n, ...}}, ...]
// Output: [{"partition": r, "words": {"word": [n, ...], ...}}, ... R entries]
#include <cstdint>
#include <stdexcept>
#include <string>

#include "unum/function.h"

namespace {

uint32_t Fnv1a32(const std::string& bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

UNUM_FUNCTION(Partition)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array() || input.empty()) {
    throw std::invalid_argument(
        "Partition: input must be the non-empty array of mapper outputs");
  }
  int64_t reducers = 0;
  for (const unum::Json& out : input) {
    if (!out.is_object() || !out.contains("reducers") ||
        !out["reducers"].is_number_integer() ||
        out["reducers"].get<int64_t>() < 1) {
      throw std::invalid_argument(
          "Partition: mapper output field \"reducers\" must be an integer "
          ">= 1");
    }
    if (reducers != 0 && out["reducers"].get<int64_t>() != reducers) {
      throw std::invalid_argument(
          "Partition: mapper outputs disagree on \"reducers\"");
    }
    reducers = out["reducers"].get<int64_t>();
    if (!out.contains("counts") || !out["counts"].is_object()) {
      throw std::invalid_argument(
          "Partition: mapper output field \"counts\" must be an object");
    }
  }

  unum::Json partitions = unum::Json::array();
  for (int64_t r = 0; r < reducers; ++r) {
    partitions.push_back({{"partition", r}, {"words", unum::Json::object()}});
  }
  for (const unum::Json& out : input) {
    for (const auto& [word, count] : out["counts"].items()) {
      if (!count.is_number_integer()) {
        throw std::invalid_argument("Partition: count of \"" + word +
                                    "\" must be an integer");
      }
      int64_t r = static_cast<int64_t>(Fnv1a32(word) % reducers);
      partitions[r]["words"][word].push_back(count);
    }
  }
  return partitions;
}
