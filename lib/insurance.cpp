// lib/insurance.cpp: fee splits, the fund's target and its cover of a loss.
#include "lib/insurance.hpp"

#include <algorithm>

#include "lib/valuation.hpp"

namespace nexadex::vault {

std::optional<Usd> insurance_target(const State& state) {
  const auto& ins = state.config.insurance;
  if (ins.target_min.is_zero() && ins.target_bps_of_oi.value == 0) return std::nullopt;
  const int128 oi = static_cast<int128>(state.vault.open_interest_long.units()) + state.vault.open_interest_short.units();
  const int128 by_oi = oi * ins.target_bps_of_oi.value / k_bps_scale;  // floor: a smaller target
  return Usd(static_cast<int64_t>(std::max<int128>(by_oi, ins.target_min.units())));
}

Result<FeeParts> split_fee(const State& state, Usd fee, Usd taken) {
  const auto& split = state.config.fees.split;
  // floor each: the dust goes to the LPs (DESIGN-risk §9)
  NX_TRY(ins, mul_div_floor(fee.units(), split.insurance_bps.value, k_bps_scale, "fee split"));
  NX_TRY(tre, mul_div_floor(fee.units(), split.treasury_bps.value, k_bps_scale, "fee split"));
  int64_t take = ins;
  if (const auto target = insurance_target(state)) {
    take = std::min<int64_t>(ins, std::max<int64_t>(0, target->units() - state.vault.insurance.units() - taken.units()));
  }
  return FeeParts{Usd(fee.units() - take - tre), Usd(take), Usd(tre)};
}

Result<Usd> insurance_cover(const State& state, const std::string& market, int64_t day, Usd loss) {
  const auto& ins = state.config.insurance;
  NX_TRY(by_rate, mul_div_floor(loss.units(), ins.cover_rate_bps.value, k_bps_scale, "insurance cover"));
  int64_t cover = std::min(loss.units(), by_rate);
  if (ins.max_cover_per_event.is_positive()) cover = std::min(cover, ins.max_cover_per_event.units());
  if (ins.max_cover_per_market_per_day_bps.value > 0 && !market.empty()) {
    // bps of the fund's balance before the market's first draw of the UTC day
    const auto it = state.vault.cover_today.find(market);
    const bool same_day = it != state.vault.cover_today.end() && it->second.day == day;
    int64_t cap = 0;
    if (same_day) {
      cap = it->second.cap.units() - it->second.used.units();
    } else {
      NX_TRY(c, mul_div_floor(state.vault.insurance.units(), ins.max_cover_per_market_per_day_bps.value, k_bps_scale,
                              "insurance cover"));
      cap = c;
    }
    cover = std::min(cover, std::max<int64_t>(cap, 0));
  }
  cover = std::min(cover, std::max<int64_t>(state.vault.insurance.units() - ins.floor_balance.units(), 0));
  return Usd(std::max<int64_t>(cover, 0));
}

}  // namespace nexadex::vault
