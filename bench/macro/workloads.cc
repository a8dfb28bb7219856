#include "bench/macro/workloads.h"

#include <fmt/core.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "app/runner.h"
#include "common/json_text.h"
#include "common/uuid.h"
#include "ir/ir_parser.h"
#include "ir/ir_validator.h"
#include "unum/datastore.h"
#include "unum/function.h"

namespace unum::bench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Result<int64_t> ParseCount(const std::string& spec, std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) {
    return Status::InvalidArgument("case \"" + spec +
                                   "\": expected a positive count, got \"" +
                                   std::string(text) + "\"");
  }
  return n;
}

Result<json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot be read");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseJsonText(buf.str(), path.string());
}

Status WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return Status::Internal(path.string() + ": cannot be written");
  return Status::Ok();
}

// Collects IR built in code into an app whose functions are C++ lambdas.
class Builder {
 public:
  explicit Builder(std::string name) { w_.name = std::move(name); }

  Builder& Fn(const json& ir, std::function<json(const json&)> code) {
    auto config = ir::ParseFunctionConfig(ir, w_.name + " (built in code)");
    if (!config.ok()) {
      if (error_.ok()) error_ = config.status();
      return *this;
    }
    app::FunctionSpec spec;
    spec.name = config->name;
    spec.code_function = config->name;
    spec.runtime = app::FunctionRuntime::kCpp;
    spec.config = *config;
    if (config->start) w_.app.start_function = config->name;
    w_.functions.functions[config->name] =
        app::WrapHandler([code = std::move(code)](const Json& in, Context&) {
          return code(in);
        });
    configs_.push_back(std::move(config).value());
    w_.app.functions[spec.name] = std::move(spec);
    return *this;
  }

  Result<Workload> Build(json input, int64_t instances, json result) {
    if (!error_.ok()) return error_;
    UNUM_RETURN_IF_ERROR(ir::ValidateApp(configs_));
    w_.app.name = "bench-" + w_.name;
    w_.input = std::move(input);
    w_.expected_instances = instances;
    w_.expected_result = std::move(result);
    return std::move(w_);
  }

 private:
  Workload w_;
  std::vector<ir::FunctionConfig> configs_;
  Status error_;
};

json Scalar(const std::string& next) {
  return {{"Name", next}, {"InputType", "Scalar"}};
}
json MapEdge(const std::string& next) {
  return {{"Name", next}, {"InputType", "Map"}};
}
json FanIn(const std::string& next, const std::string& values) {
  return {{"Name", next}, {"InputType", {{"Fan-in", {{"Values", {values}}}}}}};
}

json Range(int64_t n) {
  json a = json::array();
  for (int64_t i = 0; i < n; ++i) a.push_back(i);
  return a;
}

// Step_0 .. Step_{n-1}; each adds one.
Result<Workload> Chain(int64_t n) {
  Builder b(fmt::format("chain-{}", n));
  auto add_one = [](const json& in) { return json(in.get<int64_t>() + 1); };
  for (int64_t i = 0; i < n; ++i) {
    json ir = {{"Name", fmt::format("Step_{}", i)}};
    if (i == 0) ir["Start"] = true;
    if (i + 1 < n) ir["Next"] = Scalar(fmt::format("Step_{}", i + 1));
    b.Fn(ir, add_one);
  }
  return b.Build(0, n, n);
}

// Fan -Map-> Work x n -> fan-in Gather (the sum).
Result<Workload> Map(int64_t n) {
  Builder b(fmt::format("map-{}", n));
  b.Fn({{"Name", "Fan"}, {"Start", true}, {"Next", MapEdge("Work")}},
       [](const json& in) { return Range(in.get<int64_t>()); });
  b.Fn({{"Name", "Work"},
        {"Next", FanIn("Gather", "Work-unumIndex-*")},
        {"Next Payload Modifiers", {"Pop"}}},
       [](const json& in) { return json(in.get<int64_t>() * 2); });
  b.Fn({{"Name", "Gather"}}, [](const json& in) {
    int64_t sum = 0;
    for (const json& x : in) sum += x.get<int64_t>();
    return json(sum);
  });
  return b.Build(n, n + 2, n * (n - 1));
}

// Source -Map-> width lanes of Stage_1 .. Stage_depth -> fan-in Sink.
Result<Workload> Pipeline(int64_t width, int64_t depth) {
  Builder b(fmt::format("pipeline-{}x{}", width, depth));
  b.Fn({{"Name", "Source"}, {"Start", true}, {"Next", MapEdge("Stage_1")}},
       [](const json& in) { return Range(in.get<int64_t>()); });
  auto add_one = [](const json& in) { return json(in.get<int64_t>() + 1); };
  for (int64_t s = 1; s <= depth; ++s) {
    json ir = {{"Name", fmt::format("Stage_{}", s)}};
    if (s < depth) {
      ir["Next"] = Scalar(fmt::format("Stage_{}", s + 1));
    } else {
      ir["Next"] = FanIn("Sink", fmt::format("Stage_{}-unumIndex-*", s));
      ir["Next Payload Modifiers"] = {"Pop"};
    }
    b.Fn(ir, add_one);
  }
  b.Fn({{"Name", "Sink"}}, [](const json& in) {
    int64_t sum = 0;
    for (const json& x : in) sum += x.get<int64_t>();
    return json(sum);
  });
  return b.Build(width, width * depth + 2,
                 width * (width - 1) / 2 + width * depth);
}

Result<Workload> Example(const std::string& name, const WorkloadDirs& dirs) {
  const fs::path dir = fs::path(dirs.examples) / name;
  Workload w;
  w.name = "example-" + name;
  UNUM_ASSIGN_OR_RETURN(w.app, app::LoadApp(dir.string()));
  const std::string module =
      (fs::path(dirs.modules) / (w.app.name + ".so")).string();
  UNUM_ASSIGN_OR_RETURN(w.functions, app::LoadFunctions(w.app, module));
  UNUM_ASSIGN_OR_RETURN(w.input, ReadJsonFile(dir / "events" / "event.json"));
  const fs::path expected = dir / "expected" / "output.json";
  if (fs::exists(expected)) {
    UNUM_ASSIGN_OR_RETURN(w.expected_result, ReadJsonFile(expected));
  }
  return w;
}

// Visits every state of a definition, with Parallel branches and Map
// processors.
void ForEachState(
    const json& machine,
    const std::function<void(const std::string&, const json&)>& fn) {
  if (!machine.is_object() || !machine.contains("States")) return;
  for (const auto& [name, state] : machine.at("States").items()) {
    fn(name, state);
    if (!state.is_object()) continue;
    if (state.contains("Branches")) {
      for (const json& branch : state.at("Branches")) ForEachState(branch, fn);
    }
    if (state.contains("ItemProcessor")) {
      ForEachState(state.at("ItemProcessor"), fn);
    }
    if (state.contains("Iterator")) ForEachState(state.at("Iterator"), fn);
  }
}

json TaskState(const std::string& next) {
  json s = {{"Type", "Task"}, {"Resource", "Noop"}};
  if (next.empty()) {
    s["End"] = true;
  } else {
    s["Next"] = next;
  }
  return s;
}

// A resource's no-op: the output recorded for its input (canonical JSON
// text), or, with no recording, the input itself.
FunctionHandler NoopTask(const std::string& resource, const json& recorded) {
  if (recorded.is_null()) {
    return [](const Json& in, Context&) { return in; };
  }
  auto outputs = std::make_shared<std::map<std::string, json>>();
  for (const json& pair : recorded) {
    (*outputs)[ToJsonText(pair.at("input"))] = pair.at("output");
  }
  return [resource, outputs](const Json& in, Context&) -> Json {
    auto it = outputs->find(ToJsonText(in));
    if (it == outputs->end()) {
      throw std::runtime_error("no-op task " + resource +
                               ": no output recorded for its input " +
                               ToJsonText(in).substr(0, 200));
    }
    return it->second;
  };
}

// Runs `machine` in Unum: a temporary app directory holds the definition
// and a template naming every Task resource; each is a no-op (NoopTask).
Result<Workload> StateMachineWorkload(const std::string& spec,
                                      const StateMachineCase& sm) {
  const fs::path dir = fs::temp_directory_path() / ("unum-bench-" + NewUuid());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal(dir.string() + ": " + ec.message());
  auto remove_dir = std::shared_ptr<void>(nullptr, [dir](void*) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  });
  std::set<std::string> resources;
  ForEachState(sm.definition, [&](const std::string&, const json& state) {
    if (state.is_object() && state.value("Type", "") == "Task" &&
        state.contains("Resource") && state.at("Resource").is_string()) {
      resources.insert(state.at("Resource").get<std::string>());
    }
  });
  json functions = json::object();
  FunctionRegistry registry;
  for (const std::string& r : resources) {
    functions[r] = {{"Properties", {{"CodeUri", "./"}, {"Runtime", "cpp"}}}};
    registry.Add(r,
                 NoopTask(r, sm.task_outputs.contains(r) ? sm.task_outputs.at(r)
                                                         : json()));
  }
  // JSON is YAML: the template is written with the JSON library.
  const json tmpl = {{"Globals", {{"ApplicationName", "bench-sfn"}}},
                     {"Functions", functions}};
  UNUM_RETURN_IF_ERROR(WriteFile(dir / "unum-template.yaml", tmpl.dump(2)));
  UNUM_RETURN_IF_ERROR(
      WriteFile(dir / "definition.json", sm.definition.dump(2)));
  Workload w;
  w.name = spec;
  UNUM_ASSIGN_OR_RETURN(
      w.app, app::LoadApp(dir.string(), (dir / "definition.json").string()));
  UNUM_ASSIGN_OR_RETURN(w.functions, app::LoadFunctions(w.app, "", &registry));
  w.input = sm.input;
  w.expected_result = sm.expected;
  w.keep_alive = remove_dir;
  return w;
}

// Runs the example's IR workflow once (memory store, embedded platform)
// and records, by function, the output each input gave (every branch of a
// Map its own), and the result. The same input giving two outputs is an
// error: the functions must be deterministic for the recording to stand
// in for them.
struct Recorded {
  json task_outputs = json::object();
  json result;
};
Result<Recorded> RecordOutputs(const Workload& example) {
  // function -> canonical input -> {input, output}
  auto seen = std::make_shared<
      std::map<std::string, std::map<std::string, std::pair<json, json>>>>();
  auto conflict = std::make_shared<std::string>();
  auto mu = std::make_shared<std::mutex>();
  app::FunctionTable recording;
  for (const auto& [name, fn] : example.functions.functions) {
    recording.functions[name] = [name, fn, seen, conflict, mu](
                                    const json& in,
                                    Context& ctx) -> Result<json> {
      Result<json> out = fn(in, ctx);
      if (out.ok()) {
        const std::string key = ToJsonText(in);
        std::lock_guard<std::mutex> lock(*mu);
        auto [it, added] = (*seen)[name].try_emplace(key, in, *out);
        if (!added && it->second.second != *out) {
          *conflict = name + " gave two outputs for one input";
        }
      }
      return out;
    };
  }
  recording.planners = example.functions.planners;
  UNUM_ASSIGN_OR_RETURN(std::unique_ptr<Datastore> store,
                        OpenDatastore("memory://"));
  app::RunOptions options;
  UNUM_ASSIGN_OR_RETURN(app::RunReport report,
                        app::RunWorkflow(example.app, recording, example.input,
                                         store.get(), options));
  if (!report.outcome.succeeded) {
    return Status::Internal(
        example.name + " failed while recording: " + report.outcome.message);
  }
  if (!conflict->empty()) {
    return Status::Internal(example.name + ": " + *conflict);
  }
  Recorded r;
  for (const auto& [name, by_input] : *seen) {
    json pairs = json::array();
    for (const auto& [key, io] : by_input) {
      pairs.push_back({{"input", io.first}, {"output", io.second}});
    }
    r.task_outputs[name] = std::move(pairs);
  }
  r.result = report.outcome.result;
  return r;
}

bool Consume(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

}  // namespace

Result<StateMachineCase> MakeStateMachine(const std::string& spec,
                                          const WorkloadDirs& dirs) {
  std::string_view rest = spec;
  StateMachineCase sm;
  if (Consume(&rest, "sfn-chain-")) {
    UNUM_ASSIGN_OR_RETURN(int64_t n, ParseCount(spec, rest));
    json states = json::object();
    for (int64_t i = 0; i < n; ++i) {
      states[fmt::format("Step_{}", i)] =
          TaskState(i + 1 < n ? fmt::format("Step_{}", i + 1) : "");
    }
    sm.definition = {{"Comment", fmt::format("{} no-op Task states", n)},
                     {"StartAt", "Step_0"},
                     {"States", states}};
    sm.input = {{"n", n}};
    sm.expected = sm.input;  // every Task returns its input
    return sm;
  }
  if (Consume(&rest, "sfn-map-")) {
    UNUM_ASSIGN_OR_RETURN(int64_t n, ParseCount(spec, rest));
    json map = {{"Type", "Map"},
                {"Next", "Sink"},
                {"ItemProcessor",
                 {{"StartAt", "Work"}, {"States", {{"Work", TaskState("")}}}}}};
    sm.definition = {{"Comment", fmt::format("a Map of {} no-op Tasks", n)},
                     {"StartAt", "Source"},
                     {"States",
                      {{"Source", TaskState("Map")},
                       {"Map", map},
                       {"Sink", TaskState("")}}}};
    sm.input = Range(n);
    sm.expected = Range(n);  // each item through a no-op, in order
    return sm;
  }
  if (Consume(&rest, "sfn-example-")) {
    const fs::path dir = fs::path(dirs.examples) / std::string(rest);
    UNUM_ASSIGN_OR_RETURN(sm.definition,
                          ReadJsonFile(dir / "unum-step-functions.json"));
    UNUM_ASSIGN_OR_RETURN(sm.input,
                          ReadJsonFile(dir / "events" / "event.json"));
    UNUM_ASSIGN_OR_RETURN(Workload example, Example(std::string(rest), dirs));
    UNUM_ASSIGN_OR_RETURN(Recorded recorded, RecordOutputs(example));
    if (example.expected_result &&
        recorded.result != *example.expected_result) {
      return Status::Internal(example.name +
                              ": the IR workflow's result is not "
                              "expected/output.json");
    }
    sm.task_outputs = std::move(recorded.task_outputs);
    sm.expected = std::move(recorded.result);
    return sm;
  }
  return Status::InvalidArgument("\"" + spec +
                                 "\" is not a state machine case (sfn-chain-N, "
                                 "sfn-map-N, sfn-example-NAME)");
}

Result<Workload> MakeWorkload(const std::string& spec,
                              const WorkloadDirs& dirs) {
  std::string_view rest = spec;
  if (rest.substr(0, 4) == "sfn-") {
    UNUM_ASSIGN_OR_RETURN(StateMachineCase sm, MakeStateMachine(spec, dirs));
    return StateMachineWorkload(spec, sm);
  }
  if (Consume(&rest, "chain-")) {
    UNUM_ASSIGN_OR_RETURN(int64_t n, ParseCount(spec, rest));
    return Chain(n);
  }
  if (Consume(&rest, "map-")) {
    UNUM_ASSIGN_OR_RETURN(int64_t n, ParseCount(spec, rest));
    return Map(n);
  }
  if (Consume(&rest, "pipeline-")) {
    const size_t x = rest.find('x');
    if (x == std::string_view::npos) {
      return Status::InvalidArgument("case \"" + spec +
                                     "\": expected pipeline-WIDTHxDEPTH");
    }
    UNUM_ASSIGN_OR_RETURN(int64_t width, ParseCount(spec, rest.substr(0, x)));
    UNUM_ASSIGN_OR_RETURN(int64_t depth, ParseCount(spec, rest.substr(x + 1)));
    return Pipeline(width, depth);
  }
  if (Consume(&rest, "example-")) return Example(std::string(rest), dirs);
  return Status::InvalidArgument(
      "unknown case \"" + spec +
      "\" (chain-N, map-N, pipeline-WxD, example-NAME, sfn-chain-N, "
      "sfn-map-N, sfn-example-NAME)");
}

}  // namespace unum::bench
