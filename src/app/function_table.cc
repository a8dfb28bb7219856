#include "app/function_table.h"

#include <cxxabi.h>

#include <cstdlib>
#include <typeinfo>

#include "app/exec_function.h"
#include "asl/engine/planner.h"
#include "asl/engine/step_wrapper.h"

namespace unum::app {

using nlohmann::json;

namespace {

// The dynamic type of `e`, demangled ("std::invalid_argument").
std::string TypeName(const std::exception& e) {
  int status = 0;
  char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
  std::string result = status == 0 && name != nullptr ? name : typeid(e).name();
  std::free(name);
  return result;
}

}  // namespace

runtime::UserFunction WrapHandler(FunctionHandler handler) {
  return [handler = std::move(handler)](const json& input,
                                        Context& ctx) -> Result<json> {
    try {
      return handler(input, ctx);
    } catch (const TaskError& e) {
      return Status::Unknown(e.what()).WithErrorType(e.name());
    } catch (const std::exception& e) {
      return Status::Unknown(e.what()).WithErrorType(TypeName(e));
    } catch (...) {
      return Status::Unknown("function threw a non-standard exception");
    }
  };
}

Result<FunctionTable> LoadFunctions(const App& app,
                                    const std::string& module_path,
                                    const FunctionRegistry* registry) {
  FunctionTable table;
  bool needs_module = false;
  for (const auto& [name, spec] : app.functions) {
    if (spec.runtime == FunctionRuntime::kCpp) needs_module = true;
  }
  if (needs_module && registry == nullptr) {
    UNUM_ASSIGN_OR_RETURN(
        std::string path,
        FindModule(app.name, app.dir, app.module, module_path));
    UNUM_ASSIGN_OR_RETURN(table.module, Module::Open(path));
    registry = &table.module->registry();
  }
  for (const auto& [name, spec] : app.functions) {
    if (spec.runtime == FunctionRuntime::kHelper) {
      table.functions[name] = nullptr;
      continue;
    }
    if (spec.runtime == FunctionRuntime::kExec) {
      auto exec = ExecFunction::Create(spec.handler, spec.code_dir);
      if (!exec.ok()) {
        return exec.status().WithContext(app.template_file + ": function \"" +
                                         name + "\"");
      }
      table.functions[name] = [exec = std::move(exec).value()](
                                  const json& input, Context& ctx) {
        return exec.Run(input, ctx);
      };
      continue;
    }
    const std::string& code =
        spec.code_function.empty() ? name : spec.code_function;
    auto it = registry->functions().find(code);
    if (it == registry->functions().end()) {
      std::string have;
      for (const auto& [n, h] : registry->functions()) {
        have += (have.empty() ? "" : ", ") + n;
      }
      return Status::NotFound(
          app.template_file + ": function \"" + code + "\" is not in " +
          (table.module ? "module " + table.module->path() : "the registry") +
          " (it has: " + (have.empty() ? "nothing" : have) +
          "); register it with UNUM_FUNCTION(" + code + ")");
    }
    table.functions[name] = WrapHandler(it->second);
  }
  if (app.workflow) {
    // A compiled state machine: every function runs in its Step wrapper
    // and plans with the state machine instead of IR edges.
    for (const asl::CompiledFunction& f : app.workflow->functions()) {
      auto loaded = table.functions.find(f.name);
      if (loaded == table.functions.end()) continue;  // not in this app part
      loaded->second =
          asl::WrapStep(app.workflow, f, std::move(loaded->second));
      table.planners[f.name] =
          std::make_shared<asl::StepPlanner>(app.workflow, f);
    }
  }
  return table;
}

}  // namespace unum::app
