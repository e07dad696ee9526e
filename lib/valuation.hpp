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
// micro-USD, and floored once for the whole pool (floor: against the LPs). Accrued borrow fees are not
// counted until paid. Errors: the result beyond int64 ("arithmetic overflow in NAV").
Result<Usd> unrealized_floor(const State& state);

// Conservative NAV of the LPs: realized LP capital + unrealized_floor() (so floored with it).
Result<Usd> nav_floor(const State& state);

// Σ reserves / NAV in bps, rounded up (SPEC §10), at most 10,000; 10,000 when NAV ≤ 0 and something
// is reserved.
Bps utilization_ceil(Usd reserved, Usd nav);

// Capital free for withdrawal: NAV − ceil(Σ reserves × 10,000 / max_utilization_bps) (SPEC §10), so
// rounded down.
Result<Usd> free_capital_floor(const State& state, Usd nav);

// Open positions that are liquidatable at the latest prices, by id (optionally one market).
Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market);

}  // namespace nexadex::vault
