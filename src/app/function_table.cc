#include "app/function_table.h"

#include <typeinfo>

#include "app/exec_function.h"

namespace unum::app {

using nlohmann::json;

runtime::UserFunction WrapHandler(FunctionHandler handler) {
  return [handler = std::move(handler)](const json& input,
                                        Context& ctx) -> Result<json> {
    try {
      return handler(input, ctx);
    } catch (const std::exception& e) {
      return Status::Unknown(e.what());
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
    auto it = registry->functions().find(name);
    if (it == registry->functions().end()) {
      std::string have;
      for (const auto& [n, h] : registry->functions()) {
        have += (have.empty() ? "" : ", ") + n;
      }
      return Status::NotFound(
          app.template_file + ": function \"" + name + "\" is not in " +
          (table.module ? "module " + table.module->path() : "the registry") +
          " (it has: " + (have.empty() ? "nothing" : have) +
          "); register it with UNUM_FUNCTION(" + name + ")");
    }
    table.functions[name] = WrapHandler(it->second);
  }
  return table;
}

}  // namespace unum::app
