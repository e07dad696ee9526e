// lib/valuation.hpp: the pool's value (valuation layer): the LPs' unrealized result and NAV, the
// utilization and the capital free to withdraw, and the positions liquidatable at the latest prices.
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
// micro-USD, and floored once for the whole pool. Accrued borrow fees are not counted until paid.
Result<int64_t> unrealized(const State& state);

// Conservative NAV of the LPs: realized LP capital + unrealized().
Result<int64_t> nav(const State& state);

// Σ reserves / NAV in bps, rounded up (SPEC §10); 10,000 when NAV ≤ 0 and something is reserved.
int64_t utilization_bps(int64_t reserved, int64_t nav);

// Capital free for withdrawal: NAV − ceil(Σ reserves × 10,000 / max_utilization_bps) (SPEC §10).
Result<int64_t> free_capital(const State& state, int64_t nav);

// Open positions that are liquidatable at the latest prices, by id (optionally one market).
Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market);

}  // namespace nexadex::vault
