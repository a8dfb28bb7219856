#include "jsonata/functions/registry.h"

#include <string>
#include <unordered_map>

#include "jsonata/evaluator.h"

namespace unum::jsonata {
namespace {

using Table = std::unordered_map<std::string, FunctionPtr>;

const Table& Builtins() {
  static const Table* table = [] {
    std::vector<BuiltinSpec> specs;
    AddAggregateFunctions(specs);
    AddStringFunctions(specs);
    AddRegexFunctions(specs);
    AddNumericFunctions(specs);
    AddFormatFunctions(specs);
    AddBooleanFunctions(specs);
    AddArrayFunctions(specs);
    AddObjectFunctions(specs);
    AddHigherOrderFunctions(specs);
    AddDateTimeFunctions(specs);
    AddEncodingFunctions(specs);
    auto* t = new Table();
    for (const BuiltinSpec& spec : specs) {
      auto fn = std::make_shared<Builtin>();
      fn->name = spec.name;
      fn->impl = spec.impl;
      fn->signature = Signature::Parse(spec.signature, 0);
      fn->arity = fn->signature->param_count();
      // Callbacks get as many arguments as jsonata's implementation
      // declares: $string's second is a default parameter, $zip takes
      // its arguments as a list.
      if (fn->name == "string") fn->arity = 1;
      if (fn->name == "zip") fn->arity = 0;
      (*t)[spec.name] = std::move(fn);
    }
    return t;
  }();
  return *table;
}

}  // namespace

FunctionPtr FindBuiltin(const std::string& name) {
  const Table& t = Builtins();
  auto it = t.find(name);
  return it == t.end() ? nullptr : it->second;
}

}  // namespace unum::jsonata
