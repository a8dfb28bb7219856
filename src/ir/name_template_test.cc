// Tests for fan-in name templates (glob, variables, arithmetic) and payload
// modifiers (Pop, $k = expr, $size = expr).
#include "ir/name_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ir/expr.h"

namespace unum::ir {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Names = std::vector<std::string>;

void ExpectInvalid(const Status& status, const std::string& substring) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(substring));
}

// Parses and expands `source`, failing the test on any error.
Names Expand(const std::string& source, const FanOutStack& stack) {
  const Result<NameTemplate> parsed = NameTemplate::Parse(source);
  if (!parsed.ok()) {
    ADD_FAILURE() << source << ": " << parsed.status().ToString();
    return {};
  }
  Result<Names> names = parsed->Expand(stack);
  if (!names.ok()) {
    ADD_FAILURE() << source << ": " << names.status().ToString();
    return {};
  }
  return std::move(names).value();
}

Status ParseError(const std::string& source) {
  return NameTemplate::Parse(source).status();
}

Status ExpandError(const std::string& source, const FanOutStack& stack) {
  const Result<NameTemplate> parsed = NameTemplate::Parse(source);
  if (!parsed.ok()) {
    return Status::Internal("parse: " + parsed.status().message());
  }
  return parsed->Expand(stack).status();
}

// ------------------------------------------------------- NameTemplate --

TEST(NameTemplateTest, PlainName) {
  const Result<NameTemplate> t = NameTemplate::Parse("CreatePost");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->has_glob());
  EXPECT_EQ(t->source(), "CreatePost");
  EXPECT_THAT(Expand("CreatePost", {}), ElementsAre("CreatePost"));
  EXPECT_THAT(Expand("CreatePost", {{"Map", 3, 5}}), ElementsAre("CreatePost"));
}

TEST(NameTemplateTest, GlobExpandsInnermostSize) {
  const Result<NameTemplate> t = NameTemplate::Parse("A-unumIndex-*");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->has_glob());
  EXPECT_THAT(Expand("A-unumIndex-*", {{"Map", 1, 3}}),
              ElementsAre("A-unumIndex-0", "A-unumIndex-1", "A-unumIndex-2"));
}

TEST(NameTemplateTest, GlobWithOuterVariable) {
  EXPECT_THAT(Expand("B-unumIndex-*.$1", {{"Map", 0, 2}, {"Map", 4, 5}}),
              ElementsAre("B-unumIndex-0.4", "B-unumIndex-1.4"));
}

TEST(NameTemplateTest, GlobInTheMiddle) {
  EXPECT_THAT(Expand("X-*-y", {{"Parallel", 0, 2}}),
              ElementsAre("X-0-y", "X-1-y"));
  EXPECT_THAT(Expand("*", {{"Parallel", 0, 2}}), ElementsAre("0", "1"));
}

TEST(NameTemplateTest, GlobOverEmptyFanOutIsEmpty) {
  EXPECT_THAT(Expand("A-unumIndex-*", {{"Map", 0, 0}}), ElementsAre());
}

TEST(NameTemplateTest, Variables) {
  const FanOutStack stack = {{"Map", 3, 20}, {"Map", 1, 5}};
  EXPECT_THAT(Expand("B-unumIndex-$0.$1", stack),
              ElementsAre("B-unumIndex-3.1"));
  EXPECT_THAT(Expand("B-unumIndex-$1", stack), ElementsAre("B-unumIndex-1"));
  EXPECT_THAT(Expand("Last-$size", stack), ElementsAre("Last-20"));
  EXPECT_THAT(Expand("$0$1", stack), ElementsAre("31"));
}

TEST(NameTemplateTest, Arithmetic) {
  EXPECT_THAT(Expand("A-unumIndex-($0+1)", {{"Map", 2, 5}}),
              ElementsAre("A-unumIndex-3"));
  EXPECT_THAT(Expand("A-unumIndex-( $0 - 1 )", {{"Map", 2, 5}}),
              ElementsAre("A-unumIndex-1"));
  EXPECT_THAT(Expand("A-unumIndex-(($0 + 1) * 2)", {{"Map", 2, 5}}),
              ElementsAre("A-unumIndex-6"));
  EXPECT_THAT(Expand("A-unumIndex-($size - 1).($1 % 2)",
                     {{"Map", 0, 4}, {"Map", 3, 5}}),
              ElementsAre("A-unumIndex-3.1"));
  EXPECT_THAT(Expand("A-unumIndex-*.($1+1)", {{"Map", 0, 2}, {"Map", 4, 5}}),
              ElementsAre("A-unumIndex-0.5", "A-unumIndex-1.5"));
}

TEST(NameTemplateTest, ParenthesesInsideStringsDoNotCount) {
  // Had the first `)` closed the group, "(')" would be a parse error.
  const Result<NameTemplate> t = NameTemplate::Parse("A-(')(' == ')')-B");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectInvalid(t->Expand({}).status(),
                "expected an integer result, got boolean");
}

TEST(NameTemplateTest, OtherCharactersAreLiteral) {
  EXPECT_THAT(Expand("Cost$-x", {}), ElementsAre("Cost$-x"));
  EXPECT_THAT(Expand("a.b_c-d)", {}), ElementsAre("a.b_c-d)"));
  EXPECT_THAT(Expand("", {}), ElementsAre(""));
}

TEST(NameTemplateTest, ParseErrors) {
  ExpectInvalid(
      ParseError("A-*-*"),
      "name template \"A-*-*\": column 5: at most one `*` is allowed");
  ExpectInvalid(ParseError("A-($0+1"),
                "name template \"A-($0+1\": column 3: unbalanced `(`");
  ExpectInvalid(ParseError("A-()"),
                "name template \"A-()\": expression "
                "\"()\": column 2: expected an operand");
  ExpectInvalid(ParseError("A-($0 +)"), "expected an operand");
  ExpectInvalid(ParseError("A-($0 $1)"),
                "expression \"($0 $1)\": column 5: expected `)`, found `$1`");
  ExpectInvalid(ParseError("A-($out.x)"),
                "`$out` is not available in a name template");
  ExpectInvalid(ParseError("A-$out"),
                "`$out` is not available in a name template");
}

TEST(NameTemplateTest, ExpandErrorsNameTheTemplate) {
  const FanOutStack one = {{"Map", 0, 4}};
  ExpectInvalid(ExpandError("A-unumIndex-($0 - 1)", one),
                "name template \"A-unumIndex-($0 - 1)\": index -1 computed by "
                "`($0 - 1)` is negative");
  ExpectInvalid(ExpandError("A-($0 / 2.0)", one),
                "name template \"A-($0 / 2.0)\"");
  ExpectInvalid(ExpandError("A-($0 / 2.0)", one),
                "expected an integer result, got number 0.0");
  ExpectInvalid(ExpandError("A-($0 == 0)", one),
                "expected an integer result, got boolean");
  ExpectInvalid(ExpandError("A-$2", one),
                "name template \"A-$2\": expression \"$2\": column 1: `$2` "
                "needs a fan-out 3 deep, payload has 1");
  ExpectInvalid(ExpandError("A-unumIndex-*", {}),
                "name template \"A-unumIndex-*\": `*` needs a fan-out, "
                "payload has none");
  ExpectInvalid(ExpandError("A-$size", {}), "`$size` needs a fan-out");
  ExpectInvalid(ExpandError("A-($0 / 0)", one), "division by zero");
  ExpectInvalid(ExpandError("A-*", {{"Map", 0, int64_t{1} << 40}}),
                "`*` cannot expand a fan-out of size 1099511627776");
}

TEST(NameTemplateTest, ReusableAcrossStacks) {
  const Result<NameTemplate> t = NameTemplate::Parse("A-unumIndex-*.$1");
  ASSERT_TRUE(t.ok());
  const Result<Names> a = t->Expand({{"Map", 0, 1}, {"Map", 7, 8}});
  const Result<Names> b = t->Expand({{"Map", 0, 2}, {"Map", 2, 8}});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_THAT(*a, ElementsAre("A-unumIndex-0.7"));
  EXPECT_THAT(*b, ElementsAre("A-unumIndex-0.2", "A-unumIndex-1.2"));
}

// -------------------------------------------------- BoundNameTemplate --

BoundNameTemplate Bind(const std::string& source, const FanOutStack& stack) {
  const Result<NameTemplate> parsed = NameTemplate::Parse(source);
  if (!parsed.ok()) {
    ADD_FAILURE() << source << ": " << parsed.status().ToString();
    return BoundNameTemplate::Single("");
  }
  Result<BoundNameTemplate> bound = parsed->Bind(stack);
  if (!bound.ok()) {
    ADD_FAILURE() << source << ": " << bound.status().ToString();
    return BoundNameTemplate::Single("");
  }
  return std::move(bound).value();
}

TEST(BoundNameTemplateTest, BindEvaluatesVariablesAroundTheGlob) {
  EXPECT_EQ(Bind("S-unumIndex-*.$1", {{"Map", 1, 3}, {"Map", 2, 4}}),
            BoundNameTemplate::Glob("S-unumIndex-", ".2", 3));
  EXPECT_EQ(Bind("A-unumIndex-($0+1)", {{"Map", 4, 9}}),
            BoundNameTemplate::Single("A-unumIndex-5"));
  EXPECT_EQ(Bind("CreatePost", {}), BoundNameTemplate::Single("CreatePost"));
}

TEST(BoundNameTemplateTest, BindHasTheErrorsOfExpand) {
  for (const auto& [source, stack] :
       std::vector<std::pair<std::string, FanOutStack>>{
           {"A-*", {}},
           {"A-$1", {{"Map", 0, 2}}},
           {"A-($0-1)", {{"Map", 0, 2}}},
           {"A-*", {{"Map", 0, (int64_t{1} << 20) + 1}}}}) {
    const Result<NameTemplate> t = NameTemplate::Parse(source);
    ASSERT_TRUE(t.ok()) << source;
    const Status bind = t->Bind(stack).status();
    const Status expand = t->Expand(stack).status();
    EXPECT_EQ(bind.code(), StatusCode::kInvalidArgument) << source;
    EXPECT_EQ(bind.message(), expand.message()) << source;
  }
}

TEST(BoundNameTemplateTest, SizeNameAndNames) {
  const BoundNameTemplate g = BoundNameTemplate::Glob("W-", ".7", 12);
  EXPECT_TRUE(g.glob());
  EXPECT_EQ(g.size(), 12);
  EXPECT_EQ(g.Name(0), "W-0.7");
  EXPECT_EQ(g.Name(11), "W-11.7");
  EXPECT_THAT(BoundNameTemplate::Glob("W-", "", 3).Names(),
              ElementsAre("W-0", "W-1", "W-2"));
  const BoundNameTemplate one = BoundNameTemplate::Single("Z");
  EXPECT_FALSE(one.glob());
  EXPECT_EQ(one.size(), 1);
  EXPECT_THAT(one.Names(), ElementsAre("Z"));
  EXPECT_EQ(BoundNameTemplate::Glob("W-", "", 0).size(), 0);
  EXPECT_TRUE(BoundNameTemplate::Glob("W-", "", 0).Names().empty());
}

TEST(BoundNameTemplateTest, IndexOfAcceptsOnlyTheCanonicalSpelling) {
  const BoundNameTemplate g = BoundNameTemplate::Glob("W-", ".7", 12);
  EXPECT_EQ(g.IndexOf("W-0.7"), 0);
  EXPECT_EQ(g.IndexOf("W-10.7"), 10);
  EXPECT_EQ(g.IndexOf("W-11.7"), 11);
  EXPECT_EQ(g.IndexOf("W-12.7"), -1);  // out of range
  EXPECT_EQ(g.IndexOf("W-01.7"), -1);  // leading zero
  EXPECT_EQ(g.IndexOf("W-00.7"), -1);
  EXPECT_EQ(g.IndexOf("W--1.7"), -1);  // sign
  EXPECT_EQ(g.IndexOf("W-+1.7"), -1);
  EXPECT_EQ(g.IndexOf("W-.7"), -1);  // no digits
  EXPECT_EQ(g.IndexOf("W-1x.7"), -1);
  EXPECT_EQ(g.IndexOf("W-1.8"), -1);  // suffix
  EXPECT_EQ(g.IndexOf("V-1.7"), -1);  // prefix
  EXPECT_EQ(g.IndexOf("W-1.7 "), -1);
  EXPECT_EQ(g.IndexOf("W-99999999999999999999.7"), -1);
  EXPECT_FALSE(g.Contains(""));
  EXPECT_TRUE(g.Contains("W-3.7"));
  // Prefix and suffix may overlap in a short name: still no digits.
  EXPECT_EQ(BoundNameTemplate::Glob("a", "a", 5).IndexOf("a"), -1);
  EXPECT_EQ(BoundNameTemplate::Glob("a", "a", 5).IndexOf("a4a"), 4);
  EXPECT_EQ(BoundNameTemplate::Single("Z").IndexOf("Z"), 0);
  EXPECT_EQ(BoundNameTemplate::Single("Z").IndexOf("Z0"), -1);
}

TEST(BoundNameTemplateTest, IndexOfAgreesWithNames) {
  const BoundNameTemplate g =
      Bind("Sq-unumIndex-*.$1", {{"Map", 0, 120}, {"Map", 3, 5}});
  const std::vector<std::string> names = g.Names();
  ASSERT_EQ(names.size(), 120u);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(g.IndexOf(names[i]), static_cast<int64_t>(i));
  }
}

TEST(BoundNameTemplateTest, ProvablyDisjoint) {
  using B = BoundNameTemplate;
  EXPECT_TRUE(B::Glob("A-", "", 5).ProvablyDisjoint(B::Glob("B-", "", 5)));
  EXPECT_TRUE(B::Glob("A-", ".1", 5).ProvablyDisjoint(B::Glob("A-", ".2", 5)));
  EXPECT_FALSE(B::Glob("A-", "", 5).ProvablyDisjoint(B::Glob("A-", "", 2)));
  EXPECT_FALSE(B::Glob("A-", "", 5).ProvablyDisjoint(B::Glob("A-1", "", 5)));
  EXPECT_TRUE(B::Glob("A-", "", 0).ProvablyDisjoint(B::Glob("A-", "", 2)));
  EXPECT_TRUE(B::Single("A-7").ProvablyDisjoint(B::Glob("A-", "", 5)));
  EXPECT_FALSE(B::Single("A-3").ProvablyDisjoint(B::Glob("A-", "", 5)));
  EXPECT_FALSE(B::Glob("A-", "", 5).ProvablyDisjoint(B::Single("A-3")));
  EXPECT_TRUE(B::Single("A").ProvablyDisjoint(B::Single("B")));
  EXPECT_FALSE(B::Single("A").ProvablyDisjoint(B::Single("A")));
}

// CountDistinctNames against a set of the expanded names.
int64_t Brute(const std::vector<BoundNameTemplate>& templates) {
  const std::vector<std::string> names = ExpandNames(templates);
  return static_cast<int64_t>(
      std::set<std::string>(names.begin(), names.end()).size());
}

TEST(BoundNameTemplateTest, CountDistinctNames) {
  using B = BoundNameTemplate;
  const std::vector<std::vector<B>> cases = {
      {},
      {B::Glob("A-", "", 10000)},
      {B::Single("Z")},
      {B::Single("Z"), B::Single("Z")},
      {B::Glob("A-", "", 4), B::Glob("B-", "", 3), B::Single("Z")},
      {B::Glob("A-", "", 4), B::Glob("A-", "", 6)},
      {B::Glob("A-", "", 6), B::Glob("A-", "", 4)},
      {B::Single("A-0"), B::Glob("A-", "", 2)},
      {B::Single("A-5"), B::Single("A-1"), B::Single("A-1"),
       B::Glob("A-", "", 3), B::Glob("A-", "", 7)},
      {B::Glob("A-", "", 3), B::Single("A-1"), B::Single("A-9")},
      {B::Glob("A-", "", 30), B::Glob("A-1", "", 30)},  // A-1x overlaps
      {B::Glob("A-", ".1", 12), B::Glob("A-1", ".1", 5), B::Glob("A-", "", 3)},
      {B::Glob("A-", "", 0), B::Single("A-0")},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(CountDistinctNames(cases[i]), Brute(cases[i])) << "case " << i;
  }
  EXPECT_EQ(CountDistinctNames(cases[1]), 10000);
  EXPECT_EQ(CountDistinctNames(cases[8]), 7);    // A-0..A-6
  EXPECT_EQ(CountDistinctNames(cases[10]), 50);  // A-0..29, A-110..129
}

TEST(BoundNameTemplateTest, ExpandNamesConcatenatesInOrder) {
  using B = BoundNameTemplate;
  EXPECT_THAT(ExpandNames({B::Glob("A-", "", 2), B::Single("A-0"),
                           B::Glob("B-", ".1", 1)}),
              ElementsAre("A-0", "A-1", "A-0", "B-0.1"));
  EXPECT_TRUE(ExpandNames({}).empty());
}

// ------------------------------------------------------------ Modifier --

// Parses `source` and applies it to `stack`, failing the test on errors.
FanOutStack Apply(const std::string& source, FanOutStack stack) {
  const Result<Modifier> modifier = Modifier::Parse(source);
  if (!modifier.ok()) {
    ADD_FAILURE() << source << ": " << modifier.status().ToString();
    return stack;
  }
  const Status status = modifier->Apply(&stack);
  if (!status.ok()) ADD_FAILURE() << source << ": " << status.ToString();
  return stack;
}

// Applies `source` expecting an error; checks the stack is unchanged.
Status ApplyError(const std::string& source, const FanOutStack& stack) {
  const Result<Modifier> modifier = Modifier::Parse(source);
  if (!modifier.ok()) {
    return Status::Internal("parse: " + modifier.status().message());
  }
  FanOutStack copy = stack;
  const Status status = modifier->Apply(&copy);
  EXPECT_EQ(copy, stack) << "a failed modifier changed the stack";
  return status;
}

Status ModifierParseError(const std::string& source) {
  return Modifier::Parse(source).status();
}

const FanOutStack kTwo = {{"Map", 3, 20}, {"Parallel", 1, 5}};

TEST(ModifierTest, Pop) {
  EXPECT_EQ(Apply("Pop", kTwo), (FanOutStack{{"Parallel", 1, 5}}));
  EXPECT_EQ(Apply("  Pop\t", kTwo), (FanOutStack{{"Parallel", 1, 5}}));
  EXPECT_EQ(Apply("Pop", {{"Map", 0, 1}}), FanOutStack{});
  const Result<Modifier> m = Modifier::Parse(" Pop ");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->source(), " Pop ");
}

TEST(ModifierTest, PopOnEmptyStackIsAnError) {
  ExpectInvalid(ApplyError("Pop", {}),
                "payload modifier \"Pop\": no fan-out to pop, payload has "
                "none");
}

TEST(ModifierTest, SetIndex) {
  EXPECT_EQ(Apply("$0 = $0 + 1", kTwo),
            (FanOutStack{{"Map", 4, 20}, {"Parallel", 1, 5}}));
  EXPECT_EQ(Apply("$0=$0+1", kTwo),
            (FanOutStack{{"Map", 4, 20}, {"Parallel", 1, 5}}));
  EXPECT_EQ(Apply("$1 = 0", kTwo),
            (FanOutStack{{"Map", 3, 20}, {"Parallel", 0, 5}}));
  EXPECT_EQ(Apply("  $1 = $0 * 2 + $1  ", kTwo),
            (FanOutStack{{"Map", 3, 20}, {"Parallel", 7, 5}}));
}

TEST(ModifierTest, SetSize) {
  EXPECT_EQ(Apply("$size = $size - 1", kTwo),
            (FanOutStack{{"Map", 3, 19}, {"Parallel", 1, 5}}));
  EXPECT_EQ(Apply("$size=3", kTwo),
            (FanOutStack{{"Map", 3, 3}, {"Parallel", 1, 5}}));
}

TEST(ModifierTest, ValueUsesTheStackBeforeAssignment) {
  // Each application reads the stack as it was before that assignment.
  FanOutStack stack = kTwo;
  stack = Apply("$0 = $size - $0 - 1", stack);  // 20 - 3 - 1
  EXPECT_EQ(stack[0].index, 16);
  stack = Apply("$size = $0 + 1", stack);
  EXPECT_EQ(stack[0].size, 17);
  stack = Apply("$0 = $0 + $1", stack);
  EXPECT_EQ(stack[0].index, 17);
}

TEST(ModifierTest, Sequence) {
  FanOutStack stack = {{"Map", 2, 3}, {"Map", 1, 4}, {"Parallel", 0, 2}};
  for (const char* source : {"Pop", "$0 = $0 + 1", "Pop"}) {
    stack = Apply(source, stack);
  }
  EXPECT_EQ(stack, (FanOutStack{{"Parallel", 0, 2}}));
}

TEST(ModifierTest, ParseErrors) {
  ExpectInvalid(ModifierParseError("pop"), "unknown payload modifier \"pop\"");
  ExpectInvalid(ModifierParseError("Push"),
                "unknown payload modifier \"Push\"");
  ExpectInvalid(ModifierParseError(""), "unknown payload modifier \"\"");
  ExpectInvalid(ModifierParseError("Pop Pop"), "unknown payload modifier");
  ExpectInvalid(ModifierParseError("$x = 1"), "unknown payload modifier");
  ExpectInvalid(ModifierParseError("$0 == 1"), "unknown payload modifier");
  ExpectInvalid(ModifierParseError("$0 1"), "unknown payload modifier");
  ExpectInvalid(ModifierParseError("$ 0 = 1"), "unknown payload modifier");
  ExpectInvalid(ModifierParseError("$0 = "),
                "payload modifier \"$0 = \": expression \"\": column 1: "
                "expected an operand");
  ExpectInvalid(ModifierParseError("$0 = $0 +"), "expected an operand");
  ExpectInvalid(ModifierParseError("$0 = $out.x"),
                "`$out` is not available in a payload modifier");
  ExpectInvalid(ModifierParseError("$99999999999 = 1"),
                "fan-out level is too large");
}

TEST(ModifierTest, ApplyErrors) {
  const FanOutStack one = {{"Map", 0, 4}};
  ExpectInvalid(ApplyError("$2 = 0", one),
                "payload modifier \"$2 = 0\": `$2` needs a fan-out 3 deep, "
                "payload has 1");
  ExpectInvalid(ApplyError("$size = 1", {}),
                "`$size` needs a fan-out 1 deep, payload has 0");
  ExpectInvalid(ApplyError("$0 = 1.5", one),
                "expected an integer result, got number 1.5");
  ExpectInvalid(ApplyError("$0 = $0 == 0", one),
                "expected an integer result, got boolean");
  ExpectInvalid(ApplyError("$0 = $0 - 5", one),
                "payload modifier \"$0 = $0 - 5\": value -5 is negative");
  ExpectInvalid(ApplyError("$size = -1", one), "value -1 is negative");
  ExpectInvalid(ApplyError("$0 = $3", one),
                "`$3` needs a fan-out 4 deep, payload has 1");
  ExpectInvalid(ApplyError("$0 = 1 / 0", one), "division by zero");
  const Result<Modifier> pop = Modifier::Parse("Pop");
  ASSERT_TRUE(pop.ok());
  ExpectInvalid(pop->Apply(nullptr), "no fan-out stack");
}

}  // namespace
}  // namespace unum::ir
