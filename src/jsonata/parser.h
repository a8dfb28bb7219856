// Parser: a top-down operator-precedence (Pratt) parser from tokens to the
// raw syntax tree; ProcessTree then shapes it for evaluation.
#ifndef UNUM_JSONATA_PARSER_H_
#define UNUM_JSONATA_PARSER_H_

#include <string_view>

#include "jsonata/ast.h"

namespace unum::jsonata {

// A syntax tree higher than this is refused (U1001) instead of exhausting
// the native stack (nested brackets, or long chains like 1+1+...+1).
inline constexpr int kMaxTreeHeight = 1000;

// Parses `text` into the evaluable tree. Throws JsonataError.
NodePtr ParseExpression(std::string_view text);

// Shapes the raw tree (ast_process.cc). Throws JsonataError.
NodePtr ProcessTree(NodePtr raw);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_PARSER_H_
