// UTF-8 helpers: jsonata's string functions count Unicode code points,
// while JavaScript offsets (regex match indexes, error positions) count
// UTF-16 code units.
#ifndef UNUM_JSONATA_UTF8_H_
#define UNUM_JSONATA_UTF8_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace unum::jsonata {

void AppendUtf8(std::string& out, std::uint32_t code_point);
// Decodes the code point at `*pos` and advances past it; an invalid byte
// decodes as itself (one byte).
std::uint32_t DecodeUtf8(std::string_view s, std::size_t* pos);
std::vector<std::uint32_t> CodePoints(std::string_view s);
std::string FromCodePoints(const std::vector<std::uint32_t>& cps,
                           std::size_t begin, std::size_t end);
std::size_t CodePointCount(std::string_view s);
// The value of a hexadecimal digit, or -1.
int HexDigitValue(char c);
// `s` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string ValidUtf8(std::string_view s);
// Compares as JavaScript compares strings (by UTF-16 code units): <0, 0,
// >0.
int CompareUtf16(std::string_view a, std::string_view b);
// UTF-16 code units of the first `bytes` bytes of `s`.
std::size_t Utf16Offset(std::string_view s, std::size_t bytes);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_UTF8_H_
