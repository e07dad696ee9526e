// lib/shock.hpp: `cascade` previews (SPEC §4, DESIGN-risk §3): a loss, or a price shock and the
// liquidations it sets off, run by the same rules on a copy of the state; nothing is journaled.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/money.hpp"
#include "lib/report.hpp"
#include "lib/state.hpp"

namespace nexadex {

// One market's price moved by `move` of itself: Bps{-3'000} is −30%.
struct Shock {
  std::string market;
  Bps move;   // −10,000 < move.value
};

// The cascade report of a loss of `amount` of `kind` falling at `at` on `state` (a copy, accrued to
// `at` first, as the journaled loss would be). `at` is not before the state's head.
// Errors: an arithmetic overflow while valuing.
Result<Report> loss_preview(State state, Timestamp at, Usd amount, LossKind kind);

// The cascade report of `shocks` at `at` (not before the state's head): the state accrued to `at`,
// every market with open positions or a shock priced at `at` (shocked, or at its latest price again),
// then every position liquidatable at those prices liquidated in id order, its bad debt falling
// through the cascade. Adds a `liquidations` section: each position with its shortfall.
// Errors: a shock that names a market not configured, or one named twice, or a move ≤ −10,000 bps (the
// precondition, ErrorKind::input); a market to price that was never priced (ErrorKind::rule); a
// shocked price that rounds to zero (ErrorKind::input); an arithmetic overflow.
Result<Report> shock_preview(State state, Timestamp at, const std::vector<Shock>& shocks);

}  // namespace nexadex
