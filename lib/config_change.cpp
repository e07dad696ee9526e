// lib/config_change.cpp: the effects of a new config on open positions and the refusals of config apply.
#include "lib/config_change.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex {
namespace {

constexpr std::size_t k_ids_named = 5;   // a refusal names the first few ids

// "4, 7 and 9" or "4, 7, 9, 12, 15 and 3 more".
std::string id_list(const std::vector<int64_t>& ids) {
  std::string out;
  const std::size_t named = std::min(ids.size(), k_ids_named);
  for (std::size_t i = 0; i < named; ++i) {
    if (i > 0) out += i + 1 == named && named == ids.size() ? " and " : ", ";
    out += std::to_string(ids[i]);
  }
  if (named < ids.size()) out += " and " + std::to_string(ids.size() - named) + " more";
  return out;
}

std::string positions_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " open position" : " open positions"); }

}  // namespace

Result<ConfigEffects> config_effects(const State& state, const Config& next) {
  ConfigEffects fx;
  fx.max_utilization_before = state.config.pool.max_utilization_bps;
  fx.max_utilization_after = next.pool.max_utilization_bps;
  std::map<std::string, int64_t> open_by_market;
  for (const auto& [key, book] : state.books) {
    open_by_market[key.market] += book.open;
    fx.open_positions += book.open;
  }
  for (const auto& [market, n] : open_by_market) {
    if (n > 0 && next.market(market) == nullptr) fx.dropped_markets.emplace_back(market, n);
  }
  if (fx.open_positions > 0) {
    NX_TRY_STATUS(load_all_positions(state));
    for (const Position* p : positions_by_id(state)) {
      if (p->status != PositionStatus::open) continue;
      const MarketConfig* mc = next.market(p->market);
      if (mc == nullptr) continue;   // a dropped market: refused on its own
      const auto m = state.markets.find(p->market);
      if (m == state.markets.end() || !m->second.priced()) continue;
      NX_TRY(before, vault::margin(state, *p, m->second.price));
      NX_TRY(after, vault::margin_under(next, borrow_index_of(state, p->reserve_asset), *p, m->second.price));
      if (after.liquidatable() && !before.liquidatable()) fx.made_liquidatable.push_back(p->id);
      NX_TRY(above_cap, vault::leverage_exceeds(p->size, p->collateral, mc->max_leverage));
      const MarketConfig* old = state.config.market(p->market);
      if (above_cap && (old == nullptr || mc->max_leverage < old->max_leverage)) fx.above_max_leverage.push_back(p->id);
    }
  }
  NX_TRY(nav, tranche::pool_nav(state));
  NX_TRY(reserved, vault::reserves_usd(state));
  fx.utilization_bps = vault::utilization_ceil(reserved, nav).value;
  fx.utilization_over = fx.max_utilization_after < fx.max_utilization_before &&
                        fx.utilization_bps > fx.max_utilization_after.value;
  if (!next.tranches.enabled && state.vault.junior().supply.is_positive()) {
    fx.junior_stranded = state.vault.junior().supply;
  }
  if (!next.locks.enabled) fx.lots_stranded = state.lots.next_id - 1;   // lots are never deleted
  return fx;
}

Status check_config_change(const ConfigEffects& fx, Force force) {
  if (!fx.dropped_markets.empty()) {
    std::string what;
    for (std::size_t i = 0; i < fx.dropped_markets.size(); ++i) {
      const auto& [market, n] = fx.dropped_markets[i];
      if (i > 0) what += i + 1 == fx.dropped_markets.size() ? " and " : ", ";
      what += market + " (" + positions_text(static_cast<std::size_t>(n)) + ")";
    }
    return rule_error("the new config drops " + what + "; those positions could then be neither priced nor closed, so "
                      "close or liquidate them first, or keep the market in the config.");
  }
  if (fx.junior_stranded.is_positive()) {
    return rule_error("the new config has no [tranches] but " + to_string(fx.junior_stranded) +
                      " junior shares are outstanding, which could then not be withdrawn; keep [tranches] until the "
                      "junior tranche is empty.");
  }
  if (fx.lots_stranded > 0) {
    return rule_error("this pool has lots (deposits made under [locks]), so a config without [locks] cannot be "
                      "applied; keep the [locks] table (with no tiers, no new lock earns a boost).");
  }
  if (force == Force::yes) return {};
  std::vector<std::string> harms;
  if (!fx.made_liquidatable.empty()) {
    harms.push_back("make " + positions_text(fx.made_liquidatable.size()) + " liquidatable at the current prices (" +
                    id_list(fx.made_liquidatable) + ")");
  }
  if (!fx.above_max_leverage.empty()) {
    harms.push_back("leave " + positions_text(fx.above_max_leverage.size()) + " above the new max_leverage (" +
                    id_list(fx.above_max_leverage) + ")");
  }
  if (fx.utilization_over) {
    harms.push_back("leave the pool's utilization of " + std::to_string(fx.utilization_bps) +
                    " bps above the new max_utilization_bps of " + std::to_string(fx.max_utilization_after.value));
  }
  if (harms.empty()) return {};
  std::string what;
  for (std::size_t i = 0; i < harms.size(); ++i) {
    if (i > 0) what += i + 1 == harms.size() ? " and " : ", ";
    what += harms[i];
  }
  return rule_error("the new config would " + what + "; give --force to apply it anyway.");
}

Section config_effects_section(const ConfigEffects& fx) {
  Section s{"effects", "Effect on the pool", SectionShape::record,
            {{"open_positions", CellType::integer},
             {"markets_dropped", CellType::text},
             {"made_liquidatable", CellType::integer},
             {"made_liquidatable_ids", CellType::text},
             {"above_max_leverage", CellType::integer},
             {"above_max_leverage_ids", CellType::text},
             {"utilization_bps", CellType::bps},
             {"max_utilization_bps_before", CellType::bps},
             {"max_utilization_bps_after", CellType::bps},
             {"junior_shares_stranded", CellType::shares}},
            {}};
  std::string dropped;
  for (const auto& [market, n] : fx.dropped_markets) {
    if (!dropped.empty()) dropped += ", ";
    dropped += market + " (" + std::to_string(n) + ")";
  }
  auto ids = [](const std::vector<int64_t>& v) {
    std::string out;
    for (const int64_t id : v) {
      if (!out.empty()) out += ' ';
      out += std::to_string(id);
    }
    return out.empty() ? Cell::none(CellType::text) : Cell::of_text(out);
  };
  s.rows.push_back({Cell::of_int(fx.open_positions),
                    dropped.empty() ? Cell::none(CellType::text) : Cell::of_text(dropped),
                    Cell::of_int(static_cast<int64_t>(fx.made_liquidatable.size())), ids(fx.made_liquidatable),
                    Cell::of_int(static_cast<int64_t>(fx.above_max_leverage.size())), ids(fx.above_max_leverage),
                    Cell::of_bps(Bps{fx.utilization_bps}), Cell::of_bps(fx.max_utilization_before),
                    Cell::of_bps(fx.max_utilization_after),
                    Cell{CellType::shares, false, fx.junior_stranded.units(), {}}});
  return s;
}

}  // namespace nexadex
