// The built-in function library, by family (one file each). Each family
// lists its functions with jsonata's signatures; registry.cc builds the
// table once, and FindBuiltin (evaluator.h) looks names up in it.
#ifndef UNUM_JSONATA_FUNCTIONS_REGISTRY_H_
#define UNUM_JSONATA_FUNCTIONS_REGISTRY_H_

#include <vector>

#include "jsonata/function.h"

namespace unum::jsonata {

struct BuiltinSpec {
  const char* name;
  const char* signature;
  BuiltinImpl impl;
};

void AddAggregateFunctions(std::vector<BuiltinSpec>& out);
void AddStringFunctions(std::vector<BuiltinSpec>& out);
void AddRegexFunctions(std::vector<BuiltinSpec>& out);
void AddNumericFunctions(std::vector<BuiltinSpec>& out);
void AddFormatFunctions(std::vector<BuiltinSpec>& out);
void AddBooleanFunctions(std::vector<BuiltinSpec>& out);
void AddArrayFunctions(std::vector<BuiltinSpec>& out);
void AddObjectFunctions(std::vector<BuiltinSpec>& out);
void AddHigherOrderFunctions(std::vector<BuiltinSpec>& out);
void AddDateTimeFunctions(std::vector<BuiltinSpec>& out);
void AddEncodingFunctions(std::vector<BuiltinSpec>& out);

// The argument at `i`, or undefined when there is none.
inline const Value& Arg(const std::vector<Value>& args, std::size_t i) {
  static const Value kUndefined;
  return i < args.size() ? args[i] : kUndefined;
}

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_REGISTRY_H_
