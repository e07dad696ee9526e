// lib/transitions.hpp: the rules of the vault's events (transition layer), one file per family:
// lib/lp_events.cpp (deposits, withdrawals), lib/position_events.cpp (opens, closes),
// lib/liquidation.cpp, lib/fund_events.cpp (insurance deposits, external losses, acknowledgements).
// Each checks every rule before it changes anything, then updates the state, fills `out` when it is
// not null, and returns the event's balanced postings.
#pragma once

#include <vector>

#include "lib/outcomes.hpp"
#include "lib/state.hpp"

namespace nexadex::vault {

Result<std::vector<Posting>> deposit(State& state, const Event& ev, const LpDeposited& e, Outcome* out);
Result<std::vector<Posting>> withdraw(State& state, const Event& ev, const LpWithdrew& e, Outcome* out);
Result<std::vector<Posting>> open(State& state, const Event& ev, const PositionOpened& e, Outcome* out);
Result<std::vector<Posting>> close(State& state, const Event& ev, const PositionClosed& e, Outcome* out);
Result<std::vector<Posting>> liquidate(State& state, const Event& ev, const PositionLiquidated& e, Outcome* out);
Result<std::vector<Posting>> insure(State& state, const InsuranceDeposited& e, Outcome* out);
Result<std::vector<Posting>> apply_loss(State& state, const Event& ev, const LossApplied& e, Outcome* out);
Result<std::vector<Posting>> acknowledge(State& state, const LossAcknowledged& e, Outcome* out);

}  // namespace nexadex::vault
