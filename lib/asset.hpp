// lib/asset.hpp: one asset of a multi-asset pool (data; the rules are in lib/asset_rules.hpp and
// lib/asset_books.hpp): its configuration, an [[assets]] table, and its books in token units
// (nexadex-assets(7), OPTIONS and BOOKS).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

  bool operator==(const AssetBook&) const = default;
};

}  // namespace nexadex
