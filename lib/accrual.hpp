// lib/accrual.hpp: what time does before each event (transition layer): the borrow index and the
// utilization it runs at, the senior's target yield, and the tranches' daily realized prices.
#pragma once

#include <cstdint>

#include "lib/state.hpp"

namespace nexadex {

namespace vault {

// Grows the borrow index to `at` at the utilization since the previous event (SPEC §10).
Status accrue(State& state, Timestamp at);

// Recomputes the utilization after an event (used for the next interval's borrow rate).
Status update_utilization(State& state);

}  // namespace vault

namespace tranche {

// Grows the senior's unpaid target yield by senior capital × target_apr_bps × dt / (10^4 × 31,536,000),
// exactly: the numerator's remainder is carried, so many small steps add up to one long one.
Status accrue_target(State& state, int64_t dt_seconds);

// Records each tranche's realized share price for the UTC day of `at` (for the windowed APY).
void mark_day(State& state, Timestamp at);

}  // namespace tranche

}  // namespace nexadex
