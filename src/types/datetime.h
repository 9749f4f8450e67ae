// DateTime and TimeSpan arithmetic on 100-nanosecond ticks. A datetime is ticks since the Unix epoch (UTC);
// a timespan is a signed tick count. This file parses and formats both; it does not know about time zones.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kql {

inline constexpr int64_t kTicksPerMicrosecond = 10;
inline constexpr int64_t kTicksPerMillisecond = 10'000;
inline constexpr int64_t kTicksPerSecond = 10'000'000;
inline constexpr int64_t kTicksPerMinute = 60 * kTicksPerSecond;
inline constexpr int64_t kTicksPerHour = 60 * kTicksPerMinute;
inline constexpr int64_t kTicksPerDay = 24 * kTicksPerHour;
/// Ticks of 0001-01-01T00:00:00Z (datetime's minimum) relative to the Unix epoch.
inline constexpr int64_t kMinDateTimeTicks = -62135596800LL * kTicksPerSecond;
/// Ticks of 9999-12-31T23:59:59.9999999Z (datetime's maximum) relative to the Unix epoch.
inline constexpr int64_t kMaxDateTimeTicks = 253402300800LL * kTicksPerSecond - 1;

/// A broken-down UTC date and time.
struct CivilTime {
  int64_t year = 1970;
  int month = 1;        ///< 1..12
  int day = 1;          ///< 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t fraction = 0;  ///< Ticks within the second, 0..9999999.
};

/// Days since 1970-01-01 for a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t year, int month, int day);
/// Splits ticks since the epoch into a civil UTC time.
CivilTime CivilFromTicks(int64_t ticks);
/// Joins a civil UTC time into ticks since the epoch.
int64_t TicksFromCivil(const CivilTime& civil);

/// Parses the datetime forms KQL accepts: ISO 8601 ("2024-01-02", "2024-01-02T03:04:05.1234567Z", with a space
/// instead of T, with a +hh:mm offset), RFC 1123 ("Sat, 08 Nov 2014 15:05:02 GMT"), and the export styles
/// "Oct 9, 2024 2:41:10 PM" and "4/4/2025, 9:18:26.637 PM". Returns ticks or nullopt.
std::optional<int64_t> ParseDateTime(std::string_view text);

/// Formats as ISO 8601 UTC ending in Z with the fraction trimmed of trailing zeros ("2024-01-02T03:04:05.5Z").
std::string FormatDateTime(int64_t ticks);
/// Formats as ISO 8601 UTC with all seven fraction digits ("2024-01-02T03:04:05.0000000Z"), as Kusto prints it.
std::string FormatDateTimeFull(int64_t ticks);

/// Parses "[-][d.]hh:mm[:ss[.fffffff]]" and the literal forms "1d", "1.5h", "30m", "10s", "100ms",
/// "5microseconds", "1tick", "2days". Returns ticks or nullopt.
std::optional<int64_t> ParseTimeSpan(std::string_view text);

/// Formats as "[-][d.]hh:mm:ss[.fffffff]" with seven fraction digits when the fraction is non-zero.
std::string FormatTimeSpan(int64_t ticks);

}  // namespace kql
