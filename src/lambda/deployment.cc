// BuildAwsArtifacts: see deployment.h.
#include "lambda/deployment.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "app/function_table.h"
#include "app/module_loader.h"
#include "lambda/zip_archive.h"

namespace unum::lambda {

namespace fs = std::filesystem;

namespace {

// `path` relative to the app directory, with '/' separators.
Result<std::string> InApp(const app::App& app, const std::string& path) {
  const fs::path rel = fs::path(path).lexically_normal().lexically_relative(
      fs::path(app.dir).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") {
    return Status::InvalidArgument(app.template_file + ": " + path +
                                   " is outside the app directory");
  }
  return rel.generic_string();
}

Result<std::string> IrFile(const app::FunctionSpec& spec) {
  if (!spec.config.source_file.empty() && fs::exists(spec.config.source_file)) {
    return spec.config.source_file;
  }
  for (const char* name :
       {"unum_config.json", "unum_config.yaml", "unum_config.yml"}) {
    const fs::path p = fs::path(spec.code_dir) / name;
    if (fs::exists(p)) return p.string();
  }
  return Status::NotFound("function \"" + spec.name + "\": no IR file in " +
                          spec.code_dir);
}

Status AddTree(ZipWriter& zip, const app::App& app, const std::string& dir,
               std::set<std::string>* added) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    UNUM_ASSIGN_OR_RETURN(std::string name, InApp(app, it->path().string()));
    if (added->insert(name).second) {
      UNUM_RETURN_IF_ERROR(zip.AddFile(name, it->path().string()));
    }
  }
  if (ec)
    return Status::Unavailable("cannot list " + dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Result<std::string> FindBootstrap(const std::string& explicit_path) {
  std::vector<std::string> tried;
  if (!explicit_path.empty()) {
    tried.push_back(explicit_path);
  } else {
    if (const char* env = std::getenv("UNUM_LAMBDA_BOOTSTRAP"); env && *env) {
      tried.push_back(env);
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      tried.push_back((self.parent_path() / "unum-lambda-bootstrap").string());
    }
  }
  for (const std::string& p : tried) {
    if (fs::is_regular_file(p)) return p;
  }
  std::string msg = "no unum-lambda-bootstrap executable; looked at:";
  for (const std::string& p : tried) msg += " " + p;
  return Status::NotFound(msg +
                          " (build the unum-lambda-bootstrap target, or pass "
                          "--bootstrap)");
}

Result<std::vector<std::string>> BootstrapLibraries(
    const std::string& bootstrap) {
  const fs::path dir = bootstrap + "-lib";
  std::vector<std::string> libs;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return libs;
  for (auto it = fs::directory_iterator(dir, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) libs.push_back(it->path().string());
  }
  if (ec) {
    return Status::Unavailable("cannot list " + dir.string() + ": " +
                               ec.message());
  }
  std::sort(libs.begin(), libs.end());
  return libs;
}

Result<AwsBuildReport> BuildAwsArtifacts(const app::App& app,
                                         const AwsBuildOptions& options) {
  UNUM_ASSIGN_OR_RETURN(std::string bootstrap,
                        FindBootstrap(options.bootstrap));
  UNUM_ASSIGN_OR_RETURN(std::vector<std::string> libs,
                        BootstrapLibraries(bootstrap));
  // Load the functions as the bootstrap will (the module has every C++
  // function, every exec program exists): a zip that cannot start is
  // refused here rather than at its first cold start.
  UNUM_ASSIGN_OR_RETURN(app::FunctionTable functions,
                        app::LoadFunctions(app, options.module));
  const std::string module =
      functions.module ? functions.module->path() : std::string();
  UNUM_ASSIGN_OR_RETURN(std::string yaml, SamTemplateYaml(app, options.sam));
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create " + options.out_dir + ": " +
                               ec.message());
  }

  // Every zip carries the template and every IR file.
  UNUM_ASSIGN_OR_RETURN(std::string template_name,
                        InApp(app, app.template_file));
  std::vector<std::pair<std::string, std::string>> ir_files;  // name, path
  if (app.workflow) {
    // A Step Functions app: the state machine replaces the IR files.
    UNUM_ASSIGN_OR_RETURN(std::string in_app, InApp(app, app.definition_file));
    ir_files.emplace_back(in_app, app.definition_file);
  }
  for (const auto& [name, spec] : app.functions) {
    if (app.workflow) break;
    UNUM_ASSIGN_OR_RETURN(std::string path, IrFile(spec));
    UNUM_ASSIGN_OR_RETURN(std::string in_app, InApp(app, path));
    ir_files.emplace_back(in_app, path);
  }

  AwsBuildReport report;
  for (const auto& [name, spec] : app.functions) {
    const std::string zip_path =
        (fs::path(options.out_dir) / FunctionZipName(name)).string();
    UNUM_ASSIGN_OR_RETURN(std::unique_ptr<ZipWriter> zip,
                          ZipWriter::Create(zip_path));
    std::set<std::string> added = {"bootstrap", template_name};
    UNUM_RETURN_IF_ERROR(zip->AddFile("bootstrap", bootstrap));
    for (const std::string& lib : libs) {
      const std::string name = "lib/" + fs::path(lib).filename().string();
      if (added.insert(name).second) {
        UNUM_RETURN_IF_ERROR(zip->AddFile(name, lib));
      }
    }
    UNUM_RETURN_IF_ERROR(zip->AddFile(template_name, app.template_file));
    for (const auto& [in_app, path] : ir_files) {
      if (added.insert(in_app).second) {
        UNUM_RETURN_IF_ERROR(zip->AddFile(in_app, path));
      }
    }
    if (spec.runtime == app::FunctionRuntime::kCpp) {
      const std::string name_in_zip = "apps/" + app.name + ".so";
      added.insert(name_in_zip);
      UNUM_RETURN_IF_ERROR(zip->AddFile(name_in_zip, module));
    } else if (spec.runtime == app::FunctionRuntime::kExec) {
      UNUM_RETURN_IF_ERROR(AddTree(*zip, app, spec.code_dir, &added));
    }  // a Step Functions helper has no code of its own
    UNUM_RETURN_IF_ERROR(zip->Close());
    report.zips.push_back(zip_path);
  }

  report.template_file = (fs::path(options.out_dir) / "template.yaml").string();
  std::ofstream out(report.template_file, std::ios::trunc);
  out << yaml;
  out.close();
  if (!out) {
    return Status::Unavailable("cannot write " + report.template_file);
  }
  return report;
}

}  // namespace unum::lambda
