// lib/transition.hpp: what the event rules share (transition layer, used by lib/*_events.cpp and
// lib/liquidation.cpp): fresh prices, booking a fee or a realized result, a position's legs, names and
// reasons checked.
#pragma once

#include <string>
#include <vector>

#include "lib/insurance.hpp"
#include "lib/outcomes.hpp"
#include "lib/state.hpp"

namespace nexadex::vault::detail {

std::string depositor(const std::string& lp);        // "depositor:alice"
std::string trader_account(const std::string& t);    // "trader:bob"

// Every market with open positions needs a fresh price for a NAV-dependent command (SPEC §10).
Status require_fresh(const State& state, Timestamp at, const char* what);
// The market's latest price if it is fresh at `at`, else a refusal naming its age.
Result<Price> fresh_price(const State& state, const std::string& market, Timestamp at);

// Books a fee's parts on the vault and its postings. Errors: a total beyond int64 (overflow).
Status book_fee(State& state, const std::string& kind, Usd charged, Usd forgone, const FeeParts& parts,
              std::vector<Posting>& postings);
// Moves a realized LP result to the tranches: a gain through the income waterfall, a loss of `kind`
// through its cascade (DESIGN-risk §2, §3). Returns the loss's record, or nullptr for a gain.
Result<const LossRecord*> book_lp_result(State& state, const Event& ev, Usd delta, LossKind kind,
                                         const std::string& market, std::vector<Posting>& postings);
// The layers of a loss record, for an outcome (none without a record).
std::vector<LayerPart> layers_of(const LossRecord* rec);
// The vault row changed.
void mark(State& state);
// Records a step of a position's life (a what-if copy keeps none: it is dropped unread).
void add_leg(State& state, PositionLeg leg);
// Names become posting accounts (depositor:NAME, trader:NAME, ...): 1 to 64 of A-Z a-z 0-9 _ . -
Status check_name(const std::string& name, const char* what);

// What an LP event does to its tranche: "" is the senior for a deposit and, for a withdrawal, the one
// tranche the LP holds; the junior exists only with [tranches].
enum class LpEvent { deposit, withdrawal };
Result<TrancheId> tranche_of(const State& state, const std::string& lp, const std::string& name, LpEvent event);
// "the vault's" or "the senior tranche's", for messages.
std::string nav_owner(const State& state, TrancheId id);
// A reason: 1 to 200 characters without control characters.
Status check_reason(const std::string& reason);

// The open position of that id (read through the loader if need be), or a refusal: unknown (input) or
// already ended (rule).
Result<Position*> open_position(State& state, int64_t id);
// A position's reserve of `tokens` enters (sign +1) or leaves (−1) the books of the asset it reserves:
// the vault's USD reserves for "" (the settlement asset), else the asset's reserved tokens (rules 4).
// Errors: a total beyond int64 or below 0.
Status move_reserve(State& state, const Position& p, Usd tokens, int sign);
// Ends a position: its open interest and reserve leave the books. Errors: a total beyond int64.
Status end_position(State& state, Position& p, PositionStatus status, int64_t seq);

}  // namespace nexadex::vault::detail
