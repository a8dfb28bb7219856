// $now, $millis, $fromMillis, $toMillis.
#include <cmath>
#include <cstdlib>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/functions/civil_time.h"
#include "jsonata/functions/datetime_picture.h"
#include "jsonata/functions/registry.h"
#include "jsonata/regex.h"

namespace unum::jsonata {
namespace {

// jsonata reads a timezone as a number ±HHMM (parseInt: it stops at the
// first non-digit) and splits it by 100: minutes east of UTC.
double ZoneMinutes(const std::string& tz) {
  std::size_t i = 0;
  bool negative = false;
  if (i < tz.size() && (tz[i] == '+' || tz[i] == '-'))
    negative = tz[i++] == '-';
  double n = 0;
  bool any = false;
  while (i < tz.size() && tz[i] >= '0' && tz[i] <= '9') {
    n = n * 10 + (tz[i++] - '0');
    any = true;
  }
  if (!any) return std::nan("");
  if (negative) n = -n;
  return std::floor(n / 100) * 60 + std::fmod(n, 100);
}

std::string Format(double ms, const Value& picture, const Value& timezone) {
  ms = std::floor(ms);
  double offset = timezone.undefined() ? 0 : ZoneMinutes(timezone.string());
  std::string pic =
      !picture.undefined() ? picture.string()
      : timezone.undefined()
          ? "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z"
          : "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
  return FormatDateTime(ms, ParseDatePicture(pic), offset);
}

// An ISO 8601 timestamp as JavaScript's Date.parse reads it: NaN for
// fields out of range, D3110 when the text is not of the form at all.
double ParseIso(const std::string& s) {
  static const auto kIso = Regex::Compile(
      "^([0-9]{4})(?:-([01][0-9]))?(?:-([0-3][0-9]))?"
      "(?:T([0-2][0-9]):([0-5][0-9]):([0-5][0-9])(?:\\.([0-9]+))?)?"
      "(Z|[+-][0-2][0-9]:?[0-5][0-9])?$",
      "", -1);
  auto m = kIso->Find(s, 0);
  if (!m) throw JsonataError("D3110", -1).With(Value::String(s));
  auto group = [&](int i) -> std::string {
    const auto& g = m->groups[static_cast<std::size_t>(i - 1)];
    return g ? s.substr(g->first, g->second - g->first) : "";
  };
  auto num = [&](int i, double fallback) {
    std::string g = group(i);
    return g.empty() ? fallback : std::atof(g.c_str());
  };
  if (!group(8).empty() && group(4).empty()) {
    throw JsonataError("D3110", -1).With(Value::String(s));
  }
  double year = num(1, 1970), month = num(2, 1), day = num(3, 1);
  double hour = num(4, 0), minute = num(5, 0), second = num(6, 0);
  std::string fraction = group(7);
  double millis =
      fraction.empty() ? 0 : std::atof(("0." + fraction).c_str()) * 1000;
  millis = std::floor(millis + 1e-9);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 ||
      (hour == 24 && (minute > 0 || second > 0 || millis > 0))) {
    return std::nan("");
  }
  double ms = FromCivil(year, month, day, hour, minute, second, millis);
  std::string zone = group(8);
  if (!zone.empty() && zone != "Z") {
    std::string digits;
    for (char c : zone.substr(1)) {
      if (c != ':') digits += c;
    }
    double hh = std::atof(digits.substr(0, 2).c_str());
    double mm = std::atof(digits.substr(2).c_str());
    if (hh > 23) return std::nan("");
    double offset = (hh * 60 + mm) * (zone[0] == '-' ? -1 : 1);
    ms -= offset * 60000;
  }
  return ms;
}

Value Now(Evaluator& ev, const CallContext&, std::vector<Value>& args) {
  return Value::String(Format(ev.now_millis(), Arg(args, 0), Arg(args, 1)));
}

Value Millis(Evaluator& ev, const CallContext&, std::vector<Value>&) {
  return Value::Number(ev.now_millis());
}

Value FromMillis(Evaluator&, const CallContext&, std::vector<Value>& args) {
  const Value& ms = Arg(args, 0);
  if (ms.undefined()) return Value();
  return Value::String(Format(ms.number(), Arg(args, 1), Arg(args, 2)));
}

Value ToMillis(Evaluator& ev, const CallContext&, std::vector<Value>& args) {
  const Value& s = Arg(args, 0);
  if (s.undefined()) return Value();
  const Value& picture = Arg(args, 1);
  if (picture.undefined()) return Value::Number(ParseIso(s.string()));
  std::optional<double> ms = ParseDateTime(
      s.string(), ParseDatePicture(picture.string()), ev.now_millis());
  return ms ? Value::Number(*ms) : Value();
}

}  // namespace

void AddDateTimeFunctions(std::vector<BuiltinSpec>& out) {
  out.push_back({"now", "<s?s?:s>", Now});
  out.push_back({"millis", "<:n>", Millis});
  out.push_back({"fromMillis", "<n-s?s?:s>", FromMillis});
  out.push_back({"toMillis", "<s-s?:n>", ToMillis});
}

}  // namespace unum::jsonata
