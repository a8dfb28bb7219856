// $partition, $range, $hash, $random, $uuid and $parse.
#include "asl/jsonata/aws_functions.h"

#include <cmath>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "asl/definition/intrinsic_util.h"
#include "asl/definition/intrinsics.h"
#include "asl/jsonata/jsonata_field.h"
#include "asl/states_error.h"
#include "common/uuid.h"

namespace unum::asl {
namespace {

using json = nlohmann::json;
using Args = std::vector<std::optional<json>>;
using Out = Result<std::optional<json>>;

Status Failure(const std::string& function, const std::string& what) {
  return Status::InvalidArgument("$" + function + ": " + what)
      .WithErrorType(kStatesQueryEvaluationError);
}

// Runs the intrinsic `name` on literal arguments; its failure becomes
// this function's, in this function's name.
Out ViaIntrinsic(const std::string& function, const char* intrinsic,
                 const Args& args) {
  IntrinsicCall call{intrinsic, {}};
  for (const auto& a : args) {
    call.args.push_back(IntrinsicArg{a.value_or(json())});
  }
  Outcome<json> out = EvaluateIntrinsic(
      call, [](std::string_view) -> Outcome<json> { return json(); });
  if (!out.ok()) {
    std::string cause = out.error().cause;
    // "States.ArrayRange: ..." -> "...".
    if (auto colon = cause.find(": "); colon != std::string::npos) {
      cause = cause.substr(colon + 2);
    }
    return Failure(function, cause);
  }
  return std::optional<json>(std::move(out).value());
}

Out Partition(const Args& args) {
  return ViaIntrinsic("partition", "States.ArrayPartition", args);
}

Out Range(const Args& args) {
  return ViaIntrinsic("range", "States.ArrayRange", args);
}

Out Hash(const Args& args) {
  const std::string& data = args[0]->get_ref<const std::string&>();
  const std::string& algorithm = args[1]->get_ref<const std::string&>();
  if (!IsHashAlgorithm(algorithm)) {
    return Failure("hash", "the algorithm '" + algorithm + "' is not one of " +
                               HashAlgorithmList());
  }
  return std::optional<json>(HexDigest(algorithm, data));
}

// A number in [0, 1): from the given seed (the same seed gives the same
// number; mt19937_64's sequence is fixed by the C++ standard), else from
// the system's entropy.
Out Random(const Args& args) {
  uint64_t seed;
  if (!args.empty() && args[0].has_value()) {
    double s = args[0]->get<double>();
    if (!std::isfinite(s) || std::fabs(s) >= 9.2e18) {
      return Failure("random",
                     "the seed " + args[0]->dump() + " is out of range");
    }
    seed = static_cast<uint64_t>(static_cast<int64_t>(std::llround(s)));
  } else {
    std::random_device device;
    seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  }
  std::mt19937_64 engine(seed);
  // The top 53 bits, as a double's mantissa.
  double r = static_cast<double>(engine() >> 11) * 0x1.0p-53;
  return std::optional<json>(r);
}

Out Uuid(const Args&) { return std::optional<json>(NewUuid()); }

Out Parse(const Args& args) {
  const std::string& text = args[0]->get_ref<const std::string&>();
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return Failure("parse", "the string is not valid JSON");
  }
  return std::optional<json>(std::move(value));
}

jsonata::Bindings MakeBindings() {
  jsonata::Bindings b;
  b.functions["partition"] = {"<an:a>", &Partition};
  b.functions["range"] = {"<nnn:a>", &Range};
  b.functions["hash"] = {"<ss:s>", &Hash};
  b.functions["random"] = {"<n?:n>", &Random};
  b.functions["uuid"] = {"<:s>", &Uuid};
  b.functions["parse"] = {"<s-:j>", &Parse};
  b.hidden = {"eval"};
  return b;
}

}  // namespace

const jsonata::Bindings& StepFunctionsJsonataBindings() {
  static const jsonata::Bindings kBindings = MakeBindings();
  return kBindings;
}

}  // namespace unum::asl
