// lib/apply.hpp: apply(), the top of the rules: one event applied to the state, refusals changing
// nothing; and the events the rules journal on their own after one.
#pragma once

#include <vector>

#include "lib/outcomes.hpp"
#include "lib/state.hpp"

namespace nexadex {

// Applies one event: checks every rule first and changes nothing when one fails (ErrorKind::rule for
// a refusal such as time going backwards, ErrorKind::input for an unknown market), else updates `state`
// and returns the event's balanced postings. With `outcome`, also fills what the event did in money
// (valuing the pool before a deposit or withdrawal costs one more valuation, which is why it is asked for).
//
// An error after the rules accepted the event is not a refusal but a failure of the storage: a read
// through the state's loader (ErrorKind::journal: the journal's tables cannot be read). The vault's
// books may then be changed; the caller must discard the state (a writer rolls its transaction back and
// reloads). The account balances are 128-bit (money.hpp WideUsd), so booking the postings cannot
// overflow; a balance beyond int64 is a journal error when the journal writes it.
Result<std::vector<Posting>> apply(State& state, const Event& event);
// A config this version can run: a valid one (validate(), ErrorKind::input). apply() checks it for
// journal_created and config_applied; `config apply --dry-run` asks it first. (The version before
// multi-asset pools also refused [[assets]] here.)
Status check_supported(const Config& config);
// Whether `config`, journaled at rules version `rules`, may replace the state's: the checks apply()
// makes of a config_applied before anything changes (a valid config; the assets keep their places,
// symbols, decimals and markets; no going back to older rules; every open position keyed under it; no
// dropping [locks] once lots exist). `config apply --dry-run` asks it too, so it refuses what the apply would.
Status check_config_applicable(const State& state, const Config& config, int64_t rules);
Result<std::vector<Posting>> apply(State& state, const Event& event, Outcome* outcome);

// The events the rules journal on their own after an event, in order (none almost always): a
// tranche_reset for each tranche the event left wiped (lib/cascade.hpp). Every writer appends them
// right after the event, in the same transaction, so one command or a batch of the same commands
// gives the same journal.
Result<std::vector<EventBody>> follow_up_events(const State& state);

}  // namespace nexadex
