// lib/cascade.hpp: the loss cascade and the tranches' values (valuation layer, SPEC §4; DESIGN-risk
// §3-§6): what each layer gives to a loss, virtual tranche NAVs, subordination, a wiped tranche,
// realized prices. Without [tranches] the same code runs with an empty junior.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::tranche {

// "senior" / "junior" → the tranche; anything else → none.
std::optional<TrancheId> parse(std::string_view name);
// The tranche's posting account: "lp:senior", "lp:junior".
std::string account(TrancheId id);

// What each layer gives to a loss of `amount` of `kind` (insurance within its limits, for `market` on
// `day`; no per-market cap when market is ""), in cascade order, then what is left.
struct Allocation {
  std::vector<std::pair<Layer, Usd>> layers;   // every layer of the order, with what it gives (maybe 0)
  Usd unabsorbed;
};
Result<Allocation> allocate_loss(const State& state, LossKind kind, Usd amount, const std::string& market,
                                 int64_t day);

// The tranches whose holders have nothing left: shares outstanding, realized capital 0 and virtual
// NAV 0, while no unrealized trader profit is beyond every layer (a first deposit would pay it at
// once). Each is reset by a tranche_reset event (issue 12: a single-tranche pool at NAV 0 starts again).
Result<std::vector<TrancheId>> wiped(const State& state);

// Virtual tranche NAVs (DESIGN-risk §4): the LPs' net unrealized result U runs through the trader_pnl
// order when the traders are ahead (U < 0) and through the income waterfall when behind (U > 0).
struct Values {
  Usd senior;
  Usd junior;
  Usd uncovered;   // unrealized trader profit no layer could take (virtual; reported)
};
// Errors: a virtual NAV beyond int64 (overflow).
Result<Values> values(const State& state);
Result<Values> values_given(const State& state, Usd unrealized);

// junior / (junior + senior) in bps, rounded down; 0 when their sum is not positive.
Bps junior_ratio_bps(Usd junior, Usd senior);
// Huma's capacity: max(0, J × (10^4 − min) / min − S), rounded down (at most the largest Usd); none
// when min is 0.
std::optional<Usd> senior_capacity(const State& state, const Values& v);
// max(0, Σ reserves − what the layers ahead of the senior in trader_pnl can give), at most the
// largest Usd.
Usd senior_at_risk(const State& state, const Values& v, Usd reserved);

// Checks a deposit into or a withdrawal from a tranche against the subordination rules (DESIGN-risk §6,
// SPEC §10); a refusal (ErrorKind::rule) names the ratio before and after.
Status check_deposit(const State& state, TrancheId id, Usd amount, const Values& v);
Status check_withdrawal(const State& state, TrancheId id, Usd amount, const Values& v);
// An open that would raise senior at risk above max_senior_at_risk_bps of the senior NAV is refused.
Status check_senior_at_risk(const State& state, Usd reserved_after, const Values& v);

// A tranche's realized share price: (capital + 1) / (supply + V), floored (vault::share_price_floor of
// its capital).
SharePrice realized_price(const Tranche& t);
// Simple annualized return in bps from price p0 at t0 to p1 at t1, (p1 − p0) / p0 × year / (t1 − t0),
// rounded toward zero (a report figure, neither side's money); none when the span is empty or p0 is 0.
std::optional<int64_t> annualized_bps_toward_zero(SharePrice p0, Timestamp t0, SharePrice p1, Timestamp t1);

}  // namespace nexadex::tranche
