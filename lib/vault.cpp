// lib/vault.cpp: LP shares, positions, fees, borrow index, liquidations and insurance cover.
#include "lib/vault.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <boost/multiprecision/cpp_int.hpp>

#include "lib/tranche.hpp"

namespace nexadex::vault {

std::string depositor_account(const std::string& lp) { return "depositor:" + lp; }
std::string position_account(int64_t id) { return "position:" + std::to_string(id); }

namespace {

std::string usd_text(int64_t units) { return format_decimal(units, Usd::k_decimals); }

std::string depositor(const std::string& lp) { return depositor_account(lp); }
std::string trader_account(const std::string& t) { return "trader:" + t; }

// Every market with open positions needs a fresh price for a NAV-dependent command (SPEC §10).
Status require_fresh(const State& state, Timestamp at, const char* what) {
  for (const auto& [book, b] : state.books) {
    const std::string& sym = book.market;
    const auto it = state.markets.find(sym);
    if (it == state.markets.end() || !state.is_fresh(it->second, at)) {
      const int64_t age = it == state.markets.end() ? 0 : at.seconds - it->second.price_at.seconds;
      return rule_error(std::string(what) + " values the pool, but the " + sym + " price is " +
                        format_age(Duration{age}) + " old (max " + format_age(state.config.pool.max_price_age) +
                        "); record a fresh price first (price set, or --price).");
    }
  }
  return {};
}

Result<Price> fresh_price(const State& state, const std::string& market, Timestamp at) {
  const auto it = state.markets.find(market);
  if (it == state.markets.end() || !it->second.priced()) {
    return rule_error("the " + market + " market has never been priced; record a price first (price set " + market +
                      " PRICE, or --price).");
  }
  if (!state.is_fresh(it->second, at)) {
    return rule_error("the " + market + " price is " + format_age(Duration{at.seconds - it->second.price_at.seconds}) +
                      " old (max " + format_age(state.config.pool.max_price_age) +
                      "); record a fresh price first (price set, or --price).");
  }
  return it->second.price;
}

void add_to(Usd& total, Usd amount) { total = Usd(total.units() + amount.units()); }

// Books a fee's parts on the vault and its postings.
void book_fee(State& state, const std::string& kind, Usd charged, Usd forgone, const FeeParts& parts,
              std::vector<Posting>& postings) {
  FeeTotals& t = state.vault.fees[kind];
  add_to(t.charged, charged);
  add_to(t.forgone, forgone);
  add_to(t.to_lps, parts.lp);
  add_to(t.to_insurance, parts.insurance);
  add_to(t.to_treasury, parts.treasury);
  add_to(state.vault.insurance, parts.insurance);
  add_to(state.vault.treasury, parts.treasury);
  tranche::credit_gain(state, parts.lp.units(), postings);
  if (parts.insurance.units()) postings.push_back({"insurance", parts.insurance});
  if (parts.treasury.units()) postings.push_back({"treasury", parts.treasury});
}

// Moves a realized LP result to the tranches: a gain (the pool's share of a trader's loss) through the
// income waterfall, a loss of `kind` through its cascade (DESIGN-risk §2, §3).
// Returns the loss's record, or nullptr for a gain.
Result<const LossRecord*> book_lp_result(State& state, const Event& ev, int64_t delta, LossKind kind,
                                         const std::string& market, std::vector<Posting>& postings) {
  if (delta > 0) tranche::credit_gain(state, delta, postings);
  if (delta >= 0) return nullptr;
  return tranche::absorb_loss(state, kind, -delta, market, ev, postings);
}

std::vector<LayerPart> layers_of(const LossRecord* rec) {
  std::vector<LayerPart> out;
  if (rec == nullptr) return out;
  for (const auto& leg : rec->legs) out.push_back({leg.layer, leg.amount});
  return out;
}

// A tranche's share price in micro-USD: floor((NAV + 1) × 10^9 / (supply + V)), as reports show it.
Result<int64_t> share_price(int64_t nav, Shares supply) {
  return div_floor((static_cast<int128>(std::max<int64_t>(nav, 0)) + 1) * Shares::k_scale,
                   static_cast<int128>(supply.units()) + k_virtual_shares, "share price");
}


void mark(State& state) { state.dirty_vault = true; }

// Records a step of a position's life (a what-if copy keeps none: it is dropped unread).
void add_leg(State& state, PositionLeg leg) {
  if (!state.what_if) state.legs.push_back(std::move(leg));
}

// Names become posting accounts (depositor:NAME, trader:NAME, ...): 1 to 64 of A-Z a-z 0-9 _ . -
Status check_name(const std::string& name, const char* what) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                c == '-');
  }
  if (ok) return {};
  return input_error(std::string(what) + " name '" + name + "' must be 1 to 64 of the characters A-Z a-z 0-9 _ . -");
}

// The tranche an LP event names: "" is the senior for a deposit and, for a withdrawal, the one
// tranche the LP holds; the junior exists only with [tranches].
Result<TrancheId> tranche_of(const State& state, const std::string& lp, const std::string& name, bool withdrawal) {
  if (name.empty()) {
    if (!withdrawal) return TrancheId::senior;
    const auto s = state.lps.find(LpKey{lp, TrancheId::senior});
    const auto j = state.lps.find(LpKey{lp, TrancheId::junior});
    const bool in_s = s != state.lps.end() && s->second.shares.is_positive();
    const bool in_j = j != state.lps.end() && j->second.shares.is_positive();
    if (in_s && in_j) {
      return input_error(lp + " holds shares of both tranches; say which with --tranche senior or --tranche junior.");
    }
    return in_j ? TrancheId::junior : TrancheId::senior;
  }
  const auto id = tranche::parse(name);
  if (!id) return input_error("unknown tranche '" + name + "'; use senior or junior.");
  if (*id == TrancheId::junior && !state.config.tranches.enabled) {
    return input_error("this pool has no junior tranche (its config has no [tranches]); deposit without --tranche, "
                       "or apply a config with [tranches].");
  }
  return *id;
}

std::string nav_owner(const State& state, TrancheId id) {
  return state.config.tranches.enabled ? "the " + std::string(tranche_name(id)) + " tranche's" : "the vault's";
}

Result<std::vector<Posting>> deposit(State& state, const Event& ev, const LpDeposited& e, Outcome* out) {
  if (auto ok = check_name(e.lp, "the LP"); !ok) return std::unexpected(ok.error());
  if (!e.amount.is_positive()) return input_error("the deposit amount must be greater than zero.");
  NX_TRY(id, tranche_of(state, e.lp, e.tranche, false));
  if (auto ok = require_fresh(state, ev.at, "a deposit"); !ok) return std::unexpected(ok.error());
  NX_TRY(values, tranche::values(state));
  Tranche& t = state.vault.tranche(id);
  const int64_t value = id == TrancheId::junior ? values.junior : values.senior;
  if (value <= 0 && t.supply.is_positive()) {
    return rule_error(nav_owner(state, id) + " NAV is " + usd_text(value) + ", so its share price is not defined; "
                      "deposits are refused until it is positive.");
  }
  if (auto ok = tranche::check_deposit(state, id, e.amount.units(), values); !ok) return std::unexpected(ok.error());
  // A NAV of a few micro-units under a large supply: the price is defined, but the shares minted, or
  // the supply with them, would not fit in 64 bits.
  auto minted = shares_minted(e.amount, t.supply, value);
  auto supply = minted ? add(t.supply, *minted) : Result<Shares>(std::unexpected(minted.error()));
  if (!supply) {
    return rule_error(nav_owner(state, id) + " NAV is " + usd_text(value) + " for " + to_string(t.supply) +
                      " shares, so a deposit of " + to_string(e.amount) +
                      " would take the shares past what the books can count; deposits are refused until the NAV recovers.");
  }
  const Shares shares = *minted;
  if (!shares.is_positive()) {
    return input_error("a deposit of " + to_string(e.amount) + " mints no share unit at the current share price; "
                       "deposit more.");
  }
  NX_TRY(price_used, share_price(value, t.supply));
  NX_TRY(capital, add(t.capital, e.amount));
  if (t.since.seconds == 0) t.since = ev.at;
  t.supply = *supply;
  t.capital = capital;
  const LpKey key{e.lp, id};
  LpHolding& h = state.lps[key];
  h.shares = Shares(h.shares.units() + shares.units());
  add_to(h.deposited, e.amount);
  state.dirty_lps.insert(key);
  mark(state);
  if (out != nullptr) {
    NX_TRY(after, tranche::values(state));
    *out = DepositOutcome{e.lp, id, e.amount, shares, price_used, value,
                          id == TrancheId::junior ? after.junior : after.senior};
  }
  return std::vector<Posting>{{tranche::account(id), e.amount}, {depositor(e.lp), Usd(-e.amount.units())}};
}

Result<std::vector<Posting>> withdraw(State& state, const Event& ev, const LpWithdrew& e, Outcome* out) {
  NX_TRY(id, tranche_of(state, e.lp, e.tranche, true));
  const LpKey key{e.lp, id};
  const auto it = state.lps.find(key);
  if (it == state.lps.end() || !it->second.shares.is_positive()) {
    if (state.config.tranches.enabled) {
      return input_error("unknown LP '" + e.lp + "' in the " + std::string(tranche_name(id)) +
                         " tranche: it holds no shares of it; 'report lps' lists the LPs.");
    }
    return input_error("unknown LP '" + e.lp + "': it holds no shares; 'report lps' lists the LPs.");
  }
  if (auto ok = require_fresh(state, ev.at, "a withdrawal"); !ok) return std::unexpected(ok.error());
  NX_TRY(values, tranche::values(state));
  const int64_t value = id == TrancheId::junior ? values.junior : values.senior;
  if (value <= 0) {
    return rule_error(nav_owner(state, id) + " NAV is " + usd_text(value) + "; withdrawals are refused until it is "
                      "positive.");
  }
  const LpHolding& h = it->second;
  Tranche& t = state.vault.tranche(id);
  const Shares supply = t.supply;
  NX_TRY(holding_value, amount_paid(h.shares, supply, value));
  Shares burn;
  Usd amount;
  switch (e.by) {
    case WithdrawBy::amount: {
      if (!e.amount.is_positive()) return input_error("the withdrawal amount must be greater than zero.");
      // shares past 64 bits (a large amount at a near-zero price) are more than any holding too
      const auto s = shares_burned(e.amount, supply, value);
      if (!s || *s > h.shares) {
        return rule_error(e.lp + " asked for " + to_string(e.amount) + " but holds " + to_string(h.shares) +
                          " shares worth " + to_string(holding_value) + "; withdraw at most that.");
      }
      burn = *s;
      amount = e.amount;
      break;
    }
    case WithdrawBy::shares: {
      if (!e.shares.is_positive()) return input_error("the number of shares must be greater than zero.");
      if (e.shares > h.shares) {
        return rule_error(e.lp + " asked to redeem " + to_string(e.shares) + " shares but holds " +
                          to_string(h.shares) + "; redeem at most that.");
      }
      burn = e.shares;
      NX_TRY(a, amount_paid(burn, supply, value));
      amount = a;
      break;
    }
    case WithdrawBy::all: {
      burn = h.shares;
      amount = holding_value;
      break;
    }
  }
  NX_TRY(total_nav, nav(state));
  NX_TRY(free, free_capital(state, total_nav));
  const int64_t free_cash = std::min(free, t.capital.units());
  if (amount.units() > free_cash) {
    const int64_t shown = std::max<int64_t>(free_cash, 0);
    if (shown == 0) {
      return rule_error(e.lp + " asked for " + to_string(amount) + " but nothing is free: all of NAV " +
                        usd_text(total_nav) + " backs open positions; wait for positions to close.");
    }
    return rule_error(e.lp + " asked for " + to_string(amount) + " but " + usd_text(shown) + " is free (" +
                      usd_text(std::max<int64_t>(total_nav - shown, 0)) + " backs open positions); withdraw at most " +
                      usd_text(shown) + ".");
  }
  if (auto ok = tranche::check_withdrawal(state, id, amount.units(), values); !ok) return std::unexpected(ok.error());
  NX_TRY(price_used, share_price(value, supply));
  LpHolding& hw = state.lps[key];
  hw.shares = Shares(hw.shares.units() - burn.units());
  add_to(hw.withdrawn, amount);
  t.supply = Shares(t.supply.units() - burn.units());
  t.capital = Usd(t.capital.units() - amount.units());
  state.dirty_lps.insert(key);
  mark(state);
  if (out != nullptr) *out = WithdrawOutcome{e.lp, id, amount, burn, price_used, hw.shares};
  return std::vector<Posting>{{tranche::account(id), Usd(-amount.units())}, {depositor(e.lp), amount}};
}

Result<std::vector<Posting>> insure(State& state, const InsuranceDeposited& e, Outcome* out) {
  if (auto ok = check_name(e.from, "the funder"); !ok) return std::unexpected(ok.error());
  if (!e.amount.is_positive()) return input_error("the insurance deposit must be greater than zero.");
  NX_TRY(balance, add(state.vault.insurance, e.amount));
  state.vault.insurance = balance;
  mark(state);
  if (out != nullptr) *out = InsuranceOutcome{e.amount, e.from, balance};
  return std::vector<Posting>{{"insurance", e.amount}, {"funder:" + e.from, Usd(-e.amount.units())}};
}

Status check_reason(const std::string& reason) {
  bool ok = !reason.empty() && reason.size() <= 200;
  for (const char ch : reason) ok = ok && static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f;
  if (!ok) return input_error("the reason must be 1 to 200 characters without control characters.");
  return {};
}

Result<std::vector<Posting>> apply_loss(State& state, const Event& ev, const LossApplied& e, Outcome* out) {
  if (!e.amount.is_positive()) return input_error("the loss must be greater than zero.");
  if (auto ok = check_reason(e.reason); !ok) return std::unexpected(ok.error());
  std::vector<Posting> postings;
  NX_TRY(rec, tranche::absorb_loss(state, LossKind::external, e.amount.units(), "", ev, postings));
  if (out != nullptr) *out = LossOutcome{e.amount, layers_of(rec), rec->junior_cancelled};
  // the loss left the pool: its counterpart is the world outside it
  postings.push_back({"loss:external", e.amount});
  mark(state);
  return postings;
}

// Acknowledges every unabsorbed loss outstanding: exactly that amount, so that an operator who saw X
// does not acknowledge a loss that arrived since. No money moves; the memo stays in the books.
Result<std::vector<Posting>> acknowledge(State& state, const LossAcknowledged& e, Outcome* out) {
  if (auto ok = check_reason(e.reason); !ok) return std::unexpected(ok.error());
  const Usd outstanding = state.vault.unacknowledged();
  if (!outstanding.is_positive()) {
    return rule_error("there are no unacknowledged unabsorbed losses (" + to_string(state.vault.unabsorbed) +
                      " unabsorbed, all of it acknowledged); nothing to acknowledge.");
  }
  if (e.amount != outstanding) {
    return rule_error("the unacknowledged unabsorbed losses are " + to_string(outstanding) + ", not " +
                      to_string(e.amount) + "; check 'report insurance' and acknowledge that amount.");
  }
  state.vault.acknowledged = state.vault.unabsorbed;
  mark(state);
  if (out != nullptr) *out = AcknowledgeOutcome{e.amount, state.vault.unabsorbed};
  return std::vector<Posting>{};
}

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
  NX_TRY(value, nav(state));
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
    if (auto ok = tranche::check_senior_at_risk(state, static_cast<int64_t>(reserved_after), values); !ok) {
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
  book_fee(state, "open", fee, Usd(0), parts, postings);
  add_to(state.vault.reserved, p.reserve);
  add_to(e.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short, size);
  add_leg(state, PositionLeg{p.id, ev.seq, ev.at, LegKind::opened, size, price, p.collateral, 0, fee, Usd(0), Usd(0),
                             Usd(0), Usd(0)});
  (void)store_position(state, nullptr, std::move(p));  // cannot fail: its keys were computed above
  mark(state);
  return postings;
}

Result<Position*> open_position(State& state, int64_t id) {
  NX_TRY(p, find_position(state, id));
  if (p == nullptr) {
    return input_error("unknown position " + std::to_string(id) + "; 'report positions' lists them.");
  }
  if (p->status != PositionStatus::open) {
    return rule_error("position " + std::to_string(id) + " was already " +
                      (p->status == PositionStatus::closed ? "closed" : "liquidated") + " at seq " +
                      std::to_string(p->ended_seq) + ".");
  }
  return p;
}

void end_position(State& state, Position& p, PositionStatus status, int64_t seq) {
  Usd& oi = p.side == Side::long_ ? state.vault.open_interest_long : state.vault.open_interest_short;
  oi = Usd(oi.units() - p.size.units());
  state.vault.reserved = Usd(state.vault.reserved.units() - p.reserve.units());
  p.status = status;
  p.ended_seq = seq;
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
  NX_TRY(pnl_part, pnl(p.side, size, p.entry, price));
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
  book_fee(state, "close", Usd(close_fee), Usd(0), close_parts, postings);
  book_fee(state, "borrow", Usd(due_part), Usd(0), borrow_parts, postings);
  // cannot fail: the loss is the trader's profit, within the pool's books
  const auto rec = book_lp_result(state, ev, loss - profit, LossKind::trader_pnl, p.market, postings);
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
  book_fee(state, "close", m.close_fee, Usd(m.close_fee.units() - close_paid), close_parts, postings);
  book_fee(state, "borrow", m.borrow_fee, Usd(m.borrow_fee.units() - borrow_paid), borrow_parts, postings);
  FeeTotals& liq = state.vault.fees["liquidation"];
  add_to(liq.charged, Usd(keeper_fee));
  // the pool's share of the trader's loss and the remainder are a gain; the shortfall is bad debt
  tranche::credit_gain(state, claim - borrow_paid + rest, postings);
  const LossRecord* rec = nullptr;
  if (shortfall > 0) {
    NX_TRY(r, tranche::absorb_loss(state, LossKind::bad_debt, shortfall, p.market, ev, postings));
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

}  // namespace

Result<int64_t> pnl(Side side, Usd size, Price entry, Price price) {
  const int128 diff = side == Side::long_ ? static_cast<int128>(price.units()) - entry.units()
                                          : static_cast<int128>(entry.units()) - price.units();
  const int128 n = static_cast<int128>(size.units()) * diff;
  // floor: a profit rounds down (paid by the pool), a loss rounds up in size (owed to it)
  return div_floor(n, entry.units(), "PnL");
}

Result<Usd> borrow_due(const Position& p, int128 index_now) {
  const int128 growth = index_now - p.borrow_index_open;
  // ceil: the borrow fee rounds against the trader
  const int128 n = static_cast<int128>(p.size.units()) * growth;
  if (growth != 0 && n / growth != p.size.units()) return input_error("arithmetic overflow in the borrow fee.");
  NX_TRY(due, div_ceil(n, k_index_scale, "borrow fee"));
  NX_TRY(total, checked_add(due, p.borrow_carried.units(), "borrow fee"));
  return Usd(total);
}

namespace {

// Rules 2: the exact sum of the positions' clamped values, floored (nexadex-journal(5), VALUATION).
//
// A book none of whose positions is clamped and whose positions share one entry e (the usual book
// right after opens at one price) is worth exactly Σ size × (e − price) / e (a long's; a short's the
// opposite): its whole micro-units and the first 36 decimals of its fraction are added, and 1 unit of
// 10^-36 micro-USD to the error bound when the fraction goes on. Any other book adds its value at K'
// (at most its exact value, short of it by under price units per unclamped position) and those units
// to the bound. When the floor of the total is the same at both ends of the bound it is the answer;
// else the exact value lies within the bound of a whole micro-unit (within 10^-14 micro-USD for any
// book that fits the journal: in practice, values that add up to whole micro-units), and the total is
// summed exactly as rationals: a one-entry book from its aggregates, the others from their positions,
// O(their positions), grouped by entry price.
Result<int64_t> unrealized_exact(const State& state) {
  struct Part {
    const BookKey* key;
    const Book* book;
    Price price;
    std::optional<int64_t> entry;   // one shared entry, no position clamped
  };
  std::vector<Part> parts;
  FineValue total;
  int128 bound = 0;   // units of 10^-36 micro-USD
  for (const auto& [key, book] : state.books) {
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) {
      return journal_error("the " + key.market + " market has open positions but no price.");
    }
    const Price price = it->second.price;
    NX_TRY(candidates, clamp_candidates(state, key, price));
    FineValue corrections;
    int64_t clamped = 0;
    for (const Position* p : candidates) {
      NX_TRY(c, fine_clamp_correction(*p, price));
      if (c.x == 0 && c.y == 0) continue;
      ++clamped;
      corrections.add(c.x, c.y);
    }
    Part part{&key, &book, price, clamped == 0 ? book_uniform_entry(book) : std::nullopt};
    int128 num = 0;   // one entry: Σ size × (e − P) for a long, × (P − e) for a short
    if (part.entry) {
      const int128 diff = key.side == Side::long_ ? static_cast<int128>(*part.entry) - price.units()
                                                  : static_cast<int128>(price.units()) - *part.entry;
      const int128 limit = std::numeric_limits<int128>::max() / (diff < 0 ? -diff : std::max<int128>(diff, 1));
      if (book.size > limit) part.entry.reset();   // too large for 128 bits: valued as any book
      else num = book.size * diff;
    }
    if (part.entry) {
      const int128 e = *part.entry;
      const int128 whole = num / e - (num % e < 0 ? 1 : 0);
      const int128 r = num - whole * e;                       // in [0, e)
      const int128 first = r * k_limb / e;                    // the fraction's first 18 decimals (r < e < 2^63)
      const int128 second = (r * k_limb - first * e) * k_limb / e;
      const bool more = ((r * k_limb - first * e) * k_limb) % e != 0;
      total.add(whole * k_quantity_scale + first, second);
      if (more) bound += 1;
    } else {
      NX_TRY(v, book_fine_value(key, book, price));
      v.add(corrections.x, corrections.y);
      total.add(v.x, v.y);
      bound += static_cast<int128>(price.units()) * (book.open - clamped);
    }
    parts.push_back(part);
  }
  FineValue top = total;
  top.add(0, bound > 0 ? bound - 1 : 0);
  if (top.floor_micro() == total.floor_micro()) return total.floor_micro();
  // The rare case: the exact sum, as a rational in micro-USD.
  using boost::multiprecision::cpp_int;
  using boost::multiprecision::cpp_rational;
  cpp_rational exact(0);
  for (const Part& part : parts) {
    const int64_t P = part.price.units();
    const bool is_long = part.key->side == Side::long_;
    std::map<int64_t, cpp_int> by_entry;   // Σ size of the unclamped positions, by entry price
    if (part.entry) {
      by_entry[*part.entry] = cpp_int(part.book->size);
    } else {
      NX_TRY(positions, book_positions(state, *part.key));
      for (const Position* p : positions) {
        NX_TRY(c, fine_clamp_correction(*p, part.price));
        if (c.x == 0 && c.y == 0) {
          by_entry[p->entry.units()] += p->size.units();
          continue;
        }
        // clamped: the value is its bound exactly
        NX_TRY(pnl_now, pnl(p->side, p->size, p->entry, part.price));
        exact += pnl_now >= 0 ? cpp_rational(-p->reserve.units()) : cpp_rational(p->collateral.units());
      }
    }
    for (const auto& [entry, size] : by_entry) {
      const cpp_int diff = is_long ? cpp_int(entry) - P : cpp_int(P) - entry;
      exact += cpp_rational(size * diff, cpp_int(entry));
    }
  }
  const cpp_int n = numerator(exact), d = denominator(exact);
  const cpp_int whole = n / d - (n < 0 && n % d != 0 ? 1 : 0);
  if (whole > std::numeric_limits<int64_t>::max() || whole < std::numeric_limits<int64_t>::min()) {
    return input_error("arithmetic overflow in the pool's valuation.");
  }
  return static_cast<int64_t>(whole);
}

}  // namespace

Result<int64_t> unrealized(const State& state) {
  if (state.rules >= 2) return unrealized_exact(state);
  // Rules 1 (DESIGN-risk §4): U = Σ [min(trader loss, collateral) − min(trader profit, reserve)], in
  // units of 10^-18 micro-USD from the books' aggregates, floored once for the whole pool.
  int128 total = 0;
  for (const auto& [key, book] : state.books) {
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) {
      return journal_error("the " + key.market + " market has open positions but no price.");
    }
    const Price price = it->second.price;
    NX_TRY(v, book_linear_value(key, book, price));
    NX_TRY(candidates, clamp_candidates(state, key, price));
    for (const Position* p : candidates) {
      NX_TRY(c, clamp_correction(*p, price));
      v += c;
    }
    total += v;
  }
  return div_floor(total, k_quantity_scale, "NAV");
}

Result<int64_t> nav(const State& state) {
  NX_TRY(u, unrealized(state));
  return checked_add(state.vault.lp_capital().units(), u, "NAV");
}

int64_t utilization_bps(int64_t reserved, int64_t nav) {
  if (reserved <= 0) return 0;
  if (nav <= 0) return k_bps_scale;
  auto u = mul_div_ceil(reserved, k_bps_scale, nav, "utilization");
  return u ? std::min<int64_t>(*u, k_bps_scale) : k_bps_scale;
}

Result<int64_t> free_capital(const State& state, int64_t nav) {
  NX_TRY(backing, mul_div_ceil(state.vault.reserved.units(), k_bps_scale,
                               state.config.pool.max_utilization_bps.value, "reserved capital"));
  return nav - backing;
}

Result<Usd> open_fee(Usd size, Bps open_fee_bps) {
  NX_TRY(fee, mul_div_ceil(size.units(), open_fee_bps.value, k_bps_scale, "open fee"));
  return Usd(fee);
}

Result<Usd> size_for_leverage(Usd collateral, Leverage leverage, Bps open_fee_bps) {
  // S ≤ L × (C − fee(S)), L = hundredths / 100: start at floor(C × L × 10^4 / (10^4 + L × fee_bps))
  const int128 l = leverage.hundredths;
  const int128 num = static_cast<int128>(collateral.units()) * l * k_bps_scale;
  const int128 den = 100 * k_bps_scale + l * open_fee_bps.value;
  NX_TRY(start, div_floor(num, den, "size"));
  int64_t s = start;
  for (int guard = 0; s > 0 && guard < 1000; ++guard, --s) {
    NX_TRY(fee, open_fee(Usd(s), open_fee_bps));
    if (static_cast<int128>(s) * 100 <= l * (collateral.units() - fee.units())) return Usd(s);
  }
  return Usd(std::max<int64_t>(s, 0));
}

Result<Shares> shares_minted(Usd amount, Shares supply, int64_t nav) {
  // floor: shares minted round against the depositor (DESIGN-risk §9)
  NX_TRY(s, div_floor(static_cast<int128>(amount.units()) * (static_cast<int128>(supply.units()) + k_virtual_shares),
                      static_cast<int128>(std::max<int64_t>(nav, 0)) + 1, "shares"));
  return Shares(s);
}

Result<Shares> shares_burned(Usd amount, Shares supply, int64_t nav) {
  // ceil: shares burned round against the withdrawer
  NX_TRY(s, div_ceil(static_cast<int128>(amount.units()) * (static_cast<int128>(supply.units()) + k_virtual_shares),
                     static_cast<int128>(std::max<int64_t>(nav, 0)) + 1, "shares"));
  return Shares(s);
}

Result<Usd> amount_paid(Shares shares, Shares supply, int64_t nav) {
  // floor: what the pool pays rounds down
  NX_TRY(a, div_floor(static_cast<int128>(shares.units()) * (static_cast<int128>(std::max<int64_t>(nav, 0)) + 1),
                      static_cast<int128>(supply.units()) + k_virtual_shares, "amount"));
  return Usd(a);
}

std::optional<Usd> insurance_target(const State& state) {
  const auto& ins = state.config.insurance;
  if (ins.target_min.is_zero() && ins.target_bps_of_oi.value == 0) return std::nullopt;
  const int128 oi = static_cast<int128>(state.vault.open_interest_long.units()) + state.vault.open_interest_short.units();
  const int128 by_oi = oi * ins.target_bps_of_oi.value / k_bps_scale;  // floor: a smaller target
  return Usd(static_cast<int64_t>(std::max<int128>(by_oi, ins.target_min.units())));
}

Result<FeeParts> split_fee(const State& state, Usd fee, Usd taken) {
  const auto& split = state.config.fees.split;
  // floor each: the dust goes to the LPs (DESIGN-risk §9)
  NX_TRY(ins, mul_div_floor(fee.units(), split.insurance_bps.value, k_bps_scale, "fee split"));
  NX_TRY(tre, mul_div_floor(fee.units(), split.treasury_bps.value, k_bps_scale, "fee split"));
  int64_t take = ins;
  if (const auto target = insurance_target(state)) {
    take = std::min<int64_t>(ins, std::max<int64_t>(0, target->units() - state.vault.insurance.units() - taken.units()));
  }
  return FeeParts{Usd(fee.units() - take - tre), Usd(take), Usd(tre)};
}

Result<Usd> insurance_cover(const State& state, const std::string& market, int64_t day, Usd loss) {
  const auto& ins = state.config.insurance;
  NX_TRY(by_rate, mul_div_floor(loss.units(), ins.cover_rate_bps.value, k_bps_scale, "insurance cover"));
  int64_t cover = std::min(loss.units(), by_rate);
  if (ins.max_cover_per_event.is_positive()) cover = std::min(cover, ins.max_cover_per_event.units());
  if (ins.max_cover_per_market_per_day_bps.value > 0 && !market.empty()) {
    // bps of the fund's balance before the market's first draw of the UTC day
    const auto it = state.vault.cover_today.find(market);
    const bool same_day = it != state.vault.cover_today.end() && it->second.day == day;
    int64_t cap = 0;
    if (same_day) {
      cap = it->second.cap.units() - it->second.used.units();
    } else {
      NX_TRY(c, mul_div_floor(state.vault.insurance.units(), ins.max_cover_per_market_per_day_bps.value, k_bps_scale,
                              "insurance cover"));
      cap = c;
    }
    cover = std::min(cover, std::max<int64_t>(cap, 0));
  }
  cover = std::min(cover, std::max<int64_t>(state.vault.insurance.units() - ins.floor_balance.units(), 0));
  return Usd(std::max<int64_t>(cover, 0));
}

Result<Margin> margin(const State& state, const Position& p, Price price) {
  return margin_under(state.config, state.vault.borrow_index, p, price);
}

Result<Margin> margin_under(const Config& config, int128 borrow_index, const Position& p, Price price) {
  const MarketConfig* mc = config.market(p.market);
  const int64_t mm_bps = mc ? mc->maintenance_margin_bps.value : k_bps_scale;
  Margin m;
  NX_TRY(v, pnl(p.side, p.size, p.entry, price));
  NX_TRY(due, borrow_due(p, borrow_index));
  NX_TRY(cf, mul_div_ceil(p.size.units(), config.fees.close_fee_bps.value, k_bps_scale, "close fee"));
  // ceil: the maintenance threshold rounds against the trader (SPEC §10)
  NX_TRY(mm, mul_div_ceil(p.size.units(), mm_bps, k_bps_scale, "maintenance margin"));
  m.pnl = v;
  m.borrow_fee = due;
  m.close_fee = Usd(cf);
  m.equity = p.collateral.units() + std::min(v, p.reserve.units()) - cf - due.units();
  m.threshold = std::max(mm, config.fees.liquidation_fee.units());
  return m;
}

Result<Price> liquidation_price(const State& state, const Position& p) {
  // equity(price) = collateral + size × (±(price − entry)) / entry − fees; solve equity = threshold
  // for the loss side (ignoring the reserve cap, which only bounds profits).
  NX_TRY(m, margin(state, p, p.entry));
  const int64_t room = p.collateral.units() - m.close_fee.units() - m.borrow_fee.units() - m.threshold;
  if (room < 0) return p.entry;  // liquidatable at the entry price already
  // loss that uses up the room: size × |Δ| / entry = room → |Δ| = room × entry / size
  NX_TRY(delta, mul_div_floor(room, p.entry.units(), p.size.units(), "liquidation price"));
  const int64_t lp = p.side == Side::long_ ? p.entry.units() - delta : p.entry.units() + delta;
  return Price(std::max<int64_t>(lp, 0));
}

Result<std::vector<int64_t>> liquidatable(const State& state, const std::string& market) {
  std::vector<int64_t> ids;
  for (const auto& [key, book] : state.books) {
    if (!market.empty() && key.market != market) continue;
    const auto it = state.markets.find(key.market);
    if (it == state.markets.end() || !it->second.priced()) continue;
    NX_TRY(candidates, liquidation_candidates(state, key, it->second.price));
    for (const Position* p : candidates) {
      NX_TRY(m, margin(state, *p, it->second.price));
      if (m.liquidatable()) ids.push_back(p->id);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Status accrue(State& state, Timestamp at) {
  Vault& v = state.vault;
  if (v.index_at.seconds == 0 || at <= v.index_at) {
    if (v.index_at.seconds == 0) {
      v.index_at = at;
      mark(state);
    }
    return {};
  }
  const int64_t dt = at.seconds - v.index_at.seconds;
  // the senior's target yield accrues over the same interval, on its realized NAV (SPEC §10)
  if (auto ok = tranche::accrue_target(state, dt); !ok) return ok;
  const auto& fees = state.config.fees;
  // the utilization in the rate is in bps rounded up (SPEC §10)
  NX_TRY(slope_part, mul_div_ceil(fees.borrow_slope_apr_bps.value, v.utilization_bps.value, k_bps_scale, "borrow rate"));
  const int128 rate = static_cast<int128>(fees.borrow_base_apr_bps.value) + slope_part;
  // floor: the index grows by whole units (what the trader owes is rounded up at the position)
  const int128 growth = rate * dt * k_index_scale / (static_cast<int128>(k_bps_scale) * k_seconds_per_year);
  v.borrow_index += growth;
  v.index_at = at;
  mark(state);
  return {};
}

Status update_utilization(State& state) {
  auto value = nav(state);
  if (!value) return {};  // an overflowing NAV keeps the previous utilization
  const int64_t u = utilization_bps(state.vault.reserved.units(), *value);
  if (u != state.vault.utilization_bps.value) {
    state.vault.utilization_bps = Bps{u};
    mark(state);
  }
  return {};
}

// SPEC §7 conservation: what came in less what went out (deposits, collateral, insurance funding,
// withdrawals, trader payouts, keeper fees) equals what the pool holds (LP capital, open collateral,
// insurance, treasury) less the unabsorbed losses, to the micro-unit; and the books of the vault
// equal the balances of their accounts.
std::vector<std::pair<int64_t, std::string>> conservation_problems(const State& s) {
  std::vector<std::pair<int64_t, std::string>> out;
  if (auto ok = load_all_positions(s); !ok) {
    out.push_back({0, "the positions cannot be read: " + ok.error().message});
    return out;
  }
  if (auto ok = load_all_accounts(s); !ok) {
    out.push_back({0, "the accounts cannot be read: " + ok.error().message});
    return out;
  }
  if (auto books = recompute_books(s); !books) {
    out.push_back({0, "the books cannot be recomputed: " + books.error().message});
  } else if (*books != s.books) {
    out.push_back({0, "the books' aggregates (Σ size, Σ quantity, buckets) differ from "
                      "those of the open positions"});
  }
  int128 external = 0;
  for (const auto& [name, balance] : s.accounts) {
    for (const char* prefix : {"depositor:", "trader:", "funder:", "keeper:", "loss:"}) {
      if (name.rfind(prefix, 0) == 0) external += balance;
    }
  }
  int128 open_collateral = 0;
  for (const Position* pp : positions_by_id(s)) {
    const Position& p = *pp;
    const int64_t id = p.id;
    if (p.status == PositionStatus::open) open_collateral += p.collateral.units();
    const auto it = s.accounts.find(position_account(id));
    const int64_t posted = it == s.accounts.end() ? 0 : it->second;
    const int64_t held = p.status == PositionStatus::open ? p.collateral.units() : 0;
    if (posted != held) {
      out.push_back({id, "position " + std::to_string(id) + " holds " + to_string(Usd(held)) +
                                             " of collateral but its account holds " + to_string(Usd(posted))});
    }
  }
  const auto balance = [&](const char* name) {
    const auto it = s.accounts.find(name);
    return it == s.accounts.end() ? int64_t{0} : it->second;
  };
  const struct {
    const char* account;
    int64_t books;
  } pairs[] = {{"lp:senior", s.vault.senior().capital.units()},
               {"lp:junior", s.vault.junior().capital.units()},
               {"insurance", s.vault.insurance.units()},
               {"treasury", s.vault.treasury.units()},
               {"unabsorbed", -s.vault.unabsorbed.units()}};
  for (const auto& p : pairs) {
    if (balance(p.account) != p.books) {
      out.push_back({0, std::string("the vault's books hold ") + to_string(Usd(p.books)) + " for " +
                                            p.account + " but its postings sum to " + to_string(Usd(balance(p.account)))});
    }
  }
  const int128 held = static_cast<int128>(s.vault.lp_capital().units()) + open_collateral + s.vault.insurance.units() +
                      s.vault.treasury.units() - s.vault.unabsorbed.units();
  if (held != -external) {
    out.push_back({0, "money in less money out is " + to_string(Usd(static_cast<int64_t>(-external))) +
                                          " but the pool holds " + to_string(Usd(static_cast<int64_t>(held)))});
  }
  return out;
}

Result<std::vector<Posting>> apply_vault(State& state, const Event& ev, Outcome* out) {
  if (const auto* e = std::get_if<LpDeposited>(&ev.body)) return deposit(state, ev, *e, out);
  if (const auto* e = std::get_if<LpWithdrew>(&ev.body)) return withdraw(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionOpened>(&ev.body)) return open(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionClosed>(&ev.body)) return close(state, ev, *e, out);
  if (const auto* e = std::get_if<PositionLiquidated>(&ev.body)) return liquidate(state, ev, *e, out);
  if (const auto* e = std::get_if<InsuranceDeposited>(&ev.body)) return insure(state, *e, out);
  if (const auto* e = std::get_if<LossApplied>(&ev.body)) return apply_loss(state, ev, *e, out);
  if (const auto* e = std::get_if<LossAcknowledged>(&ev.body)) return acknowledge(state, *e, out);
  if (const auto* e = std::get_if<TrancheReset>(&ev.body)) {
    const TrancheId id = tranche::parse(e->tranche).value_or(TrancheId::senior);
    int64_t holders = 0;
    for (const auto& [key, h] : state.lps) holders += key.tranche == id && h.shares.is_positive() ? 1 : 0;
    NX_TRY(postings, tranche::reset(state, *e));
    if (out != nullptr) *out = ResetOutcome{id, e->shares, holders};
    return postings;
  }
  return std::vector<Posting>{};
}

}  // namespace nexadex::vault
