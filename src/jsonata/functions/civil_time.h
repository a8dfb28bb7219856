// Proleptic Gregorian calendar arithmetic on milliseconds since the epoch
// (UTC), as JavaScript's Date does: fields from a time, a time from
// fields (out-of-range fields roll over, as Date.UTC), weekdays, ISO
// weeks and weeks of the month.
#ifndef UNUM_JSONATA_FUNCTIONS_CIVIL_TIME_H_
#define UNUM_JSONATA_FUNCTIONS_CIVIL_TIME_H_

#include <cstdint>

namespace unum::jsonata {

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
  int hour = 0, minute = 0, second = 0, millis = 0;
  int weekday = 4;      // ISO: 1 = Monday ... 7 = Sunday
  int day_of_year = 1;  // 1-366
};

CivilTime ToCivil(double ms);
// Date.UTC(year, month - 1, day, hour, minute, second, millis).
double FromCivil(double year, double month, double day, double hour,
                 double minute, double second, double millis);
// Days from 1970-01-01 to year-month-day (month 1-12).
std::int64_t DaysFromCivil(std::int64_t year, int month, int day);

// The ISO 8601 week (1-53) and its week-numbering year.
void IsoWeek(const CivilTime& t, int* week, std::int64_t* year);
// The week of the month (weeks start on Monday and belong to the month of
// their Thursday) and that month (1-12).
void WeekOfMonth(const CivilTime& t, int* week, int* month);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_CIVIL_TIME_H_
