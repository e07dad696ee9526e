// lib/accrual.cpp: the borrow index, utilization, senior target accrual and daily prices.
#include "lib/accrual.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex {
namespace tranche {
namespace {

constexpr int128 k_accrual_scale = static_cast<int128>(k_bps_scale) * k_seconds_per_year;   // 10^4 × 31,536,000
constexpr std::size_t k_daily_kept = 31;

}  // namespace

Status accrue_target(State& state, int64_t dt) {
  const int64_t apr = state.config.tranches.senior_target_apr_bps.value;
  Tranche& s = state.vault.senior();
  if (apr == 0 || dt <= 0 || !s.capital.is_positive()) return {};
  // exact: accrued = capital × apr × dt / (10^4 × 31,536,000); the remainder waits for the next step
  // (capital > 0, so n ≥ 0 and the floor is the quotient; the remainder is exact rational state)
  const int128 n = static_cast<int128>(s.capital.units()) * apr * dt + s.accrual_remainder;
  NX_TRY(accrued, narrow_to<Usd>(floor_div(n, k_accrual_scale), "senior target"));
  NX_TRY_STATUS(add_to(s.unpaid_target, accrued, "senior target"));
  s.accrual_remainder = n % k_accrual_scale;
  state.store.dirty_vault = true;
  return {};
}

void mark_day(State& state, Timestamp at) {
  const int64_t day = utc_day(at);
  for (Tranche& t : state.vault.tranches) {
    if (!t.supply.is_positive()) continue;
    const SharePrice price = unit_price(t);
    if (!t.daily.empty() && t.daily.back().first == day) {
      if (t.daily.back().second == price) continue;
      t.daily.back().second = price;
    } else {
      t.daily.emplace_back(day, price);
      if (t.daily.size() > k_daily_kept) t.daily.erase(t.daily.begin());
    }
    state.store.dirty_vault = true;
  }
}

}  // namespace tranche

namespace vault {
namespace {

void mark(State& state) { state.store.dirty_vault = true; }

}  // namespace

Status accrue(State& state, Timestamp at) {
  Vault& v = state.vault;
  if (v.index_at.seconds == 0 || at <= v.index_at) {
    if (v.index_at.seconds == 0) {
      v.index_at = at;
      mark(state);
    }
    return {};
  }
  const int64_t dt = at.seconds - v.index_at.seconds;
  // the senior's target yield accrues over the same interval, on its realized NAV (SPEC §10)
  NX_TRY_STATUS(tranche::accrue_target(state, dt));
  const auto& fees = state.config.fees;
  // the utilization in the rate is in bps rounded up (SPEC §10)
  int128 growth = 0;
  if (state.rules >= 3 || fees.borrow_kink_bps.value != 0) {
    // SPEC §10: rate = base + slope × utilization / 10^4 bps a year, exactly (issue 20 item 2), or the
    // two-slope curve when a kink is set (a key newer than rules 3: never on a journal of rules 1 or 2
    // before, so exact there too). Δindex = rate × Δt × 10^18 / (10^4 × 31,536,000), floored: the
    // index grows by whole 10^-18 units (SPEC §10; DESIGN-risk §9, accumulator increments), less than
    // 10^-18 of a position's size per event, under a micro-USD in 1,000 events on a billion USD; what a
    // position is charged from the index rounds up, against the trader (borrow_due).
    NX_TRY(exact, borrow_index_growth(fees, v.utilization_bps, dt));
    growth = exact.units();
  } else {
    // Rules 1 and 2 (nexadex-journal(5), RULES): the slope's part rounded up to whole bps.
    // ceil: the rate rounds against the trader
    NX_TRY(slope_part, mul_div_ceil(fees.borrow_slope_apr_bps.value, v.utilization_bps.value, k_bps_scale, "borrow rate"));
    const int128 rate = static_cast<int128>(fees.borrow_base_apr_bps.value) + slope_part;
    // floor: the index grows by whole units (what the trader owes is rounded up at the position)
    // (rates and dt are not negative, so the floor is the quotient)
    growth = floor_div(rate * dt * k_index_scale, static_cast<int128>(k_bps_scale) * k_seconds_per_year);
  }
  NX_TRY_STATUS(add_to(v.borrow_index, BorrowIndex(growth), "the borrow index"));
  // Rules 4 (nexadex-assets(7) A4): every other asset's index grows at the same curve at its own
  // utilization over the same interval (the vault's is the settlement asset's).
  if (state.rules >= 4 && state.assets) {
    auto& pool = *state.assets;
    for (std::size_t i = 0; i < pool.books.size(); ++i) {
      if (i == pool.settlement) continue;
      NX_TRY(g, borrow_index_growth(fees, pool.books[i].utilization_bps, dt));
      if (g.units() == 0) continue;
      NX_TRY_STATUS(add_to(pool.books[i].borrow_index, g, "the borrow index of " + pool.configs[i].symbol));
      state.store.dirty_assets = true;
    }
  }
  v.index_at = at;
  mark(state);
  return {};
}

Status update_utilization(State& state) {
  auto value = tranche::pool_nav(state);
  state.unvalued = !value;
  if (state.rules >= 4 && state.assets) {
    // Rules 4 (A4): per asset, u_A = ceil(reserved_A × 10^4 / owned_A) bps (at most 10^4), the
    // settlement asset's in the vault; token counts read as units through utilization_ceil
    auto& pool = *state.assets;
    for (std::size_t i = 0; i < pool.books.size(); ++i) {
      AssetBook& b = pool.books[i];
      const Bps u = utilization_ceil(Usd(b.reserved), Usd(b.owned));
      Bps& kept = i == pool.settlement ? state.vault.utilization_bps : b.utilization_bps;
      if (u == kept) continue;
      kept = u;
      if (i == pool.settlement) mark(state);
      else state.store.dirty_assets = true;
    }
    return {};
  }
  if (!value) return {};  // an overflowing NAV keeps the previous utilization
  const Bps u = utilization_ceil(state.vault.reserved, *value);
  if (u != state.vault.utilization_bps) {
    state.vault.utilization_bps = u;
    mark(state);
  }
  return {};
}

}  // namespace vault
}  // namespace nexadex
