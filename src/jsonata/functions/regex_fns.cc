// $match, $contains, $replace, $split: with a string or a matcher function
// (a regex, or any function returning regex match objects).
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/registry.h"
#include "jsonata/regex.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// One match a matcher function returned.
struct Found {
  std::string match;
  double start = 0, end = 0;  // UTF-16 offsets
  Value groups;
  Value next;
};

std::optional<Found> ReadMatch(const Value& m) {
  if (m.undefined()) return std::nullopt;
  if (!m.is_object()) throw JsonataError("T1010", -1);
  const Object& o = m.object();
  Found f;
  const Value* match = o.Find("match");
  const Value* start = o.Find("start");
  const Value* end = o.Find("end");
  if (match == nullptr || start == nullptr) {
    throw JsonataError("T1010", -1);
  }
  f.match = match->string();
  f.start = start->number();
  f.end = end != nullptr ? end->number() : f.start;
  if (const Value* g = o.Find("groups")) f.groups = *g;
  if (const Value* n = o.Find("next")) f.next = *n;
  return f;
}

class Matcher {
 public:
  Matcher(Evaluator& ev, const CallContext& call, const Value& fn,
          const std::string& subject)
      : ev_(ev), call_(call), fn_(fn), subject_(subject) {}

  // The first match; an empty one fails with D1004.
  std::optional<Found> First() {
    auto f = ReadMatch(
        ev_.Apply(fn_, {Value::String(subject_)}, Value::Null(), call_.env));
    if (f && f->match.empty()) Empty();
    return f;
  }
  std::optional<Found> Next(const Found& f) {
    if (!f.next.is_function()) return std::nullopt;
    return ReadMatch(ev_.Apply(f.next, {}, Value::Null(), call_.env));
  }
  // Byte offset of UTF-16 offset `units` in the subject.
  std::size_t Byte(double units) const {
    std::size_t i = 0;
    double u = 0;
    while (i < subject_.size() && u < units) {
      std::uint32_t cp = DecodeUtf8(subject_, &i);
      u += cp >= 0x10000 ? 2 : 1;
    }
    return i;
  }

 private:
  [[noreturn]] void Empty() {
    std::string pattern;
    if (fn_.is_function() && fn_.function().kind() == Function::Kind::kRegex) {
      pattern = static_cast<const RegexFn&>(fn_.function()).regex->pattern();
    }
    throw JsonataError("D1004", -1).With(Value::String(pattern));
  }

  Evaluator& ev_;
  const CallContext& call_;
  Value fn_;
  const std::string& subject_;
};

Value Match(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const Value& limit = Arg(args, 2);
  if (limit.number() < 0) throw JsonataError("D3040", -1).With(limit);
  ArrayPtr out = NewSequence();
  if (!limit.undefined() && !(limit.number() > 0)) {
    return Value::Of(std::move(out));
  }
  Matcher matcher(ev, call, Arg(args, 1), s.string());
  double count = 0;
  for (auto m = matcher.First();
       m && (limit.undefined() || count < limit.number());
       m = matcher.Next(*m), ++count) {
    ObjectPtr o = NewObject();
    o->Set("match", Value::String(m->match));
    o->Set("index", Value::Number(m->start));
    o->Set("groups", m->groups);
    out->items.push_back(Value::Of(std::move(o)));
  }
  return Value::Of(std::move(out));
}

Value Contains(Evaluator& ev, const CallContext& call,
               std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const Value& token = Arg(args, 1);
  if (token.is_string()) {
    return Value::Bool(s.string().find(token.string()) != std::string::npos);
  }
  Value m = ev.Apply(token, {s}, Value::Null(), call.env);
  return Value::Bool(!m.undefined());
}

// A `$n` replacement text with the groups of one match filled in.
std::string Substitute(const std::string& replacement, const Found& m) {
  const std::vector<Value>& groups = m.groups.array().items;
  std::string out;
  std::size_t position = 0;
  std::size_t dollar = replacement.find('$');
  while (dollar != std::string::npos && position < replacement.size()) {
    out += replacement.substr(position, dollar - position);
    position = dollar + 1;
    char c = position < replacement.size() ? replacement[position] : '\0';
    if (c == '$') {
      out += '$';
      ++position;
    } else if (c == '0') {
      out += m.match;
      ++position;
    } else {
      std::size_t max_digits =
          groups.empty() ? 1
                         : static_cast<std::size_t>(std::floor(std::log10(
                               static_cast<double>(groups.size())))) +
                               1;
      auto parse = [&](std::size_t digits) -> long {
        std::size_t k = position;
        long n = 0;
        bool any = false;
        while (k < replacement.size() && k < position + digits &&
               replacement[k] >= '0' && replacement[k] <= '9') {
          n = n * 10 + (replacement[k] - '0');
          ++k;
          any = true;
        }
        return any ? n : -1;
      };
      long index = parse(max_digits);
      if (max_digits > 1 && index > static_cast<long>(groups.size())) {
        index = parse(max_digits - 1);
      }
      if (index >= 0) {
        if (!groups.empty() && index >= 1 &&
            index <= static_cast<long>(groups.size())) {
          const Value& g = groups[static_cast<std::size_t>(index - 1)];
          if (g.is_string()) out += g.string();
        }
        position += std::to_string(index).size();
      } else {
        out += '$';
      }
    }
    dollar = replacement.find('$', position);
  }
  if (position < replacement.size()) out += replacement.substr(position);
  return out;
}

Value Replace(Evaluator& ev, const CallContext& call,
              std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const Value& pattern = Arg(args, 1);
  const Value& replacement = Arg(args, 2);
  const Value& limit = Arg(args, 3);
  if (pattern.is_string() && pattern.string().empty()) {
    throw JsonataError("D3010", -1).With(pattern);
  }
  if (limit.number() < 0) throw JsonataError("D3011", -1).With(limit);
  const std::string& str = s.string();
  if (!limit.undefined() && !(limit.number() > 0)) return s;
  std::string out;
  if (pattern.is_string()) {
    const std::string& p = pattern.string();
    const std::string& r = replacement.string();
    std::size_t position = 0;
    double count = 0;
    std::size_t at;
    while ((limit.undefined() || count < limit.number()) &&
           (at = str.find(p, position)) != std::string::npos) {
      out += str.substr(position, at - position);
      out += r;
      position = at + p.size();
      ++count;
      ev.CheckSize(out.size(), 0);
    }
    out += str.substr(position);
    return Value::String(std::move(out));
  }
  Matcher matcher(ev, call, pattern, str);
  std::size_t position = 0;
  double count = 0;
  auto m = matcher.First();
  if (!m) return s;
  for (; m && (limit.undefined() || count < limit.number());
       m = matcher.Next(*m), ++count) {
    std::size_t start = matcher.Byte(m->start);
    if (start > position) out += str.substr(position, start - position);
    if (replacement.is_string()) {
      out += Substitute(replacement.string(), *m);
    } else {
      ObjectPtr mo = NewObject();
      mo->Set("match", Value::String(m->match));
      mo->Set("start", Value::Number(m->start));
      mo->Set("end", Value::Number(m->end));
      mo->Set("groups", m->groups);
      Value r = ev.Apply(replacement, {Value::Of(std::move(mo))}, Value::Null(),
                         call.env);
      if (!r.is_string()) throw JsonataError("D3012", -1).With(r);
      out += r.string();
    }
    position = start + m->match.size();
    ev.CheckSize(out.size(), 0);
  }
  if (position < str.size()) out += str.substr(position);
  return Value::String(std::move(out));
}

Value Split(Evaluator& ev, const CallContext& call, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const Value& sep = Arg(args, 1);
  const Value& limit = Arg(args, 2);
  if (limit.number() < 0) throw JsonataError("D3020", -1).With(limit);
  ArrayPtr out = NewArray();
  const std::string& str = s.string();
  if (!limit.undefined() && !(limit.number() > 0)) {
    return Value::Of(std::move(out));
  }
  if (sep.is_string()) {
    // JavaScript's String.prototype.split, then truncated to the limit.
    std::vector<Value> parts;
    const std::string& p = sep.string();
    if (p.empty()) {
      std::vector<std::uint32_t> cps = CodePoints(str);
      for (std::size_t i = 0; i < cps.size(); ++i) {
        parts.push_back(Value::String(FromCodePoints(cps, i, i + 1)));
      }
    } else {
      std::size_t position = 0, at;
      while ((at = str.find(p, position)) != std::string::npos) {
        parts.push_back(Value::String(str.substr(position, at - position)));
        position = at + p.size();
      }
      parts.push_back(Value::String(str.substr(position)));
    }
    if (!limit.undefined()) {
      auto keep = static_cast<std::size_t>(std::trunc(limit.number()));
      if (parts.size() > keep) parts.resize(keep);
    }
    out->items = std::move(parts);
    return Value::Of(std::move(out));
  }
  Matcher matcher(ev, call, sep, str);
  auto m = matcher.First();
  if (!m) {
    out->items.push_back(s);
    return Value::Of(std::move(out));
  }
  std::size_t start = 0;
  double count = 0;
  for (; m && (limit.undefined() || count < limit.number());
       m = matcher.Next(*m), ++count) {
    std::size_t at = matcher.Byte(m->start);
    out->items.push_back(Value::String(str.substr(start, at - start)));
    start = matcher.Byte(m->end);
  }
  if (limit.undefined() || count < limit.number()) {
    out->items.push_back(Value::String(str.substr(start)));
  }
  return Value::Of(std::move(out));
}

}  // namespace

void AddRegexFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"match", "<s-f<s:o>n?:a<o>>", Match});
  out.push_back({"contains", "<s-(sf):b>", Contains});
  out.push_back({"replace", "<s-(sf)(sf)n?:s>", Replace});
  out.push_back({"split", "<s-(sf)n?:a<s>>", Split});
}

}  // namespace unum::jsonata
