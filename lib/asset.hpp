// lib/asset.hpp: one asset of a multi-asset pool (data; the rules are in lib/asset_rules.hpp and
// lib/asset_books.hpp): its configuration, an [[assets]] table, and its books in token units
// (nexadex-assets(7), OPTIONS and BOOKS).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lib/money.hpp"

namespace nexadex {

// How a deposit's or a withdrawal's fee depends on the asset's weight after the move
// (nexadex-assets(7), FEE CURVES; the solana-labs curves).
enum class FeeCurve { fixed, linear, optimal };

constexpr std::string_view to_string(FeeCurve curve) {
  switch (curve) {
    case FeeCurve::fixed: return "fixed";
    case FeeCurve::linear: return "linear";
    case FeeCurve::optimal: return "optimal";
  }
  return "fixed";
}

struct AssetConfig {
  std::string symbol;                 // "BTC": 1-16 of A-Z, 0-9
  int64_t decimals = 6;               // 0-9: a token unit is 10^-decimals of a token
  bool stable = false;                // worth 1 USD unless it names a market; low price capped at 1 USD
  std::string market;                 // the [[markets]] symbol pricing it; empty: a stable at 1 USD
  Bps target_weight_bps{0};
  Bps min_weight_bps{0};
  Bps max_weight_bps{10'000};
  Bps add_fee_bps{0};                 // the base fee b of a deposit, before the curve
  Bps remove_fee_bps{0};              // ... and of a withdrawal
  FeeCurve fee_curve = FeeCurve::fixed;
  Bps fee_ratio_mult_bps{10'000};     // the linear curve's multiplier (solana-labs' ratio_mult)
  Bps fee_optimal_bps{10};            // the optimal curve's fee at the target ...
  Bps fee_max_bps{250};               // ... and at the edge of the band
  Bps price_confidence_bps{0};        // half-width of the band between the low and high price

  bool priced_by_market() const { return !market.empty(); }
  bool operator==(const AssetConfig&) const = default;
};

// An asset's books, in its token units (nexadex-assets(7), BOOKS). Invariant, checked by verify:
// held = owned + collateral + insurance + treasury; reserved ≤ owned; book = value(owned, low price).
struct AssetBook {
  int64_t held = 0;         // what came in less what went out
  int64_t owned = 0;        // the LPs' tokens, the reserved ones included
  int64_t reserved = 0;     // tokens of owned backing the positions' reserves
  int64_t collateral = 0;   // traders' collateral held in the asset
  int64_t insurance = 0;    // the insurance fund's tokens
  int64_t treasury = 0;     // the treasury's tokens
  Usd book;                 // B_A: owned at the low price, floored
  // Rules 4 (nexadex-assets(7) A4), an asset other than the settlement asset: its borrow index (the
  // settlement asset's is the vault's) and its utilization u_A = ceil(reserved × 10^4 / owned) bps.
  BorrowIndex borrow_index;
  Bps utilization_bps{0};
  // Rules 4 (A6): the USD recorded for the open positions' collateral held in this asset (the sum of their
  // `collateral`), against which the NAV values their `collateral` tokens at the low price
  Usd collateral_usd;

  bool operator==(const AssetBook&) const = default;
};

}  // namespace nexadex

namespace nexadex::assets {

// An asset's three prices: mid (the market's latest price, or 1 USD for a stable without a market),
// low = floor(mid × (10^4 − c) / 10^4), capped at 1 USD for a stable, and high = ceil(mid × (10^4 + c)
// / 10^4), c being price_confidence_bps. A mid of 0 means "no price yet" (all three 0).
struct AssetPrices {
  Price mid;
  Price low;
  Price high;
  bool known() const { return mid.is_positive(); }
  bool operator==(const AssetPrices&) const = default;
};

// The books of a multi-asset pool (lib/asset_books.hpp has its rules).
struct AssetPool {
  std::vector<AssetConfig> configs;   // file order
  std::vector<AssetBook> books;
  std::vector<AssetPrices> prices;
  std::vector<Usd> value_mid;         // V_A = value(owned_A, mid)
  std::vector<Usd> spread;            // H_A = value(owned_A, high) − value(owned_A, low)
  WideUsd total_mid;                  // ΣV, the holdings at mid: the weights' denominator
  WideUsd total_book;                 // ΣB, the holdings at low: the LPs' claims on them
  WideUsd total_spread;               // ΣH ≥ 0: NAV_high − NAV_low
  int64_t assets_held = 0;            // assets with owned > 0
  std::size_t settlement = 0;         // the first stable asset priced by no market

  bool operator==(const AssetPool&) const = default;
};

}  // namespace nexadex::assets
