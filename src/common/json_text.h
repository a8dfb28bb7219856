// Parsing JSON text that comes from outside the process (input files, a
// function's stdout, queue entries, datastore records) into nlohmann::json
// with a nesting limit and an error that says what and where.
//
// Deeply nested documents are rejected before parsing: nlohmann parses
// iteratively, but copying, comparing and dumping a value recurse once per
// level, so a document 100,000 levels deep would overflow a thread's stack
// later, far from where it entered.
#ifndef UNUM_COMMON_JSON_TEXT_H_
#define UNUM_COMMON_JSON_TEXT_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "unum/status.h"

namespace unum {

// Deepest nesting of arrays and objects accepted from outside.
inline constexpr size_t kMaxJsonDepth = 1000;

// Parses `text` as one JSON document. `what` names the source in errors
// ("input file in.json"): InvalidArgument "<what>: invalid JSON: <parser
// message with byte position>" or "<what>: JSON nested deeper than 1000
// levels (at byte N)".
Result<nlohmann::json> ParseJsonText(std::string_view text,
                                     std::string_view what,
                                     size_t max_depth = kMaxJsonDepth);

// Serialises `value` as JSON text (`indent` < 0: compact). Never throws:
// a string that is not valid UTF-8 (JSON parsed from text is always valid;
// C++ code can build anything) has each invalid byte replaced by U+FFFD,
// since JSON text cannot carry it. Use this, not json::dump(), for values
// that user code may have built, and in error messages.
std::string ToJsonText(const nlohmann::json& value, int indent = -1);

// ToJsonText for an error message: cut after `max_chars` characters, with
// "..." appended when cut.
std::string JsonForMessage(const nlohmann::json& value, size_t max_chars = 256);

// True when `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text);

// The nesting depth of `value` (a scalar is 0, [] and [1] are 1), counted
// without recursion. Stops counting at `limit` + 1.
size_t JsonDepth(const nlohmann::json& value, size_t limit = kMaxJsonDepth);

}  // namespace unum

#endif  // UNUM_COMMON_JSON_TEXT_H_
