// The States Language input and output processing of one state (spec,
// "Input and Output Processing"): InputPath -> Parameters (or, for Map,
// ItemsPath -> ItemSelector per item) -> the state's work -> ResultSelector
// -> ResultPath -> OutputPath.
//
// Field semantics:
//  * InputPath / OutputPath / ItemsPath: absent means "$"; JSON null means
//    {} (not for ItemsPath). A definite path that matches nothing is
//    States.Runtime, as in AWS Step Functions and aws-local-stepfunctions
//    (the spec names no error for it).
//  * Parameters / ResultSelector / ItemSelector: a PayloadTemplate.
//  * ResultPath: absent means "$" (the result replaces the input); null
//    discards the result and keeps the raw input; otherwise a Reference
//    Path at which the result is stored into a copy of the raw input,
//    creating missing objects on the way. Storing through a value that is
//    not an object (or an index that is not in an array) is
//    States.ResultPathMatchFailure.
//
// Compile once per state (errors are InvalidArgument naming the field),
// then run the steps per execution. Thread-safety: immutable after Compile.
#ifndef UNUM_ASL_DATAFLOW_PATH_RULES_H_
#define UNUM_ASL_DATAFLOW_PATH_RULES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "asl/dataflow/json_path.h"
#include "asl/dataflow/payload_template.h"
#include "asl/states_error.h"
#include "unum/status.h"

namespace unum::asl {

// InputPath, OutputPath or ItemsPath.
class SelectPath {
 public:
  // `value` is the field's JSON, or nullptr when the field is absent.
  // `field` names it in errors ("Check.InputPath"). With !allow_null a
  // JSON null is InvalidArgument (ItemsPath).
  static Result<SelectPath> Compile(const nlohmann::json* value,
                                    std::string_view field,
                                    bool allow_null = true);

  Outcome<nlohmann::json> Apply(const nlohmann::json& value,
                                const nlohmann::json& context) const;
  // The same, consuming `value` (moved through when the path is absent).
  Outcome<nlohmann::json> Apply(nlohmann::json&& value,
                                const nlohmann::json& context) const;

  bool is_default() const { return !is_null_ && !path_; }
  // Whether Apply reads `context` (a `$$` path).
  bool uses_context() const { return path_ && path_->is_context(); }
  bool is_null() const { return is_null_; }
  const std::optional<JsonPath>& path() const { return path_; }

 private:
  // Apply when the field is null or a path.
  Outcome<nlohmann::json> Select(const nlohmann::json& value,
                                 const nlohmann::json& context) const;

  std::string field_;
  bool is_null_ = false;
  std::optional<JsonPath> path_;
};

// ResultPath of a state or of a Catch clause.
class ResultPathRule {
 public:
  static Result<ResultPathRule> Compile(const nlohmann::json* value,
                                        std::string_view field);

  // Combines the state's raw input with its result.
  Outcome<nlohmann::json> Apply(const nlohmann::json& raw_input,
                                const nlohmann::json& result) const;
  // The same, consuming both (each is moved into the output, not copied).
  Outcome<nlohmann::json> Apply(nlohmann::json&& raw_input,
                                nlohmann::json&& result) const;

  bool discards_result() const { return discard_; }
  // nullopt when the result replaces the input ("$" or absent).
  const std::optional<JsonPath>& path() const { return path_; }

 private:
  bool discard_ = false;
  std::optional<JsonPath> path_;
};

enum class StateIoKind {
  kTask,
  kParallel,
  kMap,
  kPass,
  kChoice,
  kWait,
  kSucceed,
  kFail
};

// All the input/output fields of one state.
class StateIo {
 public:
  // Reads the I/O fields of `state` (a state's JSON object). A field the
  // kind does not have (ResultSelector in a Pass state, Parameters in a
  // Choice state...) is InvalidArgument. `where` prefixes field names in
  // errors (e.g. the state's name); may be empty.
  static Result<StateIo> Compile(const nlohmann::json& state, StateIoKind kind,
                                 std::string_view where);

  // InputPath, then (Task, Parallel, Pass) Parameters. For Map this is only
  // InputPath; see MapItems and MapItemInput.
  Outcome<nlohmann::json> EffectiveInput(const nlohmann::json& raw_input,
                                         const nlohmann::json& context) const;
  // True when EffectiveInput returns the raw input unchanged (no InputPath,
  // no Parameters): a caller may then use the raw input in its place.
  bool effective_input_is_raw() const {
    return input_path_.is_default() &&
           (!parameters_ || kind_ == StateIoKind::kMap);
  }

  // Map: the array ItemsPath selects from the effective input. Not an
  // array: States.Runtime.
  Outcome<nlohmann::json> MapItems(const nlohmann::json& effective_input,
                                   const nlohmann::json& context) const;

  // Map: the input of the iteration over `item` at `index`: ItemSelector
  // (or the older Parameters) evaluated with `$` the effective input and
  // $$.Map.Item set; the item itself when neither is given.
  Outcome<nlohmann::json> MapItemInput(const nlohmann::json& effective_input,
                                       std::int64_t index, nlohmann::json item,
                                       const nlohmann::json& context) const;

  // Pass: the Result field when present, else the effective input.
  nlohmann::json PassResult(nlohmann::json effective_input) const;

  // ResultSelector (Task, Parallel, Map), ResultPath (Task, Parallel, Map,
  // Pass), OutputPath. For Choice, Wait and Succeed pass the effective
  // input as `result`: only OutputPath applies.
  Outcome<nlohmann::json> Output(const nlohmann::json& raw_input,
                                 nlohmann::json result,
                                 const nlohmann::json& context) const;
  // The same, consuming the raw input too (moved into the output where
  // ResultPath keeps it).
  Outcome<nlohmann::json> Output(nlohmann::json&& raw_input,
                                 nlohmann::json result,
                                 const nlohmann::json& context) const;

  StateIoKind kind() const { return kind_; }

  // Whether any step above reads its `context` argument (a `$$` path or an
  // intrinsic argument in one of the fields; a Map's ItemSelector reading
  // $$.Map.Item counts). When false, every step ignores `context` and the
  // caller may pass null instead of building the context object.
  bool uses_context() const;

 private:
  // Task, Parallel, Map, Pass.
  bool has_result_path() const;

  StateIoKind kind_ = StateIoKind::kPass;
  SelectPath input_path_;
  SelectPath items_path_;
  std::optional<PayloadTemplate> parameters_;  // ItemSelector for Map
  std::optional<PayloadTemplate> result_selector_;
  std::optional<nlohmann::json> result_;  // Pass
  ResultPathRule result_path_;
  SelectPath output_path_;
};

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_PATH_RULES_H_
