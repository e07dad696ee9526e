// lib/outcomes.hpp: what an event did in money, as its rule computed it (data; issue 13): the shares a
// deposit minted and at what price, what a close paid and where a trader's profit fell, what a
// liquidation charged, forwent and left as bad debt. apply() fills one when asked (lib/apply.hpp);
// write commands print them (lib/outcome.hpp); the postings hold the same figures to the micro-unit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lib/event.hpp"
#include "lib/lp.hpp"
#include "lib/money.hpp"

namespace nexadex {

// One layer's part of a realized loss, in cascade order (insurance, junior, senior, unabsorbed).
struct LayerPart {
  std::string layer;
  Usd amount;
};

struct PriceOutcome {
  std::string market;
  Price price;
  std::optional<Price> previous;    // none for the market's first price
};

// A multi-asset pool's deposit or withdrawal in tokens (nexadex-assets(7)): what moved, its fee and
// the asset's weight, and the USD figures of the books.
struct AssetMove {
  std::string asset;
  int decimals = 6;
  int64_t tokens = 0;               // T deposited, or P paid
  int64_t fee = 0;                  // F, in tokens
  Bps rate;                         // f
  Bps weight_before;
  Bps weight_after;
  Usd value;                        // D minted against, or V_out redeemed
  Usd fee_income;                   // I, to the other LPs
  Usd dust;                         // ε (a deposit) or R (a withdrawal), to the other LPs
};

struct DepositOutcome {
  std::string lp;
  TrancheId tranche = TrancheId::senior;
  Usd amount;
  Shares minted;
  int64_t share_price = 0;          // the tranche's price used, micro-USD per share, floored
  Usd nav_before;                   // the tranche's virtual NAV (the vault's, without [tranches])
  Usd nav_after;
  int64_t lot = 0;                  // with [locks]: the lot made, its lock end and boost
  Timestamp lock_until;
  Bps boost{10'000};
  std::optional<AssetMove> asset;   // on a multi-asset pool
};

struct ClaimOutcome {
  std::string lp;
  Usd paid;
};

struct WithdrawOutcome {
  std::string lp;
  TrancheId tranche = TrancheId::senior;
  Usd paid;
  Shares burned;
  int64_t share_price = 0;          // as for a deposit
  Shares left;                      // the LP's shares of the tranche afterwards
  std::optional<AssetMove> asset;   // on a multi-asset pool
};

struct OpenOutcome {
  int64_t id = 0;                   // the seq of the open
  std::string trader;
  std::string market;
  Side side = Side::long_;
  Usd size;
  Usd collateral;                   // after the open fee
  Usd open_fee;
  Price entry;
  int64_t leverage_x100 = 0;        // size / collateral, in hundredths, rounded up
  Usd reserve;
  Price liquidation_price;
};

struct CloseOutcome {
  int64_t id = 0;
  std::string trader;
  Usd size_closed;
  Usd size_left;
  Price exit;
  Usd pnl;                          // as paid: a profit floored and capped at the reserve, a loss (< 0) rounded up
  Usd collateral_returned;          // the closed part's collateral
  Usd borrow_fee;
  Usd close_fee;
  Usd payout;                       // to the trader
  Usd pool_result;                  // the LPs' realized result: the trader's loss (> 0) or profit (< 0)
  std::vector<LayerPart> layers;    // where a trader's profit fell (empty for a trader's loss)
  Shares junior_cancelled;          // junior shares cancelled because that profit took the junior to 0
  // Rules 4, a long with a reserve in tokens (nexadex-assets(7) A5): of `payout`, what was paid in the
  // settlement asset, and the tokens of `token_asset` paid for the rest ("0.00908182 BTC"; none: "")
  Usd paid_settlement;
  std::string token_asset;
  std::string tokens;
};

struct LiquidationOutcome {
  int64_t id = 0;
  std::string trader;
  std::string keeper;
  Price price;
  Usd collateral;
  Usd pnl;                          // the trader's PnL at the price, before any cap
  Usd loss;                         // the trader's loss the collateral paid (the pool's claim less the borrow fee)
  Usd close_fee, close_fee_paid, close_fee_forgone;     // due, paid from the collateral, forgone
  Usd borrow_fee, borrow_fee_paid, borrow_fee_forgone;
  Usd keeper_fee;                   // owed to the keeper; paid from the collateral, then as bad debt
  Usd keeper_fee_from_collateral;
  Usd remainder;                    // what was left of the collateral for the pool
  Usd shortfall;                    // bad debt: the keeper fee the collateral could not pay
  std::vector<LayerPart> layers;    // how the cascade absorbed the shortfall
  Shares junior_cancelled;          // junior shares cancelled because that took the junior to 0
};

struct InsuranceOutcome {
  Usd amount;
  std::string from;
  Usd balance;                      // the fund afterwards
};

struct LossOutcome {
  Usd amount;
  std::vector<LayerPart> layers;    // in cascade order, with unabsorbed last
  Shares junior_cancelled;          // junior shares cancelled because the loss took the junior to 0
};

struct AcknowledgeOutcome {
  Usd amount;
  Usd unabsorbed;                   // every unabsorbed loss, all of it now acknowledged
};

struct ResetOutcome {
  TrancheId tranche = TrancheId::senior;
  Shares cancelled;
  int64_t holders = 0;
};

using Outcome = std::variant<std::monostate, PriceOutcome, DepositOutcome, WithdrawOutcome, OpenOutcome, CloseOutcome,
                             LiquidationOutcome, InsuranceOutcome, LossOutcome, AcknowledgeOutcome, ResetOutcome, ClaimOutcome>;

}  // namespace nexadex
