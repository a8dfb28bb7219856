// EvaluateIntrinsic: evaluates a parsed intrinsic call. Arguments are
// evaluated left to right (paths through the resolver, nested calls
// recursively); any type or range problem is States.IntrinsicFailure.
#include "asl/definition/intrinsics.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "asl/definition/intrinsic_util.h"
#include "common/base64.h"
#include "common/json_text.h"
#include "common/uuid.h"

namespace unum::asl {
namespace {

using nlohmann::json;
using Args = std::vector<json>;

// AWS's documented limits.
constexpr int64_t kMaxRangeElements = 1000;
constexpr size_t kMaxEncodedChars = 10000;  // Base64Encode/Decode, Hash input

StatesError Failure(const IntrinsicCall& call, const std::string& cause) {
  return StatesError{kStatesIntrinsicFailure, call.name + ": " + cause};
}

std::string Ordinal(size_t i) { return "argument " + std::to_string(i + 1); }

// Checks each value against the function's argument kinds.
std::optional<StatesError> CheckKinds(const IntrinsicCall& call,
                                      const IntrinsicSpec& spec,
                                      const Args& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const json& v = args[i];
    const char* want = nullptr;
    switch (spec.ArgKindAt(i)) {
      case ArgKind::kAny:
      case ArgKind::kPathOrCall:
        break;
      case ArgKind::kString:
        if (!v.is_string()) want = "a string";
        break;
      case ArgKind::kNumber:
        if (!v.is_number()) want = "a number";
        break;
      case ArgKind::kBoolean:
        if (!v.is_boolean()) want = "a boolean";
        break;
      case ArgKind::kArray:
        if (!v.is_array()) want = "an array";
        break;
      case ArgKind::kObject:
        if (!v.is_object()) want = "an object";
        break;
    }
    if (want != nullptr) {
      return Failure(
          call, Ordinal(i) + " must be " + want + ", got " + JsonTypeName(v));
    }
  }
  return std::nullopt;
}

std::string Render(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return ToJsonText(v);
}

Outcome<json> Format(const IntrinsicCall& call, const Args& args) {
  // A literal template keeps its escapes in literal_source; a template
  // from a path is plain text where every `{}` is a placeholder.
  const std::string& source = call.args[0].literal_source;
  bool escaped =
      std::holds_alternative<json>(call.args[0].value) && !source.empty();
  std::string tmpl = escaped ? source : args[0].get<std::string>();
  size_t holes = 0;
  for (size_t i = 0; i + 1 < tmpl.size(); ++i) {
    if (escaped && tmpl[i] == '\\') {
      ++i;
    } else if (tmpl[i] == '{' && tmpl[i + 1] == '}') {
      ++holes;
      ++i;
    }
  }
  if (holes != args.size() - 1) {
    return Failure(call, "the template has " + std::to_string(holes) +
                             " {} placeholder(s) but " +
                             std::to_string(args.size() - 1) +
                             " value argument(s)");
  }
  // The spec: a value must be a string, number, boolean or null.
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].is_array() || args[i].is_object()) {
      return Failure(call, Ordinal(i) +
                               " must be a string, number, boolean or null, "
                               "got " +
                               JsonTypeName(args[i]));
    }
  }
  std::string out;
  size_t next = 1;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (escaped && c == '\\' && i + 1 < tmpl.size()) {
      out += tmpl[++i];
    } else if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      out += Render(args[next++]);
      ++i;
    } else {
      out += c;
    }
  }
  return json(std::move(out));
}

Outcome<json> StringToJson(const IntrinsicCall& call, const Args& args) {
  json parsed = json::parse(args[0].get<std::string>(), nullptr,
                            /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Failure(call, "argument 1 is not valid JSON text");
  }
  return parsed;
}

Outcome<json> JsonToString(const IntrinsicCall& call, const Args& args) {
  return json(ToJsonText(args[0]));
}

Outcome<json> Array(const IntrinsicCall& call, const Args& args) {
  return json(args);
}

Outcome<json> ArrayPartition(const IntrinsicCall& call, const Args& args) {
  auto size = ExactInteger(args[1]);
  if (!size || *size <= 0) {
    return Failure(call, "the chunk size must be a positive integer, got " +
                             args[1].dump());
  }
  json out = json::array();
  const auto chunk = static_cast<uint64_t>(*size);
  for (const json& item : args[0]) {
    if (out.empty() || out.back().size() == chunk) out.push_back(json::array());
    out.back().push_back(item);
  }
  return out;
}

Outcome<json> ArrayContains(const IntrinsicCall& call, const Args& args) {
  const json& items = args[0];
  return json(std::find(items.begin(), items.end(), args[1]) != items.end());
}

Outcome<json> ArrayRange(const IntrinsicCall& call, const Args& args) {
  int64_t v[3];
  for (size_t i = 0; i < 3; ++i) {
    auto r = RoundedInteger(args[i]);
    if (!r) return Failure(call, Ordinal(i) + " is out of range");
    v[i] = *r;
  }
  const auto [start, end, step] = v;
  if (step == 0) return Failure(call, "the step (argument 3) must not be 0");
  // Both bounds are below 2^62, so the difference fits in int64.
  int64_t count = 0;
  if ((step > 0 && end >= start) || (step < 0 && end <= start)) {
    count = (end - start) / step + 1;
  }
  if (count > kMaxRangeElements) {
    return Failure(
        call, "the range has " + std::to_string(count) + " elements; at most " +
                  std::to_string(kMaxRangeElements) + " are allowed");
  }
  json out = json::array();
  for (int64_t i = 0; i < count; ++i) out.push_back(start + i * step);
  return out;
}

Outcome<json> ArrayGetItem(const IntrinsicCall& call, const Args& args) {
  auto index = ExactInteger(args[1]);
  if (!index || *index < 0) {
    return Failure(call, "the index must be a non-negative integer, got " +
                             args[1].dump());
  }
  if (static_cast<uint64_t>(*index) >= args[0].size()) {
    return Failure(call, "index " + std::to_string(*index) +
                             " is out of range for an array of " +
                             std::to_string(args[0].size()) + " item(s)");
  }
  return args[0][static_cast<size_t>(*index)];
}

Outcome<json> ArrayLength(const IntrinsicCall& call, const Args& args) {
  return json(args[0].size());
}

Outcome<json> ArrayUnique(const IntrinsicCall& call, const Args& args) {
  json out = json::array();
  std::set<json> seen;
  for (const json& item : args[0]) {
    if (seen.insert(item).second) out.push_back(item);
  }
  return out;
}

Outcome<json> CheckLength(const IntrinsicCall& call, const std::string& s) {
  size_t n = CountCodePoints(s);
  if (n > kMaxEncodedChars) {
    return Failure(call, "the input has " + std::to_string(n) +
                             " characters; at most " +
                             std::to_string(kMaxEncodedChars) + " are allowed");
  }
  return json(nullptr);
}

Outcome<json> Base64EncodeFn(const IntrinsicCall& call, const Args& args) {
  const std::string& s = args[0].get_ref<const std::string&>();
  if (auto ok = CheckLength(call, s); !ok.ok()) return ok;
  return json(Base64Encode(s));
}

Outcome<json> Base64DecodeFn(const IntrinsicCall& call, const Args& args) {
  const std::string& s = args[0].get_ref<const std::string&>();
  if (auto ok = CheckLength(call, s); !ok.ok()) return ok;
  auto decoded = Base64Decode(s);
  if (!decoded) return Failure(call, "argument 1 is not valid Base64");
  if (!IsValidUtf8(*decoded)) {
    return Failure(call, "the decoded data is not UTF-8 text");
  }
  return json(std::move(*decoded));
}

Outcome<json> Hash(const IntrinsicCall& call, const Args& args) {
  const std::string& data = args[0].get_ref<const std::string&>();
  const std::string& algorithm = args[1].get_ref<const std::string&>();
  if (!IsHashAlgorithm(algorithm)) {
    return Failure(call, "the algorithm '" + algorithm + "' is not one of " +
                             HashAlgorithmList());
  }
  if (auto ok = CheckLength(call, data); !ok.ok()) return ok;
  return json(HexDigest(algorithm, data));
}

Outcome<json> JsonMerge(const IntrinsicCall& call, const Args& args) {
  if (args[2].get<bool>()) {
    return Failure(call,
                   "only a shallow merge is supported; argument 3 "
                   "must be false");
  }
  json out = args[0];
  for (const auto& [key, value] : args[1].items()) out[key] = value;
  return out;
}

// A random integer in [start, end], both ends included (the documented
// example asks for "a random number from between one and 999" with start 1
// and end 999).
Outcome<json> MathRandom(const IntrinsicCall& call, const Args& args) {
  auto start = RoundedInteger(args[0]);
  auto end = RoundedInteger(args[1]);
  if (!start || !end) return Failure(call, "a bound is out of range");
  if (*start > *end) {
    return Failure(call, "the start (" + std::to_string(*start) +
                             ") is greater than the end (" +
                             std::to_string(*end) + ")");
  }
  uint64_t seed;
  if (args.size() == 3) {
    auto s = RoundedInteger(args[2]);
    if (!s) return Failure(call, "the seed is out of range");
    seed = static_cast<uint64_t>(*s);
  } else {
    std::random_device device;
    seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  // mt19937_64's output is fixed by the standard, so a seed gives the same
  // number everywhere; the modulo bias over a span below 2^63 is negligible.
  std::mt19937_64 engine(seed);
  uint64_t span = static_cast<uint64_t>(*end - *start) + 1;
  return json(*start + static_cast<int64_t>(engine() % span));
}

// Non-integers round to the nearest integer; both operands are below 2^62
// in magnitude, so the sum cannot overflow.
Outcome<json> MathAdd(const IntrinsicCall& call, const Args& args) {
  int64_t sum = 0;
  for (size_t i = 0; i < 2; ++i) {
    auto v = RoundedInteger(args[i]);
    if (!v) {
      return Failure(call,
                     Ordinal(i) + " (" + args[i].dump() + ") is out of range");
    }
    sum += *v;
  }
  return json(sum);
}

// Splits UTF-8 text into code points.
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80)
      ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

Outcome<json> StringSplit(const IntrinsicCall& call, const Args& args) {
  // Each character of the delimiter string separates; empty pieces are
  // dropped ("a,,b" split on "," is ["a","b"]).
  std::vector<std::string_view> delims =
      CodePoints(args[1].get_ref<const std::string&>());
  json out = json::array();
  std::string piece;
  for (std::string_view cp :
       CodePoints(args[0].get_ref<const std::string&>())) {
    if (std::find(delims.begin(), delims.end(), cp) != delims.end()) {
      if (!piece.empty()) out.push_back(std::move(piece));
      piece.clear();
    } else {
      piece += cp;
    }
  }
  if (!piece.empty()) out.push_back(std::move(piece));
  return out;
}

Outcome<json> Uuid(const IntrinsicCall& call, const Args& args) {
  return json(NewUuid());
}

using Fn = Outcome<json> (*)(const IntrinsicCall&, const Args&);

Fn FindFunction(std::string_view name) {
  static const std::pair<std::string_view, Fn> kFunctions[] = {
      {"States.Format", &Format},
      {"States.StringToJson", &StringToJson},
      {"States.JsonToString", &JsonToString},
      {"States.Array", &Array},
      {"States.ArrayPartition", &ArrayPartition},
      {"States.ArrayContains", &ArrayContains},
      {"States.ArrayRange", &ArrayRange},
      {"States.ArrayGetItem", &ArrayGetItem},
      {"States.ArrayLength", &ArrayLength},
      {"States.ArrayUnique", &ArrayUnique},
      {"States.Base64Encode", &Base64EncodeFn},
      {"States.Base64Decode", &Base64DecodeFn},
      {"States.Hash", &Hash},
      {"States.JsonMerge", &JsonMerge},
      {"States.MathRandom", &MathRandom},
      {"States.MathAdd", &MathAdd},
      {"States.StringSplit", &StringSplit},
      {"States.UUID", &Uuid},
  };
  for (const auto& [n, fn] : kFunctions) {
    if (n == name) return fn;
  }
  return nullptr;
}

}  // namespace

Outcome<json> EvaluateIntrinsic(const IntrinsicCall& call,
                                const PathResolver& resolve) {
  const IntrinsicSpec* spec = FindIntrinsicSpec(call.name);
  Fn fn = FindFunction(call.name);
  if (spec == nullptr || fn == nullptr) {
    return StatesError{kStatesIntrinsicFailure,
                       "unknown intrinsic function " + call.name};
  }
  const size_t n = call.args.size();
  if (n < static_cast<size_t>(spec->min_args) ||
      (spec->max_args >= 0 && n > static_cast<size_t>(spec->max_args))) {
    return Failure(
        call, "takes " + ArgCountText(*spec) + ", got " + std::to_string(n));
  }
  Args args;
  args.reserve(n);
  for (const IntrinsicArg& arg : call.args) {
    if (const json* literal = std::get_if<json>(&arg.value)) {
      args.push_back(*literal);
    } else if (const auto* path = std::get_if<IntrinsicArg::Path>(&arg.value)) {
      Outcome<json> value = resolve(path->text);
      if (!value.ok()) return value.error();
      args.push_back(std::move(value).value());
    } else {
      const auto& nested = std::get<std::shared_ptr<IntrinsicCall>>(arg.value);
      if (nested == nullptr) {
        return Failure(call, "a nested call is missing");
      }
      Outcome<json> value = EvaluateIntrinsic(*nested, resolve);
      if (!value.ok()) return value.error();
      args.push_back(std::move(value).value());
    }
  }
  if (auto bad = CheckKinds(call, *spec, args)) return *bad;
  try {
    return fn(call, args);
  } catch (const json::exception& e) {
    // Not expected after CheckKinds; kept so no exception escapes.
    return Failure(call, e.what());
  }
}

}  // namespace unum::asl
