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

Cell weight_days(int128 points) { return Cell::of_shares(WideShares(points / k_day_seconds)); }

}  // namespace

Result<Section> lots_section(const State& s, Timestamp now, const std::string* lp) {
  NX_TRY(values, tranche::values(s));
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
               {"weight", CellType::shares},
               {"income", CellType::text},
               {"compounded_shares", CellType::shares},
               {"claimable", CellType::usd},
               {"claimed", CellType::usd},
               {"points", CellType::shares},
               {"apy_bps", CellType::bps}},
              {}};
  const auto add = [&](const Lot& lot) -> Status {
    NX_TRY(v, view(s, lot, values, now));
    sec.rows.push_back({Cell::of_int(lot.id), Cell::of_text(lot.lp), Cell::of_text(std::string(tranche_name(lot.tranche))),
                        Cell::of_time(lot.created), Cell::of_usd(lot.deposited), Cell::of_shares(v.shares),
                        Cell::of_usd(v.value),
                        lot.lock_until.seconds > 0 ? Cell::of_time(lot.lock_until) : Cell::none(CellType::time),
                        Cell::of_bool(v.boost.value != 10'000 || (!lot.unlocked && lot.lock_until.seconds > now.seconds)),
                        Cell::of_bps(v.boost), Cell::of_shares(WideShares(v.weight)),
                        Cell::of_text(lot.compound ? "compound" : "claim"), Cell::of_shares(v.compounded),
                        Cell::of_usd(v.claimable), Cell::of_usd(lot.claimed), weight_days(v.points),
                        apy_cell(lot, v, now)});
    return {};
  };
  if (lp == nullptr) {
    for (const auto& [id, lot] : s.lots.all) NX_TRY_STATUS(add(lot));
  } else if (const auto it = s.lots.by_lp.find(*lp); it != s.lots.by_lp.end()) {
    for (const int64_t id : it->second) NX_TRY_STATUS(add(s.lots.all.at(id)));
  }
  return sec;
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
