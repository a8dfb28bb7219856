// ParseDateTime: a timestamp read with a date/time picture. The picture
// becomes one anchored regular expression (a group per marker); each
// group is then read as its marker's presentation.
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/functions/civil_time.h"
#include "jsonata/functions/datetime_picture.h"
#include "jsonata/functions/format_integer.h"
#include "jsonata/regex.h"

namespace unum::jsonata {
namespace {

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

std::string Escape(const std::string& literal) {
  std::string out;
  for (char c : literal) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) !=
        std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

bool IsName(const std::string& p) { return p == "N" || p == "n" || p == "Nn"; }

std::string PatternFor(const DateMarker& m) {
  if (m.component == 'Z' || m.component == 'z') {
    bool separated = false;
    for (char c : m.presentation) {
      separated = separated || !(c >= '0' && c <= '9');
    }
    std::string zone = separated ? "[+-][0-9]+:[0-9]{2}" : "[+-][0-9]+";
    return m.component == 'z' ? "GMT" + zone : zone;
  }
  if (m.component == 'P' || m.component == 'C' || m.component == 'E' ||
      IsName(m.presentation)) {
    return "[A-Za-z]+";
  }
  IntegerPicture pic = AnalyseIntegerPicture(m.presentation);
  switch (pic.kind) {
    case IntegerPicture::Kind::kWords:
      return "[A-Za-z]+(?:(?:[ -]|, ?)[A-Za-z]+)*";
    case IntegerPicture::Kind::kRoman:
      return "[MDCLXVImdclxvi]+";
    case IntegerPicture::Kind::kLetters:
      return "[A-Za-z]+";
    case IntegerPicture::Kind::kDecimal:
      break;
  }
  int digits = std::max(1, pic.mandatory_digits);
  std::string p = "[0-9]{" + std::to_string(digits) + ",}";
  if (m.ordinal) p += "(?:st|nd|rd|th)";
  return p;
}

// The timezone offset in minutes written as +hh:mm, +hhmm or +h.
std::optional<double> ZoneOffset(std::string s) {
  if (s.rfind("GMT", 0) == 0) s = s.substr(3);
  if (s.empty()) return std::nullopt;
  double sign = s[0] == '-' ? -1 : 1;
  std::string digits;
  for (char c : s.substr(1)) {
    if (c != ':') digits += c;
  }
  if (digits.empty()) return std::nullopt;
  double n = std::stod(digits);
  if (digits.size() <= 2) return sign * n * 60;
  return sign * (std::floor(n / 100) * 60 + std::fmod(n, 100));
}

}  // namespace

std::optional<double> ParseDateTime(const std::string& text,
                                    const std::vector<DatePart>& picture,
                                    double now_ms) {
  std::string pattern = "^";
  std::vector<const DateMarker*> markers;
  for (const DatePart& part : picture) {
    if (part.literal) {
      pattern += Escape(part.text);
    } else {
      pattern += "(" + PatternFor(part.marker) + ")";
      markers.push_back(&part.marker);
    }
  }
  pattern += "$";
  std::shared_ptr<const Regex> re = Regex::Compile(pattern, "", -1);
  std::optional<Regex::Match> match = re->Find(text, 0);
  if (!match) return std::nullopt;
  // Y M D d H m s f, and the offset; nullopt: not given.
  std::optional<double> year, month, day, yday, hour, minute, second, millis;
  std::optional<double> offset;
  bool pm = false, has_pm = false;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const DateMarker& m = *markers[i];
    const auto& g = match->groups[i];
    std::string value = g ? text.substr(g->first, g->second - g->first) : "";
    if (m.component == 'P') {
      has_pm = true;
      pm = value == "pm" || value == "PM" || value == "Pm";
      continue;
    }
    if (m.component == 'Z' || m.component == 'z') {
      offset = ZoneOffset(value);
      continue;
    }
    if (m.component == 'M' && IsName(m.presentation)) {
      month.reset();
      for (int k = 0; k < 12; ++k) {
        std::string name = kMonths[k];
        if (m.max_width > 0 && static_cast<int>(name.size()) > m.max_width) {
          name.resize(static_cast<std::size_t>(m.max_width));
        }
        if (name == value) month = k + 1;
      }
      continue;
    }
    if (std::string_view("FWwXxCE").find(m.component) !=
        std::string_view::npos) {
      continue;
    }
    std::optional<double> n =
        ParseIntegerAs(value, AnalyseIntegerPicture(m.presentation));
    switch (m.component) {
      case 'Y':
        year = n;
        break;
      case 'M':
        month = n;
        break;
      case 'D':
        day = n;
        break;
      case 'd':
        yday = n;
        break;
      case 'H':
        hour = n;
        break;
      case 'h':
        hour = n;
        break;
      case 'm':
        minute = n;
        break;
      case 's':
        second = n;
        break;
      case 'f':
        millis = n;
        break;
      default:
        break;
    }
  }
  if (has_pm && hour) {
    double h = std::fmod(*hour, 12);
    hour = pm ? h + 12 : h;
  }
  // Missing components: the leading ones come from now, the trailing ones
  // are the smallest values; one missing in between is an error.
  auto fill = [](std::vector<std::optional<double>*> parts,
                 const std::vector<double>& now,
                 const std::vector<double>& low) {
    int first = -1, last = -1;
    for (int i = 0; i < static_cast<int>(parts.size()); ++i) {
      if (*parts[static_cast<std::size_t>(i)]) {
        if (first < 0) first = i;
        last = i;
      }
    }
    for (int i = first; i >= 0 && i <= last; ++i) {
      if (!*parts[static_cast<std::size_t>(i)]) throw JsonataError("D3136", -1);
    }
    for (int i = 0; i < static_cast<int>(parts.size()); ++i) {
      auto& p = *parts[static_cast<std::size_t>(i)];
      if (p) continue;
      p = (first >= 0 && i < first) || first < 0
              ? now[static_cast<std::size_t>(i)]
              : low[static_cast<std::size_t>(i)];
    }
    return first >= 0;
  };
  CivilTime now = ToCivil(now_ms);
  bool has_time = hour || minute || second || millis;
  if (yday) {
    fill({&year, &yday}, {static_cast<double>(now.year), 1.0}, {0, 1});
    month = 1;
    day = *yday;
  } else {
    std::vector<double> today{static_cast<double>(now.year),
                              static_cast<double>(now.month),
                              static_cast<double>(now.day)};
    bool has_date = year || month || day;
    if (!has_date && !has_time) return std::nullopt;
    if (has_date) {
      fill({&year, &month, &day}, today, {0, 1, 1});
    } else {
      year = today[0];
      month = today[1];
      day = today[2];
    }
  }
  if (has_time) {
    fill({&hour, &minute, &second, &millis},
         {static_cast<double>(now.hour), static_cast<double>(now.minute),
          static_cast<double>(now.second), static_cast<double>(now.millis)},
         {0, 0, 0, 0});
  } else {
    hour = minute = second = millis = 0;
  }
  double ms = FromCivil(*year, *month, *day, *hour, *minute, *second, *millis);
  if (offset) ms -= *offset * 60000;
  return ms;
}

}  // namespace unum::jsonata
