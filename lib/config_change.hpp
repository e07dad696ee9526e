// lib/config_change.hpp: what a new config would do to the pool as it stands (config apply, issue 12):
// the markets it drops under open positions, the positions it makes liquidatable or leaves above
// their market's new leverage cap, the utilization against the new cap, a junior tranche it strands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/report.hpp"
#include "lib/state.hpp"

namespace nexadex {

struct ConfigEffects {
  int64_t open_positions = 0;
  // Markets the new config drops while positions are open on them: (symbol, open positions).
  std::vector<std::pair<std::string, int64_t>> dropped_markets;
  // Open positions healthy under the config in force that the new one makes liquidatable at the
  // latest prices and the current borrow index, by id.
  std::vector<int64_t> made_liquidatable;
  // Open positions whose leverage (size / collateral) is above their market's new max_leverage (they
  // stay open; nothing closes them), by id.
  std::vector<int64_t> above_max_leverage;
  int64_t utilization_bps = 0;          // Σ reserves / NAV now, rounded up
  Bps max_utilization_before{0};
  Bps max_utilization_after{0};
  // The new cap is lower than the one in force and the utilization is above it.
  bool utilization_over = false;
  // The new config has no [tranches] while junior shares are outstanding (their holders could not
  // withdraw them).
  Shares junior_stranded{0};
  // The new config has no [locks] while the pool has lots (the rules refuse it: lib/apply.cpp).
  int64_t lots_stranded = 0;
};

// Weighs `next` against the state (reads every position: O(open positions), as the rekeying that a
// config_applied event does). Errors: an arithmetic overflow while valuing.
Result<ConfigEffects> config_effects(const State& state, const Config& next);

// Whether the caller said --force.
enum class Force { no, yes };

// The refusal config apply gives, if any (ErrorKind::rule): dropping a market with open positions or
// stranding junior shares always; making positions liquidatable, leaving them above a lower leverage
// cap or the pool above a lower utilization cap unless forced.
Status check_config_change(const ConfigEffects& effects, Force force);

// The effects as a report section (a record): open positions, markets dropped, positions made
// liquidatable and above the leverage cap (counts and ids), utilization against the caps.
Section config_effects_section(const ConfigEffects& effects);

}  // namespace nexadex
