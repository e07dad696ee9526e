// lib/cascade.cpp: loss allocation, virtual tranche values, subordination, realized prices.
#include "lib/cascade.hpp"

#include <algorithm>

#include "lib/insurance.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex::tranche {
namespace {

// "12.34%" of a ratio in bps.
std::string percent(Bps bps) { return format_decimal(bps.value, 2) + "%"; }

bool junior_has_shares(const State& state) { return state.vault.junior().supply.is_positive(); }

}  // namespace

std::optional<TrancheId> parse(std::string_view name) {
  if (name == "senior") return TrancheId::senior;
  if (name == "junior") return TrancheId::junior;
  return std::nullopt;
}

std::string account(TrancheId id) { return "lp:" + std::string(tranche_name(id)); }

Result<Allocation> allocate_loss(const State& state, LossKind kind, Usd amount, const std::string& market,
                                 int64_t day) {
  Allocation a;
  Usd left = std::max(amount, Usd());
  for (const Layer layer : state.config.cascade.order(kind)) {
    Usd give;
    switch (layer) {
      case Layer::insurance: {
        NX_TRY(cover, vault::insurance_cover(state, market, day, left));
        give = cover;
        break;
      }
      case Layer::junior: give = std::min(left, std::max(state.vault.junior().capital, Usd())); break;
      case Layer::senior: give = std::min(left, std::max(state.vault.senior().capital, Usd())); break;
    }
    a.layers.emplace_back(layer, give);
    NX_TRY_STATUS(sub_from(left, give, "a loss"));
  }
  a.unabsorbed = left;
  return a;
}

Result<std::vector<TrancheId>> wiped(const State& state) {
  std::vector<TrancheId> out;
  const auto candidate = [&](TrancheId id) {
    const Tranche& t = state.vault.tranche(id);
    return t.capital.is_zero() && t.supply.is_positive();
  };
  if (!candidate(TrancheId::senior) && !candidate(TrancheId::junior)) return out;   // the cheap test first
  NX_TRY(v, values(state));
  if (v.uncovered.is_positive()) return out;   // a first deposit would pay that profit at once: not yet
  for (const TrancheId id : k_tranche_ids) {
    if (candidate(id) && (id == TrancheId::junior ? v.junior : v.senior).is_zero()) out.push_back(id);
  }
  return out;
}

Result<Values> values(const State& state) {
  NX_TRY(unrealized, vault::unrealized_floor(state));
  return values_given(state, unrealized);
}

Result<Values> values_given(const State& state, Usd u) {
  Values v{state.vault.senior().capital, state.vault.junior().capital, Usd(), Usd()};
  if (u.is_positive()) {
    // the traders are behind: the waterfall, as its realization will run (DESIGN-risk §4)
    Usd to_senior = std::min(u, state.vault.senior().unpaid_target);
    NX_TRY(to_junior, u - to_senior);
    if (!junior_has_shares(state)) {
      to_senior = u;
      to_junior = Usd();
    }
    NX_TRY_STATUS(add_to(v.senior, to_senior, "the senior tranche's value"));
    NX_TRY_STATUS(add_to(v.junior, to_junior, "the junior tranche's value"));
  } else if (u.is_negative()) {
    // the traders are ahead: their profit runs through trader_pnl (the fund without a per-market cap)
    NX_TRY(profit, -u);
    NX_TRY(a, allocate_loss(state, LossKind::trader_pnl, profit, "", -1));
    for (const auto& [layer, give] : a.layers) {
      if (layer == Layer::junior) NX_TRY_STATUS(sub_from(v.junior, give, "the junior tranche's value"));
      if (layer == Layer::senior) NX_TRY_STATUS(sub_from(v.senior, give, "the senior tranche's value"));
      if (layer == Layer::insurance) NX_TRY_STATUS(add_to(v.insurance, give, "the insurance fund's cover"));
    }
    v.uncovered = a.unabsorbed;
  }
  return v;
}

Result<PoolValue> pool_value(const State& state) {
  NX_TRY(nav, vault::nav_floor(state));
  NX_TRY(capital, state.vault.lp_capital());
  NX_TRY(unrealized, nav - capital);
  NX_TRY(v, values_given(state, unrealized));
  // rules 3: the fund's virtual cover is not the LPs' loss (DESIGN-risk §3, unrealized trader profit)
  if (state.rules >= 3) NX_TRY_STATUS(add_to(nav, v.insurance, "NAV"));
  return PoolValue{nav, v};
}

Result<Usd> pool_nav(const State& state) {
  if (state.rules < 3) return vault::nav_floor(state);   // no need of the tranches' values
  NX_TRY(pv, pool_value(state));
  return pv.nav;
}

namespace {

// min(capital, value) of a tranche: what its holders could take if nothing backed open positions
Usd tranche_cash(const State& state, const Values& v, TrancheId id) {
  return std::min(state.vault.tranche(id).capital, id == TrancheId::junior ? v.junior : v.senior);
}

}  // namespace

Result<FreeCapital> free_capital_of(const State& state, const PoolValue& pool, TrancheId id) {
  FreeCapital f;
  f.nav = pool.nav;
  NX_TRY(backing, vault::reserve_backing_ceil(state));
  f.backing = backing;
  NX_TRY(pool_free, f.nav - f.backing);
  f.pool_free = pool_free;
  f.capital = state.vault.tranche(id).capital;
  f.value = id == TrancheId::junior ? pool.tranches.junior : pool.tranches.senior;
  f.limit = std::min({f.pool_free, f.capital, f.value});
  return f;
}

Result<FreeCapital> free_capital(const State& state, TrancheId id) {
  NX_TRY(pool, pool_value(state));
  return free_capital_of(state, pool, id);
}

Result<Usd> pool_free_capital(const State& state, const PoolValue& pool) {
  NX_TRY(backing, vault::reserve_backing_ceil(state));
  NX_TRY(pool_free, pool.nav - backing);
  Usd cash;
  for (const TrancheId id : k_tranche_ids) {
    NX_TRY_STATUS(add_to(cash, std::max(tranche_cash(state, pool.tranches, id), Usd()), "free capital"));
  }
  return std::max(std::min(pool_free, cash), Usd());
}

// The ratio and limit checks below compare exact 128-bit sums and products, without division.
Bps junior_ratio_bps(Usd junior, Usd senior) {
  const WideUsd total = wide_add(WideUsd(junior), senior);
  if (!total.is_positive()) return Bps{0};
  // floor: a reported ratio rounds down; at most 10,000 while the senior value is not negative
  return bps_floor(WideUsd(std::max(junior, Usd())), total, "the junior ratio").value_or(Bps{INT64_MAX});
}

std::optional<Usd> senior_capacity(const State& state, const Values& v) {
  const int64_t min = state.config.tranches.min_junior_ratio_bps.value;
  if (min == 0) return std::nullopt;
  // floor: J × (10^4 − min) / min − S (exact: J < 2^63, so the product stays within 128 bits)
  const auto most_senior = WideUsd(std::max(v.junior, Usd())).mul_div_floor(k_bps_scale - min, min, "senior capacity");
  if (!most_senior) return Usd();   // unreachable: min > 0 and the product fits
  return narrow_clamped(wide_sub(*most_senior, v.senior), Usd(), Usd::largest());
}

Usd senior_at_risk(const State& state, const Values& v, Usd reserved) {
  WideUsd ahead;
  for (const Layer layer : state.config.cascade.trader_pnl) {
    if (layer == Layer::senior) break;
    if (layer == Layer::junior) ahead = wide_add(ahead, std::max(v.junior, Usd()));
    if (layer == Layer::insurance) {
      const WideUsd above_floor = wide_sub(WideUsd(state.vault.insurance), state.config.insurance.floor_balance);
      ahead = wide_add(ahead, std::max(above_floor, WideUsd()));
    }
  }
  return narrow_clamped(wide_sub(WideUsd(reserved), ahead), Usd(), Usd::largest());
}

Status check_deposit(const State& state, TrancheId id, Usd amount, const Values& v) {
  const auto& cfg = state.config.tranches;
  const Bps before = junior_ratio_bps(v.junior, v.senior);
  if (id == TrancheId::senior && cfg.min_junior_ratio_bps.value > 0) {
    // SPEC §10: refused when J / (J + S + amount) < min (equality allowed), compared without division
    const WideUsd total = wide_add(wide_add(WideUsd(v.junior), v.senior), amount);
    NX_TRY(order, compare_to_bps(WideUsd(std::max(v.junior, Usd())), total, cfg.min_junior_ratio_bps, "the junior ratio"));
    if (order == std::strong_ordering::less) {
      const auto cap = senior_capacity(state, v);
      NX_TRY(senior_after, v.senior + amount);
      return rule_error("a senior deposit of " + to_string(amount) + " would take the junior ratio from " +
                        percent(before) + " to " + percent(junior_ratio_bps(v.junior, senior_after)) +
                        ", below the minimum " + percent(cfg.min_junior_ratio_bps) +
                        " (junior " + to_string(v.junior) + ", senior " + to_string(v.senior) +
                        "); senior capacity is " + to_string(cap.value_or(Usd())) +
                        "; deposit at most that, or wait for junior deposits.");
    }
  }
  if (id == TrancheId::junior && cfg.max_junior_ratio_bps.value > 0) {
    const WideUsd junior_after = wide_add(WideUsd(v.junior), amount);
    NX_TRY(order, compare_to_bps(junior_after, wide_add(junior_after, v.senior), cfg.max_junior_ratio_bps,
                                 "the junior ratio"));
    if (order == std::strong_ordering::greater) {
      NX_TRY(junior_after_usd, v.junior + amount);
      return rule_error("a junior deposit of " + to_string(amount) + " would take the junior ratio from " +
                        percent(before) + " to " + percent(junior_ratio_bps(junior_after_usd, v.senior)) +
                        ", above the maximum " + percent(cfg.max_junior_ratio_bps) +
                        "; deposit less, or wait for senior deposits.");
    }
  }
  return {};
}

Status check_withdrawal(const State& state, TrancheId id, Usd amount, const Values& v) {
  const Bps min = state.config.tranches.min_junior_ratio_bps;
  if (id != TrancheId::junior || min.value == 0) return {};
  const WideUsd j = wide_sub(WideUsd(v.junior), amount);
  const WideUsd total = wide_add(j, v.senior);
  if (!total.is_positive()) return {};
  NX_TRY(order, compare_to_bps(j, total, min, "the junior ratio"));
  if (order == std::strong_ordering::less) {
    const Usd junior_after = narrow_clamped(j, Usd(), Usd::largest());   // j ≤ junior: fits
    return rule_error("a junior withdrawal of " + to_string(amount) + " would take the junior ratio from " +
                      percent(junior_ratio_bps(v.junior, v.senior)) + " to " +
                      percent(junior_ratio_bps(junior_after, v.senior)) +
                      ", below the minimum " + percent(min) + " (junior " + to_string(v.junior) + ", senior " +
                      to_string(v.senior) + "); withdraw less, or wait for senior withdrawals.");
  }
  return {};
}

Status check_senior_at_risk(const State& state, Usd reserved_after, const Values& v, Usd exposure) {
  const Bps max = state.config.tranches.max_senior_at_risk_bps;
  if (max.value == 0) return {};
  NX_TRY(counted, reserved_after + exposure);
  const Usd at_risk = senior_at_risk(state, v, counted);
  // floor: the limit rounds against the open
  NX_TRY(limit, std::max(v.senior, Usd()).mul_bps_floor(max, "the senior-at-risk limit"));
  if (at_risk > limit) {
    const std::string exposed = exposure.is_zero() ? "" : " and net exposure " + to_string(exposure);
    return rule_error("the position would put " + to_string(at_risk) + " of the senior tranche at risk (reserves " +
                      to_string(reserved_after) + exposed + " beyond what the layers ahead of it can take), above the limit " +
                      to_string(limit) + " (" + percent(max) +
                      " of senior NAV " + to_string(v.senior) + "); open less or wait for junior deposits.");
  }
  return {};
}

SharePrice realized_price(const Tranche& t) {
  // floor: a reported price rounds down
  return vault::share_price_floor(t.capital, t.supply);
}

SharePrice unit_price(const Tranche& t) {
  const SharePrice p = realized_price(t);
  if (t.compounding.reward == 0) return p;
  constexpr int128 k_scale = 1'000'000'000'000'000'000;
  auto v = mul_div_wide(p.units(), k_scale + t.compounding.reward, k_scale, Rounding::floor, "a unit price");
  return v ? SharePrice(*v) : p;   // beyond 128 bits (a reward near its limit): the realized price
}

std::optional<int64_t> apy_since_start_bps(const Tranche& t, Timestamp now) {
  if (!t.supply.is_positive() || t.since.seconds == 0) return std::nullopt;
  // an empty tranche's price, 1 USDC a share, is where its first deposit starts it
  return annualized_bps_toward_zero(vault::share_price_floor(Usd(0), Shares(0)), t.since, unit_price(t), now);
}

std::optional<int64_t> annualized_bps_toward_zero(SharePrice p0, Timestamp t0, SharePrice p1, Timestamp t1) {
  if (!p0.is_positive() || t1 <= t0) return std::nullopt;
  // (p1 − p0) / p0 × year / (t1 − t0), in bps; C++'s / rounds toward zero
  const int128 r = (p1.units() - p0.units()) * k_bps_scale * k_seconds_per_year /
                   (p0.units() * (t1.seconds - t0.seconds));
  return static_cast<int64_t>(std::clamp<int128>(r, INT64_MIN, INT64_MAX));
}

}  // namespace nexadex::tranche
