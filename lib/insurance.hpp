// lib/insurance.hpp: the insurance fund's rules (valuation layer): a fee's split at source, the
// fund's target, and what it covers of a loss within its limits (DESIGN-risk §2, §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lib/state.hpp"

namespace nexadex::vault {

// A fee split at source (DESIGN-risk §2): insurance and treasury parts floor, the LPs get the rest,
// and the fund takes only up to its target (the excess goes to the LPs).
struct FeeParts {
  Usd lp;
  Usd insurance;
  Usd treasury;
};
// `taken` is what the fund already took earlier in the same event (two fees of one close).
Result<FeeParts> split_fee(const State& state, Usd fee, Usd taken = Usd(0));

// The insurance fund's target: max(target_min, open interest × target_bps_of_oi / 10^4), or none
// (std::nullopt) when both are 0.
std::optional<Usd> insurance_target(const State& state);

// The fund's tokens of the assets other than the settlement asset, at their low prices, floored (0 for a
// single-USDC vault).
Result<Usd> fund_tokens_value(const State& state);
// What the fund has to cover losses with: its USD and, under rules 4 (nexadex-assets(7) A7), its tokens
// (fund_tokens_value); its daily cap and its floor are of this.
Result<Usd> fund_value(const State& state);

// What the fund covers of a bad-debt loss in `market` on `day` (DESIGN-risk §3 limits).
Result<Usd> insurance_cover(const State& state, const std::string& market, int64_t day, Usd loss);

}  // namespace nexadex::vault
