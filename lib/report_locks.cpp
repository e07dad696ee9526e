// lib/report_locks.cpp: the reports of lots: per lot (report lp, report lps) and governance points
// (report points), valued at the report's time (DESIGN-risk §7, §13).
#include "lib/report.hpp"

#include <algorithm>

#include "lib/cascade.hpp"
#include "lib/locks.hpp"
#include "lib/pricing.hpp"

namespace nexadex {
namespace {

constexpr int64_t k_year_seconds = 31'536'000;
constexpr int64_t k_day_seconds = 86'400;

// A lot as a report shows it at `now`: its income due credited, its unlock processed if due.
struct LotView {
  Shares shares;
  Shares compounded;
  Usd claimable;
  Bps boost;
  int128 weight = 0;
  int128 points = 0;
  Usd value;
};

Result<LotView> view(const State& s, const Lot& lot, const tranche::Values& values, Timestamp now) {
  LotView v;
  NX_TRY(d, locks::due(s, lot));
  v.shares = lot.shares;
  v.compounded = lot.compounded;
  v.claimable = lot.claimable;
  if (lot.compound) {
    NX_TRY_STATUS(add_to(v.shares, Shares(d), "a lot's shares"));
    NX_TRY_STATUS(add_to(v.compounded, Shares(d), "a lot's shares"));
  } else {
    NX_TRY_STATUS(add_to(v.claimable, Usd(d), "a lot's claimable income"));
  }
  Lot now_lot = lot;   // the weight the accumulators count (its income due counts from its next credit)
  now_lot.unlocked = lot.unlocked || lot.lock_until.seconds <= now.seconds;
  v.boost = now_lot.boost();
  v.weight = now_lot.weight();
  NX_TRY(points, locks::points_at(lot, std::max(now, lot.points_at)));
  v.points = points;
  const Usd nav = lot.tranche == TrancheId::junior ? values.junior : values.senior;
  NX_TRY(value, vault::amount_paid(v.shares, s.vault.tranche(lot.tranche).supply, nav));
  v.value = value;
  return v;
}

// Realized APY over the lot's life, in bps a year (simple, not compounded): what it is worth and
// paid out (withdrawals, claims, claimable) against what it paid in, floored; none at age 0.
Cell apy_cell(const Lot& lot, const LotView& v, Timestamp now) {
  const int64_t age = now.seconds - lot.created.seconds;
  if (age <= 0 || !lot.deposited.is_positive()) return Cell::none(CellType::bps);
  const int128 end = static_cast<int128>(v.value.units()) + v.claimable.units() + lot.claimed.units() + lot.paid.units();
  const int128 gain = end - lot.deposited.units();
  const int128 apy = floor_div(gain * 10'000 * k_year_seconds, static_cast<int128>(lot.deposited.units()) * age);
  if (apy > std::numeric_limits<int64_t>::max() || apy < std::numeric_limits<int64_t>::min()) {
    return Cell::none(CellType::bps);
  }
  return Cell::of_bps(Bps{static_cast<int64_t>(apy)});
}

// Realized APY over the window from `then` (a replay of the journal at that time) to now: what the
// lot gained in value, claims, claimable income and withdrawals, against its value then, annualized;
// none when the lot did not exist then or was worth nothing.
Result<Cell> window_apy(const Lot& lot, const LotView& v, Timestamp now, const State* then_state, Timestamp then) {
  if (then_state == nullptr) return Cell::none(CellType::bps);
  NX_TRY_STATUS(locks::read_lots_of(*then_state, lot.lp));
  const auto it = then_state->lots.all.find(lot.id);
  if (it == then_state->lots.all.end() || now.seconds <= then.seconds) return Cell::none(CellType::bps);
  NX_TRY(values, tranche::values(*then_state));
  NX_TRY(w, view(*then_state, it->second, values, then));
  if (!w.value.is_positive()) return Cell::none(CellType::bps);
  const Lot& old = it->second;
  const int128 end = static_cast<int128>(v.value.units()) + v.claimable.units() + lot.claimed.units() + lot.paid.units();
  const int128 start = static_cast<int128>(w.value.units()) + w.claimable.units() + old.claimed.units() + old.paid.units();
  const int128 apy = floor_div((end - start) * 10'000 * k_year_seconds,
                               static_cast<int128>(w.value.units()) * (now.seconds - then.seconds));
  if (apy > std::numeric_limits<int64_t>::max() || apy < std::numeric_limits<int64_t>::min()) {
    return Cell::none(CellType::bps);
  }
  return Cell::of_bps(Bps{static_cast<int64_t>(apy)});
}

Cell weight_days(int128 points) { return Cell::of_shares(WideShares(points / k_day_seconds)); }

}  // namespace

Result<std::vector<Section>> lots_sections(const State& s, Timestamp now, const std::string* lp,
                                           const LotWindows& windows) {
  NX_TRY(values, tranche::values(s));
  // two lists of the same lots, so that a table fits 120 columns: the lots, and what they earned
  Section sec{"lots", "Lots", SectionShape::list,
              {{"lot", CellType::integer},
               {"lp", CellType::text},
               {"tranche", CellType::text},
               {"created", CellType::time},
               {"deposited", CellType::usd},
               {"shares", CellType::shares},
               {"value", CellType::usd},
               {"lock_until", CellType::time},
               {"locked", CellType::boolean},
               {"boost_bps", CellType::bps},
               {"weight", CellType::shares}},
              {}};
  Section income{"lot_income", "Lot income", SectionShape::list,
                 {{"lot", CellType::integer},
                  {"income", CellType::text},
                  {"compounded_shares", CellType::shares},
                  {"claimable", CellType::usd},
                  {"claimed", CellType::usd},
                  {"points", CellType::shares},
                  {"apy_bps", CellType::bps},
                  {"apy_7d_bps", CellType::bps},
                  {"apy_30d_bps", CellType::bps},
                  {"tranche_apy_bps", CellType::bps}},
                 {}};
  // the tranche's ×1.0 APY (a compounding lot without a boost, since the tranche's start)
  std::array<Cell, 2> unit_apy{Cell::none(CellType::bps), Cell::none(CellType::bps)};
  for (const TrancheId id : k_tranche_ids) {
    if (const auto a = tranche::apy_since_start_bps(s.vault.tranche(id), now)) unit_apy[static_cast<std::size_t>(id)] = Cell::of_bps(Bps{*a});
  }
  // per LP and tranche: the sums of its lots (points, weight, income), ahead of the lots themselves
  struct Sum {
    int64_t lots = 0, locked = 0;
    int128 weight = 0, points = 0;
    Shares compounded;
    Usd claimable, claimed;
  };
  std::map<LpKey, Sum> sums;
  const auto add = [&](const Lot& lot) -> Status {
    NX_TRY(v, view(s, lot, values, now));
    Sum& sum = sums[LpKey{lot.lp, lot.tranche}];
    sum.lots += 1;
    sum.locked += !lot.unlocked && lot.lock_until.seconds > now.seconds ? 1 : 0;
    sum.weight += v.weight;
    sum.points += v.points;
    NX_TRY_STATUS(add_to(sum.compounded, v.compounded, "an LP's compounded shares"));
    NX_TRY_STATUS(add_to(sum.claimable, v.claimable, "an LP's claimable income"));
    NX_TRY_STATUS(add_to(sum.claimed, lot.claimed, "an LP's claimed income"));
    sec.rows.push_back({Cell::of_int(lot.id), Cell::of_text(lot.lp), Cell::of_text(std::string(tranche_name(lot.tranche))),
                        Cell::of_time(lot.created), Cell::of_usd(lot.deposited), Cell::of_shares(v.shares),
                        Cell::of_usd(v.value),
                        lot.lock_until.seconds > 0 ? Cell::of_time(lot.lock_until) : Cell::none(CellType::time),
                        Cell::of_bool(v.boost.value != 10'000 || (!lot.unlocked && lot.lock_until.seconds > now.seconds)),
                        Cell::of_bps(v.boost), Cell::of_shares(WideShares(v.weight))});
    NX_TRY(d7, window_apy(lot, v, now, windows.d7, Timestamp{now.seconds - 7 * k_day_seconds}));
    NX_TRY(d30, window_apy(lot, v, now, windows.d30, Timestamp{now.seconds - 30 * k_day_seconds}));
    income.rows.push_back({Cell::of_int(lot.id), Cell::of_text(lot.compound ? "compound" : "claim"),
                           Cell::of_shares(v.compounded), Cell::of_usd(v.claimable), Cell::of_usd(lot.claimed),
                           weight_days(v.points), apy_cell(lot, v, now), d7, d30,
                           unit_apy[static_cast<std::size_t>(lot.tranche)]});
    return {};
  };
  NX_TRY_STATUS(lp == nullptr ? locks::read_all_lots(s) : locks::read_lots_of(s, *lp));
  if (lp == nullptr) {
    for (const auto& [id, lot] : s.lots.all) NX_TRY_STATUS(add(lot));
  } else if (const auto it = s.lots.by_lp.find(*lp); it != s.lots.by_lp.end()) {
    for (const int64_t id : it->second) NX_TRY_STATUS(add(s.lots.all.at(id)));
  }
  Section by_lp{"lp_lots", "Lots by LP", SectionShape::list,
                {{"lp", CellType::text},
                 {"tranche", CellType::text},
                 {"lots", CellType::integer},
                 {"locked", CellType::integer},
                 {"weight", CellType::shares},
                 {"points", CellType::shares},
                 {"compounded_shares", CellType::shares},
                 {"claimable", CellType::usd},
                 {"claimed", CellType::usd}},
                {}};
  for (const auto& [key, sum] : sums) {
    by_lp.rows.push_back({Cell::of_text(key.lp), Cell::of_text(std::string(tranche_name(key.tranche))),
                          Cell::of_int(sum.lots), Cell::of_int(sum.locked), Cell::of_shares(WideShares(sum.weight)),
                          weight_days(sum.points), Cell::of_shares(sum.compounded), Cell::of_usd(sum.claimable),
                          Cell::of_usd(sum.claimed)});
  }
  return std::vector<Section>{std::move(by_lp), std::move(sec), std::move(income)};
}

Result<Report> points_report(const State& s, Timestamp now) {
  if (!s.config.locks.enabled) {
    return input_error("this pool has no lots (its config has no [locks]), so no governance points; see nexadex.toml(5).");
  }
  struct Row {
    std::string lp;
    int128 points = 0;
    int128 weight = 0;
    int64_t lots = 0;
  };
  NX_TRY_STATUS(locks::read_all_lots(s));
  std::map<std::string, Row> by_lp;
  int128 total = 0;
  for (const auto& [id, lot] : s.lots.all) {
    NX_TRY(points, locks::points_at(lot, std::max(now, lot.points_at)));
    Lot now_lot = lot;
    now_lot.unlocked = lot.unlocked || lot.lock_until.seconds <= now.seconds;
    Row& r = by_lp[lot.lp];
    r.lp = lot.lp;
    r.points += points;
    r.weight += now_lot.weight();
    r.lots += 1;
    total += points;
  }
  std::vector<Row> rows;
  for (auto& [lp, r] : by_lp) rows.push_back(std::move(r));
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.points > b.points; });
  Section sec{"points", "Governance points (weight-days)", SectionShape::list,
              {{"rank", CellType::integer},
               {"lp", CellType::text},
               {"points", CellType::shares},
               {"share_bps", CellType::bps},
               {"weight", CellType::shares},
               {"lots", CellType::integer}},
              {}};
  int64_t rank = 0;
  for (const Row& r : rows) {
    const int64_t share = total > 0 ? static_cast<int64_t>(r.points * 10'000 / total) : 0;
    sec.rows.push_back({Cell::of_int(++rank), Cell::of_text(r.lp), weight_days(r.points), Cell::of_bps(Bps{share}),
                        Cell::of_shares(WideShares(r.weight)), Cell::of_int(r.lots)});
  }
  return Report{"points", {std::move(sec)}};
}

}  // namespace nexadex
