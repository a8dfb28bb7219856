// AWS Signature Version 4: signs an HttpRequest in place (Authorization,
// X-Amz-Date, X-Amz-Security-Token and Host headers), using OpenSSL for
// SHA-256 and HMAC-SHA256.
//
// The canonical request follows the published algorithm: method, the
// URI path with each byte outside the unreserved set %-encoded (the path is
// taken as given: no dot-segment or slash normalization), the query sorted
// by encoded name then value, the headers lowercased, trimmed (inner runs
// of spaces collapsed), sorted and joined with ',' when repeated, the
// signed header list and the payload's SHA-256 (or the value of an
// x-amz-content-sha256 header when the request carries one).
//
// Thread-safety: free functions without shared state.
#ifndef UNUM_AWS_SIGV4_H_
#define UNUM_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "unum/status.h"

namespace unum::aws {

struct SigV4Params {
  std::string region;    // "us-east-1"
  std::string service;   // "dynamodb"
  std::string amz_date;  // "20150830T123600Z" (UTC); see AmzDate()
};

// The intermediate strings, for tests and debugging (no secret in them).
struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header value
};

// "YYYYMMDDTHHMMSSZ" for `when`.
std::string AmzDate(std::chrono::system_clock::time_point when);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Raw HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// Adds Host (from the URL, unless present), X-Amz-Date, X-Amz-Security-Token
// (with a session token) and Authorization to `request`. kInvalidArgument
// for a URL that is not http(s)://host[:port][/path][?query] or a bad date.
Result<SigV4Signature> SignRequest(HttpRequest* request,
                                   const AwsCredentials& credentials,
                                   const SigV4Params& params);

}  // namespace unum::aws

#endif  // UNUM_AWS_SIGV4_H_
