// lib/vault.hpp: the single-asset vault's rules (SPEC §3, §10; DESIGN-risk §2, §3, §9): pure
// functions of the state, every division rounded in the pool's favour with the direction named.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/outcome.hpp"
#include "lib/state.hpp"

namespace nexadex::vault {

inline constexpr int128 k_index_scale = 1'000'000'000'000'000'000;  // borrow index: 10^18
inline constexpr int64_t k_virtual_shares = 1'000;                  // V, in share units (DESIGN-risk §9)

// The posting accounts of an LP's deposits and withdrawals, and of a position's collateral.
std::string depositor_account(const std::string& lp);   // "depositor:alice"
std::string position_account(int64_t id);                // "position:42"

// Signed PnL in micro-USD of `size` entry notional from `entry` to `price`: a long earns
// size × (price − entry) / entry, a short size × (entry − price) / entry. A profit rounds down (the
// pool pays it), a loss rounds up (the pool is owed it).
Result<int64_t> pnl(Side side, Usd size, Price entry, Price price);

// Borrow fee a position owes now: ceil(size × (index − index_open) / 10^18) + what it carried.
Result<Usd> borrow_due(const Position& p, int128 index_now);

// The LPs' net unrealized result at the latest prices (DESIGN-risk §4): Σ over open positions of
// min(trader loss, collateral) − min(trader profit, reserve), the loss and profit being
// size × price / entry − size with size / entry as the position's quantity (lib/book.hpp); computed
// from each book's aggregates plus the few positions whose value is clamped, in units of 10^-18
// micro-USD, and floored once for the whole pool. Accrued borrow fees are not counted until paid.
Result<int64_t> unrealized(const State& state);

// Conservative NAV of the LPs: realized LP capital + unrealized().
Result<int64_t> nav(const State& state);

// Σ reserves / NAV in bps, rounded up (SPEC §10); 10,000 when NAV ≤ 0 and something is reserved.
int64_t utilization_bps(int64_t reserved, int64_t nav);

// Capital free for withdrawal: NAV − ceil(Σ reserves × 10,000 / max_utilization_bps) (SPEC §10).
Result<int64_t> free_capital(const State& state, int64_t nav);

// The open fee of a size: ceil(size × open_fee_bps / 10,000), against the trader.
Result<Usd> open_fee(Usd size, Bps open_fee_bps);

// The largest size whose leverage after the open fee is at most `leverage` (SPEC §10).
Result<Usd> size_for_leverage(Usd collateral, Leverage leverage, Bps open_fee_bps);

// Shares minted for a deposit: floor(amount × (supply + V) / (NAV + 1)); burned for a withdrawal
// of an amount: ceil of the same; paid for shares: floor(shares × (NAV + 1) / (supply + V)).
Result<Shares> shares_minted(Usd amount, Shares supply, int64_t nav);
Result<Shares> shares_burned(Usd amount, Shares supply, int64_t nav);
Result<Usd> amount_paid(Shares shares, Shares supply, int64_t nav);

// A fee split at source (DESIGN-risk §2): insurance and treasury parts floor, the LPs get the rest,
// and the fund takes only up to its target (the excess goes to the LPs).
struct FeeParts {
  Usd lp;
  Usd insurance;
  Usd treasury;
};
// `taken` is what the fund already took earlier in the same event (two fees of one close).
Result<FeeParts> split_fee(const State& state, Usd fee, Usd taken = Usd(0));

// The insurance fund's target: max(target_min, open interest × target_bps_of_oi / 10^4), or none
// (std::nullopt) when both are 0.
std::optional<Usd> insurance_target(const State& state);

// What the fund covers of a bad-debt loss in `market` on `day` (DESIGN-risk §3 limits).
Result<Usd> insurance_cover(const State& state, const std::string& market, int64_t day, Usd loss);

// The margin numbers of a position at `price`: equity = collateral + min(pnl, reserve) − close fee −
// borrow fee; liquidatable when equity < max(ceil(size × maintenance_margin_bps / 10^4),
// liquidation_fee).
struct Margin {
  int64_t equity = 0;
  int64_t threshold = 0;
  int64_t pnl = 0;
  Usd close_fee;
  Usd borrow_fee;
  bool liquidatable() const { return equity < threshold; }
};
Result<Margin> margin(const State& state, const Position& p, Price price);
// The same under another config and borrow index (config apply weighs a new config with it).
Result<Margin> margin_under(const Config& config, int128 borrow_index, const Position& p, Price price);

// The liquidation price: the price at which the position becomes liquidatable (0 when none).
Result<Price> liquidation_price(const State& state, const Position& p);

// Open positions that are liquidatable at the latest prices, by id (optionally one market).
Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market);

// Grows the borrow index to `at` at the utilization since the previous event (SPEC §10).
Status accrue(State& state, Timestamp at);

// Recomputes the utilization after an event (used for the next interval's borrow rate).
Status update_utilization(State& state);

// SPEC §7 conservation, checked on a state: the vault's books equal their accounts' balances, each
// position's account holds its collateral, and money in less money out equals what the pool holds.
// Returns (seq or 0, what differs) for each problem; empty when all is well.
std::vector<std::pair<int64_t, std::string>> conservation_problems(const State& state);

// Applies a vault event (lp_deposited, lp_withdrew, position_opened, position_closed,
// position_liquidated, insurance_deposited, loss_applied, loss_acknowledged, tranche_reset);
// refusals change nothing. Fills `outcome` when it is not null (lib/outcome.hpp).
Result<std::vector<Posting>> apply_vault(State& state, const Event& event, Outcome* outcome);

}  // namespace nexadex::vault
