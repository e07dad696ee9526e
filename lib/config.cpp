// lib/config.cpp: configuration rules that do not depend on the file format.
#include "lib/config.hpp"

#include <set>

namespace nexadex {

const MarketConfig* Config::market(std::string_view symbol) const {
  for (const auto& m : markets) {
    if (m.symbol == symbol) return &m;
  }
  return nullptr;
}

Status validate(const Config& config) {
  if (config.markets.empty()) {
    return input_error("the config has no [[markets]]; add at least one, e.g. [[markets]] symbol = \"BTC\".");
  }
  std::set<std::string> seen;
  for (const auto& m : config.markets) {
    if (!seen.insert(m.symbol).second) {
      return input_error("market " + m.symbol + " is configured twice; give each [[markets]] a distinct symbol.");
    }
  }
  const auto& s = config.fees.split;
  if (s.lp_bps.value + s.insurance_bps.value + s.treasury_bps.value != k_bps_scale) {
    return input_error("fees.split: lp_bps + insurance_bps + treasury_bps is " +
                       std::to_string(s.lp_bps.value + s.insurance_bps.value + s.treasury_bps.value) +
                       " but must be 10000.");
  }
  return {};
}

}  // namespace nexadex
