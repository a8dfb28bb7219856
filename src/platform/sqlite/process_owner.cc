// Owner ids: see process_owner.h.
#include "platform/sqlite/process_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/url_options.h"
#include "common/uuid.h"
#include "datastore/sqlite/sqlite_db.h"

namespace unum::sqlite_owner {
namespace {

using nlohmann::json;

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The start time of process `pid` (clock ticks since boot, field 22 of
// /proc/<pid>/stat), or -1 when there is no such process or no /proc.
int64_t ProcessStartTime(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return -1;
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string stat = buf.str();
  // The command name (field 2) may hold spaces and parentheses.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return -1;
  }
  int64_t start = -1;
  if (!ParseInt(field, 0, INT64_MAX, &start)) return -1;
  return start;
}

struct ProcessIdentity {
  std::string host;
  std::string boot;  // empty without /proc
  int64_t pid = 0;
  int64_t start = -1;
};

ProcessIdentity ThisProcess() {
  // Computed per process (a forked child differs from its parent).
  static ProcessIdentity cached;
  static pid_t cached_pid = 0;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  if (cached_pid != getpid()) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    cached.host = host;
    cached.boot = ReadFirstLine("/proc/sys/kernel/random/boot_id");
    cached.pid = getpid();
    cached.start = ProcessStartTime(cached.pid);
    cached_pid = getpid();
  }
  return cached;
}

}  // namespace

std::string MakeOwner() {
  const ProcessIdentity me = ThisProcess();
  return json{{"host", me.host},
              {"boot", me.boot},
              {"pid", me.pid},
              {"start", me.start},
              {"id", NewUuid()}}
      .dump();
}

bool OwnerIsDead(const std::string& owner) {
  const json doc = json::parse(owner, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return false;
  const ProcessIdentity me = ThisProcess();
  if (doc.value("host", std::string()) != me.host) return false;
  const std::string boot = doc.value("boot", std::string());
  if (!boot.empty() && !me.boot.empty() && boot != me.boot) return true;
  const int64_t pid = doc.value("pid", int64_t{0});
  if (pid <= 0) return false;
  if (!me.boot.empty()) {
    const int64_t start = ProcessStartTime(pid);
    return start < 0 || start != doc.value("start", int64_t{-1});
  }
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace unum::sqlite_owner
