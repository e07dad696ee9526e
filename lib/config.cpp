// lib/config.cpp: configuration rules that do not depend on the file format.
#include "lib/config.hpp"

#include <limits>
#include <set>

namespace nexadex {

const MarketConfig* Config::market(std::string_view symbol) const {
  for (const auto& m : markets) {
    if (m.symbol == symbol) return &m;
  }
  return nullptr;
}

std::string market_symbols(const Config& config) {
  std::string out;
  for (const auto& m : config.markets) out += (out.empty() ? "" : ", ") + m.symbol;
  return out;
}

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::insurance: return "insurance";
    case Layer::junior: return "junior";
    case Layer::senior: return "senior";
  }
  return "?";
}

std::string_view loss_kind_name(LossKind kind) {
  switch (kind) {
    case LossKind::trader_pnl: return "trader_pnl";
    case LossKind::bad_debt: return "bad_debt";
    case LossKind::external: return "external";
  }
  return "?";
}

Status validate(const Config& config) {
  if (config.markets.empty()) {
    return input_error("the config has no [[markets]]; add at least one, e.g. [[markets]] symbol = \"BTC\".");
  }
  // The ranges of nexadex.toml(5), for a Config that did not come from the TOML reader.
  std::string bad;
  auto range = [&](const std::string& key, int64_t v, int64_t lo, int64_t hi) {
    if (bad.empty() && (v < lo || v > hi)) {
      bad = key + " is " + std::to_string(v) + " but must be " + std::to_string(lo) + " to " + std::to_string(hi) + ".";
    }
  };
  constexpr int64_t k_max = std::numeric_limits<int64_t>::max();
  range("pool.max_utilization_bps", config.pool.max_utilization_bps.value, 1, 10'000);
  range("pool.max_price_age (seconds)", config.pool.max_price_age.seconds, 1, k_max);
  range("fees.open_fee_bps", config.fees.open_fee_bps.value, 0, 1'000);
  range("fees.close_fee_bps", config.fees.close_fee_bps.value, 0, 1'000);
  range("fees.liquidation_fee (micro-USD)", config.fees.liquidation_fee.units(), 0, k_max);
  range("fees.borrow_base_apr_bps", config.fees.borrow_base_apr_bps.value, 0, 1'000'000);
  range("fees.borrow_slope_apr_bps", config.fees.borrow_slope_apr_bps.value, 0, 1'000'000);
  range("fees.split.lp_bps", config.fees.split.lp_bps.value, 0, 10'000);
  range("fees.split.insurance_bps", config.fees.split.insurance_bps.value, 0, 10'000);
  range("fees.split.treasury_bps", config.fees.split.treasury_bps.value, 0, 10'000);
  range("insurance.target_min (micro-USD)", config.insurance.target_min.units(), 0, k_max);
  range("insurance.target_bps_of_oi", config.insurance.target_bps_of_oi.value, 0, 1'000'000);
  range("insurance.cover_rate_bps", config.insurance.cover_rate_bps.value, 0, 10'000);
  range("insurance.max_cover_per_event (micro-USD)", config.insurance.max_cover_per_event.units(), 0, k_max);
  range("insurance.max_cover_per_market_per_day_bps", config.insurance.max_cover_per_market_per_day_bps.value, 0,
        10'000);
  range("insurance.floor_balance (micro-USD)", config.insurance.floor_balance.units(), 0, k_max);
  std::set<std::string> seen;
  for (const auto& m : config.markets) {
    bool symbol_ok = !m.symbol.empty() && m.symbol.size() <= 16;
    for (char c : m.symbol) symbol_ok = symbol_ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!symbol_ok) {
      return input_error("market symbol '" + m.symbol + "' must be 1 to 16 characters of A-Z and 0-9.");
    }
    if (!seen.insert(m.symbol).second) {
      return input_error("market " + m.symbol + " is configured twice; give each [[markets]] a distinct symbol.");
    }
    range("markets." + m.symbol + ".max_leverage (hundredths)", m.max_leverage.hundredths, 100, 100'000);
    range("markets." + m.symbol + ".maintenance_margin_bps", m.maintenance_margin_bps.value, 1, 10'000);
    range("markets." + m.symbol + ".max_profit_bps", m.max_profit_bps.value, 1, 1'000'000);
  }
  range("tranches.senior.target_apr_bps", config.tranches.senior_target_apr_bps.value, 0, 10'000);
  range("tranches.min_junior_ratio_bps", config.tranches.min_junior_ratio_bps.value, 0, 10'000);
  range("tranches.max_junior_ratio_bps", config.tranches.max_junior_ratio_bps.value, 0, 10'000);
  range("tranches.max_senior_at_risk_bps", config.tranches.max_senior_at_risk_bps.value, 0, 10'000);
  if (!bad.empty()) return input_error(bad);
  const auto& t = config.tranches;
  if (t.max_junior_ratio_bps.value != 0 && t.max_junior_ratio_bps.value < t.min_junior_ratio_bps.value) {
    return input_error("tranches.max_junior_ratio_bps (" + std::to_string(t.max_junior_ratio_bps.value) +
                       ") is below tranches.min_junior_ratio_bps (" + std::to_string(t.min_junior_ratio_bps.value) +
                       "); raise it or set it to 0 (off).");
  }
  for (const LossKind kind : {LossKind::trader_pnl, LossKind::bad_debt, LossKind::external}) {
    const auto& order = config.cascade.order(kind);
    const std::string key = "cascade." + std::string(loss_kind_name(kind));
    if (order.empty()) return input_error(key + " is empty; list at least one of insurance, junior, senior.");
    for (std::size_t i = 0; i < order.size(); ++i) {
      for (std::size_t k = 0; k < i; ++k) {
        if (order[k] == order[i]) {
          return input_error(key + " names " + std::string(layer_name(order[i])) +
                             " twice; list each layer at most once.");
        }
      }
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
