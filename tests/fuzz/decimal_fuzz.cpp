// tests/fuzz/decimal_fuzz.cpp: amounts, prices, shares, 128-bit integers, times and durations
// (lib/money.hpp, lib/time.hpp). The first byte picks the reader (and for parse_decimal the scale
// and sign rule); the rest is the text. Each accepted value round-trips through its formatter (the
// table formatters, which round, checked against rounding done on the digit string), and
// parse_decimal is checked against an independent reading of the documented grammar: accepted
// exactly when the grammar, the scale and the int64 range allow, and then to exactly the digits
// written (never more than the documented precision, never a wrap).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "lib/money.hpp"
#include "lib/time.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using namespace nexadex;

// The documented grammar of parse_decimal, read independently: the canonical text of the value
// ("-123.450000", "0.000000") or nullopt where it must be refused.
std::optional<std::string> expected_decimal(std::string_view text, int decimals, Sign sign) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    if (sign != Sign::any) return std::nullopt;
    negative = true;
    text.remove_prefix(1);
  }
  // groups of digits joined by single '_', then optionally '.' and the same again
  auto digits_part = [](std::string_view part, std::string& out) {
    if (part.empty()) return false;
    bool prev_digit = false;
    for (char c : part) {
      if (c >= '0' && c <= '9') {
        out += c;
        prev_digit = true;
      } else if (c == '_' && prev_digit) {
        prev_digit = false;
      } else {
        return false;
      }
    }
    return prev_digit;
  };
  std::string whole, frac;
  const auto point = text.find('.');
  if (!digits_part(text.substr(0, point), whole)) return std::nullopt;
  if (point != std::string_view::npos && !digits_part(text.substr(point + 1), frac)) return std::nullopt;
  if (static_cast<int>(frac.size()) > decimals) return std::nullopt;
  frac.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
  // the magnitude against 2^63 − 1 (or 2^63 when negative), as digit strings
  std::string all = whole + frac;
  all.erase(0, std::min(all.find_first_not_of('0'), all.size()));
  const std::string limit = negative ? "9223372036854775808" : "9223372036854775807";
  if (all.size() > limit.size() || (all.size() == limit.size() && all > limit)) return std::nullopt;
  if (all.empty()) {
    if (sign == Sign::positive) return std::nullopt;
    negative = false;   // "-0" is zero
  }
  if (whole.empty()) whole = "0";
  return (negative ? "-" : "") + whole + (decimals > 0 ? "." + frac : "");
}

void check_decimal(std::string_view text, int decimals, Sign sign) {
  const auto got = parse_decimal(text, decimals, sign, "fuzz");
  const auto want = expected_decimal(text, decimals, sign);
  FUZZ_CHECK(got.has_value() == want.has_value(),
             "'" + std::string(text) + "' at " + std::to_string(decimals) + " dp: parse_decimal " +
                 (got ? "accepted " + std::to_string(*got) : "refused: " + got.error().message));
  if (!got) {
    FUZZ_CHECK(got.error().kind == ErrorKind::input, got.error().message);
    return;
  }
  const std::string shown = format_decimal(*got, decimals);
  FUZZ_CHECK(shown == *want, "'" + std::string(text) + "' parsed to " + shown + ", expected " + *want);
  const auto again = parse_decimal(shown, decimals, Sign::any, "fuzz");
  FUZZ_CHECK(again && *again == *got, "format_decimal's " + shown + " does not read back");
  if (sign == Sign::positive) FUZZ_CHECK(*got > 0, shown);
  if (sign == Sign::non_negative) FUZZ_CHECK(*got >= 0, shown);
}

void check_time(std::string_view text) {
  const auto t = parse_time(text, "fuzz");
  if (!t) {
    FUZZ_CHECK(t.error().kind == ErrorKind::input, t.error().message);
    return;
  }
  FUZZ_CHECK(t->seconds >= 0 && t->seconds <= 253402300799, std::to_string(t->seconds));
  const std::string shown = format_time(*t);
  const auto again = parse_time(shown, "fuzz");
  FUZZ_CHECK(again && *again == *t, shown);
  if (text[0] != '@') {
    // a date, or a date and time of day, written exactly as format_time does
    if (text.size() == 20) FUZZ_CHECK(shown == text, shown + " vs " + std::string(text));
    if (text.size() == 10) FUZZ_CHECK(shown == std::string(text) + "T00:00:00Z", shown);
  } else {
    const auto at = parse_time("@" + std::to_string(t->seconds), "fuzz");
    FUZZ_CHECK(at && *at == *t, std::string(text));
    // the digits, leading zeros aside, are the seconds
    std::string_view digits = text.substr(1);
    digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size() - 1));
    FUZZ_CHECK(digits == std::to_string(t->seconds), std::string(text));
  }
}

void check_duration(std::string_view text) {
  const auto d = parse_duration(text, "fuzz");
  if (!d) {
    FUZZ_CHECK(d.error().kind == ErrorKind::input, d.error().message);
    return;
  }
  FUZZ_CHECK(d->seconds >= 0 && d->seconds <= 1'000'000'000 * k_seconds_per_year, std::to_string(d->seconds));
  const std::string shown = format_duration(*d);
  const auto again = parse_duration(shown, "fuzz");
  FUZZ_CHECK(again && *again == *d, shown);
  (void)format_age(*d);
}

// The table formatter's text of `digits` (a magnitude, no sign) with `decimals` decimals, rounded
// half away from zero to `shown` of them, read independently on the digit string: round up when the
// first dropped digit is 5 or more, then group the whole part by three.
std::string expected_display(bool negative, std::string digits, int decimals, int shown) {
  if (digits.size() < static_cast<std::size_t>(decimals) + 1) digits.insert(0, decimals + 1 - digits.size(), '0');
  const std::size_t cut = digits.size() - static_cast<std::size_t>(decimals - shown);
  const bool up = cut < digits.size() && digits[cut] >= '5';
  std::string kept = digits.substr(0, cut);
  if (up) {
    std::size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
    if (i == 0) kept.insert(kept.begin(), '1');
    else ++kept[i - 1];
  }
  std::string whole = kept.substr(0, kept.size() - static_cast<std::size_t>(shown));
  const std::string frac = kept.substr(kept.size() - static_cast<std::size_t>(shown));
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  const bool zero = kept.find_first_not_of('0') == std::string::npos;
  return (negative && !zero ? "-" : "") + grouped + (shown > 0 ? "." + frac : "");
}

void check_int128(std::string_view text) {
  const auto v = parse_int128(text, "fuzz");
  if (!v) return;
  const std::string shown = format_int128(*v);
  const auto again = parse_int128(shown, "fuzz");
  FUZZ_CHECK(again && *again == *v, shown);
  // the digits written, leading zeros and a "-0" aside
  std::string_view digits = text[0] == '-' ? text.substr(1) : text;
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size() - 1));
  const std::string want = (text[0] == '-' && digits != "0" ? "-" : "") + std::string(digits);
  FUZZ_CHECK(shown == want, shown + " vs " + want);
  // and at every scale the wide formatter prints the same digits
  const std::string wide = format_decimal_wide(*v, 18);
  std::string plain = wide;
  plain.erase(plain.find('.'), 1);
  const bool neg = plain[0] == '-';
  if (neg) plain.erase(0, 1);
  plain.erase(0, std::min(plain.find_first_not_of('0'), plain.size() - 1));
  FUZZ_CHECK((neg ? "-" : "") + plain == shown, wide + " vs " + shown);
  // the table formatters (shares: 9 decimals shown to 4; amounts: 6 to 2; whole units), 128-bit and,
  // where the value fits, 64-bit
  for (const auto& [decimals, shown_decimals] : {std::pair{9, 4}, std::pair{6, 2}, std::pair{6, 6}, std::pair{9, 0}}) {
    const std::string want_display = expected_display(*v < 0, plain, decimals, shown_decimals);
    const std::string got_display = format_decimal_display_wide(*v, decimals, shown_decimals);
    FUZZ_CHECK(got_display == want_display, shown + " at " + std::to_string(decimals) + " dp to " +
                                                std::to_string(shown_decimals) + ": " + got_display + " vs " + want_display);
    if (*v >= INT64_MIN && *v <= INT64_MAX) {
      FUZZ_CHECK(format_decimal_display(static_cast<int64_t>(*v), decimals, shown_decimals) == want_display, shown);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const std::string_view text = nexadex::fuzz::as_text(data + 1, size - 1);
  switch (selector % 8) {
    case 0: check_decimal(text, Usd::k_decimals, static_cast<Sign>(selector / 8 % 3)); break;
    case 1: check_decimal(text, Price::k_decimals, Sign::positive); break;
    case 2: check_decimal(text, Shares::k_decimals, static_cast<Sign>(selector / 8 % 3)); break;
    case 3: check_decimal(text, selector / 8 % 19, static_cast<Sign>(selector / 8 % 3)); break;
    case 4: check_decimal(text, 2, Sign::non_negative); break;   // --shock percentages
    case 5: check_time(text); break;
    case 6: check_duration(text); break;
    case 7: check_int128(text); break;
  }
  // the typed readers agree with parse_decimal at their scale
  if (selector % 8 == 0) {
    const auto u = parse_usd(text, Sign::any, "fuzz");
    const auto d = parse_decimal(text, Usd::k_decimals, Sign::any, "fuzz");
    FUZZ_CHECK(u.has_value() == d.has_value() && (!u || u->units() == *d), std::string(text));
  } else if (selector % 8 == 1) {
    const auto p = parse_price(text, "fuzz");
    const auto d = parse_decimal(text, Price::k_decimals, Sign::positive, "fuzz");
    FUZZ_CHECK(p.has_value() == d.has_value() && (!p || p->units() == *d), std::string(text));
  } else if (selector % 8 == 2) {
    const auto s = parse_shares(text, Sign::non_negative, "fuzz");
    const auto d = parse_decimal(text, Shares::k_decimals, Sign::non_negative, "fuzz");
    FUZZ_CHECK(s.has_value() == d.has_value() && (!s || s->units() == *d), std::string(text));
  }
  return 0;
}
