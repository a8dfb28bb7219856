// Owner ids for claimed outbox rows: which process holds a claim, and
// whether that process still runs (see SqlitePlatform). An owner is the
// process's host, boot id, pid and start time, plus a token per platform
// object, as a JSON object string.
//
// Thread-safety: both functions may be called from any thread.
#ifndef UNUM_PLATFORM_SQLITE_PROCESS_OWNER_H_
#define UNUM_PLATFORM_SQLITE_PROCESS_OWNER_H_

#include <string>

namespace unum::sqlite_owner {

// A new owner id for this process (a fresh token each call; a forked child
// gets its own pid and start time).
std::string MakeOwner();

// True only when `owner` certainly no longer runs: it ran on this machine
// and its boot id, pid or process start time no longer match. Owners on
// other machines, or unreadable ids, are never declared dead (their claims
// wait for the lease to run out).
bool OwnerIsDead(const std::string& owner);

}  // namespace unum::sqlite_owner

#endif  // UNUM_PLATFORM_SQLITE_PROCESS_OWNER_H_
