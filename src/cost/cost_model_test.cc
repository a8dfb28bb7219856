// Tests of the cost model, the price table and the --stats-json format:
// hand-computed runs priced with the default (built-in) price table.
#include "cost/cost_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cost/prices.h"
#include "cost/run_stats.h"

namespace unum::cost {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Dollars agree to a billionth of a dollar per million executions.
constexpr double kCent = 1e-9;

// The items of the given sizes, as CountingDatastore records them.
DatastoreStats::Items ItemsOf(const std::vector<int64_t>& sizes) {
  DatastoreStats::Items items;
  for (int64_t b : sizes) {
    ++items.items;
    items.bytes += b;
    ++items.by_started_kb[b <= 1024 ? 1 : (b + 1023) / 1024];
  }
  return items;
}

Prices Defaults() {
  auto p = DefaultPrices();
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

const CostLine& Line(const CostSection& s, const std::string& item) {
  for (const CostLine& l : s.lines) {
    if (l.item == item) return l;
  }
  ADD_FAILURE() << "no line " << item << " in " << s.name;
  static CostLine none;
  return none;
}

TEST(PricesTest, DefaultTableIsDatedAndHasTheListPrices) {
  Prices p = Defaults();
  EXPECT_EQ(p.date, "2026-11-28");
  EXPECT_EQ(p.region, "us-east-1");
  EXPECT_THAT(p.source, HasSubstr("aws.amazon.com/dynamodb/pricing"));
  EXPECT_DOUBLE_EQ(p.lambda_request_per_million, 0.20);
  EXPECT_DOUBLE_EQ(p.lambda_gb_second, 0.0000166667);
  EXPECT_DOUBLE_EQ(p.dynamodb_write_unit_per_million, 0.625);
  EXPECT_DOUBLE_EQ(p.dynamodb_read_unit_per_million, 0.125);
  EXPECT_EQ(p.dynamodb_write_unit_kb, 1);
  EXPECT_EQ(p.dynamodb_read_unit_kb, 4);
  EXPECT_DOUBLE_EQ(p.standard_transition_per_thousand, 0.025);
  EXPECT_DOUBLE_EQ(p.express_request_per_million, 1.00);
  EXPECT_DOUBLE_EQ(p.express_gb_second, 0.00001667);
  EXPECT_EQ(p.express_memory_chunk_mb, 64);
  EXPECT_EQ(p.express_duration_rounding_ms, 100);
  EXPECT_DOUBLE_EQ(p.latency_read_ms, 7);
  EXPECT_DOUBLE_EQ(p.latency_write_ms, 20);
  EXPECT_DOUBLE_EQ(p.latency_invoke_ms, 44);
}

TEST(PricesTest, BadFieldsAreNamed) {
  json good = json::parse(R"({"date": "d", "source": "s", "region": "r",
    "lambda": {"request_per_million": 0.2, "gb_second": 1},
    "dynamodb": {"write_request_unit_per_million": 1,
                 "read_request_unit_per_million": 1, "write_unit_kb": 1,
                 "read_unit_kb": 4, "storage_gb_month": 0.25},
    "step_functions_standard": {"state_transition_per_thousand": 0.025},
    "step_functions_express": {"request_per_million": 1, "gb_second": 1,
                               "memory_chunk_mb": 64,
                               "duration_rounding_ms": 100},
    "latency_ms": {"datastore_read": 7, "datastore_write": 20,
                   "invoke": 44}})");
  ASSERT_TRUE(ParsePrices(good, "p.json").ok());

  json missing = good;
  missing["lambda"].erase("gb_second");
  EXPECT_EQ(ParsePrices(missing, "p.json").status().message(),
            "p.json: field \"lambda.gb_second\" is missing");
  json negative = good;
  negative["dynamodb"]["read_request_unit_per_million"] = -1;
  EXPECT_EQ(ParsePrices(negative, "p.json").status().message(),
            "p.json: field \"dynamodb.read_request_unit_per_million\" must "
            "be a number >= 0");
  json text = good;
  text["latency_ms"]["invoke"] = "44";
  EXPECT_EQ(ParsePrices(text, "p.json").status().message(),
            "p.json: field \"latency_ms.invoke\" must be a number >= 0");
  json zero_unit = good;
  zero_unit["dynamodb"]["write_unit_kb"] = 0;
  EXPECT_EQ(ParsePrices(zero_unit, "p.json").status().message(),
            "p.json: field \"dynamodb.write_unit_kb\" must be an integer > 0");
  json no_date = good;
  no_date.erase("date");
  EXPECT_EQ(ParsePrices(no_date, "p.json").status().message(),
            "p.json: field \"date\" is missing");
}

TEST(PricesTest, LoadPricesNamesTheFile) {
  auto missing = LoadPrices("no-such-prices.json");
  EXPECT_EQ(missing.status().message(),
            "price file no-such-prices.json cannot be read");
  const auto path =
      std::filesystem::temp_directory_path() / "unum_cost_test_prices.json";
  std::ofstream(path) << "{\"date\": 3}";
  auto bad = LoadPrices(path.string());
  EXPECT_EQ(bad.status().message(), "price file " + path.string() +
                                        ": field \"date\" must be a "
                                        "non-empty string");
  std::filesystem::remove(path);
}

TEST(RequestUnitsTest, WritesBillEachStartedKilobyte) {
  Prices p = Defaults();
  DatastoreStats ds;
  ds.writes["put_checkpoint"] = ItemsOf({1024});
  EXPECT_EQ(WriteRequestUnits(ds, p), 1);
  ds.writes["put_checkpoint"] = ItemsOf({1536});
  EXPECT_EQ(WriteRequestUnits(ds, p), 2);
  ds.writes["put_checkpoint"] = ItemsOf({1024, 1536, 10});
  ds.writes["delete_checkpoint"] = ItemsOf({40});
  EXPECT_EQ(WriteRequestUnits(ds, p), 1 + 2 + 1 + 1);
  EXPECT_EQ(WriteRequests(ds), 4);
}

TEST(RequestUnitsTest, ReadsBillEachStartedFourKilobytesPerItem) {
  Prices p = Defaults();
  DatastoreStats ds;
  ds.reads["get_checkpoint"] = ItemsOf({4096});
  EXPECT_EQ(ReadRequestUnits(ds, p), 1);
  ds.reads["get_checkpoint"] = ItemsOf({4198});  // 4.1 KB
  EXPECT_EQ(ReadRequestUnits(ds, p), 2);
  // A batched read bills each item; it is one request.
  ds.get_checkpoints = 1;
  ds.reads["get_checkpoints"] = ItemsOf({100, 4096, 4097});
  EXPECT_EQ(ReadRequestUnits(ds, p), 2 + 1 + 1 + 2);
  EXPECT_EQ(ReadRequests(ds), 1 + 1);
}

// A state machine run: two Tasks (A twice, B once) and a start helper.
RunStats HandMadeRun() {
  RunStats s;
  s.app = "hand";
  s.state_machine = true;
  s.succeeded = true;
  s.wall_seconds = 0.25;
  s.functions["A"] = {.deliveries = 2, .measured_ms = 9.5, .billed_ms = 10};
  s.functions["B"] = {.deliveries = 1, .measured_ms = 4.2, .billed_ms = 5};
  s.functions["unum-start"] = {
      .helper = true, .deliveries = 1, .measured_ms = 0.1, .billed_ms = 1};
  s.datastore.put_checkpoint = 3;
  s.datastore.writes["put_checkpoint"] = ItemsOf({1024, 1000, 1536});
  s.datastore.get_checkpoint = 2;
  s.datastore.reads["get_checkpoint"] = ItemsOf({4096, 4198});
  s.report.runtime.invocations_sent = 2;
  s.report.runtime.user_runs = 3;
  s.report.runtime.deliveries = 4;
  s.state_transitions = 5;
  return s;
}

TEST(PriceRunTest, HandComputedStateMachineRun) {
  CostReport r = PriceRun(HandMadeRun(), Defaults(), 128);
  // Unum: 4 requests; 16 ms measured + 2 reads x 7 + 3 writes x 20 +
  // 2 invokes x 44 = 178 ms = 0.178 s x 0.125 GB = 0.02225 GB-s;
  // 1 + 1 + 2 = 4 WRU; 1 + 2 = 3 RRU.
  EXPECT_NEAR(Line(r.unum, "Lambda requests").dollars, 0.80, kCent);
  EXPECT_NEAR(Line(r.unum, "Lambda duration").quantity, 0.02225, 1e-12);
  EXPECT_NEAR(Line(r.unum, "Lambda duration").dollars, 0.370834075, kCent);
  EXPECT_EQ(Line(r.unum, "DynamoDB writes").quantity, 4);
  EXPECT_NEAR(Line(r.unum, "DynamoDB writes").dollars, 2.5, kCent);
  EXPECT_EQ(Line(r.unum, "DynamoDB reads").quantity, 3);
  EXPECT_NEAR(Line(r.unum, "DynamoDB reads").dollars, 0.375, kCent);
  EXPECT_NEAR(r.unum.total(), 4.045834075, kCent);

  // Standard: 5 transitions x $0.025/1000 = $125 per 1M; the Task
  // Lambdas (no helper): 3 requests, 15 ms = 0.001875 GB-s.
  EXPECT_NEAR(Line(r.standard, "state transitions").dollars, 125.0, kCent);
  EXPECT_EQ(Line(r.standard, "Task Lambda requests").quantity, 3);
  EXPECT_NEAR(Line(r.standard, "Task Lambda duration").dollars, 0.0312500625,
              kCent);
  EXPECT_NEAR(r.standard.total(), 125.6312500625, kCent);

  // Express: 1 request; 250 ms -> 300 ms x 64 MB = 0.01875 GB-s.
  EXPECT_NEAR(Line(r.express, "requests").dollars, 1.0, kCent);
  EXPECT_NEAR(Line(r.express, "duration").quantity, 0.01875, 1e-12);
  EXPECT_NEAR(Line(r.express, "duration").dollars, 0.3125625, kCent);
  EXPECT_NEAR(r.express.total(), 1.9438125625, kCent);

  // Reference: 16 + 3 x (7 + 2 x 20) + 2 x 44 = 245 ms; WRU 4 (its
  // checkpoints) + 3 GC; RRU 3.
  EXPECT_NEAR(Line(r.reference, "Lambda duration").dollars, 0.5104176875,
              kCent);
  EXPECT_EQ(Line(r.reference, "DynamoDB writes").quantity, 7);
  EXPECT_EQ(Line(r.reference, "DynamoDB reads").quantity, 3);
  EXPECT_NEAR(r.reference.total(), 6.0604176875, kCent);

  EXPECT_NEAR(r.standard_over_unum(), 125.6312500625 / 4.045834075, 1e-9);
}

TEST(PriceRunTest, AppWithoutAStateMachineEstimatesTransitions) {
  RunStats s = HandMadeRun();
  s.state_machine = false;
  s.state_transitions.reset();
  s.report.runtime.user_runs = 7;
  CostReport r = PriceRun(s, Defaults(), 128);
  // 7 user runs + start + end = 9 transitions.
  EXPECT_EQ(Line(r.standard, "state transitions").quantity, 9);
  EXPECT_NEAR(Line(r.standard, "state transitions").dollars, 225.0, kCent);
  EXPECT_THAT(r.standard.notes[0], HasSubstr("estimated"));
}

TEST(PriceRunTest, MemorySizeScalesDuration) {
  CostReport r = PriceRun(HandMadeRun(), Defaults(), 1024);
  EXPECT_NEAR(Line(r.unum, "Lambda duration").quantity, 0.178, 1e-12);
}

TEST(PriceRunTest, ReportTextHasEverySectionAndTheModel) {
  std::string text = FormatCostReport(PriceRun(HandMadeRun(), Defaults(), 128));
  EXPECT_THAT(text, HasSubstr("Unum (Lambda + DynamoDB)"));
  EXPECT_THAT(text, HasSubstr("Step Functions Standard"));
  EXPECT_THAT(text, HasSubstr("Step Functions Express"));
  EXPECT_THAT(text, HasSubstr("Reference op pattern"));
  EXPECT_THAT(text, HasSubstr("Standard / Unum: 31.05x"));
  EXPECT_THAT(text, HasSubstr("16 measured"));
  EXPECT_THAT(text, HasSubstr("2026-11-28"));
}

TEST(RunStatsJsonTest, RoundTrips) {
  RunStats s = HandMadeRun();
  s.session = "sess";
  s.datastore.session_record = 2;
  s.datastore.reads["session_record"] = ItemsOf({50});
  s.datastore.writes["session_record"] = ItemsOf({50});
  json j = RunStatsToJson(s);
  EXPECT_EQ(j["format"], "unum-run-stats");
  EXPECT_EQ(j["datastore"]["ops"]["put_checkpoint"]["write"]["wru"], 4);
  EXPECT_EQ(j["datastore"]["ops"]["get_checkpoint"]["read"]["rru"], 3);
  EXPECT_EQ(j["datastore"]["total_ops"], 7);
  EXPECT_EQ(j["state_transitions"], 5);
  auto back = RunStatsFromJson(j, "stats.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(RunStatsToJson(*back), j);
  EXPECT_EQ(FormatCostReport(PriceRun(*back, Defaults(), 128)),
            FormatCostReport(PriceRun(s, Defaults(), 128)));
}

TEST(RunStatsJsonTest, BadFieldsAreNamed) {
  json j = RunStatsToJson(HandMadeRun());
  json bad = j;
  bad["datastore"]["ops"]["set_add"].erase("count");
  EXPECT_EQ(RunStatsFromJson(bad, "s.json").status().message(),
            "s.json: field \"datastore.ops.set_add.count\" is missing");
  bad = j;
  bad["functions"]["A"]["billed_ms"] = -3;
  EXPECT_EQ(RunStatsFromJson(bad, "s.json").status().message(),
            "s.json: field \"functions.A.billed_ms\" must be an integer >= 0");
  bad = j;
  bad["datastore"]["ops"]["put_checkpoint"]["write"]["by_started_kb"] = {
      {"1x", 3}};
  EXPECT_EQ(RunStatsFromJson(bad, "s.json").status().message(),
            "s.json: field \"datastore.ops.put_checkpoint.write.by_started_kb."
            "1x\" must map a kilobyte count > 0 to an item count >= 0");
  bad = j;
  bad["datastore"]["ops"]["put_checkpoint"]["write"]["items"] = 4;
  EXPECT_EQ(
      RunStatsFromJson(bad, "s.json").status().message(),
      "s.json: field \"datastore.ops.put_checkpoint.write.by_started_kb\" "
      "does not add up to \"items\"");
  bad = j;
  bad["format"] = "other";
  EXPECT_EQ(RunStatsFromJson(bad, "s.json").status().message(),
            "s.json: field \"format\" must be \"unum-run-stats\"");
}

}  // namespace
}  // namespace unum::cost
