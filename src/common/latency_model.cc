// LatencyModel: see latency_model.h.
#include "common/latency_model.h"

#include <charconv>
#include <cmath>
#include <random>
#include <string>
#include <system_error>

#include "common/url_options.h"

namespace unum {
namespace {

bool ParseDouble(std::string_view text, double lo, double hi, double* out) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return false;
  if (!(value >= lo && value <= hi)) return false;
  *out = value;
  return true;
}

Status BadNumber(std::string_view name, std::string_view text, double hi) {
  return Status::InvalidArgument("option '" + std::string(name) +
                                 "' must be a number in [0, " +
                                 std::to_string(static_cast<int64_t>(hi)) +
                                 "], got '" + std::string(text) + "'");
}

}  // namespace

LatencyModel LatencyModel::Aws() {
  LatencyModel m;
  m.invoke = std::chrono::milliseconds(44);
  m.read = std::chrono::milliseconds(7);
  m.write = std::chrono::milliseconds(20);
  m.spread = 0.25;
  return m;
}

std::chrono::microseconds LatencyModel::Sample(
    std::chrono::microseconds median) const {
  if (median.count() <= 0 || spread <= 0) return median;
  thread_local std::mt19937_64 gen{std::random_device{}()};
  std::normal_distribution<double> z(0.0, 1.0);
  const double factor = std::exp(spread * z(gen));
  return std::chrono::microseconds(
      static_cast<int64_t>(static_cast<double>(median.count()) * factor));
}

Result<bool> ApplyLatencyOption(std::string_view name, std::string_view value,
                                LatencyModel* model) {
  auto ms = [&](std::chrono::microseconds* out) -> Result<bool> {
    double v = 0;
    if (!ParseDouble(value, 0, 600000, &v))
      return BadNumber(name, value, 600000);
    *out = std::chrono::microseconds(static_cast<int64_t>(v * 1000));
    return true;
  };
  if (name == "latency") {
    if (value == "aws") {
      // Fills what no other option set, whatever the order.
      const LatencyModel aws = LatencyModel::Aws();
      if (model->invoke.count() == 0) model->invoke = aws.invoke;
      if (model->read.count() == 0) model->read = aws.read;
      if (model->write.count() == 0) model->write = aws.write;
      if (model->spread == 0) model->spread = aws.spread;
    } else if (value == "none") {
      model->invoke = model->read = model->write = {};
    } else {
      return Status::InvalidArgument(
          "option 'latency' must be aws or none, "
          "got '" +
          std::string(value) + "'");
    }
    return true;
  }
  if (name == "invoke_ms") return ms(&model->invoke);
  if (name == "read_ms") return ms(&model->read);
  if (name == "write_ms") return ms(&model->write);
  if (name == "latency_spread") {
    if (!ParseDouble(value, 0, 3, &model->spread)) {
      return BadNumber(name, value, 3);
    }
    return true;
  }
  if (name == "max_in_flight") {
    int64_t n = 0;
    if (!ParseInt(value, 1, 100000, &n)) {
      return BadIntegerOption(name, 1, 100000, value);
    }
    model->max_in_flight = static_cast<int>(n);
    return true;
  }
  return false;
}

}  // namespace unum
