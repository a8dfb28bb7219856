// Splits a command line into argv words the way a POSIX shell quotes them,
// without running a shell or expanding anything: the exec function
// Handler (`./tool --name 'two words' "say \"hi\""`).
//
// - Unquoted whitespace separates words.
// - '...' keeps everything up to the next ' as it is.
// - "..." keeps everything up to the next unescaped "; inside, a backslash
//   escapes only " \ $ and `.
// - Outside quotes a backslash keeps the next character as it is.
// - Shell syntax we would not honour is refused rather than passed on as
//   text: unquoted | & ; < > ( ) $ and `, and an unterminated quote.
#ifndef UNUM_COMMON_COMMAND_WORDS_H_
#define UNUM_COMMON_COMMAND_WORDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "unum/status.h"

namespace unum {

// kInvalidArgument naming the offending character and its position.
Result<std::vector<std::string>> SplitCommandWords(std::string_view command);

}  // namespace unum

#endif  // UNUM_COMMON_COMMAND_WORDS_H_
