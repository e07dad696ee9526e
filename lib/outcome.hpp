// lib/outcome.hpp: a write command's report of what its events did in money (top layer: reports as
// data, drawn by cli/render).
#pragma once

#include <string>
#include <vector>

#include "lib/apply.hpp"
#include "lib/outcomes.hpp"
#include "lib/report.hpp"

namespace nexadex {

// An event a command appended, with what it did.
struct AppliedEvent {
  Event event;
  std::string hash;
  Outcome outcome;
};

// A write command's report: one section per kind of outcome, as a list (one row per event of that
// kind: `deposits`, `withdrawals`, `opens`, `closes`, `liquidations`, `prices`, `insurance_deposits`,
// `losses`, `acknowledgements`, `resets`), `liquidation_totals` and `layers` where they apply, then the
// `events` as `report events` lists them. The sections and their keys do not depend on the config,
// but for `asset_moves` (tokens, fee, weights), which only a multi-asset pool's deposits and
// withdrawals have.
// Errors: a derived figure (a total, a price change) beyond int64.
Result<Report> outcome_report(const std::string& name, const std::vector<AppliedEvent>& applied);

// The events a command appended, as `report events` lists them (the last section of a write's report).
Section applied_events_section(const std::vector<AppliedEvent>& applied);

}  // namespace nexadex
