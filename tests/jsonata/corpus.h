// The JSONata differential corpus as the C++ tests read it: the same
// format tests/jsonata/peer/corpus.mjs reads (see there).
#ifndef UNUM_TESTS_JSONATA_CORPUS_H_
#define UNUM_TESTS_JSONATA_CORPUS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace unum::jsonata::testing {

struct Case {
  int line = 0;
  std::string expr;
  std::string input;  // "none", an inputs/ file name, or "=" + JSON
};

// The cases of one .jsonata file.
std::vector<Case> ReadCases(const std::string& path);
// The input a case names (nullopt: none).
std::optional<nlohmann::ordered_json> LoadInput(const std::string& name,
                                                const std::string& inputs_dir);
// The .jsonata files of `dir`, sorted.
std::vector<std::string> CaseFiles(const std::string& dir);
std::string ExpectedFile(const std::string& case_file);

}  // namespace unum::jsonata::testing

#endif  // UNUM_TESTS_JSONATA_CORPUS_H_
