// RFC 3339 timestamps as the States Language uses them (Timestamp* Choice
// operators, IsTimestamp): parsed into an instant that compares correctly
// across UTC offsets.
//
// Accepted form: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), upper-case
// T and Z, seconds 00-59, a real calendar date. Fractions keep nanosecond
// precision (further digits are ignored).
#ifndef UNUM_ASL_DATAFLOW_TIMESTAMP_H_
#define UNUM_ASL_DATAFLOW_TIMESTAMP_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace unum::asl {

struct Timestamp {
  std::int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  std::int32_t nanos = 0;    // 0..999'999'999

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// The instant `text` names, or nullopt when it is not an RFC 3339
// timestamp of the accepted form.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_TIMESTAMP_H_
