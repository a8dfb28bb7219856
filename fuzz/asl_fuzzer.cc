// Fuzz target: the States Language front end. The input is parsed as a
// state machine definition; when it is valid, every state's input/output
// fields and Choice rules are compiled and evaluated on a fixed input. The
// first line is also parsed as a JSONPath and as an intrinsic call, and
// evaluated. Errors are fine; crashes, leaks, UB and hangs are not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "asl/dataflow/choice_rule.h"
#include "asl/dataflow/json_path.h"
#include "asl/dataflow/path_rules.h"
#include "asl/dataflow/payload_template.h"
#include "asl/definition/intrinsics.h"
#include "asl/definition/state_machine.h"
#include "fuzz/fuzz_check.h"

namespace {

using nlohmann::json;
using unum::asl::StateIoKind;

const json& Input() {
  static const json kInput = json::parse(R"({
    "a": 1, "s": "text", "list": [1, 2.5, "x", null, {"k": true}],
    "when": "2026-11-28T06:00:00Z", "nested": {"deep": {"v": [0, 1]}}})");
  return kInput;
}

const json& Context() {
  static const json kContext = json::parse(R"({
    "Execution": {"Id": "s-1", "Input": {"a": 1}, "Name": "s-1",
                  "StartTime": "2026-11-28T06:00:00Z"},
    "State": {"Name": "S", "EnteredTime": "2026-11-28T06:00:01Z",
              "RetryCount": 0},
    "StateMachine": {"Id": "m", "Name": "m"}})");
  return kContext;
}

bool KindOf(const std::string& type, StateIoKind* kind) {
  static const std::pair<const char*, StateIoKind> kKinds[] = {
      {"Task", StateIoKind::kTask},       {"Parallel", StateIoKind::kParallel},
      {"Map", StateIoKind::kMap},         {"Pass", StateIoKind::kPass},
      {"Choice", StateIoKind::kChoice},   {"Wait", StateIoKind::kWait},
      {"Succeed", StateIoKind::kSucceed}, {"Fail", StateIoKind::kFail}};
  for (const auto& [name, k] : kKinds) {
    if (type == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

// Compiles and runs the data flow of every state of `machine` (raw JSON of
// a definition that parsed), nested machines included.
void ExerciseMachine(const json& machine, int depth) {
  if (depth > 8 || !machine.is_object()) return;
  const auto states = machine.find("States");
  if (states == machine.end() || !states->is_object()) return;
  for (const auto& [name, state] : states->items()) {
    if (!state.is_object() || !state.contains("Type") ||
        !state.at("Type").is_string()) {
      continue;
    }
    StateIoKind kind;
    if (!KindOf(state.at("Type").get<std::string>(), &kind)) continue;
    auto io = unum::asl::StateIo::Compile(state, kind, name);
    if (io.ok()) {
      auto effective = io->EffectiveInput(Input(), Context());
      if (effective.ok()) {
        if (kind == StateIoKind::kMap) {
          auto items = io->MapItems(*effective, Context());
          if (items.ok() && items->is_array() && !items->empty()) {
            (void)io->MapItemInput(*effective, 0, (*items)[0], Context());
          }
        }
        (void)io->Output(Input(), *effective, Context());
      } else {
        FUZZ_CHECK(!effective.error().error.empty());
      }
    }
    if (const auto choices = state.find("Choices");
        choices != state.end() && choices->is_array()) {
      for (const json& rule : *choices) {
        auto parsed = unum::asl::ChoiceRule::Parse(rule, name, true);
        if (parsed.ok()) (void)parsed->Evaluate(Input(), Context());
      }
    }
    if (const auto branches = state.find("Branches");
        branches != state.end() && branches->is_array()) {
      for (const json& branch : *branches) ExerciseMachine(branch, depth + 1);
    }
    for (const char* field : {"ItemProcessor", "Iterator"}) {
      if (state.contains(field)) ExerciseMachine(state.at(field), depth + 1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto machine = unum::asl::ParseStateMachine(text);
  if (machine.ok()) {
    FUZZ_CHECK(machine->Find(machine->start_at) != nullptr);
    FUZZ_CHECK(unum::asl::ValidateStateMachine(*machine).ok());
    (void)unum::asl::TaskResources(*machine);
    ExerciseMachine(json::parse(text, nullptr, false), 0);
  } else {
    FUZZ_CHECK(machine.status().code() == unum::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!machine.status().message().empty());
  }

  const std::string_view line = text.substr(0, text.find('\n'));
  if (auto path = unum::asl::JsonPath::Parse(line); path.ok()) {
    (void)path->Evaluate(Input(), Context());
  }
  if (unum::asl::LooksLikeIntrinsic(line)) {
    if (auto call = unum::asl::ParseIntrinsic(line); call.ok()) {
      auto value = unum::asl::EvaluateIntrinsic(*call, [](std::string_view p) {
        return unum::asl::ResolvePathText(p, Input(), Context());
      });
      if (!value.ok()) FUZZ_CHECK(!value.error().error.empty());
    }
  }
  (void)unum::asl::LambdaFunctionName(line);
  return 0;
}
