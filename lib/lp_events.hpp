// lib/lp_events.hpp: a deposit and a withdrawal in two steps (transition layer): the plan, every
// check and nothing changed, then the booking. A deposit of USD (lib/lp_events.cpp) runs the two in a
// row; a multi-asset pool's (lib/asset_events.cpp) books its fee income and dust between them.
#pragma once

#include <string>

#include "lib/outcomes.hpp"
#include "lib/state.hpp"

namespace nexadex::vault::detail {

// What a deposit asks, in USD: `amount` is what is minted against (D on a multi-asset pool).
struct DepositTerms {
  std::string lp;
  std::string tranche;
  Usd amount;
  Duration lock{0};
  bool compound = true;
};
struct DepositPlan {
  TrancheId id = TrancheId::senior;
  Usd value;        // the tranche's NAV before (as today's deposit reports it)
  Usd priced_at;    // the NAV the shares are priced at: value + the extra asked for
  Shares shares;    // minted at priced_at
};
// Every refusal of a deposit; `value_extra` is added to the tranche's NAV to price the mint.
Result<DepositPlan> plan_deposit(const State& state, const Event& ev, const DepositTerms& d, Usd value_extra);
// Mints plan.shares for d.amount of capital (a lot with [locks]); no postings.
Status book_deposit(State& state, const Event& ev, const DepositTerms& d, const DepositPlan& plan, Outcome* out);

struct WithdrawalTerms {
  std::string lp;
  std::string tranche;
  WithdrawBy by = WithdrawBy::amount;
  Usd amount;
  Shares shares;
};
struct WithdrawalPlan {
  TrancheId id = TrancheId::senior;
  Shares burn;
  Usd amount;           // V_out: the value redeemed at the tranche's NAV
  int64_t share_price = 0;
};
// Every refusal of a withdrawal of today (holding, locks, free capital, subordination).
Result<WithdrawalPlan> plan_withdrawal(const State& state, const Event& ev, const WithdrawalTerms& e);
// Burns the shares and takes plan.amount out of the tranche's capital; no postings.
Status book_withdrawal(State& state, const Event& ev, const std::string& lp, const WithdrawalPlan& plan, Outcome* out);

}  // namespace nexadex::vault::detail
