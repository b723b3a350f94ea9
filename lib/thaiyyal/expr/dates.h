/// Instants for the date functions (spec 02 §9, decision D21): a millisecond
/// count since 1970-01-01T00:00:00Z in the proleptic Gregorian calendar, UTC
/// only, no leap seconds, limited to the years 0000-9999. Text in is the
/// RFC 3339 subset of §9.2; text out is the canonical
/// `YYYY-MM-DDTHH:MM:SS.sssZ`. No time zone database, locale or `tm`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace thaiyyal::expr::detail {

/// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in milliseconds.
inline constexpr std::int64_t kMinInstantMs = -62167219200000;
inline constexpr std::int64_t kMaxInstantMs = 253402300799999;

/// Outcome of parse_instant.
enum class InstantParse : std::uint8_t { Ok, Invalid, OutOfRange };

/// Parses an instant argument (§9.2) into `ms`. Invalid when the text does not
/// match the grammar or a field is out of its range; OutOfRange when the
/// instant (after applying the zone) lies outside the supported years.
InstantParse parse_instant(std::string_view text, std::int64_t& ms);

/// The canonical form of `ms`, which must lie in [kMinInstantMs, kMaxInstantMs].
std::string format_instant(std::int64_t ms);

/// The UTC calendar fields of an instant.
struct CivilTime {
  int year, month, day, hour, minute, second, millisecond;
};
CivilTime civil_time(std::int64_t ms);

/// `YYYY-MM-DD` of an instant.
std::string format_date(std::int64_t ms);

/// The current time from the system clock, truncated to milliseconds and
/// clamped to the supported range.
std::int64_t now_ms();

}  // namespace thaiyyal::expr::detail
