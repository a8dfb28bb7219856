#include "jsonata/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "jsonata/error.h"

namespace unum::jsonata {
namespace {

// Bounds on one match attempt against catastrophic backtracking.
constexpr std::uint32_t kMatchLimit = 10'000'000;
constexpr std::uint32_t kDepthLimit = 100'000;
constexpr std::uint32_t kHeapLimitKiB = 64 * 1024;

struct MatchContext {
  pcre2_match_context* ctx;
  MatchContext() : ctx(pcre2_match_context_create(nullptr)) {
    pcre2_set_match_limit(ctx, kMatchLimit);
    pcre2_set_depth_limit(ctx, kDepthLimit);
    pcre2_set_heap_limit(ctx, kHeapLimitKiB);
  }
  ~MatchContext() { pcre2_match_context_free(ctx); }
};

pcre2_match_context* SharedMatchContext() {
  // Read-only once built; pcre2_match only reads it.
  static MatchContext context;
  return context.ctx;
}

}  // namespace

std::shared_ptr<const Regex> Regex::Compile(std::string_view pattern,
                                            std::string_view flags,
                                            int position) {
  std::uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX |
                          PCRE2_ALLOW_EMPTY_CLASS | PCRE2_DOLLAR_ENDONLY;
  if (flags.find('i') != std::string_view::npos) options |= PCRE2_CASELESS;
  if (flags.find('m') != std::string_view::npos) options |= PCRE2_MULTILINE;
  pcre2_compile_context* cctx = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(cctx, PCRE2_NEWLINE_ANYCRLF);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()),
                    pattern.size(), options, &error_code, &error_offset, cctx);
  pcre2_compile_context_free(cctx);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof buffer);
    throw JsonataError("S0303", position)
        .Message("Invalid regular expression /" + std::string(pattern) +
                 "/: " + reinterpret_cast<const char*>(buffer));
  }
  std::shared_ptr<Regex> re(new Regex());
  re->pattern_ = std::string(pattern);
  re->code_ = code;
  return re;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

std::optional<Regex::Match> Regex::Find(std::string_view subject,
                                        std::size_t from) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), from, 0, data, SharedMatchContext());
  if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_BADOFFSET) {
    pcre2_match_data_free(data);
    return std::nullopt;
  }
  if (rc < 0) {
    pcre2_match_data_free(data);
    throw JsonataError("U1002", -1)
        .Message("Regular expression /" + pattern_ +
                 "/ exceeded its backtracking limit");
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
  std::uint32_t capture_count = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &capture_count);
  Match m;
  m.start = ov[0];
  m.end = ov[1];
  for (std::uint32_t g = 1; g <= capture_count; ++g) {
    if (static_cast<int>(g) < rc && ov[2 * g] != PCRE2_UNSET) {
      m.groups.emplace_back(std::make_pair(ov[2 * g], ov[2 * g + 1]));
    } else {
      m.groups.emplace_back(std::nullopt);
    }
  }
  pcre2_match_data_free(data);
  return m;
}

}  // namespace unum::jsonata
