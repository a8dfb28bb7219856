// ShortenUrl: follows FindUrl in branch 1. Maps every URL to a short link.
//
// The short link is deterministic so that a retried or duplicated
// invocation produces the same output: "https://u.nu/" followed by the
// 32-bit FNV-1a hash of the URL's bytes as 8 lower-case hex digits.
//
// Input:  ["https://...", ...]
// Output: [["https://...", "https://u.nu/xxxxxxxx"], ...]
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "unum/function.h"

namespace {

constexpr char kShortHost[] = "https://u.nu/";

uint32_t Fnv1a32(const std::string& bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

std::string ShortLink(const std::string& url) {
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", Fnv1a32(url));
  return std::string(kShortHost) + hex;
}

}  // namespace

UNUM_FUNCTION(ShortenUrl)(const unum::Json& input, unum::Context& ctx) {
  if (!input.is_array()) {
    throw std::invalid_argument(
        "ShortenUrl: input must be the array of URLs produced by FindUrl");
  }
  unum::Json pairs = unum::Json::array();
  for (const unum::Json& url : input) {
    if (!url.is_string()) {
      throw std::invalid_argument("ShortenUrl: every URL must be a string");
    }
    const std::string& u = url.get_ref<const std::string&>();
    pairs.push_back(unum::Json::array({u, ShortLink(u)}));
  }
  return pairs;
}
