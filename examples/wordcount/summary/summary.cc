// Summary: the terminal function. Receives every Reducer's output
// (fan-in, in partition order) and summarises the whole count.
//
// Input:  [{"partition": r, "counts": {"word": n, ...}}, ...]
// Output: {"total_words": N, "distinct_words": D,
//          "top": [["word", n], ...]   (10 most frequent: count descending,
//                                       then word ascending),
//          "counts": {"word": n, ...}} (every word)
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "unum/function.h"

namespace {

constexpr size_t kTopWords = 10;

}  // namespace

UNUM_FUNCTION(Summary)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array()) {
    throw std::invalid_argument(
        "Summary: input must be the array of reducer outputs");
  }
  unum::Json counts = unum::Json::object();
  std::vector<std::pair<std::string, int64_t>> words;
  int64_t total = 0;
  for (const unum::Json& out : input) {
    if (!out.is_object() || !out.contains("counts") ||
        !out["counts"].is_object()) {
      throw std::invalid_argument(
          "Summary: reducer output field \"counts\" must be an object");
    }
    for (const auto& [word, count] : out["counts"].items()) {
      if (!count.is_number_integer()) {
        throw std::invalid_argument("Summary: count of \"" + word +
                                    "\" must be an integer");
      }
      if (counts.contains(word)) {
        throw std::invalid_argument("Summary: word \"" + word +
                                    "\" appears in two partitions");
      }
      counts[word] = count;
      words.emplace_back(word, count.get<int64_t>());
      total += count.get<int64_t>();
    }
  }
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  unum::Json top = unum::Json::array();
  for (size_t i = 0; i < words.size() && i < kTopWords; ++i) {
    top.push_back({words[i].first, words[i].second});
  }
  return {{"total_words", total},
          {"distinct_words", words.size()},
          {"top", top},
          {"counts", counts}};
}
