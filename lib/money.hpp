// lib/money.hpp: exact fixed-point money, prices, shares and rates; no floating point anywhere.
//
// Every amount is one int64_t count of its smallest unit. Mixed-unit arithmetic goes through
// mul_div_floor / mul_div_ceil, which use 128-bit intermediates, round toward -inf / +inf (right for
// negatives too) and report an overflow as an error instead of wrapping (SPEC §2, DESIGN-risk §9).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/error.hpp"

namespace nexadex {

using int128 = __int128;

// a × b / d rounded toward −∞ (floor) or +∞ (ceil); d must be non-zero. Errors: the quotient does
// not fit in int64 (ErrorKind::input, "arithmetic overflow in <what>").
Result<int64_t> mul_div_floor(int64_t a, int64_t b, int64_t d, std::string_view what = "amount");
Result<int64_t> mul_div_ceil(int64_t a, int64_t b, int64_t d, std::string_view what = "amount");
// n / d on 128 bits rounded toward −∞ (floor) or +∞ (ceil), right for negatives too; unchecked: d
// must be non-zero and the quotient stays 128-bit (div_floor / div_ceil below check both).
constexpr int128 floor_div(int128 n, int128 d) {
  const int128 q = n / d;
  return (n % d != 0 && (n < 0) != (d < 0)) ? q - 1 : q;
}
constexpr int128 ceil_div(int128 n, int128 d) {
  const int128 q = n / d;
  return (n % d != 0 && (n < 0) == (d < 0)) ? q + 1 : q;
}

// 128-bit numerator variants, for products of three factors.
Result<int64_t> div_floor(int128 n, int128 d, std::string_view what = "amount");
Result<int64_t> div_ceil(int128 n, int128 d, std::string_view what = "amount");

// Checked int64 addition and subtraction: overflow is an error, never a wrap.
Result<int64_t> checked_add(int64_t a, int64_t b, std::string_view what = "amount");
Result<int64_t> checked_sub(int64_t a, int64_t b, std::string_view what = "amount");

// A fixed-point quantity with `Decimals` decimal places, tagged so that units never mix.
template <class Tag, int Decimals>
class Fixed {
 public:
  static constexpr int k_decimals = Decimals;
  static constexpr int64_t k_scale = [] {
    int64_t s = 1;
    for (int i = 0; i < Decimals; ++i) s *= 10;
    return s;
  }();

  constexpr Fixed() = default;
  constexpr explicit Fixed(int64_t units) : m_units(units) {}
  static constexpr Fixed whole(int64_t n) { return Fixed(n * k_scale); }

  constexpr int64_t units() const { return m_units; }
  constexpr bool is_zero() const { return m_units == 0; }
  constexpr bool is_positive() const { return m_units > 0; }
  constexpr bool is_negative() const { return m_units < 0; }

  constexpr auto operator<=>(const Fixed&) const = default;

 private:
  int64_t m_units = 0;
};

struct UsdTag {};
struct PriceTag {};
struct SharesTag {};

// USD and USDC, 6 decimals (micro-units); largest value about 9.2 trillion USD.
using Usd = Fixed<UsdTag, 6>;
// Oracle prices, 8 decimals; largest about 92 billion per unit.
using Price = Fixed<PriceTag, 8>;
// LP shares, 9 decimals (3 more than USDC, DESIGN-risk §9); largest about 9.2 billion shares.
using Shares = Fixed<SharesTag, 9>;

// Basis points: an integer count of 1/10,000.
struct Bps {
  int64_t value = 0;
  constexpr auto operator<=>(const Bps&) const = default;
};
constexpr int64_t k_bps_scale = 10'000;

// A token amount in its asset's configured decimals (at most 9, SPEC §2).
struct TokenAmount {
  int64_t units = 0;
  int decimals = 0;
};

// Checked sums and differences of like units.
template <class Tag, int D>
Result<Fixed<Tag, D>> add(Fixed<Tag, D> a, Fixed<Tag, D> b) {
  auto r = checked_add(a.units(), b.units());
  if (!r) return std::unexpected(r.error());
  return Fixed<Tag, D>(*r);
}
template <class Tag, int D>
Result<Fixed<Tag, D>> sub(Fixed<Tag, D> a, Fixed<Tag, D> b) {
  auto r = checked_sub(a.units(), b.units());
  if (!r) return std::unexpected(r.error());
  return Fixed<Tag, D>(*r);
}

enum class Sign { non_negative, positive, any };

// Parses a decimal with at most `decimals` fractional digits into a count of units. Accepted: digits,
// optional '_' between digits, optional '.' followed by digits, a leading '-' only with Sign::any.
// Refused (ErrorKind::input, the message names `what`): empty, spaces, '+', ',', exponents, nan/inf,
// more fractional digits than the unit holds, a value beyond int64, zero or negative where refused.
Result<int64_t> parse_decimal(std::string_view text, int decimals, Sign sign, std::string_view what);

Result<Usd> parse_usd(std::string_view text, Sign sign, std::string_view what);
Result<Price> parse_price(std::string_view text, std::string_view what);  // must be > 0
Result<Shares> parse_shares(std::string_view text, Sign sign, std::string_view what);

// Full precision, e.g. "1000.250000", "-0.000001", "65000.00000000".
std::string format_decimal(int64_t units, int decimals);
inline std::string to_string(Usd v) { return format_decimal(v.units(), Usd::k_decimals); }
inline std::string to_string(Price v) { return format_decimal(v.units(), Price::k_decimals); }
inline std::string to_string(Shares v) { return format_decimal(v.units(), Shares::k_decimals); }

// 128-bit integers (accumulators, the borrow index) as decimal text, for storage.
std::string format_int128(int128 v);
Result<int128> parse_int128(std::string_view text, std::string_view what);

// For tables only: rounded half away from zero to `shown` decimals, with ',' thousands separators.
std::string format_decimal_display(int64_t units, int decimals, int shown);

}  // namespace nexadex
