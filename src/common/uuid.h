// Random (version 4) UUIDs for session ids, from libuuid.
#ifndef UNUM_COMMON_UUID_H_
#define UNUM_COMMON_UUID_H_

#include <string>

namespace unum {

// "8cef2097-f6fa-4fa2-bc70-7aa7bbbc23d9". Thread-safe.
std::string NewUuid();

}  // namespace unum

#endif  // UNUM_COMMON_UUID_H_
