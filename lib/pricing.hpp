// lib/pricing.hpp: the pure rules of one position and one share (valuation layer): PnL, borrow
// fee, open fee and sizing, shares minted, burned and paid, margin and liquidation price; every
// division rounded in the pool's favour with the direction named.
#pragma once

#include <cstdint>
#include <string>

#include "lib/state.hpp"

namespace nexadex::vault {

inline constexpr int128 k_index_scale = 1'000'000'000'000'000'000;  // borrow index: 10^18
inline constexpr int64_t k_virtual_shares = 1'000;                  // V, in share units (DESIGN-risk §9)

// The posting accounts of an LP's deposits and withdrawals, and of a position's collateral.
std::string depositor_account(const std::string& lp);   // "depositor:alice"
std::string position_account(int64_t id);                // "position:42"

// Signed PnL in micro-USD of `size` entry notional from `entry` to `price`: a long earns
// size × (price − entry) / entry, a short size × (entry − price) / entry. A profit rounds down (the
// pool pays it), a loss rounds up (the pool is owed it). Clamped to ±2^62 micro-USD (4.6 trillion USD:
// the clamp changes a payout only for a reserve or collateral beyond that).
Result<Usd> pnl_floor(Side side, Usd size, Price entry, Price price);

// The borrow index's growth over `dt` seconds at utilization `u` (nexadex-close(1), Borrow fee),
// exactly: the rate a year is base + slope × u / k up to the kink k (10000 when borrow_kink_bps is 0:
// one line, the rate of rules 3) and base + slope + slope2 × (u − k) / (10000 − k) above it, and the
// index grows by floor(rate × dt × 10^18 / (10^4 × 31,536,000)) (floor: whole 10^-18 units; what a
// position is charged from it rounds up, borrow_due). The curve is solana-labs' two-slope one.
Result<BorrowIndex> borrow_index_growth(const FeeConfig& fees, Bps u, int64_t dt);

// Borrow fee a position owes now: ceil(size × (index − index_open) / 10^18) + what it carried.
Result<Usd> borrow_due(const Position& p, BorrowIndex index_now);

// The open fee of a size: ceil(size × open_fee_bps / 10,000), against the trader.
Result<Usd> open_fee(Usd size, Bps open_fee_bps);

// The largest size whose leverage after the open fee is at most `leverage` (SPEC §10).
Result<Usd> size_for_leverage(Usd collateral, Leverage leverage, Bps open_fee_bps);

// Shares minted for a deposit: floor(amount × (supply + V) / (NAV + 1)); burned for a withdrawal
// of an amount: ceil of the same; paid for shares: floor(shares × (NAV + 1) / (supply + V)). A NAV
// below zero counts as zero.
Result<Shares> shares_minted(Usd amount, Shares supply, Usd nav);
Result<Shares> shares_burned(Usd amount, Shares supply, Usd nav);
Result<Usd> amount_paid(Shares shares, Shares supply, Usd nav);

// A share's price: (NAV + 1) / (supply + V) micro-USD per share unit, NAV below zero counting as zero,
// rounded down (floor: a reported price rounds down). Exact: (2^63 + 1) × 10^18 stays within 128 bits
// and supply + V is positive.
SharePrice share_price_floor(Usd nav, Shares supply);
// The same per whole share, in micro-USD as reports and outcomes show it: floor((NAV + 1) × 10^9 /
// (supply + V)), the floor of share_price_floor (a floor of a floor is one floor). Errors: beyond int64.
Result<Usd> share_price_usd_floor(Usd nav, Shares supply);

// Whether size / collateral is above `max` (compared without division: size × 100 > max × collateral).
// Errors: none in practice (a product beyond 128 bits).
Result<bool> leverage_exceeds(Usd size, Usd collateral, Leverage max);
// size / collateral in hundredths, rounded up (ceil: a leverage shown or checked rounds against the
// trader). Errors: collateral zero, the result beyond int64.
Result<Leverage> leverage_ceil(Usd size, Usd collateral);

// The margin numbers of a position at `price`: equity = collateral + min(pnl, reserve) − close fee −
// borrow fee; liquidatable when equity < max(ceil(size × maintenance_margin_bps / 10^4),
// liquidation_fee).
struct Margin {
  Usd equity;
  Usd threshold;
  Usd pnl;
  Usd close_fee;
  Usd borrow_fee;
  bool liquidatable() const { return equity < threshold; }
};
Result<Margin> margin(const State& state, const Position& p, Price price);
// The same under another config and borrow index (config apply weighs a new config with it).
Result<Margin> margin_under(const Config& config, BorrowIndex borrow_index, const Position& p, Price price);

// The liquidation price: the price at which the position becomes liquidatable (0 when none).
Result<Price> liquidation_price(const State& state, const Position& p);

}  // namespace nexadex::vault
