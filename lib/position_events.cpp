// lib/position_events.cpp: opens and closes, whole or partial: fees, reserves, PnL and payouts.
#include "lib/transitions.hpp"

#include <algorithm>

#include "lib/asset_books.hpp"
#include "lib/asset_events.hpp"
#include "lib/cascade.hpp"
#include "lib/exposure.hpp"
#include "lib/gains_losses.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"
#include "lib/transition.hpp"

namespace nexadex::vault {

using namespace detail;

namespace {

std::size_t asset_of(const State& state, const std::string& symbol) {
  return *assets::find_asset(*state.assets, symbol);   // reserve_asset_for named one of the pool's
}

// A2: a long of `size` at `entry` on a market backed by `asset` reserves
// ceil(size × max_profit_bps / 10^4 × 10^(d+2) / entry) token units (size in micro-USD, entry in 10^-8 USD).
Result<Usd> token_reserve_ceil(const State& state, const std::string& asset, Usd size, const MarketConfig& mc, Price entry) {
  const int64_t d = state.assets->configs[asset_of(state, asset)].decimals;
  // ceil: the pool locks more, never less
  NX_TRY(tokens, mul_div_wide(static_cast<int128>(size.units()) * mc.max_profit_bps.value, assets::value_scale(d),
                              static_cast<int128>(k_bps_scale) * entry.units(), Rounding::ceil, "reserve"));
  return narrow_to<Usd>(tokens, "reserve");
}


// Rules 4 (A4): the reserve may not take the asset it is held in beyond max_utilization_bps of what the
// pool owns of it (owned before the open: its fee's LP part is not counted).
Status check_asset_utilization(const State& state, const std::string& asset, Usd tokens) {
  const auto& pool = *state.assets;
  const std::size_t i = asset.empty() ? pool.settlement : asset_of(state, asset);
  const AssetBook& b = pool.books[i];
  const Bps max_util = state.config.pool.max_utilization_bps;
  // floor: the room rounds down
  NX_TRY(limit, mul_div_floor(std::max<int64_t>(b.owned, 0), max_util.value, k_bps_scale, "the reserve limit"));
  int64_t after{};
  if (!__builtin_add_overflow(b.reserved, tokens.units(), &after) && after <= limit) return {};
  const AssetConfig& a = pool.configs[i];
  return rule_error("the position would reserve " + assets::format_tokens(a, tokens.units()) + " but only " +
                    assets::format_tokens(a, std::max<int64_t>(limit - b.reserved, 0)) + " of the pool's " + a.symbol +
                    " is free to reserve (" + format_decimal(max_util.value, 2) + "% of the " +
                    assets::format_tokens(a, b.owned) + " it owns at most); open less or wait for " + a.symbol +
                    " deposits.");
}

// A close's payment in the tokens of a long's reserve (A5, collateral in the settlement asset): of the
// trader's amount `payout`, min(payout, max(collateral − fees, 0)) in the settlement asset and the rest
// as floor(rest × 10^(d+2) / p+) tokens (at most the part's reserve), taken from owned_A at once. None
// (units 0) for a reserve in the settlement asset or an amount the collateral covers.
struct TokenPayment {
  int64_t units = 0;
  Usd settlement;    // paid in the settlement asset
  Usd book_out;      // ΔB_A = B_A before − B_A after: the tokens' book value that left
  Usd pool_result;   // collateral − settlement − fees − ΔB_A: the LPs' result (a gain when positive)
};
Result<TokenPayment> pay_in_tokens(State& state, const Position& p, Usd reserve_part, Usd coll_part, Usd close_fee,
                                   Usd due_part, Usd payout, std::vector<Posting>& postings) {
  TokenPayment out;
  if (p.reserve_asset.empty() || !state.assets) return out;
  NX_TRY(fees, close_fee + due_part);
  NX_TRY(coll_less_fees, coll_part - fees);
  out.settlement = std::min(payout, std::max(coll_less_fees, Usd()));
  NX_TRY(rest, payout - out.settlement);
  if (!rest.is_positive()) return out;
  const std::size_t i = asset_of(state, p.reserve_asset);
  auto& pool = *state.assets;
  NX_TRY(units, assets::tokens_floor(rest, pool.prices[i].high, pool.configs[i].decimals));
  out.units = std::min(units, reserve_part.units());
  if (out.units == 0) return out;
  // ≤ the part's reserve ≤ reserved ≤ owned
  NX_TRY(book_out, pay_tokens(state, i, trader_account(p.trader), out.units, postings));
  out.book_out = book_out;
  NX_TRY(a, coll_part - out.settlement);
  NX_TRY(b, a - fees);
  NX_TRY(result, b - book_out);
  out.pool_result = result;
  return out;
}

// Rules 1 to 3: the reserves may not exceed max_utilization_bps of the pool's NAV.
Status check_nav_utilization(const State& state, Usd reserve, Usd reserved_after) {
  NX_TRY(nav_now, tranche::pool_nav(state));
  const Bps max_util = state.config.pool.max_utilization_bps;
  const Usd nav_counted = std::max(nav_now, Usd());
  // compared without division: reserved_after / NAV ≤ max_util
  NX_TRY(utilization, compare_to_bps(reserved_after, nav_counted, max_util, "utilization"));
  if (utilization != std::strong_ordering::greater) return {};
  // floor: the room shown rounds down
  NX_TRY(limit, nav_counted.mul_bps_floor(max_util, "the reserve limit"));
  NX_TRY(room, limit - state.vault.reserved);
  return rule_error("the position would reserve " + to_string(reserve) + " but only " +
                    to_string(std::max(room, Usd())) + " of the pool is free to reserve (" +
                    format_decimal(max_util.value, 2) + "% of NAV " + to_string(nav_now) +
                    " at most); open less or wait for LP deposits.");
}

// A5: the collateral an open posts. In the settlement asset ("" asset) it is e.collateral micro-USD; in
// tokens (rules 4: a long of an asset-backed market may post that asset) it is valued at the asset's low
// price, floored: the size and the open fee are computed on that USD amount (the position then records
// what its tokens left after the fee are worth, see open()).
struct PostedCollateral {
  Usd usd;
  std::optional<std::size_t> asset;   // the pool asset of tokens, none for the settlement asset
  int64_t units = 0;                  // its token units
};
Result<PostedCollateral> posted_collateral(const State& state, const PositionOpened& e, const std::string& reserve_asset) {
  if (e.collateral_asset.empty()) return PostedCollateral{e.collateral, std::nullopt, 0};
  const std::string& sym = e.collateral_asset;
  if (state.rules < 4 || !state.assets) {
    return input_error("collateral in " + sym + " needs a multi-asset pool under rules version 4; post USD collateral "
                       "instead (leave out --collateral-asset).");
  }
  const auto& pool = *state.assets;
  NX_TRY(i, asset_index(pool, sym));
  const std::string& settlement = pool.configs[pool.settlement].symbol;
  if (i == pool.settlement) {
    return input_error(sym + " is the settlement asset: post it as USD collateral (leave out --collateral-asset).");
  }
  if (e.side != Side::long_ || sym != reserve_asset) {
    return input_error(e.side == Side::long_
                           ? "a long of " + e.market + " may post " +
                                 (reserve_asset.empty() ? settlement : reserve_asset + " or " + settlement) +
                                 " as collateral, not " + sym + " (leave out --collateral-asset)."
                           : "a short posts " + settlement + " as collateral, not " + sym + " (leave out --collateral-asset).");
  }
  // the market's config may allow less than the rule (markets[].collateral)
  const MarketConfig* mc = state.config.market(e.market);
  if (mc != nullptr && !mc->collateral.empty() &&
      std::find(mc->collateral.begin(), mc->collateral.end(), sym) == mc->collateral.end()) {
    return input_error("the " + e.market + " market's config does not allow collateral in " + sym +
                       " (markets." + e.market + ".collateral); post USD collateral (leave out --collateral-asset).");
  }
  const AssetConfig& a = pool.configs[i];
  const auto units = parse_decimal(e.collateral_tokens, static_cast<int>(a.decimals), Sign::positive, "the collateral");
  if (!units) {
    return input_error("the collateral " + e.collateral_tokens + " is not a positive number of " + sym +
                       " with at most " + std::to_string(a.decimals) + " decimals.");
  }
  NX_TRY(usd, assets::value_floor(*units, pool.prices[i].low, a.decimals));
  if (!usd.is_positive()) {
    return input_error("the collateral " + assets::format_tokens(a, *units) + " is worth 0 at the " + sym +
                       " low price; add collateral.");
  }
  return PostedCollateral{usd, i, *units};
}

}  // namespace

Result<std::vector<Posting>> open(State& state, const Event& ev, const PositionOpened& e, Outcome* out) {
  const MarketConfig* mc = state.config.market(e.market);
  if (mc == nullptr) return input_error("unknown market '" + e.market + "'.");
  NX_TRY_STATUS(check_name(e.trader, "the trader"));
  if (e.collateral_asset.empty() && !e.collateral.is_positive()) {
    return input_error("the collateral must be greater than zero.");
  }
  NX_TRY(price, fresh_price(state, e.market, ev.at));
  const std::string reserve_asset = reserve_asset_for(state, e.market, e.side);
  NX_TRY(posted, posted_collateral(state, e, reserve_asset));
  const Usd collateral = posted.usd;
  const Bps fee_bps = state.config.fees.open_fee_bps;
  Usd size = e.size;
  if (e.leverage.hundredths > 0) {
    NX_TRY(s, size_for_leverage(collateral, e.leverage, fee_bps));
    size = s;
  }
  if (!size.is_positive()) {
    return input_error(e.leverage.hundredths > 0
                           ? "the position size (the collateral after the open fee, times the leverage) rounds to 0; "
                             "add collateral or ask for more leverage."
                           : "the position size must be greater than zero.");
  }
  NX_TRY(fee, open_fee(size, fee_bps));
  if (fee >= collateral) {
    return input_error("the collateral " + to_string(collateral) + " does not cover the open fee " + to_string(fee) +
                       "; add collateral.");
  }
  NX_TRY(after_fee_usd, collateral - fee);
  Usd after_fee = after_fee_usd;
  TokenFee fee_quote;       // A5: the open fee in the collateral's tokens
  int128 held_added = 0;   // A8: what the open adds to the pool's holdings of the market's asset (10^-18 token)
  if (posted.asset) {
    const auto& pool = *state.assets;
    const AssetConfig& a = pool.configs[*posted.asset];
    NX_TRY(q, quote_token_fee(state, *posted.asset, fee, pool.books[*posted.asset]));
    fee_quote = q;
    if (q.units >= posted.units) {
      return input_error("the collateral " + assets::format_tokens(a, posted.units) + " does not cover the open fee " +
                         to_string(fee) + " (" + assets::format_tokens(a, q.units) + " at the low price); add collateral.");
    }
    // the position records what its tokens are worth after the fee's (rounded up) at the low price, floored:
    // the NAV's A6 term starts at 0, and a coarse token unit's rounding is the trader's cost, not fee income
    NX_TRY(kept, assets::value_floor(posted.units - q.units, pool.prices[*posted.asset].low, a.decimals));
    after_fee = kept;
    if (!after_fee.is_positive()) {
      return input_error("the collateral " + assets::format_tokens(a, posted.units) + " does not cover the open fee " +
                         to_string(fee) + "; add collateral.");
    }
    // at a leverage of 1x or more what a close owes never exceeds the position's tokens and reserve
    if (size < after_fee) {
      return rule_error("a position on collateral in tokens needs a size of at least its collateral (" +
                        to_string(after_fee) + " after the open fee, size " + to_string(size) +
                        "): open more or post less.");
    }
    // the collateral and the fee's LP part; the fund's and the treasury's parts are not the LPs'
    held_added = int128(posted.units - q.parts.insurance - q.parts.treasury) *
                 pow10(exposure::k_token_decimals - a.decimals);
  }
  // leverage after the fee = size / (collateral − fee) ≤ max_leverage (compared without division)
  NX_TRY(above_max, leverage_exceeds(size, after_fee, mc->max_leverage));
  if (above_max) {
    NX_TRY(lev, leverage_ceil(size, after_fee));
    return rule_error("the leverage after the open fee would be " + format_decimal(lev.hundredths, 2) + "x (size " +
                      to_string(size) + " on " + to_string(after_fee) + " of collateral after a fee of " + to_string(fee) +
                      "), above the " + e.market + " maximum of " + format_decimal(mc->max_leverage.hundredths, 2) +
                      (e.leverage.hundredths > 0 ? std::string("x; ask for less leverage.")
                                                 : std::string("x; add collateral or open less.")));
  }
  // ceil: the reserve, the pool's cover of the profit, rounds in the pool's favour
  NX_TRY(reserve_usd, size.mul_bps_ceil(mc->max_profit_bps, "reserve"));
  NX_TRY(reserve, reserve_asset.empty() ? Result<Usd>(reserve_usd) : token_reserve_ceil(state, reserve_asset, size, *mc, price));
  NX_TRY(reserved_now, reserves_usd(state));
  NX_TRY(reserve_value, reserve_asset.empty() ? Result<Usd>(reserve)
                                                : reserve_value_ceil(*state.assets, asset_of(state, reserve_asset),
                                                                     reserve.units()));
  NX_TRY(reserved_after, reserved_now + reserve_value);
  if (state.rules >= 4 && state.assets) {
    // A4: per asset, reserved_A after the open ≤ floor(owned_A × max_utilization_bps / 10^4)
    NX_TRY_STATUS(check_asset_utilization(state, reserve_asset, reserve));
  } else {
    NX_TRY(usd_after, state.vault.reserved + reserve);
    NX_TRY_STATUS(check_nav_utilization(state, reserve, usd_after));
  }
  if (state.config.tranches.max_senior_at_risk_bps.value > 0) {
    NX_TRY(values, tranche::values(state));
    // with a market's net exposure capped, what a full move against the pool's net position would
    // cost, after this open (DESIGN-risk §12)
    NX_TRY(exposed, exposure::counted(state, e.market, e.side, position_quantity(e.side, size, price), held_added));
    NX_TRY_STATUS(tranche::check_senior_at_risk(state, reserved_after, values, exposed));
  }
  if (reserve_asset.empty()) {
    NX_TRY(usd_after, state.vault.reserved + reserve);
    NX_TRY_STATUS(check_settlement_reserve(state, usd_after));
  }
  std::vector<Posting> postings;
  if (!posted.asset) {
    NX_TRY(paid_in, -e.collateral);
    postings = {{trader_account(e.trader), paid_in}, {position_account(ev.seq), after_fee}};
  }
  Position p;
  p.id = ev.seq;
  p.trader = e.trader;
  p.market = e.market;
  p.side = e.side;
  p.size = size;
  p.collateral = after_fee;
  p.entry = price;
  p.reserve = reserve;
  p.reserve_asset = reserve_asset;
  if (posted.asset) {
    p.collateral_asset = e.collateral_asset;
    p.collateral_tokens = posted.units - fee_quote.units;
  }
  p.borrow_index_open = borrow_index_of(state, reserve_asset);
  p.opened_at = ev.at;
  // its keys are computed here too, so that a position out of their range is refused before anything changes
  NX_TRY(keys, position_keys(state.config, p));
  // the market's cap on the pool's net exposure (nexadex-assets(7), NET EXPOSURE), when it has one
  NX_TRY_STATUS(exposure::check_open(state, *mc, e.side, keys.quantity, held_added));
  // A position liquidatable at its own entry would let its keeper fee exceed what backs it: the
  // shortfall would be bad debt of the pool, so it is refused (a keeper fee farm otherwise).
  NX_TRY(at_entry, margin(state, p, price));
  if (at_entry.liquidatable()) {
    return rule_error("the position would be liquidatable at once: its equity " + to_string(at_entry.equity) +
                      " (collateral " + to_string(after_fee) + " after the open fee, less a close fee of " +
                      to_string(at_entry.close_fee) + ") is below its maintenance margin " +
                      to_string(at_entry.threshold) +
                      // with --leverage the size grows with the collateral: only less leverage helps
                      (e.leverage.hundredths > 0 ? "; ask for less leverage." : "; add collateral."));
  }
  // What the open did, before anything changes (its liquidation price depends on the borrow index only).
  if (out != nullptr) {
    NX_TRY(lev, leverage_ceil(size, after_fee));
    NX_TRY(liq, liquidation_price(state, p));
    *out = OpenOutcome{p.id, p.trader, p.market, p.side, size, p.collateral, fee, price, lev.hundredths, reserve_value, liq};
  }
  if (!posted.asset) {
    // The fee is split on the state as it is before this position adds to open interest.
    NX_TRY(parts, split_fee(state, fee));
    NX_TRY_STATUS(book_fee(state, "open", fee, Usd(0), parts, postings));
  } else {
    // A5: the tokens enter the pool: the fee's, split in them (the insurance and treasury parts to the
    // fund's and the treasury's tokens, the LPs' to owned_C), and the rest as the position's collateral
    auto& pool = *state.assets;
    const std::size_t c = *posted.asset;
    const std::string& sym = pool.configs[c].symbol;
    AssetBook book = pool.books[c];
    const Usd before = book.book;
    // (every sum checked before the first change)
    NX_TRY(held, checked_add(book.held, posted.units, "held tokens"));
    NX_TRY(owned, checked_add(book.owned, fee_quote.parts.lp, "owned tokens"));
    NX_TRY(in_collateral, checked_add(book.collateral, p.collateral_tokens, "collateral tokens"));
    NX_TRY(recorded, book.collateral_usd + p.collateral);
    NX_TRY_STATUS(book_token_fee(state, "open", c, fee, fee_quote, book, postings));
    book.held = held;
    book.owned = owned;
    book.collateral = in_collateral;
    book.collateral_usd = recorded;
    NX_TRY_STATUS(assets::set_books(pool, c, book));
    state.store.dirty_assets = true;
    NX_TRY(gained, pool.books[c].book - before);
    postings.push_back({assets::token_account(trader_account(p.trader), sym), Usd(-posted.units)});
    postings.push_back({assets::token_account(position_account(p.id), sym), Usd(p.collateral_tokens)});
    if (fee_quote.parts.lp != 0) postings.push_back({assets::token_account("pool", sym), Usd(fee_quote.parts.lp)});
    NX_TRY(inventory, -gained);
    postings.push_back({assets::inventory_account(sym), inventory});
    // the LPs' part is fee income at its low price; ΔB_C − that ≥ 0 (B's floor) is their gain
    NX_TRY_STATUS(tranche::credit_gain(state, fee_quote.income, postings, tranche::Channel::fee));
    NX_TRY(dust, gained - fee_quote.income);
    NX_TRY_STATUS(tranche::credit_gain(state, dust, postings));
  }
  NX_TRY_STATUS(move_reserve(state, p, p.reserve, +1));
  NX_TRY_STATUS(add_to(e.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short, size,
                       "open interest"));
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::opened, size, price, p.collateral, Usd(0), fee, Usd(0), Usd(0),
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
  NX_TRY(pnl, pnl_floor(p.side, size, p.entry, price));
  NX_TRY(due_total, borrow_due(p, borrow_index_of(state, p.reserve_asset)));
  // SPEC §10: the closed part takes floor(collateral × closed / size) and owes
  // ceil(borrow_fee × closed / size); the rest stays with the position.
  NX_TRY(coll_part, whole ? Result<Usd>(p.collateral)
                          : p.collateral.mul_div_floor(size.units(), p.size.units(), "collateral"));
  NX_TRY(due_part, whole ? Result<Usd>(due_total)
                         : due_total.mul_div_ceil(size.units(), p.size.units(), "borrow fee"));
  // floor: the closed part's cap on profit rounds against the trader
  NX_TRY(reserve_part, whole ? Result<Usd>(p.reserve)
                             : p.reserve.mul_div_floor(size.units(), p.size.units(), "reserve"));
  // ceil: the fee rounds against the trader
  NX_TRY(close_fee, size.mul_bps_ceil(state.config.fees.close_fee_bps, "close fee"));
  // A3: the profit is capped at what the closed part reserves, at its asset's low price for tokens
  Position part = p;
  part.reserve = reserve_part;
  NX_TRY(cap, profit_cap(state.config, part, price));
  const Usd profit = Usd(static_cast<int64_t>(std::min<int128>(std::max(pnl, Usd()).units(), cap)));
  NX_TRY(loss, -std::min(pnl, Usd()));
  // on 128 bits: a loss far beyond the collateral is refused below, not an overflow
  NX_TRY(payout_wide, WideUsd(coll_part) + WideUsd(profit) - WideUsd(loss) - WideUsd(close_fee) - WideUsd(due_part));
  if (payout_wide.is_negative()) {
    NX_TRY(cost, WideUsd(loss) + WideUsd(close_fee) + WideUsd(due_part));
    return rule_error("closing " + to_string(size) + " of position " + std::to_string(p.id) + " would cost " +
                      to_string(cost) + " (loss " + to_string(loss) + ", close fee " + to_string(close_fee) +
                      ", borrow fee " + to_string(due_part) + ") against " + to_string(coll_part) +
                      " of collateral; liquidate it instead.");
  }
  NX_TRY(payout, narrow(payout_wide, "payout"));
  NX_TRY(coll_out, -coll_part);
  NX_TRY(realized, profit - loss);
  NX_TRY(pool_result, loss - profit);
  NX_TRY(size_left, p.size - size);
  std::vector<Posting> postings;
  TokenPayment tokens;
  Usd paid_settlement = payout;
  std::string paid_asset = p.reserve_asset;
  int64_t coll_tokens_part = 0;
  if (!p.collateral_asset.empty()) {
    // A5, collateral in tokens: the closed part's tokens pass to the pool, the fees taken from them in
    // tokens; the trader's amount is paid in the collateral's asset at its high price, floored, at most
    // those tokens and the part's reserve when it is held in the same asset, and never what the other
    // positions reserve
    NX_TRY(tc, whole ? Result<int64_t>(p.collateral_tokens)
                     : mul_div_floor(p.collateral_tokens, size.units(), p.size.units(), "collateral tokens"));
    coll_tokens_part = tc;
    NX_TRY(in, collateral_to_pool(state, p, tc, coll_part, {{"close", close_fee}, {"borrow", due_part}}, postings));
    const std::size_t c = asset_of(state, p.collateral_asset);
    const auto& pool = *state.assets;
    const bool reserved_here = p.reserve_asset == p.collateral_asset;
    NX_TRY(owed_units, assets::tokens_floor(payout, pool.prices[c].high, pool.configs[c].decimals));
    const int64_t cover = tc + (reserved_here ? reserve_part.units() : 0);
    tokens.units = std::min({owed_units, cover, unreserved_tokens(pool.books[c], p, reserve_part)});
    NX_TRY(book_out, pay_tokens(state, c, trader_account(p.trader), tokens.units, postings));
    tokens.book_out = book_out;
    // the LPs: the fees' LP parts as fee income, and the book value gained less that and the book value
    // paid as their result
    NX_TRY_STATUS(tranche::credit_gain(state, in.income, postings, tranche::Channel::fee));
    NX_TRY(r1, in.gained - in.income);
    NX_TRY(r2, r1 - book_out);
    pool_result = r2;
    paid_settlement = Usd(0);
    paid_asset = p.collateral_asset;
  } else {
    postings = {{position_account(p.id), coll_out}, {trader_account(p.trader), Usd(0)}};
    // A5, collateral in the settlement asset: a long with a reserve in tokens is paid its collateral less
    // the fees in the settlement asset, and the rest of its amount (its profit) in the reserve's asset at
    // its high price, floored; the pool's result is then the book value of the tokens that left.
    NX_TRY(t, pay_in_tokens(state, p, reserve_part, coll_part, close_fee, due_part, payout, postings));
    tokens = t;
    if (tokens.units > 0) {
      paid_settlement = tokens.settlement;
      pool_result = tokens.pool_result;
    }
    postings[1].amount = paid_settlement;
    NX_TRY(close_parts, split_fee(state, close_fee));
    NX_TRY(borrow_parts, split_fee(state, due_part, close_parts.insurance));
    NX_TRY_STATUS(book_fee(state, "close", close_fee, Usd(0), close_parts, postings));
    NX_TRY_STATUS(book_fee(state, "borrow", due_part, Usd(0), borrow_parts, postings));
  }
  NX_TRY(rec, book_lp_result(state, ev, pool_result, LossKind::trader_pnl, p.market, postings));
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::closed, size, price, coll_part, realized, Usd(0),
                             close_fee, due_part, Usd(0), payout});
  if (out != nullptr) {
    *out = CloseOutcome{p.id, p.trader, size, size_left, price, realized, coll_part,
                        due_part, close_fee, payout, pool_result,
                        layers_of(rec), rec ? rec->junior_cancelled : Shares(0), paid_settlement,
                        tokens.units > 0 ? paid_asset : std::string(),
                        tokens.units > 0 ? assets::format_tokens(state.assets->configs[asset_of(state, paid_asset)],
                                                                 tokens.units)
                                         : std::string()};
  }
  if (whole) {
    p.collateral = Usd(0);
    p.collateral_tokens = 0;
    NX_TRY_STATUS(end_position(state, p, PositionStatus::closed, ev.seq));
  } else {
    Usd& oi = p.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short;
    NX_TRY_STATUS(sub_from(oi, size, "open interest"));
    NX_TRY_STATUS(move_reserve(state, p, reserve_part, -1));
    p.size = size_left;
    NX_TRY_STATUS(sub_from(p.collateral, coll_part, "collateral"));
    p.collateral_tokens -= coll_tokens_part;
    NX_TRY_STATUS(sub_from(p.reserve, reserve_part, "reserve"));
    NX_TRY(carried, due_total - due_part);
    p.borrow_carried = carried;
    p.borrow_index_open = borrow_index_of(state, p.reserve_asset);
  }
  (void)store_position(state, pp, std::move(p));  // cannot fail: its size and entry are positive
  mark(state);
  return postings;
}

}  // namespace nexadex::vault
