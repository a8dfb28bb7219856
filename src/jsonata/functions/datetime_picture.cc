#include "jsonata/functions/datetime_picture.h"

#include <cctype>
#include <cmath>
#include <string_view>

#include "jsonata/error.h"
#include "jsonata/functions/civil_time.h"
#include "jsonata/functions/format_integer.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

constexpr std::string_view kComponents = "YMDdFWwXxHhPmsfZzCE";

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                             "Friday", "Saturday", "Sunday"};

std::string DefaultPresentation(char component) {
  switch (component) {
    case 'F':
    case 'P':
    case 'C':
    case 'E':
      return "n";
    case 'm':
    case 's':
      return "01";
    case 'Z':
    case 'z':
      return "01:01";
    default:
      return "1";
  }
}

bool IsName(const std::string& p) { return p == "N" || p == "n" || p == "Nn"; }

int ParseWidth(const std::string& s) {
  if (s.empty() || s == "*") return -1;
  int n = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

DateMarker ParseMarker(const std::string& body) {
  DateMarker m;
  std::string text;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) text += c;
  }
  if (text.empty() || kComponents.find(text[0]) == std::string_view::npos) {
    throw JsonataError("D3132", -1)
        .With(Value::String(text.empty() ? "" : text.substr(0, 1)));
  }
  m.component = text[0];
  std::string rest = text.substr(1);
  std::size_t comma = rest.rfind(',');
  std::string width;
  if (comma != std::string::npos) {
    width = rest.substr(comma + 1);
    rest = rest.substr(0, comma);
    std::size_t dash = width.find('-');
    m.min_width = ParseWidth(width.substr(0, dash));
    if (dash != std::string::npos)
      m.max_width = ParseWidth(width.substr(dash + 1));
  }
  if (rest.size() > 1 && (rest.back() == 'o' || rest.back() == 't')) {
    (rest.back() == 'o' ? m.ordinal : m.traditional) = true;
    rest.pop_back();
  }
  if (rest.empty()) rest = DefaultPresentation(m.component);
  if (IsName(rest) &&
      std::string_view("MFPCE").find(m.component) == std::string_view::npos &&
      m.component != 'Z' && m.component != 'z') {
    throw JsonataError("D3133", -1)
        .With(Value::String(std::string(1, m.component)));
  }
  m.presentation = rest;
  return m;
}

std::string ApplyNameCase(std::string name, const std::string& presentation) {
  if (presentation == "N") {
    for (char& c : name) c = static_cast<char>(std::toupper(c));
  } else if (presentation == "n") {
    for (char& c : name) c = static_cast<char>(std::tolower(c));
  }
  return name;
}

std::string FormatNumberPart(double value, const DateMarker& m) {
  IntegerPicture pic =
      AnalyseIntegerPicture(m.presentation + (m.ordinal ? ";o" : ""));
  std::string out = FormatIntegerAs(value, pic);
  if (pic.kind != IntegerPicture::Kind::kDecimal) return out;
  // A year keeps as many digits as its picture or width asks for (the
  // rightmost): [Y01] is "24", [Y,2] too; [Y1] and [Y] are the whole year.
  int max = m.max_width;
  if (m.component == 'Y' && max < 0 && m.min_width > 0) max = m.min_width;
  if (m.component == 'Y' && max < 0 && pic.mandatory_digits >= 2) {
    max = pic.mandatory_digits;
  }
  if (m.component == 'Y' && max > 0 &&
      static_cast<int>(CodePointCount(out)) > max) {
    std::vector<std::uint32_t> cps = CodePoints(out);
    out = FromCodePoints(cps, cps.size() - static_cast<std::size_t>(max),
                         cps.size());
  }
  while (m.min_width > 0 &&
         static_cast<int>(CodePointCount(out)) < m.min_width) {
    std::string zero;
    AppendUtf8(zero, pic.zero);
    out = zero + out;
  }
  return out;
}

std::string FormatName(const std::string& name, const DateMarker& m) {
  std::string out = ApplyNameCase(name, m.presentation);
  if (m.max_width > 0 && static_cast<int>(out.size()) > m.max_width) {
    out.resize(static_cast<std::size_t>(m.max_width));
  }
  return out;
}

std::string FormatZone(double offset, const DateMarker& m) {
  std::string p = m.presentation;
  if (m.traditional && offset == 0) return "Z";
  int digits = 0;
  std::size_t separator = std::string::npos;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (DigitZero(static_cast<unsigned char>(p[i]))) {
      ++digits;
    } else if (separator == std::string::npos && i > 0) {
      separator = i;
    } else {
      throw JsonataError("D3134", -1);
    }
  }
  if (digits == 0 || digits > 4) {
    throw JsonataError("D3134", -1).With(Value::Number(digits));
  }
  if (std::isnan(offset)) return "NaN:NaN";
  double hours = std::trunc(offset / 60);
  double minutes = std::fmod(offset, 60);
  std::string sign = offset >= 0 ? "+" : "";
  if (separator != std::string::npos) {
    IntegerPicture h = AnalyseIntegerPicture(p.substr(0, separator));
    IntegerPicture mm = AnalyseIntegerPicture(p.substr(separator + 1));
    return (offset < 0 ? "-" : "+") + FormatIntegerAs(std::fabs(hours), h) +
           p[separator] + FormatIntegerAs(std::fabs(minutes), mm);
  }
  IntegerPicture pic = AnalyseIntegerPicture(p);
  if (digits <= 2) {
    std::string out = sign + FormatIntegerAs(hours, pic);
    if (minutes != 0) {
      out += ":" + FormatIntegerAs(minutes, AnalyseIntegerPicture("00"));
    }
    return out;
  }
  return sign + FormatIntegerAs(hours * 100 + minutes, pic);
}

}  // namespace

std::vector<DatePart> ParseDatePicture(const std::string& picture) {
  std::vector<DatePart> parts;
  std::string literal;
  std::size_t i = 0;
  while (i < picture.size()) {
    char c = picture[i];
    if (c == '[' && i + 1 < picture.size() && picture[i + 1] == '[') {
      literal += '[';
      i += 2;
      continue;
    }
    if (c == ']' && i + 1 < picture.size() && picture[i + 1] == ']') {
      literal += ']';
      i += 2;
      continue;
    }
    if (c != '[') {
      literal += c;
      ++i;
      continue;
    }
    std::size_t end = picture.find(']', i);
    if (end == std::string::npos) throw JsonataError("D3135", -1);
    if (!literal.empty()) {
      parts.push_back(DatePart{true, literal, {}});
      literal.clear();
    }
    DatePart part;
    part.literal = false;
    part.marker = ParseMarker(picture.substr(i + 1, end - i - 1));
    parts.push_back(std::move(part));
    i = end + 1;
  }
  if (!literal.empty()) parts.push_back(DatePart{true, literal, {}});
  return parts;
}

std::string FormatDateTime(double ms, const std::vector<DatePart>& picture,
                           double offset_minutes) {
  bool bad_zone = std::isnan(offset_minutes);
  CivilTime t = ToCivil(ms + (bad_zone ? 0 : offset_minutes * 60000));
  std::string out;
  for (const DatePart& part : picture) {
    if (part.literal) {
      out += part.text;
      continue;
    }
    const DateMarker& m = part.marker;
    if (bad_zone && m.component != 'C' && m.component != 'E') {
      out += "NaN";
      continue;
    }
    double value = 0;
    switch (m.component) {
      case 'Y':
        value = static_cast<double>(t.year);
        break;
      case 'M':
        if (IsName(m.presentation)) {
          out += FormatName(kMonths[t.month - 1], m);
          continue;
        }
        value = t.month;
        break;
      case 'D':
        value = t.day;
        break;
      case 'd':
        value = t.day_of_year;
        break;
      case 'F':
        if (IsName(m.presentation)) {
          out += FormatName(kDays[t.weekday - 1], m);
          continue;
        }
        value = t.weekday;
        break;
      case 'W':
      case 'X': {
        int week;
        std::int64_t year;
        IsoWeek(t, &week, &year);
        value = m.component == 'W' ? week : static_cast<double>(year);
        break;
      }
      case 'w':
      case 'x': {
        int week, month;
        WeekOfMonth(t, &week, &month);
        value = m.component == 'w' ? week : month;
        break;
      }
      case 'H':
        value = t.hour;
        break;
      case 'h':
        value = t.hour % 12 == 0 ? 12 : t.hour % 12;
        break;
      case 'P':
        out += FormatName(t.hour < 12 ? "am" : "pm", m);
        continue;
      case 'm':
        value = t.minute;
        break;
      case 's':
        value = t.second;
        break;
      case 'f':
        value = t.millis;
        break;
      case 'Z':
        out += FormatZone(offset_minutes, m);
        continue;
      case 'z':
        out += "GMT" + FormatZone(offset_minutes, m);
        continue;
      default:  // C, E
        out += "ISO";
        continue;
    }
    out += FormatNumberPart(value, m);
  }
  return out;
}

}  // namespace unum::jsonata
