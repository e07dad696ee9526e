// lib/asset_rules.cpp: prices, conversions, weights, the band rule, fee curves and fee splits of a
// multi-asset pool (nexadex-assets(7)).
#include "lib/asset_rules.hpp"

#include <algorithm>
#include <string>

namespace nexadex::assets {

int128 value_scale(int64_t decimals) { return pow10(decimals + 2); }

namespace {

int64_t distance(Bps a, Bps b) { return a.value > b.value ? a.value - b.value : b.value - a.value; }

// floor(m × num / den), 0 when den is 0 (a band with no room on that side).
int64_t scaled_floor(int64_t m, int64_t num, int64_t den) {
  return den == 0 ? 0 : static_cast<int64_t>(floor_div(int128(m) * num, den));
}
int64_t scaled_ceil(int64_t m, int64_t num, int64_t den) {
  return den == 0 ? 0 : static_cast<int64_t>(ceil_div(int128(m) * num, den));
}

}  // namespace

std::string percent(Bps bps) { return format_decimal(bps.value, 2) + "%"; }

Result<AssetPrices> prices_of(const AssetConfig& asset, Price mid) {
  if (!asset.priced_by_market()) return AssetPrices{k_one_usd, k_one_usd, k_one_usd};
  if (!mid.is_positive()) return AssetPrices{};
  const int64_t c = asset.price_confidence_bps.value;
  NX_TRY(low, mid.mul_div_floor(k_bps_scale - c, k_bps_scale, "the low price of " + asset.symbol));
  NX_TRY(high, mid.mul_div_ceil(k_bps_scale + c, k_bps_scale, "the high price of " + asset.symbol));
  if (asset.stable) low = std::min(low, k_one_usd);  // a stable is never valued above one dollar
  return AssetPrices{mid, low, high};
}

namespace {
Result<Usd> value_rounded(int64_t units, Price price, int64_t decimals, Rounding rounding) {
  if (units < 0) return input_error("a negative token amount cannot be valued (" + std::to_string(units) + " units).");
  NX_TRY(v, mul_div_wide(units, price.units(), value_scale(decimals), rounding, "a token value"));
  return narrow_to<Usd>(v, "a token value");
}
}  // namespace

Result<Usd> value_floor(int64_t units, Price price, int64_t decimals) {
  return value_rounded(units, price, decimals, Rounding::floor);
}
Result<Usd> value_ceil(int64_t units, Price price, int64_t decimals) {
  return value_rounded(units, price, decimals, Rounding::ceil);
}

namespace {
Result<int64_t> tokens_rounded(Usd value, Price price, int64_t decimals, Rounding rounding) {
  if (!price.is_positive()) return input_error("tokens cannot be priced at " + to_string(price) + " USD.");
  if (value.is_negative()) return input_error("a negative value cannot be paid in tokens (" + to_string(value) + " USD).");
  NX_TRY(t, mul_div_wide(value.units(), value_scale(decimals), price.units(), rounding, "a token amount"));
  if (t > std::numeric_limits<int64_t>::max()) return overflow_error("a token amount");
  return static_cast<int64_t>(t);
}
}  // namespace

Result<int64_t> tokens_floor(Usd value, Price price, int64_t decimals) {
  return tokens_rounded(value, price, decimals, Rounding::floor);
}
Result<int64_t> tokens_ceil(Usd value, Price price, int64_t decimals) {
  return tokens_rounded(value, price, decimals, Rounding::ceil);
}

Result<Bps> weight_floor(Usd value, WideUsd total) {
  if (!total.is_positive()) return Bps{0};
  NX_TRY(w, mul_div_wide(value.units(), k_bps_scale, total.units(), Rounding::floor, "a weight"));
  return Bps{static_cast<int64_t>(w)};  // value ≤ total, so w ≤ 10^4
}

Result<WeightMove> weight_move(Usd value_before, Usd value_after, WideUsd total_before) {
  const WideUsd total_after = wide_add(wide_sub(total_before, value_before), value_after);
  NX_TRY(before, weight_floor(value_before, total_before));
  NX_TRY(after, weight_floor(value_after, total_after));
  return WeightMove{before, after};
}

Status check_band(const AssetConfig& asset, WeightMove w, std::string_view what) {
  const auto refuse = [&](std::string_view side, Bps bound, std::string_view advice) {
    return rule_error(std::string(what) + " would take " + asset.symbol + "'s weight from " + percent(w.before) +
                      " to " + percent(w.after) + ", " + std::string(side) + " its " +
                      (side == "below" ? "minimum" : "maximum") + " of " + percent(bound) + " (band " +
                      percent(asset.min_weight_bps) + " to " + percent(asset.max_weight_bps) + "); " +
                      std::string(advice));
  };
  if (w.after < asset.min_weight_bps && w.after < w.before) {
    return refuse("below", asset.min_weight_bps, "withdraw less, or in an asset above its target weight.");
  }
  if (w.after > asset.max_weight_bps && w.after > w.before) {
    return refuse("above", asset.max_weight_bps, "deposit less, or an asset below its target weight.");
  }
  return {};
}

bool improves(const AssetConfig& asset, WeightMove w) {
  return w.after == asset.target_weight_bps ||
         distance(w.after, asset.target_weight_bps) < distance(w.before, asset.target_weight_bps);
}

namespace {

Bps curve_rate(const AssetConfig& asset, Direction direction, WeightMove w) {
  const int64_t b = (direction == Direction::deposit ? asset.add_fee_bps : asset.remove_fee_bps).value;
  const int64_t target = asset.target_weight_bps.value;
  const int64_t lo = asset.min_weight_bps.value;
  const int64_t hi = asset.max_weight_bps.value;
  const int64_t after = w.after.value;
  switch (asset.fee_curve) {
    case FeeCurve::fixed: return Bps{b};
    case FeeCurve::linear: {
      const int64_t m = asset.fee_ratio_mult_bps.value;
      const int64_t k = k_bps_scale + (after <= target ? scaled_floor(m, target - after, target - lo)
                                                       : scaled_floor(m, after - target, hi - target));
      // toward the target the fee is divided by k, away from it multiplied (floored, as solana-labs)
      return Bps{improves(asset, w) ? static_cast<int64_t>(floor_div(int128(b) * k_bps_scale, k))
                                    : static_cast<int64_t>(floor_div(int128(b) * k, k_bps_scale))};
    }
    case FeeCurve::optimal: {
      const int64_t o = asset.fee_optimal_bps.value;
      const int64_t slope = asset.fee_max_bps.value - o;
      int64_t line = o;
      if (direction == Direction::deposit) {
        line = after >= target ? o + scaled_floor(slope, after - target, hi - target)
                               : o - scaled_ceil(slope, target - after, target - lo);
      } else {
        line = after <= target ? o + scaled_floor(slope, target - after, target - lo)
                               : o - scaled_ceil(slope, after - target, hi - target);
      }
      return Bps{std::max<int64_t>(0, b + line)};  // solana-labs reverts below 0; the pool wants that move
    }
  }
  return Bps{b};
}

}  // namespace

Result<Bps> fee_rate(const AssetConfig& asset, Direction direction, WeightMove w) {
  // at most the whole move: a curve far out of its band, or a config of large base fees and
  // multipliers, could ask more (such a move then pays nothing and is refused)
  return Bps{std::min<int64_t>(curve_rate(asset, direction, w).value, k_bps_scale)};
}

Result<int64_t> fee_units_ceil(int64_t units, Bps rate) {
  return mul_div_ceil(units, rate.value, k_bps_scale, "a fee in tokens");
}

Result<TokenFeeParts> split_token_fee(int64_t fee, const FeeSplit& split, std::optional<int64_t> insurance_room) {
  NX_TRY(ins, mul_div_floor(fee, split.insurance_bps.value, k_bps_scale, "fee split"));
  NX_TRY(tre, mul_div_floor(fee, split.treasury_bps.value, k_bps_scale, "fee split"));
  if (insurance_room) ins = std::min(ins, std::max<int64_t>(*insurance_room, 0));
  return TokenFeeParts{fee - ins - tre, ins, tre};  // the dust to the LPs
}

}  // namespace nexadex::assets
