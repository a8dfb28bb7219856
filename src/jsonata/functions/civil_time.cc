#include "jsonata/functions/civil_time.h"

#include <cmath>

namespace unum::jsonata {
namespace {

constexpr double kMsPerDay = 86400000.0;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, int* m, int* d) {
  z += 719468;
  std::int64_t era = FloorDiv(z, 146097);
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

// The date of the Thursday in the (Monday-first) week of `t`.
CivilTime ThursdayOf(const CivilTime& t) {
  std::int64_t days = DaysFromCivil(t.year, t.month, t.day) + 4 - t.weekday;
  return ToCivil(static_cast<double>(days) * kMsPerDay);
}

}  // namespace

std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = m > 2 ? m - 3 : m + 9;
  std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime ToCivil(double ms) {
  CivilTime t;
  double days = std::floor(ms / kMsPerDay);
  double in_day = ms - days * kMsPerDay;
  auto day_number = static_cast<std::int64_t>(days);
  CivilFromDays(day_number, &t.year, &t.month, &t.day);
  auto rest = static_cast<std::int64_t>(in_day);
  t.hour = static_cast<int>(rest / 3600000);
  t.minute = static_cast<int>(rest / 60000 % 60);
  t.second = static_cast<int>(rest / 1000 % 60);
  t.millis = static_cast<int>(rest % 1000);
  // 1970-01-01 was a Thursday (ISO 4).
  t.weekday = static_cast<int>(((day_number % 7) + 7 + 3) % 7) + 1;
  t.day_of_year =
      static_cast<int>(day_number - DaysFromCivil(t.year, 1, 1)) + 1;
  return t;
}

double FromCivil(double year, double month, double day, double hour,
                 double minute, double second, double millis) {
  double months = month - 1;
  double y = year + std::floor(months / 12);
  double m = months - std::floor(months / 12) * 12;
  double days = static_cast<double>(DaysFromCivil(static_cast<std::int64_t>(y),
                                                  static_cast<int>(m) + 1, 1)) +
                day - 1;
  return days * kMsPerDay + hour * 3600000 + minute * 60000 + second * 1000 +
         millis;
}

void IsoWeek(const CivilTime& t, int* week, std::int64_t* year) {
  CivilTime thursday = ThursdayOf(t);
  *week = (thursday.day_of_year - 1) / 7 + 1;
  *year = thursday.year;
}

void WeekOfMonth(const CivilTime& t, int* week, int* month) {
  CivilTime thursday = ThursdayOf(t);
  *week = (thursday.day - 1) / 7 + 1;
  *month = thursday.month;
}

}  // namespace unum::jsonata
