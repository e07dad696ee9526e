// cli/chart.hpp: SVG charts of report sections, and the round-number axes they are drawn on.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lib/report.hpp"
#include "lib/time.hpp"

namespace nexadex::cli {

// The section of `report history` (lib/report.hpp, history_section) as an SVG document: a panel per
// quantity (NAV, share prices, utilization, insurance) of step lines on round-number axes, with a
// legend. The last point's value holds until `end` (the report's end: --as-of, or the end of the
// last --every interval) when it is later than that point, else for 1/40 of the time span (an hour
// for a single point). Same section and `end`, same bytes: coordinates are integers, no locale.
void write_history_svg(const Section& history, std::optional<Timestamp> end, std::ostream& out);

// The points a chart of a long series keeps, as they come (report history --svg over millions of
// events): every point when there are at most k_chart_points_whole of them in all; else, of each run
// of `bucket` consecutive points, the first, the last, and for each column of money, price or rate
// the point where it is lowest and where it is highest (the first such), in their order. Memory: one
// run, and what was kept (at most about k_chart_buckets × (2 + 2 × columns) points), whatever the
// number of points.
inline constexpr int64_t k_chart_points_whole = 8'192;
inline constexpr int64_t k_chart_buckets = 2'048;
class ChartPoints {
 public:
  // `expected`: about how many points will come (the bucket is a 2,048th of it).
  explicit ChartPoints(int64_t expected)
      : m_bucket(expected <= k_chart_points_whole ? 1 : (expected + k_chart_buckets - 1) / k_chart_buckets) {}
  void add(std::vector<Cell> row, std::vector<std::vector<Cell>>& kept);
  // The last run's points: call once, after the last add.
  void finish(std::vector<std::vector<Cell>>& kept);

 private:
  int64_t m_bucket;
  std::vector<std::vector<Cell>> m_run;
};

// A value axis from `lo` to `hi` in steps of `step` (all in the series' units): the smallest step of
// 1, 2, 2.5 or 5 × 10^k units that covers [min, max] in at most 6 ticks, widened by whole steps to 4
// ticks when it gives fewer. A flat series (min == max) gets ±1% of its value (±1 whole unit around
// 0); an axis of non-negative values never goes below 0. `decimals` is how many of the unit's
// `scale` decimals a label needs to tell the ticks apart (0.0025 needs 4).
struct ValueAxis {
  int64_t lo = 0;
  int64_t hi = 0;
  int64_t step = 1;
  int decimals = 0;
};
ValueAxis value_axis(int64_t min, int64_t max, int scale);

// A tick value as text: `units` with `scale` implied decimals, shown with `decimals` of them
// (truncated: ticks are multiples of their step) and ',' thousands separators, e.g. 1,000,000 or
// 0.9975.
std::string axis_label(int64_t units, int scale, int decimals);

// A time axis from `start` (the first point) to `end` (the last point's end): ticks at round UTC
// times (1, 2, 5, 10, 15, 30 s or min; 1, 2, 3, 6, 12 h; 1, 2, 3 days; Monday-aligned 7 and 14
// days; the first of every 1, 2, 3 or 6 months; 1 January of every 1, 2, 5, 10... years), the
// smallest step with at most 6 ticks in [start, end]. When that gives fewer than 4, the axis is
// widened to the next tick before `start` or after `end`, whichever is nearer, until it holds 4.
// `with_time` is set when the step is under a day (labels then show the time of day too).
struct TimeAxis {
  int64_t start = 0;
  int64_t end = 0;
  std::vector<int64_t> ticks;
  bool with_time = false;
  bool with_seconds = false;
};
TimeAxis time_axis(int64_t start, int64_t end);

}  // namespace nexadex::cli
