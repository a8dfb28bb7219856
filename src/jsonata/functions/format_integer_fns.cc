#include "jsonata/functions/format_integer.h"
#include "jsonata/functions/format_pictures.h"
#include "jsonata/functions/registry.h"

namespace unum::jsonata {

Value FormatIntegerFn(Evaluator&, const CallContext&,
                      std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  IntegerPicture pic = AnalyseIntegerPicture(Arg(args, 1).string());
  return Value::String(FormatIntegerAs(v.number(), pic));
}

Value ParseIntegerFn(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  IntegerPicture pic = AnalyseIntegerPicture(Arg(args, 1).string());
  std::optional<double> n = ParseIntegerAs(v.string(), pic);
  return n ? Value::Number(*n) : Value();
}

}  // namespace unum::jsonata
