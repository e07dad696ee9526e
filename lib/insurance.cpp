// lib/insurance.cpp: fee splits, the fund's target and its cover of a loss.
#include "lib/insurance.hpp"

#include "lib/asset_books.hpp"

#include <algorithm>

#include "lib/valuation.hpp"

namespace nexadex::vault {

std::optional<Usd> insurance_target(const State& state) {
  const auto& ins = state.config.insurance;
  if (ins.target_min.is_zero() && ins.target_bps_of_oi.value == 0) return std::nullopt;
  const WideUsd oi = wide_add(WideUsd(state.vault.open_interest_long), state.vault.open_interest_short);
  // floor: a smaller target; cannot fail: OI < 2^65 and the rate at most 10^6 bps, so the product fits
  const WideUsd by_oi = oi.mul_bps_floor(ins.target_bps_of_oi, "the insurance target").value_or(WideUsd::largest());
  return narrow_clamped(std::max(by_oi, WideUsd(ins.target_min)), Usd(), Usd::largest());
}

Result<Usd> fund_tokens_value(const State& state) {
  if (!state.assets) return Usd();
  const auto& pool = *state.assets;
  NX_TRY(all, assets::insurance_value(pool));
  NX_TRY(settlement, assets::value_floor(pool.books[pool.settlement].insurance, pool.prices[pool.settlement].low,
                                         pool.configs[pool.settlement].decimals));
  return all - settlement;
}

Result<Usd> fund_value(const State& state) {
  if (state.rules < 4) return state.vault.insurance;
  NX_TRY(tokens, fund_tokens_value(state));
  return state.vault.insurance + tokens;
}

Result<FeeParts> split_fee(const State& state, Usd fee, Usd taken) {
  const auto& split = state.config.fees.split;
  // floor each: the dust goes to the LPs (DESIGN-risk §9)
  NX_TRY(ins, fee.mul_bps_floor(split.insurance_bps, "fee split"));
  NX_TRY(tre, fee.mul_bps_floor(split.treasury_bps, "fee split"));
  Usd take = ins;
  if (const auto target = insurance_target(state)) {
    // on a multi-asset pool the fund's value counts its tokens of the other assets, at their low prices
    NX_TRY(tokens, fund_tokens_value(state));
    NX_TRY(room, *target - state.vault.insurance - tokens - taken);
    take = std::min(ins, std::max(room, Usd()));
  }
  NX_TRY(to_lps, fee - take - tre);
  return FeeParts{to_lps, take, tre};
}

Result<Usd> insurance_cover(const State& state, const std::string& market, int64_t day, Usd loss) {
  const auto& ins = state.config.insurance;
  // rules 4: the fund's tokens of the other assets count, at their low prices (it pays in them too)
  NX_TRY(fund, fund_value(state));
  NX_TRY(by_rate, loss.mul_bps_floor(ins.cover_rate_bps, "insurance cover"));
  Usd cover = std::min(loss, by_rate);
  if (ins.max_cover_per_event.is_positive()) cover = std::min(cover, ins.max_cover_per_event);
  if (ins.max_cover_per_market_per_day_bps.value > 0 && !market.empty()) {
    // bps of the fund's balance before the market's first draw of the UTC day
    const auto it = state.vault.cover_today.find(market);
    const bool same_day = it != state.vault.cover_today.end() && it->second.day == day;
    Usd cap;
    if (same_day) {
      NX_TRY(left, it->second.cap - it->second.used);
      cap = left;
    } else {
      NX_TRY(c, fund.mul_bps_floor(ins.max_cover_per_market_per_day_bps, "insurance cover"));
      cap = c;
    }
    cover = std::min(cover, std::max(cap, Usd()));
  }
  NX_TRY(above_floor, fund - ins.floor_balance);
  cover = std::min(cover, std::max(above_floor, Usd()));
  return std::max(cover, Usd());
}

}  // namespace nexadex::vault
