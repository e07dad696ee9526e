// lib/money.hpp: exact fixed-point money, prices, shares and rates; no floating point anywhere.
//
// Every amount is one int64_t count of its smallest unit. Mixed-unit arithmetic goes through
// mul_div_floor / mul_div_ceil, which use 128-bit intermediates, round toward -inf / +inf (right for
// negatives too) and report an overflow as an error instead of wrapping (SPEC §2, DESIGN-risk §9).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <limits>
#include <type_traits>
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

// Basis points: an integer count of 1/10,000 (rates, shares of an amount).
struct Bps {
  int64_t value = 0;
  constexpr auto operator<=>(const Bps&) const = default;
};
constexpr int64_t k_bps_scale = 10'000;

enum class Rounding { floor, ceil };

// 10^n on 128 bits (0 ≤ n ≤ 38).
constexpr int128 pow10(int64_t n) {
  int128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

// The error of a result beyond `bits` bits (ErrorKind::input, "arithmetic overflow in <what>: ...").
std::unexpected<Error> overflow_error(std::string_view what, int bits = 64);

// a × b / d on 128 bits, rounded toward −∞ (floor) or +∞ (ceil). Errors: d is zero ("division by
// zero in <what>"), the product does not fit in 128 bits.
Result<int128> mul_div_wide(int128 a, int128 b, int128 d, Rounding rounding, std::string_view what);

// A fixed-point quantity with `Decimals` decimal places held in `Rep` (int64_t, or int128 for sums
// and indices), tagged so that units never mix: a Usd cannot be added to a Shares, nor to a token
// amount. Sums, differences and negation are checked (overflow is an error, never a wrap); the
// operators also take Result operands, so `a + b - c` is one Result carrying the first error.
template <class Tag, int Decimals, class Rep = int64_t>
class Fixed {
  static_assert(std::is_same_v<Rep, int64_t> || std::is_same_v<Rep, int128>);

 public:
  using rep = Rep;
  static constexpr int k_decimals = Decimals;
  static constexpr int k_bits = std::is_same_v<Rep, int64_t> ? 64 : 128;
  static constexpr Rep k_scale = [] {
    Rep s = 1;
    for (int i = 0; i < Decimals; ++i) s *= 10;
    return s;
  }();

  constexpr Fixed() = default;
  constexpr explicit Fixed(Rep units) : m_units(units) {}
  // Widening from the int64 type of the same unit (exact).
  template <class R>
    requires(sizeof(R) < sizeof(Rep))
  constexpr explicit Fixed(Fixed<Tag, Decimals, R> narrow) : m_units(narrow.units()) {}
  static constexpr Fixed whole(int64_t n) { return Fixed(n * k_scale); }
  // The largest value the type holds.
  static constexpr Fixed largest() { return Fixed(std::numeric_limits<Rep>::max()); }

  // The count of smallest units: for storage, formatting and the few exact-rational computations.
  constexpr Rep units() const { return m_units; }
  constexpr bool is_zero() const { return m_units == 0; }
  constexpr bool is_positive() const { return m_units > 0; }
  constexpr bool is_negative() const { return m_units < 0; }

  constexpr auto operator<=>(const Fixed&) const = default;

  // Checked: overflow is an error naming `what`.
  Result<Fixed> plus(Fixed b, std::string_view what = "amount") const {
    Rep r{};
    if (__builtin_add_overflow(m_units, b.m_units, &r)) return overflow_error(what, k_bits);
    return Fixed(r);
  }
  Result<Fixed> minus(Fixed b, std::string_view what = "amount") const {
    Rep r{};
    if (__builtin_sub_overflow(m_units, b.m_units, &r)) return overflow_error(what, k_bits);
    return Fixed(r);
  }
  friend Result<Fixed> operator+(Fixed a, Fixed b) { return a.plus(b); }
  friend Result<Fixed> operator-(Fixed a, Fixed b) { return a.minus(b); }
  friend Result<Fixed> operator+(const Result<Fixed>& a, const Result<Fixed>& b) {
    if (!a) return a;
    if (!b) return b;
    return *a + *b;
  }
  friend Result<Fixed> operator-(const Result<Fixed>& a, const Result<Fixed>& b) {
    if (!a) return a;
    if (!b) return b;
    return *a - *b;
  }
  // Negation: only the smallest value has no negative.
  Result<Fixed> operator-() const { return Fixed().minus(*this); }

  // this × n / d with the rounding named, on 128 bits. Errors: d is zero, the result does not fit.
  Result<Fixed> mul_div_floor(int128 n, int128 d, std::string_view what = "amount") const;
  Result<Fixed> mul_div_ceil(int128 n, int128 d, std::string_view what = "amount") const;
  // this × bps / 10,000 with the rounding named.
  Result<Fixed> mul_bps_floor(Bps b, std::string_view what = "amount") const {
    return mul_div_floor(b.value, k_bps_scale, what);
  }
  Result<Fixed> mul_bps_ceil(Bps b, std::string_view what = "amount") const {
    return mul_div_ceil(b.value, k_bps_scale, what);
  }

 private:
  Rep m_units = 0;
};

// A 128-bit value as `To`, or an overflow error naming `what`.
template <class To>
Result<To> narrow_to(int128 v, std::string_view what = "amount") {
  using Rep = typename To::rep;
  if constexpr (std::is_same_v<Rep, int64_t>) {
    if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) {
      return overflow_error(what, To::k_bits);
    }
  }
  return To(static_cast<Rep>(v));
}

// Mixed units: a × n / d as a `To`, rounded toward −∞ (floor) or +∞ (ceil), e.g. the shares minted
// for an amount, mul_div_floor_as<Shares>(amount, supply + V, nav + 1).
template <class To, class From>
Result<To> mul_div_floor_as(From a, int128 n, int128 d, std::string_view what = "amount") {
  NX_TRY(q, mul_div_wide(a.units(), n, d, Rounding::floor, what));
  return narrow_to<To>(q, what);
}
template <class To, class From>
Result<To> mul_div_ceil_as(From a, int128 n, int128 d, std::string_view what = "amount") {
  NX_TRY(q, mul_div_wide(a.units(), n, d, Rounding::ceil, what));
  return narrow_to<To>(q, what);
}

template <class Tag, int D, class Rep>
Result<Fixed<Tag, D, Rep>> Fixed<Tag, D, Rep>::mul_div_floor(int128 n, int128 d, std::string_view what) const {
  return mul_div_floor_as<Fixed>(*this, n, d, what);
}
template <class Tag, int D, class Rep>
Result<Fixed<Tag, D, Rep>> Fixed<Tag, D, Rep>::mul_div_ceil(int128 n, int128 d, std::string_view what) const {
  return mul_div_ceil_as<Fixed>(*this, n, d, what);
}

struct UsdTag {};
struct PriceTag {};
struct SharesTag {};
struct BorrowIndexTag {};
struct SharePriceTag {};

// USD and USDC, 6 decimals (micro-units); largest value about 9.2 trillion USD.
using Usd = Fixed<UsdTag, 6>;
// USD on 128 bits, for sums that must not overflow: account balances (a sum of postings, each a Usd,
// cannot leave 128 bits before 2^64 postings). Narrowed to Usd, checked, where it is stored.
using WideUsd = Fixed<UsdTag, 6, int128>;
// Oracle prices, 8 decimals; largest about 92 billion per unit.
using Price = Fixed<PriceTag, 8>;
// LP shares, 9 decimals (3 more than USDC, DESIGN-risk §9); largest about 9.2 billion shares.
using Shares = Fixed<SharesTag, 9>;
// Shares on 128 bits, for an LP's lifetime sum of shares cancelled at junior resets: each reset adds
// at most one supply (a Shares), so the sum cannot leave 128 bits before 2^64 resets.
using WideShares = Fixed<SharesTag, 9, int128>;
// The cumulative borrow rate per unit of size, 18 decimals on 128 bits (SPEC §10): a position owes
// ceil(size × (index − index_open)), the index growing by whole 10^-18 units (floor).
using BorrowIndex = Fixed<BorrowIndexTag, 18, int128>;
// A tranche's realized share price: micro-USD per share unit, 18 decimals on 128 bits.
using SharePrice = Fixed<SharePriceTag, 18, int128>;

// The narrow value of a wide one, or an overflow error naming `what`.
template <class Tag, int D>
Result<Fixed<Tag, D>> narrow(Fixed<Tag, D, int128> v, std::string_view what = "amount") {
  return narrow_to<Fixed<Tag, D>>(v.units(), what);
}

// Exact 128-bit sums of narrow values, for ratios and limits: each wide operand is a narrow value
// widened or a sum of a few of them (fewer than 2^62 in all), so the result cannot leave 128 bits (as
// for WideUsd balances). Unchecked by design; anything else goes through the checked + and −.
template <class Tag, int D>
constexpr Fixed<Tag, D, int128> wide_add(Fixed<Tag, D, int128> sum, Fixed<Tag, D> b) {
  return Fixed<Tag, D, int128>(sum.units() + b.units());
}
template <class Tag, int D>
constexpr Fixed<Tag, D, int128> wide_sub(Fixed<Tag, D, int128> sum, Fixed<Tag, D> b) {
  return Fixed<Tag, D, int128>(sum.units() - b.units());
}
template <class Tag, int D>
constexpr Fixed<Tag, D, int128> wide_add(Fixed<Tag, D, int128> sum, Fixed<Tag, D, int128> other_sum) {
  return Fixed<Tag, D, int128>(sum.units() + other_sum.units());
}
template <class Tag, int D>
constexpr Fixed<Tag, D, int128> wide_sub(Fixed<Tag, D, int128> sum, Fixed<Tag, D, int128> other_sum) {
  return Fixed<Tag, D, int128>(sum.units() - other_sum.units());
}

// A wide value clamped to [lo, hi], as the narrow type (exact: the clamp makes it fit).
template <class Tag, int D>
constexpr Fixed<Tag, D> narrow_clamped(Fixed<Tag, D, int128> v, Fixed<Tag, D> lo, Fixed<Tag, D> hi) {
  using Wide = Fixed<Tag, D, int128>;
  return Fixed<Tag, D>(static_cast<int64_t>(std::clamp(v, Wide(lo), Wide(hi)).units()));
}

// part × den compared with num × whole, exactly on 128 bits and without division: the order of
// part / whole and num / den when whole and den are positive (a ratio against a limit). Errors: a
// product beyond 128 bits (ErrorKind::input, "arithmetic overflow in <what>").
template <class Tag, int D, class Rep>
Result<std::strong_ordering> compare_ratio(Fixed<Tag, D, Rep> part, Fixed<Tag, D, Rep> whole, int64_t num,
                                           int64_t den, std::string_view what = "ratio") {
  int128 lhs{};
  int128 rhs{};
  if (__builtin_mul_overflow(static_cast<int128>(part.units()), static_cast<int128>(den), &lhs) ||
      __builtin_mul_overflow(static_cast<int128>(num), static_cast<int128>(whole.units()), &rhs)) {
    return overflow_error(what, 128);
  }
  return lhs <=> rhs;
}

// An asset configured at run time (the multi-asset pool), by its index in the config.
struct AssetId {
  uint32_t value = 0;
  constexpr auto operator<=>(const AssetId&) const = default;
};

// An amount of one asset, in that asset's configured decimals (at most 9, SPEC §2). The asset is
// known only at run time, so + and − check it: adding BTC to USDC is an error (ErrorKind::input),
// as is comparing them (compare()). No conversion to or from Usd.
class TokenAmount {
 public:
  constexpr TokenAmount(AssetId asset, int64_t units) : m_asset(asset), m_units(units) {}
  constexpr AssetId asset() const { return m_asset; }
  constexpr int64_t units() const { return m_units; }
  constexpr bool is_zero() const { return m_units == 0; }
  constexpr bool is_positive() const { return m_units > 0; }
  constexpr bool is_negative() const { return m_units < 0; }
  constexpr bool operator==(const TokenAmount&) const = default;

  // Checked; errors: another asset, overflow (both ErrorKind::input).
  friend Result<TokenAmount> operator+(TokenAmount a, TokenAmount b);
  friend Result<TokenAmount> operator-(TokenAmount a, TokenAmount b);
  friend Result<TokenAmount> operator+(const Result<TokenAmount>& a, const Result<TokenAmount>& b);
  friend Result<TokenAmount> operator-(const Result<TokenAmount>& a, const Result<TokenAmount>& b);
  // The order of two amounts of the same asset; another asset is an error.
  friend Result<std::strong_ordering> compare(TokenAmount a, TokenAmount b);

 private:
  AssetId m_asset;
  int64_t m_units = 0;
};

// part / whole in basis points, rounded toward −∞ (floor) or +∞ (ceil): e.g. utilization =
// bps_ceil(reserved, nav). Errors: whole is zero, the result beyond int64.
template <class Tag, int D>
Result<Bps> bps_floor(Fixed<Tag, D> part, Fixed<Tag, D> whole, std::string_view what = "ratio") {
  NX_TRY(b, mul_div_floor(part.units(), k_bps_scale, whole.units(), what));
  return Bps{b};
}
template <class Tag, int D>
Result<Bps> bps_ceil(Fixed<Tag, D> part, Fixed<Tag, D> whole, std::string_view what = "ratio") {
  NX_TRY(b, mul_div_ceil(part.units(), k_bps_scale, whole.units(), what));
  return Bps{b};
}

// The same for 128-bit values, e.g. a tranche's share of a sum of two.
template <class Tag, int D>
Result<Bps> bps_floor(Fixed<Tag, D, int128> part, Fixed<Tag, D, int128> whole, std::string_view what = "ratio") {
  NX_TRY(b, mul_div_wide(part.units(), k_bps_scale, whole.units(), Rounding::floor, what));
  if (b > std::numeric_limits<int64_t>::max() || b < std::numeric_limits<int64_t>::min()) return overflow_error(what);
  return Bps{static_cast<int64_t>(b)};
}
// part / whole against a ratio in bps, compared without division (see compare_ratio).
template <class Tag, int D, class Rep>
Result<std::strong_ordering> compare_to_bps(Fixed<Tag, D, Rep> part, Fixed<Tag, D, Rep> whole, Bps ratio,
                                            std::string_view what = "ratio") {
  return compare_ratio(part, whole, ratio.value, k_bps_scale, what);
}

// Checked sums and differences of like units, the error naming `what`.
template <class Tag, int D, class Rep>
Result<Fixed<Tag, D, Rep>> add(Fixed<Tag, D, Rep> a, Fixed<Tag, D, Rep> b, std::string_view what = "amount") {
  return a.plus(b, what);
}
template <class Tag, int D, class Rep>
Result<Fixed<Tag, D, Rep>> sub(Fixed<Tag, D, Rep> a, Fixed<Tag, D, Rep> b, std::string_view what = "amount") {
  return a.minus(b, what);
}

// total += amount, total −= amount, checked: on overflow `total` is unchanged and the error names `what`.
template <class Tag, int D, class Rep>
Status add_to(Fixed<Tag, D, Rep>& total, Fixed<Tag, D, Rep> amount, std::string_view what = "amount") {
  NX_TRY(sum, total.plus(amount, what));
  total = sum;
  return {};
}
template <class Tag, int D, class Rep>
Status sub_from(Fixed<Tag, D, Rep>& total, Fixed<Tag, D, Rep> amount, std::string_view what = "amount") {
  NX_TRY(difference, total.minus(amount, what));
  total = difference;
  return {};
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
// The same for 128-bit units.
std::string format_decimal_wide(int128 units, int decimals);
inline std::string to_string(WideUsd v) { return format_decimal_wide(v.units(), WideUsd::k_decimals); }
inline std::string to_string(WideShares v) { return format_decimal_wide(v.units(), WideShares::k_decimals); }

// 128-bit integers (accumulators, the borrow index) as decimal text, for storage.
std::string format_int128(int128 v);
Result<int128> parse_int128(std::string_view text, std::string_view what);

// For tables only: rounded half away from zero to `shown` decimals, with ',' thousands separators.
std::string format_decimal_display(int64_t units, int decimals, int shown);
std::string format_decimal_display_wide(int128 units, int decimals, int shown);

}  // namespace nexadex
