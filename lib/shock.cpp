// lib/shock.cpp: the `cascade` previews, on a throwaway copy of the state (State::what_if for a shock's
// many liquidations at one time).
#include "lib/shock.hpp"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "lib/accrual.hpp"
#include "lib/apply.hpp"
#include "lib/gains_losses.hpp"
#include "lib/valuation.hpp"

namespace nexadex {
namespace {

// Appends `body` to the copy `s` as its next event at `at`.
Result<std::vector<Posting>> apply_next(State& s, EventBody body, Timestamp at) {
  return apply(s, Event{s.head_seq + 1, at, std::move(body)});
}

// The precondition of shock_preview (cli/ checks each shock as it parses it, naming its text).
Status check_shocks(const State& state, const std::vector<Shock>& shocks) {
  std::set<std::string> seen;
  for (const auto& s : shocks) {
    const bool known = state.config.market(s.market) != nullptr;
    if (!known || !seen.insert(s.market).second || s.move.value <= -k_bps_scale) {
      return input_error("a shock must name a configured market, each market once, by more than -100%; " +
                         s.market + " does not.");
    }
  }
  return {};
}

// Prices every market with open positions or a shock at `at`: shocked, or at its latest price again.
// On a multi-asset pool, adds to `inventory` the layers' parts of each price's inventory loss (a what-if
// copy keeps only the latest loss record, so they are taken as each price is applied).
Status set_shocked_prices(State& after, Timestamp at, const std::vector<Shock>& shocks,
                          std::map<std::string, Usd>& inventory) {
  std::set<std::string> with_positions;
  for (const auto& [book, b] : after.books) with_positions.insert(book.market);
  for (const auto& s : shocks) with_positions.insert(s.market);
  for (const std::string& market : with_positions) {
    const auto m = after.markets.find(market);
    if (m == after.markets.end() || !m->second.priced()) {
      return rule_error("the " + market + " market has never been priced; a shock needs a price to move.");
    }
    Price price = m->second.price;
    for (const auto& s : shocks) {
      if (s.market != market) continue;
      // floor: the shocked price rounds down
      const std::string what = "the shocked " + market + " price";
      NX_TRY(shocked, price.mul_div_floor(k_bps_scale + s.move.value, k_bps_scale, what));
      price = shocked;
    }
    if (!price.is_positive()) return input_error("the shocked " + market + " price rounds to zero; shock it less.");
    NX_TRY_STATUS(apply_next(after, PriceSet{market, price}, at));
    if (!after.losses.empty() && after.losses.back().seq == after.head_seq &&
        after.losses.back().kind == loss_kind_name(LossKind::inventory)) {
      for (const LossLeg& leg : after.losses.back().legs) {
        NX_TRY_STATUS(add_to(inventory[leg.layer], leg.amount, "a layer's losses"));
      }
    }
  }
  return {};
}

}  // namespace

Result<Report> loss_preview(State state, Timestamp at, Usd amount, LossKind kind) {
  // the senior target accrues to the moment of the loss, as it would for the journaled event
  NX_TRY_STATUS(vault::accrue(state, at));
  State after = state;
  std::vector<Posting> postings;
  const Event ev{state.head_seq + 1, at, LossApplied{amount, "preview"}};
  NX_TRY_STATUS(tranche::absorb_loss(after, kind, amount, "", ev, postings));
  return cascade_report(state, after, {});
}

Result<Report> shock_preview(State state, Timestamp at, const std::vector<Shock>& shocks) {
  NX_TRY_STATUS(check_shocks(state, shocks));
  NX_TRY_STATUS(vault::accrue(state, at));
  State after = state;
  after.what_if = true;
  std::map<std::string, Usd> by_layer;   // the holdings' losses, by layer
  NX_TRY_STATUS(set_shocked_prices(after, at, shocks, by_layer));
  // a multi-asset pool: the point between the two causes, the holdings at the shocked prices (their
  // gain or loss already in the tranches' capital) and the traders' unrealized PnL as it was
  std::optional<CascadeMidpoint> mid;
  if (state.assets) {
    NX_TRY(unrealized_before, vault::unrealized_floor(state));
    NX_TRY(values_mid, tranche::values_given(after, unrealized_before));
    mid = CascadeMidpoint{values_mid, after.vault.insurance, after.vault.unabsorbed};
  }
  NX_TRY(ids, vault::liquidatable(after, ""));
  Section liq{"liquidations", "Liquidations at the shocked prices", SectionShape::list,
              {{"id", CellType::integer},
               {"trader", CellType::text},
               {"market", CellType::text},
               {"side", CellType::text},
               {"size", CellType::usd},
               {"collateral", CellType::usd},
               {"price", CellType::price},
               {"shortfall", CellType::usd}},
              {}};
  liq.rows.reserve(ids.size());
  for (const int64_t id : ids) {
    NX_TRY(p, find_position(after, id));
    const Position pos = *p;
    NX_TRY_STATUS(apply_next(after, PositionLiquidated{id, "stress-test"}, at));
    // the liquidation's bad debt, if it had one: the loss record of this very event
    const bool bad_debt = !after.losses.empty() && after.losses.back().seq == after.head_seq;
    const Usd shortfall = bad_debt ? after.losses.back().total : Usd(0);
    liq.rows.push_back({Cell::of_int(id), Cell::of_text(pos.trader), Cell::of_text(pos.market),
                        Cell::of_text(std::string(side_name(pos.side))), Cell::of_usd(pos.size),
                        Cell::of_usd(pos.collateral), Cell::of_price(after.markets.at(pos.market).price),
                        Cell::of_usd(shortfall)});
  }
  after.what_if = false;
  NX_TRY_STATUS(vault::update_utilization(after));
  std::vector<Section> extra;
  extra.push_back(std::move(liq));   // moved, not copied as a braced list would be: one row per liquidation
  if (state.assets) {
    // a multi-asset pool's own holdings, revalued by the shocked prices' events (nexadex-assets(7),
    // STRESS TESTS), apart from the positions
    Section holdings{"holdings", "The pool's holdings at the shocked prices", SectionShape::list,
                     {{"asset", CellType::text},
                      {"owned", CellType::text},
                      {"low_before", CellType::price},
                      {"low_after", CellType::price},
                      {"book_before", CellType::usd},
                      {"book_after", CellType::usd},
                      {"change", CellType::usd}},
                     {}};
    const auto& was = *state.assets;
    const auto& now = *after.assets;
    for (std::size_t i = 0; i < was.configs.size(); ++i) {
      if (was.books[i].owned == 0 && now.books[i].owned == 0) continue;
      NX_TRY(change, now.books[i].book - was.books[i].book);
      const auto price = [](const assets::AssetPrices& p, Price q) {
        return p.known() ? Cell::of_price(q) : Cell::none(CellType::price);
      };
      holdings.rows.push_back({Cell::of_text(was.configs[i].symbol),
                               Cell::of_text(format_decimal(was.books[i].owned, static_cast<int>(was.configs[i].decimals))),
                               price(was.prices[i], was.prices[i].low), price(now.prices[i], now.prices[i].low),
                               Cell::of_usd(was.books[i].book), Cell::of_usd(now.books[i].book), Cell::of_usd(change)});
    }
    // where the holdings' losses fell (cascade.inventory), from the preview's loss records
    Section layers{"holdings_layers", "The holdings' losses by layer (cascade.inventory)", SectionShape::list,
                   {{"layer", CellType::text}, {"absorbed", CellType::usd}}, {}};
    for (const auto& [layer, amount] : by_layer) layers.rows.push_back({Cell::of_text(layer), Cell::of_usd(amount)});
    extra.push_back(std::move(holdings));
    extra.push_back(std::move(layers));
  }
  return cascade_report(state, after, std::move(extra), mid ? &*mid : nullptr);
}

}  // namespace nexadex
