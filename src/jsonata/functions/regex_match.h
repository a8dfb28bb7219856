// Regex match objects: what a regex (as a function) returns for a string,
// {match, start, end, groups, next}, with start and end in UTF-16 units as
// JavaScript counts them.
#ifndef UNUM_JSONATA_FUNCTIONS_REGEX_MATCH_H_
#define UNUM_JSONATA_FUNCTIONS_REGEX_MATCH_H_

#include <memory>
#include <string>

#include "jsonata/regex.h"
#include "jsonata/value.h"

namespace unum::jsonata {

// The first match of `re` in `*subject` at byte `from` or later, or
// undefined. Its `next` finds the following match; a following match of
// zero length fails with D1004.
Value RegexMatchObject(const std::shared_ptr<const Regex>& re,
                       const std::shared_ptr<const std::string>& subject,
                       std::size_t from);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_REGEX_MATCH_H_
