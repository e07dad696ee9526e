// tests/cli/chart_test.cpp: the round-number axes of `report history --svg` and the chart's bytes.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/chart.hpp"

using namespace nexadex;
using nexadex::cli::axis_label;
using nexadex::cli::time_axis;
using nexadex::cli::value_axis;

namespace {

int64_t t(const char* text) { return parse_time(text, "t")->seconds; }

std::vector<int64_t> times(std::initializer_list<const char*> texts) {
  std::vector<int64_t> out;
  for (const char* s : texts) out.push_back(t(s));
  return out;
}

struct Expected {
  int64_t lo, hi, step;
  int decimals;
};

void check_axis(int64_t min, int64_t max, int scale, Expected e) {
  const auto a = value_axis(min, max, scale);
  INFO("min " << min << " max " << max << " scale " << scale);
  CHECK(a.lo == e.lo);
  CHECK(a.hi == e.hi);
  CHECK(a.step == e.step);
  CHECK(a.decimals == e.decimals);
  const int64_t ticks = (a.hi - a.lo) / a.step + 1;
  CHECK(ticks >= 4);
  CHECK(ticks <= 6);
}

}  // namespace

TEST_CASE("value axis: the smallest 1-2-2.5-5 step with at most 6 ticks", "[cli][chart]") {
  // NAV 0 to 1,000,000 USD: 100,000 would be 11 ticks, 200,000 is 6
  check_axis(0, 1'000'000'000'000, 6, {0, 1'000'000'000'000, 200'000'000'000, 0});
  // senior price 0.920624 to 1: 0.01 is 9 ticks; 0.02 is 0.92 .. 1.00, 5 ticks, 2 decimals
  check_axis(920'624, 1'000'000, 6, {920'000, 1'000'000, 20'000, 2});
  // 0.995194 to 1: 0.001 is 0.995 .. 1.000, 6 ticks, 3 decimals
  check_axis(995'194, 1'000'000, 6, {995'000, 1'000'000, 1'000, 3});
  // 0.99 to 1.002: 0.002 is 7 ticks; 0.0025 is 0.9900 .. 1.0025, 6 ticks, and needs 4 decimals
  check_axis(990'000, 1'002'000, 6, {990'000, 1'002'500, 2'500, 4});
  // utilization 0 to 13.58%: 2% is 8 ticks, 2.5% is 7, 5% is 0 .. 15%, 4 ticks
  check_axis(0, 1'358, 2, {0, 1'500, 500, 0});
  // insurance 50,000 to 51,000 USD: 200 a tick
  check_axis(50'000'000'000, 51'000'000'000, 6, {50'000'000'000, 51'000'000'000, 200'000'000, 0});
  // negative values: floor and ceiling toward -inf and +inf, -200 .. 300
  check_axis(-150, 250, 0, {-200, 300, 100, 0});
}

TEST_CASE("value axis: a flat series gets a range around its value", "[cli][chart]") {
  // 1.000000 flat: ±1% is 0.99 .. 1.01, in steps of 0.005
  check_axis(1'000'000, 1'000'000, 6, {990'000, 1'010'000, 5'000, 3});
  // 0 USD flat: 0 .. 1 (never below 0), steps of 0.2
  check_axis(0, 0, 6, {0, 1'000'000, 200'000, 1});
  // 0 bps flat: 0% .. 1%
  check_axis(0, 0, 2, {0, 100, 20, 1});
  // 175,000 USD flat: ±1,750 -> 173,000 .. 177,000 by 1,000
  check_axis(175'000'000'000, 175'000'000'000, 6, {173'000'000'000, 177'000'000'000, 1'000'000'000, 0});
}

TEST_CASE("value axis: fewer than 4 ticks are widened by whole steps, up then down", "[cli][chart]") {
  // 10 .. 11 in steps of 1 is 2 ticks: 12 above, then 9 below
  check_axis(10, 11, 0, {9, 12, 1, 0});
  // 0 .. 1: never below 0, so both steps go above
  check_axis(0, 1, 0, {0, 3, 1, 0});
}

TEST_CASE("axis labels: exact, with thousands separators and the decimals asked for", "[cli][chart]") {
  CHECK(axis_label(1'000'000'000'000, 6, 0) == "1,000,000");
  CHECK(axis_label(997'500, 6, 4) == "0.9975");
  CHECK(axis_label(1'002'500, 6, 4) == "1.0025");
  CHECK(axis_label(-1'250'000, 6, 2) == "-1.25");
  CHECK(axis_label(0, 6, 0) == "0");
  CHECK(axis_label(1'358, 2, 2) == "13.58");
  CHECK(axis_label(123'456, 0, 0) == "123,456");
}

TEST_CASE("time axis: round UTC ticks, 4 to 6 of them", "[cli][chart]") {
  SECTION("41 days: Mondays") {
    const auto a = time_axis(t("2026-01-01"), t("2026-02-11"));
    CHECK(a.ticks == times({"2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09"}));
    CHECK(a.end == t("2026-02-11"));
    CHECK_FALSE(a.with_time);
  }
  SECTION("a week: days") {
    const auto a = time_axis(t("2026-01-05T07:59:00Z"), t("2026-01-11T21:56:09Z"));
    CHECK(a.ticks == times({"2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10", "2026-01-11"}));
  }
  SECTION("an hour: quarters, with the time of day") {
    const auto a = time_axis(t("2026-01-01"), t("2026-01-01T01:00:00Z"));
    CHECK(a.ticks == times({"2026-01-01T00:00:00Z", "2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z",
                            "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"}));
    CHECK(a.with_time);
    CHECK_FALSE(a.with_seconds);
  }
  SECTION("7.5 months: every other month's first day") {
    const auto a = time_axis(t("2026-01-15"), t("2026-09-01"));
    CHECK(a.ticks == times({"2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01"}));
  }
  SECTION("19 days: 3 days would be 7 ticks, weeks 2; the nearer Mondays outside are added") {
    // Tuesday to Sunday: Monday 26th (a day after the end; a tie with Monday 5th goes to the end),
    // then Monday 5th (a day before the start; the 2nd of February is 7 days after)
    const auto a = time_axis(t("2026-01-06"), t("2026-01-25"));
    CHECK(a.ticks == times({"2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"}));
    CHECK(a.start == t("2026-01-05"));
    CHECK(a.end == t("2026-01-26"));
  }
  SECTION("6.4 days: days would be 7 ticks, 2 days 3; the day before the start is nearer") {
    const auto a = time_axis(t("2026-01-05T14:00:00Z"), t("2026-01-12"));
    CHECK(a.ticks == times({"2026-01-05", "2026-01-07", "2026-01-09", "2026-01-11"}));
    CHECK(a.start == t("2026-01-05"));
    CHECK(a.end == t("2026-01-12"));
  }
  SECTION("years: every 5th 1 January, widened back to 2020") {
    const auto a = time_axis(t("2020-06-01"), t("2035-01-01"));
    CHECK(a.ticks == times({"2020-01-01", "2025-01-01", "2030-01-01", "2035-01-01"}));
  }
}

namespace {

Section history_of(std::vector<std::vector<Cell>> rows) {
  Section s = history_section();
  s.rows = std::move(rows);
  return s;
}

// A one-tranche row: seq, at, nav, share price, utilization, insurance.
std::vector<Cell> row(int64_t seq, const char* at, int64_t nav, int64_t price, int64_t util, int64_t insurance) {
  std::vector<Cell> r{Cell::of_int(seq), Cell::of_time(Timestamp{t(at)}), Cell::of_usd(Usd(nav)),
                      Cell::of_usd(Usd(price))};
  for (int i = 0; i < 4; ++i) r.push_back(Cell::none(CellType::usd));
  r.push_back(Cell::of_bps(Bps{util}));
  r.push_back(Cell::of_usd(Usd(insurance)));
  r.push_back(Cell::of_usd(Usd(0)));
  r.push_back(Cell::of_usd(Usd(0)));
  return r;
}

std::string svg_of(const Section& s, std::optional<Timestamp> end = std::nullopt) {
  std::ostringstream out;
  cli::write_history_svg(s, end, out);
  return out.str();
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto i = text.find(what); i != std::string::npos; i = text.find(what, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("one event: a flat line across the plot, axes around its value", "[cli][chart]") {
  const std::string svg = svg_of(history_of({row(1, "2026-01-01", 0, 1'000'000, 0, 0)}));
  CHECK(count(svg, "<polyline") == 4);   // NAV, share price, utilization, insurance
  // each a horizontal segment from the left edge to the right edge (an hour later)
  CHECK(svg.find("1 point, 2026-01-01T00:00:00Z to 2026-01-01T01:00:00Z") != std::string::npos);
  CHECK(svg.find(">1.010<") != std::string::npos);   // the price's axis: 0.990 .. 1.010
  CHECK(svg.find(">0.990<") != std::string::npos);
  CHECK(svg.find(">00:15<") != std::string::npos);
  CHECK(svg.find(">2026-01-01<") != std::string::npos);
  CHECK(svg == svg_of(history_of({row(1, "2026-01-01", 0, 1'000'000, 0, 0)})));   // same bytes
}

TEST_CASE("the last value holds until the report's end", "[cli][chart]") {
  const Section s = history_of({row(1, "2026-01-05", 100'000'000'000, 1'000'000, 0, 0),
                                row(2, "2026-01-06", 100'000'000'000, 1'000'000, 500, 0)});
  CHECK(svg_of(s).find("to 2026-01-06T00:36:00Z") != std::string::npos);   // 1 day / 40 = 36 minutes
  CHECK(svg_of(s, Timestamp{t("2026-01-08")}).find("to 2026-01-08T00:00:00Z") != std::string::npos);
  // utilization 0% then 5%: its axis 0% .. 5%, the panel's plot from y 546 (5%) to 696 (0%); the
  // time axis 2026-01-05 .. 2026-01-08 from x 69 (the widest value label, "101,000", is 7 characters)
  // to 829, 2026-01-06 at 69 + 760 / 3 = 322. A step up there, then held to the right edge.
  const std::string svg = svg_of(s, Timestamp{t("2026-01-08")});
  CHECK(svg.find("points=\"69,696 322,696 322,546 829,546\"") != std::string::npos);
}

TEST_CASE("a series keeps its colour in every panel", "[cli][chart]") {
  std::vector<Cell> r{Cell::of_int(1), Cell::of_time(Timestamp{t("2026-01-01")}),
                      Cell::of_usd(Usd(1'000'000'000'000)), Cell::none(CellType::usd),
                      Cell::of_usd(Usd(800'000'000'000)), Cell::of_usd(Usd(200'000'000'000)),
                      Cell::of_usd(Usd(1'000'000)), Cell::of_usd(Usd(1'000'000)), Cell::of_bps(Bps{0}),
                      Cell::of_usd(Usd(0)), Cell::of_usd(Usd(0)), Cell::of_usd(Usd(0))};
  const std::string svg = svg_of(history_of({r}));
  CHECK(count(svg, "<polyline") == 7);
  // senior: a NAV line, a price line and a swatch in each of their two legends
  CHECK(count(svg, "stroke=\"#ff7f0e\"") == 4);
  CHECK(count(svg, "stroke=\"#2ca02c\"") == 4);
}

TEST_CASE("many events: at most 4 points a pixel column, so the file stays small", "[cli][chart]") {
  // 20,000 events a second apart, utilization alternating 0% / 5%: 26 events a pixel column of the
  // 760 px plot; each column keeps its first, lowest, highest and last point
  std::vector<std::vector<Cell>> rows;
  for (int64_t i = 0; i < 20'000; ++i) {
    std::vector<Cell> r = row(i + 1, "2026-01-01", 100'000'000'000, 1'000'000, i % 2 ? 500 : 0, 0);
    r[1] = Cell::of_time(Timestamp{t("2026-01-01") + i});
    rows.push_back(std::move(r));
  }
  const std::string svg = svg_of(history_of(std::move(rows)));
  const auto from = svg.find("class=\"utilization\" fill");
  const auto points = svg.substr(svg.find("points=\"", from), svg.find("\"/>", from) - svg.find("points=\"", from));
  CHECK(static_cast<std::size_t>(std::count(points.begin(), points.end(), ',')) <= 4 * 761);
  CHECK(svg.size() < 80'000);
}

TEST_CASE("chart points: a long series keeps each run's first, last, lowest and highest", "[cli][chart]") {
  using nexadex::cli::ChartPoints;
  const auto row = [](int64_t seq, int64_t nav) { return std::vector<Cell>{Cell::of_int(seq), Cell::of_usd(Usd(nav))}; };
  const auto seqs = [](const std::vector<std::vector<Cell>>& rows) {
    std::vector<int64_t> out;
    for (const auto& r : rows) out.push_back(static_cast<int64_t>(r[0].number));
    return out;
  };
  SECTION("8,192 points or fewer: all of them") {
    ChartPoints points(8'192);
    std::vector<std::vector<Cell>> kept;
    for (int64_t i = 0; i < 10; ++i) points.add(row(i, i % 3), kept);
    points.finish(kept);
    CHECK(kept.size() == 10);
  }
  SECTION("10,000 points: runs of ceil(10,000 / 2,048) = 5") {
    ChartPoints points(10'000);
    std::vector<std::vector<Cell>> kept;
    // run 1: NAVs 5 1 3 9 2 → first (0), lowest (1), highest (3), last (4); run 2: all 4 → first and
    // last (the lowest and the highest are the first); run 3, cut short by the end: 7 alone
    const int64_t navs[] = {5, 1, 3, 9, 2, 4, 4, 4, 4, 4, 7};
    for (int64_t i = 0; i < 11; ++i) points.add(row(i, navs[i]), kept);
    CHECK(seqs(kept) == std::vector<int64_t>{0, 1, 3, 4, 5, 9});
    points.finish(kept);
    CHECK(seqs(kept) == std::vector<int64_t>{0, 1, 3, 4, 5, 9, 10});
  }
}
