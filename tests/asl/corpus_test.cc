// The ASL differential corpus run by Unum: every case of tests/asl/corpus
// compiled and run on the in-process platform and the memory store with the
// task table app (tests/asl/app), compared with what aws-local-stepfunctions
// produced for it (expected.json; spec_expected.json where the peer departs
// from the specification, see PEER_NOTES.md): the exact output, or the
// exact error name and cause. Every run must leave only its session record
// and tombstones behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/function_table.h"
#include "app/runner.h"
#include "datastore/memory/memory_datastore.h"
#include "e2e_util.h"

namespace unum {
namespace {

namespace fs = std::filesystem;
using e2e::ReadJsonFile;
using nlohmann::json;

const std::string kCorpus = UNUM_ASL_CORPUS_DIR;
const std::string kApp = UNUM_ASL_APP_DIR;
const std::string kModule = UNUM_ASL_MODULE;

std::vector<std::string> AllCases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (fs::exists(entry.path() / "definition.json")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, SameResultAsThePeer) {
  const fs::path dir = fs::path(kCorpus) / GetParam();
  const json expected = ReadJsonFile(fs::exists(dir / "spec_expected.json")
                                         ? (dir / "spec_expected.json").string()
                                         : (dir / "expected.json").string());
  auto app = app::LoadApp(kApp, (dir / "definition.json").string());
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto functions = app::LoadFunctions(*app, kModule);
  ASSERT_TRUE(functions.ok()) << functions.status().ToString();
  MemoryDatastore store;
  app::RunOptions options;
  options.platform_url = "inproc://?workers=4";
  options.timeout = std::chrono::seconds(60);
  auto report = app::RunWorkflow(*app, *functions,
                                 ReadJsonFile((dir / "input.json").string()),
                                 &store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const auto& outcome = report->outcome;
  if (expected.at("status") == "SUCCEEDED") {
    ASSERT_TRUE(outcome.succeeded)
        << outcome.instance << ": " << outcome.message;
    EXPECT_EQ(outcome.result, expected.at("output"));
  } else {
    ASSERT_FALSE(outcome.succeeded) << outcome.result.dump();
    EXPECT_EQ(outcome.error, expected.at("error").get<std::string>())
        << outcome.message;
    // The cause of a States.* error is each implementation's own text (the
    // peer often leaves it empty); a task's or a Fail state's cause is
    // defined by the definition and must match.
    if (outcome.error.rfind("States.", 0) != 0) {
      EXPECT_EQ(outcome.cause, expected.value("cause", ""));
    }
  }
  e2e::ExpectOnlyRecordAndTombstones(store, report->session);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

}  // namespace
}  // namespace unum
