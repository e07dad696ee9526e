// lib/report.cpp: report builders (summary, prices, events, pool, LPs, insurance, fees, tranches, cascades,
// history; positions and traders are in lib/report_positions.cpp); every list is in a stable order
// (symbols sorted, events by seq).
#include "lib/report.hpp"

#include <algorithm>
#include <map>

#include "lib/cascade.hpp"
#include "lib/exposure.hpp"
#include "lib/insurance.hpp"
#include "lib/locks.hpp"
#include "lib/pricing.hpp"
#include "lib/valuation.hpp"

namespace nexadex {
namespace {

Section markets_section(const State& state, Timestamp now) {
  Section s{"markets", "Markets", SectionShape::list,
            {{"market", CellType::text},
             {"price", CellType::price},
             {"price_at", CellType::time},
             {"price_seq", CellType::integer},
             {"age_seconds", CellType::duration},
             {"fresh", CellType::boolean},
             {"configured", CellType::boolean}},
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
                  {{"head_seq", CellType::integer},
                   {"head_hash", CellType::hash},
                   {"head_at", CellType::time},
                   {"report_at", CellType::time},
                   {"config_seq", CellType::integer},
                   {"config_sha256", CellType::hash},
                   {"rules", CellType::integer},
                   {"markets", CellType::integer},
                   {"max_price_age_seconds", CellType::duration}},
                  {}};
  journal.rows.push_back({Cell::of_int(head.seq), Cell::of_hash(head.hash), Cell::of_time(head.at),
                          Cell::of_time(now), Cell::of_int(state.config_seq), Cell::of_hash(state.config_sha256),
                          Cell::of_int(state.rules), Cell::of_int(static_cast<int64_t>(state.config.markets.size())),
                          Cell::of_duration(state.config.pool.max_price_age)});
  return Report{"summary", {std::move(journal), markets_section(state, now)}};
}

Report price_report(const State& state, Timestamp now) {
  return Report{"prices", {markets_section(state, now)}};
}

Cell derived_price(Price value, Price reference, Side side) {
  int digits = Price::k_decimals;
  for (int64_t v = reference.units(); digits > 2 && v != 0 && v % 10 == 0; v /= 10) --digits;
  Cell c = Cell::of_price(value);
  c.digits = digits;
  c.round_up = side == Side::long_;
  return c;
}

Section events_section() {
  return Section{"events", "Events", SectionShape::list,
                 {{"seq", CellType::integer},
                  {"at", CellType::time},
                  {"kind", CellType::text},
                  {"detail", CellType::text},
                  {"hash", CellType::hash}},
                 {}};
}

std::vector<Cell> event_row(const Event& event, const std::string& hash) {
  return {Cell::of_int(event.seq), Cell::of_time(event.at), Cell::of_text(std::string(kind_name(event.body))),
          Cell::of_text(describe(event.body)), Cell::of_hash(hash)};
}

std::string describe(const EventBody& body) {
  const auto config_text = [](const std::string& sha, const Config& c) {
    return "config sha256 " + sha.substr(0, 12) + ", " + std::to_string(c.markets.size()) + " market(s)";
  };
  if (const auto* e = std::get_if<JournalCreated>(&body)) return config_text(e->config_sha256, e->config);
  if (const auto* e = std::get_if<ConfigApplied>(&body)) return config_text(e->config_sha256, e->config);
  if (const auto* p = std::get_if<PriceSet>(&body)) return p->market + " " + to_string(p->price);
  const auto in = [](const std::string& t) { return t.empty() ? std::string() : " (" + t + ")"; };
  if (const auto* e = std::get_if<LpDeposited>(&body)) {
    return e->lp + " deposits " + to_string(e->amount) + in(e->tranche) +
           (e->lock.seconds > 0 ? ", locked " + format_duration(e->lock) : "") + (e->compound ? "" : ", income claimed");
  }
  if (const auto* e = std::get_if<LpAssetDeposited>(&body)) {
    return e->lp + " deposits " + e->amount + " " + e->asset + in(e->tranche) +
           (e->lock.seconds > 0 ? ", locked " + format_duration(e->lock) : "") + (e->compound ? "" : ", income claimed");
  }
  if (const auto* e = std::get_if<RewardsClaimed>(&body)) return e->lp + " claims " + to_string(e->amount) + " of income";
  const auto withdrawal = [&](const auto& e, const std::string& paid_in) {
    switch (e.by) {
      case WithdrawBy::amount: return e.lp + " withdraws " + to_string(e.amount) + paid_in + in(e.tranche);
      case WithdrawBy::shares: return e.lp + " redeems " + to_string(e.shares) + " shares" + paid_in + in(e.tranche);
      case WithdrawBy::all: break;
    }
    return e.lp + " withdraws all" + paid_in + in(e.tranche);
  };
  if (const auto* e = std::get_if<LpWithdrew>(&body)) return withdrawal(*e, "");
  if (const auto* e = std::get_if<LpAssetWithdrew>(&body)) return withdrawal(*e, " in " + e->asset);
  if (const auto* e = std::get_if<PositionOpened>(&body)) {
    return e->trader + " opens " + std::string(side_name(e->side)) + " " + e->market + ", collateral " +
           (e->collateral_asset.empty() ? to_string(e->collateral) : e->collateral_tokens + " " + e->collateral_asset) +
           (e->leverage.hundredths > 0 ? ", leverage " + format_decimal(e->leverage.hundredths, 2) + "x"
                                       : ", size " + to_string(e->size));
  }
  if (const auto* e = std::get_if<PositionClosed>(&body)) {
    return "close position " + std::to_string(e->id) + (e->size.is_positive() ? ", size " + to_string(e->size) : "");
  }
  if (const auto* e = std::get_if<PositionLiquidated>(&body)) {
    return "liquidate position " + std::to_string(e->id) + ", keeper " + e->keeper;
  }
  if (const auto* e = std::get_if<LossApplied>(&body)) return "external loss " + to_string(e->amount) + ": " + e->reason;
  if (const auto* e = std::get_if<LossAcknowledged>(&body)) {
    return "unabsorbed losses of " + to_string(e->amount) + " acknowledged: " + e->reason;
  }
  if (const auto* e = std::get_if<TrancheReset>(&body)) {
    return "the " + e->tranche + " tranche is wiped: " + to_string(e->shares) + " shares cancelled, it starts again";
  }
  const auto& e = std::get<InsuranceDeposited>(body);
  return e.from + " pays " + to_string(e.amount) + " into insurance";
}

}  // namespace nexadex

// ---- vault reports ---------------------------------------------------------------------------

namespace nexadex {
namespace {

// SPEC §10: an LP's reported value is floor(shares × price), here floor(shares × (NAV + 1) / (supply + V)),
// NAV being the tranche's virtual NAV (DESIGN-risk §4).
Usd value_in(const tranche::Values& v, TrancheId id) { return id == TrancheId::junior ? v.junior : v.senior; }
Result<Usd> value_of(const State& s, const LpKey& key, Shares shares, const tranche::Values& v) {
  return vault::amount_paid(shares, s.vault.tranche(key.tranche).supply, value_in(v, key.tranche));
}

// An LP's shares of a tranche as reports show them: with [locks], the compounding income due to its
// lots and not yet credited is its own too (held meanwhile by the tranche's pending shares).
Result<Shares> held_shares(const State& s, const LpKey& key, const LpHolding& h) {
  if (!s.config.locks.enabled) return h.shares;
  NX_TRY(due, locks::due_shares(s, key));
  return add(h.shares, due, "an LP's shares");
}

}  // namespace

Result<Report> pool_report(const State& s, Timestamp now) {
  const Vault& v = s.vault;
  // one valuation for every figure: the NAV, the tranches' values, the utilization and the free
  // capital are those the rules of this journal decide with (tranche::pool_value, free_capital)
  NX_TRY(pv, tranche::pool_value(s));
  const Usd nav = pv.nav;
  const tranche::Values& values = pv.tranches;
  NX_TRY(free, tranche::pool_free_capital(s, pv));
  NX_TRY(lp_capital, v.lp_capital());
  NX_TRY(unrealized, nav - lp_capital);
  WideUsd lp_values;   // 128 bits: a sum of int64 values cannot overflow it
  if (s.config.locks.enabled) NX_TRY_STATUS(locks::read_all_lots(s));
  for (const auto& [key, h] : s.lps) {
    NX_TRY(held, held_shares(s, key, h));
    NX_TRY(value, value_of(s, key, held, values));
    NX_TRY_STATUS(add_to(lp_values, WideUsd(value), "LP values"));
  }
  // the price a deposit would be minted at (the one tranche's virtual NAV; below zero counts as zero)
  NX_TRY(share_price, vault::share_price_usd_floor(values.senior, v.senior().supply));
  const bool tranched = s.config.tranches.enabled;
  // both tranches' shares: 128 bits, since each supply may come near 64 bits on its own (a junior
  // deposited into at a share price near zero; found by the tranche property test's long mode)
  const WideShares supply = wide_add(WideShares(v.senior().supply), v.junior().supply);
  const auto target = vault::insurance_target(s);
  Section pool{"pool", "Pool", SectionShape::record,
               {{"nav", CellType::usd},
                {"share_price", CellType::unit_price},
                {"shares", CellType::shares},
                {"lp_capital", CellType::usd},
                {"unrealized", CellType::usd},
                {"reserved", CellType::usd},
                {"free_capital", CellType::usd},
                {"utilization_bps", CellType::bps},
                {"open_interest_long", CellType::usd},
                {"open_interest_short", CellType::usd},
                {"insurance", CellType::usd},
                {"insurance_target", CellType::usd},
                {"treasury", CellType::usd},
                {"unabsorbed", CellType::usd},
                {"acknowledged", CellType::usd},
                {"rounding_reserve", CellType::usd}},
               {}};
  // what the LPs' values, each rounded down, leave of the tranches' values
  NX_TRY(lp_total, narrow(lp_values, "LP values"));
  NX_TRY(rounding_reserve, values.senior + values.junior - lp_total);
  // (under rules 4 the reserves in tokens too, at their low prices, rounded up)
  NX_TRY(reserved, vault::reserves_usd(s));
  pool.rows.push_back({Cell::of_usd(nav), tranched ? Cell::none(CellType::unit_price) : Cell::of_unit_price(share_price.units()),
                       Cell::of_shares(supply),
                       Cell::of_usd(lp_capital), Cell::of_usd(unrealized), Cell::of_usd(reserved),
                       Cell::of_usd(free),
                       Cell::of_bps(vault::utilization_ceil(reserved, nav)),
                       Cell::of_usd(v.open_interest_long), Cell::of_usd(v.open_interest_short), Cell::of_usd(v.insurance),
                       target ? Cell::of_usd(*target) : Cell::none(CellType::usd), Cell::of_usd(v.treasury),
                       Cell::of_usd(v.unabsorbed), Cell::of_usd(v.acknowledged),
                       Cell::of_usd(rounding_reserve)});
  std::vector<Section> sections;
  sections.push_back(std::move(pool));
  if (tranched) {
    // what a withdrawal from each tranche may take (the withdrawal's limit, issue 20)
    Section by_tranche{"free_capital", "Free capital by tranche", SectionShape::list,
                       {{"tranche", CellType::text},
                        {"nav", CellType::usd},
                        {"capital", CellType::usd},
                        {"free_capital", CellType::usd}},
                       {}};
    for (const TrancheId id : k_tranche_ids) {
      NX_TRY(f, tranche::free_capital_of(s, pv, id));
      by_tranche.rows.push_back({Cell::of_text(std::string(tranche_name(id))), Cell::of_usd(f.value),
                                 Cell::of_usd(f.capital), Cell::of_usd(f.free())});
    }
    sections.push_back(std::move(by_tranche));
  }
  Section markets{"markets", "Markets", SectionShape::list,
                  {{"market", CellType::text},
                   {"price", CellType::price},
                   {"age_seconds", CellType::duration},
                   {"fresh", CellType::boolean},
                   {"open_interest_long", CellType::usd},
                   {"open_interest_short", CellType::usd},
                   {"unrealized_pnl", CellType::usd}},
                  {}};
  for (const auto& [sym, m] : s.markets) {
    Usd long_oi, short_oi;
    int128 traders = 0;   // the traders' PnL before caps, from the books: −(linear value to the pool)
    for (const Side side : {Side::long_, Side::short_}) {
      const BookKey key{sym, side};
      const auto b = s.books.find(key);
      if (b == s.books.end() || !m.priced()) continue;
      NX_TRY(size, narrow_to<Usd>(b->second.size, "open interest"));
      (side == Side::long_ ? long_oi : short_oi) = size;
      NX_TRY(linear, book_linear_value(key, b->second, m.price));
      traders -= linear;
    }
    // floor: the traders' PnL, in 10^-18 micro-USD, shown in micro-USD
    NX_TRY(upnl, narrow_to<Usd>(floor_div(traders, k_quantity_scale), "traders' PnL"));
    markets.rows.push_back({Cell::of_text(sym), m.priced() ? Cell::of_price(m.price) : Cell::none(CellType::price),
                            m.priced() ? Cell::of_duration(Duration{now.seconds - m.price_at.seconds})
                                       : Cell::none(CellType::duration),
                            Cell::of_bool(s.is_fresh(m, now)), Cell::of_usd(long_oi), Cell::of_usd(short_oi),
                            Cell::of_usd(upnl)});
  }
  sections.push_back(std::move(markets));
  if (s.assets) {   // a multi-asset pool only: a single-USDC vault's report stays as it was
    NX_TRY(holdings, assets_section(s, now));
    sections.push_back(std::move(holdings));
  }
  if (shows_exposure(s)) {   // a single-USDC vault without a cap: the report stays as it was
    NX_TRY(exposure, exposure_section(s));
    sections.push_back(std::move(exposure));
  }
  return Report{"pool", std::move(sections)};
}

namespace {

// One holding of one tranche; the same keys with or without [tranches] (the one tranche is the senior).
Section lp_section(const char* name, const std::string& title) {
  Section sec{name, title, SectionShape::list,
              {{"lp", CellType::text},
               {"tranche", CellType::text},
               {"shares", CellType::shares},
               {"value", CellType::usd},
               {"deposited", CellType::usd},
               {"withdrawn", CellType::usd},
               {"pnl", CellType::usd},
               {"cancelled_shares", CellType::shares}},
              {}};
  return sec;
}

Result<std::vector<Cell>> lp_row(const State& s, const LpKey& key, const LpHolding& held, const tranche::Values& v) {
  LpHolding h = held;
  NX_TRY(shares, held_shares(s, key, held));
  h.shares = shares;
  NX_TRY(value, value_of(s, key, h.shares, v));
  NX_TRY(pnl, value + h.withdrawn - h.deposited);
  return std::vector<Cell>{Cell::of_text(key.lp), Cell::of_text(std::string(tranche_name(key.tranche))),
                           Cell::of_shares(h.shares), Cell::of_usd(value),
                           Cell::of_usd(h.deposited), Cell::of_usd(h.withdrawn),
                           Cell::of_usd(pnl),
                           Cell::of_shares(h.cancelled)};
}

}  // namespace

Result<Report> lps_report(const State& s, Timestamp now, const LotWindows& windows) {
  NX_TRY(values, tranche::values(s));
  if (s.config.locks.enabled) NX_TRY_STATUS(locks::read_all_lots(s));
  Section sec = lp_section("lps", "LPs");
  for (const auto& [key, h] : s.lps) {
    NX_TRY(row, lp_row(s, key, h, values));
    sec.rows.push_back(std::move(row));
  }
  Report report{"lps", {std::move(sec)}};
  if (s.config.locks.enabled) {
    NX_TRY(lots, lots_sections(s, now, nullptr, windows));
    for (auto& sec : lots) report.sections.push_back(std::move(sec));
  }
  return report;
}

Result<Report> lp_report(const State& s, const std::string& lp, Timestamp now, const LotWindows& windows) {
  NX_TRY(values, tranche::values(s));
  // a list of the LP's holdings, one per tranche it holds or held (a table shows one as a record)
  Section sec = lp_section("holdings", "LP " + lp);
  sec.one_row_as_record = true;
  for (const TrancheId id : k_tranche_ids) {
    const auto it = s.lps.find(LpKey{lp, id});
    if (it == s.lps.end()) continue;
    NX_TRY(row, lp_row(s, it->first, it->second, values));
    sec.rows.push_back(std::move(row));
  }
  if (sec.rows.empty()) return input_error("unknown LP '" + lp + "'; 'report lps' lists the LPs.");
  Report report{"lp", {std::move(sec)}};
  if (s.config.locks.enabled) {
    NX_TRY(lots, lots_sections(s, now, &lp, windows));
    for (auto& sec : lots) report.sections.push_back(std::move(sec));
  }
  return report;
}


Result<Report> insurance_report(const State& s) {
  const Vault& v = s.vault;
  const auto target = vault::insurance_target(s);
  NX_TRY(open_interest, v.open_interest_long + v.open_interest_short);
  Usd fee_income;
  for (const auto& [kind, f] : v.fees) NX_TRY_STATUS(add_to(fee_income, f.to_insurance, "insurance fee income"));
  if (auto ok = load_all_accounts(s); !ok) return std::unexpected(ok.error());
  WideUsd funded;   // Σ of the funders' balances: what came in, negative
  for (const auto& [name, balance] : s.accounts) {
    if (name.rfind("funder:", 0) != 0) continue;
    NX_TRY(sum, funded + balance);
    funded = sum;
  }
  NX_TRY(deposits_wide, -funded);
  NX_TRY(deposits, narrow(deposits_wide, "insurance deposits"));
  Section sec{"insurance", "Insurance fund", SectionShape::record,
              {{"balance", CellType::usd},
               {"target", CellType::usd},
               {"coverage_bps", CellType::bps},
               {"deposits", CellType::usd},
               {"fee_income", CellType::usd},
               {"paid_for_bad_debt", CellType::usd},
               {"floor_balance", CellType::usd},
               {"unabsorbed", CellType::usd},
                {"acknowledged", CellType::usd}},
              {}};
  const bool covered = open_interest.is_positive();
  auto coverage = covered ? bps_floor(v.insurance, open_interest, "coverage") : Result<Bps>(Bps{0});
  if (!coverage) return std::unexpected(coverage.error());
  sec.rows.push_back({Cell::of_usd(v.insurance), target ? Cell::of_usd(*target) : Cell::none(CellType::usd),
                      covered ? Cell::of_bps(*coverage) : Cell::none(CellType::bps), Cell::of_usd(deposits),
                      Cell::of_usd(fee_income), Cell::of_usd(v.insurance_paid),
                      Cell::of_usd(s.config.insurance.floor_balance), Cell::of_usd(v.unabsorbed),
                      Cell::of_usd(v.acknowledged)});
  return Report{"insurance", {std::move(sec)}};
}

Result<Report> fees_report(const State& s) {
  Section sec{"fees", "Fees", SectionShape::list,
              {{"kind", CellType::text},
               {"charged", CellType::usd},
               {"forgone", CellType::usd},
               {"to_lps", CellType::usd},
               {"to_insurance", CellType::usd},
               {"to_treasury", CellType::usd}},
              {}};
  std::vector<const char*> kinds{"open", "close", "borrow", "liquidation"};
  if (s.assets) kinds.insert(kinds.end(), {"deposit", "withdrawal"});   // a multi-asset pool's, in USD at the low price
  for (const char* kind : kinds) {
    const auto it = s.vault.fees.find(kind);
    const FeeTotals f = it == s.vault.fees.end() ? FeeTotals{} : it->second;
    sec.rows.push_back({Cell::of_text(kind), Cell::of_usd(f.charged), Cell::of_usd(f.forgone), Cell::of_usd(f.to_lps),
                        Cell::of_usd(f.to_insurance), Cell::of_usd(f.to_treasury)});
  }
  return Report{"fees", {std::move(sec)}};
}

// ---- tranches and the cascade -----------------------------------------------------------------

namespace {

Cell bps_or_none(std::optional<int64_t> v) { return v ? Cell::of_bps(Bps{*v}) : Cell::none(CellType::bps); }

// The realized price `days` ago: the close of the last marked day at or before that day.
std::optional<std::pair<int64_t, SharePrice>> price_days_ago(const Tranche& t, int64_t today, int64_t days) {
  std::optional<std::pair<int64_t, SharePrice>> found;
  for (const auto& [day, price] : t.daily) {
    if (day <= today - days) found = std::pair{day, price};
  }
  return found;
}

}  // namespace

Result<Report> tranches_report(const State& s, Timestamp now) {
  NX_TRY(values, tranche::values(s));
  const Vault& v = s.vault;
  // Three lists of the two tranches, so that a table fits 120 columns: their books, their returns
  // and what they absorbed.
  Section sec{"tranches", "Tranches", SectionShape::list,
              {{"tranche", CellType::text},
               {"nav", CellType::usd},
               {"capital", CellType::usd},
               {"share_price", CellType::unit_price},
               {"shares", CellType::shares},
               {"unpaid_target", CellType::usd},
               {"resets", CellType::integer}},
              {}};
  Section returns{"returns", "Returns", SectionShape::list,
                  {{"tranche", CellType::text},
                   {"gains", CellType::usd},
                   {"apy_inception_bps", CellType::bps},
                   {"apy_7d_bps", CellType::bps},
                   {"apy_30d_bps", CellType::bps}},
                  {}};
  Section absorbed_by{"absorbed", "Losses absorbed", SectionShape::list,
                      {{"tranche", CellType::text},
                       {"absorbed_trader_pnl", CellType::usd},
                       {"absorbed_bad_debt", CellType::usd},
                       {"absorbed_external", CellType::usd}},
                      {}};
  const int64_t today = now.seconds / k_seconds_per_day;
  for (const TrancheId id : k_tranche_ids) {
    const Tranche& t = v.tranche(id);
    const Usd nav = id == TrancheId::junior ? values.junior : values.senior;
    NX_TRY(price, vault::share_price_usd_floor(nav, t.supply));
    const SharePrice realized = tranche::unit_price(t);   // with [locks]: a ×1.0 compounding lot's
    const std::optional<int64_t> life = tranche::apy_since_start_bps(t, now);
    std::optional<int64_t> d7, d30;
    if (life) {
      if (const auto p = price_days_ago(t, today, 7)) {
        d7 = tranche::annualized_bps_toward_zero(p->second, Timestamp{(p->first + 1) * k_seconds_per_day}, realized, now);
      }
      if (const auto p = price_days_ago(t, today, 30)) {
        d30 = tranche::annualized_bps_toward_zero(p->second, Timestamp{(p->first + 1) * k_seconds_per_day}, realized, now);
      }
    }
    const auto absorbed = [&](const char* kind) {
      const auto it = t.absorbed.find(kind);
      return Cell::of_usd(it == t.absorbed.end() ? Usd(0) : it->second);
    };
    const Cell name = Cell::of_text(std::string(tranche_name(id)));
    sec.rows.push_back({name, Cell::of_usd(nav), Cell::of_usd(t.capital), Cell::of_unit_price(price.units()),
                        Cell::of_shares(t.supply),
                        id == TrancheId::senior ? Cell::of_usd(t.unpaid_target) : Cell::none(CellType::usd),
                        Cell::of_int(t.resets)});
    returns.rows.push_back({name, Cell::of_usd(t.gains), bps_or_none(life), bps_or_none(d7), bps_or_none(d30)});
    absorbed_by.rows.push_back({name, absorbed("trader_pnl"), absorbed("bad_debt"), absorbed("external")});
  }
  const auto capacity = tranche::senior_capacity(s, values);
  NX_TRY(exposed, exposure::counted(s));   // with a cap, the net exposure counts (DESIGN-risk §12)
  NX_TRY(reserved, vault::reserves_usd(s));
  NX_TRY(counted, reserved + exposed);
  Section risk{"subordination", "Subordination", SectionShape::record,
               {{"junior_ratio_bps", CellType::bps},
                {"min_junior_ratio_bps", CellType::bps},
                {"max_junior_ratio_bps", CellType::bps},
                {"senior_capacity", CellType::usd},
                {"senior_at_risk", CellType::usd},
                {"senior_target_apr_bps", CellType::bps},
                {"uncovered_unrealized", CellType::usd},
                {"unabsorbed", CellType::usd},
                {"acknowledged", CellType::usd}},
               {}};
  const auto& cfg = s.config.tranches;
  risk.rows.push_back({Cell::of_bps(tranche::junior_ratio_bps(values.junior, values.senior)),
                       Cell::of_bps(cfg.min_junior_ratio_bps),
                       cfg.max_junior_ratio_bps.value ? Cell::of_bps(cfg.max_junior_ratio_bps) : Cell::none(CellType::bps),
                       capacity ? Cell::of_usd(*capacity) : Cell::none(CellType::usd),
                       Cell::of_usd(tranche::senior_at_risk(s, values, counted)),
                       Cell::of_bps(cfg.senior_target_apr_bps), Cell::of_usd(values.uncovered),
                       Cell::of_usd(v.unabsorbed), Cell::of_usd(v.acknowledged)});
  return Report{"tranches", {std::move(sec), std::move(returns), std::move(absorbed_by), std::move(risk)}};
}

Result<Report> cascades_report(const State& s) {
  NX_TRY(losses, all_losses(s));
  Section sec{"cascades", "Losses allocated", SectionShape::list,
              {{"seq", CellType::integer},
               {"at", CellType::time},
               {"kind", CellType::text},
               {"market", CellType::text},
               {"loss", CellType::usd},
               {"insurance", CellType::usd},
               {"junior", CellType::usd},
               {"senior", CellType::usd},
               {"unabsorbed", CellType::usd},
               {"order", CellType::text},
               {"junior_cancelled_shares", CellType::shares}},
              {}};
  for (const LossRecord& r : losses) {
    Usd by[4];
    std::string order;
    for (const LossLeg& leg : r.legs) {
      const int i = leg.layer == "insurance" ? 0 : leg.layer == "junior" ? 1 : leg.layer == "senior" ? 2 : 3;
      NX_TRY_STATUS(add_to(by[i], leg.amount, "a layer's part of a loss"));
      order += (order.empty() ? "" : ">") + leg.layer;
    }
    sec.rows.push_back({Cell::of_int(r.seq), Cell::of_time(r.at), Cell::of_text(r.kind),
                        r.market.empty() ? Cell::none(CellType::text) : Cell::of_text(r.market), Cell::of_usd(r.total),
                        Cell::of_usd(by[0]), Cell::of_usd(by[1]), Cell::of_usd(by[2]),
                        Cell::of_usd(by[3]), Cell::of_text(order),
                        r.junior_cancelled.is_positive() ? Cell::of_shares(r.junior_cancelled) : Cell::none(CellType::shares)});
  }
  return Report{"cascades", {std::move(sec)}};
}

Result<Report> cascade_report(const State& before, const State& after, std::vector<Section> extra,
                              const CascadeMidpoint* mid) {
  NX_TRY(vb, tranche::values(before));
  NX_TRY(va, tranche::values(after));
  Section layers{"layers", "By layer", SectionShape::list,
                 {{"layer", CellType::text},
                  {"before", CellType::usd},
                  {"after", CellType::usd},
                  {"absorbed", CellType::usd},
                  {"lost_bps", CellType::bps}},
                 {}};
  if (mid) {
    layers.columns.push_back({"absorbed_holdings", CellType::usd});
    layers.columns.push_back({"absorbed_positions", CellType::usd});
  }
  // (b − a) / b on 128 bits, truncated toward zero as it always was (a gain shows as a negative loss)
  const auto lost_bps_toward_zero = [](Usd b, Usd a) {
    const int128 lost = static_cast<int128>(b.units()) - a.units();
    return b.is_positive() ? Cell::of_bps(Bps{static_cast<int64_t>(lost * k_bps_scale / b.units())})
                           : Cell::none(CellType::bps);
  };
  // `between`: the layer at the midpoint (ignored without one)
  const auto layer_row = [&](const char* name, const Result<Usd>& before_r, const Result<Usd>& after_r,
                             const Result<Usd>& between_r) -> Status {
    NX_TRY(b, before_r);
    NX_TRY(a, after_r);
    NX_TRY(absorbed, b - a);
    layers.rows.push_back(
        {Cell::of_text(name), Cell::of_usd(b), Cell::of_usd(a), Cell::of_usd(absorbed), lost_bps_toward_zero(b, a)});
    if (mid) {
      NX_TRY(m, between_r);
      NX_TRY(by_holdings, b - m);
      NX_TRY(by_positions, m - a);
      layers.rows.back().push_back(Cell::of_usd(by_holdings));
      layers.rows.back().push_back(Cell::of_usd(by_positions));
    }
    return {};
  };
  const tranche::Values vm = mid ? mid->values : va;
  NX_TRY_STATUS(layer_row("insurance", before.vault.insurance, after.vault.insurance,
                          mid ? mid->insurance : after.vault.insurance));
  NX_TRY_STATUS(layer_row("junior", vb.junior, va.junior, vm.junior));
  NX_TRY_STATUS(layer_row("senior", vb.senior, va.senior, vm.senior));
  // unabsorbed grows: shown as what is left over (a negative "absorbed")
  NX_TRY_STATUS(layer_row("unabsorbed", -before.vault.unabsorbed - vb.uncovered, -after.vault.unabsorbed - va.uncovered,
                          mid ? -mid->unabsorbed - vm.uncovered : Result<Usd>(Usd())));
  Section lps{"lps", "By LP", SectionShape::list,
              {{"lp", CellType::text},
               {"tranche", CellType::text},
               {"before", CellType::usd},
               {"after", CellType::usd},
               {"lost", CellType::usd},
               {"lost_bps", CellType::bps}},
              {}};
  if (mid) {
    lps.columns.push_back({"lost_holdings", CellType::usd});
    lps.columns.push_back({"lost_positions", CellType::usd});
  }
  for (const auto& [key, h] : before.lps) {
    if (!h.shares.is_positive()) continue;
    NX_TRY(held_before, held_shares(before, key, h));
    NX_TRY(b, value_of(before, key, held_before, vb));
    const auto it = after.lps.find(key);
    Usd a(0), m(0);
    if (it != after.lps.end()) {
      NX_TRY(held_after, held_shares(after, key, it->second));
      NX_TRY(av, value_of(after, key, held_after, va));
      a = av;
      if (mid) {
        // (a shock changes no LP's shares nor a tranche's supply: the midpoint's value is on the same)
        NX_TRY(mv, value_of(after, key, held_after, vm));
        m = mv;
      }
    }
    NX_TRY(lost, b - a);
    lps.rows.push_back({Cell::of_text(key.lp), Cell::of_text(std::string(tranche_name(key.tranche))), Cell::of_usd(b),
                        Cell::of_usd(a), Cell::of_usd(lost), lost_bps_toward_zero(b, a)});
    if (mid) {
      NX_TRY(by_holdings, b - m);
      NX_TRY(by_positions, m - a);
      lps.rows.back().push_back(Cell::of_usd(by_holdings));
      lps.rows.back().push_back(Cell::of_usd(by_positions));
    }
  }
  Report r{"cascade", {std::move(layers), std::move(lps)}};
  for (auto& sec : extra) r.sections.push_back(std::move(sec));
  return r;
}

}  // namespace nexadex

// ---- history ---------------------------------------------------------------------------------

namespace nexadex {

HistoryColumns history_columns(const State& now) {
  HistoryColumns c{now.config.locks.enabled, {}};
  if (shows_exposure(now)) {
    for (const auto& m : now.config.markets) c.exposure_markets.push_back(m.symbol);
  }
  return c;
}

Section history_section(const HistoryColumns& columns) {
  Section sec{"history", "History", SectionShape::list,
              {{"seq", CellType::integer},
               {"at", CellType::time},
               {"nav", CellType::usd},
               {"share_price", CellType::unit_price},
               {"senior_nav", CellType::usd},
               {"junior_nav", CellType::usd},
               {"senior_price", CellType::unit_price},
               {"junior_price", CellType::unit_price},
               {"utilization_bps", CellType::bps},
               {"insurance", CellType::usd},
               {"open_interest", CellType::usd},
               {"unabsorbed", CellType::usd}},
              {}};
  if (columns.locks) {
    sec.columns.push_back({"senior_apy_bps", CellType::bps});
    sec.columns.push_back({"junior_apy_bps", CellType::bps});
  }
  for (const std::string& m : columns.exposure_markets) {
    sec.columns.push_back({"price_" + m, CellType::price});
    sec.columns.push_back({"net_usd_" + m, CellType::usd});
  }
  return sec;
}

Result<std::vector<Cell>> history_row(const State& s, const HistoryColumns& columns) {
  const Vault& v = s.vault;
  NX_TRY(pv, tranche::pool_value(s));   // the NAV and tranche values the pool report shows
  const Usd nav = pv.nav;
  const tranche::Values& values = pv.tranches;
  const bool tranched = s.config.tranches.enabled;
  std::vector<Cell> row{Cell::of_int(s.head_seq), Cell::of_time(s.head_at), Cell::of_usd(nav)};
  if (tranched) {
    NX_TRY(senior_price, vault::share_price_usd_floor(values.senior, v.senior().supply));
    NX_TRY(junior_price, vault::share_price_usd_floor(values.junior, v.junior().supply));
    row.push_back(Cell::none(CellType::unit_price));
    row.push_back(Cell::of_usd(values.senior));
    row.push_back(Cell::of_usd(values.junior));
    row.push_back(Cell::of_unit_price(senior_price.units()));
    row.push_back(Cell::of_unit_price(junior_price.units()));
  } else {
    NX_TRY(price, vault::share_price_usd_floor(values.senior, v.senior().supply));
    row.push_back(Cell::of_unit_price(price.units()));
    for (const CellType t : {CellType::usd, CellType::usd, CellType::unit_price, CellType::unit_price}) {
      row.push_back(Cell::none(t));
    }
  }
  NX_TRY(reserved, vault::reserves_usd(s));
  row.push_back(Cell::of_bps(vault::utilization_ceil(reserved, nav)));
  row.push_back(Cell::of_usd(v.insurance));
  NX_TRY(open_interest, v.open_interest_long + v.open_interest_short);
  row.push_back(Cell::of_usd(open_interest));
  row.push_back(Cell::of_usd(v.unabsorbed));
  if (columns.locks) {
    // each tranche's ×1.0 APY since its start (a compounding lot without a boost), at this point
    for (const TrancheId id : k_tranche_ids) {
      const std::optional<int64_t> apy = tranche::apy_since_start_bps(v.tranche(id), s.head_at);
      row.push_back(apy ? Cell::of_bps(Bps{*apy}) : Cell::none(CellType::bps));
    }
  }
  if (!columns.exposure_markets.empty()) {
    NX_TRY(all, exposure::all(s));
    for (const std::string& m : columns.exposure_markets) {
      const auto it = std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.market == m; });
      const bool known = it != all.end();
      row.push_back(known && it->price ? Cell::of_price(*it->price) : Cell::none(CellType::price));
      row.push_back(known && it->net_usd ? Cell::of_usd(*it->net_usd) : Cell::none(CellType::usd));
    }
  }
  return row;
}

}  // namespace nexadex
