#include "common/json_text.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace unum {
namespace {

using nlohmann::json;

// Scans `text` for array/object nesting outside strings; returns the byte
// offset where the depth first exceeds `max_depth`, or npos.
size_t FindTooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<json> ParseJsonText(std::string_view text, std::string_view what,
                           size_t max_depth) {
  const size_t deep = FindTooDeep(text, max_depth);
  if (deep != std::string_view::npos) {
    return Status::InvalidArgument(
        std::string(what) + ": JSON nested deeper than " +
        std::to_string(max_depth) + " levels (at byte " + std::to_string(deep) +
        ")");
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string(what) +
                                   ": invalid JSON: " + e.what());
  }
}

std::string ToJsonText(const json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false,
                    json::error_handler_t::replace);
}

std::string JsonForMessage(const json& value, size_t max_chars) {
  std::string text = ToJsonText(value);
  if (text.size() > max_chars) {
    text.resize(max_chars);
    text += "...";
  }
  return text;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

size_t JsonDepth(const json& value, size_t limit) {
  size_t deepest = 0;
  std::vector<std::pair<const json*, size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const json& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace unum
