// cli/chart.cpp: `report history --svg FILE`: the history section drawn as an SVG chart, four panels
// of step lines (the state holds between events): NAV, share prices, utilization, insurance. Every
// coordinate is an integer computed in 128 bits; nothing here rounds money, it only places pixels.
#include "cli/chart.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex::cli {
namespace {

constexpr int64_t k_left = 120;      // room for the value labels
constexpr int64_t k_width = 760;     // of a panel's plot area
constexpr int64_t k_height = 150;
constexpr int64_t k_panel_gap = 70;  // title above, time labels below
constexpr int64_t k_top = 60;
constexpr const char* k_colors[] = {"#1f77b4", "#d62728", "#2ca02c"};

struct Series {
  std::string label;
  std::vector<std::optional<int64_t>> values;   // one per row; none where the column is null
};

struct Panel {
  std::string title;
  CellType unit = CellType::usd;   // usd or bps, for the labels
  std::vector<Series> series;
};

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

// A label for a value: USD with 2 decimals, bps as a percentage with 2 decimals.
std::string label_of(int64_t v, CellType unit) {
  if (unit == CellType::bps) return format_decimal(v, 2) + "%";
  return format_decimal_display(v, 6, 2);
}

int column_of(const Section& s, std::string_view name) {
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key == name) return static_cast<int>(i);
  }
  return -1;
}

Series series_of(const Section& s, std::string_view column, std::string label) {
  Series out{std::move(label), {}};
  const int c = column_of(s, column);
  for (const auto& row : s.rows) {
    if (c < 0 || row[static_cast<std::size_t>(c)].null) {
      out.values.push_back(std::nullopt);
    } else {
      out.values.push_back(row[static_cast<std::size_t>(c)].number);
    }
  }
  return out;
}

bool has_values(const Series& s) {
  return std::any_of(s.values.begin(), s.values.end(), [](const auto& v) { return v.has_value(); });
}

// x of time t: the first row's time at the left edge, the last's at the right.
int64_t x_of(int64_t t, int64_t t0, int64_t t1) {
  if (t1 == t0) return k_left + k_width / 2;
  return k_left + static_cast<int64_t>(static_cast<int128>(t - t0) * k_width / (t1 - t0));
}

// y of value v in a panel whose top is `top`: lo at the bottom edge, hi at the top.
int64_t y_of(int64_t v, int64_t lo, int64_t hi, int64_t top) {
  return top + k_height - static_cast<int64_t>(static_cast<int128>(v - lo) * k_height / (hi - lo));
}

void draw_panel(const Panel& p, const std::vector<int64_t>& times, int64_t top, std::ostream& out) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (const auto& s : p.series) {
    for (const auto& v : s.values) {
      if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
    }
  }
  if (lo > hi) lo = hi = 0;
  if (lo == hi) {   // a flat line in the middle of the panel
    lo -= 1;
    hi += 1;
  }
  const int64_t t0 = times.front(), t1 = times.back();
  out << "<text x=\"" << k_left << "\" y=\"" << top - 10 << "\" font-weight=\"bold\">" << escape(p.title) << "</text>\n";
  out << "<rect x=\"" << k_left << "\" y=\"" << top << "\" width=\"" << k_width << "\" height=\"" << k_height
      << "\" fill=\"none\" stroke=\"#999\"/>\n";
  out << "<text x=\"" << k_left - 6 << "\" y=\"" << top + 4 << "\" text-anchor=\"end\">" << escape(label_of(hi, p.unit))
      << "</text>\n";
  out << "<text x=\"" << k_left - 6 << "\" y=\"" << top + k_height << "\" text-anchor=\"end\">"
      << escape(label_of(lo, p.unit)) << "</text>\n";
  out << "<text x=\"" << k_left << "\" y=\"" << top + k_height + 16 << "\">" << format_time(Timestamp{t0}) << "</text>\n";
  out << "<text x=\"" << k_left + k_width << "\" y=\"" << top + k_height + 16 << "\" text-anchor=\"end\">"
      << format_time(Timestamp{t1}) << "</text>\n";
  int64_t legend_x = k_left + k_width;
  for (std::size_t i = p.series.size(); i-- > 0;) {
    const Series& s = p.series[i];
    const char* color = k_colors[i % std::size(k_colors)];
    // a step line: each value holds until the next point's time
    out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
    bool first = true;
    std::optional<int64_t> prev_x, prev_y;
    for (std::size_t r = 0; r < times.size(); ++r) {
      if (!s.values[r]) continue;
      const int64_t x = x_of(times[r], t0, t1), y = y_of(*s.values[r], lo, hi, top);
      if (prev_y && *prev_y == y) continue;                               // the line goes on flat
      if (prev_y && *prev_x != x) out << ' ' << x << ',' << *prev_y;       // flat to this time, then the step
      out << (first ? "" : " ") << x << ',' << y;
      first = false;
      prev_x = x;
      prev_y = y;
    }
    if (prev_y && *prev_x != k_left + k_width) out << ' ' << k_left + k_width << ',' << *prev_y;
    out << "\"/>\n";
    if (p.series.size() > 1) {
      out << "<text x=\"" << legend_x << "\" y=\"" << top - 10 << "\" text-anchor=\"end\" fill=\"" << color << "\">"
          << escape(s.label) << "</text>\n";
      legend_x -= 12 + 8 * static_cast<int64_t>(s.label.size());
    }
  }
}

}  // namespace

void write_history_svg(const Section& history, std::ostream& out) {
  std::vector<int64_t> times;
  const int at = column_of(history, "at");
  for (const auto& row : history.rows) times.push_back(row[static_cast<std::size_t>(at)].number);
  std::vector<Panel> panels;
  Panel nav{"NAV (USD)", CellType::usd, {series_of(history, "nav", "pool")}};
  Series senior_nav = series_of(history, "senior_nav", "senior"), junior_nav = series_of(history, "junior_nav", "junior");
  if (has_values(senior_nav)) {
    nav.series.push_back(std::move(senior_nav));
    nav.series.push_back(std::move(junior_nav));
  }
  panels.push_back(std::move(nav));
  Panel price{"Share price (USD)", CellType::usd, {}};
  Series one = series_of(history, "share_price", "share");
  if (has_values(one)) {
    price.series.push_back(std::move(one));
  } else {
    price.series.push_back(series_of(history, "senior_price", "senior"));
    price.series.push_back(series_of(history, "junior_price", "junior"));
  }
  panels.push_back(std::move(price));
  panels.push_back(Panel{"Utilization", CellType::bps, {series_of(history, "utilization_bps", "utilization")}});
  panels.push_back(Panel{"Insurance fund (USD)", CellType::usd, {series_of(history, "insurance", "insurance")}});

  const int64_t height = k_top + static_cast<int64_t>(panels.size()) * (k_height + k_panel_gap);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << k_left + k_width + 40 << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (history.rows.empty()) {
    out << "<text x=\"" << k_left << "\" y=\"" << k_top << "\">no events</text>\n</svg>\n";
    return;
  }
  const int seq = column_of(history, "seq");
  out << "<text x=\"" << k_left << "\" y=\"24\" font-size=\"16\" font-weight=\"bold\">nexadex pool history, events "
      << history.rows.front()[static_cast<std::size_t>(seq)].number << " to "
      << history.rows.back()[static_cast<std::size_t>(seq)].number << " (" << history.rows.size() << " points)</text>\n";
  int64_t top = k_top + 20;
  for (const Panel& p : panels) {
    draw_panel(p, times, top, out);
    top += k_height + k_panel_gap;
  }
  out << "</svg>\n";
}

}  // namespace nexadex::cli
