// Linked into every app module (and test binaries that register functions
// directly): the module's registry and the C symbol `unum run` looks up.
#include "unum/function.h"

namespace unum {

FunctionRegistry& ModuleRegistry() {
  static FunctionRegistry* registry = new FunctionRegistry();
  return *registry;
}

}  // namespace unum

extern "C" const unum::FunctionRegistry* unum_module_registry() {
  return &unum::ModuleRegistry();
}
