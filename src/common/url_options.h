// The small pieces every backend URL parser shares: %-escapes, the
// `?name=value&...` option list, and bounded integers.
//
// Errors are InvalidArgument with a message that names the option and
// says what is wrong, without the URL; the caller prefixes its own "invalid
// <scheme> URL '...'" context.
#ifndef UNUM_COMMON_URL_OPTIONS_H_
#define UNUM_COMMON_URL_OPTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "unum/status.h"

namespace unum {

// Decodes %XX escapes into `out`; false on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out);

// Escapes every byte except unreserved characters (RFC 3986: letters,
// digits, - _ . ~).
std::string PercentEncode(std::string_view text);

// Parses all of `text` as a base-10 integer in [lo, hi].
bool ParseInt(std::string_view text, int64_t lo, int64_t hi, int64_t* out);

using UrlOption = std::pair<std::string, std::string>;  // name, value

// Parses the part after '?': `name=value` pairs separated by '&', names
// and values %-decoded, in order. Empty pairs ("a=1&&b=2") are skipped.
// Errors: a pair without '=', a name given twice, a malformed escape.
Result<std::vector<UrlOption>> ParseUrlOptions(std::string_view query);

// "unknown option 'x' (known: a, b, c)".
Status UnknownUrlOption(std::string_view name,
                        const std::vector<std::string_view>& known);

// "option 'x' must be an integer in [lo, hi], got 'text'".
Status BadIntegerOption(std::string_view name, int64_t lo, int64_t hi,
                        std::string_view text);

}  // namespace unum

#endif  // UNUM_COMMON_URL_OPTIONS_H_
