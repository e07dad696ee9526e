// lib/money.cpp: checked 128-bit arithmetic with named rounding, decimal parsing and printing.
#include "lib/money.hpp"

#include <algorithm>
#include <limits>

#include <boost/multiprecision/cpp_int.hpp>

namespace nexadex {
namespace {

constexpr int128 k_i64_max = std::numeric_limits<int64_t>::max();
constexpr int128 k_i64_min = std::numeric_limits<int64_t>::min();

std::unexpected<Error> overflow(std::string_view what) { return overflow_error(what, 64); }

Result<int64_t> narrow(int128 v, std::string_view what) {
  if (v > k_i64_max || v < k_i64_min) return overflow(what);
  return static_cast<int64_t>(v);
}

std::unexpected<Error> asset_mismatch(TokenAmount a, TokenAmount b, std::string_view op) {
  return input_error("cannot " + std::string(op) + " amounts of two assets (#" + std::to_string(a.asset().value) +
                     " and #" + std::to_string(b.asset().value) + "); convert one of them first.");
}

}  // namespace

std::unexpected<Error> overflow_error(std::string_view what, int bits) {
  return input_error("arithmetic overflow in " + std::string(what) + ": the result does not fit in " +
                     std::to_string(bits) + " bits; use smaller amounts.");
}

Result<int128> mul_div_wide(int128 a, int128 b, int128 d, Rounding rounding, std::string_view what) {
  if (d == 0) return input_error("division by zero in " + std::string(what) + ".");
  int128 n = 0;
  if (!__builtin_mul_overflow(a, b, &n)) return rounding == Rounding::floor ? floor_div(n, d) : ceil_div(n, d);
  // a × b beyond 128 bits: the product on 256 (exact; boost converts int128 both ways), and only a
  // quotient beyond 128 bits is an overflow
  using boost::multiprecision::int256_t;
  const int256_t num = int256_t(a) * b;
  int256_t q = num / d;   // truncates toward zero
  if (q * d != num) {
    const bool negative = (num < 0) != (d < 0);
    if (rounding == Rounding::floor && negative) q -= 1;
    if (rounding == Rounding::ceil && !negative) q += 1;
  }
  if (q > std::numeric_limits<int128>::max() || q < std::numeric_limits<int128>::min()) return overflow_error(what, 128);
  return static_cast<int128>(q);
}

Result<TokenAmount> operator+(TokenAmount a, TokenAmount b) {
  if (a.asset() != b.asset()) return asset_mismatch(a, b, "add");
  NX_TRY(sum, checked_add(a.units(), b.units(), "token amount"));
  return TokenAmount(a.asset(), sum);
}

Result<TokenAmount> operator-(TokenAmount a, TokenAmount b) {
  if (a.asset() != b.asset()) return asset_mismatch(a, b, "subtract");
  NX_TRY(diff, checked_sub(a.units(), b.units(), "token amount"));
  return TokenAmount(a.asset(), diff);
}

Result<TokenAmount> operator+(const Result<TokenAmount>& a, const Result<TokenAmount>& b) {
  if (!a) return a;
  if (!b) return b;
  return *a + *b;
}

Result<TokenAmount> operator-(const Result<TokenAmount>& a, const Result<TokenAmount>& b) {
  if (!a) return a;
  if (!b) return b;
  return *a - *b;
}

Result<std::strong_ordering> compare(TokenAmount a, TokenAmount b) {
  if (a.asset() != b.asset()) return asset_mismatch(a, b, "compare");
  return a.units() <=> b.units();
}

Result<int64_t> div_floor(int128 n, int128 d, std::string_view what) {
  if (d == 0) return input_error("division by zero in " + std::string(what) + ".");
  return narrow(floor_div(n, d), what);
}

Result<int64_t> div_ceil(int128 n, int128 d, std::string_view what) {
  if (d == 0) return input_error("division by zero in " + std::string(what) + ".");
  return narrow(ceil_div(n, d), what);
}

Result<int64_t> mul_div_floor(int64_t a, int64_t b, int64_t d, std::string_view what) {
  return div_floor(static_cast<int128>(a) * b, d, what);
}

Result<int64_t> mul_div_ceil(int64_t a, int64_t b, int64_t d, std::string_view what) {
  return div_ceil(static_cast<int128>(a) * b, d, what);
}

Result<int64_t> checked_add(int64_t a, int64_t b, std::string_view what) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return overflow(what);
  return r;
}

Result<int64_t> checked_sub(int64_t a, int64_t b, std::string_view what) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return overflow(what);
  return r;
}

Result<int64_t> parse_decimal(std::string_view text, int decimals, Sign sign, std::string_view what) {
  const std::string name(what);
  const std::string shown = "'" + std::string(text) + "'";
  auto bad = [&](std::string why) {
    return input_error(name + " " + shown + " is not a valid amount: " + why + ".");
  };
  if (text.empty()) return input_error(name + " is empty; give a decimal number such as 1000.5.");
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '+') return bad("a leading '+' is not allowed; write the number without a sign");
  if (text[0] == '-') {
    if (sign != Sign::any) return bad("it must not be negative");
    negative = true;
    i = 1;
  }
  int128 value = 0;
  int frac_digits = 0;
  bool seen_point = false;
  bool prev_digit = false;   // the previous character was a digit (for '_' and '.')
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (seen_point && ++frac_digits > decimals) {
        return bad("it has more than " + std::to_string(decimals) + " decimal places");
      }
      value = value * 10 + (c - '0');
      if (value > k_i64_max + 1) return bad("it is too large");
      prev_digit = any_digit = true;
    } else if (c == '_') {
      if (!prev_digit || i + 1 >= text.size() || text[i + 1] < '0' || text[i + 1] > '9') {
        return bad("'_' may only separate digits, as in 1_000.25");
      }
      prev_digit = false;
    } else if (c == '.') {
      if (seen_point) return bad("it has two decimal points");
      if (!prev_digit || i + 1 >= text.size()) return bad("a decimal point needs digits on both sides, as in 0.5");
      seen_point = true;
      prev_digit = false;
    } else if (c == ',') {
      return bad("',' is not a separator here; write 1000 or 1_000");
    } else if (c == 'e' || c == 'E') {
      if (any_digit) return bad("exponents are not allowed; write the digits out");
      return bad("it is not a number");
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return bad("it contains spaces");
    } else {
      return bad("it is not a number");
    }
  }
  if (!any_digit) return bad("it has no digits");
  for (int k = frac_digits; k < decimals; ++k) {
    value *= 10;
    if (value > k_i64_max + 1) return bad("it is too large");
  }
  if (negative) value = -value;
  if (value > k_i64_max || value < k_i64_min) return bad("it is too large");
  if (sign == Sign::positive && value == 0) return bad("it must be greater than zero");
  return static_cast<int64_t>(value);
}

Result<Usd> parse_usd(std::string_view text, Sign sign, std::string_view what) {
  NX_TRY(v, parse_decimal(text, Usd::k_decimals, sign, what));
  return Usd(v);
}

Result<Price> parse_price(std::string_view text, std::string_view what) {
  NX_TRY(v, parse_decimal(text, Price::k_decimals, Sign::positive, what));
  return Price(v);
}

Result<Shares> parse_shares(std::string_view text, Sign sign, std::string_view what) {
  NX_TRY(v, parse_decimal(text, Shares::k_decimals, sign, what));
  return Shares(v);
}

std::string format_decimal(int64_t units, int decimals) {
  const bool negative = units < 0;
  // the magnitude in unsigned 64 bits, so that INT64_MIN prints correctly
  uint64_t mag = negative ? uint64_t{0} - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  // digits from the right: at most 20 of them or decimals + 1, the point and the sign
  std::string buf(static_cast<std::size_t>(std::max(20, decimals + 1) + 2), '\0');
  char* const end = buf.data() + buf.size();
  char* at = end;
  int written = 0;
  do {
    if (decimals > 0 && written == decimals) *--at = '.';
    *--at = static_cast<char>('0' + mag % 10);
    mag /= 10;
    ++written;
  } while (mag != 0 || written <= decimals);
  if (negative) *--at = '-';
  buf.erase(0, static_cast<std::size_t>(at - buf.data()));
  return buf;
}

std::string format_decimal_wide(int128 units, int decimals) {
  if (units >= k_i64_min && units <= k_i64_max) return format_decimal(static_cast<int64_t>(units), decimals);
  std::string digits = format_int128(units);
  const bool negative = digits[0] == '-';
  if (negative) digits.erase(0, 1);
  // beyond int64 the whole part has more than 9 digits, so there is always one before the point
  digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1, '.');
  if (decimals == 0) digits.pop_back();
  return negative ? "-" + digits : digits;
}

std::string format_int128(int128 v) {
  const bool negative = v < 0;
  unsigned __int128 mag = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  return negative ? "-" + digits : digits;
}

Result<int128> parse_int128(std::string_view text, std::string_view what) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  if (i >= text.size()) return input_error(std::string(what) + " is not an integer.");
  unsigned __int128 v = 0;
  constexpr unsigned __int128 k_limit = (static_cast<unsigned __int128>(1) << 127);
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return input_error(std::string(what) + " is not an integer.");
    const unsigned digit = static_cast<unsigned>(text[i] - '0');
    // checked before multiplying: v * 10 + digit could pass 2^128 and wrap
    if (v > (k_limit - digit) / 10) return input_error(std::string(what) + " does not fit in 128 bits.");
    v = v * 10 + digit;
  }
  if (!negative && v == k_limit) return input_error(std::string(what) + " does not fit in 128 bits.");
  return negative ? -static_cast<int128>(v - 1) - 1 : static_cast<int128>(v);
}

namespace {

// A magnitude with `decimals` decimals, rounded half away from zero to `shown` of them (display only,
// never used in arithmetic), the whole part in groups of three. Mag: uint64_t or unsigned __int128,
// wide enough for |units| + half a step.
template <class Mag>
std::string display_decimal(bool negative, Mag mag, int decimals, int shown) {
  if (shown < decimals) {
    Mag step = 1;
    for (int i = shown; i < decimals; ++i) step *= 10;
    mag = (mag + step / 2) / step;
  } else {
    shown = decimals;
  }
  negative = negative && mag != 0;
  // from the right: the shown decimals, the point, the whole part in groups of three, the sign
  std::string buf(static_cast<std::size_t>(std::max(shown, 0)) + 56, '\0');
  char* const end = buf.data() + buf.size();
  char* at = end;
  for (int i = 0; i < shown; ++i) {
    *--at = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  }
  if (shown > 0) *--at = '.';
  int whole = 0;
  do {
    if (whole > 0 && whole % 3 == 0) *--at = ',';
    *--at = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
    ++whole;
  } while (mag != 0);
  if (negative) *--at = '-';
  buf.erase(0, static_cast<std::size_t>(at - buf.data()));
  return buf;
}

}  // namespace

std::string format_decimal_display(int64_t units, int decimals, int shown) {
  // |units| ≤ 2^63 and half a step < 2^63: the rounding fits in 64 unsigned bits
  const bool negative = units < 0;
  const uint64_t mag = negative ? uint64_t{0} - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  return display_decimal(negative, mag, decimals, shown);
}

std::string format_decimal_display_wide(int128 units, int decimals, int shown) {
  if (units >= k_i64_min && units <= k_i64_max) return format_decimal_display(static_cast<int64_t>(units), decimals, shown);
  const bool negative = units < 0;
  using u128 = unsigned __int128;
  const u128 mag = negative ? static_cast<u128>(-(units + 1)) + 1 : static_cast<u128>(units);
  return display_decimal(negative, mag, decimals, shown);
}

}  // namespace nexadex
