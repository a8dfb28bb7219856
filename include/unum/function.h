// The function-author API: what a C++ Unum function looks like.
//
// A function takes its input JSON and a Context and returns its output
// JSON. Register it under the name its IR uses:
//
//   #include <unum/function.h>
//
//   UNUM_FUNCTION(Hello)(const unum::Json& input, unum::Context& ctx) {
//     return "Hello " + input.get<std::string>();
//   }
//
// A function may throw; the runtime turns the exception into a failed
// invocation (the platform retries it; when retries run out, the session
// records the error with the function, instance and message).
//
// The functions of an app build into one module (see cmake/UnumApp.cmake,
// `unum_add_app`) that `unum run` loads. Registration happens during static
// initialisation of that module; handlers may then be called from many
// threads at once, so they must not share mutable state unguarded.
#ifndef UNUM_FUNCTION_H_
#define UNUM_FUNCTION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace unum {

using Json = nlohmann::json;

// What a running function may know about its invocation.
struct Context {
  std::string session;   // the workflow run
  std::string function;  // the function's Name
  std::string instance;  // e.g. "Mapper-unumIndex-3"
  int attempt = 1;       // 1 on first delivery
  // Step Functions Retry: how many times this state was retried so far
  // ($$.State.RetryCount); 0 for hand-written IR.
  int64_t retry_count = 0;
  // The payload's "Step" field (null JSON when absent), for runtime
  // wrappers: the Step Functions layer keeps its state there. Functions
  // need not look at it.
  const Json* step = nullptr;
  // The whole invocation payload as JSON; null when the platform carried
  // the runtime's decoded payload (in process). Functions need not look at
  // it.
  const Json* payload = nullptr;
};

// Throw to fail with a named error: a Step Functions Retry or Catch
// `ErrorEquals` matches `name`, and an uncaught one is the session's Error
// (with `cause` as its Cause). Any other exception's name is its C++ type.
class TaskError : public std::runtime_error {
 public:
  TaskError(std::string name, const std::string& cause)
      : std::runtime_error(cause), name_(std::move(name)) {}
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

using FunctionHandler = std::function<Json(const Json& input, Context& ctx)>;

// The functions one module provides, by name.
class FunctionRegistry {
 public:
  // Registers `handler` as `name`; a second registration of the same name
  // replaces the first. Returns true so it can initialise a static.
  bool Add(const std::string& name, FunctionHandler handler) {
    functions_[name] = std::move(handler);
    return true;
  }
  const std::map<std::string, FunctionHandler>& functions() const {
    return functions_;
  }

 private:
  std::map<std::string, FunctionHandler> functions_;
};

// The registry of the module being built. Defined once per module by the
// module entry that `unum_add_app` links in.
FunctionRegistry& ModuleRegistry();

}  // namespace unum

// The C symbol `unum run` looks up in a module.
extern "C" const unum::FunctionRegistry* unum_module_registry();

#define UNUM_FUNCTION_CONCAT_INNER_(a, b) a##b
#define UNUM_FUNCTION_CONCAT_(a, b) UNUM_FUNCTION_CONCAT_INNER_(a, b)

// Defines and registers a function; follow it with the parameter list and
// body: UNUM_FUNCTION(Name)(const unum::Json& in, unum::Context& ctx) {...}
#define UNUM_FUNCTION(name)                                                  \
  static ::unum::Json UNUM_FUNCTION_CONCAT_(unum_function_, name)(           \
      const ::unum::Json&, ::unum::Context&);                                \
  [[maybe_unused]] static const bool UNUM_FUNCTION_CONCAT_(unum_registered_, \
                                                           name) =           \
      ::unum::ModuleRegistry().Add(                                          \
          #name, &UNUM_FUNCTION_CONCAT_(unum_function_, name));              \
  static ::unum::Json UNUM_FUNCTION_CONCAT_(unum_function_, name)

#endif  // UNUM_FUNCTION_H_
