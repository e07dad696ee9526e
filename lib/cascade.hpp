// lib/cascade.hpp: the loss cascade and the tranches' values (valuation layer, SPEC §4; DESIGN-risk
// §3-§6): what each layer gives to a loss, virtual tranche NAVs, subordination, a wiped tranche,
// realized prices. Without [tranches] the same code runs with an empty junior.
#pragma once

#include <algorithm>
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
  Usd insurance;   // unrealized trader profit the insurance fund would take (virtual; trader_pnl lists it)
};
// Errors: a virtual NAV beyond int64 (overflow).
Result<Values> values(const State& state);
Result<Values> values_given(const State& state, Usd unrealized);

// The pool's NAV: what the LPs' capital is worth at the latest prices, the one figure behind the
// reported NAV, the utilization (the borrow rate's and the open limit's) and the free capital.
// Rules 3 (DESIGN-risk §3/§4): unrealized trader profit is valued through the trader_pnl list as the
// tranches' values are, so the part the insurance fund would take is not the LPs' loss:
// NAV = realized LP capital + unrealized_floor() + Values::insurance (= senior + junior − uncovered
// when both tranches' capital is not negative). Rules 1 and 2: realized LP capital +
// unrealized_floor() (vault::nav_floor), as those journals' limits were decided on it; the same
// figure unless trader_pnl lists the insurance fund.
struct PoolValue {
  Usd nav;
  Values tranches;   // the tranches' virtual NAVs (values())
};
Result<PoolValue> pool_value(const State& state);
Result<Usd> pool_nav(const State& state);

// What a withdrawal from tranche `id` may take (SPEC §10, issue 20): the pool's NAV (pool_nav) less
// the capital backing the reserves, ceil(Σ reserves × 10^4 / max_utilization_bps), and at most the
// tranche's realized capital (a NAV above it counts gains the pool has not received yet) and its
// virtual NAV (what all its shares are worth). The report, the withdrawal's refusal and its message
// all read it. Without [tranches] the one tranche is the senior.
struct FreeCapital {
  Usd nav;       // the pool's NAV
  Usd backing;   // what backs open positions
  Usd pool_free; // nav − backing (may be negative)
  Usd capital;   // the tranche's realized capital
  Usd value;     // the tranche's virtual NAV
  Usd limit;     // min(pool_free, capital, value): a larger withdrawal is refused (may be negative)
  // The free capital reported and named in a refusal: the limit, at least 0.
  Usd free() const { return std::max(limit, Usd()); }
  // The reserves bind (else the tranche's capital or value does).
  bool by_reserves() const { return limit == pool_free; }
};
Result<FreeCapital> free_capital(const State& state, TrancheId id);
Result<FreeCapital> free_capital_of(const State& state, const PoolValue& pool, TrancheId id);
// What withdrawals from every tranche together may take: max(0, min(nav − backing, Σ each tranche's
// max(0, min(capital, value)))); without [tranches], the one tranche's free().
Result<Usd> pool_free_capital(const State& state, const PoolValue& pool);

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
// `exposure`: what it counts of the net exposure after the open (exposure::counted; 0 without a cap).
Status check_senior_at_risk(const State& state, Usd reserved_after, const Values& v, Usd exposure = Usd());

// A tranche's realized share price: (capital + 1) / (supply + V), floored (vault::share_price_floor of
// its capital).
SharePrice realized_price(const Tranche& t);
// What one share of the tranche's start has become for a ×1.0 compounding lot (DESIGN-risk §7, §13):
// the realized price × (1 + R_c / 10^18), floored, R_c counting the shares its fee income minted per
// unit of weight. Without [locks] R_c is 0 and this is the realized price. Its daily marks give the
// tranche's realized APY, the ×1.0 APY reports show beside each lot's.
SharePrice unit_price(const Tranche& t);
// Simple annualized return in bps from price p0 at t0 to p1 at t1, (p1 − p0) / p0 × year / (t1 − t0),
// rounded toward zero (a report figure, neither side's money); none when the span is empty or p0 is 0.
std::optional<int64_t> annualized_bps_toward_zero(SharePrice p0, Timestamp t0, SharePrice p1, Timestamp t1);
// The tranche's realized APY since its first deposit or last reset, from 1 USDC a share to its
// unit_price at `now` (with [locks]: a ×1.0 compounding lot's); none for an empty tranche.
std::optional<int64_t> apy_since_start_bps(const Tranche& t, Timestamp now);

}  // namespace nexadex::tranche
