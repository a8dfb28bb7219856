// ParseState: one state's JSON object into a State. Checks which fields
// the state type allows, their types, the combinations the States Language
// forbids, Retry/Catch rules, and rejects unsupported features by name.
#include <map>
#include <set>
#include <string>
#include <utility>

#include "asl/definition/intrinsics.h"
#include "asl/definition/parse_util.h"

namespace unum::asl {
namespace {

using nlohmann::json;

struct TypeInfo {
  StateType type;
  std::set<std::string_view> fields;       // besides Type/Comment/...
  std::set<std::string_view> unsupported;  // rejected with a reason
};

const std::map<std::string_view, TypeInfo>& Types() {
  static const std::map<std::string_view, TypeInfo> types = {
      {"Task",
       {StateType::kTask,
        {"Resource", "Parameters", "ResultSelector", "ResultPath", "InputPath",
         "OutputPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath",
         "Next", "End"},
        {"HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"}}},
      {"Pass",
       {StateType::kPass,
        {"Result", "Parameters", "ResultPath", "InputPath", "OutputPath",
         "Next", "End"},
        {}}},
      {"Choice",
       {StateType::kChoice,
        {"Choices", "Default", "InputPath", "OutputPath"},
        {}}},
      {"Wait",
       {StateType::kWait,
        {"Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath",
         "OutputPath", "Next", "End"},
        {}}},
      {"Succeed", {StateType::kSucceed, {"InputPath", "OutputPath"}, {}}},
      {"Fail",
       {StateType::kFail, {"Error", "ErrorPath", "Cause", "CausePath"}, {}}},
      {"Parallel",
       {StateType::kParallel,
        {"Branches", "Parameters", "ResultSelector", "ResultPath", "InputPath",
         "OutputPath", "Retry", "Catch", "Next", "End"},
        {}}},
      {"Map",
       {StateType::kMap,
        {"Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "Parameters",
         "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector", "ResultPath",
         "InputPath", "OutputPath", "Retry", "Catch", "Next", "End"},
        {"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount",
         "ToleratedFailureCountPath", "ToleratedFailurePercentage",
         "ToleratedFailurePercentagePath", "Label", "Items"}}},
  };
  return types;
}

// Why an unsupported field is rejected.
std::string_view UnsupportedReason(std::string_view field) {
  static const std::map<std::string_view, std::string_view> reasons = {
      {"HeartbeatSeconds", "task heartbeats"},
      {"HeartbeatSecondsPath", "task heartbeats"},
      {"Credentials", "cross-account task credentials"},
      {"ItemReader", "distributed Map"},
      {"ItemBatcher", "distributed Map"},
      {"ResultWriter", "distributed Map"},
      {"ToleratedFailureCount", "distributed Map"},
      {"ToleratedFailureCountPath", "distributed Map"},
      {"ToleratedFailurePercentage", "distributed Map"},
      {"ToleratedFailurePercentagePath", "distributed Map"},
      {"Label", "distributed Map"},
      {"Arguments", "JSONata"},
      {"Items", "JSONata"},
      {"Output", "JSONata"},
      {"Assign", "workflow variables"},
  };
  auto it = reasons.find(field);
  return it == reasons.end() ? "" : it->second;
}

// Checks every field name of the state against its type.
Status CheckFieldNames(const OJson& state, const std::string& type_name,
                       const TypeInfo& info, const FieldReader& fields) {
  static const std::set<std::string_view> kCommon = {"Type", "Comment",
                                                     "QueryLanguage"};
  static const std::set<std::string_view> kAnyUnsupported = {
      "Arguments", "Output", "Assign"};
  for (const auto& [key, value] : state.items()) {
    if (kCommon.count(key) || info.fields.count(key)) continue;
    if (info.unsupported.count(key) || kAnyUnsupported.count(key)) {
      return fields.Error(
          key, "not supported (" + std::string(UnsupportedReason(key)) + ")");
    }
    bool known_elsewhere = false;
    for (const auto& [other_name, other] : Types()) {
      if (other.fields.count(key) || other.unsupported.count(key)) {
        known_elsewhere = true;
      }
    }
    if (known_elsewhere) {
      return fields.Error(key, "not allowed in a " + type_name + " state");
    }
    return fields.Error(key, "unknown field in a " + type_name + " state");
  }
  return Status::Ok();
}

// "States.ALL" must be alone in its ErrorEquals and in the last rule.
Status CheckErrorEquals(const std::vector<std::string>& errors, size_t index,
                        size_t count, const FieldReader& fields,
                        std::string_view what) {
  for (const std::string& e : errors) {
    if (e != kStatesAll) continue;
    if (errors.size() != 1) {
      return fields.Error("ErrorEquals",
                          "\"States.ALL\" must be the only error name");
    }
    if (index + 1 != count) {
      return fields.Error("ErrorEquals", "a " + std::string(what) +
                                             " with \"States.ALL\" must be "
                                             "the last one");
    }
  }
  return Status::Ok();
}

// Rejects any field of `object` not in `allowed`.
Status CheckOnly(const OJson& object, const std::set<std::string_view>& allowed,
                 const FieldReader& fields) {
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) return fields.Error(key, "unknown field");
  }
  return Status::Ok();
}

Result<std::vector<Retrier>> ParseRetry(const OJson& value,
                                        const Location& loc) {
  if (!value.is_array()) {
    return loc.Error("Retry", "must be an array, got " + TypeOf(value));
  }
  std::vector<Retrier> out;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string prefix = "Retry[" + std::to_string(i) + "].";
    const OJson& r = value[i];
    if (!r.is_object()) {
      return loc.Error(prefix.substr(0, prefix.size() - 1),
                       "must be a JSON object, got " + TypeOf(r));
    }
    FieldReader f(r, loc, prefix);
    UNUM_RETURN_IF_ERROR(CheckOnly(
        r,
        {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
         "MaxDelaySeconds", "JitterStrategy", "Comment"},
        f));
    Retrier retrier;
    UNUM_ASSIGN_OR_RETURN(auto errors, f.StringList("ErrorEquals"));
    if (!errors) return f.Error("ErrorEquals", "is required");
    UNUM_RETURN_IF_ERROR(
        CheckErrorEquals(*errors, i, value.size(), f, "retrier"));
    retrier.error_equals = std::move(*errors);
    UNUM_ASSIGN_OR_RETURN(auto interval, f.Integer("IntervalSeconds", 1));
    if (interval) retrier.interval_seconds = *interval;
    UNUM_ASSIGN_OR_RETURN(auto attempts, f.Integer("MaxAttempts", 0));
    if (attempts) retrier.max_attempts = *attempts;
    UNUM_ASSIGN_OR_RETURN(auto backoff, f.Number("BackoffRate"));
    if (backoff) {
      if (*backoff < 1.0) {
        return f.Error("BackoffRate", "must be a number >= 1.0, got " +
                                          r["BackoffRate"].dump());
      }
      retrier.backoff_rate = *backoff;
    }
    UNUM_ASSIGN_OR_RETURN(retrier.max_delay_seconds,
                          f.Integer("MaxDelaySeconds", 1));
    UNUM_ASSIGN_OR_RETURN(auto jitter, f.String("JitterStrategy"));
    if (jitter) {
      if (*jitter == "FULL") {
        retrier.jitter_strategy = JitterStrategy::kFull;
      } else if (*jitter != "NONE") {
        return f.Error("JitterStrategy",
                       "must be \"FULL\" or \"NONE\", got \"" + *jitter + "\"");
      }
    }
    UNUM_RETURN_IF_ERROR(f.String("Comment").status());  // type check only
    out.push_back(std::move(retrier));
  }
  return out;
}

Result<std::vector<Catcher>> ParseCatch(const OJson& value,
                                        const Location& loc) {
  if (!value.is_array()) {
    return loc.Error("Catch", "must be an array, got " + TypeOf(value));
  }
  std::vector<Catcher> out;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string prefix = "Catch[" + std::to_string(i) + "].";
    const OJson& c = value[i];
    if (!c.is_object()) {
      return loc.Error(prefix.substr(0, prefix.size() - 1),
                       "must be a JSON object, got " + TypeOf(c));
    }
    FieldReader f(c, loc, prefix);
    for (std::string_view key : {"Output", "Assign", "Arguments"}) {
      if (f.Has(key)) {
        return f.Error(
            key, "not supported (" + std::string(UnsupportedReason(key)) + ")");
      }
    }
    UNUM_RETURN_IF_ERROR(
        CheckOnly(c, {"ErrorEquals", "Next", "ResultPath", "Comment"}, f));
    Catcher catcher;
    UNUM_ASSIGN_OR_RETURN(auto errors, f.StringList("ErrorEquals"));
    if (!errors) return f.Error("ErrorEquals", "is required");
    UNUM_RETURN_IF_ERROR(
        CheckErrorEquals(*errors, i, value.size(), f, "catcher"));
    catcher.error_equals = std::move(*errors);
    UNUM_ASSIGN_OR_RETURN(auto next, f.String("Next"));
    if (!next) return f.Error("Next", "is required");
    catcher.next = std::move(*next);
    UNUM_ASSIGN_OR_RETURN(catcher.result_path, f.NullablePath("ResultPath"));
    UNUM_RETURN_IF_ERROR(f.String("Comment").status());  // type check only
    out.push_back(std::move(catcher));
  }
  return out;
}

// True for RFC 3339 timestamps as the spec profiles them:
// 2016-03-14T01:59:00Z, 2016-03-14T01:59:00.123+01:00 (uppercase T and Z).
bool IsTimestamp(std::string_view s) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4) || s.size() < 20 || s[4] != '-' || !digits(5, 2) ||
      s[7] != '-' || !digits(8, 2) || s[10] != 'T' || !digits(11, 2) ||
      s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2)) {
    return false;
  }
  size_t i = 19;
  if (s[i] == '.') {
    ++i;
    size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == from) return false;
  }
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') &&
         digits(i + 1, 2) && s[i + 3] == ':' && digits(i + 4, 2);
}

Status ParseTransition(const FieldReader& f, const std::string& type_name,
                       State& state) {
  UNUM_ASSIGN_OR_RETURN(state.next, f.String("Next"));
  UNUM_ASSIGN_OR_RETURN(auto end, f.Bool("End"));
  state.end = end.value_or(false);
  if (state.next && state.end) {
    return f.Error("End", "cannot be true when Next is set");
  }
  if (!state.next && !state.end) {
    return f.Error("Next",
                   "a " + type_name + " state needs Next or \"End\": true");
  }
  return Status::Ok();
}

Status ParseChoices(const OJson& obj, const FieldReader& f, State& state) {
  if (!f.Has("Choices")) return f.Error("Choices", "is required");
  const OJson& choices = obj["Choices"];
  if (!choices.is_array() || choices.empty()) {
    return f.Error("Choices", "must be a non-empty array of rules");
  }
  for (size_t i = 0; i < choices.size(); ++i) {
    std::string name = "Choices[" + std::to_string(i) + "]";
    const OJson& rule = choices[i];
    if (!rule.is_object()) {
      return f.Error(name, "must be a JSON object, got " + TypeOf(rule));
    }
    FieldReader rf(rule, f.loc(), name + ".");
    UNUM_ASSIGN_OR_RETURN(auto next, rf.String("Next"));
    if (!next) return rf.Error("Next", "is required");
    state.choices.push_back(ChoiceEntry{json(rule), *next});
  }
  UNUM_ASSIGN_OR_RETURN(state.default_next, f.String("Default"));
  return Status::Ok();
}

Status ParseWait(const FieldReader& f, State& state) {
  UNUM_ASSIGN_OR_RETURN(state.seconds, f.Integer("Seconds", 0));
  UNUM_ASSIGN_OR_RETURN(state.seconds_path, f.Path("SecondsPath"));
  UNUM_ASSIGN_OR_RETURN(state.timestamp, f.String("Timestamp"));
  UNUM_ASSIGN_OR_RETURN(state.timestamp_path, f.Path("TimestampPath"));
  int count = state.seconds.has_value() + state.seconds_path.has_value() +
              state.timestamp.has_value() + state.timestamp_path.has_value();
  if (count != 1) {
    return f.Error(count == 0 ? "Seconds" : "SecondsPath",
                   "a Wait state needs exactly one of Seconds, SecondsPath, "
                   "Timestamp, TimestampPath");
  }
  if (state.timestamp && !IsTimestamp(*state.timestamp)) {
    return f.Error("Timestamp",
                   "must be an RFC 3339 timestamp such as "
                   "2016-03-14T01:59:00Z, got \"" +
                       *state.timestamp + "\"");
  }
  return Status::Ok();
}

// ErrorPath / CausePath: a path or an intrinsic call.
Result<std::optional<std::string>> PathOrIntrinsic(const FieldReader& f,
                                                   std::string_view key) {
  UNUM_ASSIGN_OR_RETURN(auto s, f.String(key));
  if (!s) return s;
  if (!s->empty() && (*s)[0] == '$') return s;
  if (LooksLikeIntrinsic(*s)) {
    Result<IntrinsicCall> call = ParseIntrinsic(*s);
    if (!call.ok()) return f.Error(key, call.status().message());
    return s;
  }
  return f.Error(key,
                 "must be a path starting with '$' or an intrinsic "
                 "function, got \"" +
                     *s + "\"");
}

Status ParseFail(const FieldReader& f, State& state) {
  UNUM_ASSIGN_OR_RETURN(state.error, f.String("Error"));
  UNUM_ASSIGN_OR_RETURN(state.error_path, PathOrIntrinsic(f, "ErrorPath"));
  UNUM_ASSIGN_OR_RETURN(state.cause, f.String("Cause"));
  UNUM_ASSIGN_OR_RETURN(state.cause_path, PathOrIntrinsic(f, "CausePath"));
  if (state.error && state.error_path) {
    return f.Error("ErrorPath", "cannot be used together with Error");
  }
  if (state.cause && state.cause_path) {
    return f.Error("CausePath", "cannot be used together with Cause");
  }
  return Status::Ok();
}

Status ParseParallel(const OJson& obj, const FieldReader& f, State& state) {
  if (!f.Has("Branches")) return f.Error("Branches", "is required");
  const OJson& branches = obj["Branches"];
  if (!branches.is_array() || branches.empty()) {
    return f.Error("Branches", "must be a non-empty array of state machines");
  }
  for (size_t i = 0; i < branches.size(); ++i) {
    UNUM_ASSIGN_OR_RETURN(
        StateMachine branch,
        ParseMachine(branches[i], f.loc().Branch(i), MachineKind::kBranch));
    state.branches.push_back(std::move(branch));
  }
  return Status::Ok();
}

Status ParseMap(const OJson& obj, const FieldReader& f, State& state) {
  bool has_iterator = f.Has("Iterator");
  bool has_processor = f.Has("ItemProcessor");
  if (has_iterator && has_processor) {
    return f.Error("Iterator", "cannot be used together with ItemProcessor");
  }
  if (!has_iterator && !has_processor) {
    return f.Error("ItemProcessor", "is required (or Iterator)");
  }
  const char* key = has_iterator ? "Iterator" : "ItemProcessor";
  state.uses_iterator_field = has_iterator;
  UNUM_ASSIGN_OR_RETURN(
      StateMachine processor,
      ParseMachine(obj[key], f.loc().Child(key), MachineKind::kItemProcessor));
  state.item_processor = std::move(processor);
  UNUM_ASSIGN_OR_RETURN(state.items_path, f.Path("ItemsPath"));
  if (f.Has("ItemSelector") && f.Has("Parameters")) {
    return f.Error("Parameters", "cannot be used together with ItemSelector");
  }
  UNUM_ASSIGN_OR_RETURN(
      state.item_selector,
      f.Template(f.Has("ItemSelector") ? "ItemSelector" : "Parameters"));
  UNUM_ASSIGN_OR_RETURN(auto max, f.Integer("MaxConcurrency", 0));
  state.max_concurrency = max.value_or(0);
  UNUM_ASSIGN_OR_RETURN(state.max_concurrency_path,
                        f.Path("MaxConcurrencyPath"));
  if (max && state.max_concurrency_path) {
    return f.Error("MaxConcurrencyPath",
                   "cannot be used together with MaxConcurrency");
  }
  return Status::Ok();
}

}  // namespace

Result<State> ParseState(const std::string& name, const OJson& value,
                         const Location& machine_loc) {
  Location loc = machine_loc.State(name);
  if (!value.is_object()) {
    return loc.Error("", "must be a JSON object, got " + TypeOf(value));
  }
  FieldReader f(value, loc);
  UNUM_ASSIGN_OR_RETURN(auto type_name, f.String("Type"));
  if (!type_name) return f.Error("Type", "is required");
  auto type_it = Types().find(*type_name);
  if (type_it == Types().end()) {
    return f.Error("Type", "unknown state type \"" + *type_name + "\"");
  }
  const TypeInfo& info = type_it->second;
  UNUM_RETURN_IF_ERROR(CheckQueryLanguage(f));
  UNUM_RETURN_IF_ERROR(CheckFieldNames(value, *type_name, info, f));

  State state;
  state.name = name;
  state.type = info.type;
  UNUM_ASSIGN_OR_RETURN(state.comment, f.String("Comment"));
  UNUM_ASSIGN_OR_RETURN(state.input_path, f.NullablePath("InputPath"));
  UNUM_ASSIGN_OR_RETURN(state.output_path, f.NullablePath("OutputPath"));
  UNUM_ASSIGN_OR_RETURN(state.result_path, f.NullablePath("ResultPath"));
  if (info.type != StateType::kMap) {
    UNUM_ASSIGN_OR_RETURN(state.parameters, f.Template("Parameters"));
  }
  UNUM_ASSIGN_OR_RETURN(state.result_selector, f.Template("ResultSelector"));
  if (f.Has("Retry")) {
    UNUM_ASSIGN_OR_RETURN(state.retry, ParseRetry(value["Retry"], loc));
  }
  if (f.Has("Catch")) {
    UNUM_ASSIGN_OR_RETURN(state.catchers, ParseCatch(value["Catch"], loc));
  }

  switch (info.type) {
    case StateType::kTask: {
      UNUM_ASSIGN_OR_RETURN(auto resource, f.String("Resource"));
      if (!resource) return f.Error("Resource", "is required");
      if (resource->empty()) return f.Error("Resource", "must not be empty");
      state.resource = std::move(*resource);
      UNUM_ASSIGN_OR_RETURN(state.timeout_seconds,
                            f.Integer("TimeoutSeconds", 1));
      UNUM_ASSIGN_OR_RETURN(state.timeout_seconds_path,
                            f.Path("TimeoutSecondsPath"));
      if (state.timeout_seconds && state.timeout_seconds_path) {
        return f.Error("TimeoutSecondsPath",
                       "cannot be used together with TimeoutSeconds");
      }
      break;
    }
    case StateType::kPass:
      state.result = f.Raw("Result");
      break;
    case StateType::kChoice:
      UNUM_RETURN_IF_ERROR(ParseChoices(value, f, state));
      break;
    case StateType::kWait:
      UNUM_RETURN_IF_ERROR(ParseWait(f, state));
      break;
    case StateType::kSucceed:
      break;
    case StateType::kFail:
      UNUM_RETURN_IF_ERROR(ParseFail(f, state));
      break;
    case StateType::kParallel:
      UNUM_RETURN_IF_ERROR(ParseParallel(value, f, state));
      break;
    case StateType::kMap:
      UNUM_RETURN_IF_ERROR(ParseMap(value, f, state));
      break;
  }
  if (info.fields.count("Next")) {
    UNUM_RETURN_IF_ERROR(ParseTransition(f, *type_name, state));
  }
  return state;
}

}  // namespace unum::asl
