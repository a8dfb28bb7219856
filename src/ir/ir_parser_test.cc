// Tests of the IR parser (ParseFunctionConfig, LoadFunctionConfig) and the
// whole-app validator (ValidateApp): good IR in every documented form, and
// bad IR whose errors must be kInvalidArgument naming file, function and
// field.
#include "ir/ir_parser.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ir/ir_validator.h"

namespace unum::ir {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kFile[] = "app/fn/unum_config.json";

Result<FunctionConfig> Parse(const std::string& text,
                             bool default_checkpoint = true) {
  return ParseFunctionConfig(json::parse(text), kFile, default_checkpoint);
}

// Parses `text`, which must be good IR.
FunctionConfig ParseOk(const std::string& text,
                       bool default_checkpoint = true) {
  auto r = Parse(text, default_checkpoint);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : FunctionConfig{};
}

// Parses `text`, which must be bad IR, and returns the error message after
// checking the code and that it names the file.
std::string ParseError(const std::string& text) {
  auto r = Parse(text);
  EXPECT_FALSE(r.ok()) << "parsed: " << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument)
      << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr(kFile));
  return r.status().message();
}

// A scratch directory for this test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::path(::testing::TempDir()) /
            ("unum_ir_parser_test_" + std::string(info->name()) + "_" +
             std::to_string(getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------------------
// ParseFunctionConfig: good IR.

TEST(ParseFunctionConfigTest, MinimalFunctionHasDefaults) {
  FunctionConfig fn = ParseOk(R"({"Name": "World"})");
  EXPECT_EQ(fn.name, "World");
  EXPECT_FALSE(fn.start);
  EXPECT_TRUE(fn.checkpoint);
  EXPECT_THAT(fn.next, IsEmpty());
  EXPECT_THAT(fn.modifiers, IsEmpty());
  EXPECT_EQ(fn.source_file, kFile);
}

TEST(ParseFunctionConfigTest, SingleNextObjectIsOneScalarEdge) {
  FunctionConfig fn = ParseOk(R"({
    "Name": "Hello", "Start": true, "Checkpoint": true,
    "Next": {"Name": "World", "InputType": "Scalar"}})");
  EXPECT_TRUE(fn.start);
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_EQ(fn.next[0].name, "World");
  EXPECT_EQ(fn.next[0].input_type, InputType::kScalar);
  EXPECT_THAT(fn.next[0].values, IsEmpty());
  EXPECT_EQ(fn.next[0].conditional, "");
}

TEST(ParseFunctionConfigTest, EdgeWithoutInputTypeIsScalar) {
  FunctionConfig fn = ParseOk(R"({"Name": "A", "Next": {"Name": "B"}})");
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_EQ(fn.next[0].input_type, InputType::kScalar);
}

TEST(ParseFunctionConfigTest, NextListKeepsOrderAndTypes) {
  FunctionConfig fn = ParseOk(R"({
    "Name": "A",
    "Next": [
      {"Name": "B", "InputType": "Scalar"},
      {"Name": "C", "InputType": "Map"},
      {"Name": "D", "InputType": {"Fan-in": {"Values": ["A", "X-unumIndex-*"]}}}
    ]})");
  ASSERT_EQ(fn.next.size(), 3u);
  EXPECT_EQ(fn.next[0].name, "B");
  EXPECT_EQ(fn.next[0].input_type, InputType::kScalar);
  EXPECT_EQ(fn.next[1].name, "C");
  EXPECT_EQ(fn.next[1].input_type, InputType::kMap);
  EXPECT_EQ(fn.next[2].name, "D");
  EXPECT_EQ(fn.next[2].input_type, InputType::kFanIn);
  EXPECT_THAT(fn.next[2].values, ElementsAre("A", "X-unumIndex-*"));
}

TEST(ParseFunctionConfigTest, EmptyOrNullNextHasNoEdges) {
  EXPECT_THAT(ParseOk(R"({"Name": "A", "Next": []})").next, IsEmpty());
  EXPECT_THAT(ParseOk(R"({"Name": "A", "Next": null})").next, IsEmpty());
}

TEST(ParseFunctionConfigTest, ReferenceFanInObjectForm) {
  FunctionConfig fn = ParseOk(R"({
    "Name": "UserMention",
    "Next": {"Name": "CreatePost", "InputType": {"Fan-in": {"Values":
      ["UserMention-unumIndex-0", "ShortenUrl-unumIndex-1"]}}},
    "Next Payload Modifiers": ["Pop"]})");
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_EQ(fn.next[0].input_type, InputType::kFanIn);
  EXPECT_THAT(fn.next[0].values,
              ElementsAre("UserMention-unumIndex-0", "ShortenUrl-unumIndex-1"));
  EXPECT_THAT(fn.modifiers, ElementsAre("Pop"));
}

TEST(ParseFunctionConfigTest, ReferenceDocsTypeFanInWithSiblingValues) {
  FunctionConfig fn = ParseOk(R"j({
    "Name": "Mapper",
    "Next": {"Name": "Reducer", "Type": "Fan-in",
             "Values": ["Mapper-unumIndex-*", "Extra-unumIndex-($0+1)"]}})j");
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_EQ(fn.next[0].input_type, InputType::kFanIn);
  EXPECT_THAT(fn.next[0].values,
              ElementsAre("Mapper-unumIndex-*", "Extra-unumIndex-($0+1)"));
}

TEST(ParseFunctionConfigTest, TypeFieldAcceptsScalarAndMapToo) {
  FunctionConfig fn = ParseOk(R"({"Name": "A", "Next": [
      {"Name": "B", "Type": "Map"}, {"Name": "C", "Type": "Scalar"}]})");
  ASSERT_EQ(fn.next.size(), 2u);
  EXPECT_EQ(fn.next[0].input_type, InputType::kMap);
  EXPECT_EQ(fn.next[1].input_type, InputType::kScalar);
}

TEST(ParseFunctionConfigTest, ConditionalStringAndBoolean) {
  FunctionConfig fn = ParseOk(R"({"Name": "A", "Next": [
      {"Name": "B", "Conditional": "$out.score > 50 && $0 == 1"},
      {"Name": "C", "Conditional": true},
      {"Name": "D", "Conditional": false},
      {"Name": "E", "Conditional": ""}]})");
  ASSERT_EQ(fn.next.size(), 4u);
  EXPECT_EQ(fn.next[0].conditional, "$out.score > 50 && $0 == 1");
  EXPECT_EQ(fn.next[1].conditional, "true");
  EXPECT_EQ(fn.next[2].conditional, "false");
  EXPECT_EQ(fn.next[3].conditional, "");  // empty: always taken
}

TEST(ParseFunctionConfigTest, EdgePayloadModifiers) {
  FunctionConfig fn = ParseOk(R"({"Name": "A", "Next": {"Name": "B",
      "Payload Modifiers": ["Pop", "$0 = $0 + 1", "$size = 4"]}})");
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_THAT(fn.next[0].modifiers, ElementsAre("Pop", "$0 = $0 + 1",
                                                "$size = 4"));
  EXPECT_THAT(fn.modifiers, IsEmpty());
}

TEST(ParseFunctionConfigTest, NextPayloadModifiers) {
  FunctionConfig fn = ParseOk(R"({"Name": "A", "Next": {"Name": "B"},
      "Next Payload Modifiers": ["Pop", "$1 = $0"]})");
  EXPECT_THAT(fn.modifiers, ElementsAre("Pop", "$1 = $0"));
  ASSERT_EQ(fn.next.size(), 1u);
  EXPECT_THAT(fn.next[0].modifiers, IsEmpty());
}

TEST(ParseFunctionConfigTest, CheckpointDefaultComesFromArgument) {
  EXPECT_TRUE(ParseOk(R"({"Name": "A"})", true).checkpoint);
  EXPECT_FALSE(ParseOk(R"({"Name": "A"})", false).checkpoint);
  // An explicit field wins over the default either way.
  EXPECT_TRUE(ParseOk(R"({"Name": "A", "Checkpoint": true})", false)
                  .checkpoint);
  EXPECT_FALSE(ParseOk(R"({"Name": "A", "Checkpoint": false})", true)
                   .checkpoint);
}

TEST(ParseFunctionConfigTest, BooleanFieldsAcceptYamlStyleStrings) {
  EXPECT_TRUE(ParseOk(R"({"Name": "A", "Start": "True"})").start);
  EXPECT_TRUE(ParseOk(R"({"Name": "A", "Start": "true"})").start);
  EXPECT_FALSE(ParseOk(R"({"Name": "A", "Start": "False"})").start);
  EXPECT_FALSE(ParseOk(R"({"Name": "A", "Checkpoint": "FALSE"})").checkpoint);
}

TEST(ParseFunctionConfigTest, ReferenceCompatibilityFieldsAreAccepted) {
  FunctionConfig fn =
      ParseOk(R"({"Name": "A", "Remove": true, "Debug": false})");
  EXPECT_EQ(fn.name, "A");
}

// ---------------------------------------------------------------------------
// ParseFunctionConfig: bad IR.

TEST(ParseFunctionConfigErrorTest, UnknownEdgeTypeNamesFunctionAndField) {
  const std::string msg = ParseError(R"({"Name": "Mapper", "Next": [
      {"Name": "B"}, {"Name": "Partition", "InputType": "Mapp"}]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Mapper\""),
                         HasSubstr("Next[1].InputType"),
                         HasSubstr("unknown edge type \"Mapp\""),
                         HasSubstr("expected Scalar, Map or")));
  // The whole message, as the parser's header documents it.
  EXPECT_THAT(msg, HasSubstr(std::string(kFile) +
                             ": function \"Mapper\": Next[1].InputType: "
                             "unknown edge type \"Mapp\""));
}

TEST(ParseFunctionConfigErrorTest, UnknownEdgeTypeObject) {
  const std::string msg = ParseError(
      R"({"Name": "A", "Next": {"Name": "B", "InputType": {"Fan-out": 1}}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""),
                         HasSubstr("Next.InputType"),
                         HasSubstr("unknown edge type {\"Fan-out\":1}")));
}

TEST(ParseFunctionConfigErrorTest, UnknownTypeFieldValueNamesTypeField) {
  const std::string msg =
      ParseError(R"({"Name": "A", "Next": {"Name": "B", "Type": "Fanin"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""), HasSubstr("Next.Type"),
                         HasSubstr("\"Fanin\"")));
}

TEST(ParseFunctionConfigErrorTest, InputTypeAndTypeTogether) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "InputType": "Map", "Type": "Map"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""), HasSubstr("Next: "),
                         HasSubstr("not both")));
}

TEST(ParseFunctionConfigErrorTest, MapEdgeWithValues) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "InputType": "Map", "Values": ["A-unumIndex-*"]}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""),
                         HasSubstr("Next.Values"),
                         HasSubstr("only a Fan-in edge has Values"),
                         HasSubstr("this edge is Map")));
}

TEST(ParseFunctionConfigErrorTest, ScalarEdgeWithValues) {
  const std::string msg = ParseError(
      R"({"Name": "A", "Next": {"Name": "B", "Values": ["A"]}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next.Values"),
                         HasSubstr("this edge is Scalar")));
}

TEST(ParseFunctionConfigErrorTest, FanInWithoutValues) {
  const std::string msg =
      ParseError(R"({"Name": "A", "Next": {"Name": "B", "Type": "Fan-in"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""), HasSubstr("Next"),
                         HasSubstr("Fan-in edge needs at least one Value")));
}

TEST(ParseFunctionConfigErrorTest, FanInObjectWithoutValues) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "InputType": {"Fan-in": {}}}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""),
                         HasSubstr("Next.InputType.Fan-in"),
                         HasSubstr("Values")));
}

TEST(ParseFunctionConfigErrorTest, FanInWithEmptyValues) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "InputType": {"Fan-in": {"Values": []}}}})");
  EXPECT_THAT(msg, HasSubstr("at least one Value"));
}

TEST(ParseFunctionConfigErrorTest, FanInValuesGivenTwice) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "InputType": {"Fan-in": {"Values": ["A"]}}, "Values": ["A"]}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next: "), HasSubstr("Values given twice")));
}

TEST(ParseFunctionConfigErrorTest, FanInValueNotAString) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "Type": "Fan-in", "Values": ["A", 7]}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next.Values[1]"),
                         HasSubstr("expected a string, got number")));
}

TEST(ParseFunctionConfigErrorTest, FanInValueTemplateSyntaxError) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": {"Name": "B",
      "Type": "Fan-in", "Values": ["A", "A-unumIndex-*.*"]}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""),
                         HasSubstr("Next.Values[1]"),
                         HasSubstr("at most one `*`")));
}

TEST(ParseFunctionConfigErrorTest, UnknownTopLevelField) {
  const std::string msg =
      ParseError(R"({"Name": "Hello", "Nxet": {"Name": "World"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Hello\""),
                         HasSubstr("unknown field \"Nxet\"")));
}

TEST(ParseFunctionConfigErrorTest, UnknownEdgeField) {
  const std::string msg = ParseError(R"({"Name": "Hello", "Next": [
      {"Name": "World"}, {"Name": "Other", "Conditonal": "true"}]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Hello\""),
                         HasSubstr("Next[1]: "),
                         HasSubstr("unknown field \"Conditonal\"")));
}

TEST(ParseFunctionConfigErrorTest, NameMissing) {
  const std::string msg = ParseError(R"({"Start": true})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Name: "), HasSubstr("missing")));
}

TEST(ParseFunctionConfigErrorTest, NameEmpty) {
  const std::string msg = ParseError(R"({"Name": ""})");
  EXPECT_THAT(msg, HasSubstr("Name: "));
}

// Reported: a Name that is present but not a string (e.g. a YAML `Name: 123`
// that resolves to a number) is reported as "missing", which sends the user
// looking for a field that is there. Expected: say what type was found.
TEST(ParseFunctionConfigErrorTest, NameOfWrongTypeSaysWhatWasFound) {
  const std::string msg = ParseError(R"({"Name": 123})");
  EXPECT_THAT(msg, HasSubstr("Name: "));
  EXPECT_THAT(msg, HasSubstr("number")) << "BUG(ir_parser.cc): reported as "
                                           "missing although present";
}

TEST(ParseFunctionConfigErrorTest, EdgeNameMissing) {
  const std::string msg =
      ParseError(R"({"Name": "A", "Next": {"InputType": "Map"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""), HasSubstr("Next.Name"),
                         HasSubstr("next function's name")));
}

TEST(ParseFunctionConfigErrorTest, EdgeNotAnObject) {
  const std::string msg = ParseError(R"({"Name": "A", "Next": ["B"]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next[0]"),
                         HasSubstr("expected an edge object, got string")));
}

TEST(ParseFunctionConfigErrorTest, DocumentNotAnObject) {
  const std::string msg = ParseError(R"(["Name", "A"])");
  EXPECT_THAT(msg, HasSubstr("expected a JSON object, got array"));
}

TEST(ParseFunctionConfigErrorTest, ConditionalSyntaxError) {
  const std::string msg = ParseError(R"({"Name": "Check", "Next": [
      {"Name": "B"}, {"Name": "C", "Conditional": "$out.score >> 50"}]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Check\""),
                         HasSubstr("Next[1].Conditional"),
                         HasSubstr("column")));
}

TEST(ParseFunctionConfigErrorTest, ConditionalSingleEqualsHint) {
  const std::string msg = ParseError(R"({"Name": "Check", "Next":
      {"Name": "B", "Conditional": "$0 = 1"}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next.Conditional"),
                         HasSubstr("did you mean `==`?")));
}

TEST(ParseFunctionConfigErrorTest, ConditionalOfWrongType) {
  const std::string msg = ParseError(R"({"Name": "Check", "Next":
      {"Name": "B", "Conditional": 1}})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next.Conditional"),
                         HasSubstr("expected an expression string, got "
                                   "number")));
}

TEST(ParseFunctionConfigErrorTest, BadNextPayloadModifier) {
  const std::string msg = ParseError(R"({"Name": "Reducer",
      "Next": {"Name": "B"}, "Next Payload Modifiers": ["Pop", "Push"]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Reducer\""),
                         HasSubstr("Next Payload Modifiers[1]"),
                         HasSubstr("unknown payload modifier \"Push\"")));
}

TEST(ParseFunctionConfigErrorTest, BadEdgePayloadModifier) {
  const std::string msg = ParseError(R"({"Name": "Reducer", "Next": [
      {"Name": "B"},
      {"Name": "C", "Payload Modifiers": ["$0 = $out"]}]})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Reducer\""),
                         HasSubstr("Next[1].Payload Modifiers[0]"),
                         HasSubstr("`$out` is not available")));
}

TEST(ParseFunctionConfigErrorTest, ModifiersNotAList) {
  const std::string msg = ParseError(
      R"({"Name": "A", "Next": {"Name": "B"}, "Next Payload Modifiers": "Pop"})");
  EXPECT_THAT(msg, AllOf(HasSubstr("Next Payload Modifiers"),
                         HasSubstr("expected a list of strings, got string")));
}

TEST(ParseFunctionConfigErrorTest, BadBoolean) {
  const std::string msg = ParseError(R"({"Name": "A", "Checkpoint": "yes"})");
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"A\""), HasSubstr("Checkpoint"),
                         HasSubstr("expected true or false, got \"yes\"")));
}

// ---------------------------------------------------------------------------
// LoadFunctionConfig and LoadYamlOrJson.

TEST(LoadFunctionConfigTest, JsonFile) {
  TempDir dir;
  const std::string path = dir.Write(
      "unum_config.json",
      R"({"Name": "Hello", "Start": true, "Next": {"Name": "World"}})");
  auto fn = LoadFunctionConfig(path);
  ASSERT_TRUE(fn.ok()) << fn.status().ToString();
  EXPECT_EQ(fn->name, "Hello");
  EXPECT_TRUE(fn->start);
  EXPECT_EQ(fn->source_file, path);
  ASSERT_EQ(fn->next.size(), 1u);
  EXPECT_EQ(fn->next[0].name, "World");
}

TEST(LoadFunctionConfigTest, YamlFile) {
  TempDir dir;
  const std::string path = dir.Write("unum_config.yaml", R"(
Name: Mapper
Start: True
Next:
  - Name: Reducer
    InputType:
      Fan-in:
        Values: [Mapper-unumIndex-*]
  - Name: Check
    Conditional: $out.score > 50
    Payload Modifiers: ["$0 = $0 + 1"]
Next Payload Modifiers:
  - Pop
)");
  auto fn = LoadFunctionConfig(path, /*default_checkpoint=*/false);
  ASSERT_TRUE(fn.ok()) << fn.status().ToString();
  EXPECT_EQ(fn->name, "Mapper");
  EXPECT_TRUE(fn->start);
  EXPECT_FALSE(fn->checkpoint);  // the default passed in
  EXPECT_EQ(fn->source_file, path);
  ASSERT_EQ(fn->next.size(), 2u);
  EXPECT_EQ(fn->next[0].input_type, InputType::kFanIn);
  EXPECT_THAT(fn->next[0].values, ElementsAre("Mapper-unumIndex-*"));
  EXPECT_EQ(fn->next[1].conditional, "$out.score > 50");
  EXPECT_THAT(fn->next[1].modifiers, ElementsAre("$0 = $0 + 1"));
  EXPECT_THAT(fn->modifiers, ElementsAre("Pop"));
}

TEST(LoadFunctionConfigTest, YamlQuotedTrueStringStartsTheWorkflow) {
  TempDir dir;
  const std::string path = dir.Write("unum_config.yml",
                                     "Name: Hello\nStart: \"True\"\n"
                                     "Checkpoint: 'False'\n");
  auto fn = LoadFunctionConfig(path);
  ASSERT_TRUE(fn.ok()) << fn.status().ToString();
  EXPECT_TRUE(fn->start);
  EXPECT_FALSE(fn->checkpoint);
}

TEST(LoadFunctionConfigTest, YamlErrorNamesTheFile) {
  TempDir dir;
  const std::string path = dir.Write(
      "unum_config.yaml", "Name: Mapper\nNext:\n  - Name: [unclosed\n");
  auto fn = LoadFunctionConfig(path);
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fn.status().message(),
              AllOf(HasSubstr(path), HasSubstr("invalid YAML")));
}

TEST(LoadFunctionConfigTest, MalformedJsonNamesTheFile) {
  TempDir dir;
  const std::string path =
      dir.Write("unum_config.json", "{\"Name\": \"Hello\",\n \"Next\": }\n");
  auto fn = LoadFunctionConfig(path);
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fn.status().message(),
              AllOf(HasSubstr(path), HasSubstr("invalid JSON"),
                    HasSubstr("line 2")));
}

TEST(LoadFunctionConfigTest, EmptyJsonFileNamesTheFile) {
  TempDir dir;
  const std::string path = dir.Write("unum_config.json", "");
  auto fn = LoadFunctionConfig(path);
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fn.status().message(),
              AllOf(HasSubstr(path), HasSubstr("invalid JSON")));
}

TEST(LoadFunctionConfigTest, IrErrorNamesTheLoadedFile) {
  TempDir dir;
  const std::string path = dir.Write(
      "unum_config.json", R"({"Name": "A", "Next": {"Name": "B", "InputType": "Mapp"}})");
  auto fn = LoadFunctionConfig(path);
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(fn.status().message(),
              HasSubstr(path + ": function \"A\": Next.InputType: "));
}

TEST(LoadFunctionConfigTest, MissingFileIsNotFound) {
  TempDir dir;
  auto fn = LoadFunctionConfig("/nonexistent/unum_config.json");
  ASSERT_FALSE(fn.ok());
  EXPECT_EQ(fn.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(fn.status().message(),
              HasSubstr("/nonexistent/unum_config.json"));
}

// ---------------------------------------------------------------------------
// ValidateApp.

// Builds one function's IR from JSON, with a source file named after it.
FunctionConfig Fn(const std::string& text) {
  json doc = json::parse(text);
  const std::string file =
      doc.value("Name", std::string("?")) + "/unum_config.json";
  auto r = ParseFunctionConfig(doc, file);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : FunctionConfig{};
}

std::string ValidateError(const std::vector<FunctionConfig>& app) {
  Status s = ValidateApp(app);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  return s.message();
}

TEST(ValidateAppTest, ChainPasses) {
  Status s = ValidateApp({Fn(R"({"Name": "Hello", "Start": true,
                                 "Next": {"Name": "World"}})"),
                          Fn(R"({"Name": "World"})")});
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// The nested-map example: Outer maps rows, Row maps cells, Square fans in
// per row with `*.$1`, RowSum fans in over all rows, Pop at each level.
TEST(ValidateAppTest, NestedMapAppPasses) {
  Status s = ValidateApp({
      Fn(R"({"Name": "Outer", "Start": true,
             "Next": {"Name": "Row", "InputType": "Map"}})"),
      Fn(R"({"Name": "Row", "Next": {"Name": "Square", "InputType": "Map"}})"),
      Fn(R"({"Name": "Square",
             "Next": {"Name": "RowSum", "InputType":
                      {"Fan-in": {"Values": ["Square-unumIndex-*.$1"]}}},
             "Next Payload Modifiers": ["Pop"]})"),
      Fn(R"({"Name": "RowSum",
             "Next": {"Name": "Total", "InputType":
                      {"Fan-in": {"Values": ["RowSum-unumIndex-*"]}}},
             "Next Payload Modifiers": ["Pop"]})"),
      Fn(R"({"Name": "Total"})"),
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// text-processing: parallel fan-out of two branches, one chained, fan-in
// over explicit instance names.
TEST(ValidateAppTest, ParallelFanInAppPasses) {
  const std::string fan_in = R"("Next": {"Name": "CreatePost", "InputType":
      {"Fan-in": {"Values": ["UserMention-unumIndex-0",
                             "ShortenUrl-unumIndex-1"]}}},
      "Next Payload Modifiers": ["Pop"])";
  Status s = ValidateApp({
      Fn(R"({"Name": "TextProcessing", "Start": true,
             "Next": [{"Name": "UserMention"}, {"Name": "FindUrl"}]})"),
      Fn(R"({"Name": "UserMention", )" + fan_in + "}"),
      Fn(R"({"Name": "FindUrl", "Next": {"Name": "ShortenUrl"}})"),
      Fn(R"({"Name": "ShortenUrl", )" + fan_in + "}"),
      Fn(R"({"Name": "CreatePost", "Next": {"Name": "Publish"}})"),
      Fn(R"({"Name": "Publish"})"),
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ValidateAppTest, NoStart) {
  const std::string msg =
      ValidateError({Fn(R"({"Name": "A", "Next": {"Name": "B"}})"),
                     Fn(R"({"Name": "B"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("no Start function"),
                         HasSubstr("\"Start\": true")));
}

TEST(ValidateAppTest, TwoStarts) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "A", "Start": true, "Next": {"Name": "B"}})"),
       Fn(R"({"Name": "B", "Start": true})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("two Start functions"),
                         HasSubstr("\"A\" (A/unum_config.json)"),
                         HasSubstr("\"B\" (B/unum_config.json)")));
}

TEST(ValidateAppTest, NextNamesMissingFunction) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Hello", "Start": true,
              "Next": [{"Name": "World"}, {"Name": "Wrold"}]})"),
       Fn(R"({"Name": "World"})")});
  EXPECT_THAT(msg, HasSubstr("Hello/unum_config.json: function \"Hello\": "
                             "Next[1].Name: names function \"Wrold\", which "
                             "the app does not have"));
}

TEST(ValidateAppTest, FanInValueNamesMissingFunction) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Split", "Start": true,
              "Next": {"Name": "Work", "InputType": "Map"}})"),
       Fn(R"({"Name": "Work",
              "Next": {"Name": "Sum", "InputType":
                       {"Fan-in": {"Values": ["Work-unumIndex-*",
                                              "Ghost-unumIndex-$0"]}}},
              "Next Payload Modifiers": ["Pop"]})"),
       Fn(R"({"Name": "Sum"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("Work/unum_config.json"),
                         HasSubstr("function \"Work\""),
                         HasSubstr("Next.Values[1]"),
                         HasSubstr("names function \"Ghost\"")));
}

TEST(ValidateAppTest, GlobWithoutFanOutCannotExpand) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "A", "Start": true, "Next": {"Name": "B"}})"),
       Fn(R"({"Name": "B", "Next": {"Name": "C", "InputType":
              {"Fan-in": {"Values": ["B-unumIndex-*"]}}}})"),
       Fn(R"({"Name": "C"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("B/unum_config.json"),
                         HasSubstr("function \"B\""),
                         HasSubstr("Next.Values[0]"),
                         HasSubstr("cannot expand \"B-unumIndex-*\""),
                         HasSubstr("0 fan-out level(s) deep"),
                         HasSubstr("`*` needs a fan-out")));
}

TEST(ValidateAppTest, OuterIndexInFanInValueOneLevelDeep) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Split", "Start": true,
              "Next": {"Name": "Work", "InputType": "Map"}})"),
       Fn(R"({"Name": "Work", "Next": {"Name": "Sum", "InputType":
              {"Fan-in": {"Values": ["Work-unumIndex-*.$1"]}}},
              "Next Payload Modifiers": ["Pop"]})"),
       Fn(R"({"Name": "Sum"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Work\""),
                         HasSubstr("Next.Values[0]"),
                         HasSubstr("1 fan-out level(s) deep"),
                         HasSubstr("$1")));
}

TEST(ValidateAppTest, OuterIndexInConditionalOneLevelDeep) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Split", "Start": true,
              "Next": {"Name": "Work", "InputType": "Map"}})"),
       Fn(R"({"Name": "Work", "Next": [
              {"Name": "Sum", "Conditional": "$0 == 0"},
              {"Name": "Sum", "Conditional": "$1 == 0"}]})"),
       Fn(R"({"Name": "Sum"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Work\""),
                         HasSubstr("Next[1].Conditional"),
                         HasSubstr("uses $1"),
                         HasSubstr("only 1 fan-out level(s) deep")));
}

TEST(ValidateAppTest, PopWithoutFanOut) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Hello", "Start": true, "Next": {"Name": "World"},
              "Next Payload Modifiers": ["Pop"]})"),
       Fn(R"({"Name": "World"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("Hello/unum_config.json"),
                         HasSubstr("function \"Hello\""),
                         HasSubstr("Next Payload Modifiers[0]"),
                         HasSubstr("no fan-out to pop"),
                         HasSubstr("0 fan-out level(s) deep")));
}

TEST(ValidateAppTest, EdgePopWithoutFanOut) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Hello", "Start": true,
              "Next": {"Name": "World", "Payload Modifiers": ["Pop"]}})"),
       Fn(R"({"Name": "World"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Hello\""),
                         HasSubstr("Next.Payload Modifiers[0]"),
                         HasSubstr("no fan-out to pop")));
}

// Reported: when the second of two Pops fails, the message reports the
// depth left after the first Pop ("0 ... deep") rather than the depth the
// function runs at (1), contradicting itself.
TEST(ValidateAppTest, SecondPopReportsTheFunctionsDepth) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "Split", "Start": true,
              "Next": {"Name": "Work", "InputType": "Map"}})"),
       Fn(R"({"Name": "Work", "Next": {"Name": "Sum"},
              "Next Payload Modifiers": ["Pop", "Pop"]})"),
       Fn(R"({"Name": "Sum"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Work\""),
                         HasSubstr("Next Payload Modifiers[1]"),
                         HasSubstr("no fan-out to pop")));
  EXPECT_THAT(msg, HasSubstr("runs 1 fan-out level(s) deep"))
      << "BUG(ir_validator.cc CheckModifiersAt): reports the depth after "
         "earlier modifiers, not the function's depth";
}

TEST(ValidateAppTest, DuplicateFunctionNames) {
  FunctionConfig a = Fn(R"({"Name": "A", "Start": true, "Next": {"Name": "B"}})");
  FunctionConfig b1 = Fn(R"({"Name": "B"})");
  FunctionConfig b2 = Fn(R"({"Name": "B"})");
  b1.source_file = "first/unum_config.json";
  b2.source_file = "second/unum_config.json";
  const std::string msg = ValidateError({a, b1, b2});
  EXPECT_THAT(msg, AllOf(HasSubstr("second/unum_config.json: function \"B\": "
                                   "Name: "),
                         HasSubstr("already has a function of this name"),
                         HasSubstr("first/unum_config.json")));
}

// Unreachable functions are not walked, but their edges must still name
// functions of the app.
TEST(ValidateAppTest, UnreachableFunctionEdgesAreChecked) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "A", "Start": true})"),
       Fn(R"({"Name": "Orphan", "Next": {"Name": "Nowhere"}})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"Orphan\""),
                         HasSubstr("names function \"Nowhere\"")));
}

// A function reached at two depths is checked at each: `$0` is fine under
// the Map but not on the direct chain.
TEST(ValidateAppTest, FunctionReachedAtTwoDepthsIsCheckedAtBoth) {
  const std::string msg = ValidateError(
      {Fn(R"({"Name": "A", "Start": true, "Next": [
              {"Name": "B", "InputType": "Map"},
              {"Name": "C", "Conditional": "false"}]})"),
       Fn(R"({"Name": "B", "Next": {"Name": "Sink", "InputType":
              {"Fan-in": {"Values": ["B-unumIndex-*"]}}},
              "Next Payload Modifiers": ["Pop"]})"),
       Fn(R"({"Name": "C", "Next": {"Name": "B"}})"),
       Fn(R"({"Name": "Sink"})")});
  EXPECT_THAT(msg, AllOf(HasSubstr("function \"B\""),
                         HasSubstr("0 fan-out level(s) deep")));
}

TEST(FunctionOfInstanceTest, StripsIndexSuffix) {
  EXPECT_EQ(FunctionOfInstance("Mapper-unumIndex-3.1"), "Mapper");
  EXPECT_EQ(FunctionOfInstance("Mapper"), "Mapper");
}

}  // namespace
}  // namespace unum::ir

namespace unum::ir {
namespace {

TEST(ValidateAppMapEdgesTest, TwoMapEdgesToTheSameFunctionAreRejected) {
  FunctionConfig a;
  a.name = "A";
  a.start = true;
  a.source_file = "app/a/unum_config.json";
  Edge m1;
  m1.name = "B";
  m1.input_type = InputType::kMap;
  a.next = {m1, m1};
  FunctionConfig b;
  b.name = "B";
  b.source_file = "app/b/unum_config.json";
  Status s = ValidateApp({a, b});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("app/a/unum_config.json"), std::string::npos);
  EXPECT_NE(s.message().find("Next[1]"), std::string::npos);
  EXPECT_NE(s.message().find("same instance names"), std::string::npos);
}

}  // namespace
}  // namespace unum::ir
