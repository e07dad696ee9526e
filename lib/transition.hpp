// lib/transition.hpp: what the event rules share (transition layer, used by lib/*_events.cpp and
// lib/liquidation.cpp): fresh prices, booking a fee or a realized result, a position's legs, names and
// reasons checked.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "lib/asset_rules.hpp"
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

// Adds a fee to `kind`'s totals (report fees): charged, forgone and its parts. Errors: an overflow.
Status count_fee(State& state, const std::string& kind, Usd charged, Usd forgone, const FeeParts& parts);
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

// Fee totals (report fees) of a fee paid in a non-settlement asset, valued at its low price.
Status count_token_fee(State& state, const char* kind, std::size_t asset, int64_t fee,
                       const assets::TokenFeeParts& parts, Usd income);
// Rules 4 (A5): a fee of `fee` USD taken in tokens of `asset`: ceil(fee × 10^(d+2) / p−) units, split as
// every fee is (insurance and treasury floored, the fund within its target's room, counting the tokens
// `book` already gave it; FEE SPLIT). The LPs' income (the fee channel) is value(lp part, p−), at most the
// USD fee less the other parts' values. Changes nothing.
struct TokenFee {
  int64_t units = 0;
  assets::TokenFeeParts parts;
  Usd income;
  Usd to_insurance;   // the parts' values at the low price (report fees)
  Usd to_treasury;
};
Result<TokenFee> quote_token_fee(const State& state, std::size_t asset, Usd fee, const AssetBook& book);
// Books a quoted token fee: its insurance and treasury parts into `book` (the caller's copy of the asset's
// books, whose owned tokens the LPs' part joins with what else enters them) with their postings, and the
// USD fee in `kind`'s totals.
Status book_token_fee(State& state, const char* kind, std::size_t asset, Usd fee, const TokenFee& quote,
                      AssetBook& book, std::vector<Posting>& postings);
// Rules 4 (A5, A7): `tokens` of a position's collateral in p.collateral_asset, recorded at `usd`, pass to the
// pool at the close or liquidation that takes them: each of `fees` (kind, USD) is taken from them in
// tokens (quote_token_fee, book_token_fee), and the rest joins owned_C. Adds the postings position:ID:C −tokens, the fee
// parts', pool:C and inventory:C −ΔB. `gained` is ΔB = B_C after − B_C before, the book value the LPs
// gained (the fees' LP parts, `income`, included); the collateral's price move (A6) is realized in it.
struct CollateralIn {
  Usd gained;
  Usd income;
};
Result<CollateralIn> collateral_to_pool(State& state, const Position& p, int64_t tokens, Usd usd,
                                        std::initializer_list<std::pair<const char*, Usd>> fees,
                                        std::vector<Posting>& postings);
// What the pool owns of p.collateral_asset beyond what the other open positions reserve in it: the most
// a close or liquidation of `p`, releasing `releasing` of its reserve, may pay from it (at least 0).
int64_t unreserved_tokens(const AssetBook& book, const Position& p, Usd releasing);
// Pays `units` of the pool's tokens of asset `asset` to `holder` ("trader:tom", "keeper:kim"; owned_A and
// held_A fall): adds the postings HOLDER:A +units, pool:A −units and inventory:A +ΔB, and returns ΔB = B_A before − B_A
// after, the book value that left. Errors: more than the pool owns, an overflow.
Result<Usd> pay_tokens(State& state, std::size_t asset, const std::string& holder, int64_t units,
                       std::vector<Posting>& postings);

}  // namespace nexadex::vault::detail
