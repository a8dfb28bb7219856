#include "common/command_words.h"

#include <optional>

namespace unum {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsShellSyntax(char c) {
  switch (c) {
    case '|':
    case '&':
    case ';':
    case '<':
    case '>':
    case '(':
    case ')':
    case '$':
    case '`':
      return true;
    default:
      return false;
  }
}

Status Refuse(std::string_view command, size_t at, const std::string& what) {
  return Status::InvalidArgument(
      "command \"" + std::string(command) + "\": " + what + " at position " +
      std::to_string(at + 1) +
      " (commands run without a shell: quote the character, or run "
      "sh -c '...' explicitly)");
}

}  // namespace

Result<std::vector<std::string>> SplitCommandWords(std::string_view command) {
  std::vector<std::string> words;
  std::optional<std::string> word;  // the word being read, if any
  size_t i = 0;
  while (i < command.size()) {
    const char c = command[i];
    if (IsBlank(c)) {
      if (word) words.push_back(std::move(*word));
      word.reset();
      ++i;
      continue;
    }
    if (!word) word.emplace();
    if (c == '\'') {
      const size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return Refuse(command, i, "unterminated '");
      }
      word->append(command.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (c == '"') {
      size_t j = i + 1;
      while (true) {
        if (j >= command.size()) return Refuse(command, i, "unterminated \"");
        const char d = command[j];
        if (d == '"') break;
        if (d == '\\' && j + 1 < command.size() &&
            (command[j + 1] == '"' || command[j + 1] == '\\' ||
             command[j + 1] == '$' || command[j + 1] == '`')) {
          word->push_back(command[j + 1]);
          j += 2;
          continue;
        }
        if (d == '$' || d == '`') {
          return Refuse(command, j,
                        std::string("'") + d + "' (no expansion is done)");
        }
        word->push_back(d);
        ++j;
      }
      i = j + 1;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) {
        return Refuse(command, i, "a backslash at the end");
      }
      word->push_back(command[i + 1]);
      i += 2;
    } else if (IsShellSyntax(c)) {
      return Refuse(command, i, std::string("unquoted '") + c + "'");
    } else {
      word->push_back(c);
      ++i;
    }
  }
  if (word) words.push_back(std::move(*word));
  return words;
}

}  // namespace unum
