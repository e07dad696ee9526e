// lib/book.hpp: the open positions of one market and side, valued and searched without a scan.
//
// Valuing the pool (DESIGN-risk §4) needs, per open position, clamp(trader loss, −reserve, collateral)
// at the latest price. Between the price where its loss reaches its collateral ("bankrupt") and the
// price where its profit reaches its reserve ("capped") that value is linear in the price, so a book
// keeps Σ size and Σ quantity of all its open positions and corrects only for the few positions whose
// value is clamped, found through two price keys. Liquidation candidates are found the same way, by
// keys that stay valid while the borrow index grows (see PositionKeys).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "lib/config.hpp"
#include "lib/error.hpp"
#include "lib/event.hpp"
#include "lib/money.hpp"
#include "lib/position.hpp"

namespace nexadex {

// quantity = size × 10^18 / entry: the position's amount of the asset, so that size × price / entry
// = price × quantity / 10^18. Rounded so that the pool's value of it is the lower one: a long's
// quantity up, a short's down.
inline constexpr int128 k_quantity_scale = 1'000'000'000'000'000'000;
// A position's quantity as defined above, for a positive size and entry.
inline int128 position_quantity(Side side, Usd size, Price entry) {
  const int128 n = static_cast<int128>(size.units()) * k_quantity_scale;
  return side == Side::long_ ? ceil_div(n, entry.units()) : floor_div(n, entry.units());
}

struct BookKey {
  std::string market;
  Side side = Side::long_;
  auto operator<=>(const BookKey&) const = default;
};

// Rules 2 (the NAV exact to the micro-unit, nexadex-journal(5) VALUATION): a position's quantity at
// the finer scale K' = 10^36, rounded as `quantity` is (a long's up, a short's down), as two limbs
// hi·10^18 + lo with 0 ≤ lo < 10^18, and the exact remainder of that rounding, err = |q'·e − K'·s| < e.
inline constexpr int128 k_limb = 1'000'000'000'000'000'000;   // 10^18: K' = k_limb × k_quantity_scale
struct FineQuantity {
  int128 hi = 0;
  int128 lo = 0;
  int128 err = 0;
};
Result<FineQuantity> fine_quantity(Side side, Usd size, Price entry);

// A value in units of 10^-36 micro-USD, as x·10^18 + y with 0 ≤ y < 10^18 (x in the books' unit of
// 10^-18 micro-USD): the sum of the books at K' fits no 128-bit integer, its two limbs do.
struct FineValue {
  int128 x = 0;
  int128 y = 0;
  void add(int128 dx, int128 dy);   // then carries y into x
  int64_t floor_micro() const;       // floor(value) in micro-USD (x fits 64 bits after the division)
};

// Aggregates of a book's open positions, all of them (loaded into memory or not).
struct Book {
  int64_t open = 0;
  int128 size = 0;
  int128 quantity = 0;
  std::map<int64_t, int64_t> buckets;   // liquidation bucket → open positions in it
  // Rules 2: Σ q' (lo carried into hi), and Σ entry and Σ entry² (every entry is the same e ⟺
  // n·Σe² = (Σe)²); entry_sq is −1 once it would not fit 128 bits (then never "uniform").
  int128 fine_hi = 0;
  int128 fine_lo = 0;
  int128 entry_sum = 0;
  int128 entry_sq = 0;
  bool operator==(const Book&) const = default;
};

// Rules 4 (nexadex-assets(7) A2, A3): a long whose reserve is in token units of a pool asset has its
// profit capped at value(reserve, low(P)) = floor(reserve × floor(P × (10^4 − c) / 10^4) / 10^(d+2))
// micro-USD at the market price P, d being the asset's decimals and c its price_confidence_bps.
struct TokenReserve {
  int64_t decimals = 0;
  int64_t confidence_bps = 0;
};
// The asset of a position's reserve, or none (a reserve in micro-USD). Error: an asset the config
// does not have (a damaged row: assets are never removed).
Result<std::optional<TokenReserve>> token_reserve(const Config& config, const Position& p);
// The profit cap at `price`, in micro-USD saturated at int64's end: the reserve itself, or the value
// of its tokens at the asset's low price at `price`, floored.
Result<int128> profit_cap(const Config& config, const Position& p, Price price);

// The keys of an open position under `config` (its market's maintenance margin, the close fee and
// the liquidation fee enter the liquidation keys).
Result<PositionKeys> position_keys(const Config& config, const Position& p);

// Adds (sign +1) or removes (sign −1) an open position from its book's aggregates.
void book_add(Book& book, const Position& p, int sign);

// The book's value to the pool at `price`, in units of 10^-18 micro-USD, as if no position were
// clamped: long K·Σsize − price·Σquantity, short the opposite (K = k_quantity_scale).
Result<int128> book_linear_value(const BookKey& key, const Book& book, Price price);

// One position's linear value (as above) and its correction for clamping: clamp(v, −K·cap,
// K·collateral) − v (0 when its value is not clamped), `cap` being its profit_cap at `price`.
Result<int128> position_linear_value(const Position& p, Price price);
Result<int128> clamp_correction(const Position& p, Price price, int128 cap);

// Rules 2, the same at K' (FineValue): the book's linear value, which is at most its exact value and
// less by under `price` units of 10^-36 micro-USD per position (the rounding of q' costs a position
// price × err / entry); one position's correction for clamping, exact (the clamp replaces the linear
// value, rounding and all); and the one entry price of every position of the book, if they share
// one (then its linear value is exactly Σ size × (e − price) / e, a long's, from the aggregates).
Result<FineValue> book_fine_value(const BookKey& key, const Book& book, Price price);
Result<FineValue> fine_clamp_correction(const Position& p, Price price, int128 cap);
std::optional<int64_t> book_uniform_entry(const Book& book);

// The entry-price range [lo, hi) of a liquidation bucket.
struct BucketRange {
  int128 lo = 0;
  int128 hi = 0;   // up to 2^63
};
int64_t price_bucket(Price entry);
BucketRange bucket_range(int64_t bucket);

// The inclusive lower bound on `liq` for candidates of `bucket` at `price` and borrow index `index`.
int64_t liquidation_bound(Side side, int64_t bucket, Price price, int128 index);
// The inclusive upper bound on `dead` for candidates at borrow index `index`.
int64_t dead_bound(int128 index);

int64_t saturate(int128 v);

}  // namespace nexadex
