#include "app/module_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace unum::app {

namespace fs = std::filesystem;

Module::~Module() {
  // Modules are never unloaded: handlers (std::function objects) and
  // static destructors of the module may still be referenced at exit.
}

Result<std::unique_ptr<Module>> Module::Open(const std::string& path) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* err = dlerror();
    return Status::InvalidArgument("cannot load module " + path + ": " +
                                   (err ? err : "unknown error"));
  }
  using Entry = const FunctionRegistry* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "unum_module_registry"));
  if (entry == nullptr) {
    return Status::InvalidArgument(
        path + " is not an Unum module (no unum_module_registry symbol; build "
        "it with unum_add_app)");
  }
  return std::unique_ptr<Module>(new Module(handle, entry(), path));
}

namespace {

std::string SelfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

Result<std::string> FindModule(const std::string& app_name,
                               const std::string& app_dir,
                               const std::string& globals_module,
                               const std::string& explicit_path) {
  std::vector<std::string> tried;
  if (!explicit_path.empty()) {
    if (fs::exists(explicit_path)) return explicit_path;
    return Status::NotFound("module " + explicit_path + " does not exist");
  }
  const std::string file = app_name + ".so";
  std::vector<std::string> candidates;
  if (!globals_module.empty()) {
    candidates.push_back((fs::path(app_dir) / globals_module).string());
  }
  if (const char* env = std::getenv("UNUM_MODULE_PATH"); env && *env) {
    candidates.push_back((fs::path(env) / file).string());
  }
  if (std::string self = SelfDir(); !self.empty()) {
    candidates.push_back((fs::path(self) / "apps" / file).string());
  }
  candidates.push_back((fs::path(app_dir) / "build" / file).string());
  for (const std::string& c : candidates) {
    if (fs::exists(c)) return c;
  }
  std::string msg = "no module for app \"" + app_name + "\"; looked in:";
  for (const std::string& c : candidates) msg += " " + c;
  msg += " (build it with unum_add_app, or pass --module)";
  return Status::NotFound(msg);
}

}  // namespace unum::app
