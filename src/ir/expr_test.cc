// Tests for the IR expression language: parsing, precedence, evaluation
// semantics and error reporting.
#include "ir/expr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace unum::ir {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json& Out() {
  static const json out = json::parse(R"({
    "score": 75,
    "neg": -4,
    "ratio": 0.5,
    "name": "alice",
    "flag": true,
    "nothing": null,
    "items": [{"id": 1}, {"id": 2, "tags": ["a", "b"]}],
    "nested": {"a": {"b": {"c": 5}}},
    "weird key": 3,
    "big": 18446744073709551615,
    "arr": [1, 2, 3],
    "arr2": [1, 2, 3],
    "null": "field named null"
  })");
  return out;
}

const FanOutStack& Stack() {
  static const FanOutStack stack = {{"Map", 3, 20}, {"Map", 1, 5}};
  return stack;
}

ExprEnv FullEnv() { return ExprEnv{&Out(), &Stack()}; }

// Parses and evaluates `source`, failing the test on any error.
json Eval(const std::string& source, const ExprEnv& env = FullEnv()) {
  const Result<Expr> expr = Expr::Parse(source);
  if (!expr.ok()) {
    ADD_FAILURE() << source << ": " << expr.status().ToString();
    return json("<parse error>");
  }
  const Result<json> value = expr->Eval(env);
  if (!value.ok()) {
    ADD_FAILURE() << source << ": " << value.status().ToString();
    return json("<eval error>");
  }
  return *value;
}

// The status of parsing `source`.
Status ParseError(const std::string& source) {
  const Result<Expr> expr = Expr::Parse(source);
  return expr.status();
}

// The status of evaluating `source`, which must parse.
Status EvalError(const std::string& source, const ExprEnv& env = FullEnv()) {
  const Result<Expr> expr = Expr::Parse(source);
  if (!expr.ok()) return Status::Internal("parse: " + expr.status().message());
  return expr->Eval(env).status();
}

void ExpectInvalid(const Status& status, const std::string& substring) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(substring));
}

// ------------------------------------------------------------- literals --

TEST(ExprLiteralTest, Integers) {
  const json v = Eval("42");
  EXPECT_TRUE(v.is_number_integer());
  EXPECT_EQ(v.get<int64_t>(), 42);
  EXPECT_EQ(Eval("0").get<int64_t>(), 0);
  EXPECT_EQ(Eval("9223372036854775807").get<int64_t>(), 9223372036854775807LL);
}

TEST(ExprLiteralTest, Doubles) {
  EXPECT_TRUE(Eval("1.5").is_number_float());
  EXPECT_EQ(Eval("1.5").get<double>(), 1.5);
  EXPECT_TRUE(Eval("2.0").is_number_float());
  EXPECT_EQ(Eval("1e3").get<double>(), 1000.0);
  EXPECT_TRUE(Eval("1e3").is_number_float());
  EXPECT_EQ(Eval("2.5E-1").get<double>(), 0.25);
  EXPECT_EQ(Eval("3e+2").get<double>(), 300.0);
}

TEST(ExprLiteralTest, Strings) {
  EXPECT_EQ(Eval("\"hello\""), "hello");
  EXPECT_EQ(Eval("'hello'"), "hello");
  EXPECT_EQ(Eval("''"), "");
  EXPECT_EQ(Eval(R"("it's")"), "it's");
  EXPECT_EQ(Eval(R"('say "hi"')"), "say \"hi\"");
  EXPECT_EQ(Eval(R"("a\"b\'c\\d\/e")"), "a\"b'c\\d/e");
  EXPECT_EQ(Eval(R"('\n\t\r\b\f')"), "\n\t\r\b\f");
  EXPECT_EQ(Eval(R"("\u00e9")"), "\xC3\xA9");
  EXPECT_EQ(Eval(R"("\u20AC")"), "\xE2\x82\xAC");
  EXPECT_EQ(Eval(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");
}

TEST(ExprLiteralTest, Keywords) {
  EXPECT_EQ(Eval("true"), json(true));
  EXPECT_EQ(Eval("false"), json(false));
  EXPECT_TRUE(Eval("null").is_null());
}

TEST(ExprLiteralTest, WhitespaceIsIgnored) {
  EXPECT_EQ(Eval(" \t$0\n+\r1 ").get<int64_t>(), 4);
}

// ----------------------------------------------------------- precedence --

TEST(ExprPrecedenceTest, MultiplicationBeforeAddition) {
  EXPECT_EQ(Eval("1 + 2 * 3").get<int64_t>(), 7);
  EXPECT_EQ(Eval("(1 + 2) * 3").get<int64_t>(), 9);
  EXPECT_EQ(Eval("10 - 6 / 2").get<int64_t>(), 7);
  EXPECT_EQ(Eval("1 + 7 % 4").get<int64_t>(), 4);
}

TEST(ExprPrecedenceTest, LeftAssociative) {
  EXPECT_EQ(Eval("10 - 4 - 3").get<int64_t>(), 3);
  EXPECT_EQ(Eval("100 / 10 / 5").get<int64_t>(), 2);
  EXPECT_EQ(Eval("2 * 7 % 4").get<int64_t>(), 2);
  EXPECT_EQ(Eval("17 % 10 % 4").get<int64_t>(), 3);
  EXPECT_EQ(Eval("$out.nested.a.b.c - 1 - 1").get<int64_t>(), 3);
}

TEST(ExprPrecedenceTest, UnaryBindsTightest) {
  EXPECT_EQ(Eval("-2 * 3").get<int64_t>(), -6);
  EXPECT_EQ(Eval("2 - -3").get<int64_t>(), 5);
  EXPECT_EQ(Eval("--4").get<int64_t>(), 4);
  EXPECT_EQ(Eval("-$out.arr[1]").get<int64_t>(), -2);
  EXPECT_EQ(Eval("!true == false"), json(true));  // (!true) == false
  EXPECT_EQ(Eval("!!true"), json(true));
  // `!` applies to `1`, not to `1 == 2`.
  ExpectInvalid(EvalError("!1 == 2"), "`!` needs a boolean, got number 1");
  EXPECT_EQ(Eval("!(1 == 2)"), json(true));
}

TEST(ExprPrecedenceTest, ArithmeticBeforeComparison) {
  EXPECT_EQ(Eval("1 + 2 < 4"), json(true));
  EXPECT_EQ(Eval("2 * 3 == 6"), json(true));
  EXPECT_EQ(Eval("$0 + 1 == 4"), json(true));
}

TEST(ExprPrecedenceTest, ComparisonBeforeLogic) {
  EXPECT_EQ(Eval("1 < 2 && 3 > 4"), json(false));
  EXPECT_EQ(Eval("1 < 2 || 3 > 4"), json(true));
  EXPECT_EQ(Eval("$out.score > 50 && $out.name == 'alice'"), json(true));
}

TEST(ExprPrecedenceTest, AndBeforeOr) {
  EXPECT_EQ(Eval("true || false && false"), json(true));
  EXPECT_EQ(Eval("(true || false) && false"), json(false));
  EXPECT_EQ(Eval("false && false || true"), json(true));
  EXPECT_EQ(Eval("false && (false || true)"), json(false));
}

TEST(ExprPrecedenceTest, PostfixBeforeUnary) {
  EXPECT_EQ(Eval("-$out.nested.a.b.c").get<int64_t>(), -5);
  EXPECT_EQ(Eval("!$out.flag"), json(false));
}

// ----------------------------------------------------------- arithmetic --

TEST(ExprArithmeticTest, IntegerOperations) {
  EXPECT_EQ(Eval("7 + 5").get<int64_t>(), 12);
  EXPECT_EQ(Eval("7 - 10").get<int64_t>(), -3);
  EXPECT_EQ(Eval("7 * 6").get<int64_t>(), 42);
  EXPECT_TRUE(Eval("7 * 6").is_number_integer());
}

TEST(ExprArithmeticTest, IntegerDivisionTruncatesTowardZero) {
  EXPECT_EQ(Eval("7 / 2").get<int64_t>(), 3);
  EXPECT_TRUE(Eval("7 / 2").is_number_integer());
  EXPECT_EQ(Eval("-7 / 2").get<int64_t>(), -3);
  EXPECT_EQ(Eval("7 / -2").get<int64_t>(), -3);
  EXPECT_EQ(Eval("7 % 3").get<int64_t>(), 1);
  EXPECT_EQ(Eval("-7 % 3").get<int64_t>(), -1);
  EXPECT_EQ(Eval("7 % -3").get<int64_t>(), 1);
}

TEST(ExprArithmeticTest, AnyDoubleMakesADouble) {
  EXPECT_EQ(Eval("1 + 0.5").get<double>(), 1.5);
  EXPECT_TRUE(Eval("2 * 1.5").is_number_float());
  EXPECT_EQ(Eval("2 * 1.5").get<double>(), 3.0);
  EXPECT_EQ(Eval("7.0 / 2").get<double>(), 3.5);
  EXPECT_EQ(Eval("7 / 2.0").get<double>(), 3.5);
  EXPECT_EQ(Eval("5.5 % 2").get<double>(), 1.5);
  EXPECT_EQ(Eval("1.5 - 2").get<double>(), -0.5);
  EXPECT_EQ(Eval("-0.25").get<double>(), -0.25);
  EXPECT_EQ(Eval("$out.ratio * 4").get<double>(), 2.0);
}

TEST(ExprArithmeticTest, UnsignedJsonIntegersStayIntegers) {
  // nlohmann parses 75 as unsigned; arithmetic still yields an int64.
  const json v = Eval("$out.score + 1");
  EXPECT_TRUE(v.is_number_integer());
  EXPECT_EQ(v.get<int64_t>(), 76);
  EXPECT_EQ(Eval("$out.neg * $out.score").get<int64_t>(), -300);
}

TEST(ExprArithmeticTest, HugeUnsignedBecomesDouble) {
  EXPECT_EQ(Eval("$out.big > 1"), json(true));
  EXPECT_TRUE(Eval("$out.big + 0").is_number_float());
}

TEST(ExprArithmeticTest, IntegerOverflowIsAnError) {
  ExpectInvalid(EvalError("9223372036854775807 + 1"),
                "integer overflow in `+`");
  ExpectInvalid(EvalError("-9223372036854775807 - 2"),
                "integer overflow in `-`");
  ExpectInvalid(EvalError("4611686018427387904 * 2"),
                "integer overflow in `*`");
  ExpectInvalid(EvalError("-(-9223372036854775807 - 1)"),
                "integer overflow in `-`");
  ExpectInvalid(EvalError("(-9223372036854775807 - 1) / -1"),
                "integer overflow in `/`");
  EXPECT_EQ(Eval("(-9223372036854775807 - 1) % -1").get<int64_t>(), 0);
  EXPECT_EQ(Eval("-9223372036854775807 - 1").get<int64_t>(),
            std::numeric_limits<int64_t>::min());
}

TEST(ExprArithmeticTest, DoubleOverflowIsAnError) {
  ExpectInvalid(EvalError("1e308 * 10"), "arithmetic overflow in `*`");
}

TEST(ExprArithmeticTest, DivisionByZero) {
  ExpectInvalid(EvalError("1 / 0"), "division by zero");
  ExpectInvalid(EvalError("1 % 0"), "modulo by zero");
  ExpectInvalid(EvalError("1.0 / 0"), "division by zero");
  ExpectInvalid(EvalError("1 % 0.0"), "modulo by zero");
}

TEST(ExprArithmeticTest, NeedsNumbers) {
  ExpectInvalid(EvalError("'a' + 1"),
                "`+` needs numbers, got string and number");
  ExpectInvalid(EvalError("true * 2"),
                "`*` needs numbers, got boolean and number");
  ExpectInvalid(EvalError("1 - null"),
                "`-` needs numbers, got number and null");
  ExpectInvalid(EvalError("-'a'"), "`-` needs a number, got string");
}

TEST(ExprArithmeticTest, EvalErrorsNameTheColumn) {
  EXPECT_EQ(EvalError("1 + (2 / 0)").message(),
            "expression \"1 + (2 / 0)\": column 8: division by zero");
}

// ---------------------------------------------------------- comparisons --

TEST(ExprCompareTest, Numbers) {
  EXPECT_EQ(Eval("1 < 2"), json(true));
  EXPECT_EQ(Eval("2 < 1"), json(false));
  EXPECT_EQ(Eval("2 <= 2"), json(true));
  EXPECT_EQ(Eval("3 <= 2"), json(false));
  EXPECT_EQ(Eval("3 > 2"), json(true));
  EXPECT_EQ(Eval("2 > 2"), json(false));
  EXPECT_EQ(Eval("2 >= 3"), json(false));
  EXPECT_EQ(Eval("3 >= 3"), json(true));
  EXPECT_EQ(Eval("1 < 1.5"), json(true));
  EXPECT_EQ(Eval("-1 > -2"), json(true));
  EXPECT_EQ(Eval("$out.score >= 75"), json(true));
}

TEST(ExprCompareTest, Strings) {
  EXPECT_EQ(Eval("'abc' < 'abd'"), json(true));
  EXPECT_EQ(Eval("'b' > 'a'"), json(true));
  EXPECT_EQ(Eval("'a' <= 'a'"), json(true));
  EXPECT_EQ(Eval("'a' >= 'b'"), json(false));
  EXPECT_EQ(Eval("'ab' > 'a'"), json(true));
  EXPECT_EQ(Eval("'Z' < 'a'"), json(true));   // bytewise
  EXPECT_EQ(Eval("'10' < '9'"), json(true));  // not numeric
}

TEST(ExprCompareTest, OrderingNeedsTwoNumbersOrTwoStrings) {
  ExpectInvalid(EvalError("1 < '2'"),
                "`<` needs two numbers or two strings, got number and string");
  ExpectInvalid(EvalError("null >= 1"),
                "`>=` needs two numbers or two strings, got null and number");
  ExpectInvalid(
      EvalError("true > false"),
      "`>` needs two numbers or two strings, got boolean and boolean");
  ExpectInvalid(EvalError("$out.arr <= $out.arr2"), "`<=` needs two numbers");
}

TEST(ExprCompareTest, EqualityComparesAnyJson) {
  EXPECT_EQ(Eval("1 == 1"), json(true));
  EXPECT_EQ(Eval("1 == 1.0"), json(true));
  EXPECT_EQ(Eval("1 != 2"), json(true));
  EXPECT_EQ(Eval("'a' == 'a'"), json(true));
  EXPECT_EQ(Eval("'a' != 'b'"), json(true));
  EXPECT_EQ(Eval("1 == '1'"), json(false));
  EXPECT_EQ(Eval("1 != '1'"), json(true));
  EXPECT_EQ(Eval("null == null"), json(true));
  EXPECT_EQ(Eval("null == false"), json(false));
  EXPECT_EQ(Eval("true != false"), json(true));
  EXPECT_EQ(Eval("$out.arr == $out.arr2"), json(true));
  EXPECT_EQ(Eval("$out.arr == $out.items"), json(false));
  EXPECT_EQ(Eval("$out.nested == $out.nested"), json(true));
  EXPECT_EQ(Eval("$out.score == 75"), json(true));  // unsigned vs signed
  EXPECT_EQ(Eval("$out.big == -1"), json(false));
}

// ---------------------------------------------------------------- logic --

TEST(ExprLogicTest, TruthTables) {
  EXPECT_EQ(Eval("true && true"), json(true));
  EXPECT_EQ(Eval("true && false"), json(false));
  EXPECT_EQ(Eval("false && true"), json(false));
  EXPECT_EQ(Eval("false || false"), json(false));
  EXPECT_EQ(Eval("false || true"), json(true));
  EXPECT_EQ(Eval("true || false"), json(true));
  EXPECT_EQ(Eval("!false"), json(true));
  EXPECT_EQ(Eval("!true"), json(false));
}

TEST(ExprLogicTest, ShortCircuit) {
  EXPECT_EQ(Eval("false && (1/0 == 1)"), json(false));
  EXPECT_EQ(Eval("true || (1/0 == 1)"), json(true));
  EXPECT_EQ(Eval("false && $out.nothing.x"), json(false));
  EXPECT_EQ(Eval("false && 1"), json(false));  // right side never evaluated
  EXPECT_EQ(Eval("$size < 100 || $9 == 0"), json(true));
  ExpectInvalid(EvalError("true && (1/0 == 1)"), "division by zero");
  ExpectInvalid(EvalError("false || (1/0 == 1)"), "division by zero");
}

TEST(ExprLogicTest, NeedsBooleans) {
  ExpectInvalid(EvalError("1 && true"), "`&&` needs booleans, got number");
  ExpectInvalid(EvalError("true && 1"), "`&&` needs booleans, got number 1");
  ExpectInvalid(EvalError("false || 'x'"), "`||` needs booleans, got string");
  ExpectInvalid(EvalError("null || true"), "`||` needs booleans, got null");
  ExpectInvalid(EvalError("!null"), "`!` needs a boolean, got null");
}

// --------------------------------------------------------------- $out --

TEST(ExprOutTest, FieldAccess) {
  EXPECT_EQ(Eval("$out.score").get<int64_t>(), 75);
  EXPECT_EQ(Eval("$out.name"), "alice");
  EXPECT_EQ(Eval("$out.nested.a.b.c").get<int64_t>(), 5);
  EXPECT_EQ(Eval("$out.nested.a"), json::parse(R"({"b":{"c":5}})"));
  EXPECT_EQ(Eval("$out"), Out());
  EXPECT_EQ(Eval("$out.score > 50"), json(true));
}

TEST(ExprOutTest, KeywordsAreValidFieldNames) {
  EXPECT_EQ(Eval("$out.null"), "field named null");
  EXPECT_TRUE(Eval("$out.true").is_null());
}

TEST(ExprOutTest, IndexAccess) {
  EXPECT_EQ(Eval("$out.arr[0]").get<int64_t>(), 1);
  EXPECT_EQ(Eval("$out.arr[2]").get<int64_t>(), 3);
  EXPECT_EQ(Eval("$out.items[1].tags[0]"), "a");
  EXPECT_EQ(Eval("$out.items[1].tags[1] == 'b'"), json(true));
  EXPECT_EQ(Eval("$out.items[1 + 0].id").get<int64_t>(), 2);
  EXPECT_EQ(Eval("$out.arr[$1]").get<int64_t>(), 2);  // $1 == 1
  EXPECT_EQ(Eval("$out.items[$out.arr[0]].id").get<int64_t>(), 2);
  EXPECT_EQ(Eval("$out.items[0]"), json::parse(R"({"id":1})"));
}

TEST(ExprOutTest, StringIndexOnObjects) {
  EXPECT_EQ(Eval("$out[\"weird key\"]").get<int64_t>(), 3);
  EXPECT_EQ(Eval("$out['nested']['a'].b[\"c\"]").get<int64_t>(), 5);
  EXPECT_EQ(Eval("$out.items[1]['tags'][0]"), "a");
}

TEST(ExprOutTest, MissingFieldIsNull) {
  EXPECT_TRUE(Eval("$out.missing").is_null());
  EXPECT_TRUE(Eval("$out['missing']").is_null());
  EXPECT_TRUE(Eval("$out.nested.a.missing").is_null());
  EXPECT_EQ(Eval("$out.missing == null"), json(true));
  EXPECT_EQ(Eval("$out.nothing == null"), json(true));
}

TEST(ExprOutTest, FieldOfNonObjectIsAnError) {
  ExpectInvalid(EvalError("$out.missing.x"), "`.x` needs an object, got null");
  ExpectInvalid(EvalError("$out.score.x"),
                "`.x` needs an object, got number 75");
  ExpectInvalid(EvalError("$out.arr.length"),
                "`.length` needs an object, got array");
  EXPECT_EQ(EvalError("$out.name.first").message(),
            "expression \"$out.name.first\": column 10: `.first` needs an "
            "object, got string");
}

TEST(ExprOutTest, BadIndexIsAnError) {
  ExpectInvalid(EvalError("$out.arr[3]"),
                "index 3 is out of range for an array of 3");
  ExpectInvalid(EvalError("$out.arr[-1]"),
                "index -1 is out of range for an array of 3");
  ExpectInvalid(EvalError("$out.arr['a']"),
                "array index must be an integer, got string");
  ExpectInvalid(EvalError("$out.arr[1.0]"),
                "array index must be an integer, got number 1.0");
  ExpectInvalid(EvalError("$out[0]"),
                "object key must be a string, got number 0");
  ExpectInvalid(EvalError("$out.score[0]"),
                "`[...]` needs an array or an object, got number 75");
  ExpectInvalid(EvalError("'abc'[0]"),
                "`[...]` needs an array or an object, got string");
}

TEST(ExprOutTest, OutUnavailable) {
  const ExprEnv env{nullptr, &Stack()};
  ExpectInvalid(EvalError("$out.score > 1", env),
                "`$out` is not available here");
  // Short-circuit never reaches $out.
  EXPECT_EQ(Eval("$0 == 3 || $out.x", env), json(true));
}

// ------------------------------------------------------- fan-out vars --

TEST(ExprFanOutTest, Variables) {
  EXPECT_EQ(Eval("$0").get<int64_t>(), 3);
  EXPECT_EQ(Eval("$1").get<int64_t>(), 1);
  EXPECT_EQ(Eval("$size").get<int64_t>(), 20);
  EXPECT_EQ(Eval("$size - 1 - $0").get<int64_t>(), 16);
  EXPECT_EQ(Eval("$0 == $size - 1"), json(false));
}

TEST(ExprFanOutTest, TooDeep) {
  const FanOutStack one = {{"Map", 0, 4}};
  EXPECT_EQ(EvalError("$2", ExprEnv{nullptr, &one}).message(),
            "expression \"$2\": column 1: `$2` needs a fan-out 3 deep, "
            "payload has 1");
  ExpectInvalid(EvalError("$2 + 1"),
                "`$2` needs a fan-out 3 deep, payload has 2");
  ExpectInvalid(EvalError("$0", ExprEnv{}),
                "`$0` needs a fan-out 1 deep, payload has 0");
}

TEST(ExprFanOutTest, SizeNeedsAFanOut) {
  const FanOutStack empty;
  ExpectInvalid(EvalError("$size", ExprEnv{nullptr, &empty}),
                "`$size` needs a fan-out, payload has none");
  ExpectInvalid(EvalError("$size", ExprEnv{}), "`$size` needs a fan-out");
}

// ------------------------------------------------------------ metadata --

TEST(ExprMetadataTest, SourceUsesOutAndMaxIndexVar) {
  const Result<Expr> a = Expr::Parse("$out.x > $0 + $12");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->source(), "$out.x > $0 + $12");
  EXPECT_TRUE(a->uses_out());
  EXPECT_EQ(a->max_index_var(), 12);

  const Result<Expr> b = Expr::Parse("$size - 1");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->uses_out());
  EXPECT_EQ(b->max_index_var(), 0);  // $size reads level 0

  const Result<Expr> d = Expr::Parse("$out.n > 1");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->max_index_var(), -1);

  const Result<Expr> c = Expr::Parse("$3 == $1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->max_index_var(), 3);
}

TEST(ExprMetadataTest, CopiesShareTheTreeAndEvaluateAlike) {
  Result<Expr> parsed = Expr::Parse("$0 * 2");
  ASSERT_TRUE(parsed.ok());
  const Expr copy = *parsed;
  parsed = Expr::Parse("1");  // the copy keeps its own tree alive
  const Result<int64_t> v = copy.EvalInt(FullEnv());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 6);
}

TEST(ExprMetadataTest, DefaultConstructedExprFailsCleanly) {
  const Expr expr;
  ExpectInvalid(expr.Eval(FullEnv()).status(), "never parsed");
}

TEST(ExprMetadataTest, ConcurrentEvaluation) {
  const Result<Expr> expr = Expr::Parse("$out.items[1].id * 10 + $0");
  ASSERT_TRUE(expr.ok());
  std::vector<int64_t> results(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        const Result<int64_t> v = expr->EvalInt(FullEnv());
        results[t] = v.ok() ? *v : -1;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int64_t r : results) EXPECT_EQ(r, 23);
}

// ------------------------------------------------- EvalBool / EvalInt --

TEST(ExprTypedEvalTest, EvalBool) {
  const Result<Expr> yes = Expr::Parse("$out.score > 50");
  ASSERT_TRUE(yes.ok());
  const Result<bool> b = yes->EvalBool(FullEnv());
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(*b);

  const Result<Expr> num = Expr::Parse("1 + 1");
  ASSERT_TRUE(num.ok());
  const Result<bool> bad = num->EvalBool(FullEnv());
  ExpectInvalid(bad.status(), "expected a boolean result, got number 2");
  ExpectInvalid(bad.status(), "expression \"1 + 1\"");

  const Result<Expr> null_expr = Expr::Parse("$out.missing");
  ASSERT_TRUE(null_expr.ok());
  ExpectInvalid(null_expr->EvalBool(FullEnv()).status(),
                "expected a boolean result, got null");
}

TEST(ExprTypedEvalTest, EvalInt) {
  const Result<Expr> e = Expr::Parse("7 / 2 + $out.score");
  ASSERT_TRUE(e.ok());
  const Result<int64_t> v = e->EvalInt(FullEnv());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 78);

  for (const char* source : {"1.5", "2.0", "'3'", "true", "$out.big"}) {
    const Result<Expr> expr = Expr::Parse(source);
    ASSERT_TRUE(expr.ok()) << source;
    ExpectInvalid(expr->EvalInt(FullEnv()).status(),
                  "expected an integer result");
  }
}

TEST(ExprTypedEvalTest, EvalErrorsPropagate) {
  const Result<Expr> e = Expr::Parse("1 / 0 > 1");
  ASSERT_TRUE(e.ok());
  ExpectInvalid(e->EvalBool(FullEnv()).status(), "division by zero");
  ExpectInvalid(e->EvalInt(FullEnv()).status(), "division by zero");
}

// -------------------------------------------------------- parse errors --

TEST(ExprParseErrorTest, ExpectedAnOperand) {
  EXPECT_EQ(ParseError("$out.x >").message(),
            "expression \"$out.x >\": column 9: expected an operand");
  EXPECT_EQ(ParseError("$out.x >").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseError("").message(),
            "expression \"\": column 1: expected an operand");
  ExpectInvalid(ParseError("1 + * 2"),
                "column 5: expected an operand, found `*`");
  ExpectInvalid(ParseError("()"), "column 2: expected an operand, found `)`");
}

TEST(ExprParseErrorTest, UnbalancedBrackets) {
  ExpectInvalid(ParseError("(1 + 2"), "column 7: expected `)`");
  ExpectInvalid(ParseError("$out.arr[1"), "column 11: expected `]`");
  ExpectInvalid(ParseError("$out.arr[1)"),
                "column 11: expected `]`, found `)`");
  ExpectInvalid(ParseError("1 + 2)"), "column 6: unexpected `)`");
}

TEST(ExprParseErrorTest, TrailingTokens) {
  ExpectInvalid(ParseError("1 2"), "column 3: unexpected `2`");
  ExpectInvalid(ParseError("true false"), "column 6: unexpected `false`");
}

TEST(ExprParseErrorTest, ComparisonsDoNotChain) {
  ExpectInvalid(ParseError("1 < 2 < 3"),
                "column 7: comparison operators cannot be chained");
  ExpectInvalid(ParseError("(1 == 1 == true)"),
                "column 9: comparison operators cannot be chained");
  EXPECT_EQ(Eval("(1 < 2) == true"), json(true));
}

TEST(ExprParseErrorTest, BadFieldAccess) {
  ExpectInvalid(ParseError("$out."), "column 6: expected a field name");
  ExpectInvalid(ParseError("$out.0"), "expected a field name, found `0`");
  ExpectInvalid(ParseError("$out.'a'"), "expected a field name, found `'a'`");
}

TEST(ExprParseErrorTest, UnknownNames) {
  ExpectInvalid(ParseError("score > 1"),
                "column 1: unknown name `score` (did you mean `$out.score`?)");
  ExpectInvalid(ParseError("True"), "unknown name `True`");
  ExpectInvalid(ParseError("$foo"), "column 1: unknown variable `$foo`");
  ExpectInvalid(ParseError("$outer"), "unknown variable `$outer`");
  ExpectInvalid(ParseError("$"), "unknown variable `$`");
  ExpectInvalid(ParseError("$99999999999"), "`$99999999999` is too large");
}

TEST(ExprParseErrorTest, BadOperators) {
  ExpectInvalid(ParseError("1 = 1"),
                "column 3: unexpected character `=` (did "
                "you mean `==`?)");
  ExpectInvalid(ParseError("a & b"), "unexpected character `&`");
  ExpectInvalid(ParseError("true | false"), "did you mean `||`?");
  ExpectInvalid(ParseError("1 # 2"), "column 3: unexpected character `#`");
  ExpectInvalid(ParseError("1 ? 2 : 3"), "unexpected character `?`");
  ExpectInvalid(ParseError("1 + \x01"), "unexpected character (byte 1)");
}

TEST(ExprParseErrorTest, BadNumbers) {
  ExpectInvalid(ParseError("99999999999999999999"),
                "column 1: integer literal out of range");
  ExpectInvalid(ParseError("1e999"), "number literal out of range");
  ExpectInvalid(ParseError("1e"), "column 1: malformed number");
  ExpectInvalid(ParseError("1 + 12abc"), "column 5: malformed number");
  ExpectInvalid(ParseError("0x10"), "malformed number");
}

TEST(ExprParseErrorTest, BadStrings) {
  ExpectInvalid(ParseError("'abc"), "column 1: unterminated string");
  ExpectInvalid(ParseError("\"abc'"), "unterminated string");
  ExpectInvalid(ParseError("'abc\\"), "unterminated string");
  ExpectInvalid(ParseError("'a\\qb'"), "column 3: unknown escape `\\q`");
  ExpectInvalid(ParseError("'\\u12'"), "`\\u` needs 4 hex digits");
  ExpectInvalid(ParseError("'\\ud800'"), "unpaired surrogate");
  ExpectInvalid(ParseError("'\\udc00'"), "unpaired surrogate");
  ExpectInvalid(ParseError("'\\ud800\\u0041'"), "unpaired surrogate");
}

TEST(ExprParseErrorTest, NestingIsBounded) {
  const std::string ok = std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_EQ(Eval(ok).get<int64_t>(), 1);
  const std::string deep =
      std::string(100000, '(') + "1" + std::string(100000, ')');
  ExpectInvalid(ParseError(deep), "nests too deeply");
  ExpectInvalid(ParseError(std::string(100000, '!') + "true"),
                "nests too deeply");
  std::string chain = "1";
  for (int i = 0; i < 100000; ++i) chain += "+1";
  ExpectInvalid(ParseError(chain), "nests too deeply");
  std::string short_chain = "0";
  for (int i = 0; i < 200; ++i) short_chain += "+1";
  EXPECT_EQ(Eval(short_chain).get<int64_t>(), 200);
}

}  // namespace
}  // namespace unum::ir
