#include "asl/dataflow/json_path.h"

#include <gtest/gtest.h>

#include "asl/dataflow/context_object.h"

namespace unum::asl {
namespace {

using nlohmann::json;

const json kStore = json::parse(R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "price": 8.99,
       "isbn": "0-553-21311-3"},
      {"category": "fiction", "author": "J. R. R. Tolkien", "price": 22.99,
       "isbn": "0-395-19395-8"}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "a b": 1,
  "list": [0, 1, 2, 3, 4, 5],
  "nested": {"x": {"y": {"z": 7}}}
})");

// Parses `path` (which must be valid) and evaluates it against kStore.
std::optional<json> Eval(std::string_view path, const json& doc = kStore,
                         const json& context = json::object()) {
  Result<JsonPath> p = JsonPath::Parse(path);
  EXPECT_TRUE(p.ok()) << path << ": " << p.status().ToString();
  if (!p.ok()) return std::nullopt;
  return p->Evaluate(doc, context);
}

std::string ParseError(std::string_view path) {
  Result<JsonPath> p = JsonPath::Parse(path);
  EXPECT_FALSE(p.ok()) << path;
  if (p.ok()) return "";
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  return p.status().message();
}

TEST(JsonPathTest, RootSelectsWholeDocument) {
  EXPECT_EQ(Eval("$"), kStore);
  Result<JsonPath> p = JsonPath::Parse("$");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->is_definite());
  EXPECT_TRUE(p->is_reference());
  EXPECT_FALSE(p->is_context());
  EXPECT_TRUE(p->steps().empty());
  EXPECT_EQ(p->text(), "$");
}

TEST(JsonPathTest, DotNames) {
  EXPECT_EQ(Eval("$.store.bicycle.color"), json("red"));
  EXPECT_EQ(Eval("$.nested.x.y.z"), json(7));
  EXPECT_EQ(Eval("$.store.missing"), std::nullopt);
  EXPECT_EQ(Eval("$.list.name"), std::nullopt);  // names need an object
  EXPECT_EQ(Eval("$.nested.x-y", json{{"nested", {{"x-y", 3}}}}), json(3));
  EXPECT_EQ(Eval("$.$meta.código", json{{"$meta", {{"código", 4}}}}), json(4));
}

TEST(JsonPathTest, BracketNames) {
  EXPECT_EQ(Eval("$['a b']"), json(1));
  EXPECT_EQ(Eval("$[\"a b\"]"), json(1));
  EXPECT_EQ(Eval("$['store']['bicycle'].price"), json(19.95));
  EXPECT_EQ(Eval("$['it\\'s']", json{{"it's", true}}), json(true));
  EXPECT_EQ(Eval("$['x.y']", json{{"x.y", 2}, {"x", {{"y", 3}}}}), json(2));
}

TEST(JsonPathTest, Indices) {
  EXPECT_EQ(Eval("$.list[0]"), json(0));
  EXPECT_EQ(Eval("$.list[5]"), json(5));
  EXPECT_EQ(Eval("$.list[6]"), std::nullopt);
  EXPECT_EQ(Eval("$.list[-1]"), json(5));
  EXPECT_EQ(Eval("$.list[-6]"), json(0));
  EXPECT_EQ(Eval("$.list[-7]"), std::nullopt);
  EXPECT_EQ(Eval("$.store.book[1].author"), json("Evelyn Waugh"));
  EXPECT_EQ(Eval("$.store[0]"), std::nullopt);  // index needs an array
  Result<JsonPath> neg = JsonPath::Parse("$.list[-1]");
  ASSERT_TRUE(neg.ok());
  EXPECT_TRUE(neg->is_definite());
  EXPECT_FALSE(neg->is_reference());
}

TEST(JsonPathTest, Wildcards) {
  EXPECT_EQ(Eval("$.store.bicycle.*"), json::parse(R"(["red", 19.95])"));
  EXPECT_EQ(Eval("$.store.book[*].price"),
            json::parse("[8.95, 12.99, 8.99, 22.99]"));
  EXPECT_EQ(Eval("$.store.book.*.category"),
            json::parse(R"(["reference","fiction","fiction","fiction"])"));
  EXPECT_EQ(Eval("$.list[*]"), json::parse("[0,1,2,3,4,5]"));
  EXPECT_EQ(Eval("$.nested.x.y.z.*"), json::array());  // scalars: no children
}

TEST(JsonPathTest, IndefinitePathsYieldArrays) {
  // One match is still an array for an indefinite path.
  EXPECT_EQ(Eval("$.nested.*"), json::parse(R"([{"y":{"z":7}}])"));
  EXPECT_EQ(Eval("$.missing.*"), json::array());
  for (const char* p : {"$.a.*", "$..a", "$.a[1:2]", "$.a[0,1]", "$.a[*]",
                        "$.a[?(@.b)]", "$['a','b']"}) {
    Result<JsonPath> path = JsonPath::Parse(p);
    ASSERT_TRUE(path.ok()) << p;
    EXPECT_FALSE(path->is_definite()) << p;
    EXPECT_FALSE(path->is_reference()) << p;
  }
}

TEST(JsonPathTest, RecursiveDescent) {
  EXPECT_EQ(Eval("$..author"),
            json::parse(R"(["Nigel Rees","Evelyn Waugh","Herman Melville",
                            "J. R. R. Tolkien"])"));
  EXPECT_EQ(Eval("$..z"), json::parse("[7]"));
  EXPECT_EQ(Eval("$.store..price"),
            json::parse("[19.95, 8.95, 12.99, 8.99, 22.99]"));
  EXPECT_EQ(Eval("$..book[2].author"), json::parse(R"(["Herman Melville"])"));
  EXPECT_EQ(Eval("$.nested..*"), json::parse(R"([{"y":{"z":7}}, {"z":7}, 7])"));
  EXPECT_EQ(Eval("$..[0]", json::parse("[[1,2],[3]]")),
            json::parse("[[1,2],1,3]"));
}

TEST(JsonPathTest, Slices) {
  EXPECT_EQ(Eval("$.list[1:3]"), json::parse("[1,2]"));
  EXPECT_EQ(Eval("$.list[:2]"), json::parse("[0,1]"));
  EXPECT_EQ(Eval("$.list[4:]"), json::parse("[4,5]"));
  EXPECT_EQ(Eval("$.list[-2:]"), json::parse("[4,5]"));
  EXPECT_EQ(Eval("$.list[:-4]"), json::parse("[0,1]"));
  EXPECT_EQ(Eval("$.list[::2]"), json::parse("[0,2,4]"));
  EXPECT_EQ(Eval("$.list[1:6:2]"), json::parse("[1,3,5]"));
  EXPECT_EQ(Eval("$.list[::-1]"), json::parse("[5,4,3,2,1,0]"));
  EXPECT_EQ(Eval("$.list[4:1:-2]"), json::parse("[4,2]"));
  EXPECT_EQ(Eval("$.list[10:20]"), json::array());
  EXPECT_EQ(Eval("$.list[-100:2]"), json::parse("[0,1]"));
  EXPECT_EQ(Eval("$.list[3:1]"), json::array());
  EXPECT_EQ(Eval("$.list[:]"), json::parse("[0,1,2,3,4,5]"));
  EXPECT_EQ(Eval("$.store[0:1]"), json::array());
}

TEST(JsonPathTest, Unions) {
  EXPECT_EQ(Eval("$.list[0,2,-1]"), json::parse("[0,2,5]"));
  EXPECT_EQ(Eval("$.list[1, 9]"), json::parse("[1]"));
  EXPECT_EQ(Eval("$.store.bicycle['color','price']"),
            json::parse(R"(["red", 19.95])"));
  EXPECT_EQ(Eval("$.store.bicycle[\"price\", 'nope']"), json::parse("[19.95]"));
}

TEST(JsonPathTest, FilterComparisons) {
  EXPECT_EQ(Eval("$.store.book[?(@.price < 10)].author"),
            json::parse(R"(["Nigel Rees","Herman Melville"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.price <= 8.99)].author"),
            json::parse(R"(["Nigel Rees","Herman Melville"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.price > 20)].author"),
            json::parse(R"(["J. R. R. Tolkien"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.price >= 12.99)].author"),
            json::parse(R"(["Evelyn Waugh","J. R. R. Tolkien"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.category == 'reference')].author"),
            json::parse(R"(["Nigel Rees"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.category != \"fiction\")].price"),
            json::parse("[8.95]"));
  EXPECT_EQ(Eval("$.list[?(@ > 3)]"), json::parse("[4,5]"));
  EXPECT_EQ(Eval("$.list[?(@ == 2)]"), json::parse("[2]"));
  EXPECT_EQ(Eval("$.list[?(@ == 2.0)]"), json::parse("[2]"));
  EXPECT_EQ(Eval("$.list[?(@ < -1)]"), json::array());
  // Mismatched types never order, and == compares types too.
  EXPECT_EQ(Eval("$.list[?(@ < 'z')]"), json::array());
  EXPECT_EQ(Eval("$.list[?(@ == '2')]"), json::array());
  const json flags = json::parse(
      R"([{"f": true}, {"f": false}, {"f": null}, {"g": 1}, {"s": "b"}])");
  EXPECT_EQ(Eval("$[?(@.f == true)]", flags), json::parse(R"([{"f":true}])"));
  EXPECT_EQ(Eval("$[?(@.f == null)]", flags), json::parse(R"([{"f":null}])"));
  EXPECT_EQ(Eval("$[?(@.s > 'a')]", flags), json::parse(R"([{"s":"b"}])"));
  // A missing side never matches, for != too.
  EXPECT_EQ(Eval("$[?(@.g != 2)]", flags), json::parse(R"([{"g":1}])"));
}

TEST(JsonPathTest, FilterLogicAndExistence) {
  EXPECT_EQ(Eval("$.store.book[?(@.isbn)].author"),
            json::parse(R"(["Herman Melville","J. R. R. Tolkien"])"));
  EXPECT_EQ(Eval("$.store.book[?(!@.isbn)].author"),
            json::parse(R"(["Nigel Rees","Evelyn Waugh"])"));
  EXPECT_EQ(
      Eval("$.store.book[?(@.category == 'fiction' && @.price < 10)].author"),
      json::parse(R"(["Herman Melville"])"));
  EXPECT_EQ(Eval("$.store.book[?(@.price < 9 || @.price > 20)].price"),
            json::parse("[8.95, 8.99, 22.99]"));
  EXPECT_EQ(Eval("$.store.book[?((@.price < 9 || @.price > 20) && "
                 "@.isbn)].price"),
            json::parse("[8.99, 22.99]"));
  EXPECT_EQ(Eval("$.store.book[?(@.price < 9 || (@.price > 20 && "
                 "@.category == 'none'))].price"),
            json::parse("[8.95, 8.99]"));
  // `$` inside a filter is the document root.
  EXPECT_EQ(Eval("$.list[?(@ == $.nested.x.y.z)]",
                 json{{"list", {6, 7}}, {"nested", kStore["nested"]}}),
            json::parse("[7]"));
  // Filters over an object's values.
  EXPECT_EQ(Eval("$.store[?(@.color)].price"), json::parse("[19.95]"));
}

TEST(JsonPathTest, ContextPaths) {
  ContextObject c;
  c.execution_id = "arn:exec:1";
  c.execution_input = json{{"k", 1}};
  c.execution_name = "run-1";
  c.execution_start_time = "2024-01-02T03:04:05Z";
  c.state_name = "Check";
  c.state_entered_time = "2024-01-02T03:04:06Z";
  c.state_retry_count = 2;
  c.state_machine_id = "arn:sm:1";
  c.state_machine_name = "Machine";
  json context = WithMapItem(c.ToJson(), 3, json{{"v", true}});
  const json input = json{{"Execution", "not this"}};
  EXPECT_EQ(Eval("$$.Execution.Id", input, context), json("arn:exec:1"));
  EXPECT_EQ(Eval("$$.Execution.Input.k", input, context), json(1));
  EXPECT_EQ(Eval("$$.Execution.Name", input, context), json("run-1"));
  EXPECT_EQ(Eval("$$.Execution.StartTime", input, context),
            json("2024-01-02T03:04:05Z"));
  EXPECT_EQ(Eval("$$.State.Name", input, context), json("Check"));
  EXPECT_EQ(Eval("$$.State.EnteredTime", input, context),
            json("2024-01-02T03:04:06Z"));
  EXPECT_EQ(Eval("$$.State.RetryCount", input, context), json(2));
  EXPECT_EQ(Eval("$$.StateMachine.Id", input, context), json("arn:sm:1"));
  EXPECT_EQ(Eval("$$.StateMachine.Name", input, context), json("Machine"));
  EXPECT_EQ(Eval("$$.Map.Item.Index", input, context), json(3));
  EXPECT_EQ(Eval("$$.Map.Item.Value.v", input, context), json(true));
  EXPECT_EQ(Eval("$$.Nope", input, context), std::nullopt);
  EXPECT_EQ(Eval("$$", input, context), context);
  EXPECT_EQ(Eval("$.Execution", input, context), json("not this"));
  Result<JsonPath> p = JsonPath::Parse("$$.Execution.Id");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->is_context());
  EXPECT_TRUE(p->is_definite());
  EXPECT_FALSE(p->is_reference());
}

TEST(JsonPathTest, ContextObjectJson) {
  ContextObject c;
  c.execution_id = "e";
  c.state_retry_count = 1;
  EXPECT_EQ(c.ToJson(), json::parse(R"({
    "Execution": {"Id": "e", "Input": null, "Name": "", "StartTime": ""},
    "State": {"Name": "", "EnteredTime": "", "RetryCount": 1},
    "StateMachine": {"Id": "", "Name": ""}})"));
  EXPECT_EQ(WithMapItem(json::object(), 0, "x"),
            json::parse(R"({"Map": {"Item": {"Index": 0, "Value": "x"}}})"));
}

TEST(JsonPathTest, SelectReturnsNodesInDocument) {
  Result<JsonPath> p = JsonPath::Parse("$.list[1,3]");
  ASSERT_TRUE(p.ok());
  std::vector<const json*> nodes = p->Select(kStore, json());
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0], &kStore["list"][1]);
  EXPECT_EQ(nodes[1], &kStore["list"][3]);
}

TEST(JsonPathTest, ReferencePaths) {
  for (const char* p : {"$", "$.a", "$.a.b[0]", "$['a b'][2].c"}) {
    Result<JsonPath> path = JsonPath::Parse(p);
    ASSERT_TRUE(path.ok()) << p;
    EXPECT_TRUE(path->is_reference()) << p;
  }
  for (const char* p : {"$$.a", "$.a[-1]", "$.a.*", "$..a"}) {
    Result<JsonPath> path = JsonPath::Parse(p);
    ASSERT_TRUE(path.ok()) << p;
    EXPECT_FALSE(path->is_reference()) << p;
  }
}

TEST(JsonPathTest, DeepNesting) {
  json deep = 1;
  for (int i = 0; i < 100000; ++i) deep = json::array({std::move(deep)});
  std::optional<json> found = Eval("$..[?(@ == 1)]", deep);
  EXPECT_EQ(found, json::parse("[1]"));
  std::string nested =
      "$[?(" + std::string(63, '(') + "@" + std::string(63, ')') + ")]";
  std::string too_nested =
      "$[?(" + std::string(64, '(') + "!@" + std::string(64, ')') + ")]";
  EXPECT_TRUE(JsonPath::Parse(nested).ok());
  EXPECT_EQ(ParseError(too_nested), "invalid JSONPath \"" + too_nested +
                                        "\" at offset 68: filter nested too "
                                        "deeply");
}

TEST(JsonPathTest, ParseErrorsNameTheOffset) {
  EXPECT_EQ(ParseError(""),
            "invalid JSONPath \"\" at offset 0: a path must start with '$'");
  EXPECT_EQ(ParseError("a.b"),
            "invalid JSONPath \"a.b\" at offset 0: a path must start with "
            "'$'");
  EXPECT_EQ(ParseError("$."),
            "invalid JSONPath \"$.\" at offset 2: expected a name after '.'");
  EXPECT_EQ(ParseError("$.a["),
            "invalid JSONPath \"$.a[\" at offset 3: unterminated '['");
  EXPECT_EQ(ParseError("$.a[1"),
            "invalid JSONPath \"$.a[1\" at offset 5: expected ']'");
  EXPECT_EQ(ParseError("$a"),
            "invalid JSONPath \"$a\" at offset 1: unexpected character 'a'");
  EXPECT_EQ(ParseError("$.a b"),
            "invalid JSONPath \"$.a b\" at offset 3: unexpected character ' '");
  EXPECT_EQ(ParseError("$['a]"),
            "invalid JSONPath \"$['a]\" at offset 2: unterminated string");
  EXPECT_EQ(ParseError("$.a[::0]"),
            "invalid JSONPath \"$.a[::0]\" at offset 6: slice step must not "
            "be 0");
  EXPECT_EQ(ParseError("$.a[x]"),
            "invalid JSONPath \"$.a[x]\" at offset 4: unexpected character "
            "'x' after '['");
  EXPECT_EQ(ParseError("$.a[?(@.b ==)]"),
            "invalid JSONPath \"$.a[?(@.b ==)]\" at offset 12: unexpected "
            "character ')' where a value was expected");
  EXPECT_EQ(ParseError("$.a[?(@.b == 1]"),
            "invalid JSONPath \"$.a[?(@.b == 1]\" at offset 14: expected ')', "
            "found ']'");
  EXPECT_EQ(ParseError("$.a[?(1)]"),
            "invalid JSONPath \"$.a[?(1)]\" at offset 6: a literal alone is "
            "not a filter condition");
  EXPECT_EQ(ParseError("$.a[?@.b]"),
            "invalid JSONPath \"$.a[?@.b]\" at offset 5: expected '(', found "
            "'@'");
  EXPECT_EQ(ParseError("$..").find("at offset 3: expected a name after '.'") !=
                std::string::npos,
            true);
  EXPECT_EQ(ParseError("$.a[99999999999999999999]"),
            "invalid JSONPath \"$.a[99999999999999999999]\" at offset 4: "
            "expected an integer");
}

}  // namespace
}  // namespace unum::asl
