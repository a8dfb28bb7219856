// Functions of the slow-fanout fixture app (module unum-durable-fixtures):
//
//   Fan {"n", "sleep_ms"} --Map--> Work-i --> Twice-i --Fan-in--> Total
//
// Each sleeps `sleep_ms`, computes something deterministic (i, i*i, 2*i*i,
// the sum) and adds a random nonce, carrying the nonces of its inputs
// along, so the final result names the exact output every step committed.
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <thread>

#include "unum/function.h"

namespace {

std::string Nonce() {
  thread_local std::mt19937_64 gen(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = gen();
  std::string s;
  for (int i = 0; i < 16; ++i, bits >>= 4) s.push_back(kHex[bits & 0xf]);
  return s;
}

void Sleep(const unum::Json& input) {
  const int64_t ms = input.value("sleep_ms", int64_t{0});
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

UNUM_FUNCTION(Fan)(const unum::Json& input, unum::Context& ctx) {
  Sleep(input);
  const int64_t n = input.at("n").get<int64_t>();
  const std::string nonce = Nonce();
  unum::Json items = unum::Json::array();
  for (int64_t i = 0; i < n; ++i) {
    items.push_back({{"i", i},
                     {"sleep_ms", input.value("sleep_ms", int64_t{0})},
                     {"fan_nonce", nonce}});
  }
  return items;
}

UNUM_FUNCTION(Work)(const unum::Json& input, unum::Context& ctx) {
  Sleep(input);
  const int64_t i = input.at("i").get<int64_t>();
  unum::Json out = input;
  out["square"] = i * i;
  out["work_nonce"] = Nonce();
  return out;
}

UNUM_FUNCTION(Twice)(const unum::Json& input, unum::Context& ctx) {
  Sleep(input);
  unum::Json out = input;
  out["value"] = 2 * input.at("square").get<int64_t>();
  out["twice_nonce"] = Nonce();
  return out;
}

UNUM_FUNCTION(Total)(const unum::Json& input, unum::Context& ctx) {
  int64_t sum = 0;
  for (const unum::Json& item : input) sum += item.at("value").get<int64_t>();
  return {{"sum", sum},
          {"count", input.size()},
          {"items", input},
          {"total_nonce", Nonce()}};
}
