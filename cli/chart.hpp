// cli/chart.hpp: SVG charts of report sections.
#pragma once

#include <ostream>

#include "lib/report.hpp"

namespace nexadex::cli {

// The section of `report history` (lib/report.hpp, history_section) as an SVG document.
void write_history_svg(const Section& history, std::ostream& out);

}  // namespace nexadex::cli
