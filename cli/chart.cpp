// cli/chart.cpp: `report history --svg FILE`: the history section drawn as an SVG chart, panels of
// step lines (the state holds between events): NAV, share prices, utilization, insurance (and, on a
// pool showing its net exposure, market prices and net exposure; with [locks], the APY), each on
// round-number axes with grid lines, dates and a legend. Every coordinate is an integer computed in
// 128 bits; nothing here rounds money, it only places pixels and prints tick values exactly.
#include "cli/chart.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <string_view>

#include "lib/money.hpp"

namespace nexadex::cli {
namespace {

constexpr int64_t k_width = 760;        // of a panel's plot area
constexpr int64_t k_height = 150;
constexpr int64_t k_right = 56;         // room for the last time label, centred on its tick
constexpr int64_t k_header = 64;        // title and subtitle
constexpr int64_t k_panel_title = 26;   // a panel's title and legend, above its plot
constexpr int64_t k_panel_below = 52;   // time labels (two lines) and the gap to the next panel
constexpr int64_t k_char_width = 7;     // of a 12 px sans-serif character, for laying out text
constexpr const char* k_grid = "#e3e3e3";
constexpr const char* k_axis = "#666";

// A series' colour by its name, the same in every panel: the pool (its NAV and, with one tranche,
// its share price) blue, the senior tranche orange, the junior green.
const char* color_of(std::string_view key) {
  // a market's price and net exposure: "market-I", the I-th market's colour of a palette apart from the above
  if (key.starts_with("market-")) {
    static constexpr const char* k_markets[] = {"#d62728", "#17becf", "#bcbd22", "#e377c2", "#7f7f7f"};
    std::size_t i = 0;
    for (const char c : key.substr(7)) i = i * 10 + static_cast<std::size_t>(c - '0');
    return k_markets[i % std::size(k_markets)];
  }
  if (key == "senior") return "#ff7f0e";
  if (key == "junior") return "#2ca02c";
  if (key == "utilization") return "#9467bd";
  if (key == "insurance") return "#8c564b";
  return "#1f77b4";
}

struct Series {
  std::string key;                               // the colour's name
  std::string label;                             // in the legend
  std::vector<std::optional<int64_t>> values;    // one per row; none where the column is null
};

struct Panel {
  std::string id;            // of its SVG group: panel-nav, -price, -utilization, -insurance, -prices, -exposure, -apy
  std::string title;
  int scale = 6;             // decimals of the values' unit: 6 for USD, 8 for prices, 2 for bps as a percentage
  std::string suffix;        // "%" for bps
  std::vector<Series> series;
};

int128 pow10(int k) {
  int128 p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

int column_of(const Section& s, std::string_view name) {
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key == name) return static_cast<int>(i);
  }
  return -1;
}

Series series_of(const Section& s, std::string_view column, std::string key, std::string label) {
  Series out{std::move(key), std::move(label), {}};
  const int c = column_of(s, column);
  for (const auto& row : s.rows) {
    if (c < 0 || row[static_cast<std::size_t>(c)].null) {
      out.values.push_back(std::nullopt);
    } else {
      out.values.push_back(static_cast<int64_t>(row[static_cast<std::size_t>(c)].number));
    }
  }
  return out;
}

bool has_values(const Series& s) {
  return std::any_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.has_value(); });
}

// --- time -----------------------------------------------------------------------------------------

// A round step of the time axis: `seconds` long from 1970-01-01 plus `offset`, or `months` long
// from the first of a month whose index (year × 12 + month − 1) is a multiple of it.
struct TimeStep {
  int64_t seconds = 0;
  int64_t offset = 0;
  int64_t months = 0;
};

constexpr int64_t k_day = 86'400;
constexpr int64_t k_monday = 4 * k_day;   // 1970-01-05, the first Monday
constexpr int64_t k_last_time = 253'402'300'799;   // 9999-12-31T23:59:59Z, the last time parse_time takes

constexpr std::array k_time_steps{
    TimeStep{1}, TimeStep{2}, TimeStep{5}, TimeStep{10}, TimeStep{15}, TimeStep{30},
    TimeStep{60}, TimeStep{120}, TimeStep{300}, TimeStep{600}, TimeStep{900}, TimeStep{1800},
    TimeStep{3600}, TimeStep{7200}, TimeStep{10800}, TimeStep{21600}, TimeStep{43200},
    TimeStep{k_day}, TimeStep{2 * k_day}, TimeStep{3 * k_day}, TimeStep{7 * k_day, k_monday},
    TimeStep{14 * k_day, k_monday}, TimeStep{0, 0, 1}, TimeStep{0, 0, 2}, TimeStep{0, 0, 3},
    TimeStep{0, 0, 6}, TimeStep{0, 0, 12}, TimeStep{0, 0, 24}, TimeStep{0, 0, 60},
    TimeStep{0, 0, 120}, TimeStep{0, 0, 240}, TimeStep{0, 0, 600}, TimeStep{0, 0, 1200},
    TimeStep{0, 0, 2400}, TimeStep{0, 0, 6000}, TimeStep{0, 0, 12000}, TimeStep{0, 0, 24000}};

// The month index (year × 12 + month − 1) of the month holding t, and the time its first day begins.
int64_t month_index_of(int64_t t) {
  using namespace std::chrono;
  const year_month_day d{sys_days{days{static_cast<int>(floor_div(t, k_day))}}};
  return static_cast<int64_t>(static_cast<int>(d.year())) * 12 + static_cast<unsigned>(d.month()) - 1;
}

int64_t month_start(int64_t index) {
  using namespace std::chrono;
  const year_month_day d{year{static_cast<int>(index / 12)}, month{static_cast<unsigned>(index % 12 + 1)}, day{1}};
  return static_cast<int64_t>(sys_days{d}.time_since_epoch().count()) * k_day;
}

// The ticks of `step` from `start` on: the k-th (0-based) tick at or after start.
int64_t nth_tick(const TimeStep& step, int64_t start, int64_t k) {
  if (step.months == 0) {
    return static_cast<int64_t>(ceil_div(start - step.offset, step.seconds) * step.seconds + step.offset +
                                k * step.seconds);
  }
  int64_t first = month_index_of(start);
  if (month_start(first) < start) ++first;
  first = static_cast<int64_t>(ceil_div(first, step.months) * step.months);
  return month_start(first + k * step.months);
}

// How many ticks of `step` lie in [start, end].
int64_t tick_count(const TimeStep& step, int64_t start, int64_t end) {
  if (step.months == 0) {
    return static_cast<int64_t>(floor_div(end - step.offset, step.seconds) -
                                ceil_div(start - step.offset, step.seconds) + 1);
  }
  const int64_t first = month_index_of(nth_tick(step, start, 0));
  const int64_t last = static_cast<int64_t>(floor_div(month_index_of(end), step.months) * step.months);
  return last < first ? 0 : (last - first) / step.months + 1;
}

// The last tick of `step` before t, and the first after it.
int64_t tick_before(const TimeStep& step, int64_t t) {
  if (step.months == 0) {
    return static_cast<int64_t>(ceil_div(t - step.offset, step.seconds) * step.seconds + step.offset - step.seconds);
  }
  const int64_t index = month_index_of(t) - (month_start(month_index_of(t)) < t ? 0 : 1);
  return month_start(static_cast<int64_t>(floor_div(index, step.months) * step.months));
}

int64_t tick_after(const TimeStep& step, int64_t t) {
  if (step.months == 0) {
    return static_cast<int64_t>(floor_div(t - step.offset, step.seconds) * step.seconds + step.offset + step.seconds);
  }
  return month_start(static_cast<int64_t>(ceil_div(month_index_of(t) + 1, step.months) * step.months));
}

}  // namespace

TimeAxis time_axis(int64_t start, int64_t end) {
  TimeAxis axis{start, std::max(end, start + 1), {}, false, false};
  TimeStep step = k_time_steps.back();
  for (const TimeStep& s : k_time_steps) {
    if (tick_count(s, axis.start, axis.end) <= 6) {
      step = s;
      break;
    }
  }
  // fewer than 4 ticks: move out the end nearer to a tick, a tick at a time
  for (int64_t n = tick_count(step, axis.start, axis.end); n < 4; ++n) {
    const int64_t before = tick_before(step, axis.start), after = tick_after(step, axis.end);
    if (axis.start - before < after - axis.end) {
      axis.start = before;
    } else {
      axis.end = after;
    }
  }
  for (int64_t k = 0;; ++k) {
    const int64_t t = nth_tick(step, axis.start, k);
    if (t > axis.end) break;
    axis.ticks.push_back(t);
  }
  axis.with_time = step.months == 0 && step.seconds < k_day;
  axis.with_seconds = step.months == 0 && step.seconds < 60;
  return axis;
}

ValueAxis value_axis(int64_t min, int64_t max, int scale) {
  int128 lo = std::min(min, max), hi = std::max(min, max);
  if (lo == hi) {   // a flat series: ±1% of its value, or ±1 around 0
    const int128 half = lo == 0 ? pow10(scale) : std::max<int128>((lo < 0 ? -lo : lo) / 100, 1);
    lo -= half;
    hi += half;
  }
  if (min >= 0 && lo < 0) lo = 0;
  for (int k = 0; k <= 19; ++k) {
    const int128 p = pow10(k);
    for (const int128 step : {p, 2 * p, k > 0 ? p * 25 / 10 : 0, 5 * p}) {
      if (step == 0) continue;
      int128 a = floor_div(lo, step) * step, b = ceil_div(hi, step) * step;
      int128 n = (b - a) / step + 1;
      if (n > 6) continue;
      for (bool up = true; n < 4; up = !up, ++n) {   // widen by whole steps, alternately up and down
        if (up || (min >= 0 && a - step < 0)) {
          b += step;
        } else {
          a -= step;
        }
      }
      int zeros = 0;
      for (int128 s = step; s % 10 == 0; s /= 10) ++zeros;
      return ValueAxis{static_cast<int64_t>(a), static_cast<int64_t>(b), static_cast<int64_t>(step),
                       std::max(0, scale - zeros)};
    }
  }
  return ValueAxis{min, max, std::max<int64_t>(max - min, 1), 0};   // not reached for int64 values
}

std::string axis_label(int64_t units, int scale, int decimals) {
  const int128 one = pow10(scale);
  const int128 v = units < 0 ? -static_cast<int128>(units) : static_cast<int128>(units);
  std::string whole = format_int128(v / one);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
  std::string out = (units < 0 ? "-" : "") + whole;
  if (decimals > 0) {
    std::string frac = format_int128(v % one);
    frac.insert(0, static_cast<std::size_t>(scale) - frac.size(), '0');
    out += "." + frac.substr(0, static_cast<std::size_t>(decimals));
  }
  return out;
}

namespace {

// --- drawing --------------------------------------------------------------------------------------

struct Frame {
  int64_t left = 0;     // x of the plot area's left edge
  int64_t top = 0;      // y of its top edge
  TimeAxis time;
};

int64_t x_of(const Frame& f, int64_t t) {
  const int128 span = static_cast<int128>(f.time.end) - f.time.start;
  return f.left + static_cast<int64_t>((static_cast<int128>(t) - f.time.start) * k_width / span);
}

int64_t y_of(const Frame& f, const ValueAxis& a, int64_t v) {
  const int128 span = static_cast<int128>(a.hi) - a.lo;
  return f.top + k_height - static_cast<int64_t>((static_cast<int128>(v) - a.lo) * k_height / span);
}

ValueAxis axis_of(const Panel& p) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (const auto& s : p.series) {
    for (const auto& v : s.values) {
      if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
    }
  }
  if (lo > hi) lo = hi = 0;
  return value_axis(lo, hi, p.scale);
}

std::vector<std::string> value_labels(const Panel& p, const ValueAxis& a) {
  std::vector<std::string> out;
  for (int64_t v = a.lo; v <= a.hi; v += a.step) out.push_back(axis_label(v, p.scale, a.decimals) + p.suffix);
  return out;
}

struct Point {
  int64_t x = 0;
  int64_t y = 0;
};

// Drops the inner points of a column: a run of points at one x becomes its first, lowest, highest
// and last, in an order that ends on the last (the vertical line they draw covers the same pixels),
// so a polyline has at most 4 points a pixel column however many events fall in it.
std::vector<Point> thin(const std::vector<Point>& in) {
  std::vector<Point> out;
  for (std::size_t i = 0; i < in.size();) {
    std::size_t j = i;
    int64_t lo = in[i].y, hi = in[i].y;
    while (j + 1 < in.size() && in[j + 1].x == in[i].x) {
      ++j;
      lo = std::min(lo, in[j].y);
      hi = std::max(hi, in[j].y);
    }
    const int64_t first = in[i].y, last = in[j].y;
    const std::array<int64_t, 4> ys = last == lo   ? std::array<int64_t, 4>{first, hi, lo, lo}
                                      : last == hi ? std::array<int64_t, 4>{first, lo, hi, hi}
                                                   : std::array<int64_t, 4>{first, lo, hi, last};
    for (const int64_t y : ys) {
      if (out.empty() || out.back().x != in[i].x || out.back().y != y) out.push_back({in[i].x, y});
    }
    i = j + 1;
  }
  return out;
}

// The series as step lines: each value holds until the next row's time (the last until `end`); a
// null value ends the line, so a series with gaps is drawn as several polylines.
void draw_series(const Series& s, const std::vector<int64_t>& times, int64_t end, const Frame& f, const ValueAxis& a,
                 const char* width, std::ostream& out) {
  std::vector<Point> points;
  const auto flush = [&](int64_t until) {
    if (points.empty()) return;
    points.push_back({x_of(f, until), points.back().y});
    out << "<polyline class=\"" << s.key << "\" fill=\"none\" stroke=\"" << color_of(s.key) << "\" stroke-width=\""
        << width << "\" stroke-linejoin=\"round\" points=\"";
    const std::vector<Point> drawn = thin(points);
    for (std::size_t i = 0; i < drawn.size(); ++i) out << (i ? " " : "") << drawn[i].x << ',' << drawn[i].y;
    out << "\"/>\n";
    points.clear();
  };
  for (std::size_t r = 0; r < times.size(); ++r) {
    if (!s.values[r]) {
      flush(times[r]);
      continue;
    }
    const Point p{x_of(f, times[r]), y_of(f, a, *s.values[r])};
    if (!points.empty()) {
      if (points.back().y == p.y) continue;   // the line goes on flat
      points.push_back({p.x, points.back().y});
    }
    points.push_back(p);
  }
  flush(end);
}

void text(std::ostream& out, int64_t x, int64_t y, std::string_view anchor, std::string_view content) {
  out << "<text x=\"" << x << "\" y=\"" << y << "\"";
  if (!anchor.empty()) out << " text-anchor=\"" << anchor << "\"";
  out << ">" << escape(content) << "</text>\n";
}

void draw_panel(const Panel& p, const std::vector<int64_t>& times, int64_t end, const Frame& f, std::ostream& out) {
  const ValueAxis a = axis_of(p);
  const int64_t bottom = f.top + k_height, right = f.left + k_width;
  out << "<g class=\"panel\" id=\"panel-" << p.id << "\">\n";
  out << "<text x=\"" << f.left << "\" y=\"" << f.top - 10 << "\" font-weight=\"bold\">" << escape(p.title)
      << "</text>\n";
  // the legend, right-aligned above the plot: a swatch of each series' line, then its name
  out << "<g class=\"legend\">\n";
  int64_t legend_width = 0;
  for (const auto& s : p.series) legend_width += 26 + k_char_width * static_cast<int64_t>(s.label.size()) + 14;
  int64_t x = right - legend_width + 14;
  for (const auto& s : p.series) {
    out << "<line class=\"" << s.key << "\" x1=\"" << x << "\" y1=\"" << f.top - 14 << "\" x2=\"" << x + 20
        << "\" y2=\"" << f.top - 14 << "\" stroke=\"" << color_of(s.key) << "\" stroke-width=\"3\"/>\n";
    text(out, x + 26, f.top - 10, "", s.label);
    x += 26 + k_char_width * static_cast<int64_t>(s.label.size()) + 14;
  }
  out << "</g>\n";
  // grid lines at the ticks, light grey, under the series
  out << "<g class=\"grid\" stroke=\"" << k_grid << "\" shape-rendering=\"crispEdges\">\n";
  for (int64_t v = a.lo; v <= a.hi; v += a.step) {
    const int64_t y = y_of(f, a, v);
    out << "<line x1=\"" << f.left << "\" y1=\"" << y << "\" x2=\"" << right << "\" y2=\"" << y << "\"/>\n";
  }
  for (const int64_t t : f.time.ticks) {
    const int64_t tx = x_of(f, t);
    out << "<line x1=\"" << tx << "\" y1=\"" << f.top << "\" x2=\"" << tx << "\" y2=\"" << bottom << "\"/>\n";
  }
  out << "</g>\n";
  out << "<path d=\"M" << f.left << ',' << f.top << " V" << bottom << " H" << right << "\" fill=\"none\" stroke=\""
      << k_axis << "\" shape-rendering=\"crispEdges\"/>\n";
  // value labels left of the axis, time labels under it (the date only where it changes)
  const std::vector<std::string> labels = value_labels(p, a);
  out << "<g class=\"y-labels\" fill=\"#333\">\n";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    text(out, f.left - 8, y_of(f, a, a.lo + static_cast<int64_t>(i) * a.step) + 4, "end", labels[i]);
  }
  out << "</g>\n";
  out << "<g class=\"x-labels\" fill=\"#333\">\n";
  std::string last_date;
  for (const int64_t t : f.time.ticks) {
    const std::string rfc = format_time(Timestamp{t});   // 2026-01-05T08:00:00Z
    const std::string date = rfc.substr(0, 10);
    const int64_t tx = x_of(f, t);
    if (!f.time.with_time) {
      text(out, tx, bottom + 16, "middle", date);
      continue;
    }
    text(out, tx, bottom + 16, "middle", rfc.substr(11, f.time.with_seconds ? 8 : 5));
    if (date != last_date) text(out, tx, bottom + 30, "middle", date);
    last_date = date;
  }
  out << "</g>\n";
  for (const auto& s : p.series) {
    // the pool's line is wider, under the tranches', so it shows where it coincides with one of them
    const bool under = p.series.size() > 1 && s.key == "pool";
    draw_series(s, times, end, f, a, under ? "3.5" : "1.75", out);
  }
  out << "</g>\n";
}

std::vector<Panel> panels_of(const Section& history) {
  std::vector<Panel> panels;
  Panel nav{"nav", "NAV (USD)", 6, "", {series_of(history, "nav", "pool", "pool")}};
  Series senior_nav = series_of(history, "senior_nav", "senior", "senior");
  Series junior_nav = series_of(history, "junior_nav", "junior", "junior");
  if (has_values(senior_nav)) {
    nav.series.push_back(std::move(senior_nav));
    nav.series.push_back(std::move(junior_nav));
  }
  panels.push_back(std::move(nav));
  Panel price{"price", "Share price (USD)", 6, "", {}};
  Series one = series_of(history, "share_price", "pool", "pool");
  if (has_values(one)) price.series.push_back(std::move(one));
  Series senior_price = series_of(history, "senior_price", "senior", "senior");
  if (has_values(senior_price)) {
    price.series.push_back(std::move(senior_price));
    price.series.push_back(series_of(history, "junior_price", "junior", "junior"));
  }
  panels.push_back(std::move(price));
  panels.push_back(Panel{"utilization", "Utilization (reserves / NAV)", 2, "%",
                         {series_of(history, "utilization_bps", "utilization", "utilization")}});
  panels.push_back(
      Panel{"insurance", "Insurance fund (USD)", 6, "", {series_of(history, "insurance", "insurance", "insurance")}});
  // a pool showing its net exposure: each market's price and net_usd (> 0: the pool is long the asset),
  // a market the same colour in both panels
  Panel prices{"prices", "Market prices (USD)", 8, "", {}};
  Panel exposure{"exposure", "Net exposure (USD; above 0 the pool is long)", 6, "", {}};
  for (std::size_t c = 0; c < history.columns.size(); ++c) {
    const std::string& key = history.columns[c].key;
    if (!key.starts_with("net_usd_")) continue;
    const std::string market = key.substr(8), colour = "market-" + std::to_string(exposure.series.size());
    prices.series.push_back(series_of(history, "price_" + market, colour, market));
    exposure.series.push_back(series_of(history, key, colour, market));
  }
  if (!exposure.series.empty()) {
    panels.push_back(std::move(prices));
    panels.push_back(std::move(exposure));
  }
  // with [locks]: each tranche's ×1.0 APY since its start (what an unboosted compounding lot earned)
  if (column_of(history, "senior_apy_bps") >= 0) {
    Panel apy{"apy", "Realized APY since start, x1.0 lot", 2, "%", {}};
    apy.series.push_back(series_of(history, "senior_apy_bps", "senior", "senior"));
    Series junior = series_of(history, "junior_apy_bps", "junior", "junior");
    if (has_values(junior)) apy.series.push_back(std::move(junior));
    panels.push_back(std::move(apy));
  }
  return panels;
}

}  // namespace

void write_history_svg(const Section& history, std::optional<Timestamp> end, std::ostream& out) {
  std::vector<int64_t> times;
  const int at = column_of(history, "at");
  for (const auto& row : history.rows) times.push_back(static_cast<int64_t>(row[static_cast<std::size_t>(at)].number));
  const std::vector<Panel> panels = panels_of(history);

  // the plot's left edge leaves room for the widest value label of any panel, so the panels align
  std::size_t widest = 0;
  for (const Panel& p : panels) {
    for (const auto& l : value_labels(p, axis_of(p))) widest = std::max(widest, l.size());
  }
  const int64_t left = 20 + k_char_width * static_cast<int64_t>(widest);
  const int64_t panel = k_panel_title + k_height + k_panel_below;
  const int64_t height = k_header + static_cast<int64_t>(panels.size()) * panel;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << left + k_width + k_right << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << left + k_width + k_right << ' ' << height
      << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
  out << "<title>nexadex pool history</title>\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (times.empty()) {
    text(out, left, k_header, "", "no events");
    out << "</svg>\n";
    return;
  }
  // the last value holds until the report's end, or for a sliver of the span (an hour for one point)
  const int64_t first = times.front(), last = times.back();
  int64_t until = std::clamp(end ? end->seconds : last, last, std::max(last, k_last_time));
  if (until == last) until = last + (last > first ? std::max<int64_t>((last - first) / 40, 1) : 3600);
  const Frame base{left, 0, time_axis(first, until)};

  const int seq = column_of(history, "seq");
  out << "<text x=\"" << left << "\" y=\"26\" font-size=\"16\" font-weight=\"bold\">nexadex pool history</text>\n";
  out << "<text x=\"" << left << "\" y=\"46\" fill=\"#555\">events "
      << static_cast<int64_t>(history.rows.front()[static_cast<std::size_t>(seq)].number) << " to "
      << static_cast<int64_t>(history.rows.back()[static_cast<std::size_t>(seq)].number) << ", " << times.size()
      << (times.size() == 1 ? " point" : " points") << ", " << escape(format_time(Timestamp{first})) << " to "
      << escape(format_time(Timestamp{until})) << " (UTC); each value holds until the next point</text>\n";
  int64_t top = k_header + k_panel_title;
  for (const Panel& p : panels) {
    Frame f = base;
    f.top = top;
    draw_panel(p, times, until, f, out);
    top += panel;
  }
  out << "</svg>\n";
}

void ChartPoints::add(std::vector<Cell> row, std::vector<std::vector<Cell>>& kept) {
  if (m_bucket <= 1) {
    kept.push_back(std::move(row));
    return;
  }
  m_run.push_back(std::move(row));
  if (static_cast<int64_t>(m_run.size()) >= m_bucket) finish(kept);
}

void ChartPoints::finish(std::vector<std::vector<Cell>>& kept) {
  if (m_run.empty()) return;
  std::vector<bool> keep(m_run.size(), false);
  keep.front() = keep.back() = true;
  for (std::size_t c = 0; c < m_run.front().size(); ++c) {
    const CellType t = m_run.front()[c].type;
    if (t != CellType::usd && t != CellType::unit_price && t != CellType::price && t != CellType::bps) continue;
    std::size_t lo = m_run.size(), hi = m_run.size();
    for (std::size_t i = 0; i < m_run.size(); ++i) {
      const Cell& cell = m_run[i][c];
      if (cell.null) continue;
      if (lo == m_run.size() || cell.number < m_run[lo][c].number) lo = i;
      if (hi == m_run.size() || cell.number > m_run[hi][c].number) hi = i;
    }
    if (lo < m_run.size()) keep[lo] = true;
    if (hi < m_run.size()) keep[hi] = true;
  }
  for (std::size_t i = 0; i < m_run.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(m_run[i]));
  }
  m_run.clear();
}

}  // namespace nexadex::cli
