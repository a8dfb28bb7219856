// $string, $substring, $substringBefore, $substringAfter, $lowercase,
// $uppercase, $length, $trim, $pad, $join.
#include <locale.h>
#include <wctype.h>

#include <cmath>

#include "jsonata/evaluator.h"
#include "jsonata/functions/registry.h"
#include "jsonata/functions/string_cast.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// JavaScript's slice index: truncated, negative from the end, clamped.
std::size_t SliceIndex(double i, std::size_t length) {
  double n = std::isnan(i) ? 0 : std::trunc(i);
  double len = static_cast<double>(length);
  if (n < 0) return static_cast<std::size_t>(std::max(len + n, 0.0));
  return static_cast<std::size_t>(std::min(n, len));
}

Value StringFn(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  bool pretty = Arg(args, 1).is_bool() && Arg(args, 1).boolean();
  return Value::String(CastToString(v, pretty));
}

Value Substring(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  std::vector<std::uint32_t> cps = CodePoints(s.string());
  const double length = static_cast<double>(cps.size());
  double start = Arg(args, 1).number();
  if (length + start < 0) start = 0;
  std::size_t from = SliceIndex(start, cps.size());
  std::size_t to = cps.size();
  const Value& len = Arg(args, 2);
  if (!len.undefined()) {
    if (len.number() <= 0) return Value::String("");
    double end =
        start >= 0 ? start + len.number() : length + start + len.number();
    to = SliceIndex(end, cps.size());
  }
  if (to <= from) return Value::String("");
  return Value::String(FromCodePoints(cps, from, to));
}

Value SubstringBefore(Evaluator&, const CallContext&,
                      std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  std::size_t at = s.string().find(Arg(args, 1).string());
  if (at == std::string::npos) return s;
  return Value::String(s.string().substr(0, at));
}

Value SubstringAfter(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const std::string& chars = Arg(args, 1).string();
  std::size_t at = s.string().find(chars);
  if (at == std::string::npos) return s;
  return Value::String(s.string().substr(at + chars.size()));
}

locale_t Utf8Locale() {
  static locale_t locale = newlocale(LC_ALL_MASK, "C.UTF-8", nullptr);
  return locale;
}

// Upper-case mappings to more than one character (Unicode SpecialCasing),
// which towupper cannot give.
const char* SpecialUpper(std::uint32_t cp) {
  switch (cp) {
    case 0x00DF:
      return "SS";
    case 0x0149:
      return "\u02BCN";
    case 0xFB00:
      return "FF";
    case 0xFB01:
      return "FI";
    case 0xFB02:
      return "FL";
    case 0xFB03:
      return "FFI";
    case 0xFB04:
      return "FFL";
    case 0xFB05:
      return "ST";
    case 0xFB06:
      return "ST";
    default:
      return nullptr;
  }
}

bool IsCased(std::uint32_t cp) {
  locale_t l = Utf8Locale();
  auto w = static_cast<wint_t>(cp);
  return towupper_l(w, l) != w || towlower_l(w, l) != w;
}

Value Case(const std::vector<Value>& args, bool upper) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  locale_t l = Utf8Locale();
  std::vector<std::uint32_t> cps = CodePoints(s.string());
  std::string out;
  out.reserve(s.string().size());
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint32_t cp = cps[i];
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      out += c;
      continue;
    }
    if (upper) {
      if (const char* special = SpecialUpper(cp)) {
        out += special;
        continue;
      }
      AppendUtf8(out, static_cast<std::uint32_t>(
                          towupper_l(static_cast<wint_t>(cp), l)));
      continue;
    }
    if (cp == 0x0130) {  // İ: i and a combining dot above
      out += "i\u0307";
      continue;
    }
    if (cp == 0x03A3) {  // Σ: final sigma at the end of a word
      bool before = i > 0 && IsCased(cps[i - 1]);
      bool after = i + 1 < cps.size() && IsCased(cps[i + 1]);
      AppendUtf8(out, before && !after ? 0x03C2 : 0x03C3);
      continue;
    }
    AppendUtf8(out, static_cast<std::uint32_t>(
                        towlower_l(static_cast<wint_t>(cp), l)));
  }
  return Value::String(std::move(out));
}

Value Lowercase(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return Case(args, false);
}

Value Uppercase(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return Case(args, true);
}

Value Length(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  return Value::Number(static_cast<double>(CodePointCount(s.string())));
}

Value Trim(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  std::string out;
  bool in_space = false;
  for (char c : s.string()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_space) out += ' ';
      in_space = true;
    } else {
      out += c;
      in_space = false;
    }
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return Value::String(std::move(out));
}

Value Pad(Evaluator& ev, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  double width = Arg(args, 1).number();
  std::vector<std::uint32_t> pad_chars{' '};
  const Value& c = Arg(args, 2);
  if (c.is_string() && !c.string().empty()) pad_chars = CodePoints(c.string());
  double missing =
      std::fabs(width) - static_cast<double>(CodePointCount(s.string()));
  if (!(missing > 0)) return s;
  auto count = static_cast<std::size_t>(std::ceil(missing));
  ev.CheckSize(count * 4 + s.string().size(), 0);
  std::string padding;
  for (std::size_t i = 0; i < count; ++i) {
    AppendUtf8(padding, pad_chars[i % pad_chars.size()]);
  }
  return Value::String(width < 0 ? padding + s.string() : s.string() + padding);
}

Value Join(Evaluator& ev, const CallContext&, std::vector<Value>& args) {
  const Value& a = Arg(args, 0);
  if (a.undefined()) return Value();
  const Value& sep = Arg(args, 1);
  std::string out;
  const auto& items = a.array().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0 && sep.is_string()) out += sep.string();
    out += items[i].string();
    ev.CheckSize(out.size(), 0);
  }
  return Value::String(std::move(out));
}

}  // namespace

void AddStringFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"string", "<x-b?:s>", StringFn});
  out.push_back({"substring", "<s-nn?:s>", Substring});
  out.push_back({"substringBefore", "<s-s:s>", SubstringBefore});
  out.push_back({"substringAfter", "<s-s:s>", SubstringAfter});
  out.push_back({"lowercase", "<s-:s>", Lowercase});
  out.push_back({"uppercase", "<s-:s>", Uppercase});
  out.push_back({"length", "<s-:n>", Length});
  out.push_back({"trim", "<s-:s>", Trim});
  out.push_back({"pad", "<s-ns?:s>", Pad});
  out.push_back({"join", "<a<s>s?:s>", Join});
}

}  // namespace unum::jsonata
