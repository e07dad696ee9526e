// tests/cli/render_test.cpp: the table renderer (cli/render.hpp) on hand-built reports: a column's
// key becomes its heading, and a derived price is rounded to its digits in the direction it carries.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "cli/render.hpp"

using namespace nexadex;
using nexadex::cli::Format;
using nexadex::cli::render;

namespace {

std::string table(const Report& r) {
  std::ostringstream out;
  render(r, Format::table, out);
  return out.str();
}

Section one_row(SectionShape shape) {
  Section s{"s", "Title", shape, {{"absorbed_trader_pnl", CellType::usd}, {"utilization_bps", CellType::bps},
                                  {"nav", CellType::usd}, {"lp_id", CellType::text}}, {}};
  s.rows.push_back({Cell::of_usd(Usd(1'500'000)), Cell::of_bps(Bps{1'011}), Cell::of_usd(Usd(2'000'000)),
                    Cell::of_text("x")});
  return s;
}

}  // namespace

TEST_CASE("a list's headings are its keys' words in upper case", "[render]") {
  const std::string out = table(Report{"r", {one_row(SectionShape::list)}});
  // absorbed_trader_pnl → ABSORBED TRADER PNL; utilization_bps → UTILIZATION BPS
  CHECK(out == "Title\n  ABSORBED TRADER PNL  UTILIZATION BPS   NAV  LP ID\n                 1.50             1011  2.00  x\n");
}

TEST_CASE("a record's headings are its keys' words in lower case, acronyms in upper case", "[render]") {
  const std::string out = table(Report{"r", {one_row(SectionShape::record)}});
  // absorbed_trader_pnl → absorbed trader PNL; nav → NAV; lp_id → LP ID; utilization_bps stays lower case
  CHECK(out == "Title\n  absorbed trader PNL  1.50\n  utilization bps      1011\n  NAV                  2.00\n"
               "  LP ID                x\n");
}

TEST_CASE("a derived price is shown to its digits, a long's rounded up and a short's down", "[render]") {
  Section s{"p", "Prices", SectionShape::record,
            {{"long_liquidation_price", CellType::price}, {"short_liquidation_price", CellType::price},
             {"exact_price", CellType::price}},
            {}};
  // 43,457.14285715 up to 2 digits: 43,457.15; 56,542.85714285 down: 56,542.85
  s.rows.push_back({derived_price(Price(4'345'714'285'715), Price::whole(50'000), Side::long_),
                    derived_price(Price(5'654'285'714'285), Price::whole(50'000), Side::short_),
                    Cell::of_price(Price(5'654'285'714'285))});
  const std::string out = table(Report{"r", {s}});
  CHECK_THAT(out, Catch::Matchers::Contains("long liquidation price   43,457.15\n"));
  CHECK_THAT(out, Catch::Matchers::Contains("short liquidation price  56,542.85\n"));
  // a price that is not derived keeps all of its 8 decimals
  CHECK_THAT(out, Catch::Matchers::Contains("exact price              56,542.85714285\n"));
}

TEST_CASE("a derived price already at its digits is not moved by the rounding", "[render]") {
  Section s{"p", "Prices", SectionShape::record, {{"up", CellType::price}, {"down", CellType::price}}, {}};
  // 45,600.00000000 has nothing below the cent to round: 45,600.00 both ways
  s.rows.push_back({derived_price(Price::whole(45'600), Price::whole(50'000), Side::long_),
                    derived_price(Price::whole(45'600), Price::whole(50'000), Side::short_)});
  const std::string out = table(Report{"r", {s}});
  CHECK(out == "Prices\n  up    45,600.00\n  down  45,600.00\n");
}

TEST_CASE("a list streamed row by row is byte for byte the list rendered whole, in every format", "[render]") {
  for (const std::size_t n : {0, 1, 3}) {
    Section s{"events", "Events", SectionShape::list,
              {{"seq", CellType::integer}, {"kind", CellType::text}, {"amount", CellType::usd},
               {"hash", CellType::hash}, {"note", CellType::text}},
              {}};
    for (std::size_t i = 0; i < n; ++i) {
      s.rows.push_back({Cell::of_int(static_cast<int64_t>(i + 1)), Cell::of_text("price_set"),
                        Cell::of_usd(Usd(static_cast<int64_t>(i) * 1'234'567 - 1)), Cell::of_hash(std::string(64, 'a')),
                        i == 1 ? Cell::none(CellType::text) : Cell::of_text("a \"quoted\", comma\nline")});
    }
    for (const Format f : {Format::table, Format::json, Format::csv}) {
      CAPTURE(n, static_cast<int>(f));
      std::ostringstream whole, streamed;
      render(Report{"events", {s}}, f, whole);
      Section empty = s;
      empty.rows.clear();
      nexadex::cli::ListStream list("events", empty, f, streamed);
      for (const auto& row : s.rows) list.row(row);
      list.finish();
      CHECK(streamed.str() == whole.str());
    }
  }
}

TEST_CASE("two lists streamed one after the other are byte for byte the report rendered whole", "[render]") {
  for (const std::size_t n : {0, 1, 3}) {
    for (const std::size_t m : {0, 1, 2}) {
      Section a{"positions", "Positions", SectionShape::list, {{"id", CellType::integer}, {"note", CellType::text}}, {}};
      Section b{"legs", "Legs", SectionShape::list, {{"id", CellType::integer}, {"pnl", CellType::usd}}, {}};
      for (std::size_t i = 0; i < n; ++i) a.rows.push_back({Cell::of_int(static_cast<int64_t>(i)), Cell::of_text("x,y")});
      for (std::size_t i = 0; i < m; ++i) b.rows.push_back({Cell::of_int(static_cast<int64_t>(i)), Cell::of_usd(Usd(-5))});
      for (const Format f : {Format::table, Format::json, Format::csv}) {
        CAPTURE(n, m, static_cast<int>(f));
        std::ostringstream whole, streamed;
        render(Report{"positions", {a, b}}, f, whole);
        Section a0 = a, b0 = b;
        a0.rows.clear();
        b0.rows.clear();
        nexadex::cli::ListStream list("positions", a0, f, streamed);
        for (const auto& row : a.rows) list.row(row);
        list.next(b0);
        for (const auto& row : b.rows) list.row(row);
        list.finish();
        CHECK(streamed.str() == whole.str());
      }
    }
  }
}
