#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace unum::jsonata::testing {
namespace {

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Case> cases;
  std::string input = "none";
  std::string line;
  int number = 0;
  std::optional<Case> block;
  std::vector<std::string> block_lines;
  while (std::getline(in, line)) {
    ++number;
    if (block) {
      if (Trim(line) == "@end") {
        for (std::size_t i = 0; i < block_lines.size(); ++i) {
          if (i > 0) block->expr += "\n";
          block->expr += block_lines[i];
        }
        cases.push_back(*block);
        block.reset();
      } else {
        block_lines.push_back(line);
      }
      continue;
    }
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.rfind("@input ", 0) == 0) {
      input = Trim(t.substr(7));
      continue;
    }
    if (t == "@begin") {
      block = Case{number, "", input};
      block_lines.clear();
      continue;
    }
    cases.push_back(Case{number, line, input});
  }
  if (block) throw std::runtime_error(path + ": @begin without @end");
  return cases;
}

std::optional<nlohmann::ordered_json> LoadInput(const std::string& name,
                                                const std::string& inputs_dir) {
  if (name == "none") return std::nullopt;
  if (!name.empty() && name[0] == '=') {
    return nlohmann::ordered_json::parse(name.substr(1));
  }
  std::ifstream in(inputs_dir + "/" + name + ".json");
  if (!in) throw std::runtime_error("cannot read input " + name);
  return nlohmann::ordered_json::parse(in);
}

std::vector<std::string> CaseFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".jsonata") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ExpectedFile(const std::string& case_file) {
  return case_file.substr(0, case_file.size() - 8) + ".expected.json";
}

}  // namespace unum::jsonata::testing
