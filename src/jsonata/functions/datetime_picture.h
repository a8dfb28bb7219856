// Date/time pictures (XPath format-dateTime): literal text and markers
// such as [Y0001], [MNn,3-3], [D1o], [h]:[m01][P], [Z01:01], used by
// $fromMillis and $now to format and by $toMillis to parse.
#ifndef UNUM_JSONATA_FUNCTIONS_DATETIME_PICTURE_H_
#define UNUM_JSONATA_FUNCTIONS_DATETIME_PICTURE_H_

#include <optional>
#include <string>
#include <vector>

namespace unum::jsonata {

struct DateMarker {
  char component = 'Y';      // Y M D d F W w X x H h P m s f Z z C E
  std::string presentation;  // e.g. "0001", "Nn", "w" (defaulted)
  bool ordinal = false;      // `o` modifier
  bool traditional = false;  // `t` modifier
  int min_width = -1;        // -1: not given
  int max_width = -1;        // -1: not given or `*`
};

struct DatePart {
  bool literal = true;
  std::string text;  // literal text
  DateMarker marker;
};

// Throws JsonataError D3132 (unknown component), D3133 (names on a
// component that has none) or D3135 (no closing bracket).
std::vector<DatePart> ParseDatePicture(const std::string& picture);

// `ms` formatted for a timezone `offset_minutes` east of UTC (NaN when
// the timezone text was not a number, as jsonata then writes NaN).
std::string FormatDateTime(double ms, const std::vector<DatePart>& picture,
                           double offset_minutes);

// Reads `text` with the picture: milliseconds since the epoch; nullopt
// when the text does not match. Components the picture lacks at the top
// (year, month, day) come from `now_ms`; throws D3136 when it lacks one
// in the middle.
std::optional<double> ParseDateTime(const std::string& text,
                                    const std::vector<DatePart>& picture,
                                    double now_ms);

}  // namespace unum::jsonata

#endif  // UNUM_JSONATA_FUNCTIONS_DATETIME_PICTURE_H_
