// lib/time.hpp: event times (UTC seconds) and durations; parsing and RFC 3339 printing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/error.hpp"

namespace nexadex {

// Seconds since 1970-01-01T00:00:00Z. Every event carries one (SPEC §2).
struct Timestamp {
  int64_t seconds = 0;
  constexpr auto operator<=>(const Timestamp&) const = default;
};

// A length of time in seconds.
struct Duration {
  int64_t seconds = 0;
  constexpr auto operator<=>(const Duration&) const = default;
};

constexpr int64_t k_seconds_per_day = 86'400;
constexpr int64_t k_seconds_per_year = 365 * k_seconds_per_day;  // SPEC §2: 1y = 365d

// The UTC day of a time (days since 1970-01-01); −1 for any time before it.
inline int64_t utc_day(Timestamp t) { return t.seconds >= 0 ? t.seconds / k_seconds_per_day : -1; }

// Accepts exactly "2026-01-01T00:00:00Z", "2026-01-01" (midnight UTC) or "@1767225600". A calendar
// date that does not exist (2026-02-30), an offset other than Z, fractional seconds, a time before
// 1970 or after 9999 are refused with ErrorKind::input naming `what`.
Result<Timestamp> parse_time(std::string_view text, std::string_view what);

// "30d", "12h", "90m", "45s", "1y" (365 days); a non-negative whole number and one unit letter.
Result<Duration> parse_duration(std::string_view text, std::string_view what);

// RFC 3339 UTC, "2026-01-01T00:00:00Z".
std::string format_time(Timestamp t);
// The shortest exact form: "90m" -> "90m", 86400 s -> "1d", 0 -> "0s".
std::string format_duration(Duration d);
// For humans: "3d 4h", "12m 5s", "0s".
std::string format_age(Duration d);

}  // namespace nexadex
