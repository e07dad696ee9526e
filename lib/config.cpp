// lib/config.cpp: configuration rules that do not depend on the file format.
#include "lib/config.hpp"


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
    case LossKind::inventory: return "inventory";
  }
  return "?";
}

}  // namespace nexadex
