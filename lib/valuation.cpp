// lib/valuation.cpp: the NAV (rules 1: the books' aggregate floored; rules 2: exact), utilization,
// free capital and the liquidatable positions.
#include "lib/valuation.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <boost/multiprecision/cpp_int.hpp>

#include "lib/asset_rules.hpp"
#include "lib/pricing.hpp"

namespace nexadex::vault {
namespace {

// Rules 2: the exact sum of the positions' clamped values, floored (nexadex-journal(5), VALUATION).
//
// A book none of whose positions is clamped and whose positions share one entry e (the usual book
// right after opens at one price) is worth exactly Σ size × (e − price) / e (a long's; a short's the
// opposite): its whole micro-units and the first 36 decimals of its fraction are added, and 1 unit of
// 10^-36 micro-USD to the error bound when the fraction goes on. Any other book adds its value at K'
// (at most its exact value, short of it by under price units per unclamped position) and those units
// to the bound. When the floor of the total is the same at both ends of the bound it is the answer;
// else the exact value lies within the bound of a whole micro-unit (within 10^-14 micro-USD for any
// book that fits the journal: in practice, values that add up to whole micro-units), and the total is
// summed exactly as rationals: a one-entry book from its aggregates, the others from their positions,
// O(their positions), grouped by entry price.
Result<int64_t> unrealized_exact(const State& state) {
  struct Part {
    const BookKey* key;
    const Book* book;
    Price price;
    std::optional<int64_t> entry;   // one shared entry, no position clamped
  };
  std::vector<Part> parts;
  FineValue total;
  int128 bound = 0;   // units of 10^-36 micro-USD
  for (const auto& [key, book] : state.books) {
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) {
      return journal_error("the " + key.market + " market has open positions but no price.");
    }
    const Price price = it->second.price;
    NX_TRY(candidates, clamp_candidates(state, key, price));
    FineValue corrections;
    int64_t clamped = 0;
    for (const Position* p : candidates) {
      NX_TRY(cap, profit_cap(state.config, *p, price));
      NX_TRY(c, fine_clamp_correction(*p, price, cap));
      if (c.x == 0 && c.y == 0) continue;
      ++clamped;
      corrections.add(c.x, c.y);
    }
    Part part{&key, &book, price, clamped == 0 ? book_uniform_entry(book) : std::nullopt};
    int128 num = 0;   // one entry: Σ size × (e − P) for a long, × (P − e) for a short
    if (part.entry) {
      const int128 diff = key.side == Side::long_ ? static_cast<int128>(*part.entry) - price.units()
                                                  : static_cast<int128>(price.units()) - *part.entry;
      const int128 limit = std::numeric_limits<int128>::max() / (diff < 0 ? -diff : std::max<int128>(diff, 1));
      if (book.size > limit) part.entry.reset();   // too large for 128 bits: valued as any book
      else num = book.size * diff;
    }
    if (part.entry) {
      const int128 e = *part.entry;
      const int128 whole = num / e - (num % e < 0 ? 1 : 0);
      const int128 r = num - whole * e;                       // in [0, e)
      const int128 first = r * k_limb / e;                    // the fraction's first 18 decimals (r < e < 2^63)
      const int128 second = (r * k_limb - first * e) * k_limb / e;
      const bool more = ((r * k_limb - first * e) * k_limb) % e != 0;
      total.add(whole * k_quantity_scale + first, second);
      if (more) bound += 1;
    } else {
      NX_TRY(v, book_fine_value(key, book, price));
      v.add(corrections.x, corrections.y);
      total.add(v.x, v.y);
      bound += static_cast<int128>(price.units()) * (book.open - clamped);
    }
    parts.push_back(part);
  }
  FineValue top = total;
  top.add(0, bound > 0 ? bound - 1 : 0);
  if (top.floor_micro() == total.floor_micro()) return total.floor_micro();
  // The rare case: the exact sum, as a rational in micro-USD.
  using boost::multiprecision::cpp_int;
  using boost::multiprecision::cpp_rational;
  cpp_rational exact(0);
  for (const Part& part : parts) {
    const int64_t P = part.price.units();
    const bool is_long = part.key->side == Side::long_;
    std::map<int64_t, cpp_int> by_entry;   // Σ size of the unclamped positions, by entry price
    if (part.entry) {
      by_entry[*part.entry] = cpp_int(part.book->size);
    } else {
      NX_TRY(positions, book_positions(state, *part.key));
      for (const Position* p : positions) {
        NX_TRY(cap, profit_cap(state.config, *p, part.price));
        NX_TRY(c, fine_clamp_correction(*p, part.price, cap));
        if (c.x == 0 && c.y == 0) {
          by_entry[p->entry.units()] += p->size.units();
          continue;
        }
        // clamped: the value is its bound exactly
        NX_TRY(pnl_now, pnl_floor(p->side, p->size, p->entry, part.price));
        exact += !pnl_now.is_negative() ? cpp_rational(cpp_int(-cap)) : cpp_rational(p->collateral.units());
      }
    }
    for (const auto& [entry, size] : by_entry) {
      const cpp_int diff = is_long ? cpp_int(entry) - P : cpp_int(P) - entry;
      exact += cpp_rational(size * diff, cpp_int(entry));
    }
  }
  const cpp_int n = numerator(exact), d = denominator(exact);
  const cpp_int whole = n / d - (n < 0 && n % d != 0 ? 1 : 0);
  if (whole > std::numeric_limits<int64_t>::max() || whole < std::numeric_limits<int64_t>::min()) {
    return input_error("arithmetic overflow in the pool's valuation.");
  }
  return static_cast<int64_t>(whole);
}

}  // namespace

Result<Usd> collateral_pnl_floor(const State& state) {
  Usd total;
  if (state.rules < 4 || !state.assets) return total;
  const auto& pool = *state.assets;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    const AssetBook& b = pool.books[i];
    if (b.collateral == 0 && b.collateral_usd.is_zero()) continue;
    NX_TRY(value, assets::value_floor(b.collateral, pool.prices[i].low, pool.configs[i].decimals));
    NX_TRY(moved, value - b.collateral_usd);
    NX_TRY(sum, total + moved);
    total = sum;
  }
  return total;
}

Result<Usd> unrealized_floor(const State& state) {
  if (state.rules >= 2) {
    NX_TRY(exact, unrealized_exact(state));
    NX_TRY(moved, collateral_pnl_floor(state));
    return Usd(exact) + moved;
  }
  // Rules 1 (DESIGN-risk §4): U = Σ [min(trader loss, collateral) − min(trader profit, reserve)], in
  // units of 10^-18 micro-USD from the books' aggregates, floored once for the whole pool.
  int128 total = 0;
  for (const auto& [key, book] : state.books) {
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) {
      return journal_error("the " + key.market + " market has open positions but no price.");
    }
    const Price price = it->second.price;
    NX_TRY(v, book_linear_value(key, book, price));
    NX_TRY(candidates, clamp_candidates(state, key, price));
    for (const Position* p : candidates) {
      NX_TRY(cap, profit_cap(state.config, *p, price));
      NX_TRY(c, clamp_correction(*p, price, cap));
      v += c;
    }
    total += v;
  }
  NX_TRY(u, div_floor(total, k_quantity_scale, "NAV"));
  return Usd(u);
}

Result<Usd> nav_floor(const State& state) {
  NX_TRY(u, unrealized_floor(state));
  NX_TRY(capital, state.vault.lp_capital());
  return add(capital, u, "NAV");
}

Bps utilization_ceil(Usd reserved, Usd nav) {
  constexpr Bps k_full{k_bps_scale};
  if (!reserved.is_positive()) return Bps{0};
  if (!nav.is_positive()) return k_full;
  auto u = bps_ceil(reserved, nav, "utilization");
  return u ? std::min(*u, k_full) : k_full;
}

Result<Usd> reserve_value_ceil(const assets::AssetPool& pool, std::size_t asset, int64_t tokens) {
  // ceil: what the pool reserves is counted up, so the capital free of it rounds down
  return assets::value_ceil(tokens, pool.prices[asset].low, pool.configs[asset].decimals);
}

Result<Usd> reserves_usd(const State& state) {
  Usd total = state.vault.reserved;
  if (!state.assets) return total;
  const auto& pool = *state.assets;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    if (i == pool.settlement || pool.books[i].reserved == 0) continue;
    NX_TRY(v, reserve_value_ceil(pool, i, pool.books[i].reserved));
    NX_TRY(sum, total + v);
    total = sum;
  }
  return total;
}

Result<Usd> reserve_backing_ceil(const State& state) {
  NX_TRY(reserved, reserves_usd(state));
  // ceil: the capital backing the reserves rounds up, so what is free rounds down
  return reserved.mul_div_ceil(k_bps_scale, state.config.pool.max_utilization_bps.value,
                                           "reserved capital");
}

Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market) {
  std::vector<int64_t> ids;
  for (const auto& [key, book] : state.books) {
    if (!market.empty() && key.market != market) continue;
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) continue;
    NX_TRY(candidates, liquidation_candidates(state, key, it->second.price));
    for (const Position* p : candidates) {
      NX_TRY(m, margin(state, *p, it->second.price));
      if (m.liquidatable()) ids.push_back(p->id);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace nexadex::vault
