#include "sim/workflows.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <utility>

#include "app/app.h"
#include "app/function_table.h"
#include "ir/ir_parser.h"
#include "ir/ir_validator.h"

namespace unum::sim {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using PureFunction = std::function<json(const json&)>;

// A deterministic function as the runtime calls it: exceptions (e.g. a
// json type_error on an unexpected input) become errors.
runtime::UserFunction Pure(PureFunction f) {
  return [f = std::move(f)](const json& input, Context&) -> Result<json> {
    try {
      return f(input);
    } catch (const std::exception& e) {
      return Status::Unknown(e.what());
    }
  };
}

class PatternBuilder {
 public:
  PatternBuilder(std::string name, std::string shape) {
    wf_.name = std::move(name);
    wf_.shape = std::move(shape);
  }

  PatternBuilder& Fn(const json& ir, PureFunction f) {
    auto config = ir::ParseFunctionConfig(ir, wf_.name + " (built in code)");
    if (!config.ok()) {
      if (error_.ok()) error_ = config.status();
      return *this;
    }
    if (config->start) wf_.start = config->name;
    wf_.code[config->name] = Pure(std::move(f));
    wf_.functions.push_back(std::move(config).value());
    return *this;
  }

  PatternBuilder& Input(std::function<json(Rng&)> make) {
    wf_.make_input = std::move(make);
    return *this;
  }

  PatternBuilder& Expect(std::function<json(const json&)> expected) {
    wf_.expected = [expected = std::move(expected)](
                       const json& input) -> std::optional<json> {
      return expected(input);
    };
    return *this;
  }

  Result<Workflow> Build() {
    if (!error_.ok()) return error_;
    UNUM_RETURN_IF_ERROR(
        ir::ValidateApp(wf_.functions).WithContext("pattern " + wf_.name));
    return std::move(wf_);
  }

 private:
  Workflow wf_;
  Status error_;
};

json FanIn(const std::string& next, std::vector<std::string> values) {
  return {{"Name", next},
          {"InputType", {{"Fan-in", {{"Values", std::move(values)}}}}}};
}

json Edge(const std::string& next, const std::string& type) {
  return {{"Name", next}, {"InputType", type}};
}

int64_t I(const json& v) { return v.get<int64_t>(); }

json RandomInts(Rng& rng, int64_t min_len, int64_t max_len) {
  json a = json::array();
  const int64_t n = rng.Range(min_len, max_len);
  for (int64_t i = 0; i < n; ++i) a.push_back(rng.Range(-20, 20));
  return a;
}

Result<Workflow> Chain() {
  return PatternBuilder("chain", "A -> B -> C")
      .Fn({{"Name", "A"}, {"Start", true}, {"Next", Edge("B", "Scalar")}},
          [](const json& in) {
            return json{{"x", I(in.at("x")) + 1}};
          })
      .Fn({{"Name", "B"}, {"Next", Edge("C", "Scalar")}},
          [](const json& in) {
            return json{{"x", I(in.at("x")) * 2}};
          })
      .Fn({{"Name", "C"}},
          [](const json& in) {
            return json{{"x", I(in.at("x")) - 3}, {"steps", 3}};
          })
      .Input([](Rng& rng) {
        return json{{"x", rng.Range(-100, 100)}};
      })
      .Expect([](const json& in) {
        return json{{"x", (I(in.at("x")) + 1) * 2 - 3}, {"steps", 3}};
      })
      .Build();
}

Result<Workflow> Parallel() {
  const std::vector<std::string> values = {
      "Left2-unumIndex-0", "Mid-unumIndex-1", "Right-unumIndex-2"};
  return PatternBuilder("parallel",
                        "Split -> [Left -> Left2 | Mid | Right] -> fan-in Join")
      .Fn({{"Name", "Split"},
           {"Start", true},
           {"Next", json::array({Edge("Left", "Scalar"), Edge("Mid", "Scalar"),
                                 Edge("Right", "Scalar")})}},
          [](const json& in) {
            return json{{"x", I(in.at("x"))}};
          })
      .Fn({{"Name", "Left"}, {"Next", Edge("Left2", "Scalar")}},
          [](const json& in) {
            return json{{"v", I(in.at("x")) + 1}};
          })
      .Fn({{"Name", "Left2"},
           {"Next", FanIn("Join", values)},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            return json{{"v", I(in.at("v")) * 10}};
          })
      .Fn({{"Name", "Mid"},
           {"Next", FanIn("Join", values)},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            return json{{"v", I(in.at("x")) * 2}};
          })
      .Fn({{"Name", "Right"},
           {"Next", FanIn("Join", values)},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            return json{{"v", I(in.at("x")) * I(in.at("x"))}};
          })
      .Fn({{"Name", "Join"}},
          [](const json& in) {
            json parts = json::array();
            int64_t sum = 0;
            for (const json& p : in) {
              parts.push_back(I(p.at("v")));
              sum += I(p.at("v"));
            }
            return json{{"parts", parts}, {"sum", sum}};
          })
      .Input([](Rng& rng) {
        return json{{"x", rng.Range(-50, 50)}};
      })
      .Expect([](const json& in) {
        const int64_t x = I(in.at("x"));
        const int64_t a = (x + 1) * 10, b = x * 2, c = x * x;
        return json{{"parts", {a, b, c}}, {"sum", a + b + c}};
      })
      .Build();
}

Result<Workflow> Map() {
  return PatternBuilder("map", "Fan -Map-> Work -> Post -> fan-in Gather")
      .Fn({{"Name", "Fan"}, {"Start", true}, {"Next", Edge("Work", "Map")}},
          [](const json& in) { return in.at("items"); })
      .Fn({{"Name", "Work"}, {"Next", Edge("Post", "Scalar")}},
          [](const json& in) { return json(I(in) * 3 + 1); })
      .Fn({{"Name", "Post"},
           {"Next", FanIn("Gather", {"Post-unumIndex-*"})},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            return json{{"y", I(in) * 2}};
          })
      .Fn({{"Name", "Gather"}},
          [](const json& in) {
            json ys = json::array();
            for (const json& p : in) ys.push_back(I(p.at("y")));
            return json{{"ys", ys}};
          })
      .Input([](Rng& rng) {
        return json{{"items", RandomInts(rng, 1, 6)}};
      })
      .Expect([](const json& in) {
        json ys = json::array();
        for (const json& x : in.at("items")) ys.push_back((I(x) * 3 + 1) * 2);
        return json{{"ys", ys}};
      })
      .Build();
}

Result<Workflow> WideFanIn() {
  return PatternBuilder("fan-in", "Spread -Map-> Leaf x n -> fan-in Sum")
      .Fn({{"Name", "Spread"}, {"Start", true}, {"Next", Edge("Leaf", "Map")}},
          [](const json& in) {
            json a = json::array();
            for (int64_t i = 0; i < I(in.at("n")); ++i) a.push_back(i);
            return a;
          })
      .Fn({{"Name", "Leaf"},
           {"Next", FanIn("Sum", {"Leaf-unumIndex-*"})},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) { return json(I(in) * I(in) + 1); })
      .Fn({{"Name", "Sum"}},
          [](const json& in) {
            int64_t sum = 0;
            json leaves = json::array();
            for (const json& v : in) {
              sum += I(v);
              leaves.push_back(I(v));
            }
            return json{{"sum", sum}, {"leaves", leaves}};
          })
      .Input([](Rng& rng) {
        return json{{"n", rng.Range(1, 12)}};
      })
      .Expect([](const json& in) {
        int64_t sum = 0;
        json leaves = json::array();
        for (int64_t i = 0; i < I(in.at("n")); ++i) {
          sum += i * i + 1;
          leaves.push_back(i * i + 1);
        }
        return json{{"sum", sum}, {"leaves", leaves}};
      })
      .Build();
}

Result<Workflow> NestedMap() {
  return PatternBuilder("nested-map",
                        "Outer -Map-> Row -Map-> Cell -> fan-in RowSum (per "
                        "row) -> fan-in Total")
      .Fn({{"Name", "Outer"}, {"Start", true}, {"Next", Edge("Row", "Map")}},
          [](const json& in) { return in.at("rows"); })
      .Fn({{"Name", "Row"}, {"Next", Edge("Cell", "Map")}},
          [](const json& in) {
            if (!in.is_array()) throw std::invalid_argument("row not array");
            return in;
          })
      .Fn({{"Name", "Cell"},
           {"Next", FanIn("RowSum", {"Cell-unumIndex-*.$1"})},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) { return json(I(in) + 1); })
      .Fn({{"Name", "RowSum"},
           {"Next", FanIn("Total", {"RowSum-unumIndex-*"})},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            int64_t sum = 0;
            for (const json& v : in) sum += I(v);
            return json(sum);
          })
      .Fn({{"Name", "Total"}},
          [](const json& in) {
            json sums = json::array();
            int64_t total = 0;
            for (const json& v : in) {
              sums.push_back(I(v));
              total += I(v);
            }
            return json{{"sums", sums}, {"total", total}};
          })
      .Input([](Rng& rng) {
        json rows = json::array();
        const int64_t n = rng.Range(1, 3);
        for (int64_t i = 0; i < n; ++i) rows.push_back(RandomInts(rng, 1, 3));
        return json{{"rows", rows}};
      })
      .Expect([](const json& in) {
        json sums = json::array();
        int64_t total = 0;
        for (const json& row : in.at("rows")) {
          int64_t s = 0;
          for (const json& x : row) s += I(x) + 1;
          sums.push_back(s);
          total += s;
        }
        return json{{"sums", sums}, {"total", total}};
      })
      .Build();
}

Result<Workflow> Pipeline() {
  const json stage_next = json::array(
      {{{"Name", "Combine"},
        {"InputType", {{"Fan-in", {{"Values", {"Stage-unumIndex-$0"}}}}}},
        {"Conditional", "$0 == 0"}},
       {{"Name", "Combine"},
        {"InputType",
         {{"Fan-in",
           {{"Values", {"Stage-unumIndex-($0-1)", "Stage-unumIndex-$0"}}}}}},
        {"Conditional", "$0 > 0"}},
       {{"Name", "Combine"},
        {"InputType",
         {{"Fan-in",
           {{"Values", {"Stage-unumIndex-$0", "Stage-unumIndex-($0+1)"}}}}}},
        {"Conditional", "$0 + 1 < $size"},
        {"Payload Modifiers", {"$0=$0+1"}}}});
  return PatternBuilder("partial-fan-in",
                        "Source -Map-> Stage_i -> partial fan-in Combine_i "
                        "[Stage_(i-1), Stage_i] -> fan-in Collect")
      .Fn({{"Name", "Source"}, {"Start", true}, {"Next", Edge("Stage", "Map")}},
          [](const json& in) { return in.at("items"); })
      .Fn({{"Name", "Stage"}, {"Next", stage_next}},
          [](const json& in) {
            return json{{"s", I(in) * 10}};
          })
      .Fn({{"Name", "Combine"},
           {"Next", FanIn("Collect", {"Combine-unumIndex-*"})},
           {"Next Payload Modifiers", {"Pop"}}},
          [](const json& in) {
            int64_t sum = 0;
            for (const json& s : in) sum += I(s.at("s"));
            return json{{"sum", sum}, {"n", in.size()}};
          })
      .Fn({{"Name", "Collect"}},
          [](const json& in) {
            json out = json::array();
            for (const json& c : in) {
              out.push_back({I(c.at("sum")), I(c.at("n"))});
            }
            return json{{"combined", out}};
          })
      .Input([](Rng& rng) {
        return json{{"items", RandomInts(rng, 1, 6)}};
      })
      .Expect([](const json& in) {
        const json& items = in.at("items");
        json out = json::array();
        for (size_t i = 0; i < items.size(); ++i) {
          const int64_t s = I(items[i]) * 10;
          if (i == 0) {
            out.push_back({s, 1});
          } else {
            out.push_back({I(items[i - 1]) * 10 + s, 2});
          }
        }
        return json{{"combined", out}};
      })
      .Build();
}

Result<Workflow> Conditional() {
  return PatternBuilder("conditional",
                        "Classify -> (High if score > 50 | Low otherwise) -> "
                        "Done")
      .Fn({{"Name", "Classify"},
           {"Start", true},
           {"Next", json::array({{{"Name", "High"},
                                  {"InputType", "Scalar"},
                                  {"Conditional", "$out.score > 50"}},
                                 {{"Name", "Low"},
                                  {"InputType", "Scalar"},
                                  {"Conditional", "$out.score <= 50"}}})}},
          [](const json& in) {
            return json{{"score", I(in.at("score"))}};
          })
      .Fn({{"Name", "High"}, {"Next", Edge("Done", "Scalar")}},
          [](const json& in) {
            return json{{"path", "high"}, {"r", I(in.at("score")) * 2}};
          })
      .Fn({{"Name", "Low"}, {"Next", Edge("Done", "Scalar")}},
          [](const json& in) {
            return json{{"path", "low"}, {"r", I(in.at("score")) + 1000}};
          })
      .Fn({{"Name", "Done"}},
          [](const json& in) {
            return json{{"path", in.at("path")}, {"r", in.at("r")}};
          })
      .Input([](Rng& rng) {
        return json{{"score", rng.Range(0, 100)}};
      })
      .Expect([](const json& in) {
        const int64_t s = I(in.at("score"));
        return s > 50 ? json{{"path", "high"}, {"r", s * 2}}
                      : json{{"path", "low"}, {"r", s + 1000}};
      })
      .Build();
}

Result<json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path.string() + ": cannot open");
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument(path.string() + ": not valid JSON");
  }
  return doc;
}

}  // namespace

Result<std::vector<Workflow>> PatternWorkflows() {
  std::vector<Workflow> out;
  for (auto make :
       {Chain, Parallel, Map, WideFanIn, NestedMap, Pipeline, Conditional}) {
    UNUM_ASSIGN_OR_RETURN(Workflow wf, make());
    out.push_back(std::move(wf));
  }
  return out;
}

Result<std::vector<Workflow>> ExampleWorkflows(const std::string& examples_dir,
                                               const std::string& module_dir) {
  std::vector<Workflow> out;
  std::error_code ec;
  if (!fs::is_directory(examples_dir, ec)) {
    return Status::NotFound(examples_dir + ": no examples directory");
  }
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(examples_dir)) {
    if (entry.is_directory() &&
        (fs::exists(entry.path() / "unum-template.yaml") ||
         fs::exists(entry.path() / "unum-template.yml"))) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& dir : dirs) {
    const fs::path sfn = dir / "unum-step-functions.json";
    for (const bool state_machine : {false, true}) {
      if (state_machine && !fs::exists(sfn)) continue;
      UNUM_ASSIGN_OR_RETURN(
          app::App app,
          app::LoadApp(dir.string(), state_machine ? sfn.string() : ""));
      const fs::path module = fs::path(module_dir) / (app.name + ".so");
      bool needs_module = false;
      for (const auto& [name, spec] : app.functions) {
        if (spec.runtime == app::FunctionRuntime::kCpp) needs_module = true;
      }
      if (needs_module && !fs::exists(module)) {
        return Status::NotFound("example " + dir.filename().string() +
                                ": module " + module.string() +
                                " not built (build target unum_app_" +
                                app.name + ", or pass --modules)");
      }
      auto loaded =
          app::LoadFunctions(app, needs_module ? module.string() : "");
      if (!loaded.ok()) {
        return loaded.status().WithContext("example " +
                                           dir.filename().string());
      }
      auto table =
          std::make_shared<app::FunctionTable>(std::move(loaded).value());

      std::vector<fs::path> events;
      if (fs::is_directory(dir / "events")) {
        for (const auto& e : fs::directory_iterator(dir / "events")) {
          if (e.path().extension() == ".json") events.push_back(e.path());
        }
      }
      std::sort(events.begin(), events.end());
      for (const fs::path& event : events) {
        UNUM_ASSIGN_OR_RETURN(json input, ReadJsonFile(event));
        fs::path expected_file = dir / "expected" / event.filename();
        if (!fs::exists(expected_file) && event.filename() == "event.json") {
          expected_file = dir / "expected" / "output.json";
        }
        std::optional<json> expected;
        if (fs::exists(expected_file)) {
          UNUM_ASSIGN_OR_RETURN(json e, ReadJsonFile(expected_file));
          expected = std::move(e);
        }
        Workflow wf;
        wf.name = "example/" + dir.filename().string();
        if (event.filename() != "event.json") {
          wf.name += "@" + event.stem().string();
        }
        if (state_machine) wf.name += "@sfn";
        wf.state_machine = state_machine;
        wf.planners = table->planners;
        wf.shape = "examples/" + dir.filename().string() + " with events/" +
                   event.filename().string() +
                   (state_machine ? " (its Step Functions state machine)" : "");
        wf.start = app.start_function;
        for (const auto& [name, spec] : app.functions) {
          wf.functions.push_back(spec.config);
          wf.code[name] = table->functions.at(name);
        }
        wf.make_input = [input](Rng&) { return input; };
        wf.expected = [expected](const json&) { return expected; };
        wf.keep_alive = table;
        out.push_back(std::move(wf));
      }
    }
  }
  return out;
}

}  // namespace unum::sim
