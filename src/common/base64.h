// Standard Base64 (RFC 4648, padded, no line breaks) on OpenSSL libcrypto:
// for DynamoDB's binary attributes and the States.Base64Encode/Decode
// intrinsics.
#ifndef UNUM_COMMON_BASE64_H_
#define UNUM_COMMON_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace unum {

std::string Base64Encode(std::string_view bytes);

// nullopt unless `text` is padded standard Base64 (no whitespace, '='
// only at the end).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace unum

#endif  // UNUM_COMMON_BASE64_H_
