// cli/shock_spec.hpp: `cascade --shock MARKET=±P%` specifications, read without I/O so that the
// command and the fuzz target (tests/fuzz/shock_spec_fuzz.cpp) read them the same way.
#pragma once

#include <string>
#include <vector>

#include "lib/config.hpp"
#include "lib/shock.hpp"

namespace nexadex::cli {

// "BTC=-30%", "ETH=+10.5%": a market `config` holds, a sign, a percentage with at most 2 decimals, a
// percent sign; the move in bps (−30% is Bps{-3'000}), always above −10,000. Errors (ErrorKind::input)
// quote the text: another form, an unconfigured market, no sign, a bad percentage, −100% or less.
Result<Shock> parse_shock(const Config& config, const std::string& text);

// Every specification in order; the same errors, and a market named twice.
Result<std::vector<Shock>> parse_shocks(const Config& config, const std::vector<std::string>& texts);

}  // namespace nexadex::cli
