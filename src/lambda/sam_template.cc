// SamTemplateYaml: see sam_template.h.
#include "lambda/sam_template.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <set>

#include "platform/lambda/lambda_platform.h"

namespace unum::lambda {

namespace {

YAML::Node Sub(const std::string& text) {
  YAML::Node n;
  n["Fn::Sub"] = text;
  return n;
}

std::string FunctionArn(const std::string& name) {
  return "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:"
         "function:${AWS::StackName}-" +
         name;
}

YAML::Node Table() {
  YAML::Node t;
  t["Type"] = "AWS::DynamoDB::Table";
  YAML::Node p;
  p["BillingMode"] = "PAY_PER_REQUEST";
  for (const char* key : {"p", "s"}) {
    YAML::Node a;
    a["AttributeName"] = key;
    a["AttributeType"] = "B";
    p["AttributeDefinitions"].push_back(a);
  }
  YAML::Node hash, range;
  hash["AttributeName"] = "p";
  hash["KeyType"] = "HASH";
  range["AttributeName"] = "s";
  range["KeyType"] = "RANGE";
  p["KeySchema"].push_back(hash);
  p["KeySchema"].push_back(range);
  p["TimeToLiveSpecification"]["AttributeName"] = "e";
  p["TimeToLiveSpecification"]["Enabled"] = true;
  t["Properties"] = p;
  return t;
}

YAML::Node Policy(const app::FunctionSpec& spec) {
  YAML::Node doc;
  doc["Version"] = "2012-10-17";
  YAML::Node table;
  table["Effect"] = "Allow";
  for (const char* action :
       {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
        "dynamodb:DeleteItem", "dynamodb:BatchGetItem", "dynamodb:Query"}) {
    table["Action"].push_back(action);
  }
  table["Resource"]["Fn::GetAtt"].push_back(kTableLogicalId);
  table["Resource"]["Fn::GetAtt"].push_back("Arn");
  doc["Statement"].push_back(table);

  std::set<std::string> targets = {spec.name};  // itself: the destination
  for (const ir::Edge& e : spec.config.next) targets.insert(e.name);
  YAML::Node invoke;
  invoke["Effect"] = "Allow";
  invoke["Action"] = "lambda:InvokeFunction";
  for (const std::string& t : targets) {
    invoke["Resource"].push_back(Sub(FunctionArn(t)));
  }
  doc["Statement"].push_back(invoke);
  return doc;
}

}  // namespace

std::string FunctionZipName(const std::string& function) {
  return function + ".zip";
}

std::string FunctionLogicalId(const std::string& function) {
  std::string id;
  for (char c : function) {
    if (std::isalnum(static_cast<unsigned char>(c))) id.push_back(c);
  }
  return id + "Function";
}

Result<std::string> SamTemplateYaml(const app::App& app,
                                    const SamOptions& options) {
  YAML::Node root;
  root["AWSTemplateFormatVersion"] = "2010-09-09";
  root["Transform"] = "AWS::Serverless-2016-10-31";
  root["Description"] = "Unum app " + app.name + " (written by unum build)";
  YAML::Node resources;
  resources[kTableLogicalId] = Table();
  std::set<std::string> ids = {kTableLogicalId};
  for (const auto& [name, spec] : app.functions) {
    // The stack name prefix is checked at deploy time; the name itself here.
    if (!IsLambdaFunctionName(name)) {
      return Status::InvalidArgument(
          app.template_file + ": function \"" + name +
          "\" cannot name a Lambda function (A-Z a-z 0-9 - _ only)");
    }
    const std::string id = FunctionLogicalId(name);
    if (!ids.insert(id).second) {
      return Status::InvalidArgument(app.template_file + ": function \"" +
                                     name + "\" has the logical id " + id +
                                     " of another resource");
    }
    YAML::Node f;
    f["Type"] = "AWS::Serverless::Function";
    YAML::Node p;
    p["FunctionName"] = Sub("${AWS::StackName}-" + name);
    p["CodeUri"] = FunctionZipName(name);
    p["Handler"] = name;
    p["Runtime"] = "provided.al2023";
    p["Architectures"].push_back(options.architecture);
    p["MemorySize"] = options.memory_mb;
    p["Timeout"] = options.timeout_seconds;
    YAML::Node vars;
    vars["UNUM_STORE"] = Sub(std::string("dynamodb://${") + kTableLogicalId +
                             "}?region=${AWS::Region}");
    vars["UNUM_PLATFORM"] =
        Sub("lambda://?region=${AWS::Region}&prefix=${AWS::StackName}-");
    p["Environment"]["Variables"] = vars;
    p["Policies"].push_back(Policy(spec));
    YAML::Node events;
    events["MaximumRetryAttempts"] = options.retry_attempts;
    events["MaximumEventAgeInSeconds"] = options.max_event_age_seconds;
    events["DestinationConfig"]["OnFailure"]["Type"] = "Lambda";
    events["DestinationConfig"]["OnFailure"]["Destination"] =
        Sub(FunctionArn(name));
    p["EventInvokeConfig"] = events;
    f["Properties"] = p;
    resources[id] = f;
  }
  root["Resources"] = resources;
  YAML::Node outputs;
  outputs["Table"]["Value"]["Ref"] = kTableLogicalId;
  outputs["StartFunction"]["Value"] =
      Sub("${AWS::StackName}-" + app.start_function);
  root["Outputs"] = outputs;

  YAML::Emitter out;
  out << root;
  if (!out.good()) {
    return Status::Internal("cannot write the SAM template: " +
                            out.GetLastError());
  }
  return std::string(out.c_str()) + "\n";
}

}  // namespace unum::lambda
