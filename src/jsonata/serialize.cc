#include "jsonata/serialize.h"

#include <cmath>

#include "jsonata/number_text.h"

namespace unum::jsonata {
namespace {

void Indent(std::string& out, bool pretty, int level) {
  if (!pretty) return;
  out += '\n';
  out.append(static_cast<std::size_t>(level) * 2, ' ');
}

// Whether JSON.stringify writes anything for `v` (as an object member).
bool Writes(const Value& v) {
  return !v.undefined();  // functions are written as "" by the replacer
}

void Write(std::string& out, const Value& v, bool pretty, int level) {
  CheckNesting(level);
  switch (v.type()) {
    case Value::Type::kUndefined:
    case Value::Type::kNull:
      out += "null";
      return;
    case Value::Type::kFunction:
      out += "\"\"";
      return;
    case Value::Type::kBool:
      out += v.boolean() ? "true" : "false";
      return;
    case Value::Type::kNumber:
      if (!std::isfinite(v.number())) {
        out += "null";
      } else {
        out += JsNumberToString(RoundToPrecision15(v.number()));
      }
      return;
    case Value::Type::kString:
      AppendJsonString(out, v.string());
      return;
    case Value::Type::kArray: {
      const auto& items = v.array().items;
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        Indent(out, pretty, level + 1);
        Write(out, items[i], pretty, level + 1);
      }
      Indent(out, pretty, level);
      out += ']';
      return;
    }
    case Value::Type::kObject: {
      bool first = true;
      out += '{';
      for (const auto& [k, item] : v.object().entries()) {
        if (!Writes(item)) continue;
        if (!first) out += ',';
        first = false;
        Indent(out, pretty, level + 1);
        AppendJsonString(out, k);
        out += pretty ? ": " : ":";
        Write(out, item, pretty, level + 1);
      }
      if (!first) Indent(out, pretty, level);
      out += '}';
      return;
    }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string Serialize(const Value& v, bool pretty) {
  std::string out;
  Write(out, v, pretty, 0);
  return out;
}

}  // namespace unum::jsonata
