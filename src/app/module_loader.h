// Loads an app's C++ functions from its module (a shared object built by
// `unum_add_app`). The module stays loaded for the life of the Module.
#ifndef UNUM_APP_MODULE_LOADER_H_
#define UNUM_APP_MODULE_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "unum/function.h"
#include "unum/status.h"

namespace unum::app {

class Module {
 public:
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // dlopens `path` and reads its registry. Errors name the path.
  static Result<std::unique_ptr<Module>> Open(const std::string& path);

  const FunctionRegistry& registry() const { return *registry_; }
  const std::string& path() const { return path_; }

 private:
  Module(void* handle, const FunctionRegistry* registry, std::string path)
      : handle_(handle), registry_(registry), path_(std::move(path)) {}
  void* handle_;
  const FunctionRegistry* registry_;
  std::string path_;
};

// Where `unum run` looks for the module of app `app_name`, in order:
// `explicit_path` if set; the app's Globals.Module (relative to the app
// dir); $UNUM_MODULE_PATH/<name>.so; <dir of the unum binary>/apps/<name>.so;
// <app dir>/build/<name>.so. Returns the first that exists, or kNotFound
// listing every place tried.
Result<std::string> FindModule(const std::string& app_name,
                               const std::string& app_dir,
                               const std::string& globals_module,
                               const std::string& explicit_path);

}  // namespace unum::app

#endif  // UNUM_APP_MODULE_LOADER_H_
