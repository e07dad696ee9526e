// tests/lib/report_test.cpp: the report builders (lib/report.hpp) on small pools built from real
// events: the figures in the pool report's cells, which positions `report positions` lists, the
// column keys, and the digits and rounding direction a derived price carries to the renderers.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "lib/report.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

const Section& section(const Report& r, const std::string& name) {
  for (const auto& s : r.sections) {
    if (s.name == name) return s;
  }
  FAIL("no section " << name << " in report " << r.name);
  throw;   // not reached: FAIL throws
}

std::vector<std::string> keys(const Section& s) {
  std::vector<std::string> out;
  for (const auto& c : s.columns) out.push_back(c.key);
  return out;
}

// The cell of `key` in row `row`; its type must be the column's.
const Cell& cell(const Section& s, std::size_t row, const std::string& key) {
  REQUIRE(row < s.rows.size());
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key != key) continue;
    REQUIRE(s.rows[row].size() == s.columns.size());
    CHECK(s.rows[row][i].type == s.columns[i].type);
    return s.rows[row][i];
  }
  FAIL("no column " << key << " in section " << s.name);
  throw;
}

// alice deposits 100,000; tom opens a 10,000 BTC long with 2,000 at 50,000; BTC goes to 55,000.
Pool priced_pool() {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("alice", 100'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.price("BTC", Price::whole(55'000));
  return b;
}

Report ok(Result<Report> r) {
  if (!r) FAIL("report: " << r.error().message);
  return *r;
}

}  // namespace

// ---- pool_report ------------------------------------------------------------------------------

TEST_CASE("the pool report's NAV counts the traders' unrealized profit against the LP capital", "[report]") {
  const Pool b = priced_pool();
  const Report r = ok(pool_report(b.s, b.now));
  const Section& pool = section(r, "pool");
  CHECK(pool.shape == SectionShape::record);
  REQUIRE(pool.rows.size() == 1);
  // open fee ceil(10,000 × 10 bps) = 10: insurance floor(20%) = 2, treasury floor(10%) = 1, LPs 7
  CHECK(cell(pool, 0, "lp_capital").number == 100'007 * k_usd);
  CHECK(cell(pool, 0, "insurance").number == 2 * k_usd);
  CHECK(cell(pool, 0, "treasury").number == 1 * k_usd);
  // profit 10,000 × (55,000 − 50,000) / 50,000 = 1,000, under the reserve 10,000: unrealized −1,000
  CHECK(cell(pool, 0, "unrealized").number == -1'000 * k_usd);
  // NAV 100,007 − 1,000 = 99,007
  CHECK(cell(pool, 0, "nav").number == 99'007 * k_usd);
  // reserve = 10,000 × 10,000 bps / 10,000 = 10,000; open interest long 10,000, short 0
  CHECK(cell(pool, 0, "reserved").number == 10'000 * k_usd);
  CHECK(cell(pool, 0, "open_interest_long").number == 10'000 * k_usd);
  CHECK(cell(pool, 0, "open_interest_short").number == 0);
  // first deposit 1:1: 100,000 shares = 10^14 units of 10^-9
  CHECK(cell(pool, 0, "shares").number == 100'000'000'000'000);
  // share price floor((99,007,000,000 + 1) × 10^9 / (10^14 + 1,000)) = floor(990,070.0000001…) = 990,070 µ
  CHECK(cell(pool, 0, "share_price").number == 990'070);
  // no insurance target configured: null
  CHECK(cell(pool, 0, "insurance_target").null);
  // the one LP holds every share: floor(10^14 × 99,007,000,001 / (10^14 + 1,000)) = 99,007,000,000, so
  // the rounding reserve is 99,007,000,000 − 99,007,000,000 = 0
  CHECK(cell(pool, 0, "rounding_reserve").number == 0);
}

TEST_CASE("the pool report's utilization is reserves over NAV rounded up, and free capital what they leave", "[report]") {
  const Pool b = priced_pool();
  const Report r = ok(pool_report(b.s, b.now));
  const Section& pool = section(r, "pool");
  // ceil(10,000 × 10,000 / 99,007) = ceil(1,010.029…) = 1,011 bps
  CHECK(cell(pool, 0, "utilization_bps").number == 1'011);
  // 99,007 − ceil(10,000 × 10,000 / 8,000) = 99,007 − 12,500 = 86,507
  CHECK(cell(pool, 0, "free_capital").number == 86'507 * k_usd);
}

TEST_CASE("rules 3: the pool report values unrealized profit through trader_pnl, as the LPs' values are", "[report]") {
  // insurance_first_pool: profit 50 capped at the reserve 10, taken by the fund first in trader_pnl
  // [insurance, senior]: the LPs lose nothing, NAV = 1,000 − 10 + 10 = 1,000 (was 990 with lp1 valued at 1,000)
  const Pool b = insurance_first_pool(3);
  const Report r = ok(pool_report(b.s, b.now));
  const Section& pool = section(r, "pool");
  CHECK(cell(pool, 0, "nav").number == 1'000 * k_usd);
  CHECK(cell(pool, 0, "unrealized").number == 0);
  // floor((10^9 + 1) × 10^9 / (10^12 + 1,000)) = 1,000,000: 1.000000 (was 0.990000)
  CHECK(cell(pool, 0, "share_price").number == 1'000'000);
  // ceil(10 × 10,000 / 1,000) = 100 bps; free 1,000 − ceil(10 × 10,000 / 8,000) = 1,000 − 12.5 = 987.5
  CHECK(cell(pool, 0, "utilization_bps").number == 100);
  CHECK(cell(pool, 0, "free_capital").number == 987'500'000);
  CHECK(cell(pool, 0, "rounding_reserve").number == 0);
  const Report lps = ok(lps_report(b.s, Timestamp{}));
  // floor(10^12 × (10^9 + 1) / (10^12 + 1,000)) = 10^9: lp1 is worth 1,000, the whole NAV
  CHECK(cell(section(lps, "lps"), 0, "value").number == 1'000 * k_usd);
}

TEST_CASE("rules 2: the pool report shows the NAV the journal's limits use and the price deposits mint at",
          "[report]") {
  const Pool b = insurance_first_pool(2);
  const Report r = ok(pool_report(b.s, b.now));
  const Section& pool = section(r, "pool");
  // the open limit and the free capital of a rules-2 journal use 1,000 − 10 = 990
  CHECK(cell(pool, 0, "nav").number == 990 * k_usd);
  // ceil(10 × 10,000 / 990) = 102 bps; free 990 − 12.5 = 977.5
  CHECK(cell(pool, 0, "utilization_bps").number == 102);
  CHECK(cell(pool, 0, "free_capital").number == 977'500'000);
  // deposits mint at the senior's value 1,000 under every rules version: 1.000000 (was 0.990000)
  CHECK(cell(pool, 0, "share_price").number == 1'000'000);
}

TEST_CASE("with tranches the pool report shows each tranche's free capital, what a withdrawal from it may take",
          "[report][tranche]") {
  // tranched_free_pool: NAV 5,200, 2,500 backing the reserve: 2,700 free in the pool; the junior's
  // realized capital 1,000 bounds its withdrawals (value 1,200); the senior may take 2,700
  const Pool b = tranched_free_pool();
  const Report r = ok(pool_report(b.s, b.now));
  const Section& pool = section(r, "pool");
  CHECK(cell(pool, 0, "nav").number == 5'200 * k_usd);
  // both together: min(2,700, 1,000 + 4,000) = 2,700
  CHECK(cell(pool, 0, "free_capital").number == 2'700 * k_usd);
  const Section& by_tranche = section(r, "free_capital");
  CHECK(keys(by_tranche) == std::vector<std::string>{"tranche", "nav", "capital", "free_capital"});
  REQUIRE(by_tranche.rows.size() == 2);
  CHECK(cell(by_tranche, 0, "tranche").text == "senior");
  CHECK(cell(by_tranche, 0, "nav").number == 4'000 * k_usd);
  CHECK(cell(by_tranche, 0, "free_capital").number == 2'700 * k_usd);
  CHECK(cell(by_tranche, 1, "tranche").text == "junior");
  CHECK(cell(by_tranche, 1, "nav").number == 1'200 * k_usd);
  CHECK(cell(by_tranche, 1, "capital").number == 1'000 * k_usd);
  CHECK(cell(by_tranche, 1, "free_capital").number == 1'000 * k_usd);
  // without tranches there is no such section: the pool's free capital is the one tranche's
  const Report plain = ok(pool_report(insurance_first_pool(3).s, b.now));
  for (const auto& sec : plain.sections) CHECK(sec.name != "free_capital");
}

TEST_CASE("the pool report's share count is both tranches' supplies summed on 128 bits", "[report][tranche]") {
  // Found by the tranche property test's long mode (NEXADEX_PROPERTY_OPS=1000000, step 402,996): each
  // supply fits in 64 bits, their sum did not, and report pool failed. First deposits, 1 share per
  // USDC: 5,000,000,000 USDC in each tranche = 5 × 10^18 share units each (int64 max ≈ 9.22 × 10^18).
  Config c = base_config();
  c.tranches.enabled = true;
  Pool b(c);
  b.price("BTC", k_btc);
  b.ok(LpDeposited{"jill", Usd(5'000'000'000 * k_usd), "junior"});
  b.ok(LpDeposited{"sam", Usd(5'000'000'000 * k_usd), "senior"});
  const Report r = ok(pool_report(b.s, b.now));
  // 2 × 5 × 10^18 = 10^19 units = 10,000,000,000 shares
  CHECK(cell(section(r, "pool"), 0, "shares").number == int128{10'000'000'000} * 1'000'000'000);
}

TEST_CASE("the pool report lists every configured market, the unpriced one with null cells", "[report]") {
  Pool b = priced_pool();
  b.at(60);
  const Report r = ok(pool_report(b.s, b.now));
  const Section& markets = section(r, "markets");
  REQUIRE(markets.rows.size() == 2);
  // sorted by symbol: BTC, ETH
  CHECK(cell(markets, 0, "market").text == "BTC");
  CHECK(cell(markets, 0, "price").number == Price::whole(55'000).units());
  // priced at t0, reported at t0 + 60: 60 s old, fresh (max age 300 s)
  CHECK(cell(markets, 0, "age_seconds").number == 60);
  CHECK(cell(markets, 0, "fresh").number == 1);
  // the traders' PnL before caps: +1,000
  CHECK(cell(markets, 0, "unrealized_pnl").number == 1'000 * k_usd);
  CHECK(cell(markets, 1, "market").text == "ETH");
  CHECK(cell(markets, 1, "price").null);
  CHECK(cell(markets, 1, "age_seconds").null);
  CHECK(cell(markets, 1, "fresh").number == 0);
}

TEST_CASE("the pool report's column keys are its JSON keys, unit in the name", "[report]") {
  const Pool b = priced_pool();
  const Report r = ok(pool_report(b.s, b.now));
  CHECK(r.name == "pool");
  CHECK(keys(section(r, "pool")) ==
        std::vector<std::string>{"nav", "share_price", "shares", "lp_capital", "unrealized", "reserved", "free_capital",
                                 "utilization_bps", "open_interest_long", "open_interest_short", "insurance",
                                 "insurance_target", "treasury", "unabsorbed", "acknowledged", "rounding_reserve"});
  CHECK(keys(section(r, "markets")) == std::vector<std::string>{"market", "price", "age_seconds", "fresh",
                                                                "open_interest_long", "open_interest_short",
                                                                "unrealized_pnl"});
  // every key is snake_case: lower-case letters, digits and single underscores
  for (const auto& s : r.sections) {
    for (const auto& c : s.columns) {
      INFO(c.key);
      CHECK(c.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
      CHECK(c.key.find("__") == std::string::npos);
      CHECK(c.key.front() != '_');
      CHECK(c.key.back() != '_');
    }
  }
}

// ---- positions_report ----------------------------------------------------------------------------

namespace {

// Three positions: 4 (long 10,000 with 2,000, closed), 5 (long, open), 6 (short, open).
struct ThreePositions {
  Pool b;
  int64_t closed = 0, open_long = 0, open_short = 0;
  ThreePositions() {
    b.price("BTC", k_btc);
    b.deposit("alice", 100'000 * k_usd);
    closed = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
    open_long = b.open("ann", "BTC", Side::long_, 1'000 * k_usd, 7'000 * k_usd);
    open_short = b.open("eve", "BTC", Side::short_, 1'000 * k_usd, 7'000 * k_usd);
    b.ok(PositionClosed{closed, Usd(0)});
  }
};

std::vector<int64_t> ids(const Section& s) {
  std::vector<int64_t> out;
  for (std::size_t i = 0; i < s.rows.size(); ++i) out.push_back(cell(s, i, "id").number);
  return out;
}

}  // namespace

TEST_CASE("report positions lists the open positions, or with --all every position and its legs", "[report]") {
  const ThreePositions t;
  REQUIRE(t.closed == 4);
  const Report open = ok(positions_report(t.b.s, Listing::open));
  REQUIRE(open.sections.size() == 1);
  const Section& listed = section(open, "positions");
  // open only: 5 and 6, by id
  CHECK(ids(listed) == std::vector<int64_t>{5, 6});
  CHECK(cell(listed, 0, "status").text == "open");
  CHECK(cell(listed, 0, "size").number == 7'000 * k_usd);
  CHECK(cell(listed, 0, "ended_seq").null);

  const Report all = ok(positions_report(t.b.s, Listing::all));
  const Section& every = section(all, "positions");
  // all: 4, 5, 6
  CHECK(ids(every) == std::vector<int64_t>{4, 5, 6});
  // the closed one: size and collateral 0, no price or PnL, ended at seq 7 (the close)
  CHECK(cell(every, 0, "status").text == "closed");
  CHECK(cell(every, 0, "size_opened").number == 10'000 * k_usd);
  CHECK(cell(every, 0, "size").number == 0);
  CHECK(cell(every, 0, "collateral").number == 0);
  CHECK(cell(every, 0, "pnl").null);
  CHECK(cell(every, 0, "ended_seq").number == 7);
  // legs: three opens and one close, by (id, seq): (4, 4 opened), (4, 7 closed), (5, 5), (6, 6)
  const Section& legs = section(all, "legs");
  REQUIRE(legs.rows.size() == 4);
  CHECK(cell(legs, 0, "kind").text == "opened");
  CHECK(cell(legs, 1, "id").number == 4);
  CHECK(cell(legs, 1, "seq").number == 7);
  CHECK(cell(legs, 1, "kind").text == "closed");
  CHECK(cell(legs, 2, "id").number == 5);
  CHECK(cell(legs, 3, "id").number == 6);
}

TEST_CASE("an open position's liquidation price rounds up for a long and down for a short, to the market's digits",
          "[report]") {
  const ThreePositions t;
  const Report r = ok(positions_report(t.b.s, Listing::open));
  const Section& s = section(r, "positions");
  // long 7,000 with 1,000 at 50,000: open fee ceil(7) = 7 → collateral 993; close fee 7; threshold
  // max(ceil(7,000 × 1%), 5) = 70; room 993 − 7 − 70 = 916; Δ = floor(916 × 50,000 / 7,000)
  // = 6,542.85714285 → long 50,000 − 6,542.85714285 = 43,457.14285715
  const Cell& long_liq = cell(s, 0, "liquidation_price");
  CHECK(long_liq.number == 4'345'714'285'715);
  CHECK(long_liq.round_up);
  // BTC's latest price 50,000.00000000 has 6 trailing zeros: 8 − 6 = 2 digits
  CHECK(long_liq.digits == 2);
  // the short: 50,000 + 6,542.85714285 = 56,542.85714285, rounded down in tables
  const Cell& short_liq = cell(s, 1, "liquidation_price");
  CHECK(short_liq.number == 5'654'285'714'285);
  CHECK_FALSE(short_liq.round_up);
  CHECK(short_liq.digits == 2);
}

// ---- derived_price -------------------------------------------------------------------------------

TEST_CASE("a derived price takes the decimals of its reference, at least 2, and keeps every unit", "[report]") {
  const Price value(4'345'714'285'715);   // 43,457.14285715
  // 65,000.00000000: 6 trailing zeros → 8 − 6 = 2
  const Cell a = derived_price(value, Price::whole(65'000), Side::long_);
  CHECK(a.type == CellType::price);
  CHECK(a.number == value.units());
  CHECK(a.digits == 2);
  CHECK(a.round_up);
  // 101.555 = 10,155,500,000: 5 trailing zeros → 3
  const Cell b = derived_price(value, Price(10'155'500'000), Side::short_);
  CHECK(b.digits == 3);
  CHECK_FALSE(b.round_up);
  // 0.12345678: no trailing zero → 8
  CHECK(derived_price(value, Price(12'345'678), Side::long_).digits == 8);
  // 3,000.5 = 300,050,000,000: 7 trailing zeros would leave 1 → at least 2
  CHECK(derived_price(value, Price(300'050'000'000), Side::long_).digits == 2);
  // 0.0000001 = 10: 1 trailing zero → 7
  CHECK(derived_price(value, Price(10), Side::long_).digits == 7);
  // no reference price (0): all 8
  CHECK(derived_price(value, Price(0), Side::short_).digits == 8);
}
