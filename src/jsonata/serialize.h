// Serialize: a value as JSON text, the way jsonata's $string writes it
// (JSON.stringify with numbers rounded to 15 significant digits and
// functions written as "").
#ifndef UNUM_JSONATA_SERIALIZE_H_
#define UNUM_JSONATA_SERIALIZE_H_

#include <string>
#include <string_view>

#include "jsonata/value.h"

namespace unum::jsonata {

// JSON text of `v`; `pretty` indents by two spaces as
// JSON.stringify(v, null, 2) does.
std::string Serialize(const Value& v, bool pretty);
// `s` as a JSON string literal (JavaScript's escapes).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_SERIALIZE_H_
