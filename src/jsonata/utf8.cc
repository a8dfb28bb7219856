#include "jsonata/utf8.h"

namespace unum::jsonata {

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::uint32_t DecodeUtf8(std::string_view s, std::size_t* pos) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::size_t i = *pos;
  unsigned char b = byte(i);
  int extra = 0;
  std::uint32_t cp = b;
  if (b >= 0xF0 && b < 0xF8) {
    extra = 3;
    cp = b & 0x07;
  } else if (b >= 0xE0) {
    extra = 2;
    cp = b & 0x0F;
  } else if (b >= 0xC0) {
    extra = 1;
    cp = b & 0x1F;
  }
  if (b >= 0xF8 || (b >= 0x80 && b < 0xC0) || i + extra >= s.size()) {
    *pos = i + 1;
    return b;
  }
  for (int k = 1; k <= extra; ++k) {
    unsigned char c = byte(i + k);
    if ((c & 0xC0) != 0x80) {
      *pos = i + 1;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *pos = i + 1 + extra;
  return cp;
}

std::vector<std::uint32_t> CodePoints(std::string_view s) {
  std::vector<std::uint32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) out.push_back(DecodeUtf8(s, &i));
  return out;
}

std::string FromCodePoints(const std::vector<std::uint32_t>& cps,
                           std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end && i < cps.size(); ++i) {
    AppendUtf8(out, cps[i]);
  }
  return out;
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    std::uint32_t cp = DecodeUtf8(s, &i);
    bool invalid =
        (i - start == 1 && static_cast<unsigned char>(s[start]) >= 0x80) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF;
    if (invalid) {
      AppendUtf8(out, 0xFFFD);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

int CompareUtf16(std::string_view a, std::string_view b) {
  // UTF-8 byte order is code point order; UTF-16 order differs only in
  // that supplementary characters (surrogates D800-DFFF) sort below
  // U+E000-U+FFFF.
  auto key = [](std::uint32_t cp) -> std::uint32_t {
    if (cp >= 0x10000) return 0xD800 + ((cp - 0x10000) >> 10);
    return cp;
  };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::uint32_t x = DecodeUtf8(a, &i);
    std::uint32_t y = DecodeUtf8(b, &j);
    if (x == y) continue;
    std::uint32_t kx = key(x), ky = key(y);
    if (kx != ky) return kx < ky ? -1 : 1;
    // Same high surrogate: the low surrogates decide.
    return (x & 0x3FF) < (y & 0x3FF) ? -1 : 1;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

std::size_t Utf16Offset(std::string_view s, std::size_t bytes) {
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < bytes && i < s.size()) {
    std::uint32_t cp = DecodeUtf8(s, &i);
    units += cp >= 0x10000 ? 2 : 1;
  }
  return units;
}

}  // namespace unum::jsonata
