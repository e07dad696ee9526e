// lib/liquidation.cpp: a liquidation: the collateral pays the pool's claim, the keeper, the close
// fee, then the pool; the keeper fee it cannot pay is bad debt (DESIGN-risk §3).
#include "lib/transitions.hpp"

#include <algorithm>

#include "lib/asset_books.hpp"
#include "lib/gains_losses.hpp"
#include "lib/pricing.hpp"
#include "lib/transition.hpp"

namespace nexadex::vault {

using namespace detail;

Result<std::vector<Posting>> liquidate(State& state, const Event& ev, const PositionLiquidated& e, Outcome* out) {
  if (auto ok = check_name(e.keeper, "the keeper"); !ok) return std::unexpected(ok.error());
  NX_TRY(pp, open_position(state, e.id));
  Position p = *pp;
  NX_TRY(price, fresh_price(state, p.market, ev.at));
  NX_TRY(m, margin(state, p, price));
  if (!m.liquidatable()) {
    NX_TRY(fees, m.close_fee + m.borrow_fee);
    return rule_error("position " + std::to_string(p.id) + " is healthy: its equity " + to_string(m.equity) +
                      " (collateral " + to_string(p.collateral) + ", PnL " + to_string(m.pnl) + ", fees " +
                      to_string(fees) + ") is at or above its maintenance margin " + to_string(m.threshold) +
                      "; it cannot be liquidated.");
  }
  // DESIGN-risk §3: the collateral pays the pool's claim, the keeper fee, the close fee, then the pool.
  const Usd c = p.collateral;
  NX_TRY(loss, -std::min(m.pnl, Usd()));
  NX_TRY(owed, loss + m.borrow_fee);
  const Usd claim = std::min(owed, c);
  const Usd keeper_fee = state.config.fees.liquidation_fee;
  NX_TRY(after_claim, c - claim);
  const Usd from_collateral = std::min(keeper_fee, after_claim);
  NX_TRY(after_keeper, after_claim - from_collateral);
  const Usd close_paid = std::min(m.close_fee, after_keeper);
  NX_TRY(rest, after_keeper - close_paid);
  NX_TRY(shortfall, keeper_fee - from_collateral);
  // The claim pays the trader's loss first, then the borrow fee, which is split as every fee is.
  const Usd loss_paid = std::min(loss, claim);
  NX_TRY(borrow_paid, claim - loss_paid);
  NX_TRY(close_forgone, m.close_fee - close_paid);
  NX_TRY(borrow_forgone, m.borrow_fee - borrow_paid);
  NX_TRY(close_parts, split_fee(state, close_paid));
  NX_TRY(borrow_parts, split_fee(state, borrow_paid, close_parts.insurance));
  NX_TRY(taken, -c);
  // the trader loses the whole collateral: what the fees did not take is its realized loss (the loss
  // the pool claimed and the remainder it kept), so that realized PnL − fees = − collateral
  NX_TRY(kept, c - close_paid - borrow_paid - from_collateral);
  NX_TRY(realized, -kept);
  NX_TRY(gain, loss_paid + rest);
  // Every figure is known: from here on only an overflow can fail.
  std::vector<Posting> postings;
  Usd lp_result = gain;
  if (p.collateral_asset.empty()) {
    postings.push_back({position_account(p.id), taken});
    if (!keeper_fee.is_zero()) postings.push_back({"keeper:" + e.keeper, keeper_fee});
    NX_TRY_STATUS(book_fee(state, "close", m.close_fee, close_forgone, close_parts, postings));
    NX_TRY_STATUS(book_fee(state, "borrow", m.borrow_fee, borrow_forgone, borrow_parts, postings));
  } else {
    // A7, collateral in tokens: the tokens pass to the pool, the fees the collateral paid taken from them
    // in tokens; the keeper is paid its fee in them at the high price, floored, by the pool (never what
    // the other positions reserve). The LPs' result is the book value gained less the fees' LP parts (fee
    // income) and the keeper's tokens, plus the shortfall booked as bad debt below: what the collateral
    // paid them (the loss and the remainder) with the collateral's price move since the open (A6).
    NX_TRY(in, collateral_to_pool(state, p, p.collateral_tokens, c, {{"close", close_paid}, {"borrow", borrow_paid}},
                                  postings));
    // (charged as the USD path counts them: paid and forgone)
    NX_TRY_STATUS(count_fee(state, "close", close_forgone, close_forgone, FeeParts{}));
    NX_TRY_STATUS(count_fee(state, "borrow", borrow_forgone, borrow_forgone, FeeParts{}));
    const std::size_t ci = *assets::find_asset(*state.assets, p.collateral_asset);
    const auto& pool = *state.assets;
    NX_TRY(owed_units, assets::tokens_floor(keeper_fee, pool.prices[ci].high, pool.configs[ci].decimals));
    const int64_t units = std::min(owed_units, unreserved_tokens(pool.books[ci], p, p.reserve));
    NX_TRY(paid_keeper, pay_tokens(state, ci, "keeper:" + e.keeper, units, postings));
    NX_TRY_STATUS(tranche::credit_gain(state, in.income, postings, tranche::Channel::fee));
    NX_TRY(r1, in.gained - in.income);
    NX_TRY(r2, r1 - paid_keeper);
    NX_TRY(result, r2 + shortfall);
    lp_result = result;
  }
  NX_TRY_STATUS(add_to(state.vault.fees["liquidation"].charged, keeper_fee, "liquidation fees"));
  // the pool's share of the trader's loss and the remainder are a gain; the shortfall is bad debt
  // (a loss only when tokens posted as collateral lost more than the gain: their own price move)
  NX_TRY(moved_rec, book_lp_result(state, ev, lp_result, LossKind::trader_pnl, p.market, postings));
  (void)moved_rec;
  const LossRecord* rec = nullptr;
  if (shortfall.is_positive()) {
    NX_TRY(r, tranche::absorb_loss(state, LossKind::bad_debt, shortfall, p.market, ev, postings));
    rec = r;
  }
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::liquidated, p.size, price, p.collateral, realized,
                             Usd(0), close_paid, borrow_paid, from_collateral, Usd(0)});
  if (out != nullptr) {
    *out = LiquidationOutcome{p.id, p.trader, e.keeper, price, p.collateral, m.pnl, loss_paid,
                              m.close_fee, close_paid, close_forgone, m.borrow_fee,
                              borrow_paid, borrow_forgone, keeper_fee,
                              from_collateral, rest, shortfall, layers_of(rec),
                              rec ? rec->junior_cancelled : Shares(0)};
  }

  p.collateral = Usd(0);
  p.collateral_tokens = 0;
  NX_TRY_STATUS(end_position(state, p, PositionStatus::liquidated, ev.seq));
  (void)store_position(state, pp, std::move(p));  // cannot fail: an ended position has no keys
  mark(state);
  return postings;
}

}  // namespace nexadex::vault
