// cli/render.hpp: draws a lib Report as a table, JSON or CSV; the only place that rounds for display.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "lib/report.hpp"

namespace nexadex::cli {

enum class Format { table, json, csv };

inline constexpr int k_json_schema_version = 1;

// table: aligned columns, amounts rounded for display; json: {"schema_version":1,"report":NAME,
// SECTION: object|array}, amounts as full-precision strings, times RFC 3339; csv: each section as a
// header of its JSON keys and its rows, sections separated by one empty line.
void render(const Report& report, Format format, std::ostream& out);

// One cell as JSON (also used by `export --events`).
nlohmann::json cell_json(const Cell& cell);

}  // namespace nexadex::cli
