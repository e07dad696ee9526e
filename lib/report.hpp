// lib/report.hpp: reports as data (sections of typed cells), drawn by one renderer per format in cli/.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lib/cascade.hpp"
#include "lib/event.hpp"
#include "lib/journal_head.hpp"
#include "lib/state.hpp"

namespace nexadex {

// usd: an amount in micro-USD; unit_price: the price of one unit (an LP share) in micro-USD, which
// tables show with all 6 decimals where amounts get 2.
enum class CellType { text, integer, usd, unit_price, price, shares, bps, time, duration, boolean, hash };

// One value. `null` cells print as "-" in tables, null in JSON and empty in CSV.
struct Cell {
  CellType type = CellType::text;
  bool null = false;
  // integer, usd/price/shares units, bps, time/duration seconds, boolean 0/1; 128 bits for the wide
  // sums (an LP's cancelled shares), every other type holds an int64
  int128 number = 0;
  std::string text;       // text, hash
  // price: tables round it to this many decimals, up when `round_up` (a liquidation price shown no
  // more precisely than the market is priced, on the side that warns early); -1: as it is.
  int digits = -1;
  bool round_up = false;

  static Cell of_text(std::string s) { return {CellType::text, false, 0, std::move(s)}; }
  static Cell of_int(int64_t v) { return {CellType::integer, false, v, {}}; }
  static Cell of_usd(Usd v) { return {CellType::usd, false, v.units(), {}}; }
  static Cell of_unit_price(int64_t micro_usd) { return {CellType::unit_price, false, micro_usd, {}}; }
  static Cell of_price(Price v) { return {CellType::price, false, v.units(), {}}; }
  static Cell of_shares(Shares v) { return {CellType::shares, false, v.units(), {}}; }
  static Cell of_shares(WideShares v) { return {CellType::shares, false, v.units(), {}}; }
  static Cell of_bps(Bps v) { return {CellType::bps, false, v.value, {}}; }
  static Cell of_time(Timestamp t) { return {CellType::time, false, t.seconds, {}}; }
  static Cell of_duration(Duration d) { return {CellType::duration, false, d.seconds, {}}; }
  static Cell of_bool(bool b) { return {CellType::boolean, false, b ? 1 : 0, {}}; }
  static Cell of_hash(std::string h) { return {CellType::hash, false, 0, std::move(h)}; }
  static Cell none(CellType t) { return {t, true, 0, {}}; }
};

// A table's header is its key's words (absorbed_trader_pnl: ABSORBED TRADER PNL in a list, "absorbed
// trader PNL" in a record), so every format names a figure the same way.
// A price derived from a market's price (a liquidation price): tables show it with the decimals of
// `reference` (the market's latest price; at least 2), rounded up for a long (so that the figure shown is
// reached first) and down for a short; JSON and CSV keep all 8.
Cell derived_price(Price value, Price reference, Side side);

struct Column {
  std::string key;        // snake_case: the JSON key, the CSV header and the table's words
  CellType type;
};

// A record section is one row shown as key/value pairs (a JSON object); a list section is rows (a
// JSON array).
enum class SectionShape { record, list };

struct Section {
  std::string name;       // JSON key of the section
  std::string title;      // heading in tables
  SectionShape shape = SectionShape::list;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  // A list that tables show as a record block when it has exactly one row (a write command's result:
  // JSON keeps the list, so its shape does not depend on how many events there were).
  bool one_row_as_record = false;
};

struct Report {
  std::string name;       // "summary", "events", ...
  std::vector<Section> sections;
};

// `report summary`: the journal head, the config in force and every market's latest price with its
// age at `now` (the report's time: --as-of, the event at --seq, or the command's time).
Report summary_report(const State& state, const JournalHead& head, Timestamp now);

// `price show`: each configured market's latest price, when it was set, its age at `now`, fresh or not.
Report price_report(const State& state, Timestamp now);

// `report events`: the columns, and one row per event (rows are streamed by the caller).
Section events_section();
std::vector<Cell> event_row(const Event& event, const std::string& hash);

// The vault reports (SPEC §3, issue 4), valued at the latest prices with ages measured at `now`.
// Errors: an arithmetic overflow while valuing; an unknown LP or position id (ErrorKind::input).
Result<Report> pool_report(const State& state, Timestamp now);
// `report assets` (and the last section of `report pool` on a multi-asset pool): per asset its balances
// in tokens, prices, value, weight and band, utilization, and the fee in bps a deposit and a withdrawal
// of one whole token would pay now (none where the band rule would refuse it). Errors: a single-USDC
// vault (input).
Result<Report> assets_report(const State& state, Timestamp now);
Result<Section> assets_section(const State& state, Timestamp now);
// `report exposure` (and a section of `report pool` when shows_exposure): per market the pool's net
// exposure (lib/exposure.hpp): held, owed to longs, owed by shorts and net in tokens (every decimal
// of the exact amount, at least the market's asset's), net in USD (magnitude rounded up), its share of
// AUM in bps (rounded up; none when AUM ≤ 0) and the market's cap (none: no cap).
Result<Report> exposure_report(const State& state);
Result<Section> exposure_section(const State& state);
// A pool with [[assets]], or with a market that caps its net exposure.
bool shows_exposure(const State& state);
// The journal replayed 7 and 30 days before the report's time (nullptr: not given, or before the
// journal began), for the lots' realized APY over those windows.
struct LotWindows {
  const State* d7 = nullptr;
  const State* d30 = nullptr;
};
// With [locks] both add the lots (of every LP, or of that LP) as the report's time `now` sees them.
Result<Report> lps_report(const State& state, Timestamp now, const LotWindows& windows = {});
Result<Report> lp_report(const State& state, const std::string& lp, Timestamp now, const LotWindows& windows = {});
// With [locks]: each lot at `now` (section "lots"): shares and value with its income due, boost,
// weight, unlock time; and what it earned ("lot_income"): income compounded, claimable and claimed,
// governance points (weight-days), realized APY (life, 7 and 30 days) and beside it the tranche's
// ×1.0 APY since its start.
Result<std::vector<Section>> lots_sections(const State& state, Timestamp now, const std::string* lp,
                                           const LotWindows& windows);
// `report points`: LPs ranked by governance points accrued to `now` (DESIGN-risk §7).
Result<Report> points_report(const State& state, Timestamp now);
// Which positions `report positions` lists: the open ones, or every one with the legs of each.
enum class Listing { open, all };
// Which of them: of one market, of one trader, of one side, only the open ones liquidatable at the
// latest price; at most `limit` (in id order; the legs of --all are those of the positions listed).
struct PositionFilter {
  std::string market;              // empty: every market
  std::string trader;              // empty: every trader
  std::optional<Side> side;
  bool liquidatable = false;
  std::optional<int64_t> limit;
};
Result<Report> positions_report(const State& state, Listing listing, const PositionFilter& filter = {});
// The rows of its section *positions* handed to `row` one at a time, in id order: read from the
// journal's table a chunk at a time when the state reads it through a loader and has written every
// change (memory holds one chunk, whatever the number of positions), else from memory. The report's
// columns are positions_section().
Section positions_section();
Status for_each_position_row(const State& state, Listing listing, const PositionFilter& filter,
                             const std::function<Status(std::vector<Cell>)>& row);
// The rows of its section *legs* (with Listing::all), the same way: the legs of the positions listed,
// by (id, seq), a chunk of positions at a time. Its columns are positions_legs_section().
Section positions_legs_section();
Status for_each_listed_leg_row(const State& state, Listing listing, const PositionFilter& filter,
                               const std::function<Status(std::vector<Cell>)>& row);
Result<Report> position_report(const State& state, int64_t id);
Result<Report> traders_report(const State& state);
Result<Report> insurance_report(const State& state);
Result<Report> fees_report(const State& state);

// `report tranches` (SPEC §4, DESIGN-risk §13): per tranche NAV, price, shares, realized APY (since
// inception, last 7 and 30 days), unpaid senior target, losses absorbed by kind; and the junior ratio,
// senior capacity and senior at risk. `report cascades`: every loss allocated, layer by layer.
Result<Report> tranches_report(const State& state, Timestamp now);
Result<Report> cascades_report(const State& state);

// `cascade`: how a loss (or a shock) would fall, from the state before to the state after: per layer
// (insurance, junior, senior at virtual NAV, unabsorbed) and per LP holding (value before and after,
// lost, % lost). `extra` sections (the shock's liquidations) are appended.
// With `mid` (a shock of a multi-asset pool): the point between the shock's two causes, the holdings
// revalued at the shocked prices and the positions still valued as before; each layer's and LP's
// change is then split into what the holdings and what the positions did (columns
// absorbed_holdings/absorbed_positions and lost_holdings/lost_positions; they sum to the total).
struct CascadeMidpoint {
  tranche::Values values;   // the tranches' values with the traders' unrealized PnL as before
  Usd insurance;
  Usd unabsorbed;
};
Result<Report> cascade_report(const State& before, const State& after, std::vector<Section> extra,
                              const CascadeMidpoint* mid = nullptr);

// `report history` (SPEC §8): the pool's time series, one row per point, each the state after an
// event: NAV, the share price (one tranche) or each tranche's virtual NAV and price, utilization,
// insurance, open interest and unabsorbed losses.
// With [locks] (`locks`, the journal's config now) each point also has each tranche's ×1.0 APY since
// its start (senior_apy_bps, junior_apy_bps). On a pool that shows its net exposure (shows_exposure,
// of the journal's state now), each point also has, for each of `exposure_markets` (that state's
// markets), its price, price_SYMBOL, and the pool's net exposure to it in USD, net_usd_SYMBOL
// (signed: > 0 the pool is long the asset); null where the market is not configured or not priced.
struct HistoryColumns {
  bool locks = false;
  std::vector<std::string> exposure_markets;
};
HistoryColumns history_columns(const State& now);
Section history_section(const HistoryColumns& columns = {});
Result<std::vector<Cell>> history_row(const State& state, const HistoryColumns& columns = {});

// A one-line human description of an event's payload, e.g. "BTC 65000.00000000".
std::string describe(const EventBody& body);

}  // namespace nexadex
