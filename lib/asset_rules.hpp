// lib/asset_rules.hpp: the rules of a multi-asset pool that need no books (valuation layer): an
// asset's low, mid and high price, the conversions between token units and USD, weights, the band
// rule, the fee curves and the split of a fee paid in tokens (nexadex-assets(7): UNITS, PRICES OF AN
// ASSET, WEIGHTS AND THE BAND RULE, FEE CURVES, FEE SPLIT, ROUNDING). Every division names its
// rounding; every product is computed on 128 bits and an overflow is an error, never a wrap.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "lib/asset.hpp"
#include "lib/config.hpp"
#include "lib/money.hpp"

namespace nexadex::assets {

// 1 USD as a price (8 decimals).
inline constexpr Price k_one_usd{100'000'000};

// The prices of `asset` at the market price `mid` (ignored for an asset priced by no market).
Result<AssetPrices> prices_of(const AssetConfig& asset, Price mid);

// 10^(d+2): token units × price (10^-8 USD) → micro-USD for a d-decimal asset.
int128 value_scale(int64_t decimals);

// value(t, q) = floor(t × q / 10^(d+2)): the micro-USD of t token units of a d-decimal asset at price q
// (what the pool receives or holds, floored). Errors: t negative, the result beyond int64.
Result<Usd> value_floor(int64_t units, Price price, int64_t decimals);
// value_ceil is the same rounded up (what the pool owes or locks, counted against what is free).
Result<Usd> value_ceil(int64_t units, Price price, int64_t decimals);
// tokens(v, q) = floor(v × 10^(d+2) / q): the token units worth v at price q (what the pool pays,
// floored); tokens_ceil is the same rounded up (what the insurance fund moves to cover v). Errors:
// q not positive, v negative, the result beyond int64.
Result<int64_t> tokens_floor(Usd value, Price price, int64_t decimals);
Result<int64_t> tokens_ceil(Usd value, Price price, int64_t decimals);

// An asset's weight in bps of the pool's holdings valued at mid, before and after a move:
// w = floor(V_A × 10^4 / ΣV), 0 when ΣV = 0, and w' the same after V_A became V_A'.
struct WeightMove {
  Bps before;
  Bps after;
};
Result<Bps> weight_floor(Usd value, WideUsd total);
Result<WeightMove> weight_move(Usd value_before, Usd value_after, WideUsd total_before);

enum class Direction { deposit, withdrawal };

// The band rule: a move is refused (ErrorKind::rule) when w' < min and w' < w, or w' > max and w' > w;
// `what` names the move in the message ("a deposit of 1800.000000000 BTC").
Status check_band(const AssetConfig& asset, WeightMove weights, std::string_view what);

// A move improves the balance when w' lands on the target or ends closer to it than w was.
bool improves(const AssetConfig& asset, WeightMove weights);

// The fee rate in whole bps by the asset's curve (fixed, linear or optimal; floored as solana-labs
// floors it), with b = add_fee_bps for a deposit and remove_fee_bps for a withdrawal.
Result<Bps> fee_rate(const AssetConfig& asset, Direction direction, WeightMove weights);

// F = ceil(units × rate / 10^4): the fee amount rounds up (in the pool's favour).
Result<int64_t> fee_units_ceil(int64_t units, Bps rate);

// A fee in token units split as every fee is (DESIGN-risk §2): insurance and treasury floor, the LPs
// get the rest; the fund takes at most `insurance_room` units (its target, when it has one).
struct TokenFeeParts {
  int64_t lp = 0;
  int64_t insurance = 0;
  int64_t treasury = 0;
  bool operator==(const TokenFeeParts&) const = default;
};
Result<TokenFeeParts> split_token_fee(int64_t fee, const FeeSplit& split, std::optional<int64_t> insurance_room);

// bps as a percentage for messages: 3125 → "31.25%".
std::string percent(Bps bps);

}  // namespace nexadex::assets
