// lib/valuation.hpp: the pool's value (valuation layer): the LPs' unrealized result and NAV, the
// utilization and the capital backing the reserves, and the positions liquidatable at the latest prices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::vault {

// The LPs' net unrealized result at the latest prices (DESIGN-risk §4): Σ over open positions of
// min(trader loss, collateral) − min(trader profit, reserve), the loss and profit being
// size × price / entry − size with size / entry as the position's quantity (lib/book.hpp); computed
// from each book's aggregates plus the few positions whose value is clamped, in units of 10^-18
// micro-USD, and floored once for the whole pool (floor: against the LPs). Accrued borrow fees are not
// counted until paid. Errors: the result beyond int64 ("arithmetic overflow in NAV").
Result<Usd> unrealized_floor(const State& state);
// Rules 4 (nexadex-assets(7) A6): the pool's result on the collateral posted in tokens, Σ_A [value(collateral_A,
// p−_A) − the USD recorded for it] (each term floored), which unrealized_floor() includes; 0 before rules 4.
Result<Usd> collateral_pnl_floor(const State& state);

// Realized LP capital + unrealized_floor() (so floored with it): the pool's NAV under rules 1 and 2;
// tranche::pool_nav is the NAV every limit and report reads, under every rules version.
Result<Usd> nav_floor(const State& state);

// Σ reserves / NAV in bps, rounded up (SPEC §10), at most 10,000; 10,000 when NAV ≤ 0 and something
// is reserved.
Bps utilization_ceil(Usd reserved, Usd nav);

// Σ reserves in micro-USD: the reserves in the settlement asset, plus under rules 4 each other asset's
// reserved tokens at its low price (their value caps the profits they cover, nexadex-assets(7) A3),
// rounded up (reserve_value_ceil: what is reserved counts against free capital and the senior at risk).
Result<Usd> reserve_value_ceil(const assets::AssetPool& pool, std::size_t asset, int64_t tokens);
Result<Usd> reserves_usd(const State& state);

// The capital that backs open positions: ceil(Σ reserves × 10,000 / max_utilization_bps) (SPEC §10:
// free capital = NAV − this, so rounded down; tranche::free_capital applies it).
Result<Usd> reserve_backing_ceil(const State& state);

// Open positions that are liquidatable at the latest prices, by id (optionally one market).
Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market);

}  // namespace nexadex::vault
