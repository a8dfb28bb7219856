// $boolean, $not, $exists.
#include "jsonata/functions/registry.h"

namespace unum::jsonata {
namespace {

Value Boolean(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return Value::Bool(Truthy(v));
}

Value Not(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  return Value::Bool(!Truthy(v));
}

Value Exists(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return Value::Bool(!Arg(args, 0).undefined());
}

}  // namespace

void AddBooleanFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"boolean", "<x-:b>", Boolean});
  out.push_back({"not", "<x-:b>", Not});
  out.push_back({"exists", "<x:b>", Exists});
}

}  // namespace unum::jsonata
