// The SAM template of the text-processing example, parsed back with
// yaml-cpp: every function, its code, environment, permissions and
// retries, and the table.
#include "lambda/sam_template.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace unum::lambda {
namespace {

std::string Arn(const std::string& name) {
  return "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:"
         "function:${AWS::StackName}-" +
         name;
}

std::set<std::string> InvokeTargets(const YAML::Node& statement) {
  std::set<std::string> out;
  for (const auto& r : statement["Resource"]) {
    out.insert(r["Fn::Sub"].as<std::string>());
  }
  return out;
}

TEST(SamTemplateTest, TextProcessingHasEveryFunctionWithLeastPrivilege) {
  auto app = app::LoadApp("examples/text-processing");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto text = SamTemplateYaml(*app, SamOptions{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const YAML::Node root = YAML::Load(*text);

  EXPECT_EQ(root["Transform"].as<std::string>(), "AWS::Serverless-2016-10-31");
  const YAML::Node resources = root["Resources"];
  ASSERT_TRUE(resources.IsMap());
  EXPECT_EQ(resources.size(), 7u);  // 6 functions + the table

  const YAML::Node table = resources["UnumTable"];
  EXPECT_EQ(table["Type"].as<std::string>(), "AWS::DynamoDB::Table");
  EXPECT_EQ(table["Properties"]["BillingMode"].as<std::string>(),
            "PAY_PER_REQUEST");
  EXPECT_EQ(
      table["Properties"]["KeySchema"][0]["AttributeName"].as<std::string>(),
      "p");
  EXPECT_EQ(table["Properties"]["KeySchema"][1]["KeyType"].as<std::string>(),
            "RANGE");
  EXPECT_EQ(table["Properties"]["AttributeDefinitions"][0]["AttributeType"]
                .as<std::string>(),
            "B");
  EXPECT_EQ(table["Properties"]["TimeToLiveSpecification"]["AttributeName"]
                .as<std::string>(),
            "e");
  EXPECT_TRUE(
      table["Properties"]["TimeToLiveSpecification"]["Enabled"].as<bool>());

  // What each function may invoke: its IR's Next names and itself.
  const std::map<std::string, std::set<std::string>> invokes = {
      {"TextProcessing", {"TextProcessing", "UserMention", "FindUrl"}},
      {"UserMention", {"UserMention", "CreatePost"}},
      {"FindUrl", {"FindUrl", "ShortenUrl"}},
      {"ShortenUrl", {"ShortenUrl", "CreatePost"}},
      {"CreatePost", {"CreatePost", "Publish"}},
      {"Publish", {"Publish"}}};
  for (const auto& [name, targets] : invokes) {
    SCOPED_TRACE(name);
    const YAML::Node f = resources[name + "Function"];
    ASSERT_TRUE(f.IsMap());
    EXPECT_EQ(f["Type"].as<std::string>(), "AWS::Serverless::Function");
    const YAML::Node p = f["Properties"];
    EXPECT_EQ(p["FunctionName"]["Fn::Sub"].as<std::string>(),
              "${AWS::StackName}-" + name);
    EXPECT_EQ(p["CodeUri"].as<std::string>(), name + ".zip");
    EXPECT_EQ(p["Handler"].as<std::string>(), name);
    EXPECT_EQ(p["Runtime"].as<std::string>(), "provided.al2023");
    const YAML::Node vars = p["Environment"]["Variables"];
    EXPECT_EQ(vars.size(), 2u);
    EXPECT_EQ(vars["UNUM_STORE"]["Fn::Sub"].as<std::string>(),
              "dynamodb://${UnumTable}?region=${AWS::Region}");
    EXPECT_EQ(vars["UNUM_PLATFORM"]["Fn::Sub"].as<std::string>(),
              "lambda://?region=${AWS::Region}&prefix=${AWS::StackName}-");

    ASSERT_EQ(p["Policies"].size(), 1u);
    const YAML::Node statements = p["Policies"][0]["Statement"];
    ASSERT_EQ(statements.size(), 2u);
    const YAML::Node db = statements[0];
    EXPECT_EQ(db["Effect"].as<std::string>(), "Allow");
    std::set<std::string> actions;
    for (const auto& a : db["Action"]) actions.insert(a.as<std::string>());
    EXPECT_EQ(actions, (std::set<std::string>{
                           "dynamodb:GetItem", "dynamodb:PutItem",
                           "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                           "dynamodb:BatchGetItem", "dynamodb:Query"}));
    EXPECT_EQ(db["Resource"]["Fn::GetAtt"][0].as<std::string>(), "UnumTable");
    EXPECT_EQ(db["Resource"]["Fn::GetAtt"][1].as<std::string>(), "Arn");
    const YAML::Node invoke = statements[1];
    EXPECT_EQ(invoke["Action"].as<std::string>(), "lambda:InvokeFunction");
    std::set<std::string> want;
    for (const std::string& t : targets) want.insert(Arn(t));
    EXPECT_EQ(InvokeTargets(invoke), want);

    const YAML::Node retries = p["EventInvokeConfig"];
    EXPECT_EQ(retries["MaximumRetryAttempts"].as<int>(), 1);
    EXPECT_EQ(retries["MaximumEventAgeInSeconds"].as<int>(), 21600);
    EXPECT_EQ(
        retries["DestinationConfig"]["OnFailure"]["Type"].as<std::string>(),
        "Lambda");
    EXPECT_EQ(
        retries["DestinationConfig"]["OnFailure"]["Destination"]["Fn::Sub"]
            .as<std::string>(),
        Arn(name));
  }
  EXPECT_EQ(
      root["Outputs"]["StartFunction"]["Value"]["Fn::Sub"].as<std::string>(),
      "${AWS::StackName}-TextProcessing");
}

TEST(SamTemplateTest, LogicalIdsKeepLettersAndDigits) {
  EXPECT_EQ(FunctionLogicalId("Row_sum-2"), "Rowsum2Function");
  EXPECT_EQ(FunctionZipName("Mapper"), "Mapper.zip");
}

}  // namespace
}  // namespace unum::lambda
