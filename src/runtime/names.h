// Validation of the names that arrive in payloads and on the command line:
// session ids and instance names become parts of datastore keys, file
// names and log lines, so they are checked before anything uses them.
#ifndef UNUM_RUNTIME_NAMES_H_
#define UNUM_RUNTIME_NAMES_H_

#include <cstddef>
#include <string_view>

#include "unum/status.h"

namespace unum::runtime {

inline constexpr size_t kMaxSessionIdLength = 128;
inline constexpr size_t kMaxInstanceNameLength = 1024;

// A session id is 1-128 characters, each a letter, digit, '-', '_', '.' or
// ':' (a UUID, or a name the user chose with `unum run --session`).
// InvalidArgument says which character, where, or the length.
Status ValidateSessionId(std::string_view id);

// An instance name (a function name plus its fan-out index suffix) is
// 1-1024 bytes with no control characters and no '/'.
Status ValidateInstanceName(std::string_view name);

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_NAMES_H_
