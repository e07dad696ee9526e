// cli/render.cpp: one renderer per format over the same report data, so the formats agree.
#include "cli/render.hpp"

#include <csv.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex::cli {
namespace {

bool right_aligned(CellType t) {
  return t == CellType::integer || t == CellType::usd || t == CellType::unit_price || t == CellType::price ||
         t == CellType::shares ||
         t == CellType::bps || t == CellType::duration;
}

// Prices keep what they carry: at least 2 decimals, trailing zeros of the 8 dropped.
std::string display_price(int64_t units) {
  std::string s = format_decimal_display(units, Price::k_decimals, Price::k_decimals);
  const auto dot = s.find('.');
  while (s.size() > dot + 3 && s.back() == '0') s.pop_back();
  return s;
}

// A price rounded to `digits` decimals (up or down as the cell says) for a table.
std::string rounded_price(const Cell& c) {
  int128 step = 1;
  for (int i = c.digits; i < Price::k_decimals; ++i) step *= 10;
  const auto r = c.round_up ? div_ceil(c.number, step, "price") : div_floor(c.number, step, "price");
  if (!r) return display_price(c.number);
  return format_decimal_display(static_cast<int64_t>(*r * step), Price::k_decimals, std::max(c.digits, 2));
}

std::string table_text(const Cell& c, bool in_list) {
  if (c.null) return "-";
  switch (c.type) {
    case CellType::text: return c.text;
    // integers, bps and durations are int64 by construction (only shares use the 128 bits)
    case CellType::integer: return std::to_string(static_cast<int64_t>(c.number));
    case CellType::usd: return format_decimal_display(c.number, Usd::k_decimals, 2);
    case CellType::unit_price: return format_decimal_display(c.number, Usd::k_decimals, Usd::k_decimals);
    case CellType::price: return c.digits >= 0 && c.digits < Price::k_decimals ? rounded_price(c) : display_price(c.number);
    case CellType::shares: return format_decimal_display_wide(c.number, Shares::k_decimals, 4);
    // the headers name the unit (utilization_bps: UTILIZATION BPS, age_seconds: AGE SECONDS)
    case CellType::bps: return std::to_string(static_cast<int64_t>(c.number));
    case CellType::time: return format_time(Timestamp{static_cast<int64_t>(c.number)});
    case CellType::duration: return std::to_string(static_cast<int64_t>(c.number));
    case CellType::boolean: return c.number ? "yes" : "no";
    case CellType::hash: return in_list ? c.text.substr(0, 16) : c.text;
  }
  return c.text;
}

std::string plain_text(const Cell& c) {
  if (c.null) return "";
  switch (c.type) {
    case CellType::usd:
    case CellType::unit_price: return format_decimal(c.number, Usd::k_decimals);
    case CellType::price: return format_decimal(c.number, Price::k_decimals);
    case CellType::shares: return format_decimal_wide(c.number, Shares::k_decimals);
    case CellType::time: return format_time(Timestamp{static_cast<int64_t>(c.number)});
    case CellType::boolean: return c.number ? "true" : "false";
    case CellType::integer:
    case CellType::bps:
    case CellType::duration: return std::to_string(static_cast<int64_t>(c.number));
    case CellType::text:
    case CellType::hash: return c.text;
  }
  return c.text;
}

std::string csv_field(const std::string& s) {
  std::string buf(s.size() * 2 + 3, '\0');
  const std::size_t n = csv_write(buf.data(), buf.size(), s.data(), s.size());
  buf.resize(n);
  // libcsv always quotes; leave plain fields bare so that numbers read as numbers.
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  return buf;
}

// A key's words: upper case for a list's header; lower case in a record block, with the acronyms
// (NAV, LP, PNL, ...) upper case there too.
std::string heading(const std::string& key, bool list) {
  static const char* const k_acronyms[] = {"nav", "lp", "lps", "pnl", "id", "apy", "apr", "oi", "usd", "sha256"};
  std::string out;
  std::size_t from = 0;
  while (from <= key.size()) {
    const std::size_t end = std::min(key.find('_', from), key.size());
    std::string word = key.substr(from, end - from);
    bool upper = list;
    for (const char* a : k_acronyms) upper = upper || word == a;
    if (upper) {
      for (char& ch : word) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    out += (out.empty() ? "" : " ") + word;
    from = end + 1;
  }
  return out;
}

void render_record(const Section& s, const std::vector<Cell>& row, std::ostream& out) {
  std::size_t w = 0;
  std::vector<std::string> names;
  for (const auto& c : s.columns) {
    names.push_back(heading(c.key, false));
    w = std::max(w, names.back().size());
  }
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    out << "  " << names[i] << std::string(w - names[i].size(), ' ') << "  " << table_text(row[i], false) << '\n';
  }
}

// Draws a list: its heading line, then each row that `next` fills (the cells' table text, false
// after the last), padded to `width`, amounts right-aligned.
void draw_list(const Section& s, const std::vector<std::size_t>& width,
               const std::function<bool(std::vector<std::string>&)>& next, std::ostream& out) {
  const std::size_t n = s.columns.size();
  std::string text;
  std::vector<std::string> line(n);
  const auto print_line = [&] {
    text.assign(1, ' ');
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& cell = line[i];
      const std::size_t pad = width[i] - cell.size();
      text += ' ';
      if (right_aligned(s.columns[i].type)) {
        text.append(pad, ' ').append(cell);
      } else {
        text.append(cell);
        if (i + 1 < n) text.append(pad, ' ');
      }
      if (i + 1 < n) text += ' ';
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    text += '\n';
    out << text;
  };
  for (std::size_t i = 0; i < n; ++i) line[i] = heading(s.columns[i].key, true);
  print_line();
  while (next(line)) print_line();
}

std::vector<std::size_t> heading_widths(const Section& s) {
  std::vector<std::size_t> width;
  for (const auto& c : s.columns) width.push_back(heading(c.key, true).size());
  return width;
}

void render_table(const Report& report, std::ostream& out) {
  bool first = true;
  for (const auto& s : report.sections) {
    if (!first) out << '\n';
    first = false;
    out << s.title << '\n';
    if (s.shape == SectionShape::record || (s.one_row_as_record && s.rows.size() == 1)) {
      for (const auto& row : s.rows) render_record(s, row, out);
      continue;
    }
    if (s.rows.empty()) {
      out << "  (none)\n";
      continue;
    }
    // Two passes: the widths, then each line formatted again and padded (keeping every cell's text
    // would take as much memory again as a long list itself, a stress test's 259,000 rows say).
    const std::size_t n = s.columns.size();
    std::vector<std::size_t> width = heading_widths(s);
    for (const auto& row : s.rows) {
      for (std::size_t i = 0; i < n; ++i) width[i] = std::max(width[i], table_text(row[i], true).size());
    }
    std::size_t r = 0;
    draw_list(s, width, [&](std::vector<std::string>& line) {
      if (r == s.rows.size()) return false;
      for (std::size_t i = 0; i < n; ++i) line[i] = table_text(s.rows[r][i], true);
      ++r;
      return true;
    }, out);
  }
}

void render_json(const Report& report, std::ostream& out) {
  nlohmann::ordered_json j;
  j["schema_version"] = k_json_schema_version;
  j["report"] = report.name;
  for (const auto& s : report.sections) {
    auto row_json = [&](const std::vector<Cell>& row) {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < s.columns.size(); ++i) o[s.columns[i].key] = cell_json(row[i]);
      return o;
    };
    if (s.shape == SectionShape::record) {
      j[s.name] = s.rows.empty() ? nlohmann::ordered_json::object() : row_json(s.rows.front());
    } else {
      auto arr = nlohmann::ordered_json::array();
      for (const auto& row : s.rows) arr.push_back(row_json(row));
      j[s.name] = std::move(arr);
    }
  }
  out << j.dump(2) << '\n';
}

void render_csv(const Report& report, std::ostream& out) {
  bool first = true;
  for (const auto& s : report.sections) {
    if (!first) out << '\n';
    first = false;
    for (std::size_t i = 0; i < s.columns.size(); ++i) out << (i ? "," : "") << csv_field(s.columns[i].key);
    out << '\n';
    for (const auto& row : s.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(plain_text(row[i]));
      out << '\n';
    }
  }
}

}  // namespace

nlohmann::json cell_json(const Cell& c) {
  if (c.null) return nullptr;
  switch (c.type) {
    case CellType::integer:
    case CellType::bps:
    case CellType::duration: return static_cast<int64_t>(c.number);   // int64 by construction
    case CellType::boolean: return c.number != 0;
    default: return plain_text(c);
  }
}

ListStream::ListStream(std::string report_name, Section section, Format format, std::ostream& out)
    : m_name(std::move(report_name)), m_section(std::move(section)), m_format(format), m_out(out) {}

void ListStream::start() {
  m_started = true;
  if (m_format == Format::json) {
    if (m_sections == 0) {
      nlohmann::ordered_json head;
      head["schema_version"] = k_json_schema_version;
      head["report"] = m_name;
      std::string text = head.dump(2);   // "{\n  ...\n}": reopened to append the list
      text.resize(text.size() - 2);
      m_out << text;
    }
    m_out << ",\n  " << nlohmann::json(m_section.name).dump() << ": [";
  } else if (m_format == Format::csv) {
    if (m_sections > 0) m_out << '\n';
    for (std::size_t i = 0; i < m_section.columns.size(); ++i) m_out << (i ? "," : "") << csv_field(m_section.columns[i].key);
    m_out << '\n';
  }
}

void ListStream::row(std::vector<Cell> cells) {
  if (!m_started) start();
  ++m_rows;
  if (m_format == Format::table) {
    // the rows' table text, compactly (cells ended by \x1f, which no cell holds: names, reasons and
    // every other text refuse control characters): a table needs every width before its first line;
    // the first row's cells too, for a list shown as a record when it has one row
    if (m_rows == 1) m_section.rows.push_back(cells);
    if (m_width.empty()) m_width = heading_widths(m_section);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string t = table_text(cells[i], true);
      m_width[i] = std::max(m_width[i], t.size());
      m_text += t;
      m_text += '\x1f';
    }
  } else if (m_format == Format::json) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < m_section.columns.size(); ++i) o[m_section.columns[i].key] = cell_json(cells[i]);
    // the object as dump(2) writes it two levels deep: every line indented by four more spaces
    const std::string text = o.dump(2);
    m_out << (m_rows == 1 ? "\n    " : ",\n    ");
    for (const char c : text) {
      m_out << c;
      if (c == '\n') m_out << "    ";
    }
  } else {
    for (std::size_t i = 0; i < cells.size(); ++i) m_out << (i ? "," : "") << csv_field(plain_text(cells[i]));
    m_out << '\n';
  }
}

void ListStream::end_section() {
  if (!m_started) start();
  if (m_format == Format::table) {
    if (m_sections > 0) m_out << '\n';
    const Section& s = m_section;
    if (m_rows <= 1 || s.shape == SectionShape::record) {
      render_table(Report{m_name, {s}}, m_out);   // (none), or one row that may show as a record
    } else {
      m_out << s.title << '\n';
      std::size_t at = 0;
      draw_list(s, m_width, [&](std::vector<std::string>& line) {
        if (at >= m_text.size()) return false;
        for (auto& cell : line) {
          const std::size_t end = m_text.find('\x1f', at);
          cell.assign(m_text, at, end - at);
          at = end + 1;
        }
        return true;
      }, m_out);
    }
  } else if (m_format == Format::json) {
    m_out << (m_rows == 0 ? "]" : "\n  ]");
  }
  ++m_sections;
}

void ListStream::next(Section section) {
  end_section();
  m_section = std::move(section);
  m_started = false;
  m_rows = 0;
  m_width.clear();
  m_text.clear();
}

void ListStream::finish() {
  end_section();
  if (m_format == Format::json) m_out << "\n}\n";
}

void render(const Report& report, Format format, std::ostream& out) {
  switch (format) {
    case Format::table: render_table(report, out); break;
    case Format::json: render_json(report, out); break;
    case Format::csv: render_csv(report, out); break;
  }
}

}  // namespace nexadex::cli
