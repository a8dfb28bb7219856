// Shared pieces of the intrinsic parser and evaluator: the table of the 18
// functions with their argument counts and kinds, JSON type names, number
// conversions, States.Format placeholder scanning, and the States.Hash
// primitives (OpenSSL libcrypto; Base64 is in common/base64.h). Internal to
// unum_asl_definition.
#ifndef UNUM_ASL_DEFINITION_INTRINSIC_UTIL_H_
#define UNUM_ASL_DEFINITION_INTRINSIC_UTIL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unum::asl {

// What an argument must be. Literals can be checked when parsing; values
// of paths and nested calls only when evaluating.
enum class ArgKind {
  kAny,
  kString,
  kNumber,
  kBoolean,
  kArray,
  kObject,
  kPathOrCall,  // any value, but not written as a literal
};

struct IntrinsicSpec {
  std::string_view name;
  int min_args;
  int max_args;                  // -1: no limit
  std::vector<ArgKind> kinds;    // per position
  ArgKind rest = ArgKind::kAny;  // positions past `kinds`

  ArgKind ArgKindAt(size_t i) const {
    return i < kinds.size() ? kinds[i] : rest;
  }
};

// nullptr when `name` is not one of the 18 functions.
const IntrinsicSpec* FindIntrinsicSpec(std::string_view name);

// "2 arguments", "2 or 3 arguments", "at least 1 argument", "no arguments".
std::string ArgCountText(const IntrinsicSpec& spec);

// "string", "number", "boolean", "null", "array", "object".
std::string JsonTypeName(const nlohmann::json& v);

// The integer `v` holds exactly (1, 2.0), or nullopt (1.5, "1", 2^70).
std::optional<int64_t> ExactInteger(const nlohmann::json& v);

// `v` rounded to the nearest integer, halves up as Java's Math.round does
// (AWS rounds non-integer numeric arguments), or nullopt when `v` is not a
// number or is beyond +-2^62.
std::optional<int64_t> RoundedInteger(const nlohmann::json& v);

// Number of `{}` placeholders in a States.Format template written with
// intrinsic escapes (`\{` and `\}` are not placeholders).
size_t CountPlaceholders(std::string_view escaped_template);

// Number of Unicode code points in UTF-8 text.
size_t CountCodePoints(std::string_view utf8);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// States.Hash algorithms: MD5, SHA-1, SHA-256, SHA-384, SHA-512.
bool IsHashAlgorithm(std::string_view name);
std::string HashAlgorithmList();  // "MD5, SHA-1, SHA-256, SHA-384, SHA-512"

// Lowercase hex digest of `data`. Precondition: IsHashAlgorithm(algorithm).
std::string HexDigest(std::string_view algorithm, std::string_view data);

}  // namespace unum::asl

#endif  // UNUM_ASL_DEFINITION_INTRINSIC_UTIL_H_
