// Helpers shared by the end-to-end tests.
#ifndef UNUM_TESTS_E2E_E2E_UTIL_H_
#define UNUM_TESTS_E2E_E2E_UTIL_H_

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "unum/datastore.h"

namespace unum::e2e {

// Reads and parses a JSON file; fails the current test when it cannot.
nlohmann::json ReadJsonFile(const std::string& path);

// Reads a whole file as bytes.
std::string ReadFile(const std::string& path);

// Writes `text` to `path`, creating parent directories.
void WriteFile(const std::filesystem::path& path, const std::string& text);

// Every key of `session` as "checkpoint <name>[ (tombstone)]",
// "set <name>[ (tombstone)]" or "record".
std::vector<std::string> DescribeKeys(Datastore& store,
                                      const std::string& session);

// Asserts that `session` holds exactly one session record and otherwise
// only tombstones (no live checkpoint, no live set).
void ExpectOnlyRecordAndTombstones(Datastore& store,
                                   const std::string& session);

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace unum::e2e

#endif  // UNUM_TESTS_E2E_E2E_UTIL_H_
