#include "asl/definition/intrinsics.h"

#include <gtest/gtest.h>

#include <string>

namespace unum::asl {
namespace {

using nlohmann::json;

const json kInput = json::parse(R"({
  "name": "Arnav",
  "template": "Hello, my name is {}.",
  "escaped": "{\"foo\": \"bar\"}",
  "obj": {"foo": "bar", "n": [1, 2]},
  "arr": [1, 2, 3, 4, 5, 6, 7],
  "dups": [1, 2, 3, 3, 3, 3, 3, 3, 4, "a", "a", {"x": 1}, {"x": 1}],
  "text": "1,2,3,4,5",
  "arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my.recipe.name/1.0.0",
  "data": "input data",
  "b64": "RGF0YSB0byBlbmNvZGU=",
  "num": 111,
  "frac": 2.5,
  "json1": {"a": {"a1": 1, "a2": 2}, "b": 2},
  "json2": {"a": {"a3": 1, "a4": 2}, "c": 3},
  "big": 3000000000,
  "yes": true
})");

// Resolves "$", "$.a.b" and "$$.x" (context) for the tests; the real
// resolver is JSONPath from src/asl/dataflow.
Outcome<json> Resolve(std::string_view path) {
  json context = {{"Execution", {{"Id", "exec-1"}}}};
  const json* node = &kInput;
  std::string_view rest = path;
  if (rest.substr(0, 2) == "$$") {
    node = &context;
    rest.remove_prefix(2);
  } else {
    rest.remove_prefix(1);
  }
  while (!rest.empty()) {
    if (rest[0] != '.') break;
    rest.remove_prefix(1);
    size_t end = rest.find('.');
    std::string key(rest.substr(0, end));
    if (!node->is_object() || !node->contains(key)) {
      return StatesError{kStatesParameterPathFailure,
                         "no match for " + std::string(path)};
    }
    node = &(*node)[key];
    rest = end == std::string_view::npos ? "" : rest.substr(end);
  }
  return *node;
}

json Eval(std::string_view text) {
  Result<IntrinsicCall> call = ParseIntrinsic(text);
  EXPECT_TRUE(call.ok()) << call.status().ToString();
  if (!call.ok()) return "<parse error>";
  Outcome<json> out = EvaluateIntrinsic(*call, &Resolve);
  EXPECT_TRUE(out.ok()) << out.error().cause;
  if (!out.ok()) return "<evaluation error>";
  return *out;
}

// The cause of the States.IntrinsicFailure that evaluating `text` yields.
std::string Failure(std::string_view text) {
  Result<IntrinsicCall> call = ParseIntrinsic(text);
  EXPECT_TRUE(call.ok()) << call.status().ToString();
  if (!call.ok()) return "<parse error>";
  Outcome<json> out = EvaluateIntrinsic(*call, &Resolve);
  EXPECT_FALSE(out.ok()) << out->dump();
  if (out.ok()) return "<no error>";
  EXPECT_EQ(out.error().error, "States.IntrinsicFailure");
  return out.error().cause;
}

std::string ParseError(std::string_view text) {
  Result<IntrinsicCall> call = ParseIntrinsic(text);
  EXPECT_FALSE(call.ok());
  if (call.ok()) return "<parsed>";
  EXPECT_EQ(call.status().code(), StatusCode::kInvalidArgument);
  return call.status().message();
}

TEST(IntrinsicParseTest, BuildsTheCallTree) {
  Result<IntrinsicCall> call = ParseIntrinsic(
      " States.Array('a\\'b', $.x[0], $$.Execution.Id, -1.5e2, true, null, "
      "States.Array()) ");
  ASSERT_TRUE(call.ok()) << call.status().ToString();
  EXPECT_EQ(call->name, "States.Array");
  ASSERT_EQ(call->args.size(), 7u);
  EXPECT_EQ(std::get<json>(call->args[0].value), json("a'b"));
  EXPECT_EQ(call->args[0].literal_source, "a\\'b");
  EXPECT_EQ(std::get<IntrinsicArg::Path>(call->args[1].value).text, "$.x[0]");
  EXPECT_EQ(std::get<IntrinsicArg::Path>(call->args[2].value).text,
            "$$.Execution.Id");
  EXPECT_EQ(std::get<json>(call->args[3].value), json(-150.0));
  EXPECT_EQ(std::get<json>(call->args[4].value), json(true));
  EXPECT_EQ(std::get<json>(call->args[5].value), json(nullptr));
  const auto& nested =
      std::get<std::shared_ptr<IntrinsicCall>>(call->args[6].value);
  EXPECT_EQ(nested->name, "States.Array");
  EXPECT_TRUE(nested->args.empty());
}

TEST(IntrinsicParseTest, PathsMayHoldBracketsCommasAndParentheses) {
  Result<IntrinsicCall> call =
      ParseIntrinsic("States.Array($.a['x,y'], $.b[?(@.c == 'd)')], $)");
  ASSERT_TRUE(call.ok()) << call.status().ToString();
  ASSERT_EQ(call->args.size(), 3u);
  EXPECT_EQ(std::get<IntrinsicArg::Path>(call->args[0].value).text,
            "$.a['x,y']");
  EXPECT_EQ(std::get<IntrinsicArg::Path>(call->args[1].value).text,
            "$.b[?(@.c == 'd)')]");
  EXPECT_EQ(std::get<IntrinsicArg::Path>(call->args[2].value).text, "$");
}

TEST(IntrinsicParseTest, LooksLikeIntrinsic) {
  EXPECT_TRUE(LooksLikeIntrinsic("States.Array()"));
  EXPECT_TRUE(LooksLikeIntrinsic("  States.UUID()"));
  EXPECT_FALSE(LooksLikeIntrinsic("$.States.x"));
  EXPECT_FALSE(LooksLikeIntrinsic("States"));
}

TEST(IntrinsicParseTest, SyntaxErrorsNameThePosition) {
  EXPECT_EQ(ParseError("States.Nope(1)"),
            "intrinsic function \"States.Nope(1)\": at position 0: unknown "
            "intrinsic function States.Nope");
  EXPECT_EQ(ParseError("$.a"),
            "intrinsic function \"$.a\": at position 0: expected an "
            "intrinsic function name such as States.Format");
  EXPECT_EQ(ParseError("States.Array(1 2)"),
            "intrinsic function \"States.Array(1 2)\": at position 15: "
            "expected ',' or ')' in the arguments of States.Array");
  EXPECT_EQ(ParseError("States.Array(1"),
            "intrinsic function \"States.Array(1\": at position 14: missing "
            "')' to close States.Array");
  EXPECT_EQ(ParseError("States.Array('abc)"),
            "intrinsic function \"States.Array('abc)\": at position 13: "
            "unterminated string literal");
  EXPECT_EQ(ParseError("States.Array('a\\nb')"),
            "intrinsic function \"States.Array('a\\nb')\": at position 15: "
            "invalid escape '\\n' (only \\' \\{ \\} \\\\ are allowed)");
  EXPECT_EQ(ParseError("States.Array('a\\"),
            "intrinsic function \"States.Array('a\\\": at position 15: open "
            "escape '\\' at the end of the text");
  EXPECT_EQ(ParseError("States.Array(1) x"),
            "intrinsic function \"States.Array(1) x\": at position 16: "
            "unexpected text after the closing ')'");
  EXPECT_EQ(ParseError("States.Array(foo)"),
            "intrinsic function \"States.Array(foo)\": at position 13: "
            "unexpected 'foo' (an argument is a 'string', a number, true, "
            "false, null, a path or a call)");
  EXPECT_EQ(ParseError("States.Array(01)"),
            "intrinsic function \"States.Array(01)\": at position 13: "
            "malformed number '01'");
  EXPECT_EQ(ParseError("States.Array(1.)"),
            "intrinsic function \"States.Array(1.)\": at position 13: "
            "malformed number");
  EXPECT_EQ(ParseError("States.Array($.a[0)"),
            "intrinsic function \"States.Array($.a[0)\": at position 18: "
            "unbalanced ')' in a path");
  EXPECT_EQ(ParseError("States.Array($.a['x)"),
            "intrinsic function \"States.Array($.a['x)\": at position 13: "
            "unterminated bracket or quote in a path");
  EXPECT_EQ(ParseError("States.UUID"),
            "intrinsic function \"States.UUID\": at position 11: expected "
            "'(' after States.UUID");
}

TEST(IntrinsicParseTest, StaticArgumentChecks) {
  EXPECT_EQ(ParseError("States.ArrayRange(1, 2)"),
            "intrinsic function \"States.ArrayRange(1, 2)\": at position 0: "
            "States.ArrayRange takes 3 arguments, got 2");
  EXPECT_EQ(ParseError("States.UUID(1)"),
            "intrinsic function \"States.UUID(1)\": at position 0: "
            "States.UUID takes no arguments, got 1");
  EXPECT_EQ(ParseError("States.Format()"),
            "intrinsic function \"States.Format()\": at position 0: "
            "States.Format takes at least 1 argument, got 0");
  EXPECT_EQ(ParseError("States.MathRandom(1)"),
            "intrinsic function \"States.MathRandom(1)\": at position 0: "
            "States.MathRandom takes 2 or 3 arguments, got 1");
  EXPECT_EQ(ParseError("States.MathAdd('1', 2)"),
            "intrinsic function \"States.MathAdd('1', 2)\": at position 0: "
            "States.MathAdd argument 1 must be a number, got string");
  EXPECT_EQ(ParseError("States.StringSplit($.a, 1)"),
            "intrinsic function \"States.StringSplit($.a, 1)\": at position "
            "0: States.StringSplit argument 2 must be a string, got number");
  EXPECT_EQ(ParseError("States.ArrayLength('abc')"),
            "intrinsic function \"States.ArrayLength('abc')\": at position "
            "0: States.ArrayLength argument 1 must be an array (a path or a "
            "call), got a string literal");
  EXPECT_EQ(ParseError("States.JsonMerge(1, $.b, false)"),
            "intrinsic function \"States.JsonMerge(1, $.b, false)\": at "
            "position 0: States.JsonMerge argument 1 must be an object (a "
            "path or a call), got a number literal");
  EXPECT_EQ(ParseError("States.JsonMerge($.a, $.b, 1)"),
            "intrinsic function \"States.JsonMerge($.a, $.b, 1)\": at "
            "position 0: States.JsonMerge argument 3 must be a boolean, got "
            "number");
  EXPECT_EQ(ParseError("States.JsonMerge($.a, $.b, true)"),
            "intrinsic function \"States.JsonMerge($.a, $.b, true)\": at "
            "position 0: States.JsonMerge supports only a shallow merge: "
            "argument 3 must be false");
  EXPECT_EQ(ParseError("States.JsonToString('x')"),
            "intrinsic function \"States.JsonToString('x')\": at position 0: "
            "States.JsonToString argument 1 must be a path or a call, got a "
            "string literal");
  EXPECT_EQ(ParseError("States.Hash($.a, 'SHA-2')"),
            "intrinsic function \"States.Hash($.a, 'SHA-2')\": at position 0: "
            "States.Hash algorithm 'SHA-2' is not one of MD5, SHA-1, "
            "SHA-256, SHA-384, SHA-512");
  EXPECT_EQ(ParseError("States.ArrayPartition($.a, 0)"),
            "intrinsic function \"States.ArrayPartition($.a, 0)\": at "
            "position 0: States.ArrayPartition chunk size must be a positive "
            "integer, got 0");
  EXPECT_EQ(ParseError("States.Format('{} and {}', 1)"),
            "intrinsic function \"States.Format('{} and {}', 1)\": at "
            "position 0: States.Format template has 2 {} placeholder(s) but "
            "1 value argument(s)");
  EXPECT_EQ(ParseError("States.Array(States.MathAdd(1))"),
            "intrinsic function \"States.Array(States.MathAdd(1))\": at "
            "position 13: States.MathAdd takes 2 arguments, got 1");
}

TEST(IntrinsicParseTest, NestingIsLimitedToTen) {
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += "States.Array(";
  ten += std::string(10, ')');
  EXPECT_TRUE(ParseIntrinsic(ten).ok());
  std::string eleven = "States.Array(" + ten + ")";
  EXPECT_EQ(ParseError(eleven),
            "intrinsic function \"" + eleven +
                "\": at position 130: intrinsic functions are nested more "
                "than 10 deep");
}

TEST(IntrinsicEvalTest, Format) {
  EXPECT_EQ(Eval("States.Format('Hello, my name is {}.', $.name)"),
            json("Hello, my name is Arnav."));
  EXPECT_EQ(Eval("States.Format($.template, $.name)"),
            json("Hello, my name is Arnav."));
  EXPECT_EQ(Eval("States.Format('{} {} {} {} {}', 1, 2.5, true, null, "
                 "$.name)"),
            json("1 2.5 true null Arnav"));
  EXPECT_EQ(Eval("States.Format('no placeholders')"), json("no placeholders"));
  // Escaped braces are text, not placeholders; \' and \\ are ' and \.
  EXPECT_EQ(Eval("States.Format('\\{\\} {} it\\'s \\\\', $.name)"),
            json("{} Arnav it's \\"));
}

TEST(IntrinsicEvalTest, FormatFailures) {
  EXPECT_EQ(Failure("States.Format($.template)"),
            "States.Format: the template has 1 {} placeholder(s) but 0 value "
            "argument(s)");
  EXPECT_EQ(Failure("States.Format('{}', $.obj)"),
            "States.Format: argument 2 must be a string, number, boolean or "
            "null, got object");
  EXPECT_EQ(Failure("States.Format('{}{}', 1, States.Array())"),
            "States.Format: argument 3 must be a string, number, boolean or "
            "null, got array");
  EXPECT_EQ(Failure("States.Format($.num, 1)"),
            "States.Format: argument 1 must be a string, got number");
}

TEST(IntrinsicEvalTest, StringToJsonAndBack) {
  EXPECT_EQ(Eval("States.StringToJson($.escaped)"), json({{"foo", "bar"}}));
  EXPECT_EQ(Eval("States.StringToJson('[1, 2]')"), json::parse("[1,2]"));
  EXPECT_EQ(Eval("States.JsonToString($.obj)"),
            json("{\"foo\":\"bar\",\"n\":[1,2]}"));
  EXPECT_EQ(Eval("States.JsonToString($.name)"), json("\"Arnav\""));
  EXPECT_EQ(Eval("States.JsonToString(States.StringToJson($.escaped))"),
            json("{\"foo\":\"bar\"}"));
  EXPECT_EQ(Failure("States.StringToJson($.name)"),
            "States.StringToJson: argument 1 is not valid JSON text");
  EXPECT_EQ(Failure("States.StringToJson($.obj)"),
            "States.StringToJson: argument 1 must be a string, got object");
}

TEST(IntrinsicEvalTest, Array) {
  EXPECT_EQ(Eval("States.Array()"), json::array());
  EXPECT_EQ(Eval("States.Array($.num, 'x', 1.5, false, null, $.arr)"),
            json::parse(R"([111, "x", 1.5, false, null, [1,2,3,4,5,6,7]])"));
}

TEST(IntrinsicEvalTest, ArrayPartition) {
  EXPECT_EQ(Eval("States.ArrayPartition($.arr, 4)"),
            json::parse("[[1,2,3,4],[5,6,7]]"));
  EXPECT_EQ(Eval("States.ArrayPartition($.arr, 7)"),
            json::parse("[[1,2,3,4,5,6,7]]"));
  EXPECT_EQ(Eval("States.ArrayPartition(States.Array(), 2)"), json::array());
  EXPECT_EQ(Failure("States.ArrayPartition($.arr, $.frac)"),
            "States.ArrayPartition: the chunk size must be a positive "
            "integer, got 2.5");
  EXPECT_EQ(Failure("States.ArrayPartition($.name, 2)"),
            "States.ArrayPartition: argument 1 must be an array, got string");
}

TEST(IntrinsicEvalTest, ArrayContains) {
  EXPECT_EQ(Eval("States.ArrayContains($.arr, 5)"), json(true));
  EXPECT_EQ(Eval("States.ArrayContains($.arr, 8)"), json(false));
  EXPECT_EQ(Eval("States.ArrayContains($.dups, 'a')"), json(true));
  EXPECT_EQ(Eval("States.ArrayContains($.dups, States.StringToJson("
                 "'\\{\"x\": 1\\}'))"),
            json(true));
  EXPECT_EQ(Failure("States.ArrayContains($.obj, 1)"),
            "States.ArrayContains: argument 1 must be an array, got object");
}

TEST(IntrinsicEvalTest, ArrayRange) {
  EXPECT_EQ(Eval("States.ArrayRange(1, 9, 2)"), json::parse("[1,3,5,7,9]"));
  EXPECT_EQ(Eval("States.ArrayRange(1, 10, 2)"), json::parse("[1,3,5,7,9]"));
  EXPECT_EQ(Eval("States.ArrayRange(5, 1, -2)"), json::parse("[5,3,1]"));
  EXPECT_EQ(Eval("States.ArrayRange(5, 1, 1)"), json::array());
  // Non-integers round to the nearest integer.
  EXPECT_EQ(Eval("States.ArrayRange(0.6, $.frac, 1)"), json::parse("[1,2,3]"));
  EXPECT_EQ(Eval("States.ArrayRange(1, 1000, 1)").size(), 1000u);
  EXPECT_EQ(Failure("States.ArrayRange(0, 1000, 1)"),
            "States.ArrayRange: the range has 1001 elements; at most 1000 "
            "are allowed");
  EXPECT_EQ(Failure("States.ArrayRange(1, 5, 0)"),
            "States.ArrayRange: the step (argument 3) must not be 0");
  EXPECT_EQ(Failure("States.ArrayRange(1, $.name, 1)"),
            "States.ArrayRange: argument 2 must be a number, got string");
}

TEST(IntrinsicEvalTest, ArrayGetItem) {
  EXPECT_EQ(Eval("States.ArrayGetItem($.arr, 0)"), json(1));
  EXPECT_EQ(Eval("States.ArrayGetItem($.arr, 6)"), json(7));
  EXPECT_EQ(Failure("States.ArrayGetItem($.arr, 7)"),
            "States.ArrayGetItem: index 7 is out of range for an array of 7 "
            "item(s)");
  EXPECT_EQ(Failure("States.ArrayGetItem($.arr, -1)"),
            "States.ArrayGetItem: the index must be a non-negative integer, "
            "got -1");
  EXPECT_EQ(Failure("States.ArrayGetItem($.arr, 1.5)"),
            "States.ArrayGetItem: the index must be a non-negative integer, "
            "got 1.5");
}

TEST(IntrinsicEvalTest, ArrayLengthAndUnique) {
  EXPECT_EQ(Eval("States.ArrayLength($.arr)"), json(7));
  EXPECT_EQ(Eval("States.ArrayLength(States.Array())"), json(0));
  EXPECT_EQ(Eval("States.ArrayUnique($.dups)"),
            json::parse(R"([1, 2, 3, 4, "a", {"x": 1}])"));
  EXPECT_EQ(Failure("States.ArrayLength($.num)"),
            "States.ArrayLength: argument 1 must be an array, got number");
  EXPECT_EQ(Failure("States.ArrayUnique($.yes)"),
            "States.ArrayUnique: argument 1 must be an array, got boolean");
}

TEST(IntrinsicEvalTest, Base64) {
  EXPECT_EQ(Eval("States.Base64Encode('Data to encode')"),
            json("RGF0YSB0byBlbmNvZGU="));
  EXPECT_EQ(Eval("States.Base64Encode('h\xC3\xA9llo')"), json("aMOpbGxv"));
  EXPECT_EQ(Eval("States.Base64Encode('')"), json(""));
  EXPECT_EQ(Eval("States.Base64Decode($.b64)"), json("Data to encode"));
  EXPECT_EQ(Eval("States.Base64Decode(States.Base64Encode('ab'))"), json("ab"));
  EXPECT_EQ(Failure("States.Base64Decode('abc')"),
            "States.Base64Decode: argument 1 is not valid Base64");
  EXPECT_EQ(Failure("States.Base64Decode('ab=c')"),
            "States.Base64Decode: argument 1 is not valid Base64");
  EXPECT_EQ(Failure("States.Base64Decode('/w==')"),
            "States.Base64Decode: the decoded data is not UTF-8 text");
  std::string long_text =
      "States.Base64Encode('" + std::string(10001, 'a') + "')";
  EXPECT_EQ(Failure(long_text),
            "States.Base64Encode: the input has 10001 characters; at most "
            "10000 are allowed");
  EXPECT_EQ(Failure("States.Base64Encode($.num)"),
            "States.Base64Encode: argument 1 must be a string, got number");
}

TEST(IntrinsicEvalTest, Hash) {
  EXPECT_EQ(Eval("States.Hash($.data, 'MD5')"),
            json("812f45842bc6d66ee14572ce20db8e86"));
  EXPECT_EQ(Eval("States.Hash($.data, 'SHA-1')"),
            json("aaff4a450a104cd177d28d18d74485e8cae074b7"));
  EXPECT_EQ(
      Eval("States.Hash($.data, 'SHA-256')"),
      json("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"));
  EXPECT_EQ(Eval("States.Hash($.data, 'SHA-384')"),
            json("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c75"
                 "6511b87525bdc835ebb27e1fb9e9374a15562"));
  EXPECT_EQ(Eval("States.Hash($.data, 'SHA-512')"),
            json("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f4"
                 "7d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d"
                 "871303aac4"));
  EXPECT_EQ(Failure("States.Hash($.data, $.name)"),
            "States.Hash: the algorithm 'Arnav' is not one of MD5, SHA-1, "
            "SHA-256, SHA-384, SHA-512");
  EXPECT_EQ(Failure("States.Hash($.obj, 'MD5')"),
            "States.Hash: argument 1 must be a string, got object");
}

TEST(IntrinsicEvalTest, JsonMerge) {
  EXPECT_EQ(Eval("States.JsonMerge($.json1, $.json2, false)"),
            json::parse(R"({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3})"));
  EXPECT_EQ(Failure("States.JsonMerge($.json1, $.json2, $.yes)"),
            "States.JsonMerge: only a shallow merge is supported; argument 3 "
            "must be false");
  EXPECT_EQ(Failure("States.JsonMerge($.json1, $.arr, false)"),
            "States.JsonMerge: argument 2 must be an object, got array");
}

TEST(IntrinsicEvalTest, MathRandom) {
  // mt19937_64's first output for a seed is fixed by the C++ standard.
  EXPECT_EQ(Eval("States.MathRandom(1, 100, 1234)"), json(73));
  EXPECT_EQ(Eval("States.MathRandom(0, 9, 7)"), json(5));
  EXPECT_EQ(Eval("States.MathRandom(5, 5)"), json(5));
  EXPECT_EQ(Eval("States.MathRandom(4.6, 5.4)"), json(5));
  json v = Eval("States.MathRandom(-3, 3)");
  ASSERT_TRUE(v.is_number_integer());
  EXPECT_GE(v.get<int64_t>(), -3);
  EXPECT_LE(v.get<int64_t>(), 3);
  EXPECT_EQ(Failure("States.MathRandom(6, 5)"),
            "States.MathRandom: the start (6) is greater than the end (5)");
  EXPECT_EQ(Failure("States.MathRandom(1, $.name)"),
            "States.MathRandom: argument 2 must be a number, got string");
}

TEST(IntrinsicEvalTest, MathAdd) {
  EXPECT_EQ(Eval("States.MathAdd($.num, -1)"), json(110));
  EXPECT_EQ(Eval("States.MathAdd(2147483647, 2147483647)"), json(4294967294LL));
  EXPECT_EQ(Eval("States.MathAdd($.frac, 1)"), json(4));  // 2.5 rounds to 3
  EXPECT_EQ(Eval("States.MathAdd(-2.5, 0)"), json(-2));   // as Java rounds
  EXPECT_EQ(Eval("States.MathAdd(-2.6, 0.4)"), json(-3));
  EXPECT_EQ(Eval("States.MathAdd($.big, 1)"), json(3000000001LL));
  EXPECT_EQ(Failure("States.MathAdd(1e300, 1)"),
            "States.MathAdd: argument 1 (1e+300) is out of range");
  EXPECT_EQ(Failure("States.MathAdd(1, $.yes)"),
            "States.MathAdd: argument 2 must be a number, got boolean");
}

TEST(IntrinsicEvalTest, StringSplit) {
  EXPECT_EQ(Eval("States.StringSplit($.text, ',')"),
            json::parse(R"(["1","2","3","4","5"])"));
  EXPECT_EQ(Eval("States.StringSplit('This.is+a,test=string', '.+,=')"),
            json::parse(R"(["This","is","a","test","string"])"));
  EXPECT_EQ(Eval("States.StringSplit(',a,,b,', ',')"),
            json::parse(R"(["a","b"])"));
  EXPECT_EQ(Eval("States.StringSplit('a\xC3\xA9"
                 "b', '\xC3\xA9')"),
            json::parse(R"(["a","b"])"));
  EXPECT_EQ(Failure("States.StringSplit($.arr, ',')"),
            "States.StringSplit: argument 1 must be a string, got array");
}

TEST(IntrinsicEvalTest, Uuid) {
  json a = Eval("States.UUID()");
  json b = Eval("States.UUID()");
  ASSERT_TRUE(a.is_string());
  EXPECT_EQ(a.get<std::string>().size(), 36u);
  EXPECT_EQ(a.get<std::string>()[14], '4');
  EXPECT_NE(a, b);
}

TEST(IntrinsicEvalTest, NestedCalls) {
  // The AWS example with nine nested intrinsics.
  EXPECT_EQ(
      Eval("States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit("
           "States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 0), "
           "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
           "States.StringSplit($.arn, '/'), 2), '.'), 1), "
           "States.ArrayLength(States.ArrayRange(1, 3, 1)))"),
      json("1.0.3"));
  EXPECT_EQ(Eval("States.MathAdd(States.ArrayLength($.arr), "
                 "States.ArrayGetItem($.arr, 2))"),
            json(10));
}

TEST(IntrinsicEvalTest, PathErrorsPassThrough) {
  Result<IntrinsicCall> call = ParseIntrinsic("States.Array($.missing)");
  ASSERT_TRUE(call.ok());
  Outcome<json> out = EvaluateIntrinsic(*call, &Resolve);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error(), (StatesError{"States.ParameterPathFailure",
                                      "no match for $.missing"}));
  EXPECT_EQ(Eval("States.Array($$.Execution.Id)"),
            json::parse(R"(["exec-1"])"));
}

TEST(IntrinsicEvalTest, HandBuiltCallsAreChecked) {
  IntrinsicCall bad{"States.ArrayLength", {}};
  Outcome<json> out = EvaluateIntrinsic(bad, &Resolve);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().cause, "States.ArrayLength: takes 1 argument, got 0");
  IntrinsicCall unknown{"States.Nope", {}};
  EXPECT_EQ(EvaluateIntrinsic(unknown, &Resolve).error().cause,
            "unknown intrinsic function States.Nope");
  // A hand-built literal template has no escapes: every {} is a hole.
  IntrinsicCall format{"States.Format",
                       {IntrinsicArg{json("<{}>")}, IntrinsicArg{json(1)}}};
  EXPECT_EQ(*EvaluateIntrinsic(format, &Resolve), json("<1>"));
}

}  // namespace
}  // namespace unum::asl
