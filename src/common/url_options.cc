#include "common/url_options.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <set>

namespace unum {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

bool ParseInt(std::string_view text, int64_t lo, int64_t hi, int64_t* out) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return false;
  if (value < lo || value > hi) return false;
  *out = value;
  return true;
}

Result<std::vector<UrlOption>> ParseUrlOptions(std::string_view query) {
  std::vector<UrlOption> options;
  std::set<std::string, std::less<>> seen;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string name;
    if (!PercentDecode(pair.substr(0, eq), &name)) {
      return Status::InvalidArgument("malformed %-escape in option name '" +
                                     std::string(pair.substr(0, eq)) + "'");
    }
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("option '" + name + "' has no value");
    }
    if (!seen.insert(name).second) {
      return Status::InvalidArgument("option '" + name + "' given twice");
    }
    std::string value;
    if (!PercentDecode(pair.substr(eq + 1), &value)) {
      return Status::InvalidArgument("malformed %-escape in option '" + name +
                                     "'");
    }
    options.emplace_back(std::move(name), std::move(value));
  }
  return options;
}

Status UnknownUrlOption(std::string_view name,
                        const std::vector<std::string_view>& known) {
  return Status::InvalidArgument(fmt::format("unknown option '{}' (known: {})",
                                             name, fmt::join(known, ", ")));
}

Status BadIntegerOption(std::string_view name, int64_t lo, int64_t hi,
                        std::string_view text) {
  return Status::InvalidArgument(
      fmt::format("option '{}' must be an integer in [{}, {}], got '{}'", name,
                  lo, hi, text));
}

}  // namespace unum
