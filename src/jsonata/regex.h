// Regex: a JSONata regular expression (`/pattern/flags`, flags i and m),
// compiled once with PCRE2 and matched by concurrent evaluations.
//
// Why PCRE2: its syntax and backtracking semantics follow JavaScript's
// closely (with PCRE2_ALT_BSUX for \u and \x, PCRE2_ALLOW_EMPTY_CLASS for
// [] and [^], PCRE2_DOLLAR_ENDONLY for `$`), and its match, depth and
// heap limits stop catastrophic backtracking, which std::regex (recursive,
// unbounded) cannot. Differences from JavaScript are listed in
// src/jsonata/README.md.
#ifndef UNUM_JSONATA_REGEX_H_
#define UNUM_JSONATA_REGEX_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace unum::jsonata {

class Regex {
 public:
  // Throws JsonataError S0303 (not valid) at `position`.
  static std::shared_ptr<const Regex> Compile(std::string_view pattern,
                                              std::string_view flags,
                                              int position);
  ~Regex();

  struct Match {
    std::size_t start = 0, end = 0;  // byte offsets in the subject
    // Capture groups 1..n; nullopt when a group did not take part.
    std::vector<std::optional<std::pair<std::size_t, std::size_t>>> groups;
  };
  // The first match starting at byte `from` or later. Throws JsonataError
  // U1002 when the backtracking limits are hit.
  std::optional<Match> Find(std::string_view subject, std::size_t from) const;

  const std::string& pattern() const { return pattern_; }

  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

 private:
  Regex() = default;
  std::string pattern_;
  void* code_ = nullptr;  // pcre2_code_8
};

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_REGEX_H_
