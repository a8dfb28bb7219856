#include "jsonata/signature.h"

#include "jsonata/error.h"

namespace unum::jsonata {
namespace {

constexpr std::string_view kAnything = "asnblfom";
constexpr std::string_view kAnyJson = "asnblom";

std::string AcceptedBy(char symbol) {
  switch (symbol) {
    case 'a':
    case 'x':
      return std::string(kAnything);
    case 'j':
      return std::string(kAnyJson);
    default:
      return std::string(1, symbol) + "m";
  }
}

std::string PluralTypeName(char symbol) {
  switch (symbol) {
    case 'a':
      return "arrays";
    case 'b':
      return "booleans";
    case 'f':
      return "functions";
    case 'n':
      return "numbers";
    case 'o':
      return "objects";
    case 's':
      return "strings";
    default:
      return std::string(1, symbol);
  }
}

// The index of the `close` matching the `open` at `start`.
std::size_t ClosingBracket(std::string_view s, std::size_t start, char open,
                           char close) {
  int depth = 1;
  for (std::size_t i = start + 1; i < s.size(); ++i) {
    if (s[i] == open) ++depth;
    if (s[i] == close && --depth == 0) return i;
  }
  return s.size();
}

}  // namespace

char SignatureSymbol(const Value& v) {
  switch (v.type()) {
    case Value::Type::kFunction:
      return 'f';
    case Value::Type::kString:
      return 's';
    case Value::Type::kNumber:
      return 'n';
    case Value::Type::kBool:
      return 'b';
    case Value::Type::kNull:
      return 'l';
    case Value::Type::kArray:
      return 'a';
    case Value::Type::kObject:
      return 'o';
    case Value::Type::kUndefined:
      return 'm';
  }
  return 'm';
}

std::shared_ptr<const Signature> Signature::Parse(std::string_view text,
                                                  int position) {
  auto sig = std::make_shared<Signature>();
  std::size_t i = 1;  // after '<'
  while (i < text.size()) {
    char c = text[i];
    if (c == ':' || c == '>') break;
    switch (c) {
      case '?':
      case '+':
      case '-':
        if (!sig->params_.empty()) sig->params_.back().modifier = c;
        ++i;
        break;
      case '(': {
        std::size_t end = ClosingBracket(text, i, '(', ')');
        std::string_view choice = text.substr(i + 1, end - i - 1);
        if (choice.find('<') != std::string_view::npos) {
          throw JsonataError("S0402", position + static_cast<int>(i))
              .With(Value::String(std::string(choice)));
        }
        Param p;
        p.type = '(';
        p.accepts = std::string(choice) + "m";
        sig->params_.push_back(std::move(p));
        i = end + 1;
        break;
      }
      case '<': {
        if (sig->params_.empty() || (sig->params_.back().type != 'a' &&
                                     sig->params_.back().type != 'f')) {
          std::string prev = sig->params_.empty()
                                 ? ""
                                 : std::string(1, sig->params_.back().type);
          throw JsonataError("S0401", position + static_cast<int>(i))
              .With(Value::String(prev));
        }
        std::size_t end = ClosingBracket(text, i, '<', '>');
        sig->params_.back().subtype =
            std::string(text.substr(i + 1, end - i - 1));
        i = end + 1;
        break;
      }
      default: {
        Param p;
        p.type = c;
        p.accepts = AcceptedBy(c);
        sig->params_.push_back(std::move(p));
        ++i;
        break;
      }
    }
  }
  return sig;
}

bool Signature::Match(const std::string& symbols, std::size_t at,
                      std::size_t from, std::size_t limit, bool anchored,
                      std::vector<std::size_t>& ends) const {
  if (from == limit) return !anchored || at == symbols.size();
  const Param& p = params_[from];
  auto accepts = [&](std::size_t k) {
    return k < symbols.size() &&
           p.accepts.find(symbols[k]) != std::string::npos;
  };
  std::size_t max = at;
  if (p.modifier == '+') {
    while (accepts(max)) ++max;
    if (max == at) return false;
  } else if (accepts(at)) {
    max = at + 1;
  }
  std::size_t min = (p.modifier == '?' || p.modifier == '-') ? at : at + 1;
  if (p.modifier == '+') min = at + 1;
  // Greedy: the longest match first, as a regular expression would.
  for (std::size_t end = max + 1; end-- > min;) {
    ends[from] = end;
    if (Match(symbols, end, from + 1, limit, anchored, ends)) return true;
    if (end == 0) break;
  }
  return false;
}

void Signature::ThrowMismatch(const std::vector<Value>& args,
                              const std::string& symbols) const {
  std::size_t good_to = 0;
  std::vector<std::size_t> ends(params_.size());
  for (std::size_t k = 1; k <= params_.size(); ++k) {
    if (!Match(symbols, 0, 0, k, false, ends)) {
      Value v = good_to < args.size() ? args[good_to] : Value();
      throw JsonataError("T0410", -1)
          .With(v)
          .Index(static_cast<int>(good_to) + 1);
    }
    good_to = ends[k - 1];
  }
  Value v = good_to < args.size() ? args[good_to] : Value();
  throw JsonataError("T0410", -1).With(v).Index(static_cast<int>(good_to) + 1);
}

std::vector<Value> Signature::Validate(const std::vector<Value>& args,
                                       const Value& context) const {
  std::string symbols;
  symbols.reserve(args.size());
  for (const Value& a : args) symbols += SignatureSymbol(a);
  std::vector<std::size_t> ends(params_.size());
  if (!Match(symbols, 0, 0, params_.size(), true, ends)) {
    ThrowMismatch(args, symbols);
  }
  std::vector<Value> out;
  out.reserve(params_.size());
  std::size_t arg_index = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Param& p = params_[i];
    std::string_view match(symbols.data() + start, ends[i] - start);
    start = ends[i];
    if (match.empty()) {
      if (p.modifier == '-') {
        if (p.accepts.find(SignatureSymbol(context)) == std::string::npos) {
          throw JsonataError("T0411", -1)
              .With(context)
              .Index(static_cast<int>(arg_index) + 1);
        }
        out.push_back(context);
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Value());
        ++arg_index;
      }
      continue;
    }
    // As jsonata does, a parameter that matched several arguments (`+`)
    // passes its first argument each time, except arrays.
    const Value first = arg_index < args.size() ? args[arg_index] : Value();
    for (char single : match) {
      Value arg = first;
      if (p.type == 'a') {
        arg = arg_index < args.size() ? args[arg_index] : Value();
      }
      if (p.type == 'a' && single != 'm') {
        bool ok = true;
        if (!p.subtype.empty()) {
          if (single != 'a') {
            ok = match == p.subtype;
          } else if (!arg.array().items.empty()) {
            char item_type = SignatureSymbol(arg.array().items[0]);
            if (item_type != p.subtype[0]) {
              ok = false;
            } else {
              for (const Value& item : arg.array().items) {
                if (SignatureSymbol(item) != item_type) ok = false;
              }
            }
          }
        }
        if (!ok) {
          throw JsonataError("T0412", -1)
              .With(arg)
              .Index(static_cast<int>(arg_index) + 1)
              .With2(Value::String(
                  PluralTypeName(p.subtype.empty() ? 'x' : p.subtype[0])));
        }
        if (single != 'a') {
          ArrayPtr wrapped = NewArray();
          wrapped->items.push_back(arg);
          arg = Value::Of(std::move(wrapped));
        }
      } else if (p.type == 'a') {
        arg = Value();
      }
      out.push_back(std::move(arg));
      ++arg_index;
    }
  }
  return out;
}

}  // namespace unum::jsonata
