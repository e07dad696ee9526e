// lib/gains_losses.hpp: booking a realized gain through the income waterfall and a realized loss
// through the cascade, and a wiped tranche's reset (transition layer; DESIGN-risk §2, §3, §5).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::tranche {

// A realized gain of the LPs through the income waterfall: the senior takes min(gain, unpaid target),
// the junior the rest, or the senior when the junior has no shares. Adds the lp:<tranche> legs.
// Nothing for a gain ≤ 0. Errors: a tranche's books beyond int64 (overflow).
// With [locks], a fee's part (`fee`) is income shared by weight inside each tranche (DESIGN-risk §2
// step 4, §7); every other gain raises the tranche's price.
enum class Channel { pnl, fee };
Status credit_gain(State& state, Usd gain, std::vector<Posting>& postings, Channel channel = Channel::pnl);

// Books a realized loss: each layer's part (the fund's daily use recorded), the unabsorbed rest, and a
// junior reset when the loss took junior capital to 0 while it had shares (its holdings cancelled).
// Appends the record to state.losses and returns it (valid until the next loss is appended).
// Errors: the cap's computation or a balance beyond int64 (overflow).
Result<const LossRecord*> absorb_loss(State& state, LossKind kind, Usd amount, const std::string& market,
                                      const Event& event, std::vector<Posting>& postings);

// Applies tranche_reset: refused unless the tranche is wiped and `shares` is its supply; cancels every
// holding (LpHolding::cancelled) and restarts the tranche empty. No postings: no money moves.
Result<std::vector<Posting>> reset(State& state, const TrancheReset& e, Timestamp at);

}  // namespace nexadex::tranche
