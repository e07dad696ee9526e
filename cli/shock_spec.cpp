// cli/shock_spec.cpp: `cascade --shock` specifications.
#include "cli/shock_spec.hpp"

namespace nexadex::cli {

Result<Shock> parse_shock(const Config& config, const std::string& text) {
  const auto eq = text.find('=');
  const auto bad = [&](const std::string& why) {
    return input_error("--shock '" + text + "' " + why + "; write it as MARKET=-30% or MARKET=+10%.");
  };
  if (eq == std::string::npos || text.size() < eq + 3 || text.back() != '%') return bad("is not MARKET=±P%");
  Shock s{text.substr(0, eq), Bps{}};
  if (config.market(s.market) == nullptr) return bad("names no configured market");
  const char sign = text[eq + 1];
  if (sign != '+' && sign != '-') return bad("needs a sign (+ or -) before the percentage");
  auto pct = parse_decimal(text.substr(eq + 2, text.size() - eq - 3), 2, Sign::non_negative, "--shock");
  if (!pct) return bad("has no valid percentage (at most 2 decimals)");
  s.move = Bps{sign == '-' ? -*pct : *pct};
  if (s.move.value <= -k_bps_scale) return bad("would take the price to zero or below");
  return s;
}

Result<std::vector<Shock>> parse_shocks(const Config& config, const std::vector<std::string>& texts) {
  std::vector<Shock> shocks;
  for (const auto& text : texts) {
    NX_TRY(s, parse_shock(config, text));
    for (const auto& seen : shocks) {
      if (seen.market == s.market) return input_error("--shock names " + s.market + " twice; give each market once.");
    }
    shocks.push_back(s);
  }
  return shocks;
}

}  // namespace nexadex::cli
