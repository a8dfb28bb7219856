#include "jsonata/functions/string_cast.h"

#include <cmath>

#include "jsonata/error.h"
#include "jsonata/serialize.h"

namespace unum::jsonata {

std::string CastToString(const Value& v, bool pretty) {
  if (v.is_string()) return v.string();
  if (v.is_function()) return "";
  if (v.is_number() && !std::isfinite(v.number())) {
    throw JsonataError("D3001", -1).With(v);
  }
  return Serialize(v, pretty);
}

}  // namespace unum::jsonata
