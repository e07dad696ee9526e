// lib/exposure.cpp: the pool's net exposure per market and its cap (nexadex-assets(7), NET EXPOSURE).
#include "lib/exposure.hpp"

#include "lib/book.hpp"
#include "lib/cascade.hpp"

namespace nexadex::exposure {
namespace {

// A position's quantity (10^-16 token: size × 10^18 / entry, size in 10^-6 USD and entry in 10^-8 USD
// per token) in 10^-18 token.
constexpr int128 k_quantity_to_tokens = 100;
// tokens (10^-18) × price (10^-8 USD) / this = micro-USD
const int128 k_value_divisor = pow10(k_token_decimals + Price::k_decimals - Usd::k_decimals);

Result<int128> checked(int128 a, int128 b, bool add) {
  int128 out{};
  if (add ? __builtin_add_overflow(a, b, &out) : __builtin_sub_overflow(a, b, &out)) {
    return overflow_error("the net exposure", 128);
  }
  return out;
}

// A position's quantity in 10^-18 token.
Result<int128> tokens_of(int128 quantity) {
  int128 tokens{};
  if (__builtin_mul_overflow(quantity, k_quantity_to_tokens, &tokens)) return overflow_error("the net exposure", 128);
  return tokens;
}

// The net exposure `net` after an open of `quantity` on `side`: a long is owed the asset's moves (the
// pool is short them), a short owes them.
Result<int128> after_open(int128 net, Side side, int128 quantity) {
  NX_TRY(tokens, tokens_of(quantity));
  return checked(net, tokens, side == Side::short_);
}

Usd magnitude(Usd v) { return v.is_negative() ? Usd(-v.units()) : v; }

// The quantity of a book's open positions whose value at `price` is not clamped (a clamped position's
// value no longer moves with the price: it owes or is owed nothing more as the price moves), in 10^-18
// token. A long capped at a reserve in tokens (rules 4, nexadex-assets(7) A3) is owed the value of its
// reserve at the low price, which moves with the price: it counts ceil(reserve × (10^4 − c) / 10^4)
// tokens.
Result<int128> unclamped_quantity(const State& state, const BookKey& key, Price price) {
  const auto book = state.books.find(key);
  if (book == state.books.end()) return int128{0};
  int128 quantity = book->second.quantity;
  int128 capped_tokens = 0;
  NX_TRY(candidates, clamp_candidates(state, key, price));
  for (const Position* p : candidates) {
    NX_TRY(cap, profit_cap(state.config, *p, price));
    NX_TRY(c, fine_clamp_correction(*p, price, cap));
    if (c.x == 0 && c.y == 0) continue;
    quantity -= p->keys.quantity;
    NX_TRY(t, token_reserve(state.config, *p));
    if (t && (c.x > 0 || (c.x == 0 && c.y > 0))) {   // capped at its reserve, not at its collateral
      // ceil: a long's tokens round up, as its quantity does
      const int128 scaled = static_cast<int128>(p->reserve.units()) * pow10(k_token_decimals - static_cast<int>(t->decimals));
      NX_TRY(at_low, mul_div_wide(scaled, k_bps_scale - t->confidence_bps, k_bps_scale, Rounding::ceil, "the net exposure"));
      NX_TRY(owed, checked(capped_tokens, at_low, true));
      capped_tokens = owed;
    }
  }
  NX_TRY(tokens, tokens_of(quantity));
  return checked(tokens, capped_tokens, true);
}

}  // namespace

Result<Usd> value_away_from_zero(int128 tokens, Price price) {
  const int128 magnitude = tokens < 0 ? -tokens : tokens;
  NX_TRY(v, mul_div_wide(magnitude, price.units(), k_value_divisor, Rounding::ceil, "the net exposure's value"));
  NX_TRY(usd, narrow_to<Usd>(tokens < 0 ? -v : v, "the net exposure's value"));
  return usd;
}

Result<MarketExposure> of_market(const State& state, const MarketConfig& market, Usd aum) {
  MarketExposure out;
  out.market = market.symbol;
  out.cap = market.max_net_exposure_bps;
  bool shown_set = false;
  if (state.assets) {
    const auto& pool = *state.assets;
    for (std::size_t i = 0; i < pool.configs.size(); ++i) {
      const auto& a = pool.configs[i];
      if (a.market != market.symbol) continue;
      if (!shown_set) out.shown_decimals = static_cast<int>(a.decimals), shown_set = true;
      // the tokens posted as collateral (rules 4) are the pool's exposure too: it owes their USD value at
      // the open, so it carries their price move (A6)
      const int128 tokens = int128(pool.books[i].owned) + pool.books[i].collateral;
      NX_TRY(held, checked(out.held, tokens * pow10(k_token_decimals - static_cast<int>(a.decimals)), true));
      out.held = held;
    }
  }
  const auto m = state.markets.find(market.symbol);
  if (m == state.markets.end() || !m->second.priced()) {
    out.net = out.held;   // no position opens before a price
    return out;
  }
  const Price price = m->second.price;
  out.price = price;
  NX_TRY(longs, unclamped_quantity(state, BookKey{market.symbol, Side::long_}, price));
  NX_TRY(shorts, unclamped_quantity(state, BookKey{market.symbol, Side::short_}, price));
  out.longs = longs;
  out.shorts = shorts;
  NX_TRY(less_longs, checked(out.held, longs, false));
  NX_TRY(net, checked(less_longs, shorts, true));
  out.net = net;
  NX_TRY(usd, value_away_from_zero(net, price));
  out.net_usd = usd;
  if (aum.is_positive()) {
    NX_TRY(share, bps_ceil(magnitude(usd), aum));
    out.share = share;
  }
  return out;
}

Result<std::vector<MarketExposure>> all(const State& state) {
  NX_TRY(aum, tranche::pool_nav(state));
  std::vector<MarketExposure> out;
  for (const auto& market : state.config.markets) {
    NX_TRY(e, of_market(state, market, aum));
    out.push_back(std::move(e));
  }
  return out;
}

Status check_open(const State& state, const MarketConfig& market, Side side, int128 quantity, int128 held_added) {
  const Bps cap = market.max_net_exposure_bps;
  if (cap.value == 0) return {};
  NX_TRY(aum, tranche::pool_nav(state));
  NX_TRY(before, of_market(state, market, aum));
  if (!before.price) return {};   // (an open needs a fresh price)
  NX_TRY(held_after, checked(before.net, held_added, true));
  NX_TRY(after, after_open(held_after, side, quantity));
  const auto size_of = [](int128 v) { return v < 0 ? -v : v; };
  if (size_of(after) <= size_of(before.net)) return {};   // closer to zero (or as close): always allowed
  NX_TRY(usd, value_away_from_zero(after, *before.price));
  const Usd counted = std::max(aum, Usd());
  const Usd size = magnitude(usd);
  // compared without division: |exposure after| / AUM ≤ cap
  NX_TRY(order, compare_to_bps(size, counted, cap, "the net exposure"));
  if (order != std::strong_ordering::greater) return {};
  NX_TRY(limit, counted.mul_bps_floor(cap, "the net exposure limit"));
  const std::string share = counted.is_positive()
                                ? format_decimal(bps_ceil(size, counted).value_or(Bps{0}).value, 2) + "% of AUM " +
                                      to_string(aum)
                                : "with AUM at " + to_string(aum);
  return rule_error("the open would take the pool's net " + market.symbol + " exposure to " +
                    format_tokens(after, before.shown_decimals) + " " + market.symbol + " (" + to_string(usd) +
                    " USD, " + share + "), beyond its cap of " + to_string(limit) + " USD (max_net_exposure_bps " +
                    std::to_string(cap.value) + ", " + format_decimal(cap.value, 2) +
                    "% of AUM); open less, or wait for trades on the other side.");
}

Result<Usd> counted(const State& state, const std::string& market, Side side, int128 quantity, int128 held_added) {
  Usd total;
  for (const auto& m : state.config.markets) {
    if (m.max_net_exposure_bps.value == 0) continue;
    // (the AUM only divides the share, which is not used here)
    NX_TRY(e, of_market(state, m, Usd()));
    if (!e.price) continue;
    NX_TRY(held, checked(e.net, m.symbol == market ? held_added : 0, true));
    NX_TRY(net, m.symbol == market ? after_open(held, side, quantity) : Result<int128>(e.net));
    NX_TRY(usd, value_away_from_zero(net, *e.price));
    NX_TRY(sum, total + magnitude(usd));
    total = sum;
  }
  return total;
}

std::string format_tokens(int128 tokens, int shown) {
  std::string text = format_decimal_wide(tokens, k_token_decimals);
  const std::size_t point = text.find('.');
  std::size_t keep = text.size();
  while (keep > point + 1 + static_cast<std::size_t>(shown) && text[keep - 1] == '0') --keep;
  text.resize(keep);
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace nexadex::exposure
