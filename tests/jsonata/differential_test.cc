// The JSONata differential suite: every expression of tests/jsonata/corpus
// evaluated by our evaluator and compared with the result (or the error
// code and position) the reference implementation recorded in
// *.expected.json (tests/jsonata/peer/record.sh writes them;
// unum_jsonata_peer_check re-runs the reference to keep them honest).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "corpus.h"
#include "unum/jsonata.h"

namespace unum::jsonata {
namespace {

using nlohmann::ordered_json;
using testing::Case;

const std::string kCorpusDir = UNUM_JSONATA_CORPUS_DIR;
const std::string kInputsDir = UNUM_JSONATA_INPUTS_DIR;

std::string Show(const std::optional<ordered_json>& v) {
  return v ? v->dump() : "undefined";
}

// Compares one case; returns a description of the difference, or "".
std::string Compare(
    const Case& c, const ordered_json& recorded,
    std::map<std::string, std::optional<ordered_json>>& inputs) {
  if (recorded.value("expr", "") != c.expr ||
      recorded.value("input", "") != c.input) {
    return "the recorded entry is for another expression; re-record";
  }
  if (!inputs.count(c.input)) {
    inputs[c.input] = testing::LoadInput(c.input, kInputsDir);
  }
  Error error;
  auto parsed = Expression::Parse(c.expr, &error);
  std::optional<ordered_json> got;
  bool ok = parsed.ok();
  if (ok) {
    auto result = parsed->EvaluateOrdered(inputs[c.input], {}, {}, &error);
    ok = result.ok();
    if (ok) got = *result;
  }
  std::string ours = ok ? Show(got)
                        : "error " + error.code + " at " +
                              std::to_string(error.position) + " (" +
                              error.message + ")";
  if (recorded.contains("error")) {
    const ordered_json& e = recorded["error"];
    std::string want =
        "error " +
        (e["code"].is_null() ? std::string("(no code)")
                             : e["code"].get<std::string>()) +
        " at " +
        (e["position"].is_null() ? std::string("-")
                                 : std::to_string(e["position"].get<int>()));
    if (ok) return "want " + want + ", got " + ours;
    if (!e["code"].is_null() && e["code"].get<std::string>() != error.code) {
      return "want " + want + ", got " + ours;
    }
    if (!e["position"].is_null() &&
        e["position"].get<int>() != error.position) {
      return "want " + want + ", got " + ours;
    }
    return "";
  }
  if (!ok) {
    return "want " +
           (recorded.contains("undefined") ? std::string("undefined")
                                           : recorded["result"].dump()) +
           ", got " + ours;
  }
  if (recorded.contains("undefined")) {
    return got ? "want undefined, got " + ours : "";
  }
  if (!got || *got != recorded["result"]) {
    return "want " + recorded["result"].dump() + ", got " + ours;
  }
  return "";
}

class Differential : public ::testing::TestWithParam<std::string> {};

TEST_P(Differential, MatchesReference) {
  const std::string file = kCorpusDir + "/" + GetParam();
  std::vector<Case> cases = testing::ReadCases(file);
  std::ifstream in(testing::ExpectedFile(file));
  ASSERT_TRUE(in) << "no recorded results for " << file
                  << "; run tests/jsonata/peer/record.sh";
  ordered_json recorded = ordered_json::parse(in);
  ASSERT_EQ(recorded.size(), cases.size())
      << file << ": recorded results do not match the cases; re-record";
  std::map<std::string, std::optional<ordered_json>> inputs;
  int failures = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string diff = Compare(cases[i], recorded[i], inputs);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << GetParam() << ":" << cases[i].line << ": "
                    << cases[i].expr << "\n  " << diff;
    }
  }
  RecordProperty("cases", static_cast<int>(cases.size()));
  EXPECT_EQ(failures, 0) << failures << " of " << cases.size() << " differ";
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> names;
  for (const std::string& f : testing::CaseFiles(kCorpusDir)) {
    names.push_back(f.substr(f.rfind('/') + 1));
  }
  return names;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Differential,
                         ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name =
                               info.param.substr(0, info.param.size() - 8);
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace unum::jsonata
