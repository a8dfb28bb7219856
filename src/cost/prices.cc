// Prices: see prices.h.
#include "cost/prices.h"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "common/json_text.h"

namespace unum::cost {

using nlohmann::json;

extern const char kDefaultPricesText[];  // default_prices.cc (generated)

namespace {

class Reader {
 public:
  Reader(const json& root, const std::string& what)
      : root_(root), what_(what) {}

  const Status& status() const { return status_; }

  std::string Text(const char* field) {
    if (!status_.ok()) return "";
    const json* v = Find(field);
    if (v == nullptr) return "";
    if (!v->is_string() || v->get<std::string>().empty()) {
      Fail(field, "must be a non-empty string");
      return "";
    }
    return v->get<std::string>();
  }

  double Number(const char* section, const char* field) {
    if (!status_.ok()) return 0;
    const std::string name = fmt::format("{}.{}", section, field);
    const json* v = Find(section, field, name);
    if (v == nullptr) return 0;
    if (!v->is_number() || v->get<double>() < 0) {
      Fail(name, "must be a number >= 0");
      return 0;
    }
    return v->get<double>();
  }

  int64_t PositiveInteger(const char* section, const char* field) {
    if (!status_.ok()) return 0;
    const std::string name = fmt::format("{}.{}", section, field);
    const json* v = Find(section, field, name);
    if (v == nullptr) return 0;
    if (!v->is_number_integer() || v->get<int64_t>() <= 0) {
      Fail(name, "must be an integer > 0");
      return 0;
    }
    return v->get<int64_t>();
  }

 private:
  const json* Find(const char* field) {
    if (!root_.is_object()) {
      status_ = Status::InvalidArgument(what_ + ": must be a JSON object");
      return nullptr;
    }
    auto it = root_.find(field);
    if (it == root_.end()) {
      Fail(field, "is missing");
      return nullptr;
    }
    return &*it;
  }

  const json* Find(const char* section, const char* field,
                   const std::string& name) {
    const json* s = Find(section);
    if (s == nullptr) return nullptr;
    if (!s->is_object()) {
      Fail(section, "must be an object");
      return nullptr;
    }
    auto it = s->find(field);
    if (it == s->end()) {
      Fail(name, "is missing");
      return nullptr;
    }
    return &*it;
  }

  void Fail(const std::string& field, const std::string& why) {
    status_ = Status::InvalidArgument(
        fmt::format("{}: field \"{}\" {}", what_, field, why));
  }

  const json& root_;
  std::string what_;
  Status status_;
};

}  // namespace

Result<Prices> ParsePrices(const json& j, const std::string& what) {
  Reader r(j, what);
  Prices p;
  p.date = r.Text("date");
  p.source = r.Text("source");
  p.region = r.Text("region");
  p.lambda_request_per_million = r.Number("lambda", "request_per_million");
  p.lambda_gb_second = r.Number("lambda", "gb_second");
  p.dynamodb_write_unit_per_million =
      r.Number("dynamodb", "write_request_unit_per_million");
  p.dynamodb_read_unit_per_million =
      r.Number("dynamodb", "read_request_unit_per_million");
  p.dynamodb_write_unit_kb = r.PositiveInteger("dynamodb", "write_unit_kb");
  p.dynamodb_read_unit_kb = r.PositiveInteger("dynamodb", "read_unit_kb");
  p.dynamodb_storage_gb_month = r.Number("dynamodb", "storage_gb_month");
  p.standard_transition_per_thousand =
      r.Number("step_functions_standard", "state_transition_per_thousand");
  p.express_request_per_million =
      r.Number("step_functions_express", "request_per_million");
  p.express_gb_second = r.Number("step_functions_express", "gb_second");
  p.express_memory_chunk_mb =
      r.PositiveInteger("step_functions_express", "memory_chunk_mb");
  p.express_duration_rounding_ms =
      r.PositiveInteger("step_functions_express", "duration_rounding_ms");
  p.latency_read_ms = r.Number("latency_ms", "datastore_read");
  p.latency_write_ms = r.Number("latency_ms", "datastore_write");
  p.latency_invoke_ms = r.Number("latency_ms", "invoke");
  if (!r.status().ok()) return r.status();
  return p;
}

Result<Prices> LoadPrices(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("price file " + path + " cannot be read");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string what = "price file " + path;
  UNUM_ASSIGN_OR_RETURN(json j, ParseJsonText(buf.str(), what));
  return ParsePrices(j, what);
}

Result<Prices> DefaultPrices() {
  UNUM_ASSIGN_OR_RETURN(
      json j, ParseJsonText(kDefaultPricesText,
                            "built-in data/prices/aws-us-east-1.json"));
  return ParsePrices(j, "built-in data/prices/aws-us-east-1.json");
}

}  // namespace unum::cost
