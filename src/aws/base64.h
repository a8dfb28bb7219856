// Base64 (RFC 4648, with padding) for DynamoDB's binary attributes, which
// its JSON protocol carries base64-encoded.
#ifndef UNUM_AWS_BASE64_H_
#define UNUM_AWS_BASE64_H_

#include <string>
#include <string_view>

namespace unum::aws {

std::string Base64Encode(std::string_view bytes);

// False when `text` is not valid padded base64.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace unum::aws

#endif  // UNUM_AWS_BASE64_H_
