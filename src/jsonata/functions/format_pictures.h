// $formatInteger and $parseInteger (format_integer_fns.cc), registered
// with $formatNumber by AddFormatFunctions.
#ifndef UNUM_JSONATA_FUNCTIONS_FORMAT_PICTURES_H_
#define UNUM_JSONATA_FUNCTIONS_FORMAT_PICTURES_H_

#include <vector>

#include "jsonata/function.h"

namespace unum::jsonata {

Value FormatIntegerFn(Evaluator& ev, const CallContext& call,
                      std::vector<Value>& args);
Value ParseIntegerFn(Evaluator& ev, const CallContext& call,
                     std::vector<Value>& args);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_FORMAT_PICTURES_H_
