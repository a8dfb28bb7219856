// The user functions of an app, ready for the runtime: C++ handlers from
// the app's module and `Runtime: exec` executables, all with errors as
// values (exceptions are caught and become the failure message).
#ifndef UNUM_APP_FUNCTION_TABLE_H_
#define UNUM_APP_FUNCTION_TABLE_H_

#include <map>
#include <memory>
#include <string>

#include "app/app.h"
#include "app/module_loader.h"
#include "runtime/runtime.h"
#include "unum/function.h"

namespace unum::app {

struct FunctionTable {
  std::unique_ptr<Module> module;  // null when the app has no C++ function
  std::map<std::string, runtime::UserFunction> functions;
  // Compiled state machines: each function's planner (Runtime::AddFunction).
  std::map<std::string, std::shared_ptr<const runtime::ContinuationPlanner>>
      planners;

  // The planner of `name`, or null.
  std::shared_ptr<const runtime::ContinuationPlanner> PlannerOf(
      const std::string& name) const {
    auto it = planners.find(name);
    return it == planners.end() ? nullptr : it->second;
  }
};

// Wraps a C++ handler: exceptions become kUnknown with their message.
runtime::UserFunction WrapHandler(FunctionHandler handler);

// Builds the table for `app`, loading its module when it has C++
// functions. `registry` (optional) is used instead of a module (tests).
// Errors name a function the module lacks and list what it has.
Result<FunctionTable> LoadFunctions(const App& app,
                                    const std::string& module_path,
                                    const FunctionRegistry* registry = nullptr);

}  // namespace unum::app

#endif  // UNUM_APP_FUNCTION_TABLE_H_
