// tests/lib/money_test.cpp: decimal parsing, checked 128-bit arithmetic and printing of lib/money.hpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <type_traits>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "lib/money.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;

namespace {

constexpr int64_t k_max = std::numeric_limits<int64_t>::max();  //  9,223,372,036,854,775,807
constexpr int64_t k_min = std::numeric_limits<int64_t>::min();  // -9,223,372,036,854,775,808

// The units of an accepted decimal; fails the test with the parser's message otherwise.
int64_t accepted(std::string_view text, int decimals, Sign sign = Sign::any) {
  auto r = parse_decimal(text, decimals, sign, "amount");
  if (!r) FAIL("'" << text << "' was refused: " << r.error().message);
  return *r;
}

// A refused decimal: ErrorKind::input, the message names the argument.
void refused(std::string_view text, int decimals, Sign sign, std::string_view fragment = "") {
  CAPTURE(text, decimals);
  auto r = parse_decimal(text, decimals, sign, "--collateral");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("--collateral"));
  if (!fragment.empty()) CHECK_THAT(r.error().message, Contains(std::string(fragment)));
}

template <class T>
void is_error(const Result<T>& r, std::string_view fragment) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains(std::string(fragment)));
}

template <class A, class B>
concept addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept subtractable = requires(A a, B b) { a - b; };
template <class A, class B>
concept orderable = requires(A a, B b) { a < b; };

int64_t ok(const Result<int64_t>& r) {
  if (!r) FAIL("unexpected error: " << r.error().message);
  return *r;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing: the accepted forms of SPEC §2.

TEST_CASE("parse_usd reads whole, fractional, underscored and micro-unit decimals", "[money][parse]") {
  // 1000 USD x 10^6 = 1,000,000,000 micro-USD
  auto a = parse_usd("1000", Sign::positive, "amount");
  REQUIRE(a.has_value());
  CHECK(a->units() == 1'000'000'000);
  // 1000.5 -> 1000 x 10^6 + 0.5 x 10^6 = 1,000,500,000
  auto b = parse_usd("1000.5", Sign::positive, "amount");
  REQUIRE(b.has_value());
  CHECK(b->units() == 1'000'500'000);
  // 1_000.25 -> 1000.25 x 10^6 = 1,000,250,000 ('_' only groups digits)
  auto c = parse_usd("1_000.25", Sign::positive, "amount");
  REQUIRE(c.has_value());
  CHECK(c->units() == 1'000'250'000);
  // 0.000001 -> one micro-USD, the smallest unit
  auto d = parse_usd("0.000001", Sign::positive, "amount");
  REQUIRE(d.has_value());
  CHECK(d->units() == 1);
  // 1_000_000 -> 10^6 x 10^6 = 10^12
  CHECK(accepted("1_000_000", 6) == 1'000'000'000'000);
  // 12.345678 -> 12,345,678 (all six decimals used)
  CHECK(accepted("12.345678", 6) == 12'345'678);
  // 007.5 -> 7.5 x 10^6 = 7,500,000 (leading zeros are digits)
  CHECK(accepted("007.5", 6) == 7'500'000);
}

TEST_CASE("parse_usd: zero is allowed unless the amount must be positive", "[money][parse]") {
  // 0 -> 0 micro-USD with Sign::non_negative
  auto z = parse_usd("0", Sign::non_negative, "amount");
  REQUIRE(z.has_value());
  CHECK(z->is_zero());
  // 0.000000 -> 0
  CHECK(accepted("0.000000", 6, Sign::non_negative) == 0);
}

TEST_CASE("parse_decimal takes a leading '-' only with Sign::any", "[money][parse]") {
  // -2.5 -> -(2.5 x 10^6) = -2,500,000
  CHECK(accepted("-2.5", 6, Sign::any) == -2'500'000);
  // -0.000001 -> -1
  CHECK(accepted("-0.000001", 6, Sign::any) == -1);
  // -1_000 -> -1,000,000,000
  CHECK(accepted("-1_000", 6, Sign::any) == -1'000'000'000);
}

TEST_CASE("parse_price has 8 decimals and parse_shares 9", "[money][parse]") {
  // 65000 x 10^8 = 6,500,000,000,000
  auto p = parse_price("65000", "price");
  REQUIRE(p.has_value());
  CHECK(p->units() == 6'500'000'000'000);
  // 0.00000001 -> 1 (the smallest price unit)
  auto q = parse_price("0.00000001", "price");
  REQUIRE(q.has_value());
  CHECK(q->units() == 1);
  // 1_234.5 x 10^8 = 123,450,000,000
  auto r = parse_price("1_234.5", "price");
  REQUIRE(r.has_value());
  CHECK(r->units() == 123'450'000'000);
  // 1.000000001 shares -> 10^9 + 1 = 1,000,000,001
  auto s = parse_shares("1.000000001", Sign::positive, "--shares");
  REQUIRE(s.has_value());
  CHECK(s->units() == 1'000'000'001);
  // -3 shares with Sign::any -> -3 x 10^9
  auto t = parse_shares("-3", Sign::any, "--shares");
  REQUIRE(t.has_value());
  CHECK(t->units() == -3'000'000'000);
}

TEST_CASE("parse_decimal reaches both int64 edges exactly", "[money][parse][edge]") {
  // 9,223,372,036,854.775807 USD = INT64_MAX micro-USD
  CHECK(accepted("9223372036854.775807", 6) == k_max);
  // -9,223,372,036,854.775808 USD = INT64_MIN micro-USD
  CHECK(accepted("-9223372036854.775808", 6) == k_min);
  // 0 decimals: the units are the digits
  CHECK(accepted("9223372036854775807", 0) == k_max);
  CHECK(accepted("-9223372036854775808", 0) == k_min);
  // 92,233,720,368.54775807 = INT64_MAX price units
  auto p = parse_price("92233720368.54775807", "price");
  REQUIRE(p.has_value());
  CHECK(p->units() == k_max);
}

TEST_CASE("parse_int128 reaches both 128-bit edges and refuses beyond them, never wrapping", "[money][parse][edge]") {
  const int128 max = static_cast<int128>((static_cast<unsigned __int128>(1) << 127) - 1);
  CHECK(parse_int128("170141183460469231731687303715884105727", "x") == max);
  CHECK(parse_int128("-170141183460469231731687303715884105728", "x") == -max - 1);
  CHECK_FALSE(parse_int128("170141183460469231731687303715884105728", "x").has_value());
  CHECK_FALSE(parse_int128("-170141183460469231731687303715884105729", "x").has_value());
  // 40 digits: v * 10 passes 2^128 at the last digit; read as 83864733841876927341563481420579471359
  // before the fix (found by tests/fuzz/decimal_fuzz.cpp)
  CHECK_FALSE(parse_int128("1104711834604692317731687303715884105727", "x").has_value());
  CHECK_FALSE(parse_int128("-1104711834604692317731687303715884105727", "x").has_value());
  CHECK_FALSE(parse_int128(std::string(60, '9'), "x").has_value());
  CHECK(parse_int128("000000000000000000000000000000000000000000000042", "x") == 42);
}

// ---------------------------------------------------------------------------------------------
// Parsing: the refused forms of SPEC §2 and §10.

TEST_CASE("parse_decimal refuses every malformed form and names the argument", "[money][parse]") {
  const std::vector<std::string_view> bad = {
      "1,000", "1,000.5", "+5",    " 5",    "5 ",    " ",    "\t5",   "5\n",   "1 000", "1e3",   "1E3",
      "1.5e2", "e3",      "nan",   "NaN",   "inf",   "-inf", "Infinity",       "",      "1.",    ".5",
      "-.5",   "1__0",    "_1",    "1_",    "1_.5",  "1._5", "_",     ".",     "1.2.3", "-",     "--5",
      "-+5",   "+-5",     "0x10",  "5$",    "$5",    "5USD", "1/2",   "½",     "１",
  };
  for (auto text : bad) refused(text, 6, Sign::any);
}

TEST_CASE("parse_decimal says why a form is refused", "[money][parse]") {
  refused("1,000", 6, Sign::any, "1,000");               // the offending text is quoted
  refused("+5", 6, Sign::any, "'+'");
  refused(" 5", 6, Sign::any, "spaces");
  refused("5 ", 6, Sign::any, "spaces");
  refused("1e3", 6, Sign::any, "exponent");
  refused("", 6, Sign::any, "empty");
  refused("1__0", 6, Sign::any, "'_'");
  refused("1.", 6, Sign::any, "decimal point");
}

TEST_CASE("parse_usd refuses more decimals than a micro-unit holds", "[money][parse]") {
  // 0.0000001 USD is a tenth of a micro-unit: 7 decimals > 6
  refused("0.0000001", 6, Sign::any, "6 decimal places");
  // 1.0000000: seven decimals, even though the last is zero
  refused("1.0000000", 6, Sign::any, "decimal places");
  auto r = parse_usd("0.0000001", Sign::positive, "deposit amount");
  is_error(r, "deposit amount");
  // price: 9 decimals > 8
  is_error(parse_price("0.000000001", "--price"), "--price");
  // shares: 10 decimals > 9
  is_error(parse_shares("0.0000000001", Sign::positive, "--shares"), "--shares");
  // 0 decimals: any fraction is refused
  refused("5.0", 0, Sign::any);
}

TEST_CASE("parse_decimal refuses a sign where none is allowed", "[money][parse]") {
  refused("-5", 6, Sign::non_negative, "negative");
  refused("-5", 6, Sign::positive, "negative");
  refused("-0", 6, Sign::non_negative, "negative");  // the '-' itself is the error
  is_error(parse_usd("-1000", Sign::non_negative, "withdraw amount"), "withdraw amount");
  // a price is always positive
  is_error(parse_price("-65000", "price"), "price");
  is_error(parse_shares("-1", Sign::non_negative, "--shares"), "--shares");
}

TEST_CASE("parse_decimal refuses zero where a positive amount is required", "[money][parse]") {
  refused("0", 6, Sign::positive, "greater than zero");
  refused("0.000000", 6, Sign::positive, "greater than zero");
  refused("0_000", 6, Sign::positive, "greater than zero");
  is_error(parse_usd("0", Sign::positive, "--collateral"), "--collateral");
  // SPEC §10: a price <= 0 is refused
  is_error(parse_price("0", "price"), "price");
  is_error(parse_price("0.00000000", "price"), "price");
  is_error(parse_shares("0", Sign::positive, "--shares"), "--shares");
}

TEST_CASE("parse_decimal refuses values beyond int64", "[money][parse][edge]") {
  // INT64_MAX + 1 micro-USD = 9,223,372,036,854.775808
  refused("9223372036854.775808", 6, Sign::any, "too large");
  // INT64_MIN - 1 micro-USD = -9,223,372,036,854.775809
  refused("-9223372036854.775809", 6, Sign::any, "too large");
  // 9,223,372,036,855 USD x 10^6 > INT64_MAX: only the scaling overflows
  refused("9223372036855", 6, Sign::any, "too large");
  // INT64_MAX + 1 with 0 decimals
  refused("9223372036854775808", 0, Sign::any, "too large");
  refused("-9223372036854775809", 0, Sign::any, "too large");
  // far beyond: 10^40 (must not wrap back into range)
  refused("10000000000000000000000000000000000000000", 0, Sign::any, "too large");
  refused("18446744073709551616", 0, Sign::any, "too large");  // 2^64 wraps to 0 in 64 bits
  // INT64_MAX + 1 price units = 92,233,720,368.54775808
  is_error(parse_price("92233720368.54775808", "price"), "price");
}

// ---------------------------------------------------------------------------------------------
// Mixed-unit arithmetic: rounding toward -inf / +inf, checked narrowing.

TEST_CASE("floor_div and ceil_div round a 128-bit quotient toward -inf and +inf", "[money][arith]") {
  // 7 / 2 = 3.5 -> 3 and 4; -7 / 2 = -3.5 -> -4 and -3 (truncation would give -3 for both)
  CHECK(floor_div(7, 2) == 3);
  CHECK(ceil_div(7, 2) == 4);
  CHECK(floor_div(-7, 2) == -4);
  CHECK(ceil_div(-7, 2) == -3);
  // a negative divisor: 7 / -2 = -3.5 -> -4 and -3; -7 / -2 = 3.5 -> 3 and 4
  CHECK(floor_div(7, -2) == -4);
  CHECK(ceil_div(7, -2) == -3);
  CHECK(floor_div(-7, -2) == 3);
  CHECK(ceil_div(-7, -2) == 4);
  // exact quotients are left alone: -6 / 2 = -3
  CHECK(floor_div(-6, 2) == -3);
  CHECK(ceil_div(-6, 2) == -3);
  // beyond 64 bits: (2^64 + 1) / 2 = 2^63 + 0.5 -> 2^63 and 2^63 + 1
  const int128 two_64 = static_cast<int128>(1) << 64;
  CHECK(floor_div(two_64 + 1, 2) == two_64 / 2);
  CHECK(ceil_div(two_64 + 1, 2) == two_64 / 2 + 1);
}

TEST_CASE("mul_div_floor rounds toward minus infinity, also for negatives", "[money][arith]") {
  // 7 x 1 / 2 = 3.5 -> 3
  CHECK(ok(mul_div_floor(7, 1, 2)) == 3);
  // -7 x 1 / 2 = -3.5 -> -4 (not -3, which truncation would give)
  CHECK(ok(mul_div_floor(-7, 1, 2)) == -4);
  // 7 x 1 / -2 = -3.5 -> -4
  CHECK(ok(mul_div_floor(7, 1, -2)) == -4);
  // -7 x 1 / -2 = 3.5 -> 3
  CHECK(ok(mul_div_floor(-7, 1, -2)) == 3);
  // 7 x -1 / 2 = -3.5 -> -4
  CHECK(ok(mul_div_floor(7, -1, 2)) == -4);
  // -1 x 1 / 3 = -0.33 -> -1
  CHECK(ok(mul_div_floor(-1, 1, 3)) == -1);
  // 1 x 1 / 3 = 0.33 -> 0
  CHECK(ok(mul_div_floor(1, 1, 3)) == 0);
  // 0 x 5 / -3 = 0
  CHECK(ok(mul_div_floor(0, 5, -3)) == 0);
}

TEST_CASE("mul_div_ceil rounds toward plus infinity, also for negatives", "[money][arith]") {
  // 7 / 2 = 3.5 -> 4
  CHECK(ok(mul_div_ceil(7, 1, 2)) == 4);
  // -7 / 2 = -3.5 -> -3 (not -4)
  CHECK(ok(mul_div_ceil(-7, 1, 2)) == -3);
  // 7 / -2 = -3.5 -> -3
  CHECK(ok(mul_div_ceil(7, 1, -2)) == -3);
  // -7 / -2 = 3.5 -> 4
  CHECK(ok(mul_div_ceil(-7, 1, -2)) == 4);
  // 1 / 3 = 0.33 -> 1
  CHECK(ok(mul_div_ceil(1, 1, 3)) == 1);
  // -1 / 3 = -0.33 -> 0
  CHECK(ok(mul_div_ceil(-1, 1, 3)) == 0);
}

TEST_CASE("mul_div floor and ceil agree on exact quotients", "[money][arith]") {
  // SPEC §3 open fee: 10,000 USD x 10 bps / 10,000 = 10 USD = 10,000,000 micro-USD
  CHECK(ok(mul_div_floor(10'000'000'000, 10, k_bps_scale)) == 10'000'000);
  CHECK(ok(mul_div_ceil(10'000'000'000, 10, k_bps_scale)) == 10'000'000);
  // -6 x 3 / 9 = -2 exactly
  CHECK(ok(mul_div_floor(-6, 3, 9)) == -2);
  CHECK(ok(mul_div_ceil(-6, 3, 9)) == -2);
  // fee on 10,000.000001 USD: 10,000,000,001 x 10 / 10,000 = 10,000,000.001 -> floor 10,000,000, ceil 10,000,001
  CHECK(ok(mul_div_floor(10'000'000'001, 10, k_bps_scale)) == 10'000'000);
  CHECK(ok(mul_div_ceil(10'000'000'001, 10, k_bps_scale)) == 10'000'001);
}

TEST_CASE("mul_div keeps the full 128-bit product", "[money][arith][edge]") {
  // INT64_MAX x INT64_MAX / INT64_MAX = INT64_MAX (the product is ~2^126, far beyond 64 bits)
  CHECK(ok(mul_div_floor(k_max, k_max, k_max)) == k_max);
  CHECK(ok(mul_div_ceil(k_max, k_max, k_max)) == k_max);
  // INT64_MIN x INT64_MIN / INT64_MIN = INT64_MIN (product 2^126)
  CHECK(ok(mul_div_floor(k_min, k_min, k_min)) == k_min);
  // INT64_MAX x 3 / 4 = 6,917,529,027,641,081,855.25 -> floor ...855, ceil ...856
  CHECK(ok(mul_div_floor(k_max, 3, 4)) == 6'917'529'027'641'081'855);
  CHECK(ok(mul_div_ceil(k_max, 3, 4)) == 6'917'529'027'641'081'856);
  // INT64_MIN x 1 / 1 = INT64_MIN (fits)
  CHECK(ok(mul_div_floor(k_min, 1, 1)) == k_min);
}

TEST_CASE("mul_div reports an int64 overflow of the result as an error, never a wrap", "[money][arith][edge]") {
  // INT64_MAX x 2 / 1 = 2^64 - 2 > INT64_MAX
  is_error(mul_div_floor(k_max, 2, 1, "borrow fee"), "arithmetic overflow in borrow fee");
  is_error(mul_div_ceil(k_max, 2, 1, "borrow fee"), "arithmetic overflow in borrow fee");
  // INT64_MIN x -1 / 1 = 2^63 = INT64_MAX + 1
  is_error(mul_div_floor(k_min, -1, 1), "overflow");
  // INT64_MIN x 1 / -1 = 2^63
  is_error(mul_div_ceil(k_min, 1, -1), "overflow");
  // INT64_MIN x 2 / 1 = -2^64 < INT64_MIN
  is_error(mul_div_floor(k_min, 2, 1), "overflow");
}

TEST_CASE("the rounding step itself can overflow at the int64 edges", "[money][arith][edge]") {
  // n = 2 x INT64_MAX + 1 = 2^64 - 1; n / 2 = 2^63 - 0.5
  const int128 just_above = static_cast<int128>(k_max) * 2 + 1;
  //   floor -> 2^63 - 1 = INT64_MAX fits; ceil -> 2^63 does not
  CHECK(ok(div_floor(just_above, 2)) == k_max);
  is_error(div_ceil(just_above, 2, "reserve"), "arithmetic overflow in reserve");
  // n = 2 x INT64_MIN - 1 = -2^64 - 1; n / 2 = -2^63 - 0.5
  const int128 just_below = static_cast<int128>(k_min) * 2 - 1;
  //   ceil -> -2^63 = INT64_MIN fits; floor -> -2^63 - 1 does not
  CHECK(ok(div_ceil(just_below, 2)) == k_min);
  is_error(div_floor(just_below, 2, "loss"), "arithmetic overflow in loss");
}

TEST_CASE("div_floor and div_ceil divide a 128-bit numerator", "[money][arith]") {
  // three factors: 10^12 x 10^12 x 3 / 10^18 = 3 x 10^6
  const int128 n = static_cast<int128>(1'000'000'000'000) * 1'000'000'000'000 * 3;
  CHECK(ok(div_floor(n, 1'000'000'000'000'000'000)) == 3'000'000);
  // (10^30 + 1) / 10^18 = 10^12 + 10^-18 -> floor 10^12, ceil 10^12 + 1
  const int128 n1 = static_cast<int128>(1'000'000'000'000'000) * 1'000'000'000'000'000 + 1;
  CHECK(ok(div_floor(n1, 1'000'000'000'000'000'000)) == 1'000'000'000'000);
  CHECK(ok(div_ceil(n1, 1'000'000'000'000'000'000)) == 1'000'000'000'001);
  // -(10^30 + 1) / 10^18 -> floor -(10^12 + 1), ceil -10^12
  CHECK(ok(div_floor(-n1, 1'000'000'000'000'000'000)) == -1'000'000'000'001);
  CHECK(ok(div_ceil(-n1, 1'000'000'000'000'000'000)) == -1'000'000'000'000);
  // -7 / 2 = -3.5 -> floor -4, ceil -3
  CHECK(ok(div_floor(-7, 2)) == -4);
  CHECK(ok(div_ceil(-7, 2)) == -3);
  // a 128-bit quotient beyond int64: 10^30 / 1
  is_error(div_floor(n1, 1), "overflow");
  is_error(div_ceil(-n1, 1), "overflow");
}

TEST_CASE("division by zero is an error naming the quantity", "[money][arith]") {
  is_error(mul_div_floor(1, 1, 0, "share price"), "division by zero in share price");
  is_error(mul_div_ceil(1, 1, 0, "share price"), "division by zero in share price");
  is_error(div_floor(1, 0, "utilization"), "division by zero in utilization");
  is_error(div_ceil(1, 0, "utilization"), "division by zero in utilization");
  // even 0 / 0
  is_error(mul_div_floor(0, 0, 0), "division by zero");
}

TEST_CASE("checked_add and checked_sub refuse to wrap at the int64 edges", "[money][arith][edge]") {
  // INT64_MAX + 0 = INT64_MAX; INT64_MAX + 1 wraps
  CHECK(ok(checked_add(k_max, 0)) == k_max);
  is_error(checked_add(k_max, 1, "insurance"), "arithmetic overflow in insurance");
  // INT64_MIN + -1 wraps; INT64_MIN + INT64_MAX = -1
  is_error(checked_add(k_min, -1), "overflow");
  CHECK(ok(checked_add(k_min, k_max)) == -1);
  // INT64_MAX + INT64_MAX wraps
  is_error(checked_add(k_max, k_max), "overflow");
  // INT64_MIN - 1 wraps; INT64_MAX - -1 wraps; 0 - INT64_MIN = 2^63 wraps
  is_error(checked_sub(k_min, 1, "treasury"), "arithmetic overflow in treasury");
  is_error(checked_sub(k_max, -1), "overflow");
  is_error(checked_sub(0, k_min), "overflow");
  // -1 - INT64_MAX = INT64_MIN fits; INT64_MIN - INT64_MIN = 0
  CHECK(ok(checked_sub(-1, k_max)) == k_min);
  CHECK(ok(checked_sub(k_min, k_min)) == 0);
  // 5 - 7 = -2
  CHECK(ok(checked_sub(5, 7)) == -2);
}

TEST_CASE("add and sub of like units are checked", "[money][arith][edge]") {
  // 1.5 + 2.25 = 3.75 USD = 3,750,000 micro-USD
  auto s = add(Usd(1'500'000), Usd(2'250'000));
  REQUIRE(s.has_value());
  CHECK(s->units() == 3'750'000);
  // 1.5 - 2.25 = -0.75 USD
  auto d = sub(Usd(1'500'000), Usd(2'250'000));
  REQUIRE(d.has_value());
  CHECK(d->units() == -750'000);
  is_error(add(Usd(k_max), Usd(1)), "overflow");
  is_error(sub(Usd(k_min), Usd(1)), "overflow");
}

// ---------------------------------------------------------------------------------------------
// Printing.

TEST_CASE("+ and - on money are checked and chain through Result", "[money][ops]") {
  // 1.5 + 2.25 = 3.75 USD; 1.5 - 2.25 = -0.75
  CHECK(Usd(1'500'000) + Usd(2'250'000) == Usd(3'750'000));
  CHECK(Usd(1'500'000) - Usd(2'250'000) == Usd(-750'000));
  // a chain: 1 + 2 - 0.5 = 2.5 USD, one Result
  const Result<Usd> chain = Usd(1'000'000) + Usd(2'000'000) - Usd(500'000);
  CHECK(chain == Usd(2'500'000));
  // INT64_MAX + 1 unit overflows; the error travels through the rest of the chain
  is_error(Usd(k_max) + Usd(1), "arithmetic overflow in amount");
  is_error(Usd(k_max) + Usd(1) - Usd(5), "does not fit in 64 bits");
  is_error(Usd(5) - (Usd(k_min) + Usd(-1)), "overflow");
  // INT64_MIN - 1 overflows; INT64_MIN - INT64_MIN = 0; -1 - INT64_MAX = INT64_MIN exactly
  is_error(Usd(k_min) - Usd(1), "overflow");
  CHECK(Usd(k_min) - Usd(k_min) == Usd(0));
  CHECK(Usd(-1) - Usd(k_max) == Usd(k_min));
  // the same operators on shares and prices
  CHECK(Shares(1'000'000'000) + Shares(1) == Shares(1'000'000'001));
  CHECK(Price(6'500'000'000'000) - Price(100'000'000) == Price(6'499'900'000'000));
  is_error(Price(k_max) + Price(1), "overflow");
  // a named sum says what overflowed
  is_error(add(Usd(k_max), Usd(1), "insurance"), "arithmetic overflow in insurance");
}

TEST_CASE("negation is checked: only INT64_MIN has no negative", "[money][ops][edge]") {
  CHECK(-Usd(1'500'000) == Usd(-1'500'000));
  CHECK(-Usd(k_max) == Usd(-k_max));
  CHECK(-Usd(0) == Usd(0));
  // -(-9,223,372,036,854.775808) = 9,223,372,036,854.775808 > INT64_MAX
  is_error(-Usd(k_min), "overflow");
}

TEST_CASE("comparison orders money by value", "[money][ops]") {
  CHECK(Usd(-1) < Usd(0));
  CHECK(Usd(k_max) > Usd(k_min));
  CHECK(std::min(Usd(3), Usd(2)) == Usd(2));
  CHECK(Shares(7) <= Shares(7));
}

TEST_CASE("units never mix: no Usd + Shares, Usd + int, Usd + token, Usd + WideUsd", "[money][ops]") {
  STATIC_REQUIRE_FALSE((addable<Usd, Shares>));
  STATIC_REQUIRE_FALSE((subtractable<Usd, Price>));
  STATIC_REQUIRE_FALSE((addable<Usd, int>));
  STATIC_REQUIRE_FALSE((addable<Usd, TokenAmount>));
  STATIC_REQUIRE_FALSE((addable<Usd, WideUsd>));
  STATIC_REQUIRE_FALSE((std::is_constructible_v<Usd, TokenAmount>));
  STATIC_REQUIRE_FALSE((std::is_constructible_v<TokenAmount, Usd>));
  STATIC_REQUIRE_FALSE((std::is_convertible_v<int64_t, Usd>));
  STATIC_REQUIRE_FALSE((std::is_convertible_v<Usd, WideUsd>));   // widening is written out
}

TEST_CASE("mul_div_floor / mul_div_ceil on money round as named, also for negatives", "[money][ops]") {
  // 10 USD x 1 / 3 = 3.333333 1/3 -> floor 3.333333, ceil 3.333334
  CHECK(Usd(10'000'000).mul_div_floor(1, 3) == Usd(3'333'333));
  CHECK(Usd(10'000'000).mul_div_ceil(1, 3) == Usd(3'333'334));
  // -10 USD / 3 = -3.333333 1/3 -> floor -3.333334, ceil -3.333333
  CHECK(Usd(-10'000'000).mul_div_floor(1, 3) == Usd(-3'333'334));
  CHECK(Usd(-10'000'000).mul_div_ceil(1, 3) == Usd(-3'333'333));
  // exact: 6 x 2 / 4 = 3 both ways
  CHECK(Usd(6).mul_div_floor(2, 4) == Usd(3));
  CHECK(Usd(6).mul_div_ceil(2, 4) == Usd(3));
  // INT64_MAX x 2 / 1 does not fit in 64 bits; the 128-bit product is kept: INT64_MAX x 3 / 3
  is_error(Usd(k_max).mul_div_floor(2, 1, "fee"), "arithmetic overflow in fee");
  CHECK(Usd(k_max).mul_div_ceil(3, 3) == Usd(k_max));
  is_error(Usd(1).mul_div_floor(1, 0, "share price"), "division by zero in share price");
}

TEST_CASE("mul_bps_floor / mul_bps_ceil take a share in basis points", "[money][ops]") {
  // 10,000.000001 USD x 10 bps = 10.000000001 -> floor 10.000000, ceil 10.000001
  CHECK(Usd(10'000'000'001).mul_bps_floor(Bps{10}) == Usd(10'000'000));
  CHECK(Usd(10'000'000'001).mul_bps_ceil(Bps{10}) == Usd(10'000'001));
  // -0.000001 x 2,000 bps = -0.0000002 -> floor -0.000001, ceil 0
  CHECK(Usd(-1).mul_bps_floor(Bps{2'000}) == Usd(-1));
  CHECK(Usd(-1).mul_bps_ceil(Bps{2'000}) == Usd(0));
}

TEST_CASE("mul_div_floor_as / mul_div_ceil_as convert units with the rounding named", "[money][ops]") {
  // 100 USD deposited into 0 shares, V = 1,000 share units, NAV 0: 100,000,000 x 1,000 / 1
  // = 10^11 share units = 100 shares (1 share per USDC)
  CHECK(mul_div_floor_as<Shares>(Usd(100'000'000), 1'000, 1) == Shares(100'000'000'000));
  // 1 micro-USD x 2 / 3 share units: floor 0, ceil 1
  CHECK(mul_div_floor_as<Shares>(Usd(1), 2, 3) == Shares(0));
  CHECK(mul_div_ceil_as<Shares>(Usd(1), 2, 3) == Shares(1));
  // -1 x 2 / 3: floor -1, ceil 0
  CHECK(mul_div_floor_as<Shares>(Usd(-1), 2, 3) == Shares(-1));
  CHECK(mul_div_ceil_as<Shares>(Usd(-1), 2, 3) == Shares(0));
  // the result must fit the target: INT64_MAX x 10 / 1 does not fit a Usd, fits a WideUsd
  is_error(mul_div_floor_as<Usd>(Shares(k_max), 10, 1, "amount paid"), "arithmetic overflow in amount paid");
  CHECK(mul_div_floor_as<WideUsd>(Shares(k_max), 10, 1) == WideUsd(static_cast<int128>(k_max) * 10));
  // a quotient beyond 128 bits is an error, never a wrap: 2^126 x 4 / 1
  is_error(mul_div_floor_as<WideUsd>(WideUsd(static_cast<int128>(1) << 126), 4, 1), "does not fit in 128 bits");
}

TEST_CASE("mul_div_wide: a product beyond 128 bits whose quotient fits is exact, rounded as asked", "[money][ops][edge]") {
  const int128 two = 2;
  const auto pow2 = [&](int n) { return static_cast<int128>(1) << n; };
  // 2^100 x 2^40 / 2^30 = 2^110 (the product 2^140 fits no int128)
  CHECK(mul_div_wide(pow2(100), pow2(40), pow2(30), Rounding::floor, "x").value() == pow2(110));
  // (2^100 + 1) x 2^40 / (3 x 2^20) = (2^120 + 2^20) / 3, and 2^120 + 2^20 = 2 mod 3 (2^even = 1 mod 3):
  // floor q = (2^120 + 2^20 - 2) / 3, ceil q + 1
  const int128 d = 3 * pow2(20);
  const int128 q = (pow2(120) + pow2(20) - 2) / 3;
  CHECK(mul_div_wide(pow2(100) + 1, pow2(40), d, Rounding::floor, "x").value() == q);
  CHECK(mul_div_wide(pow2(100) + 1, pow2(40), d, Rounding::ceil, "x").value() == q + 1);
  // negative: floors to -(q + 1) and ceils to -q; both signs negative is the positive case
  CHECK(mul_div_wide(-(pow2(100) + 1), pow2(40), d, Rounding::floor, "x").value() == -(q + 1));
  CHECK(mul_div_wide(-(pow2(100) + 1), pow2(40), d, Rounding::ceil, "x").value() == -q);
  CHECK(mul_div_wide(pow2(100) + 1, -pow2(40), -d, Rounding::floor, "x").value() == q);
  // the largest and smallest quotients: (2^127 - 1) x 2 / 2, and -2^126 x 4 / 2 = -2^127
  const int128 top = std::numeric_limits<int128>::max();
  CHECK(mul_div_wide(top, two, two, Rounding::floor, "x").value() == top);
  CHECK(mul_div_wide(-pow2(126), 4, two, Rounding::floor, "x").value() == std::numeric_limits<int128>::min());
  // one beyond: 2^126 x 4 / 2 = 2^127
  is_error(mul_div_wide(pow2(126), 4, two, Rounding::floor, "x"), "does not fit in 128 bits");
}

TEST_CASE("WideUsd holds sums beyond int64 and narrows back checked", "[money][ops][edge]") {
  // INT64_MAX + INT64_MAX = 2^64 - 2 units: fine on 128 bits
  const WideUsd twice = *(WideUsd(Usd(k_max)) + WideUsd(Usd(k_max)));
  CHECK(twice.units() == static_cast<int128>(k_max) * 2);
  is_error(narrow(twice, "account lp:senior"), "arithmetic overflow in account lp:senior");
  // back within range it narrows exactly
  CHECK(narrow(*(twice - WideUsd(Usd(k_max)))) == Usd(k_max));
  CHECK(narrow(WideUsd(Usd(k_min))) == Usd(k_min));
  // the 128-bit edge itself is still checked
  const int128 top = ~(static_cast<int128>(1) << 127);
  is_error(WideUsd(top) + WideUsd(1), "does not fit in 128 bits");
}

TEST_CASE("BorrowIndex and SharePrice have 18 decimals on 128 bits", "[money][ops]") {
  STATIC_REQUIRE(BorrowIndex::k_scale == static_cast<int128>(1'000'000'000'000'000'000));
  STATIC_REQUIRE(SharePrice::k_decimals == 18);
  // 0.5 + 0.25 = 0.75 of a unit at 10^-18
  CHECK(BorrowIndex(500'000'000'000'000'000) + BorrowIndex(250'000'000'000'000'000) ==
        BorrowIndex(750'000'000'000'000'000));
  STATIC_REQUIRE_FALSE((addable<BorrowIndex, SharePrice>));
}

TEST_CASE("token amounts add only to the same asset", "[money][token]") {
  const AssetId usdc{0}, btc{1};
  // 1.5 USDC + 2 USDC = 3.5 USDC (6 decimals)
  CHECK(TokenAmount(usdc, 1'500'000) + TokenAmount(usdc, 2'000'000) == TokenAmount(usdc, 3'500'000));
  CHECK(TokenAmount(btc, 100'000'000) - TokenAmount(btc, 1) == TokenAmount(btc, 99'999'999));
  // BTC + USDC: refused, naming both assets; the chain keeps the first error
  is_error(TokenAmount(btc, 1) + TokenAmount(usdc, 1), "cannot add amounts of two assets (#1 and #0)");
  is_error(TokenAmount(usdc, 1) - TokenAmount(btc, 1), "cannot subtract amounts of two assets");
  is_error(TokenAmount(usdc, 1) + TokenAmount(btc, 1) + TokenAmount(usdc, 1), "two assets");
  // overflow at INT64_MAX, as for Usd
  is_error(TokenAmount(usdc, k_max) + TokenAmount(usdc, 1), "arithmetic overflow in token amount");
  // comparison: same asset ordered, another asset an error; equality includes the asset
  CHECK(compare(TokenAmount(usdc, 1), TokenAmount(usdc, 2)) == std::strong_ordering::less);
  is_error(compare(TokenAmount(usdc, 1), TokenAmount(btc, 2)), "cannot compare");
  CHECK(TokenAmount(usdc, 1) != TokenAmount(btc, 1));
  STATIC_REQUIRE_FALSE((orderable<TokenAmount, TokenAmount>));
}

TEST_CASE("format_decimal prints every digit of the unit", "[money][format]") {
  // 1,000,250,000 micro-USD = 1000.250000
  CHECK(format_decimal(1'000'250'000, 6) == "1000.250000");
  // -1 micro-USD = -0.000001
  CHECK(format_decimal(-1, 6) == "-0.000001");
  // zero keeps its decimals
  CHECK(format_decimal(0, 6) == "0.000000");
  CHECK(format_decimal(0, 0) == "0");
  // 6,500,000,000,000 price units = 65000.00000000
  CHECK(format_decimal(6'500'000'000'000, 8) == "65000.00000000");
  // -123 hundredths = -1.23
  CHECK(format_decimal(-123, 2) == "-1.23");
  // 123 nano-shares = 0.000000123
  CHECK(format_decimal(123, 9) == "0.000000123");
  // 999,999 micro-USD = 0.999999; 1,000,000 = 1.000000
  CHECK(format_decimal(999'999, 6) == "0.999999");
  CHECK(format_decimal(1'000'000, 6) == "1.000000");
  CHECK(format_decimal(-1'000'000, 6) == "-1.000000");
  // no thousands separators at full precision
  CHECK(format_decimal(1'234'567'000'000, 6) == "1234567.000000");
  CHECK(format_decimal(42, 0) == "42");
  // the extremes: INT64_MIN's magnitude 9,223,372,036,854,775,808 has no positive int64
  CHECK(format_decimal(std::numeric_limits<int64_t>::min(), 6) == "-9223372036854.775808");
  CHECK(format_decimal(std::numeric_limits<int64_t>::max(), 6) == "9223372036854.775807");
  CHECK(format_decimal(std::numeric_limits<int64_t>::min(), 0) == "-9223372036854775808");
  // more decimals than digits of the largest value
  CHECK(format_decimal(-5, 20) == "-0.00000000000000000005");
  CHECK(format_decimal(-42, 0) == "-42");
  CHECK(to_string(Usd(1'000'250'000)) == "1000.250000");
  CHECK(to_string(Price(6'500'000'000'000)) == "65000.00000000");
  CHECK(to_string(Shares(1)) == "0.000000001");
}

TEST_CASE("format_decimal prints both int64 edges", "[money][format][edge]") {
  // INT64_MIN has no positive counterpart in int64: -9,223,372,036,854.775808 USD
  CHECK(format_decimal(k_min, 6) == "-9223372036854.775808");
  CHECK(format_decimal(k_max, 6) == "9223372036854.775807");
  CHECK(format_decimal(k_min, 0) == "-9223372036854775808");
  CHECK(format_decimal(k_min, 9) == "-9223372036.854775808");
  CHECK(format_decimal(k_max, 8) == "92233720368.54775807");
}

TEST_CASE("format_decimal and parse_decimal round trip", "[money][format][parse]") {
  const std::vector<int64_t> values = {0, 1, -1, 999'999, 1'000'000, -1'000'001, 123'456'789, k_max, k_min};
  for (int decimals : {0, 2, 6, 8, 9}) {
    for (int64_t v : values) {
      CAPTURE(v, decimals);
      CHECK(accepted(format_decimal(v, decimals), decimals) == v);
    }
  }
}

TEST_CASE("format_decimal_display rounds half away from zero with thousands separators", "[money][format]") {
  // 1,234,567.895 USD = 1,234,567,895,000 micro; to cents: .895 -> .90 (the half rounds up)
  CHECK(format_decimal_display(1'234'567'895'000, 6, 2) == "1,234,567.90");
  // -1,234,567.895 -> -1,234,567.90 (half away from zero, not toward +inf)
  CHECK(format_decimal_display(-1'234'567'895'000, 6, 2) == "-1,234,567.90");
  // the extremes, at full precision and rounded: INT64_MIN = -9,223,372,036,854.775808 USD
  CHECK(format_decimal_display(std::numeric_limits<int64_t>::min(), 6, 6) == "-9,223,372,036,854.775808");
  CHECK(format_decimal_display(std::numeric_limits<int64_t>::max(), 6, 2) == "9,223,372,036,854.78");
  // −0.000004 rounds to zero, shown without a sign; whole units without a point
  CHECK(format_decimal_display(-4, 6, 2) == "0.00");
  CHECK(format_decimal_display(999'500'000, 6, 0) == "1,000");
  // -0.005 = -5,000 micro -> -0.01
  CHECK(format_decimal_display(-5'000, 6, 2) == "-0.01");
  // 0.005 -> 0.01; 0.004999 -> 0.00
  CHECK(format_decimal_display(5'000, 6, 2) == "0.01");
  CHECK(format_decimal_display(4'999, 6, 2) == "0.00");
  // -0.004999 rounds to zero, shown without a sign
  CHECK(format_decimal_display(-4'999, 6, 2) == "0.00");
  // 1,234,567.894999 -> 1,234,567.89
  CHECK(format_decimal_display(1'234'567'894'999, 6, 2) == "1,234,567.89");
  // 999,999.5 USD to 0 decimals -> 1,000,000 (a carry across every digit and a new group)
  CHECK(format_decimal_display(999'999'500'000, 6, 0) == "1,000,000");
  // 999.995 -> 1,000.00
  CHECK(format_decimal_display(999'995'000, 6, 2) == "1,000.00");
  CHECK(format_decimal_display(0, 6, 2) == "0.00");
}

TEST_CASE("format_decimal_display_wide shows 128-bit sums as the 64-bit one does", "[money][format]") {
  // within 64 bits it is format_decimal_display
  CHECK(format_decimal_display_wide(1'234'567'895'000, 6, 2) == "1,234,567.90");
  CHECK(format_decimal_display_wide(std::numeric_limits<int64_t>::min(), 6, 6) == "-9,223,372,036,854.775808");
  // 2^64 share units (9 decimals) = 18,446,744,073.709551616 shares: to 4 decimals .70955|1616 -> .7096
  const int128 two_64 = int128{1} << 64;
  CHECK(format_decimal_display_wide(two_64, 9, 4) == "18,446,744,073.7096");
  CHECK(format_decimal_display_wide(-two_64, 9, 4) == "-18,446,744,073.7096");
  CHECK(format_decimal_wide(two_64, 9) == "18446744073.709551616");
  // the largest int128, 170,141,183,460,469,231,731,687,303,715,884,105,727 units, at 0 decimals
  const int128 max = static_cast<int128>((~static_cast<unsigned __int128>(0)) >> 1);
  CHECK(format_decimal_display_wide(max, 0, 0) == "170,141,183,460,469,231,731,687,303,715,884,105,727");
  CHECK(format_decimal_display_wide(-max - 1, 0, 0) == "-170,141,183,460,469,231,731,687,303,715,884,105,728");
}

TEST_CASE("format_decimal_display groups thousands only in the whole part", "[money][format]") {
  // 999 USD -> 999.00; 1000 -> 1,000.00; 100,000 -> 100,000.00; 10^6 -> 1,000,000.00
  CHECK(format_decimal_display(999'000'000, 6, 2) == "999.00");
  CHECK(format_decimal_display(1'000'000'000, 6, 2) == "1,000.00");
  CHECK(format_decimal_display(100'000'000'000, 6, 2) == "100,000.00");
  CHECK(format_decimal_display(1'000'000'000'000, 6, 2) == "1,000,000.00");
  CHECK(format_decimal_display(-1'000'000'000, 6, 2) == "-1,000.00");
  // full precision shown: 0.123456 stays 0.123456 (no grouping after the point)
  CHECK(format_decimal_display(123'456, 6, 6) == "0.123456");
  // 1234567 with no decimals
  CHECK(format_decimal_display(1'234'567, 0, 0) == "1,234,567");
  // 65,000.12345678 price to 2 decimals -> 65,000.12
  CHECK(format_decimal_display(6'500'012'345'678, 8, 2) == "65,000.12");
}

TEST_CASE("format_decimal_display handles the int64 edges", "[money][format][edge]") {
  // 9,223,372,036,854.775807 -> .78 (0.775807 rounds up)
  CHECK(format_decimal_display(k_max, 6, 2) == "9,223,372,036,854.78");
  // -9,223,372,036,854.775808 -> -...854.78
  CHECK(format_decimal_display(k_min, 6, 2) == "-9,223,372,036,854.78");
  CHECK(format_decimal_display(k_min, 0, 0) == "-9,223,372,036,854,775,808");
}

TEST_CASE("wide_add and wide_sub sum narrow values exactly beyond int64", "[money][wide][edge]") {
  const WideUsd two_max = wide_add(WideUsd(Usd(k_max)), Usd(k_max));
  CHECK(two_max.units() == static_cast<int128>(k_max) * 2);
  CHECK(wide_sub(two_max, Usd(k_max)) == WideUsd(Usd(k_max)));
  CHECK(wide_sub(WideUsd(), Usd(k_min)).units() == -static_cast<int128>(k_min));
  CHECK(wide_add(two_max, wide_sub(WideUsd(), two_max)) == WideUsd());
}

TEST_CASE("narrow_clamped clamps a wide value into the narrow type", "[money][wide][edge]") {
  const WideUsd big = wide_add(WideUsd(Usd(k_max)), Usd(1));
  CHECK(narrow_clamped(big, Usd(), Usd::largest()) == Usd(k_max));
  CHECK(narrow_clamped(WideUsd(Usd(-5)), Usd(), Usd::largest()) == Usd());
  CHECK(narrow_clamped(WideUsd(Usd(42)), Usd(), Usd::largest()) == Usd(42));
}

TEST_CASE("compare_ratio and compare_to_bps compare without division, equality included", "[money][ratio]") {
  // 1 / 5 against 20% (2,000 bps): equal
  CHECK(*compare_to_bps(Usd(1), Usd(5), Bps{2'000}) == std::strong_ordering::equal);
  CHECK(*compare_to_bps(Usd(1), Usd(5), Bps{1'999}) == std::strong_ordering::greater);
  CHECK(*compare_to_bps(Usd(1), Usd(5), Bps{2'001}) == std::strong_ordering::less);
  // leverage 10x on 100 of collateral: 1,000 is at the cap, 1,000.000001 above it
  CHECK(*compare_ratio(Usd::whole(1'000), Usd::whole(100), 1'000, 100) == std::strong_ordering::equal);
  CHECK(*compare_ratio(Usd(1'000'000'001), Usd::whole(100), 1'000, 100) == std::strong_ordering::greater);
  // sums beyond int64 still compare exactly
  const WideUsd part = wide_add(WideUsd(Usd(k_max)), Usd(k_max));
  CHECK(*compare_to_bps(part, wide_add(part, part), Bps{5'000}) == std::strong_ordering::equal);
}

TEST_CASE("bps_floor of wide values rounds down and refuses a zero whole", "[money][ratio][edge]") {
  const WideUsd j = wide_add(WideUsd(Usd(k_max)), Usd(k_max));
  CHECK(bps_floor(j, wide_add(j, Usd(1)))->value == 9'999);
  CHECK(bps_floor(WideUsd(Usd(1)), WideUsd(Usd(3)))->value == 3'333);
  CHECK(!bps_floor(WideUsd(Usd(1)), WideUsd()));
}
