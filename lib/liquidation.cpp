// lib/liquidation.cpp: a liquidation: the collateral pays the pool's claim, the keeper, the close
// fee, then the pool; the keeper fee it cannot pay is bad debt (DESIGN-risk §3).
#include "lib/transitions.hpp"

#include <algorithm>

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
    return rule_error("position " + std::to_string(p.id) + " is healthy: its equity " + usd_text(m.equity) +
                      " (collateral " + to_string(p.collateral) + ", PnL " + usd_text(m.pnl) + ", fees " +
                      usd_text(m.close_fee.units() + m.borrow_fee.units()) + ") is at or above its maintenance margin " +
                      usd_text(m.threshold) + "; it cannot be liquidated.");
  }
  // DESIGN-risk §3: the collateral pays the pool's claim, the keeper fee, the close fee, then the pool.
  const int64_t c = p.collateral.units();
  const int64_t loss = std::max<int64_t>(-m.pnl, 0);
  const int64_t claim = std::min<int64_t>(loss + m.borrow_fee.units(), c);
  const int64_t keeper_fee = state.config.fees.liquidation_fee.units();
  const int64_t from_collateral = std::min(keeper_fee, c - claim);
  const int64_t close_paid = std::min(m.close_fee.units(), c - claim - from_collateral);
  const int64_t rest = c - claim - from_collateral - close_paid;
  const int64_t shortfall = keeper_fee - from_collateral;
  // The claim pays the trader's loss first, then the borrow fee, which is split as every fee is.
  const int64_t borrow_paid = claim - std::min(loss, claim);
  NX_TRY(close_parts, split_fee(state, Usd(close_paid)));
  NX_TRY(borrow_parts, split_fee(state, Usd(borrow_paid), close_parts.insurance));
  // Every figure is known: from here on only an overflow can fail.
  std::vector<Posting> postings{{position_account(p.id), Usd(-c)}};
  if (keeper_fee) postings.push_back({"keeper:" + e.keeper, Usd(keeper_fee)});
  NX_TRY_STATUS(book_fee(state, "close", m.close_fee, Usd(m.close_fee.units() - close_paid), close_parts, postings));
  NX_TRY_STATUS(book_fee(state, "borrow", m.borrow_fee, Usd(m.borrow_fee.units() - borrow_paid), borrow_parts, postings));
  FeeTotals& liq = state.vault.fees["liquidation"];
  NX_TRY_STATUS(add_to(liq.charged, Usd(keeper_fee), "liquidation fees"));
  // the pool's share of the trader's loss and the remainder are a gain; the shortfall is bad debt
  NX_TRY_STATUS(tranche::credit_gain(state, Usd(claim - borrow_paid + rest), postings));
  const LossRecord* rec = nullptr;
  if (shortfall > 0) {
    NX_TRY(r, tranche::absorb_loss(state, LossKind::bad_debt, Usd(shortfall), p.market, ev, postings));
    rec = r;
  }
  // the trader loses the whole collateral: what the fees did not take is its realized loss (the loss
  // the pool claimed and the remainder it kept), so that realized PnL − fees = − collateral
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::liquidated, p.size, price, p.collateral,
                             -(c - close_paid - borrow_paid - from_collateral), Usd(0), Usd(close_paid),
                             Usd(borrow_paid), Usd(from_collateral), Usd(0)});
  if (out != nullptr) {
    *out = LiquidationOutcome{p.id, p.trader, e.keeper, price, p.collateral, m.pnl, Usd(claim - borrow_paid),
                              m.close_fee, Usd(close_paid), Usd(m.close_fee.units() - close_paid), m.borrow_fee,
                              Usd(borrow_paid), Usd(m.borrow_fee.units() - borrow_paid), Usd(keeper_fee),
                              Usd(from_collateral), Usd(rest), Usd(shortfall), layers_of(rec),
                              rec ? rec->junior_cancelled : Shares(0)};
  }

  p.collateral = Usd(0);
  end_position(state, p, PositionStatus::liquidated, ev.seq);
  (void)store_position(state, pp, std::move(p));  // cannot fail: an ended position has no keys
  mark(state);
  return postings;
}

}  // namespace nexadex::vault
