// tests/lib/time_test.cpp: the three time forms and the durations of SPEC §2, and their printing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/time.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;

namespace {

int64_t seconds_of(std::string_view text) {
  auto r = parse_time(text, "--at");
  if (!r) FAIL("'" << text << "' was refused: " << r.error().message);
  return r->seconds;
}

void time_refused(std::string_view text) {
  CAPTURE(text);
  auto r = parse_time(text, "--as-of");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("--as-of"));
}

int64_t duration_of(std::string_view text) {
  auto r = parse_duration(text, "--lock");
  if (!r) FAIL("'" << text << "' was refused: " << r.error().message);
  return r->seconds;
}

void duration_refused(std::string_view text) {
  CAPTURE(text);
  auto r = parse_duration(text, "--lock");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("--lock"));
}

}  // namespace

TEST_CASE("parse_time accepts the RFC 3339 UTC form, a date and @seconds", "[time][parse]") {
  // 1970 -> 2026 is 56 years with 14 leap days (1972 ... 2024): (56 x 365 + 14) x 86,400 = 1,767,225,600
  CHECK(seconds_of("2026-01-01T00:00:00Z") == 1'767'225'600);
  // a date alone is midnight UTC
  CHECK(seconds_of("2026-01-01") == 1'767'225'600);
  CHECK(seconds_of("@1767225600") == 1'767'225'600);
  // the epoch itself, in all three forms
  CHECK(seconds_of("1970-01-01T00:00:00Z") == 0);
  CHECK(seconds_of("1970-01-01") == 0);
  CHECK(seconds_of("@0") == 0);
}

TEST_CASE("parse_time counts the days and seconds of the calendar", "[time][parse]") {
  // 2026-03-15: 31 (Jan) + 28 (Feb) + 14 = 73 days after 2026-01-01 -> 1,767,225,600 + 6,307,200
  //   12:34:56 = 43,200 + 2,040 + 56 = 45,296 s  ->  1,773,578,096
  CHECK(seconds_of("2026-03-15T12:34:56Z") == 1'773'578'096);
  // last second of 2026: 1,767,225,600 + 365 x 86,400 - 1 = 1,798,761,599
  CHECK(seconds_of("2026-12-31T23:59:59Z") == 1'798'761'599);
  // the latest time accepted: 9999-12-31T23:59:59Z = 253,402,300,799
  CHECK(seconds_of("9999-12-31T23:59:59Z") == 253'402'300'799);
  CHECK(seconds_of("@253402300799") == 253'402'300'799);
}

TEST_CASE("parse_time knows the leap days", "[time][parse]") {
  // 2028-02-29: 2026 and 2027 are 730 days -> 2028-01-01 = 1,830,297,600; + 59 days = 1,835,395,200
  CHECK(seconds_of("2028-02-29") == 1'835'395'200);
  CHECK(seconds_of("2028-02-29T23:59:59Z") == 1'835'395'200 + 86'399);
  // 2000 is a leap year (divisible by 400): 2000-03-01 = 951,868,800, so 02-29 = 951,782,400
  CHECK(seconds_of("2000-02-29") == 951'782'400);
  time_refused("2027-02-29");  // 2027 is not a leap year
  time_refused("2026-02-29");
  time_refused("2100-02-29");  // divisible by 100, not by 400
}

TEST_CASE("parse_time refuses every other form and names the argument", "[time][parse]") {
  const std::vector<std::string_view> bad = {
      "2026-1-1",
      "2026-01-1",
      "2026-02-30",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-01-32",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:60:00Z",
      "2026-01-01T23:59:60Z",  // no leap seconds in UTC seconds
      "2026-01-01T00:00:00+01:00",
      "2026-01-01T00:00:00+00:00",
      "2026-01-01T00:00:00-05:00",
      "2026-01-01 00:00:00",
      "2026-01-01 00:00:00Z",
      "2026-01-01T00:00:00",
      "2026-01-01T00:00:00z",
      "2026-01-01t00:00:00Z",
      "2026-01-01T00:00Z",
      "2026-01-01T00:00:00.5Z",
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00,5Z",
      "@-5",
      "@",
      "@+5",
      "@ 5",
      "@1.5",
      "@1e9",
      "@253402300800",  // after 9999-12-31T23:59:59Z
      "@99999999999999999999",
      "",
      " 2026-01-01",
      "2026-01-01 ",
      "20260101",
      "2026/01/01",
      "01-01-2026",
      "1767225600",
      "now",
      "1969-12-31",
      "1969-12-31T23:59:59Z",
      "0000-01-01",
  };
  for (auto text : bad) time_refused(text);
}

TEST_CASE("parse_time explains a refusal", "[time][parse]") {
  auto r = parse_time("2026-02-30", "--at");
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Contains("'2026-02-30'"));
  CHECK_THAT(r.error().message, Contains("does not exist"));
  auto before = parse_time("1969-12-31", "--at");
  REQUIRE_FALSE(before.has_value());
  CHECK_THAT(before.error().message, Contains("before 1970"));
  auto empty = parse_time("", "--at");
  REQUIRE_FALSE(empty.has_value());
  CHECK_THAT(empty.error().message, Contains("empty"));
}

TEST_CASE("format_time prints RFC 3339 UTC and parse_time reads it back", "[time][format]") {
  CHECK(format_time(Timestamp{1'767'225'600}) == "2026-01-01T00:00:00Z");
  CHECK(format_time(Timestamp{0}) == "1970-01-01T00:00:00Z");
  // 1,773,578,096 = 2026-03-15 12:34:56 (see above)
  CHECK(format_time(Timestamp{1'773'578'096}) == "2026-03-15T12:34:56Z");
  CHECK(format_time(Timestamp{1'835'395'200}) == "2028-02-29T00:00:00Z");
  CHECK(format_time(Timestamp{253'402'300'799}) == "9999-12-31T23:59:59Z");
  const std::vector<int64_t> times = {0, 1, 59, 86'399, 86'400, 951'782'400, 1'767'225'600, 1'798'761'599,
                                      1'835'395'200 + 86'399, 253'402'300'799};
  for (int64_t t : times) {
    CAPTURE(t);
    const std::string text = format_time(Timestamp{t});
    CHECK(seconds_of(text) == t);
    CHECK(seconds_of("@" + std::to_string(t)) == t);
  }
}

TEST_CASE("parse_duration reads a whole count and one unit", "[time][duration]") {
  // 30 x 86,400 = 2,592,000
  CHECK(duration_of("30d") == 2'592'000);
  // 12 x 3,600 = 43,200
  CHECK(duration_of("12h") == 43'200);
  // 90 x 60 = 5,400
  CHECK(duration_of("90m") == 5'400);
  CHECK(duration_of("45s") == 45);
  // SPEC §2: 1y = 365 d = 31,536,000 s (not 365.25 d)
  CHECK(duration_of("1y") == 31'536'000);
  // 2y = 63,072,000
  CHECK(duration_of("2y") == 63'072'000);
  CHECK(duration_of("0d") == 0);
  CHECK(duration_of("0s") == 0);
  // 1,000,000,000 y x 31,536,000 = 3.1536 x 10^16 s, still within int64
  CHECK(duration_of("1000000000y") == 31'536'000'000'000'000);
}

TEST_CASE("parse_duration refuses every other form and names the argument", "[time][duration]") {
  const std::vector<std::string_view> bad = {
      "",    "d",    "1",     "1w",   "1.5d", "-1d", "+1d", "10 d", " 1d", "1d ", "1D",  "1H",
      "1dd", "d1",   "1d2h",  "1e3d", "0x1d", "½d",  "s",   "y",    "1ms", "1,000d",
      "99999999999999999999s",  // 10^20 s: too long, never a wrap
      "9999999999999y",
  };
  for (auto text : bad) duration_refused(text);
}

TEST_CASE("format_duration prints the shortest exact form and round trips", "[time][duration][format]") {
  CHECK(format_duration(Duration{5'400}) == "90m");
  CHECK(format_duration(Duration{86'400}) == "1d");
  CHECK(format_duration(Duration{0}) == "0s");
  CHECK(format_duration(Duration{31'536'000}) == "1y");
  // 366 d is not a whole number of 365-day years
  CHECK(format_duration(Duration{366 * 86'400}) == "366d");
  CHECK(format_duration(Duration{2'592'000}) == "30d");
  CHECK(format_duration(Duration{43'200}) == "12h");
  CHECK(format_duration(Duration{3'600}) == "1h");
  CHECK(format_duration(Duration{300}) == "5m");
  CHECK(format_duration(Duration{90}) == "90s");
  // 1 d + 1 s has no coarser exact unit
  CHECK(format_duration(Duration{86'401}) == "86401s");
  const std::vector<int64_t> lengths = {0, 1, 45, 60, 90, 300, 3'600, 5'400, 43'200, 86'400, 86'401,
                                        2'592'000, 31'536'000, 31'536'000 + 86'400, 63'072'000};
  for (int64_t s : lengths) {
    CAPTURE(s);
    CHECK(duration_of(format_duration(Duration{s})) == s);
  }
}

TEST_CASE("format_age shows the two largest units for humans", "[time][duration][format]") {
  CHECK(format_age(Duration{0}) == "0s");
  CHECK(format_age(Duration{5}) == "5s");
  // 725 s = 12 m 5 s
  CHECK(format_age(Duration{725}) == "12m 5s");
  // 3 x 86,400 + 4 x 3,600 = 273,600 s = 3d 4h
  CHECK(format_age(Duration{273'600}) == "3d 4h");
  // 273,600 + 3,599 s still shows 3d 4h (the minutes are dropped, not rounded up)
  CHECK(format_age(Duration{273'600 + 3'599}) == "3d 4h");
  // 3,600 s = 1h 0m; 86,400 s = 1d 0h
  CHECK(format_age(Duration{3'600}) == "1h 0m");
  CHECK(format_age(Duration{86'400}) == "1d 0h");
  // 90 s = 1m 30s; a negative age (a price from the future) keeps its sign
  CHECK(format_age(Duration{90}) == "1m 30s");
  CHECK(format_age(Duration{-90}) == "-1m 30s");
  // 365 d = 365d 0h (ages are not shown in years)
  CHECK(format_age(Duration{31'536'000}) == "365d 0h");
}
