// An invocation as the redis:// platform keeps it in its stream and its
// delayed set: one field "m" holding
//   {"f": function, "a": attempt, "p": payload, "r": infra retries,
//    "n": nonce}
// ("r" only after infrastructure failures, "n" only in the delayed set,
// whose members must be unique). Anyone who can write to the server can
// add entries, so a worker decodes them as outside input.
#ifndef UNUM_PLATFORM_REDIS_STREAM_ENTRY_H_
#define UNUM_PLATFORM_REDIS_STREAM_ENTRY_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "unum/status.h"

namespace unum {

struct StreamEntry {
  std::string function;
  int attempt = 1;
  int infra_retries = 0;
  nlohmann::json payload;
};

// kInvalidArgument saying what is wrong when `body` is not an invocation
// (not a JSON object, "f" not a string, no "p", "a" not an attempt number
// >= 1, "r" not a count): the worker dead-letters such an entry.
Result<StreamEntry> DecodeStreamEntry(std::string_view body);

}  // namespace unum

#endif  // UNUM_PLATFORM_REDIS_STREAM_ENTRY_H_
