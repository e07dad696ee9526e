// lib/time.cpp: time parsing with Howard Hinnant's civil-calendar algorithms (no tz database).
#include "lib/time.hpp"

#include <date/date.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <sstream>

namespace nexadex {
namespace {

constexpr std::string_view k_forms = "2026-01-01T00:00:00Z, 2026-01-01 or @1767225600";

std::unexpected<Error> bad_time(std::string_view what, std::string_view text, std::string_view why) {
  return input_error(std::string(what) + " '" + std::string(text) + "' is not a valid time: " +
                     std::string(why) + "; use " + std::string(k_forms) + ".");
}

}  // namespace

Result<Timestamp> parse_time(std::string_view text, std::string_view what) {
  if (text.empty()) return input_error(std::string(what) + " is empty; use " + std::string(k_forms) + ".");
  if (text[0] == '@') {
    std::string_view n = text.substr(1);
    if (n.empty() || n.size() > 12) return bad_time(what, text, "'@' takes whole UTC seconds");
    int64_t v = 0;
    for (char c : n) {
      if (c < '0' || c > '9') return bad_time(what, text, "'@' takes whole UTC seconds");
      v = v * 10 + (c - '0');
    }
    if (v > 253402300799) return bad_time(what, text, "it is after 9999-12-31");
    return Timestamp{v};
  }
  // Shape first (date::parse alone would take "2026-1-1"), then the calendar from date::parse.
  const bool date_only = text.size() == 10;
  if (!date_only && text.size() != 20) return bad_time(what, text, "unrecognised form");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char want = "dddd-dd-ddTdd:dd:ddZ"[i];
    const bool ok = want == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == want;
    if (!ok) return bad_time(what, text, date_only || i < 10 ? "unrecognised form"
                                                             : "unrecognised form (times are UTC and end in Z)");
  }
  std::istringstream in{std::string(text)};
  date::sys_seconds tp;
  if (date_only) {
    date::sys_days day;
    in >> date::parse("%Y-%m-%d", day);
    tp = day;
  } else {
    in >> date::parse("%Y-%m-%dT%H:%M:%SZ", tp);
  }
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return bad_time(what, text, "that date or time of day does not exist");
  }
  const int64_t seconds = tp.time_since_epoch().count();
  if (seconds < 0) return bad_time(what, text, "it is before 1970");
  return Timestamp{seconds};
}

Result<Duration> parse_duration(std::string_view text, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return input_error(std::string(what) + " '" + std::string(text) + "' is not a valid duration: " +
                       std::string(why) + "; write a whole number and a unit, as in 30d, 12h, 90m, 45s or 1y.");
  };
  if (text.size() < 2) return bad("too short");
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = k_seconds_per_day; break;
    case 'y': unit = k_seconds_per_year; break;
    default: return bad("unknown unit");
  }
  int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return bad("the count must be whole digits");
    if (n > 1'000'000'000) return bad("it is too long");
    n = n * 10 + (c - '0');
  }
  if (n > 1'000'000'000) return bad("it is too long");
  return Duration{n * unit};
}

std::string format_time(Timestamp t) {
  const int64_t days = t.seconds >= 0 ? t.seconds / k_seconds_per_day
                                      : -((-t.seconds + k_seconds_per_day - 1) / k_seconds_per_day);
  const int64_t secs = t.seconds - days * k_seconds_per_day;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[64];
  const int64_t h = secs / 3600, m = secs / 60 % 60, s = secs % 60;
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(h), static_cast<long long>(m), static_cast<long long>(s));
  return buf;
}

std::string format_duration(Duration d) {
  const int64_t s = d.seconds;
  if (s != 0 && s % k_seconds_per_year == 0) return std::to_string(s / k_seconds_per_year) + "y";
  if (s != 0 && s % k_seconds_per_day == 0) return std::to_string(s / k_seconds_per_day) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string format_age(Duration d) {
  int64_t s = d.seconds < 0 ? -d.seconds : d.seconds;
  const char* sign = d.seconds < 0 ? "-" : "";
  const int64_t days = s / k_seconds_per_day, hours = s / 3600 % 24, mins = s / 60 % 60, secs = s % 60;
  std::string out;
  if (days) out = std::to_string(days) + "d " + std::to_string(hours) + "h";
  else if (hours) out = std::to_string(hours) + "h " + std::to_string(mins) + "m";
  else if (mins) out = std::to_string(mins) + "m " + std::to_string(secs) + "s";
  else out = std::to_string(secs) + "s";
  return sign + out;
}

}  // namespace nexadex
