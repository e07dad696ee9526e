// lib/lot.hpp: a deposit as a lot of a pool with [locks] (data; the rules are in lib/locks.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "lib/lp.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

// One deposit of a pool with [locks] (DESIGN-risk §7). Its weight is floor(shares × boost / 10^4) in
// share units; `checkpoint` is the tranche's reward-per-weight accumulator of its kind (compounding or
// claimable income) when the lot was last credited, `points` its weight-seconds to `points_at`.
struct Lot {
  int64_t id = 0;                   // 1, 2, 3, ... in order of creation
  std::string lp;
  TrancheId tranche = TrancheId::senior;
  Timestamp created;
  Usd deposited;                    // what its deposit paid in
  Shares shares;                    // held now (credited compounding income included)
  Timestamp lock_until;             // 0: never locked
  bool unlocked = true;             // false until lock_until has been processed
  Bps lock_boost{10'000};           // the boost of its tier while locked
  bool compound = true;             // income becomes shares; else claimable USDC
  int128 checkpoint = 0;            // the accumulator R (×10^18) at its last credit
  int128 points = 0;                // weight-seconds, share units × s
  Timestamp points_at;              // points accrued to this time
  Shares compounded;                // shares credited from income, ever
  Usd claimable;                    // income credited, not yet claimed
  Usd claimed;                      // income paid by claim, ever
  Shares withdrawn;                 // shares redeemed from it, ever
  Usd paid;                         // what those withdrawals paid out of it, ever

  Bps boost() const { return unlocked ? Bps{10'000} : lock_boost; }
  // floor(shares × boost / 10^4), in share units
  int128 weight() const { return static_cast<int128>(shares.units()) * boost().value / 10'000; }
  bool operator==(const Lot&) const = default;
};

// The lots of a pool and the orders the rules take them in. `locked` and `by_lp` are derived from
// `all`; only lots with shares are in `unlocked_by_lp`. A journal's lots are read on demand (like its
// positions, lib/state.hpp): `all` then holds those read so far, and the rules ask for what they need
// first (lib/locks.hpp: read_lots_of, read_due_lots, read_all_lots), so that no command scans the
// locked lots it does not touch.
struct Lots {
  std::map<int64_t, Lot> all;                                     // by id: every lot, or those read so far
  int64_t next_id = 1;
  std::set<std::pair<int64_t, int64_t>> locked;                   // (lock_until, id) of lots not yet unlocked
  std::map<LpKey, std::set<int64_t>> unlocked_by_lp;              // withdrawable lots with shares, oldest first
  std::map<LpKey, std::set<std::pair<int64_t, int64_t>>> locked_by_lp;   // (lock_until, id)
  std::map<std::string, std::set<int64_t>> by_lp;                 // every lot of an LP
  // Files a lot (new, or changed: `before` is its previous value) in the indexes.
  void index(const Lot* before, const Lot& after);
  bool complete = true;                       // false while the journal holds lots not read yet
  std::set<std::string> lps_read;             // LPs all of whose lots have been read
  int64_t due_read = std::numeric_limits<int64_t>::min();   // every locked lot ending by then is read
  // The values that make a state: lots and the next id (the indexes follow from them).
  bool same_lots(const Lots& o) const { return all == o.all && next_id == o.next_id; }
};

}  // namespace nexadex
