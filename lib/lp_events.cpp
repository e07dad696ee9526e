// lib/lp_events.cpp: deposits and withdrawals: shares minted and burned at the tranche's price.
#include "lib/lp_events.hpp"

#include "lib/transitions.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/locks.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"
#include "lib/transition.hpp"

namespace nexadex::vault {

using namespace detail;

namespace {

// The refusal of a withdrawal of `amount` beyond what is free (f.limit), naming what binds: the
// capital backing open positions (SPEC §10), or the tranche's realized capital (what it holds in cash).
std::unexpected<Error> refused_beyond_free(const State& state, const std::string& lp, TrancheId id, Usd amount,
                                           const tranche::FreeCapital& f) {
  const Usd shown = f.free();
  const std::string asked = lp + " asked for " + to_string(amount) + " but ";
  if (f.by_reserves()) {
    if (shown.is_zero()) {
      return rule_error(asked + "nothing is free: all of NAV " + to_string(f.nav) +
                        " backs open positions; wait for positions to close.");
    }
    return rule_error(asked + to_string(shown) + " is free (" + to_string(f.backing) +
                      " backs open positions); withdraw at most " + to_string(shown) + ".");
  }
  // the tranche's cash binds: its NAV counts gains the pool has not received yet
  const std::string owner = nav_owner(state, id);
  if (shown.is_zero()) {
    return rule_error(asked + "nothing is free: " + owner + " realized capital is " + to_string(f.capital) +
                      " (its NAV " + to_string(f.value) + " counts unrealized gains); wait for positions to close.");
  }
  return rule_error(asked + to_string(shown) + " is free: " + owner + " realized capital (its NAV " +
                    to_string(f.value) + " counts unrealized gains); withdraw at most " + to_string(shown) + ".");
}

}  // namespace

Result<DepositPlan> detail::plan_deposit(const State& state, const Event& ev, const DepositTerms& d, Usd value_extra) {
  NX_TRY_STATUS(check_name(d.lp, "the LP"));
  if (!d.amount.is_positive()) return input_error("the deposit amount must be greater than zero.");
  NX_TRY(id, tranche_of(state, d.lp, d.tranche, LpEvent::deposit));
  const bool lots = state.config.locks.enabled;
  if (!lots && (d.lock.seconds > 0 || !d.compound)) {
    return input_error(std::string(d.lock.seconds > 0 ? "--lock" : "--no-compound") +
                       " needs a pool with lots, and this pool's config has no [locks]; apply a config with [locks] "
                       "first (nexadex.toml(5)).");
  }
  if (d.lock.seconds < 0 || d.lock.seconds > locks::k_max_lock.seconds) {
    return input_error("a lock of " + format_duration(d.lock) + " is longer than the longest allowed (" +
                       format_duration(locks::k_max_lock) + ").");
  }
  NX_TRY_STATUS(require_fresh(state, ev.at, "a deposit"));
  NX_TRY(values, tranche::values(state));
  const Tranche& t = state.vault.tranche(id);
  const Usd value = id == TrancheId::junior ? values.junior : values.senior;
  if (!value.is_positive() && t.supply.is_positive()) {
    return rule_error(nav_owner(state, id) + " NAV is " + to_string(value) + ", so its share price is not defined; "
                      "deposits are refused until it is positive.");
  }
  NX_TRY_STATUS(tranche::check_deposit(state, id, d.amount, values));
  NX_TRY(priced_at, add(value, value_extra));
  // A NAV of a few micro-units under a large supply: the price is defined, but the shares minted, or
  // the supply with them, would not fit in 64 bits. With an extra (a multi-asset pool's mint, priced
  // at most at `priced_at` and at least at `value`), the most shares it can mint (at `value`) is
  // checked, so that the mint that follows cannot fail.
  auto minted = shares_minted(d.amount, t.supply, priced_at);
  auto most = value_extra.is_zero() ? minted : shares_minted(d.amount, t.supply, value);
  auto supply = minted && most ? add(t.supply, *most) : Result<Shares>(std::unexpected(Error{ErrorKind::input, ""}));
  if (!supply) {
    // at the first share price (none yet, or the NAV at par) it would not fit either: the amount is
    // too large, whatever the NAV
    const auto at_par = shares_minted(d.amount, Shares(0), Usd(0));
    if (!at_par || !add(t.supply, *at_par)) {
      return input_error("a deposit of " + to_string(d.amount) + " would mint more shares than the books can count " +
                         "(64-bit share units); deposit less.");
    }
    return rule_error(nav_owner(state, id) + " NAV is " + to_string(value) + " for " + to_string(t.supply) +
                      " shares, so a deposit of " + to_string(d.amount) +
                      " would take the shares past what the books can count; deposits are refused until the NAV recovers.");
  }
  if (!minted->is_positive()) {
    return input_error("a deposit of " + to_string(d.amount) + " mints no share unit at the current share price; "
                       "deposit more.");
  }
  return DepositPlan{id, value, priced_at, *minted};
}

Status detail::book_deposit(State& state, const Event& ev, const DepositTerms& d, const DepositPlan& plan, Outcome* out) {
  Tranche& t = state.vault.tranche(plan.id);
  NX_TRY(price_used, share_price_usd_floor(plan.priced_at, t.supply));
  NX_TRY(capital, add(t.capital, d.amount));
  NX_TRY(supply, add(t.supply, plan.shares));
  if (t.since.seconds == 0) t.since = ev.at;
  t.supply = supply;
  t.capital = capital;
  const LpKey key{d.lp, plan.id};
  const bool lots = state.config.locks.enabled;
  int64_t lot = 0;
  if (lots) {
    NX_TRY(made, locks::add_lot(state, d.lp, plan.id, d.amount, plan.shares, ev.at, d.lock, d.compound));
    lot = made;
  } else {
    NX_TRY_STATUS(add_to(state.lps[key].shares, plan.shares, "an LP's shares"));
  }
  LpHolding& h = state.lps[key];
  NX_TRY_STATUS(add_to(h.deposited, d.amount, "deposits"));
  state.store.dirty_lps.insert(key);
  mark(state);
  if (out != nullptr) {
    NX_TRY(after, tranche::values(state));
    DepositOutcome o{d.lp, plan.id, d.amount, plan.shares, price_used.units(), plan.value,
                     plan.id == TrancheId::junior ? after.junior : after.senior, 0, Timestamp{}, Bps{10'000},
                     std::nullopt};
    if (lots) {
      const Lot& l = state.lots.all.at(lot);
      o.lot = lot;
      o.lock_until = l.lock_until;
      o.boost = l.lock_boost;
    }
    *out = o;
  }
  return {};
}

Result<std::vector<Posting>> deposit(State& state, const Event& ev, const LpDeposited& e, Outcome* out) {
  const DepositTerms d{e.lp, e.tranche, e.amount, e.lock, e.compound};
  NX_TRY(plan, plan_deposit(state, ev, d, Usd()));
  NX_TRY_STATUS(book_deposit(state, ev, d, plan, out));
  NX_TRY(paid_in, -e.amount);
  return std::vector<Posting>{{tranche::account(plan.id), e.amount}, {depositor(e.lp), paid_in}};
}

Result<WithdrawalPlan> detail::plan_withdrawal(const State& state, const Event& ev, const WithdrawalTerms& e) {
  NX_TRY(id, tranche_of(state, e.lp, e.tranche, LpEvent::withdrawal));
  const LpKey key{e.lp, id};
  const auto it = state.lps.find(key);
  if (it == state.lps.end() || !it->second.shares.is_positive()) {
    if (state.config.tranches.enabled) {
      return input_error("unknown LP '" + e.lp + "' in the " + std::string(tranche_name(id)) +
                         " tranche: it holds no shares of it; 'report lps' lists the LPs.");
    }
    return input_error("unknown LP '" + e.lp + "': it holds no shares; 'report lps' lists the LPs.");
  }
  NX_TRY_STATUS(require_fresh(state, ev.at, "a withdrawal"));
  NX_TRY(values, tranche::values(state));
  const Usd value = id == TrancheId::junior ? values.junior : values.senior;
  if (!value.is_positive()) {
    return rule_error(nav_owner(state, id) + " NAV is " + to_string(value) + "; withdrawals are refused until it is "
                      "positive.");
  }
  const Tranche& t = state.vault.tranche(id);
  const Shares supply = t.supply;
  // With [locks] only the unlocked lots can be taken (with the compounding income due to them).
  const bool lots = state.config.locks.enabled;
  locks::Withdrawable w;
  if (lots) {
    NX_TRY(ww, locks::withdrawable(state, key));
    w = std::move(ww);
  }
  LpHolding h = it->second;
  if (lots) h.shares = w.shares;
  NX_TRY(holding_value, amount_paid(h.shares, supply, value));
  // "... but holds N shares worth X" / "... only N shares worth X are unlocked; lot 3 unlocks at ..."
  const auto refused = [&](const std::string& asked) {
    if (!lots || w.locked.empty()) {
      return rule_error(asked + " but holds " + to_string(h.shares) + " shares worth " + to_string(holding_value) +
                        "; withdraw at most that.");
    }
    return rule_error(asked + " but only " + to_string(h.shares) + " shares worth " + to_string(holding_value) +
                      " are unlocked: " + locks::unlock_times(w) + "; withdraw at most that, or wait.");
  };
  Shares burn;
  Usd amount;
  switch (e.by) {
    case WithdrawBy::amount: {
      if (!e.amount.is_positive()) return input_error("the withdrawal amount must be greater than zero.");
      // shares past 64 bits (a large amount at a near-zero price) are more than any holding too
      const auto s = shares_burned(e.amount, supply, value);
      if (!s || *s > h.shares) return refused(e.lp + " asked for " + to_string(e.amount));
      burn = *s;
      amount = e.amount;
      break;
    }
    case WithdrawBy::shares: {
      if (!e.shares.is_positive()) return input_error("the number of shares must be greater than zero.");
      if (e.shares > h.shares) {
        if (lots && !w.locked.empty()) return refused(e.lp + " asked to redeem " + to_string(e.shares) + " shares");
        return rule_error(e.lp + " asked to redeem " + to_string(e.shares) + " shares but holds " +
                          to_string(h.shares) + "; redeem at most that.");
      }
      burn = e.shares;
      NX_TRY(a, amount_paid(burn, supply, value));
      amount = a;
      break;
    }
    case WithdrawBy::all: {
      if (lots && h.shares.is_zero()) {
        return rule_error(e.lp + " has no unlocked lot in the " + std::string(tranche_name(id)) + " tranche: " +
                          locks::unlock_times(w) + "; wait until then.");
      }
      burn = h.shares;
      amount = holding_value;
      break;
    }
  }
  NX_TRY(f, tranche::free_capital(state, id));
  if (amount > f.limit) return refused_beyond_free(state, e.lp, id, amount, f);
  NX_TRY_STATUS(tranche::check_withdrawal(state, id, amount, values));
  NX_TRY(price_used, share_price_usd_floor(value, supply));
  return WithdrawalPlan{id, burn, amount, price_used.units()};
}

Status detail::book_withdrawal(State& state, const Event& ev, const std::string& lp, const WithdrawalPlan& plan, Outcome* out) {
  const LpKey key{lp, plan.id};
  Tranche& t = state.vault.tranche(plan.id);
  const bool lots = state.config.locks.enabled;
  if (lots) NX_TRY_STATUS(locks::take_shares(state, key, plan.burn, plan.amount, ev.at));
  LpHolding& hw = state.lps[key];
  if (!lots) NX_TRY_STATUS(sub_from(hw.shares, plan.burn, "an LP's shares"));
  NX_TRY_STATUS(add_to(hw.withdrawn, plan.amount, "withdrawals"));
  NX_TRY_STATUS(sub_from(t.supply, plan.burn, "a tranche's shares"));
  NX_TRY_STATUS(sub_from(t.capital, plan.amount, "a tranche's capital"));
  state.store.dirty_lps.insert(key);
  mark(state);
  if (out != nullptr) *out = WithdrawOutcome{lp, plan.id, plan.amount, plan.burn, plan.share_price, hw.shares, std::nullopt};
  return {};
}

Result<std::vector<Posting>> withdraw(State& state, const Event& ev, const LpWithdrew& e, Outcome* out) {
  NX_TRY(plan, plan_withdrawal(state, ev, WithdrawalTerms{e.lp, e.tranche, e.by, e.amount, e.shares}));
  NX_TRY_STATUS(book_withdrawal(state, ev, e.lp, plan, out));
  NX_TRY(paid_out, -plan.amount);
  return std::vector<Posting>{{tranche::account(plan.id), paid_out}, {depositor(e.lp), plan.amount}};
}

}  // namespace nexadex::vault
