// A price table for `unum cost`: list prices of the services a workflow run
// uses (Lambda, DynamoDB on demand, Step Functions Standard and Express)
// plus the latency model that turns datastore operations and invokes into
// billed Lambda milliseconds. Read from a JSON file (data/prices/*.json,
// format in docs/cost.md); every field is required and checked.
#ifndef UNUM_COST_PRICES_H_
#define UNUM_COST_PRICES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "unum/status.h"

namespace unum::cost {

struct Prices {
  std::string date;    // when the prices were checked (YYYY-MM-DD)
  std::string source;  // where they come from
  std::string region;
  // Lambda (x86).
  double lambda_request_per_million = 0;
  double lambda_gb_second = 0;
  // DynamoDB on demand.
  double dynamodb_write_unit_per_million = 0;
  double dynamodb_read_unit_per_million = 0;
  int64_t dynamodb_write_unit_kb = 1;  // 1 WRU per started KB written
  int64_t dynamodb_read_unit_kb = 4;   // 1 RRU per started 4 KB (strong)
  double dynamodb_storage_gb_month = 0;
  // Step Functions.
  double standard_transition_per_thousand = 0;
  double express_request_per_million = 0;
  double express_gb_second = 0;
  int64_t express_memory_chunk_mb = 64;  // billed in chunks, at least one
  int64_t express_duration_rounding_ms = 100;
  // Latency model (milliseconds a Lambda function is billed for waiting).
  double latency_read_ms = 0;    // one datastore read request
  double latency_write_ms = 0;   // one datastore write request
  double latency_invoke_ms = 0;  // one asynchronous Invoke sent
};

// Reads `j`; `what` names the source in errors: InvalidArgument
// "<what>: field \"lambda.gb_second\": ..." for a missing, non-numeric or
// negative field.
Result<Prices> ParsePrices(const nlohmann::json& j, const std::string& what);

// Reads and parses the file at `path` (errors name the file).
Result<Prices> LoadPrices(const std::string& path);

// The default table, data/prices/aws-us-east-1.json, built into the
// binary (so `unum cost` works from anywhere).
Result<Prices> DefaultPrices();

}  // namespace unum::cost

#endif  // UNUM_COST_PRICES_H_
