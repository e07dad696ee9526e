// lib/report_exposure.cpp: the pool's net exposure per market (report exposure, and a section of
// report pool): what it holds of each market's asset, owes its long traders and is owed by its short
// traders, in tokens; the net in tokens, in USD and as a share of AUM; and the market's cap
// (nexadex-assets(7), NET EXPOSURE).
#include "lib/exposure.hpp"
#include "lib/report.hpp"

namespace nexadex {

Result<Section> exposure_section(const State& s) {
  Section out{"exposure", "Net exposure", SectionShape::list,
              {{"market", CellType::text},
               {"price", CellType::price},
               {"held", CellType::text},
               {"owed_to_longs", CellType::text},
               {"owed_by_shorts", CellType::text},
               {"net", CellType::text},
               {"net_usd", CellType::usd},
               {"share_of_aum_bps", CellType::bps},
               {"cap_bps", CellType::bps}},
              {}};
  NX_TRY(all, exposure::all(s));
  for (const auto& e : all) {
    const auto tokens = [&](int128 v) { return Cell::of_text(exposure::format_tokens(v, e.shown_decimals)); };
    out.rows.push_back({Cell::of_text(e.market), e.price ? Cell::of_price(*e.price) : Cell::none(CellType::price),
                        tokens(e.held), tokens(e.longs), tokens(e.shorts), tokens(e.net),
                        e.net_usd ? Cell::of_usd(*e.net_usd) : Cell::none(CellType::usd),
                        e.share ? Cell::of_bps(*e.share) : Cell::none(CellType::bps),
                        e.cap.value > 0 ? Cell::of_bps(e.cap) : Cell::none(CellType::bps)});
  }
  return out;
}

Result<Report> exposure_report(const State& s) {
  NX_TRY(section, exposure_section(s));
  return Report{"exposure", {std::move(section)}};
}

bool shows_exposure(const State& s) {
  if (s.assets) return true;
  for (const auto& m : s.config.markets) {
    if (m.max_net_exposure_bps.value > 0) return true;
  }
  return false;
}

}  // namespace nexadex
