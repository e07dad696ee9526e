// lib/book.cpp: book aggregates and the keys that find clamped and liquidatable positions.
#include "lib/book.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include <boost/multiprecision/cpp_int.hpp>

#include "lib/position.hpp"

namespace nexadex {
namespace {

constexpr int128 k_scale = k_quantity_scale;           // quantities and clamp values
constexpr int128 k_ratio = 1'000'000'000'000'000'000;  // liquidation keys: price ratios and the borrow index
constexpr int128 k_int128_max = std::numeric_limits<int128>::max();

Error overflow() {
  return Error{ErrorKind::input, "arithmetic overflow in the pool's valuation (a price or a position is far out of "
                                 "range)."};
}

// price × quantity, refused rather than wrapped.
Result<int128> times_price(Price price, int128 quantity) {
  const int128 p = price.units();
  if (p != 0 && (quantity > k_int128_max / p || quantity < -k_int128_max / p)) return std::unexpected(overflow());
  return p * quantity;
}

}  // namespace

int64_t saturate(int128 v) {
  constexpr int128 lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::clamp(v, lo, hi));
}

int64_t price_bucket(Price entry) {
  const auto e = static_cast<uint64_t>(std::max<int64_t>(entry.units(), 1));
  const int n = std::bit_width(e);
  if (n <= 8) return static_cast<int64_t>(e);             // 1..255: one price per bucket
  return n * 256 + static_cast<int64_t>(e >> (n - 8));   // the 8 leading bits: within 1/128
}

BucketRange bucket_range(int64_t bucket) {
  if (bucket < 256) return {bucket, bucket + 1};
  const int n = static_cast<int>(bucket / 256);
  const int128 m = bucket % 256;
  return {m << (n - 8), (m + 1) << (n - 8)};
}

Result<std::optional<TokenReserve>> token_reserve(const Config& config, const Position& p) {
  if (p.reserve_asset.empty()) return std::optional<TokenReserve>();
  for (const AssetConfig& a : config.assets) {
    if (a.symbol == p.reserve_asset) return std::optional<TokenReserve>(TokenReserve{a.decimals, a.price_confidence_bps.value});
  }
  return input_error("position " + std::to_string(p.id) + " reserves " + p.reserve_asset +
                     ", an asset its pool's config does not have.");
}

namespace {

// The cap of `t`'s tokens at `price` (see TokenReserve), saturated at int64's end.
int128 token_cap(const TokenReserve& t, int128 reserve, Price price) {
  const int128 low = floor_div(static_cast<int128>(price.units()) * (k_bps_scale - t.confidence_bps), k_bps_scale);
  // reserve and low are below 2^63: the product fits
  return std::min<int128>(floor_div(reserve * low, pow10(t.decimals + 2)), std::numeric_limits<int64_t>::max());
}

// The smallest price at which a long with a token reserve may be capped (a lower bound: the keys find
// a superset). cap(P) > R·P·(10^4 − c)/M − R·10^4/M − 1 with M = 10^(d+6), so capped ⟹ P·q − K·s ≥
// K·cap(P) ⟹ P·A > B with A = q·M − K·R·(10^4 − c) and B = K·(s·M − R·10^4 − M), on 256 bits.
int64_t token_capped_from(const TokenReserve& t, int128 s, int128 q, int128 r) {
  using boost::multiprecision::int256_t;
  const int256_t m = int256_t(pow10(t.decimals + 6));
  const int256_t a = int256_t(q) * m - int256_t(k_scale) * r * (k_bps_scale - t.confidence_bps);
  const int256_t b = int256_t(k_scale) * (int256_t(s) * m - int256_t(r) * k_bps_scale - m);
  constexpr int64_t never = std::numeric_limits<int64_t>::max();
  if (a <= 0) return b < 0 ? 0 : never;   // P·A ≤ 0: only a negative B lets some price through
  if (b < 0) return 0;
  const int256_t bound = b / a;            // P > B/A ⟹ P ≥ floor(B/A)
  return bound >= never ? never : static_cast<int64_t>(bound);
}

}  // namespace

Result<int128> profit_cap(const Config& config, const Position& p, Price price) {
  NX_TRY(t, token_reserve(config, p));
  if (!t) return static_cast<int128>(p.reserve.units());
  return token_cap(*t, p.reserve.units(), price);
}

Result<PositionKeys> position_keys(const Config& config, const Position& p) {
  PositionKeys k;
  NX_TRY(tokens, token_reserve(config, p));
  const int128 s = p.size.units(), c = p.collateral.units(), r = p.reserve.units(), e = p.entry.units();
  if (s <= 0 || e <= 0) return input_error("a position without size or entry price cannot be valued.");
  const bool is_long = p.side == Side::long_;
  k.quantity = position_quantity(p.side, p.size, p.entry);
  const int128 q = k.quantity;
  constexpr int128 never_below = 0;                                   // no price ≤ 0
  constexpr int128 always_below = std::numeric_limits<int64_t>::max();
  if (q == 0) {
    k.below = saturate(always_below);  // its linear value does not move: always a candidate
    k.above = 0;
  } else if (is_long) {
    // bankrupt: K·s − P·q ≥ K·c ⟺ P ≤ K(s − c)/q; capped: P·q − K·s ≥ K·r ⟺ P ≥ K(s + r)/q
    k.below = saturate(s > c ? floor_div(k_scale * (s - c), q) : never_below);
    k.above = tokens ? token_capped_from(*tokens, s, q, r) : saturate(ceil_div(k_scale * (s + r), q));
  } else {
    // capped: K·s − P·q ≥ K·r ⟺ P ≤ K(s − r)/q; bankrupt: P·q − K·s ≥ K·c ⟺ P ≥ K(s + c)/q
    k.below = saturate(s > r ? floor_div(k_scale * (s - r), q) : never_below);
    k.above = saturate(ceil_div(k_scale * (s + c), q));
  }
  // Liquidation (SPEC §3): liquidatable ⟺ c + floor(pnl) − cf − due < T, where for the linear part
  // floor(x) < n ⟺ x < n, and due = ceil(s·(I − I0)/10^18) + carried < s·(I − I0)/10^18 + 1 + carried.
  // A long is then a candidate ⟺ P/e − I/10^18 < a = (T + cf + carried − c + s + 1)/s − I0/10^18; a
  // short ⟺ P/e + I/10^18 > b = (c + s − T − cf − carried − 1)/s + I0/10^18. Stored: liq = ceil(a·10^18)
  // for a long, −floor(b·10^18) for a short; see liquidation_bound for the search.
  const MarketConfig* mc = config.market(p.market);
  const int128 mm_bps = mc ? mc->maintenance_margin_bps.value : k_bps_scale;
  const int128 threshold = std::max<int128>(ceil_div(s * mm_bps, k_bps_scale), config.fees.liquidation_fee.units());
  const int128 close_fee = ceil_div(s * config.fees.close_fee_bps.value, k_bps_scale);
  const int128 carried = p.borrow_carried.units();
  const int128 i0 = p.borrow_index_open.units();
  k.bucket = price_bucket(p.entry);
  if (is_long) {
    k.liq = saturate(ceil_div((threshold + close_fee + carried - c + s + 1) * k_ratio, s) - i0);
  } else {
    k.liq = saturate(-(floor_div((c + s - threshold - close_fee - carried - 1) * k_ratio, s) + i0));
  }
  // With its profit capped, equity = c + r − cf − due < T ⟺ due > c + r − cf − T, which implies
  // s·(I − I0)/10^18 > c + r − cf − T − carried − 1, i.e. I > dead: a candidate (a superset again).
  // A cap in tokens grows with the price, so no index alone bounds it: such a position is never a
  // `dead` candidate, and a capped one is found by its `above` key instead (liquidation_candidates).
  k.dead = tokens ? std::numeric_limits<int64_t>::max()
                  : saturate(i0 + floor_div((c + r - close_fee - threshold - carried - 1) * k_ratio, s));
  return k;
}

int64_t liquidation_bound(Side side, int64_t bucket, Price price, int128 index) {
  const BucketRange range = bucket_range(bucket);
  const int128 pr = static_cast<int128>(price.units()) * k_ratio;
  // long: a > P/hi − I/10^18 (every entry in the bucket is below hi) ⟹ liq ≥ floor(P·10^18/hi) − I + 1;
  // short: b < P/lo + I/10^18 ⟹ −floor(b·10^18) ≥ −ceil(P·10^18/lo) − I + 1.
  const int128 y = side == Side::long_ ? floor_div(pr, range.hi) - index : -ceil_div(pr, range.lo) - index;
  return saturate(y + 1);
}

int64_t dead_bound(int128 index) { return saturate(index - 1); }

namespace {

// q' for a positive size and entry (see fine_quantity).
FineQuantity fine_of(Side side, int128 s, int128 e) {
  // K'·s / e with K' = 10^36: a = 10^18·s = h·e + r, then 10^18·r = l·e + rho, so K'·s/e = h·10^18 + l + rho/e
  const int128 a = k_limb * s;
  FineQuantity q{a / e, 0, 0};
  const int128 t = (a % e) * k_limb;
  q.lo = t / e;
  const int128 rho = t % e;
  if (side == Side::short_) {
    q.err = rho;   // floor: K'·s − q'·e
  } else if (rho > 0) {
    q.err = e - rho;   // ceil: q'·e − K'·s
    if (++q.lo == k_limb) q.lo = 0, ++q.hi;
  }
  return q;
}

// a + b·sign, or −1 (saturated) when it would not fit or a is saturated already.
int128 add_square(int128 a, int128 e, int sign) {
  if (a < 0 || e > std::numeric_limits<int64_t>::max()) return -1;
  const int128 sq = e * e;
  if (sign > 0 && a > k_int128_max - sq) return -1;
  return a + sign * sq;
}

}  // namespace

Result<FineQuantity> fine_quantity(Side side, Usd size, Price entry) {
  if (!size.is_positive() || !entry.is_positive()) return input_error("a position without size or entry price cannot be valued.");
  return fine_of(side, size.units(), entry.units());
}

void FineValue::add(int128 dx, int128 dy) {
  x += dx;
  y += dy;
  const int128 carry = floor_div(y, k_limb);
  x += carry;
  y -= carry * k_limb;
}

int64_t FineValue::floor_micro() const { return saturate(floor_div(x, k_scale)); }

void book_add(Book& book, const Position& p, int sign) {
  book.open += sign;
  book.size += sign * static_cast<int128>(p.size.units());
  book.quantity += sign * p.keys.quantity;
  auto& n = book.buckets[p.keys.bucket];
  n += sign;
  if (n == 0) book.buckets.erase(p.keys.bucket);
  if (p.size.units() <= 0 || p.entry.units() <= 0) return;
  const FineQuantity q = fine_of(p.side, p.size.units(), p.entry.units());
  book.fine_lo += sign * q.lo;
  book.fine_hi += sign * q.hi;
  const int128 carry = floor_div(book.fine_lo, k_limb);
  book.fine_hi += carry;
  book.fine_lo -= carry * k_limb;
  book.entry_sum += sign * static_cast<int128>(p.entry.units());
  book.entry_sq = add_square(book.entry_sq, p.entry.units(), sign);
  if (book.open == 0) book.fine_hi = book.fine_lo = book.entry_sum = book.entry_sq = 0;
}

Result<FineValue> book_fine_value(const BookKey& key, const Book& book, Price price) {
  NX_TRY(ph, times_price(price, book.fine_hi));
  const int128 ks = k_scale * book.size;
  const int128 pl = static_cast<int128>(price.units()) * book.fine_lo;   // < 2^63 × 10^18
  FineValue v;
  if (key.side == Side::long_) v.add(ks - ph, -pl);
  else v.add(ph - ks, pl);
  return v;
}

Result<FineValue> fine_clamp_correction(const Position& p, Price price, int128 cap) {
  NX_TRY(q, fine_quantity(p.side, p.size, p.entry));
  NX_TRY(ph, times_price(price, q.hi));
  const int128 ks = k_scale * p.size.units();
  const int128 pl = static_cast<int128>(price.units()) * q.lo;
  FineValue linear;
  if (p.side == Side::long_) linear.add(ks - ph, -pl);
  else linear.add(ph - ks, pl);
  // The exact value is linear + price × err / entry (0 ≤ that < price): is it beyond a bound?
  const int128 P = price.units(), e = p.entry.units();
  // d = K'·bound − linear, as one number when |d| < 10^36 units (then |d| × entry fits 128 bits),
  // else only its sign (beyond price units, which the error never reaches)
  const auto gap = [&](int128 bound_micro) -> std::pair<int, int128> {
    FineValue d;
    d.add(bound_micro * k_scale - linear.x, -linear.y);
    if (d.x >= k_limb) return {1, 0};
    if (d.x < -k_limb) return {-1, 0};
    return {0, d.x * k_limb + d.y};
  };
  const int128 c = p.collateral.units(), r = cap;
  // the pool's value at or above the collateral: exact ≥ K'·c ⟺ d_c ≤ price × err / entry
  const auto [sc, dc] = gap(c);
  const bool at_collateral = sc < 0 || (sc == 0 && (dc <= 0 || (dc < P && dc * e <= P * q.err)));
  // at or below −reserve: exact ≤ −K'·r ⟺ price × err / entry ≤ −K'·r − linear = d_r
  const auto [sr, dr] = gap(-r);
  const bool at_reserve = sr > 0 || (sr == 0 && dr >= 0 && (dr >= P || P * q.err <= dr * e));
  FineValue out;
  if (at_collateral) out.add(c * k_scale - linear.x, -linear.y);
  else if (at_reserve) out.add(-r * k_scale - linear.x, -linear.y);
  return out;
}

std::optional<int64_t> book_uniform_entry(const Book& book) {
  if (book.open <= 0 || book.entry_sq < 0 || book.entry_sum % book.open != 0) return std::nullopt;
  const int128 e = book.entry_sum / book.open;
  // every entry is e ⟺ Σ(entry − e)² = Σe² − n·e² = 0 (n·e² ≤ Σe², which fits)
  if (e <= 0 || e > std::numeric_limits<int64_t>::max() || book.entry_sq - book.open * e * e != 0) return std::nullopt;
  return static_cast<int64_t>(e);
}

Result<int128> book_linear_value(const BookKey& key, const Book& book, Price price) {
  NX_TRY(pq, times_price(price, book.quantity));
  const int128 ks = k_scale * book.size;
  return key.side == Side::long_ ? ks - pq : pq - ks;
}

Result<int128> position_linear_value(const Position& p, Price price) {
  NX_TRY(pq, times_price(price, p.keys.quantity));
  const int128 ks = k_scale * p.size.units();
  return p.side == Side::long_ ? ks - pq : pq - ks;
}

Result<int128> clamp_correction(const Position& p, Price price, int128 cap) {
  NX_TRY(v, position_linear_value(p, price));
  const int128 clamped = std::clamp<int128>(v, -k_scale * cap, k_scale * p.collateral.units());
  return clamped - v;
}

}  // namespace nexadex
