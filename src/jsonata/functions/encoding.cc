// $base64encode, $base64decode, $encodeUrlComponent, $encodeUrl,
// $decodeUrlComponent, $decodeUrl.
#include <string_view>

#include "common/base64.h"
#include "jsonata/error.h"
#include "jsonata/functions/registry.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

// Characters encodeURIComponent leaves alone; encodeURI also keeps the
// reserved ones.
bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') ||
         std::string_view("-_.!~*'()").find(c) != std::string_view::npos;
}

bool Reserved(char c) {
  return std::string_view(";,/?:@&=+$#").find(c) != std::string_view::npos;
}

Value Encode(const std::vector<Value>& args, bool component, const char* name) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  static const char* kHex = "0123456789ABCDEF";
  const std::string& s = v.string();
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    std::uint32_t cp = DecodeUtf8(s, &i);
    if (cp == 0xFFFD && s.compare(start, 3, "\xEF\xBF\xBD") != 0) {
      throw JsonataError("D3140", -1).Token(name).With(v);
    }
    char c = s[start];
    if (i - start == 1 && (Unreserved(c) || (!component && Reserved(c)))) {
      out += c;
      continue;
    }
    for (std::size_t k = start; k < i; ++k) {
      auto b = static_cast<unsigned char>(s[k]);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return Value::String(std::move(out));
}

Value Decode(const std::vector<Value>& args, bool component, const char* name) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  const std::string& s = v.string();
  std::string out;
  auto malformed = [&] {
    return JsonataError("D3140", -1).Token(name).With(v);
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    // One UTF-8 sequence of %XX escapes.
    std::string bytes;
    std::size_t j = i;
    std::size_t need = 1;
    while (bytes.size() < need) {
      if (j + 2 >= s.size()) throw malformed();
      if (s[j] != '%') throw malformed();
      int hi = HexDigitValue(s[j + 1]), lo = HexDigitValue(s[j + 2]);
      if (hi < 0 || lo < 0) throw malformed();
      auto b = static_cast<unsigned char>(hi * 16 + lo);
      if (bytes.empty()) {
        need = b < 0x80
                   ? 1
                   : (b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : (b >= 0xC0 ? 2 : 0)));
        if (need == 0) throw malformed();
      } else if ((b & 0xC0) != 0x80) {
        throw malformed();
      }
      bytes += static_cast<char>(b);
      j += 3;
    }
    std::size_t k = 0;
    std::uint32_t cp = DecodeUtf8(bytes, &k);
    if (k != bytes.size() || (bytes.size() > 1 && cp < 0x80)) throw malformed();
    if (!component && bytes.size() == 1 && Reserved(bytes[0])) {
      out += s.substr(i, 3);  // decodeURI keeps escaped reserved characters
    } else {
      out += bytes;
    }
    i = j - 1;
  }
  return Value::String(std::move(out));
}

Value EncodeUrlComponent(Evaluator&, const CallContext&,
                         std::vector<Value>& args) {
  return Encode(args, true, "encodeUrlComponent");
}
Value EncodeUrl(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return Encode(args, false, "encodeUrl");
}
Value DecodeUrlComponent(Evaluator&, const CallContext&,
                         std::vector<Value>& args) {
  return Decode(args, true, "decodeUrlComponent");
}
Value DecodeUrl(Evaluator&, const CallContext&, std::vector<Value>& args) {
  return Decode(args, false, "decodeUrl");
}

// jsonata in Node.js encodes a string's UTF-16 code units as bytes
// ("binary", keeping the low byte) and decodes bytes as Latin-1.
Value ToBase64(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  std::string bytes;
  for (std::uint32_t cp : CodePoints(v.string())) {
    if (cp >= 0x10000) {
      std::uint32_t u = cp - 0x10000;
      bytes += static_cast<char>((0xD800 + (u >> 10)) & 0xFF);
      bytes += static_cast<char>((0xDC00 + (u & 0x3FF)) & 0xFF);
    } else {
      bytes += static_cast<char>(cp & 0xFF);
    }
  }
  return Value::String(unum::Base64Encode(bytes));
}

Value FromBase64(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& v = Arg(args, 0);
  if (v.undefined()) return Value();
  // Node's decoder is lenient: URL-safe letters count, other characters
  // are skipped, it stops at '=', and padding is optional.
  std::string text;
  for (char c : v.string()) {
    if (c == '=') break;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '+' || c == '/') {
      text += c;
    }
  }
  if (text.size() % 4 == 1) text.pop_back();
  while (text.size() % 4 != 0) text += '=';
  auto decoded = unum::Base64Decode(text);
  std::string out;
  if (decoded) {
    for (char b : *decoded) AppendUtf8(out, static_cast<unsigned char>(b));
  }
  return Value::String(std::move(out));
}

}  // namespace

void AddEncodingFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"base64encode", "<s-:s>", ToBase64});
  out.push_back({"base64decode", "<s-:s>", FromBase64});
  out.push_back({"encodeUrlComponent", "<s-:s>", EncodeUrlComponent});
  out.push_back({"encodeUrl", "<s-:s>", EncodeUrl});
  out.push_back({"decodeUrlComponent", "<s-:s>", DecodeUrlComponent});
  out.push_back({"decodeUrl", "<s-:s>", DecodeUrl});
}

}  // namespace unum::jsonata
