// lib/fund_events.cpp: insurance deposits, external losses and acknowledgements of unabsorbed losses.
#include "lib/transitions.hpp"

#include <algorithm>

#include "lib/asset_events.hpp"
#include "lib/gains_losses.hpp"
#include "lib/transition.hpp"

namespace nexadex::vault {

using namespace detail;

Result<std::vector<Posting>> insure(State& state, const InsuranceDeposited& e, Outcome* out) {
  NX_TRY_STATUS(check_name(e.from, "the funder"));
  if (!e.amount.is_positive()) return input_error("the insurance deposit must be greater than zero.");
  NX_TRY(balance, add(state.vault.insurance, e.amount));
  state.vault.insurance = balance;
  mark(state);
  if (out != nullptr) *out = InsuranceOutcome{e.amount, e.from, balance};
  NX_TRY(paid_in, -e.amount);
  return std::vector<Posting>{{"insurance", e.amount}, {"funder:" + e.from, paid_in}};
}

Result<std::vector<Posting>> apply_loss(State& state, const Event& ev, const LossApplied& e, Outcome* out) {
  if (!e.amount.is_positive()) return input_error("the loss must be greater than zero.");
  NX_TRY_STATUS(check_reason(e.reason));
  // a multi-asset pool loses it in the settlement asset, which must have it beyond the reserves
  NX_TRY_STATUS(check_settlement_payment(state, e.amount, "an external loss"));
  std::vector<Posting> postings;
  NX_TRY(rec, tranche::absorb_loss(state, LossKind::external, e.amount, "", ev, postings));
  if (out != nullptr) *out = LossOutcome{e.amount, layers_of(rec), rec->junior_cancelled};
  // the loss left the pool: its counterpart is the world outside it
  postings.push_back({"loss:external", e.amount});
  mark(state);
  return postings;
}

// Acknowledges every unabsorbed loss outstanding: exactly that amount, so that an operator who saw X
// does not acknowledge a loss that arrived since. No money moves; the memo stays in the books.
Result<std::vector<Posting>> acknowledge(State& state, const LossAcknowledged& e, Outcome* out) {
  NX_TRY_STATUS(check_reason(e.reason));
  NX_TRY(outstanding, state.vault.unacknowledged());
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

}  // namespace nexadex::vault
