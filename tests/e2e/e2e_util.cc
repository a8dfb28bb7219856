#include "e2e_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

namespace unum::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json ReadJsonFile(const std::string& path) {
  json doc = json::parse(ReadFile(path), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << path << " is not valid JSON";
  return doc;
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<std::string> DescribeKeys(Datastore& store,
                                      const std::string& session) {
  std::vector<std::string> out;
  auto keys = store.ListKeys(session);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  if (!keys.ok()) return out;
  for (const KeyInfo& k : *keys) {
    const std::string tomb = k.tombstone ? " (tombstone)" : "";
    switch (k.kind) {
      case KeyInfo::Kind::kCheckpoint:
        out.push_back("checkpoint " + k.name + tomb);
        break;
      case KeyInfo::Kind::kSet:
        out.push_back("set " + k.name + tomb);
        break;
      case KeyInfo::Kind::kSessionRecord:
        out.push_back("record" + tomb);
        break;
    }
  }
  return out;
}

void ExpectOnlyRecordAndTombstones(Datastore& store,
                                   const std::string& session) {
  auto keys = store.ListKeys(session);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  int records = 0;
  for (const KeyInfo& k : *keys) {
    if (k.kind == KeyInfo::Kind::kSessionRecord) {
      ++records;
      continue;
    }
    EXPECT_TRUE(k.tombstone)
        << "live " << (k.kind == KeyInfo::Kind::kSet ? "set " : "checkpoint ")
        << k.name << " leaked in session " << session;
  }
  EXPECT_EQ(records, 1) << "session " << session;
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "unum-e2e-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr) << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace unum::e2e
