// CastToString: jsonata's $string of a defined value, also used by `&`
// and other functions that need text.
#ifndef UNUM_JSONATA_FUNCTIONS_STRING_CAST_H_
#define UNUM_JSONATA_FUNCTIONS_STRING_CAST_H_

#include <string>

#include "jsonata/value.h"

namespace unum::jsonata {

// Strings as they are, functions as "", everything else as JSON text
// (numbers to 15 significant digits). Throws D3001 for an infinite or NaN
// number. `v` must not be undefined.
std::string CastToString(const Value& v, bool pretty);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_STRING_CAST_H_
