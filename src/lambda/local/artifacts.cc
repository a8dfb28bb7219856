// ReadArtifacts: see artifacts.h.
#include "lambda/local/artifacts.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace unum::lambda {

namespace fs = std::filesystem;

Result<std::vector<ArtifactFunction>> ReadArtifacts(
    const std::string& artifacts_dir) {
  std::vector<ArtifactFunction> functions;
  std::set<std::string> names;
  const std::string file = (fs::path(artifacts_dir) / "template.yaml").string();
  if (!fs::exists(file)) {
    return Status::InvalidArgument(
        file +
        " does not exist (write it with unum build APP_DIR "
        "--platform aws --out " +
        artifacts_dir + ")");
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file + ": " + e.what());
  }
  if (!root["Resources"] || !root["Resources"].IsMap()) {
    return Status::InvalidArgument(file + ": no Resources mapping");
  }
  try {
    for (const auto& r : root["Resources"]) {
      const YAML::Node& res = r.second;
      if (!res["Type"] ||
          res["Type"].as<std::string>() != "AWS::Serverless::Function") {
        continue;
      }
      const std::string id = r.first.as<std::string>();
      const YAML::Node& p = res["Properties"];
      if (!p || !p["Handler"] || !p["CodeUri"]) {
        return Status::InvalidArgument(file + ": Resources." + id +
                                       ".Properties needs Handler and CodeUri");
      }
      ArtifactFunction fn;
      fn.name = p["Handler"].as<std::string>();
      fn.zip =
          (fs::path(artifacts_dir) / p["CodeUri"].as<std::string>()).string();
      if (const YAML::Node& vars = p["Environment"]["Variables"];
          vars && vars.IsMap()) {
        for (const auto& v : vars) {
          if (v.second.IsScalar()) {
            fn.env[v.first.as<std::string>()] = v.second.as<std::string>();
          }
        }
      }
      if (const YAML::Node& e = p["EventInvokeConfig"]; e && e.IsMap()) {
        if (e["MaximumRetryAttempts"]) {
          fn.max_retries = e["MaximumRetryAttempts"].as<int>();
        }
        const YAML::Node& on_failure = e["DestinationConfig"]["OnFailure"];
        if (on_failure && on_failure["Type"] &&
            on_failure["Type"].as<std::string>() == "Lambda") {
          const YAML::Node& dest = on_failure["Destination"];
          const std::string arn = dest.IsMap() && dest["Fn::Sub"]
                                      ? dest["Fn::Sub"].as<std::string>()
                                      : dest.as<std::string>();
          if (!arn.ends_with("-" + fn.name) && !arn.ends_with(":" + fn.name)) {
            return Status::InvalidArgument(
                file + ": Resources." + id +
                ": lambda-local supports only the function itself as the "
                "OnFailure destination, not " +
                arn);
          }
          fn.on_failure_self = true;
        }
      }
      if (!names.insert(fn.name).second) {
        return Status::InvalidArgument(file + ": two functions have Handler " +
                                       fn.name);
      }
      functions.push_back(std::move(fn));
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file + ": " + e.what());
  }
  if (functions.empty()) {
    return Status::InvalidArgument(file + ": no AWS::Serverless::Function");
  }
  return functions;
}

}  // namespace unum::lambda
