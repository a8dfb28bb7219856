#include "jsonata/parser.h"

#include <algorithm>

#include "jsonata/error.h"
#include "jsonata/lexer.h"
#include "jsonata/regex.h"
#include "jsonata/signature.h"

namespace unum::jsonata {
namespace {

// Left binding power of an operator token (0: it ends an expression).
int BindingPower(const Token& t) {
  if (t.type != Token::Type::kOperator) return 0;
  const std::string& op = t.value;
  if (op == "[" || op == "(" || op == "@" || op == "#") return 80;
  if (op == ".") return 75;
  if (op == "{") return 70;
  if (op == "*" || op == "/" || op == "%") return 60;
  if (op == "+" || op == "-" || op == "&") return 50;
  if (op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
      op == ">=" || op == "^" || op == "~>" || op == "in") {
    return 40;
  }
  if (op == "and") return 30;
  if (op == "or") return 25;
  if (op == "?") return 20;
  if (op == ":=") return 10;
  return 0;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  NodePtr ParseAll() {
    Advance("", false);
    NodePtr root = Expression(0);
    if (current_.type != Token::Type::kEnd) {
      throw JsonataError("S0201", current_.position).Token(current_.value);
    }
    return root;
  }

 private:
  // The token's id as jsonata's grammar names it.
  static bool Is(const Token& t, std::string_view op) {
    return t.type == Token::Type::kOperator && t.value == op;
  }

  // Checks that the current token is `expected` (when given) and moves on.
  void Advance(std::string_view expected, bool infix) {
    if (!expected.empty() && !Is(current_, expected)) {
      bool end = current_.type == Token::Type::kEnd;
      throw JsonataError(end ? "S0203" : "S0202", current_.position)
          .Token(current_.value)
          .With(Value::String(std::string(expected)));
    }
    current_ = lexer_.Next(infix);
    // `!` and `~` lex as operators (they end names) but are operators only
    // in `!=` and `~>`.
    if (current_.type == Token::Type::kOperator &&
        (current_.value == "!" || current_.value == "~")) {
      throw JsonataError("S0204", current_.position).Token(current_.value);
    }
  }

  NodePtr Expression(int rbp) {
    if (++depth_ > kMaxTreeHeight) {
      throw JsonataError("U1001", current_.position);
    }
    Token t = current_;
    Advance("", true);
    NodePtr left = Nud(t);
    MeasureHeight(*left);
    while (rbp < BindingPower(current_)) {
      Token op = current_;
      Advance("", false);
      left = Led(op, std::move(left));
      MeasureHeight(*left);
    }
    --depth_;
    return left;
  }

  // Sets n.height from its children (already measured) and enforces the
  // bound, so that no later recursion over the tree runs too deep.
  static void MeasureHeight(Node& n) {
    int h = 0;
    auto see = [&h](const NodePtr& c) {
      if (c) h = std::max(h, c->height);
    };
    see(n.lhs);
    see(n.rhs);
    see(n.procedure);
    see(n.body);
    see(n.condition);
    see(n.then);
    see(n.otherwise);
    see(n.pattern);
    see(n.update);
    see(n.deletion);
    for (const NodePtr& c : n.items) see(c);
    for (const auto& [k, v] : n.pairs) {
      see(k);
      see(v);
    }
    for (const SortTerm& t : n.terms) see(t.expr);
    n.height = h + 1;
    if (n.height > kMaxTreeHeight) throw JsonataError("U1001", n.position);
  }

  static NodePtr Make(NodeType type, const Token& t) {
    auto n = std::make_unique<Node>(type, t.position);
    n->value = t.value;
    return n;
  }

  NodePtr Nud(const Token& t) {
    switch (t.type) {
      case Token::Type::kEnd:
        throw JsonataError("S0207", t.position).Token("(end)");
      case Token::Type::kString: {
        NodePtr n = Make(NodeType::kString, t);
        n->literal = Value::String(t.value);
        return n;
      }
      case Token::Type::kNumber: {
        NodePtr n = Make(NodeType::kNumber, t);
        n->literal = Value::Number(t.number);
        return n;
      }
      case Token::Type::kValue: {
        NodePtr n = Make(NodeType::kValue, t);
        n->literal =
            t.value == "null" ? Value::Null() : Value::Bool(t.value == "true");
        return n;
      }
      case Token::Type::kRegex: {
        NodePtr n = Make(NodeType::kRegex, t);
        n->regex = Regex::Compile(t.value, t.flags, t.position);
        return n;
      }
      case Token::Type::kName:
        return Make(NodeType::kName, t);
      case Token::Type::kVariable:
        return Make(NodeType::kVariable, t);
      case Token::Type::kOperator:
        return PrefixOperator(t);
    }
    throw JsonataError("S0201", t.position).Token(t.value);
  }

  NodePtr PrefixOperator(const Token& t) {
    const std::string& op = t.value;
    if (op == "-") {
      NodePtr n = Make(NodeType::kUnary, t);
      n->lhs = Expression(70);
      return n;
    }
    if (op == "*") return Make(NodeType::kWildcard, t);
    if (op == "**") return Make(NodeType::kDescendant, t);
    if (op == "%") return Make(NodeType::kParent, t);
    if (op == "and" || op == "or" || op == "in") {
      return Make(NodeType::kName, t);
    }
    if (op == "(") {
      NodePtr n = Make(NodeType::kBlock, t);
      while (!Is(current_, ")")) {
        n->items.push_back(Expression(0));
        if (!Is(current_, ";")) break;
        Advance(";", false);
      }
      Advance(")", true);
      return n;
    }
    if (op == "[") {
      NodePtr n = Make(NodeType::kUnary, t);
      if (!Is(current_, "]")) {
        for (;;) {
          NodePtr item = Expression(0);
          if (Is(current_, "..")) {
            NodePtr range = Make(NodeType::kBinary, current_);
            range->lhs = std::move(item);
            Advance("..", false);
            range->rhs = Expression(0);
            item = std::move(range);
          }
          n->items.push_back(std::move(item));
          if (!Is(current_, ",")) break;
          Advance(",", false);
        }
      }
      Advance("]", true);
      return n;
    }
    if (op == "{") {
      NodePtr n = Make(NodeType::kUnary, t);
      n->pairs = ObjectPairs();
      return n;
    }
    if (op == "|") {
      NodePtr n = Make(NodeType::kTransform, t);
      n->pattern = Expression(0);
      Advance("|", false);
      n->update = Expression(0);
      if (Is(current_, ",")) {
        Advance(",", false);
        n->deletion = Expression(0);
      }
      Advance("|", false);
      return n;
    }
    throw JsonataError("S0211", t.position).Token(t.value);
  }

  std::vector<std::pair<NodePtr, NodePtr>> ObjectPairs() {
    std::vector<std::pair<NodePtr, NodePtr>> pairs;
    if (!Is(current_, "}")) {
      for (;;) {
        NodePtr key = Expression(0);
        Advance(":", false);
        NodePtr value = Expression(0);
        pairs.emplace_back(std::move(key), std::move(value));
        if (!Is(current_, ",")) break;
        Advance(",", false);
      }
    }
    Advance("}", true);
    return pairs;
  }

  NodePtr Led(const Token& t, NodePtr left) {
    const std::string& op = t.value;
    if (op == "(") return Call(t, std::move(left));
    if (op == "[") {
      if (Is(current_, "]")) {
        Node* step = left.get();
        while (step->type == NodeType::kBinary && step->value == "[") {
          step = step->lhs.get();
        }
        step->keep_array = true;
        Advance("]", false);
        return left;
      }
      NodePtr n = Make(NodeType::kBinary, t);
      n->lhs = std::move(left);
      n->rhs = Expression(0);
      Advance("]", true);
      return n;
    }
    if (op == "{") {
      NodePtr n = Make(NodeType::kBinary, t);
      n->lhs = std::move(left);
      n->pairs = ObjectPairs();
      return n;
    }
    if (op == "^") return OrderBy(t, std::move(left));
    if (op == "?") {
      NodePtr n = Make(NodeType::kCondition, t);
      n->condition = std::move(left);
      n->then = Expression(0);
      if (Is(current_, ":")) {
        Advance(":", false);
        n->otherwise = Expression(0);
      }
      return n;
    }
    if (op == ":=") {
      if (left->type != NodeType::kVariable) {
        throw JsonataError("S0212", left->position).Token(left->value);
      }
      NodePtr n = Make(NodeType::kBind, t);
      n->lhs = std::move(left);
      n->rhs = Expression(BindingPower(t) - 1);
      return n;
    }
    NodePtr n = Make(NodeType::kBinary, t);
    n->lhs = std::move(left);
    n->rhs = Expression(BindingPower(t));
    if ((op == "@" || op == "#") && n->rhs->type != NodeType::kVariable) {
      throw JsonataError("S0214", n->rhs->position).Token(op);
    }
    return n;
  }

  NodePtr OrderBy(const Token& t, NodePtr left) {
    NodePtr n = Make(NodeType::kBinary, t);
    n->lhs = std::move(left);
    Advance("(", false);
    for (;;) {
      SortTerm term;
      if (Is(current_, "<")) {
        Advance("<", false);
      } else if (Is(current_, ">")) {
        term.descending = true;
        Advance(">", false);
      }
      term.expr = Expression(0);
      n->terms.push_back(std::move(term));
      if (!Is(current_, ",")) break;
      Advance(",", false);
    }
    Advance(")", false);
    return n;
  }

  NodePtr Call(const Token& t, NodePtr left) {
    NodePtr n = Make(NodeType::kFunction, t);
    if (!Is(current_, ")")) {
      for (;;) {
        if (Is(current_, "?")) {
          n->type = NodeType::kPartial;
          n->items.push_back(Make(NodeType::kPlaceholder, current_));
          Advance("?", false);
        } else {
          n->items.push_back(Expression(0));
        }
        if (!Is(current_, ",")) break;
        Advance(",", false);
      }
    }
    Advance(")", true);
    bool lambda = left->type == NodeType::kName &&
                  (left->value == "function" || left->value == "\u03BB");
    if (!lambda) {
      n->procedure = std::move(left);
      return n;
    }
    n->type = NodeType::kLambda;
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const Node& param = *n->items[i];
      if (param.type != NodeType::kVariable) {
        throw JsonataError("S0208", param.position)
            .Token(param.value)
            .Index(static_cast<int>(i) + 1);
      }
    }
    if (Is(current_, "<")) {
      int sig_position = current_.position;
      int depth = 1;
      std::string sig = "<";
      while (depth > 0 && !Is(current_, "{") &&
             current_.type != Token::Type::kEnd) {
        Advance("", false);
        if (Is(current_, ">")) {
          --depth;
        } else if (Is(current_, "<")) {
          ++depth;
        }
        sig += current_.value;
      }
      Advance(">", false);
      n->signature = Signature::Parse(sig, sig_position);
    }
    Advance("{", false);
    n->body = Expression(0);
    Advance("}", false);
    return n;
  }

  Lexer lexer_;
  Token current_;
  int depth_ = 0;
};

}  // namespace

NodePtr ParseExpression(std::string_view text) {
  Parser parser(text);
  return ProcessTree(parser.ParseAll());
}

}  // namespace unum::jsonata
