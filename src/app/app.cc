#include "app/app.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/ir_parser.h"
#include "ir/ir_validator.h"

namespace unum::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Status TemplateError(const std::string& file, const std::string& field,
                     const std::string& what) {
  return Status::InvalidArgument(file + ": " + field + ": " + what);
}

Result<std::string> OptionalString(const json& obj, const std::string& key,
                                   const std::string& file,
                                   const std::string& field) {
  if (!obj.contains(key) || obj.at(key).is_null()) return std::string();
  if (!obj.at(key).is_string()) {
    return TemplateError(file, field + "." + key, "expected a string");
  }
  return obj.at(key).get<std::string>();
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The IR file of a function: unum_config.json, else .yaml/.yml.
Result<std::string> FindIrFile(const fs::path& code_dir,
                               const std::string& function,
                               const std::string& template_file) {
  for (const char* name :
       {"unum_config.json", "unum_config.yaml", "unum_config.yml"}) {
    fs::path p = code_dir / name;
    if (fs::exists(p)) return p.string();
  }
  return Status::NotFound(template_file + ": function \"" + function +
                          "\": no IR file (unum_config.json) in " +
                          code_dir.string());
}

// Compiles the state machine `app.definition_file` into app.functions from
// the code functions in `code`.
Status CompileWorkflow(App& app, std::map<std::string, FunctionSpec> code) {
  auto text = ReadTextFile(app.definition_file);
  if (!text.ok()) return text.status();
  std::vector<std::string> names;
  for (const auto& [name, spec] : code) names.push_back(name);
  auto wf = asl::Workflow::Compile(*text, names);
  if (!wf.ok()) return wf.status().WithContext(app.definition_file);
  app.workflow = std::move(wf).value();
  for (const asl::CompiledFunction& f : app.workflow->functions()) {
    FunctionSpec spec;
    if (f.role == asl::FunctionRole::kTask) {
      spec = code.at(f.handler);
      spec.code_function = f.handler;
    } else {
      spec.runtime = FunctionRuntime::kHelper;
      spec.code_dir = app.dir;
    }
    spec.name = f.name;
    spec.config = ir::FunctionConfig{};
    spec.config.name = f.name;
    spec.config.start = f.start;
    spec.config.checkpoint = true;
    spec.config.source_file = app.definition_file;
    if (f.start) app.start_function = f.name;
    app.functions.emplace(f.name, std::move(spec));
  }
  return Status::Ok();
}

}  // namespace

Result<App> LoadApp(const std::string& dir, const std::string& definition) {
  App app;
  app.dir = dir;
  const fs::path root(dir);
  if (!fs::is_directory(root)) {
    return Status::NotFound(dir + ": not an app directory");
  }
  fs::path tmpl = root / "unum-template.yaml";
  if (!fs::exists(tmpl)) tmpl = root / "unum-template.yml";
  app.template_file = tmpl.string();
  if (!fs::exists(tmpl)) {
    return Status::NotFound(dir + ": no unum-template.yaml");
  }
  UNUM_ASSIGN_OR_RETURN(json doc, ir::LoadYamlOrJson(app.template_file));
  const std::string& file = app.template_file;
  if (!doc.is_object()) {
    return TemplateError(file, "(document)", "expected a mapping");
  }
  json globals = doc.value("Globals", json::object());
  if (!globals.is_object()) {
    return TemplateError(file, "Globals", "expected a mapping");
  }
  UNUM_ASSIGN_OR_RETURN(
      app.name, OptionalString(globals, "ApplicationName", file, "Globals"));
  if (app.name.empty()) {
    return TemplateError(file, "Globals.ApplicationName", "missing");
  }
  UNUM_ASSIGN_OR_RETURN(app.datastore_url,
                        OptionalString(globals, "DataStore", file, "Globals"));
  UNUM_ASSIGN_OR_RETURN(app.module,
                        OptionalString(globals, "Module", file, "Globals"));
  UNUM_ASSIGN_OR_RETURN(
      std::string gc,
      OptionalString(globals, "GarbageCollection", file, "Globals"));
  if (!gc.empty()) {
    UNUM_ASSIGN_OR_RETURN(
        app.gc,
        runtime::ParseGcPolicy(gc, file + ": Globals.GarbageCollection"));
  }
  bool default_checkpoint = true;
  if (globals.contains("Checkpoint")) {
    if (!globals.at("Checkpoint").is_boolean()) {
      return TemplateError(file, "Globals.Checkpoint",
                           "expected true or false");
    }
    default_checkpoint = globals.at("Checkpoint").get<bool>();
  }
  UNUM_ASSIGN_OR_RETURN(
      std::string workflow_definition,
      OptionalString(globals, "WorkflowDefinition", file, "Globals"));
  if (!definition.empty()) {
    app.definition_file = definition;
  } else if (!workflow_definition.empty()) {
    app.definition_file = (root / workflow_definition).string();
  }
  const bool compiled = !app.definition_file.empty();
  if (!doc.contains("Functions") || !doc.at("Functions").is_object() ||
      doc.at("Functions").empty()) {
    return TemplateError(file, "Functions",
                         "expected a mapping of function names");
  }
  std::vector<ir::FunctionConfig> configs;
  for (const auto& [name, body] : doc.at("Functions").items()) {
    const std::string field = "Functions." + name;
    FunctionSpec spec;
    spec.name = name;
    json props =
        body.is_object() ? body.value("Properties", json::object()) : json();
    if (!props.is_object()) {
      return TemplateError(file, field + ".Properties", "expected a mapping");
    }
    UNUM_ASSIGN_OR_RETURN(
        std::string code_uri,
        OptionalString(props, "CodeUri", file, field + ".Properties"));
    if (code_uri.empty()) {
      return TemplateError(file, field + ".Properties.CodeUri", "missing");
    }
    spec.code_dir = (root / code_uri).lexically_normal().string();
    UNUM_ASSIGN_OR_RETURN(
        std::string runtime,
        OptionalString(props, "Runtime", file, field + ".Properties"));
    if (runtime.empty() || runtime == "cpp" || runtime == "c++") {
      spec.runtime = FunctionRuntime::kCpp;
    } else if (runtime == "exec") {
      spec.runtime = FunctionRuntime::kExec;
      UNUM_ASSIGN_OR_RETURN(
          spec.handler,
          OptionalString(props, "Handler", file, field + ".Properties"));
      if (spec.handler.empty()) {
        return TemplateError(file, field + ".Properties.Handler",
                             "an exec function needs the command to run");
      }
    } else {
      return TemplateError(
          file, field + ".Properties.Runtime",
          "unknown runtime \"" + runtime + "\" (expected cpp or exec)");
    }
    spec.code_function = name;
    if (compiled) {
      app.functions.emplace(name, std::move(spec));
      continue;
    }
    UNUM_ASSIGN_OR_RETURN(std::string ir_file,
                          FindIrFile(spec.code_dir, name, file));
    UNUM_ASSIGN_OR_RETURN(spec.config,
                          ir::LoadFunctionConfig(ir_file, default_checkpoint));
    if (spec.config.name != name) {
      return Status::InvalidArgument(
          ir_file + ": Name: \"" + spec.config.name +
          "\" does not match the template's function \"" + name + "\"");
    }
    if (props.contains("Start") && props.at("Start").is_boolean() &&
        props.at("Start").get<bool>() && !spec.config.start) {
      return Status::InvalidArgument(
          ir_file + ": function \"" + name +
          "\": Start: the template marks it Start but its IR does not");
    }
    if (spec.config.start) app.start_function = name;
    configs.push_back(spec.config);
    app.functions.emplace(name, std::move(spec));
  }
  if (compiled) {
    std::map<std::string, FunctionSpec> code = std::move(app.functions);
    app.functions.clear();
    UNUM_RETURN_IF_ERROR(CompileWorkflow(app, std::move(code)));
    return app;
  }
  UNUM_RETURN_IF_ERROR(ir::ValidateApp(configs).WithContext(dir));
  return app;
}

}  // namespace unum::app
