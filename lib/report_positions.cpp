// lib/report_positions.cpp: the position reports (report position, positions, traders): each position
// with what its legs add up to, valued at its market's latest price; in id order.
#include "lib/report.hpp"

#include <algorithm>
#include <map>
#include <span>

#include "lib/asset_books.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex {

namespace {

Price latest(const State& s, const std::string& market, Price fallback) {
  const auto it = s.markets.find(market);
  return it == s.markets.end() || !it->second.priced() ? fallback : it->second.price;
}

// What a position's legs add up to (report position, positions, traders); the sums are checked.
struct LegTotals {
  Usd size_opened;
  Usd collateral_posted;    // what the trader put up: collateral after the fee, plus the fee
  Usd open_fee, close_fee, borrow_fee, keeper_fee;
  Usd paid_out;
  Usd realized_pnl;
  std::optional<Price> ended_price;
  Status add(const PositionLeg& l) {
    switch (l.kind) {
      case LegKind::opened:
        NX_TRY_STATUS(add_to(size_opened, l.size, "size opened"));
        NX_TRY_STATUS(add_to(collateral_posted, l.collateral, "collateral posted"));
        NX_TRY_STATUS(add_to(collateral_posted, l.open_fee, "collateral posted"));
        break;
      case LegKind::closed:
      case LegKind::liquidated:
        NX_TRY_STATUS(add_to(realized_pnl, l.pnl, "realized PnL"));
        ended_price = l.price;   // the last close or the liquidation: what an ended position ended at
        break;
    }
    NX_TRY_STATUS(add_to(open_fee, l.open_fee, "open fees"));
    NX_TRY_STATUS(add_to(close_fee, l.close_fee, "close fees"));
    NX_TRY_STATUS(add_to(borrow_fee, l.borrow_fee, "borrow fees"));
    NX_TRY_STATUS(add_to(keeper_fee, l.keeper_fee, "keeper fees"));
    NX_TRY_STATUS(add_to(paid_out, l.payout, "paid out"));
    return {};
  }
  Result<Usd> fees_paid() const { return open_fee + close_fee + borrow_fee + keeper_fee; }
  // what came back, plus the collateral still open, less what was put up
  Result<Usd> net_result(Usd open_collateral) const {
    NX_TRY(back, paid_out + open_collateral);   // a step at a time: g++ 12 -O3 misreads the chained temporaries
    return back - collateral_posted;
  }
};

Section position_section() {
  return Section{"positions", "Positions", SectionShape::list,
                 {{"id", CellType::integer},
                  {"trader", CellType::text},
                  {"market", CellType::text},
                  {"side", CellType::text},
                  {"status", CellType::text},
                  {"size_opened", CellType::usd},
                  {"size", CellType::usd},
                  {"collateral", CellType::usd},
                  {"entry_price", CellType::price},
                  {"price", CellType::price},
                  {"pnl", CellType::usd},
                  {"equity", CellType::usd},
                  {"maintenance_margin", CellType::usd},
                  {"liquidation_price", CellType::price},
                  {"liquidatable", CellType::boolean},
                  {"ended_seq", CellType::integer},
                  {"ended_price", CellType::price},
                  {"realized_pnl", CellType::usd},
                  {"fees_paid", CellType::usd},
                  {"paid_out", CellType::usd}},
                 {}};
}

const char* status_word(PositionStatus st) {
  return st == PositionStatus::open ? "open" : st == PositionStatus::closed ? "closed" : "liquidated";
}

// One position in `report positions`: open ones valued at the latest price (size, collateral and
// reserve still open), ended ones with what they ended at (size and collateral 0).
Result<std::vector<Cell>> position_row(const State& s, const Position& p, const LegTotals& t) {
  const bool open = p.status == PositionStatus::open;
  std::vector<Cell> row{Cell::of_int(p.id), Cell::of_text(p.trader), Cell::of_text(p.market),
                        Cell::of_text(std::string(side_name(p.side))), Cell::of_text(status_word(p.status)),
                        Cell::of_usd(t.size_opened), Cell::of_usd(open ? p.size : Usd(0)),
                        Cell::of_usd(open ? p.collateral : Usd(0)), Cell::of_price(p.entry)};
  if (open) {
    const Price price = latest(s, p.market, p.entry);
    NX_TRY(m, vault::margin(s, p, price));
    NX_TRY(liq, vault::liquidation_price(s, p));
    row.insert(row.end(), {Cell::of_price(price), Cell::of_usd(m.pnl), Cell::of_usd(m.equity),
                           Cell::of_usd(m.threshold), derived_price(liq, price, p.side),
                           Cell::of_bool(m.liquidatable()), Cell::none(CellType::integer), Cell::none(CellType::price)});
  } else {
    row.insert(row.end(), {Cell::none(CellType::price), Cell::none(CellType::usd), Cell::none(CellType::usd),
                           Cell::none(CellType::usd), Cell::none(CellType::price), Cell::of_bool(false),
                           Cell::of_int(p.ended_seq),
                           t.ended_price ? Cell::of_price(*t.ended_price) : Cell::none(CellType::price)});
  }
  NX_TRY(fees_paid, t.fees_paid());
  row.insert(row.end(), {Cell::of_usd(t.realized_pnl), Cell::of_usd(fees_paid), Cell::of_usd(t.paid_out)});
  return row;
}

Section legs_section() {
  return Section{"legs", "Legs", SectionShape::list,
                 {{"id", CellType::integer},
                  {"seq", CellType::integer},
                  {"at", CellType::time},
                  {"kind", CellType::text},
                  {"size", CellType::usd},
                  {"price", CellType::price},
                  {"collateral", CellType::usd},
                  {"pnl", CellType::usd},
                  {"open_fee", CellType::usd},
                  {"close_fee", CellType::usd},
                  {"borrow_fee", CellType::usd},
                  {"keeper_fee", CellType::usd},
                  {"payout", CellType::usd}},
                 {}};
}

std::vector<Cell> leg_row(const PositionLeg& l) {
  return {Cell::of_int(l.id),          Cell::of_int(l.seq),        Cell::of_time(l.at),
          Cell::of_text(std::string(leg_kind_name(l.kind))),       Cell::of_usd(l.size),
          Cell::of_price(l.price),     Cell::of_usd(l.collateral), Cell::of_usd(l.pnl),
          Cell::of_usd(l.open_fee),    Cell::of_usd(l.close_fee),  Cell::of_usd(l.borrow_fee),
          Cell::of_usd(l.keeper_fee),  Cell::of_usd(l.payout)};
}

}  // namespace

namespace {

// Whether `p` is listed (all but the limit).
Result<bool> listed_by(const State& s, const Position& p, Listing listing, const PositionFilter& filter) {
  if (listing == Listing::open && p.status != PositionStatus::open) return false;
  if (!filter.market.empty() && p.market != filter.market) return false;
  if (!filter.trader.empty() && p.trader != filter.trader) return false;
  if (filter.side && p.side != *filter.side) return false;
  if (filter.liquidatable) {
    if (p.status != PositionStatus::open) return false;
    NX_TRY(m, vault::margin(s, p, latest(s, p.market, p.entry)));
    if (!m.liquidatable()) return false;
  }
  return true;
}

// A chunk of positions read from the table while streaming: large enough that its two queries cost
// little per row, small enough that memory stays a few megabytes.
constexpr int64_t k_chunk = 4096;

}  // namespace

Section positions_section() { return position_section(); }

namespace {

// Each listed position (by id, up to the filter's limit) with its legs by seq. Streams from the tables
// a chunk at a time when the state has written every change (nothing of it kept), else reads them all.
Status for_each_listed(const State& s, Listing listing, const PositionFilter& filter,
                       const std::function<Status(const Position&, std::span<const PositionLeg>)>& fn) {
  int64_t count = 0;
  const auto full = [&] { return filter.limit && count >= *filter.limit; };
  // legs sorted by (id, seq): those of `id` from `at` on
  const auto legs_of = [](const std::vector<PositionLeg>& legs, std::size_t& at, int64_t id) {
    while (at < legs.size() && legs[at].id < id) ++at;
    const std::size_t from = at;
    while (at < legs.size() && legs[at].id == id) ++at;
    return std::span<const PositionLeg>(legs.data() + from, at - from);
  };
  const auto emit = [&](const Position& p, std::span<const PositionLeg> legs) -> Status {
    NX_TRY(listed, listed_by(s, p, listing, filter));
    if (!listed) return {};
    ++count;
    return fn(p, legs);
  };
  const auto& store = s.store;
  const bool stream = store.loader != nullptr && store.tables_hold_state && !store.positions_complete &&
                      store.dirty_positions.empty() && store.legs_written == s.legs.size();
  if (!stream) {
    NX_TRY_STATUS(load_all_positions(s));
    NX_TRY(legs, position_legs(s, 0));
    std::size_t at = 0;
    for (const Position* p : positions_by_id(s)) {
      if (full()) break;
      NX_TRY_STATUS(emit(*p, legs_of(legs, at, p->id)));
    }
    return {};
  }
  // every change is in the tables: read them a chunk at a time, keeping none of it in the state
  int64_t after = 0;
  while (!full()) {
    NX_TRY(chunk, store.loader->positions_after(after, k_chunk));
    if (chunk.empty()) break;
    NX_TRY(legs, store.loader->legs_between(chunk.front().id, chunk.back().id));
    std::size_t at = 0;
    for (const Position& p : chunk) {
      if (full()) break;
      NX_TRY_STATUS(emit(p, legs_of(legs, at, p.id)));
    }
    after = chunk.back().id;
  }
  return {};
}

}  // namespace

Status for_each_position_row(const State& s, Listing listing, const PositionFilter& filter,
                             const std::function<Status(std::vector<Cell>)>& row) {
  return for_each_listed(s, listing, filter, [&](const Position& p, std::span<const PositionLeg> legs) -> Status {
    LegTotals totals;
    for (const auto& l : legs) NX_TRY_STATUS(totals.add(l));
    NX_TRY(cells, position_row(s, p, totals));
    return row(std::move(cells));
  });
}

Section positions_legs_section() { return legs_section(); }

Status for_each_listed_leg_row(const State& s, Listing listing, const PositionFilter& filter,
                               const std::function<Status(std::vector<Cell>)>& row) {
  return for_each_listed(s, listing, filter, [&](const Position&, std::span<const PositionLeg> legs) -> Status {
    for (const auto& l : legs) NX_TRY_STATUS(row(leg_row(l)));
    return {};
  });
}

Result<Report> positions_report(const State& s, Listing listing, const PositionFilter& filter) {
  Section sec = position_section();
  const auto add_to = [](Section& section) {
    return [&section](std::vector<Cell> cells) -> Status {
      section.rows.push_back(std::move(cells));
      return {};
    };
  };
  NX_TRY_STATUS(for_each_position_row(s, listing, filter, add_to(sec)));
  Report report{"positions", {std::move(sec)}};
  if (listing == Listing::all) {
    // the whole life of every position listed: each open, close and liquidation
    Section legs = legs_section();
    NX_TRY_STATUS(for_each_listed_leg_row(s, listing, filter, add_to(legs)));
    report.sections.push_back(std::move(legs));
  }
  return report;
}

Result<Report> position_report(const State& s, int64_t id) {
  NX_TRY(p, find_position(s, id));
  if (p == nullptr) {
    return input_error("unknown position " + std::to_string(id) + "; 'report positions' lists them.");
  }
  NX_TRY(legs, position_legs(s, id));
  LegTotals t;
  for (const auto& l : legs) NX_TRY_STATUS(t.add(l));
  const bool open = p->status == PositionStatus::open;
  Section sec{"position", "Position " + std::to_string(id), SectionShape::record,
              {{"id", CellType::integer},
               {"trader", CellType::text},
               {"market", CellType::text},
               {"side", CellType::text},
               {"status", CellType::text},
               {"opened_at", CellType::time},
               {"entry_price", CellType::price},
               {"size_opened", CellType::usd},
               {"collateral_posted", CellType::usd},
               {"size", CellType::usd},
               {"collateral", CellType::usd},
               {"reserve", CellType::usd},
               {"price", CellType::price},
               {"pnl", CellType::usd},
               {"borrow_fee_due", CellType::usd},
               {"equity", CellType::usd},
               {"maintenance_margin", CellType::usd},
               {"liquidation_price", CellType::price},
               {"liquidatable", CellType::boolean},
               {"ended_seq", CellType::integer},
               {"ended_at", CellType::time},
               {"ended_price", CellType::price},
               {"open_fee", CellType::usd},
               {"close_fee", CellType::usd},
               {"borrow_fee", CellType::usd},
               {"keeper_fee", CellType::usd},
               {"fees_paid", CellType::usd},
               {"paid_out", CellType::usd},
               {"realized_pnl", CellType::usd},
               {"net_result", CellType::usd}},
              {}};
  std::vector<Cell> row{Cell::of_int(p->id),
                        Cell::of_text(p->trader),
                        Cell::of_text(p->market),
                        Cell::of_text(std::string(side_name(p->side))),
                        Cell::of_text(status_word(p->status)),
                        Cell::of_time(p->opened_at),
                        Cell::of_price(p->entry),
                        Cell::of_usd(t.size_opened),
                        Cell::of_usd(t.collateral_posted),
                        Cell::of_usd(open ? p->size : Usd(0)),
                        Cell::of_usd(open ? p->collateral : Usd(0))};
  // the reserve in USD: under rules 4 a reserve in tokens is shown as the profit it caps at the price
  const Price at = latest(s, p->market, p->entry);
  NX_TRY(cap, profit_cap(s.config, *p, at));
  row.push_back(Cell::of_usd(open ? Usd(static_cast<int64_t>(cap)) : Usd(0)));
  if (open) {
    const Price price = at;
    NX_TRY(m, vault::margin(s, *p, price));
    NX_TRY(liq, vault::liquidation_price(s, *p));
    row.insert(row.end(), {Cell::of_price(price), Cell::of_usd(m.pnl), Cell::of_usd(m.borrow_fee),
                           Cell::of_usd(m.equity), Cell::of_usd(m.threshold),
                           derived_price(liq, price, p->side), Cell::of_bool(m.liquidatable()),
                           Cell::none(CellType::integer), Cell::none(CellType::time), Cell::none(CellType::price)});
  } else {
    row.insert(row.end(), {Cell::none(CellType::price), Cell::none(CellType::usd), Cell::none(CellType::usd),
                           Cell::none(CellType::usd), Cell::none(CellType::usd), Cell::none(CellType::price),
                           Cell::of_bool(false), Cell::of_int(p->ended_seq),
                           legs.empty() ? Cell::none(CellType::time) : Cell::of_time(legs.back().at),
                           t.ended_price ? Cell::of_price(*t.ended_price) : Cell::none(CellType::price)});
  }
  NX_TRY(fees_paid, t.fees_paid());
  NX_TRY(net_result, t.net_result(open ? p->collateral : Usd(0)));
  row.insert(row.end(), {Cell::of_usd(t.open_fee), Cell::of_usd(t.close_fee), Cell::of_usd(t.borrow_fee),
                         Cell::of_usd(t.keeper_fee), Cell::of_usd(fees_paid), Cell::of_usd(t.paid_out),
                         Cell::of_usd(t.realized_pnl), Cell::of_usd(net_result)});
  sec.rows.push_back(std::move(row));
  Section steps = legs_section();
  for (const auto& l : legs) steps.rows.push_back(leg_row(l));
  Report report{"position", {std::move(sec), std::move(steps)}};
  if (!p->collateral_asset.empty() && s.assets) {
    // rules 4 (nexadex-assets(7) A5, A6): the tokens it holds, the USD they are recorded at (its collateral)
    // and their value at the asset's low price, whose difference is in the NAV
    const auto i = assets::find_asset(*s.assets, p->collateral_asset);
    if (!i) return journal_error("position " + std::to_string(id) + " holds " + p->collateral_asset + ", an asset the pool does not have.");
    const AssetConfig& a = s.assets->configs[*i];
    const int64_t units = open ? p->collateral_tokens : 0;
    NX_TRY(value, assets::value_floor(units, s.assets->prices[*i].low, a.decimals));
    Section tokens{"collateral_tokens", "Collateral in tokens", SectionShape::record,
                   {{"asset", CellType::text}, {"tokens", CellType::text}, {"recorded", CellType::usd},
                    {"value_at_low_price", CellType::usd}},
                   {}};
    tokens.rows.push_back({Cell::of_text(a.symbol), Cell::of_text(format_decimal(units, static_cast<int>(a.decimals))),
                           Cell::of_usd(open ? p->collateral : Usd(0)), Cell::of_usd(value)});
    report.sections.push_back(std::move(tokens));
  }
  return report;
}

Result<Report> traders_report(const State& s) {
  struct Totals {
    int64_t open = 0, ended = 0;
    Usd open_collateral;
    LegTotals legs;
  };
  std::map<std::string, Totals> by;
  if (auto ok = load_all_positions(s); !ok) return std::unexpected(ok.error());
  NX_TRY(legs, position_legs(s, 0));
  for (const auto& l : legs) {
    const auto it = s.positions.find(l.id);
    if (it != s.positions.end()) NX_TRY_STATUS(by[it->second.trader].legs.add(l));
  }
  for (const auto& [id, p] : s.positions) {
    Totals& t = by[p.trader];
    if (p.status == PositionStatus::open) {
      ++t.open;
      NX_TRY_STATUS(add_to(t.open_collateral, p.collateral, "open collateral"));
    } else {
      ++t.ended;
    }
  }
  Section sec{"traders", "Traders", SectionShape::list,
              {{"trader", CellType::text},
               {"open_positions", CellType::integer},
               {"ended_positions", CellType::integer},
               {"open_collateral", CellType::usd},
               {"collateral_posted", CellType::usd},
               {"open_fee", CellType::usd},
               {"close_fee", CellType::usd},
               {"borrow_fee", CellType::usd},
               {"keeper_fee", CellType::usd},
               {"paid_out", CellType::usd},
               {"realized_pnl", CellType::usd},
               {"net_result", CellType::usd}},
              {}};
  for (const auto& [name, t] : by) {
    const LegTotals& l = t.legs;
    NX_TRY(net_result, l.net_result(t.open_collateral));
    sec.rows.push_back({Cell::of_text(name), Cell::of_int(t.open), Cell::of_int(t.ended), Cell::of_usd(t.open_collateral),
                        Cell::of_usd(l.collateral_posted), Cell::of_usd(l.open_fee), Cell::of_usd(l.close_fee),
                        Cell::of_usd(l.borrow_fee), Cell::of_usd(l.keeper_fee), Cell::of_usd(l.paid_out),
                        Cell::of_usd(l.realized_pnl), Cell::of_usd(net_result)});
  }
  return Report{"traders", {std::move(sec)}};
}

}  // namespace nexadex
