// cli/render.hpp: draws a lib Report as a table, JSON or CSV; the only place that rounds for display.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/report.hpp"

namespace nexadex::cli {

enum class Format { table, json, csv };

inline constexpr int k_json_schema_version = 1;

// table: aligned columns, amounts rounded for display; json: {"schema_version":1,"report":NAME,
// SECTION: object|array}, amounts as full-precision strings, times RFC 3339; csv: each section as a
// header of its JSON keys and its rows, sections separated by one empty line.
void render(const Report& report, Format format, std::ostream& out);

// A report of list sections (`report events`, `report positions`) written row by row: in JSON and
// CSV the bytes that render() writes for the whole report, with memory for one row; a table needs
// every row's width first, so it keeps a section's rows' text (not their cells) and draws them when
// the section ends (next() or finish()).
class ListStream {
 public:
  ListStream(std::string report_name, Section section, Format format, std::ostream& out);
  void row(std::vector<Cell> cells);
  // Ends the current section and starts `section` (the next of the same report).
  void next(Section section);
  void finish();

 private:
  std::string m_name;
  Section m_section;
  Format m_format;
  std::ostream& m_out;
  bool m_started = false;
  std::size_t m_rows = 0;
  std::vector<std::size_t> m_width;   // table: each column's width so far
  std::string m_text;                 // table: the rows' cells as table text, each ended by \x1f
  std::size_t m_sections = 0;         // sections ended so far
  void start();
  void end_section();
};

// One cell as JSON (also used by `export --events`).
nlohmann::json cell_json(const Cell& cell);

}  // namespace nexadex::cli
