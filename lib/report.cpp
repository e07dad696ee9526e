// lib/report.cpp: report builders; every list is in a stable order (symbols sorted, events by seq).
#include "lib/report.hpp"

namespace nexadex {
namespace {

Section markets_section(const State& state, Timestamp now) {
  Section s{"markets", "Markets", SectionShape::list,
            {{"market", "MARKET", CellType::text},
             {"price", "PRICE", CellType::price},
             {"price_at", "SET AT", CellType::time},
             {"price_seq", "SEQ", CellType::integer},
             {"age_seconds", "AGE", CellType::duration},
             {"fresh", "FRESH", CellType::boolean},
             {"configured", "CONFIGURED", CellType::boolean}},
            {}};
  for (const auto& [symbol, m] : state.markets) {
    const bool configured = state.config.market(symbol) != nullptr;
    if (m.priced()) {
      s.rows.push_back({Cell::of_text(symbol), Cell::of_price(m.price), Cell::of_time(m.price_at),
                        Cell::of_int(m.price_seq), Cell::of_duration(Duration{now.seconds - m.price_at.seconds}),
                        Cell::of_bool(state.is_fresh(m, now)), Cell::of_bool(configured)});
    } else {
      s.rows.push_back({Cell::of_text(symbol), Cell::none(CellType::price), Cell::none(CellType::time),
                        Cell::none(CellType::integer), Cell::none(CellType::duration), Cell::of_bool(false),
                        Cell::of_bool(configured)});
    }
  }
  return s;
}

}  // namespace

Report summary_report(const State& state, const JournalHead& head, Timestamp now) {
  Section journal{"journal", "Journal", SectionShape::record,
                  {{"head_seq", "head seq", CellType::integer},
                   {"head_hash", "head hash", CellType::hash},
                   {"head_at", "last event at", CellType::time},
                   {"report_at", "report time", CellType::time},
                   {"config_seq", "config from seq", CellType::integer},
                   {"config_sha256", "config sha256", CellType::hash},
                   {"markets", "markets", CellType::integer},
                   {"max_price_age_seconds", "max price age", CellType::duration}},
                  {}};
  journal.rows.push_back({Cell::of_int(head.seq), Cell::of_hash(head.hash), Cell::of_time(head.at),
                          Cell::of_time(now), Cell::of_int(state.config_seq), Cell::of_hash(state.config_sha256),
                          Cell::of_int(static_cast<int64_t>(state.config.markets.size())),
                          Cell::of_duration(state.config.pool.max_price_age)});
  return Report{"summary", {std::move(journal), markets_section(state, now)}};
}

Report price_report(const State& state, Timestamp now) {
  return Report{"prices", {markets_section(state, now)}};
}

Section events_section() {
  return Section{"events", "Events", SectionShape::list,
                 {{"seq", "SEQ", CellType::integer},
                  {"at", "AT", CellType::time},
                  {"kind", "KIND", CellType::text},
                  {"detail", "DETAIL", CellType::text},
                  {"hash", "HASH", CellType::hash}},
                 {}};
}

std::vector<Cell> event_row(const Event& event, const std::string& hash) {
  return {Cell::of_int(event.seq), Cell::of_time(event.at), Cell::of_text(std::string(kind_name(event.body))),
          Cell::of_text(describe(event.body)), Cell::of_hash(hash)};
}

std::string describe(const EventBody& body) {
  if (const auto* e = std::get_if<JournalCreated>(&body)) {
    return "config sha256 " + e->config_sha256.substr(0, 12) + ", " + std::to_string(e->config.markets.size()) +
           " market(s)";
  }
  if (const auto* e = std::get_if<ConfigApplied>(&body)) {
    return "config sha256 " + e->config_sha256.substr(0, 12) + ", " + std::to_string(e->config.markets.size()) +
           " market(s)";
  }
  if (const auto* p = std::get_if<PriceSet>(&body)) return p->market + " " + to_string(p->price);
  if (const auto* e = std::get_if<LpDeposited>(&body)) return e->lp + " deposits " + to_string(e->amount);
  if (const auto* e = std::get_if<LpWithdrew>(&body)) {
    switch (e->by) {
      case WithdrawBy::amount: return e->lp + " withdraws " + to_string(e->amount);
      case WithdrawBy::shares: return e->lp + " redeems " + to_string(e->shares) + " shares";
      case WithdrawBy::all: return e->lp + " withdraws all";
    }
  }
  if (const auto* e = std::get_if<PositionOpened>(&body)) {
    return e->trader + " opens " + std::string(side_name(e->side)) + " " + e->market + ", collateral " +
           to_string(e->collateral) +
           (e->leverage.hundredths > 0 ? ", leverage " + format_decimal(e->leverage.hundredths, 2) + "x"
                                       : ", size " + to_string(e->size));
  }
  if (const auto* e = std::get_if<PositionClosed>(&body)) {
    return "close position " + std::to_string(e->id) + (e->size.is_positive() ? ", size " + to_string(e->size) : "");
  }
  if (const auto* e = std::get_if<PositionLiquidated>(&body)) {
    return "liquidate position " + std::to_string(e->id) + ", keeper " + e->keeper;
  }
  const auto& e = std::get<InsuranceDeposited>(body);
  return e.from + " pays " + to_string(e.amount) + " into insurance";
}

}  // namespace nexadex
