// lib/position_events.cpp: opens and closes, whole or partial: fees, reserves, PnL and payouts.
#include "lib/transitions.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"
#include "lib/transition.hpp"

namespace nexadex::vault {

using namespace detail;

Result<std::vector<Posting>> open(State& state, const Event& ev, const PositionOpened& e, Outcome* out) {
  const MarketConfig* mc = state.config.market(e.market);
  if (mc == nullptr) return input_error("unknown market '" + e.market + "'.");
  if (auto ok = check_name(e.trader, "the trader"); !ok) return std::unexpected(ok.error());
  if (!e.collateral.is_positive()) return input_error("the collateral must be greater than zero.");
  NX_TRY(price, fresh_price(state, e.market, ev.at));
  const Bps fee_bps = state.config.fees.open_fee_bps;
  Usd size = e.size;
  if (e.leverage.hundredths > 0) {
    NX_TRY(s, size_for_leverage(e.collateral, e.leverage, fee_bps));
    size = s;
  }
  if (!size.is_positive()) return input_error("the position size must be greater than zero.");
  NX_TRY(fee, open_fee(size, fee_bps));
  if (fee >= e.collateral) {
    return input_error("the collateral " + to_string(e.collateral) + " does not cover the open fee " + to_string(fee) +
                       "; add collateral.");
  }
  const int64_t after_fee = e.collateral.units() - fee.units();
  // leverage after the fee = size / (collateral − fee) ≤ max_leverage (compared without division)
  if (static_cast<int128>(size.units()) * 100 > static_cast<int128>(mc->max_leverage.hundredths) * after_fee) {
    NX_TRY(lev_x100, mul_div_ceil(size.units(), 100, after_fee, "leverage"));
    return rule_error("the leverage after the open fee would be " + format_decimal(lev_x100, 2) + "x (size " +
                      to_string(size) + " on " + usd_text(after_fee) + " of collateral after a fee of " + to_string(fee) +
                      "), above the " + e.market + " maximum of " + format_decimal(mc->max_leverage.hundredths, 2) +
                      "x; add collateral or open less.");
  }
  NX_TRY(reserve_units, mul_div_ceil(size.units(), mc->max_profit_bps.value, k_bps_scale, "reserve"));
  NX_TRY(nav_now, nav_floor(state));
  const int64_t value = nav_now.units();
  const int128 reserved_after = static_cast<int128>(state.vault.reserved.units()) + reserve_units;
  const int64_t max_util = state.config.pool.max_utilization_bps.value;
  if (reserved_after * k_bps_scale > static_cast<int128>(max_util) * std::max<int64_t>(value, 0)) {
    const int128 room = static_cast<int128>(max_util) * std::max<int64_t>(value, 0) / k_bps_scale -
                        state.vault.reserved.units();
    return rule_error("the position would reserve " + usd_text(reserve_units) + " but only " +
                      usd_text(static_cast<int64_t>(std::max<int128>(room, 0))) + " of the pool is free to reserve (" +
                      format_decimal(max_util, 2) + "% of NAV " + usd_text(value) +
                      " at most); open less or wait for LP deposits.");
  }
  if (state.config.tranches.max_senior_at_risk_bps.value > 0) {
    NX_TRY(values, tranche::values(state));
    if (auto ok = tranche::check_senior_at_risk(state, Usd(static_cast<int64_t>(reserved_after)), values); !ok) {
      return std::unexpected(ok.error());
    }
  }
  std::vector<Posting> postings{{trader_account(e.trader), Usd(-e.collateral.units())},
                                {position_account(ev.seq), Usd(after_fee)}};
  Position p;
  p.id = ev.seq;
  p.trader = e.trader;
  p.market = e.market;
  p.side = e.side;
  p.size = size;
  p.collateral = Usd(after_fee);
  p.entry = price;
  p.reserve = Usd(reserve_units);
  p.borrow_index_open = state.vault.borrow_index;
  p.opened_at = ev.at;
  // its keys are computed here too, so that a position out of their range is refused before anything changes
  if (auto keys = position_keys(state.config, p); !keys) return std::unexpected(keys.error());
  // A position liquidatable at its own entry would let its keeper fee exceed what backs it: the
  // shortfall would be bad debt of the pool, so it is refused (a keeper fee farm otherwise).
  NX_TRY(at_entry, margin(state, p, price));
  if (at_entry.liquidatable()) {
    return rule_error("the position would be liquidatable at once: its equity " + usd_text(at_entry.equity) +
                      " (collateral " + usd_text(after_fee) + " after the open fee, less a close fee of " +
                      to_string(at_entry.close_fee) + ") is below its maintenance margin " +
                      usd_text(at_entry.threshold) + "; add collateral.");
  }
  // What the open did, before anything changes (its liquidation price depends on the borrow index only).
  if (out != nullptr) {
    NX_TRY(lev, mul_div_ceil(size.units(), 100, after_fee, "leverage"));
    NX_TRY(liq, liquidation_price(state, p));
    *out = OpenOutcome{p.id, p.trader, p.market, p.side, size, p.collateral, fee, price, lev, p.reserve, liq};
  }
  // The fee is split on the state as it is before this position adds to open interest.
  NX_TRY(parts, split_fee(state, fee));
  NX_TRY_STATUS(book_fee(state, "open", fee, Usd(0), parts, postings));
  NX_TRY_STATUS(add_to(state.vault.reserved, p.reserve, "reserves"));
  NX_TRY_STATUS(add_to(e.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short, size,
                       "open interest"));
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::opened, size, price, p.collateral, 0, fee, Usd(0), Usd(0),
                             Usd(0), Usd(0)});
  (void)store_position(state, nullptr, std::move(p));  // cannot fail: its keys were computed above
  mark(state);
  return postings;
}

Result<std::vector<Posting>> close(State& state, const Event& ev, const PositionClosed& e, Outcome* out) {
  NX_TRY(pp, open_position(state, e.id));
  Position p = *pp;
  NX_TRY(price, fresh_price(state, p.market, ev.at));
  const Usd size = e.size.is_zero() ? p.size : e.size;
  if (!size.is_positive()) return input_error("the size to close must be greater than zero.");
  if (size > p.size) {
    return input_error("position " + std::to_string(p.id) + " has size " + to_string(p.size) + "; close at most that.");
  }
  const bool whole = size == p.size;
  NX_TRY(pnl_usd, pnl_floor(p.side, size, p.entry, price));
  const int64_t pnl_part = pnl_usd.units();
  NX_TRY(due_total, borrow_due(p, state.vault.borrow_index));
  // SPEC §10: the closed part takes floor(collateral × closed / size) and owes
  // ceil(borrow_fee × closed / size); the rest stays with the position.
  NX_TRY(coll_part, whole ? Result<int64_t>(p.collateral.units())
                          : mul_div_floor(p.collateral.units(), size.units(), p.size.units(), "collateral"));
  NX_TRY(due_part, whole ? Result<int64_t>(due_total.units())
                         : mul_div_ceil(due_total.units(), size.units(), p.size.units(), "borrow fee"));
  // floor: the closed part's cap on profit rounds against the trader
  NX_TRY(reserve_part, whole ? Result<int64_t>(p.reserve.units())
                             : mul_div_floor(p.reserve.units(), size.units(), p.size.units(), "reserve"));
  NX_TRY(close_fee, mul_div_ceil(size.units(), state.config.fees.close_fee_bps.value, k_bps_scale, "close fee"));
  const int64_t profit = std::min(std::max<int64_t>(pnl_part, 0), reserve_part);
  const int64_t loss = std::max<int64_t>(-pnl_part, 0);
  const int128 payout = static_cast<int128>(coll_part) + profit - loss - close_fee - due_part;
  if (payout < 0) {
    return rule_error("closing " + to_string(size) + " of position " + std::to_string(p.id) + " would cost " +
                      usd_text(loss + close_fee + due_part) + " (loss " + usd_text(loss) + ", close fee " +
                      usd_text(close_fee) + ", borrow fee " + usd_text(due_part) + ") against " + usd_text(coll_part) +
                      " of collateral; liquidate it instead.");
  }
  std::vector<Posting> postings{{position_account(p.id), Usd(-coll_part)},
                                {trader_account(p.trader), Usd(static_cast<int64_t>(payout))}};
  NX_TRY(close_parts, split_fee(state, Usd(close_fee)));
  NX_TRY(borrow_parts, split_fee(state, Usd(due_part), close_parts.insurance));
  NX_TRY_STATUS(book_fee(state, "close", Usd(close_fee), Usd(0), close_parts, postings));
  NX_TRY_STATUS(book_fee(state, "borrow", Usd(due_part), Usd(0), borrow_parts, postings));
  // cannot fail: the loss is the trader's profit, within the pool's books
  const auto rec = book_lp_result(state, ev, Usd(loss - profit), LossKind::trader_pnl, p.market, postings);
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::closed, size, price, Usd(coll_part), profit - loss, Usd(0),
                             Usd(close_fee), Usd(due_part), Usd(0), Usd(static_cast<int64_t>(payout))});
  if (out != nullptr) {
    *out = CloseOutcome{p.id, p.trader, size, Usd(p.size.units() - size.units()), price, profit - loss, Usd(coll_part),
                        Usd(due_part), Usd(close_fee), Usd(static_cast<int64_t>(payout)), loss - profit,
                        layers_of(rec ? *rec : nullptr),
                        rec && *rec ? (*rec)->junior_cancelled : Shares(0)};
  }
  if (whole) {
    p.collateral = Usd(0);
    end_position(state, p, PositionStatus::closed, ev.seq);
  } else {
    Usd& oi = p.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short;
    oi = Usd(oi.units() - size.units());
    state.vault.reserved = Usd(state.vault.reserved.units() - reserve_part);
    p.size = Usd(p.size.units() - size.units());
    p.collateral = Usd(p.collateral.units() - coll_part);
    p.reserve = Usd(p.reserve.units() - reserve_part);
    p.borrow_carried = Usd(due_total.units() - due_part);
    p.borrow_index_open = state.vault.borrow_index;
  }
  (void)store_position(state, pp, std::move(p));  // cannot fail: its size and entry are positive
  mark(state);
  return postings;
}

}  // namespace nexadex::vault
