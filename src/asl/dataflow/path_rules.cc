// InputPath / ResultPath / OutputPath and their order for each state kind.
#include "asl/dataflow/path_rules.h"

#include <string>
#include <utility>

#include "asl/dataflow/context_object.h"
#include "common/json_text.h"

namespace unum::asl {
namespace {

using nlohmann::json;

std::string Join(std::string_view where, std::string_view field) {
  if (where.empty()) return std::string(field);
  return std::string(where) + "." + std::string(field);
}

const json* Field(const json& state, const char* name) {
  auto it = state.find(name);
  return it == state.end() ? nullptr : &*it;
}

}  // namespace

Result<SelectPath> SelectPath::Compile(const json* value,
                                       std::string_view field,
                                       bool allow_null) {
  SelectPath out;
  out.field_ = std::string(field);
  if (value == nullptr) return out;
  if (value->is_null()) {
    if (!allow_null) {
      return Status::InvalidArgument(out.field_ + ": must be a path, not null");
    }
    out.is_null_ = true;
    return out;
  }
  if (!value->is_string()) {
    return Status::InvalidArgument(out.field_ + ": must be a string path" +
                                   (allow_null ? " or null" : ""));
  }
  Result<JsonPath> path = JsonPath::Parse(value->get<std::string>());
  if (!path.ok()) {
    return Status::InvalidArgument(out.field_ + ": " + path.status().message());
  }
  out.path_ = std::move(path).value();
  return out;
}

Outcome<json> SelectPath::Apply(const json& value, const json& context) const {
  if (is_default()) return value;
  return Select(value, context);
}

Outcome<json> SelectPath::Apply(json&& value, const json& context) const {
  if (is_default()) return std::move(value);
  return Select(value, context);
}

Outcome<json> SelectPath::Select(const json& value, const json& context) const {
  if (is_null_) return json::object();
  std::optional<json> selected = path_->Evaluate(value, context);
  if (!selected) {
    return StatesError{
        kStatesRuntime,
        "Invalid path '" + path_->text() + "' in " + field_ +
            ": it matches nothing in " +
            JsonForMessage(path_->is_context() ? context : value)};
  }
  return std::move(*selected);
}

Result<ResultPathRule> ResultPathRule::Compile(const json* value,
                                               std::string_view field) {
  ResultPathRule out;
  if (value == nullptr) return out;
  if (value->is_null()) {
    out.discard_ = true;
    return out;
  }
  std::string name(field);
  if (!value->is_string()) {
    return Status::InvalidArgument(name + ": must be a string path or null");
  }
  Result<JsonPath> path = JsonPath::Parse(value->get<std::string>());
  if (!path.ok()) {
    return Status::InvalidArgument(name + ": " + path.status().message());
  }
  if (!path->is_reference()) {
    return Status::InvalidArgument(
        name + ": \"" + path->text() +
        "\" is not a Reference Path (only '$', names and non-negative "
        "indices)");
  }
  if (!path->steps().empty()) out.path_ = std::move(path).value();
  return out;
}

Outcome<json> ResultPathRule::Apply(const json& raw_input,
                                    const json& result) const {
  if (discard_) return raw_input;
  if (!path_) return result;
  return Apply(json(raw_input), json(result));
}

Outcome<json> ResultPathRule::Apply(json&& raw_input, json&& result) const {
  if (discard_) return std::move(raw_input);
  if (!path_) return std::move(result);
  json out = std::move(raw_input);
  json* cur = &out;
  const auto& steps = path_->steps();
  for (size_t i = 0; i < steps.size(); ++i) {
    const PathSelector& sel = steps[i].selector;
    bool last = i + 1 == steps.size();
    if (sel.kind == PathSelector::Kind::kName) {
      if (!cur->is_object()) {
        return StatesError{kStatesResultPathMatchFailure,
                           "Unable to apply ResultPath '" + path_->text() +
                               "': the value it descends into is not an "
                               "object"};
      }
      if (last) {
        (*cur)[sel.name] = std::move(result);
        break;
      }
      auto it = cur->find(sel.name);
      if (it == cur->end()) {
        it = cur->emplace(sel.name, json::object()).first;
      }
      cur = &*it;
    } else {
      if (!cur->is_array() || sel.index < 0 ||
          static_cast<std::uint64_t>(sel.index) >= cur->size()) {
        return StatesError{kStatesResultPathMatchFailure,
                           "Unable to apply ResultPath '" + path_->text() +
                               "': index " + std::to_string(sel.index) +
                               " is not in an array"};
      }
      json& element = (*cur)[static_cast<size_t>(sel.index)];
      if (last) {
        element = std::move(result);
        break;
      }
      cur = &element;
    }
  }
  return out;
}

Result<StateIo> StateIo::Compile(const json& state, StateIoKind kind,
                                 std::string_view where) {
  if (!state.is_object()) {
    return Status::InvalidArgument(
        (where.empty() ? std::string("state") : std::string(where)) +
        ": a state must be an object");
  }
  const bool has_input_output = kind != StateIoKind::kFail;
  const bool has_parameters =
      kind == StateIoKind::kTask || kind == StateIoKind::kParallel ||
      kind == StateIoKind::kMap || kind == StateIoKind::kPass;
  const bool has_result_selector = kind == StateIoKind::kTask ||
                                   kind == StateIoKind::kParallel ||
                                   kind == StateIoKind::kMap;
  const bool has_result_path = has_parameters;
  const bool is_map = kind == StateIoKind::kMap;
  const bool is_pass = kind == StateIoKind::kPass;
  const std::pair<const char*, bool> kAllowed[] = {
      {"InputPath", has_input_output}, {"OutputPath", has_input_output},
      {"Parameters", has_parameters},  {"ResultSelector", has_result_selector},
      {"ResultPath", has_result_path}, {"ItemsPath", is_map},
      {"ItemSelector", is_map},        {"Result", is_pass},
  };
  for (const auto& [name, allowed] : kAllowed) {
    if (!allowed && state.contains(name)) {
      return Status::InvalidArgument(Join(where, name) +
                                     ": not allowed in this type of state");
    }
  }

  StateIo out;
  out.kind_ = kind;
  UNUM_ASSIGN_OR_RETURN(
      out.input_path_,
      SelectPath::Compile(Field(state, "InputPath"), Join(where, "InputPath")));
  UNUM_ASSIGN_OR_RETURN(out.output_path_,
                        SelectPath::Compile(Field(state, "OutputPath"),
                                            Join(where, "OutputPath")));
  UNUM_ASSIGN_OR_RETURN(
      out.items_path_,
      SelectPath::Compile(Field(state, "ItemsPath"), Join(where, "ItemsPath"),
                          /*allow_null=*/false));
  const json* parameters = Field(state, "Parameters");
  const char* parameters_name = "Parameters";
  if (const json* selector = Field(state, "ItemSelector")) {
    if (parameters) {
      return Status::InvalidArgument(
          Join(where, "ItemSelector") +
          ": not allowed together with Parameters (its older name)");
    }
    parameters = selector;
    parameters_name = "ItemSelector";
  }
  if (parameters) {
    UNUM_ASSIGN_OR_RETURN(
        PayloadTemplate t,
        PayloadTemplate::Compile(*parameters, Join(where, parameters_name)));
    out.parameters_ = std::move(t);
  }
  if (const json* selector = Field(state, "ResultSelector")) {
    UNUM_ASSIGN_OR_RETURN(
        PayloadTemplate t,
        PayloadTemplate::Compile(*selector, Join(where, "ResultSelector")));
    out.result_selector_ = std::move(t);
  }
  if (const json* result = Field(state, "Result")) out.result_ = *result;
  UNUM_ASSIGN_OR_RETURN(out.result_path_,
                        ResultPathRule::Compile(Field(state, "ResultPath"),
                                                Join(where, "ResultPath")));
  return out;
}

bool StateIo::uses_context() const {
  return input_path_.uses_context() || items_path_.uses_context() ||
         output_path_.uses_context() ||
         (parameters_ && parameters_->uses_context()) ||
         (result_selector_ && result_selector_->uses_context());
}

Outcome<json> StateIo::EffectiveInput(const json& raw_input,
                                      const json& context) const {
  Outcome<json> input = input_path_.Apply(raw_input, context);
  if (!input.ok() || !parameters_ || kind_ == StateIoKind::kMap) return input;
  return parameters_->Evaluate(*input, context);
}

Outcome<json> StateIo::MapItems(const json& effective_input,
                                const json& context) const {
  Outcome<json> items = items_path_.Apply(effective_input, context);
  if (!items.ok()) return items;
  if (!items->is_array()) {
    return StatesError{kStatesRuntime, "ItemsPath must select an array, got " +
                                           JsonForMessage(*items)};
  }
  return items;
}

Outcome<json> StateIo::MapItemInput(const json& effective_input,
                                    std::int64_t index, json item,
                                    const json& context) const {
  if (!parameters_) return item;
  if (!parameters_->uses_context()) {
    return parameters_->Evaluate(effective_input, context);
  }
  return parameters_->Evaluate(effective_input,
                               WithMapItem(context, index, item));
}

json StateIo::PassResult(json effective_input) const {
  return result_ ? *result_ : std::move(effective_input);
}

bool StateIo::has_result_path() const {
  return kind_ == StateIoKind::kTask || kind_ == StateIoKind::kParallel ||
         kind_ == StateIoKind::kMap || kind_ == StateIoKind::kPass;
}

Outcome<json> StateIo::Output(const json& raw_input, json result,
                              const json& context) const {
  // Only a ResultPath that keeps the raw input (null, or a path into it)
  // needs a copy of it.
  const bool keeps_raw = has_result_path() && (result_path_.discards_result() ||
                                               result_path_.path().has_value());
  return Output(keeps_raw ? json(raw_input) : json(), std::move(result),
                context);
}

Outcome<json> StateIo::Output(json&& raw_input, json result,
                              const json& context) const {
  if (result_selector_) {
    Outcome<json> selected = result_selector_->Evaluate(result, context);
    if (!selected.ok()) return selected;
    result = std::move(selected).value();
  }
  if (has_result_path()) {
    Outcome<json> combined =
        result_path_.Apply(std::move(raw_input), std::move(result));
    if (!combined.ok()) return combined;
    result = std::move(combined).value();
  }
  return output_path_.Apply(std::move(result), context);
}

}  // namespace unum::asl
