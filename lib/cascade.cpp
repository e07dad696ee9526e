// lib/cascade.cpp: loss allocation, virtual tranche values, subordination, realized prices.
#include "lib/cascade.hpp"

#include <algorithm>

#include "lib/insurance.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex::tranche {
namespace {

constexpr int128 k_price_scale = 1'000'000'000'000'000'000;   // realized prices: 10^-18 micro-USD

std::string usd_text(int64_t units) { return format_decimal(units, Usd::k_decimals); }

// "12.34%" of a ratio in bps.
std::string percent(int64_t bps) { return format_decimal(bps, 2) + "%"; }

bool junior_has_shares(const State& state) { return state.vault.junior().supply.is_positive(); }

}  // namespace

std::optional<TrancheId> parse(std::string_view name) {
  if (name == "senior") return TrancheId::senior;
  if (name == "junior") return TrancheId::junior;
  return std::nullopt;
}

std::string account(TrancheId id) { return "lp:" + std::string(tranche_name(id)); }

Result<Allocation> allocate_loss(const State& state, LossKind kind, int64_t amount, const std::string& market,
                                 int64_t day) {
  Allocation a;
  int64_t left = std::max<int64_t>(amount, 0);
  for (const Layer layer : state.config.cascade.order(kind)) {
    int64_t give = 0;
    switch (layer) {
      case Layer::insurance: {
        NX_TRY(cover, vault::insurance_cover(state, market, day, Usd(left)));
        give = cover.units();
        break;
      }
      case Layer::junior: give = std::min(left, std::max<int64_t>(state.vault.junior().capital.units(), 0)); break;
      case Layer::senior: give = std::min(left, std::max<int64_t>(state.vault.senior().capital.units(), 0)); break;
    }
    a.layers.emplace_back(layer, give);
    left -= give;
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
  if (v.uncovered > 0) return out;   // a first deposit would pay that profit at once: not yet
  for (const TrancheId id : k_tranche_ids) {
    if (candidate(id) && (id == TrancheId::junior ? v.junior : v.senior) == 0) out.push_back(id);
  }
  return out;
}

Result<Values> values(const State& state) {
  NX_TRY(unrealized, vault::unrealized_floor(state));
  const int64_t u = unrealized.units();
  return values_given(state, u);
}

Result<Values> values_given(const State& state, int64_t u) {
  Values v{state.vault.senior().capital.units(), state.vault.junior().capital.units(), 0};
  if (u > 0) {
    // the traders are behind: the waterfall, as its realization will run (DESIGN-risk §4)
    int64_t to_senior = std::min(u, state.vault.senior().unpaid_target.units());
    int64_t to_junior = u - to_senior;
    if (!junior_has_shares(state)) to_senior += std::exchange(to_junior, 0);
    v.senior += to_senior;
    v.junior += to_junior;
  } else if (u < 0) {
    // the traders are ahead: their profit runs through trader_pnl (the fund without a per-market cap)
    NX_TRY(a, allocate_loss(state, LossKind::trader_pnl, -u, "", -1));
    for (const auto& [layer, give] : a.layers) {
      if (layer == Layer::junior) v.junior -= give;
      if (layer == Layer::senior) v.senior -= give;
    }
    v.uncovered = a.unabsorbed;
  }
  return v;
}

int64_t junior_ratio_bps(int64_t junior, int64_t senior) {
  const int128 total = static_cast<int128>(junior) + senior;
  if (total <= 0) return 0;
  return static_cast<int64_t>(static_cast<int128>(std::max<int64_t>(junior, 0)) * k_bps_scale / total);  // floor
}

std::optional<int64_t> senior_capacity(const State& state, const Values& v) {
  const int64_t min = state.config.tranches.min_junior_ratio_bps.value;
  if (min == 0) return std::nullopt;
  // floor: J × (10^4 − min) / min − S
  const int128 cap = static_cast<int128>(std::max<int64_t>(v.junior, 0)) * (k_bps_scale - min) / min - v.senior;
  return static_cast<int64_t>(std::clamp<int128>(cap, 0, INT64_MAX));
}

int64_t senior_at_risk(const State& state, const Values& v, int64_t reserved) {
  int128 ahead = 0;
  for (const Layer layer : state.config.cascade.trader_pnl) {
    if (layer == Layer::senior) break;
    if (layer == Layer::junior) ahead += std::max<int64_t>(v.junior, 0);
    if (layer == Layer::insurance) {
      ahead += std::max<int64_t>(state.vault.insurance.units() - state.config.insurance.floor_balance.units(), 0);
    }
  }
  return static_cast<int64_t>(std::clamp<int128>(reserved - ahead, 0, INT64_MAX));
}

Status check_deposit(const State& state, TrancheId id, int64_t amount, const Values& v) {
  const auto& cfg = state.config.tranches;
  const int64_t before = junior_ratio_bps(v.junior, v.senior);
  if (id == TrancheId::senior && cfg.min_junior_ratio_bps.value > 0) {
    // SPEC §10: refused when J / (J + S + amount) < min (equality allowed), compared without division
    const int128 total = static_cast<int128>(v.junior) + v.senior + amount;
    if (static_cast<int128>(std::max<int64_t>(v.junior, 0)) * k_bps_scale < cfg.min_junior_ratio_bps.value * total) {
      const auto cap = senior_capacity(state, v);
      return rule_error("a senior deposit of " + usd_text(amount) + " would take the junior ratio from " +
                        percent(before) + " to " + percent(junior_ratio_bps(v.junior, v.senior + amount)) +
                        ", below the minimum " + percent(cfg.min_junior_ratio_bps.value) +
                        " (junior " + usd_text(v.junior) + ", senior " + usd_text(v.senior) +
                        "); senior capacity is " + usd_text(cap.value_or(0)) +
                        "; deposit at most that, or wait for junior deposits.");
    }
  }
  if (id == TrancheId::junior && cfg.max_junior_ratio_bps.value > 0) {
    const int128 j = static_cast<int128>(v.junior) + amount;
    if (j * k_bps_scale > cfg.max_junior_ratio_bps.value * (j + v.senior)) {
      return rule_error("a junior deposit of " + usd_text(amount) + " would take the junior ratio from " +
                        percent(before) + " to " + percent(junior_ratio_bps(v.junior + amount, v.senior)) +
                        ", above the maximum " + percent(cfg.max_junior_ratio_bps.value) +
                        "; deposit less, or wait for senior deposits.");
    }
  }
  return {};
}

Status check_withdrawal(const State& state, TrancheId id, int64_t amount, const Values& v) {
  const int64_t min = state.config.tranches.min_junior_ratio_bps.value;
  if (id != TrancheId::junior || min == 0) return {};
  const int128 j = static_cast<int128>(v.junior) - amount;
  const int128 total = j + v.senior;
  if (total > 0 && j * k_bps_scale < min * total) {
    return rule_error("a junior withdrawal of " + usd_text(amount) + " would take the junior ratio from " +
                      percent(junior_ratio_bps(v.junior, v.senior)) + " to " +
                      percent(junior_ratio_bps(static_cast<int64_t>(std::max<int128>(j, 0)), v.senior)) +
                      ", below the minimum " + percent(min) + " (junior " + usd_text(v.junior) + ", senior " +
                      usd_text(v.senior) + "); withdraw less, or wait for senior withdrawals.");
  }
  return {};
}

Status check_senior_at_risk(const State& state, int64_t reserved_after, const Values& v) {
  const int64_t max = state.config.tranches.max_senior_at_risk_bps.value;
  if (max == 0) return {};
  const int64_t at_risk = senior_at_risk(state, v, reserved_after);
  const int128 limit = static_cast<int128>(std::max<int64_t>(v.senior, 0)) * max / k_bps_scale;   // floor
  if (at_risk > limit) {
    return rule_error("the position would put " + usd_text(at_risk) + " of the senior tranche at risk (reserves " +
                      usd_text(reserved_after) + " beyond what the layers ahead of it can take), above the limit " +
                      usd_text(static_cast<int64_t>(limit)) + " (" + percent(max) +
                      " of senior NAV " + usd_text(v.senior) + "); open less or wait for junior deposits.");
  }
  return {};
}

int128 realized_price(const Tranche& t) {
  // floor: a reported price rounds down
  return (static_cast<int128>(std::max<int64_t>(t.capital.units(), 0)) + 1) * k_price_scale /
         (static_cast<int128>(t.supply.units()) + vault::k_virtual_shares);
}

std::optional<int64_t> annualized_bps(int128 p0, int64_t t0, int128 p1, int64_t t1) {
  if (p0 <= 0 || t1 <= t0) return std::nullopt;
  // (p1 − p0) / p0 × year / (t1 − t0), in bps, rounded toward zero
  const int128 r = (p1 - p0) * k_bps_scale * k_seconds_per_year / (p0 * (t1 - t0));
  return static_cast<int64_t>(std::clamp<int128>(r, INT64_MIN, INT64_MAX));
}

}  // namespace nexadex::tranche
