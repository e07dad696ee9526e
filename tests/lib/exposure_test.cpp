// tests/lib/exposure_test.cpp: the pool's net exposure per market and its cap (issue 18 item 4,
// nexadex-assets(7) NET EXPOSURE), on a single-USDC vault and on a pool holding BTC. Every number is
// worked in the comments: a position's quantity is size / entry tokens (a long's rounded up, a short's
// down, at 10^-16 token), amounts here are 10^-18 token.
#include <catch2/catch.hpp>

#include <string>

#include "lib/exposure.hpp"
#include "lib/report.hpp"
#include "lib/shock.hpp"
#include "multi_pool.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using nexadex::test::k_usd;
using nexadex::test::Pool;

namespace {

constexpr int128 k_token = 1'000'000'000'000'000'000;   // 10^18: one token

exposure::MarketExposure of(const State& s, const std::string& market) {
  auto all = exposure::all(s);
  REQUIRE(all.has_value());
  for (const auto& e : *all) {
    if (e.market == market) return e;
  }
  FAIL("no market " << market);
  return {};
}

Config capped(int64_t cap_bps) {
  Config c = test::base_config();
  c.markets[0].max_net_exposure_bps = Bps{cap_bps};   // BTC
  return c;
}

}  // namespace

TEST_CASE("net exposure of a single-USDC vault: longs owed, shorts owing, clamped positions left out",
          "[exposure]") {
  Pool b;
  b.price("BTC", test::k_btc);   // 50,000
  b.deposit("lp1", 100'000 * k_usd);
  // tom: long 10,000 at 50,000 = 0.2 BTC exactly; fee 10 (0.1%), 7 of it to the LPs: AUM 100,007
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  auto e = of(b.s, "BTC");
  CHECK(e.held == 0);
  CHECK(e.longs == k_token / 5);
  CHECK(e.shorts == 0);
  CHECK(e.net == -k_token / 5);
  CHECK(e.net_usd == Usd(-10'000 * k_usd));   // 0.2 × 50,000
  // ceil(10,000 × 10^4 / 100,007) = ceil(999.93) = 1,000
  CHECK(e.share == Bps{1'000});
  CHECK(e.cap == Bps{0});
  CHECK(exposure::format_tokens(e.net, e.shown_decimals) == "-0.20000000");

  // sue: short 3,000 at 50,000 = 0.06 BTC, collateral 1,000 − 3 fee = 997: net −0.14 BTC = −7,000;
  // AUM 100,007 + 2.1 = 100,009.1, share ceil(7,000 × 10^4 / 100,009.1) = ceil(699.94) = 700
  b.open("sue", "BTC", Side::short_, 1'000 * k_usd, 3'000 * k_usd);
  e = of(b.s, "BTC");
  CHECK(e.shorts == k_token * 6 / 100);
  CHECK(e.net == -k_token * 14 / 100);
  CHECK(e.net_usd == Usd(-7'000 * k_usd));
  CHECK(e.share == Bps{700});

  // BTC to 80,000: tom is 10,000 × 0.6 = 6,000 ahead (reserve 10,000: not clamped); sue is 3,000 × 0.6
  // = 1,800 behind, beyond her 997 of collateral: clamped, she owes nothing more as the price moves.
  // Net −0.2 BTC = −16,000.
  b.price("BTC", Price::whole(80'000));
  e = of(b.s, "BTC");
  CHECK(e.longs == k_token / 5);
  CHECK(e.shorts == 0);
  CHECK(e.net_usd == Usd(-16'000 * k_usd));

  // ETH has no position and the vault holds no ETH: nothing, and no price yet
  const auto eth = of(b.s, "ETH");
  CHECK(eth.net == 0);
  CHECK_FALSE(eth.price.has_value());
  CHECK_FALSE(eth.net_usd.has_value());
}

TEST_CASE("a value in USD rounds its magnitude up, tokens show every decimal", "[exposure]") {
  // 1/3 BTC in 10^-18: 333,333,333,333,333,333 × 60,000 = 19,999.99999999999998 → 20,000.000000
  const int128 third = k_token / 3;
  CHECK(exposure::value_away_from_zero(third, Price::whole(60'000)) == Usd(20'000 * k_usd));
  CHECK(exposure::value_away_from_zero(-third, Price::whole(60'000)) == Usd(-20'000 * k_usd));
  CHECK(exposure::format_tokens(third, 8) == "0.333333333333333333");
  CHECK(exposure::format_tokens(k_token * 3 / 2, 8) == "1.50000000");
  CHECK(exposure::format_tokens(k_token * 2, 0) == "2");
  CHECK(exposure::format_tokens(-k_token / 4, 0) == "-0.25");
}

TEST_CASE("a net exposure whose tokens × price pass 128 bits is still valued, if its USD fits", "[exposure][edge]") {
  // 1,000 BTC at 1,701,411,835 USD: 10^21 × 170,141,183,500,000,000 (10^-8 USD) = 1.7014 × 10^38,
  // past 2^127 − 1 = 1.7014118346 × 10^38; divided by 10^20 it is 1,701,411,835,000 USD exactly
  const int128 thousand = k_token * 1'000;
  const Price price = Price::whole(1'701'411'835);
  CHECK(exposure::value_away_from_zero(thousand, price) == Usd(static_cast<int64_t>(1'701'411'835'000) * k_usd));
  CHECK(exposure::value_away_from_zero(-thousand, price) == Usd(-static_cast<int64_t>(1'701'411'835'000) * k_usd));
  // one more 10^-18 of a token: + 1.7 × 10^-10 micro-USD, away from zero
  CHECK(exposure::value_away_from_zero(thousand + 1, price) == Usd(static_cast<int64_t>(1'701'411'835'000) * k_usd + 1));
}

TEST_CASE("max_net_exposure_bps refuses an open beyond the cap, at the boundary exactly", "[exposure]") {
  Pool b(capped(1'000));   // 10% of AUM
  b.price("BTC", test::k_btc);
  b.deposit("lp1", 100'000 * k_usd);
  // 0.2 BTC long = 10,000 USD against AUM 100,000 before the open: 10,000 × 10^4 = 1,000 × 100,000,
  // at the cap, allowed
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  // AUM is now 100,007 (7 of the fee): the cap is 10% of it, 10,000.70; a long of 0.70 more
  // (0.000014 BTC) takes the exposure to 10,000.70 exactly: allowed
  b.open("tom", "BTC", Side::long_, 10 * k_usd, 700'000);
  CHECK(of(b.s, "BTC").net_usd == Usd(-10'000'700'000));
  // AUM 100,007.00049 (LP part of the fee 0.0007): a long of 0.01 more would make 10,000.71 USD,
  // 10,000.71 × 10^4 > 1,000 × 100,007.00049: refused, naming the exposure after and the cap
  const Error e = b.refused(test::open_by_size("tom", "BTC", Side::long_, 10 * k_usd, 10'000), ErrorKind::rule);
  CHECK_THAT(e.message, Catch::Contains("net BTC exposure to -0.20001420 BTC (-10000.710000 USD, 10.01% of AUM "
                                        "100007.000490)"));
  CHECK_THAT(e.message, Catch::Contains("beyond its cap of 10000.700049 USD (max_net_exposure_bps 1000, 10.00% of AUM)"));

  // a short that brings it toward zero is always allowed, even past zero up to the same size:
  // 0.4 BTC short: net −0.200014 + 0.4 = +0.199986 (smaller in size)
  b.open("sue", "BTC", Side::short_, 5'000 * k_usd, 20'000 * k_usd);
  CHECK(of(b.s, "BTC").net == k_token * 199'986 / 1'000'000);
  // another 0.2 short would take it to +0.399986 BTC = 19,999.30: refused
  const Error beyond = b.refused(test::open_by_size("sue", "BTC", Side::short_, 5'000 * k_usd, 10'000 * k_usd),
                                 ErrorKind::rule);
  CHECK_THAT(beyond.message, Catch::Contains("net BTC exposure to 0.39998600 BTC (19999.300000 USD"));
  // ETH has no cap
  b.price("ETH", test::k_eth);
  b.open("ann", "ETH", Side::long_, 5'000 * k_usd, 20'000 * k_usd);
}

TEST_CASE("beyond the cap after a price move, an open that reduces the exposure is still allowed", "[exposure]") {
  Pool b(capped(1'000));
  b.price("BTC", test::k_btc);
  b.deposit("lp1", 100'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);   // 0.2 BTC, at the cap
  // BTC to 60,000: −12,000 USD against AUM 100,007 − tom's 2,000 = 98,007: 12.25%, beyond 10%
  b.price("BTC", Price::whole(60'000));
  const auto e = of(b.s, "BTC");
  CHECK(e.net_usd == Usd(-12'000 * k_usd));
  CHECK(e.share == Bps{1'225});   // ceil(12,000 × 10^4 / 98,007) = ceil(1,224.40)
  // a long of 60 more (0.001 BTC) is refused; a short of 600 (0.01 BTC) is allowed, still beyond
  b.refused(test::open_by_size("tom", "BTC", Side::long_, 10 * k_usd, 60 * k_usd), ErrorKind::rule);
  b.open("sue", "BTC", Side::short_, 100 * k_usd, 600 * k_usd);
  CHECK(of(b.s, "BTC").net == -k_token * 19 / 100);
}

TEST_CASE("a pool holding BTC: its holdings count, longs offset them", "[exposure][assets]") {
  test::MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(LpAssetDeposited{"alice", "USDC", "100000", "", Duration{0}, true});
  // bob's 1 BTC pays 13 bps = 130,000 sat: 26,000 to the insurance fund and 13,000 to the treasury
  // leave the pool; the LPs own 100,000,000 − 39,000 = 99,961,000 sat = 0.99961 BTC
  p.ok(LpAssetDeposited{"bob", "BTC", "1", "", Duration{0}, true});
  auto e = of(p.s, "BTC");
  CHECK(e.shown_decimals == 8);
  CHECK(e.held == k_token * 99'961 / 100'000);
  CHECK(e.net == e.held);
  CHECK(e.net_usd == Usd(59'976'600'000));   // 0.99961 × 60,000 = 59,976.60
  // tom's long of 30,000 (0.5 BTC): the pool is short it, net 0.49961 BTC = 29,976.60
  p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(10'000 * k_usd), Usd(30'000 * k_usd), Leverage{0}, {}, {}});
  e = of(p.s, "BTC");
  CHECK(e.longs == k_token / 2);
  CHECK(e.net == k_token * 49'961 / 100'000);
  CHECK(e.net_usd == Usd(29'976'600'000));
  // report pool gains the section on a multi-asset pool; report exposure has one row per market
  auto report = exposure_report(p.s);
  REQUIRE(report.has_value());
  REQUIRE(report->sections.size() == 1);
  CHECK(report->sections[0].rows.size() == 1);
  CHECK(shows_exposure(p.s));
}

TEST_CASE("report pool of a single-USDC vault without a cap stays as it was", "[exposure]") {
  Pool plain;
  CHECK_FALSE(shows_exposure(plain.s));
  Pool with_cap(capped(500));
  CHECK(shows_exposure(with_cap.s));
}

TEST_CASE("with a cap, the senior at risk counts the net exposure after the open", "[exposure][tranches]") {
  Config c = capped(10'000);   // a cap of 100% of the NAV, which does not bind here
  c.fees.open_fee_bps = Bps{0};
  c.tranches.enabled = true;
  c.tranches.max_senior_at_risk_bps = Bps{5'000};   // 50% of the senior NAV
  Pool b(c);
  b.price("BTC", test::k_btc);
  b.ok(LpDeposited{"jill", Usd(1'000 * k_usd), "junior"});
  b.ok(LpDeposited{"sam", Usd(9'000 * k_usd), "senior"});
  // tom: long 2,000 = 0.04 BTC, reserve 2,000; at risk = reserves 2,000 + |net| 2,000 − junior 1,000
  // = 3,000 ≤ 50% × 9,000 = 4,500 (without the exposure it would be 1,000)
  b.open("tom", "BTC", Side::long_, 500 * k_usd, 2'000 * k_usd);
  // 1,000 more long: 3,000 + 3,000 − 1,000 = 5,000 > 4,500, refused naming both
  const Error e = b.refused(test::open_by_size("tom", "BTC", Side::long_, 500 * k_usd, 1'000 * k_usd), ErrorKind::rule);
  CHECK_THAT(e.message, Catch::Contains("would put 5000.000000 of the senior tranche at risk (reserves 3000.000000 "
                                        "and net exposure 3000.000000 beyond"));
  // a short of 1,000 instead: 3,000 + |−0.04 + 0.02| × 50,000 = 1,000, − 1,000 = 3,000: allowed, a
  // balanced book weighs less than a one-sided one
  b.open("sue", "BTC", Side::short_, 500 * k_usd, 1'000 * k_usd);
  auto report = tranches_report(b.s, b.now);
  REQUIRE(report.has_value());
  const Section& risk = report->sections.back();
  REQUIRE(risk.name == "subordination");
  CHECK(risk.columns[4].key == "senior_at_risk");
  CHECK(risk.rows[0][4].number == 3'000 * k_usd);
}

TEST_CASE("cascade --shock on a pool holding BTC splits each layer's and LP's change into holdings and positions",
          "[exposure][assets][shock]") {
  test::MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(LpAssetDeposited{"alice", "USDC", "100000", "", Duration{0}, true});
  p.ok(LpAssetDeposited{"bob", "BTC", "1", "", Duration{0}, true});   // the LPs own 0.99961 BTC
  // tom: long 30,000 = 0.5 BTC on 10,000 (9,970 after the fee)
  p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(10'000 * k_usd), Usd(30'000 * k_usd), Leverage{0}, {}, {}});
  // BTC −30%: 42,000, low 41,958 (10 bps band). The holdings' book falls from 0.99961 × 59,940 =
  // 59,916.6234 to 0.99961 × 41,958 = 41,941.63638: 17,974.98702, all the senior's (no junior;
  // cascade.inventory junior, senior). tom is 30,000 × 18,000 / 60,000 = 9,000 behind, within his
  // collateral, and not liquidatable (equity 9,970 − 9,000 − 30 = 940 above 300): the positions give
  // the pool 9,000 (an absorbed −9,000).
  auto r = shock_preview(p.s, p.now, {Shock{"BTC", Bps{-3'000}}});
  REQUIRE(r.has_value());
  const Section& layers = r->sections[0];
  REQUIRE(layers.columns.size() == 7);
  CHECK(layers.columns[5].key == "absorbed_holdings");
  CHECK(layers.columns[6].key == "absorbed_positions");
  for (const auto& row : layers.rows) {
    INFO(row[0].text);
    CHECK(row[5].number + row[6].number == row[3].number);   // the parts sum to what the layer absorbed
    if (row[0].text == "senior") {
      CHECK(row[5].number == 17'974'987'020);
      CHECK(row[6].number == -9'000 * k_usd);
    } else {
      CHECK(row[5].number == 0);
      CHECK(row[6].number == 0);
    }
  }
  const Section& lps = r->sections[1];
  REQUIRE(lps.columns.size() == 8);
  CHECK(lps.columns[6].key == "lost_holdings");
  REQUIRE(lps.rows.size() == 2);
  int128 holdings = 0;
  for (const auto& row : lps.rows) {
    CHECK(row[6].number + row[7].number == row[4].number);
    holdings += row[6].number;
  }
  // each LP's part is floored from its shares: together within a micro-unit per LP of the layer's
  CHECK(holdings <= 17'974'987'020);
  CHECK(holdings >= 17'974'987'020 - 2);
  // a single-USDC vault's cascade report keeps its columns
  Pool b;
  b.price("BTC", test::k_btc);
  b.deposit("lp1", 1'000 * k_usd);
  auto plain = shock_preview(b.s, b.now, {Shock{"BTC", Bps{-3'000}}});
  REQUIRE(plain.has_value());
  CHECK(plain->sections[0].columns.size() == 5);
  CHECK(plain->sections[1].columns.size() == 6);
}
