// Whole-app checks of the IR, run before anything executes: exactly one
// Start function, every Next names a function of the app, and fan-in
// Values, Conditionals and payload modifiers fit the fan-out depth at which
// each function can run (found by walking the graph from Start).
//
// Errors are kInvalidArgument naming the file, function and field.
#ifndef UNUM_IR_IR_VALIDATOR_H_
#define UNUM_IR_IR_VALIDATOR_H_

#include <vector>

#include "unum/ir.h"
#include "unum/status.h"

namespace unum::ir {

Status ValidateApp(const std::vector<FunctionConfig>& functions);

// The function name an instance name belongs to: "A-unumIndex-3.1" -> "A".
std::string FunctionOfInstance(const std::string& instance);

}  // namespace unum::ir

#endif  // UNUM_IR_IR_VALIDATOR_H_
