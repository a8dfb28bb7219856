#include "runtime/names.h"

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace unum::runtime {
namespace {

// `text` for an error message, quoted: at most 40 characters then "...",
// control characters and non-ASCII bytes escaped.
std::string Quote(std::string_view text) {
  constexpr size_t kShown = 40;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kShown) out += "...";
  out += '"';
  return out;
}

std::string Describe(unsigned char c) {
  if (c < 0x20 || c >= 0x7f) return fmt::format("byte 0x{:02x}", c);
  return fmt::format("'{}'", static_cast<char>(c));
}

bool IsSessionChar(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

}  // namespace

Status ValidateSessionId(std::string_view id) {
  if (id.empty()) return Status::InvalidArgument("session id is empty");
  if (id.size() > kMaxSessionIdLength) {
    return Status::InvalidArgument(
        fmt::format("session id {} is {} characters long; at most {} are "
                    "allowed",
                    Quote(id), id.size(), kMaxSessionIdLength));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    if (!IsSessionChar(c)) {
      return Status::InvalidArgument(fmt::format(
          "session id {} contains {} at position {}; allowed are letters, "
          "digits, '-', '_', '.' and ':'",
          Quote(id), Describe(c), i));
    }
  }
  return Status::Ok();
}

Status ValidateInstanceName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("instance name is empty");
  if (name.size() > kMaxInstanceNameLength) {
    return Status::InvalidArgument(
        fmt::format("instance name {} is {} bytes long; at most {} are allowed",
                    Quote(name), name.size(), kMaxInstanceNameLength));
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f || c == '/') {
      return Status::InvalidArgument(
          fmt::format("instance name {} contains {} at position {}",
                      Quote(name), Describe(c), i));
    }
  }
  return Status::Ok();
}

}  // namespace unum::runtime
