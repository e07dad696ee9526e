// lib/locks.hpp: lots, boosts, the reward-per-weight accumulators, compounding, claims and points
// (transition layer; SPEC §5, DESIGN-risk §7-§9). Only a pool with [locks] has lots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::locks {

inline constexpr Duration k_max_lock{10 * 365 * 86'400};   // the longest lock: ten years
inline constexpr int128 k_reward_scale = 1'000'000'000'000'000'000;   // R is kept ×10^18

// Reads from the journal (State::store.loader) the lots a rule or report needs, unless in memory:
// every lot of an LP; every locked lot ending by `at`; every lot.
Status read_lots_of(const State& state, const std::string& lp);
Status read_due_lots(const State& state, Timestamp at);
Status read_all_lots(const State& state);

// The posting account of a tranche's claimable income: "lp:senior:claimable".
std::string claimable_account(TrancheId id);

// A lot's income due and not yet credited: floor(weight × (R − checkpoint) / 10^18), in share units for
// a compounding lot, micro-USD for a claiming one. Errors: beyond 64 bits (overflow).
Result<int64_t> due(const State& state, const Lot& lot);

// The compounding income due to the LP's lots of a tranche, not yet credited (reports add it to the
// LP's shares: it is theirs, held meanwhile by the tranche's pending shares).
Result<Shares> due_shares(const State& state, const LpKey& key);

// Its governance points (weight-seconds) accrued to `at` (≥ its points_at): the boosted weight until
// its unlock, ×1.0 after, without crediting anything.
Result<int128> points_at(const Lot& lot, Timestamp at);

// What reverses the unlocks processed before an event the rules then refused.
struct Undo {
  std::vector<Lot> lots;                 // the lots as they were
  std::array<Tranche, 2> tranches;
  std::map<LpKey, LpHolding> holdings;   // the holdings of their LPs as they were
  bool any = false;
};

// Processes every lot whose lock ends at or before `at`, in (lock_until, id) order: credited at its
// unlock time with its boosted weight, then weighted ×1.0 (DESIGN-risk §7). `undo` records what it changed.
Status unlock_due(State& state, Timestamp at, Undo& undo);
void restore(State& state, Undo& undo);

// A tranche's fee income `part` shared by weight (DESIGN-risk §7): the claiming lots' part to the
// claimable account, the rest into capital and minted as shares at the moment's price for the
// compounding lots. `shared` is false (and nothing done) when the tranche has no weight: the caller
// credits the income to capital, which raises the price for every share.
Status share_income(State& state, TrancheId id, Usd part, std::vector<Posting>& postings, bool& shared);

// A new lot for a deposit of `shares` (minted by the caller for `amount`), locked for `lock` (0: not
// locked). Adds its shares to the LP's holding. Returns its id.
Result<int64_t> add_lot(State& state, const std::string& lp, TrancheId id, Usd amount, Shares shares,
                        Timestamp at, Duration lock, bool compound);

// The LP's withdrawable shares of a tranche: its unlocked lots, with their income due, oldest first;
// `locked` lists the rest as (lock_until, id, shares).
struct Withdrawable {
  Shares shares;
  std::vector<std::tuple<Timestamp, int64_t, Shares>> locked;
};
Result<Withdrawable> withdrawable(const State& state, const LpKey& key);
// "lot 3 (500.000000000 shares) unlocks at 2026-04-01T00:00:00Z, ..." (at most five named).
std::string unlock_times(const Withdrawable& w);

// Burns `burn` shares from the LP's unlocked lots, oldest first, crediting each at `at` first; the
// caller checked they hold that many. Removes them from the LP's holding too. `amount` (what the
// withdrawal pays) is recorded on the lots in proportion to the shares each gave, floored, the last
// lot taking what the floors left.
Status take_shares(State& state, const LpKey& key, Shares burn, Usd amount, Timestamp at);

// Every claimable micro-USD of the LP's lots at the current accumulators, per tranche (claim previews it).
Result<std::array<Usd, 2>> claimable(const State& state, const std::string& lp);
// Credits and pays out the LP's claimable income; `amount` must be exactly what is claimable.
Result<std::vector<Posting>> claim(State& state, const std::string& lp, Usd amount, Timestamp at);

// A wiped tranche's reset: every lot credited at `at` (its claimable income stays its own), then its
// shares zeroed with its weight; the caller cancels the holdings. `before_holdings` runs first.
Status credit_tranche(State& state, TrancheId id, Timestamp at);
Status zero_tranche(State& state, TrancheId id);

// [locks] adopted by a config_applied: every holding becomes an unlocked compounding lot.
Status adopt_holdings(State& state, Timestamp at);

}  // namespace nexadex::locks
