// tests/lib/cascade_test.cpp: the loss cascade (lib/cascade.hpp) on hand-built states: what each
// layer gives (DESIGN-risk §3) and the virtual tranche values (DESIGN-risk §4), numbers by hand.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/cascade.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

// A state with no events: only the config and the vault's figures the cascade reads. Amounts are
// whole USD; the junior has shares when it has capital.
State layers_state(int64_t insurance, int64_t junior, int64_t senior) {
  State s;
  s.config = base_config();
  s.config.tranches.enabled = true;
  s.vault.insurance = Usd(insurance * k_usd);
  s.vault.junior().capital = Usd(junior * k_usd);
  s.vault.junior().supply = Shares(junior > 0 ? junior * Shares::k_scale : 0);
  s.vault.senior().capital = Usd(senior * k_usd);
  s.vault.senior().supply = Shares(senior > 0 ? senior * Shares::k_scale : 0);
  return s;
}

using Legs = std::vector<std::pair<Layer, Usd>>;

tranche::Allocation allocate(const State& s, LossKind kind, int64_t micro, const std::string& market = "BTC",
                             int64_t day = 0) {
  auto a = tranche::allocate_loss(s, kind, Usd(micro), market, day);
  if (!a) FAIL("allocate_loss: " << a.error().message);
  return *a;
}

tranche::Values values_given(const State& s, int64_t unrealized) {
  auto v = tranche::values_given(s, Usd(unrealized));
  if (!v) FAIL("values_given: " << v.error().message);
  return *v;
}

}  // namespace

// ---- allocate_loss: the orders -------------------------------------------------------------------

TEST_CASE("bad debt falls on insurance, then junior, then senior, each until empty", "[cascade]") {
  const State s = layers_state(100, 400, 1'000);
  const auto a = allocate(s, LossKind::bad_debt, 350 * k_usd);
  // insurance 100 gives 100; junior 400 gives 250 of the 350 − 100 = 250 left; senior gives 0: 100+250 = 350
  CHECK(a.layers == Legs{{Layer::insurance, Usd(100 * k_usd)}, {Layer::junior, Usd(250 * k_usd)}, {Layer::senior, Usd(0)}});
  CHECK(a.unabsorbed == Usd(0));
}

TEST_CASE("a trader's profit falls on junior then senior and never on insurance", "[cascade]") {
  const State s = layers_state(100, 400, 1'000);
  const auto a = allocate(s, LossKind::trader_pnl, 450 * k_usd);
  // default trader_pnl = [junior, senior]: junior 400 gives 400; senior gives the 450 − 400 = 50 left;
  // the fund's 100 is not in the order
  CHECK(a.layers == Legs{{Layer::junior, Usd(400 * k_usd)}, {Layer::senior, Usd(50 * k_usd)}});
  CHECK(a.unabsorbed == Usd(0));
}

TEST_CASE("an external loss beyond every layer leaves the rest unabsorbed", "[cascade]") {
  const State s = layers_state(100, 400, 1'000);
  const auto a = allocate(s, LossKind::external, 1'600 * k_usd, "");
  // default external = [insurance, junior, senior]: 100 + 400 + 1,000 = 1,500 given; 1,600 − 1,500 = 100 left
  CHECK(a.layers == Legs{{Layer::insurance, Usd(100 * k_usd)}, {Layer::junior, Usd(400 * k_usd)}, {Layer::senior, Usd(1'000 * k_usd)}});
  CHECK(a.unabsorbed == Usd(100 * k_usd));
}

TEST_CASE("the cascade follows the configured order of each kind", "[cascade]") {
  State s = layers_state(100, 400, 1'000);
  s.config.cascade.trader_pnl = {Layer::senior, Layer::junior};
  s.config.cascade.bad_debt = {Layer::junior, Layer::insurance};
  s.config.cascade.external = {Layer::junior};
  // trader_pnl = [senior, junior]: senior 1,000 gives 1,000; junior gives the 1,200 − 1,000 = 200 left
  const auto pnl = allocate(s, LossKind::trader_pnl, 1'200 * k_usd);
  CHECK(pnl.layers == Legs{{Layer::senior, Usd(1'000 * k_usd)}, {Layer::junior, Usd(200 * k_usd)}});
  CHECK(pnl.unabsorbed == Usd(0));
  // bad_debt = [junior, insurance]: junior 400 gives 400; insurance gives 100 of the 450 left;
  // no senior in the order: 450 − 100 = 350 unabsorbed
  const auto debt = allocate(s, LossKind::bad_debt, 850 * k_usd);
  CHECK(debt.layers == Legs{{Layer::junior, Usd(400 * k_usd)}, {Layer::insurance, Usd(100 * k_usd)}});
  CHECK(debt.unabsorbed == Usd(350 * k_usd));
  // external = [junior]: junior 400 gives 400 of 500; 100 unabsorbed although the senior holds 1,000
  const auto ext = allocate(s, LossKind::external, 500 * k_usd, "");
  CHECK(ext.layers == Legs{{Layer::junior, Usd(400 * k_usd)}});
  CHECK(ext.unabsorbed == Usd(100 * k_usd));
}

TEST_CASE("a zero loss lists every layer of the order with 0 and leaves nothing unabsorbed", "[cascade]") {
  const State s = layers_state(100, 400, 1'000);
  const auto a = allocate(s, LossKind::bad_debt, 0);
  // min(0, anything) = 0 at each of the three layers
  CHECK(a.layers == Legs{{Layer::insurance, Usd(0)}, {Layer::junior, Usd(0)}, {Layer::senior, Usd(0)}});
  CHECK(a.unabsorbed == Usd(0));
}

TEST_CASE("a layer with negative capital gives nothing and the next layer takes the loss", "[cascade]") {
  State s = layers_state(0, 0, 1'000);
  s.vault.junior().capital = Usd(-10 * k_usd);
  const auto a = allocate(s, LossKind::trader_pnl, 30 * k_usd);
  // junior gives min(30, max(−10, 0)) = 0; senior gives 30
  CHECK(a.layers == Legs{{Layer::junior, Usd(0)}, {Layer::senior, Usd(30 * k_usd)}});
  CHECK(a.unabsorbed == Usd(0));
}

TEST_CASE("a loss of one micro-unit more than every layer leaves exactly one micro-unit unabsorbed", "[cascade]") {
  const State s = layers_state(100, 400, 1'000);
  const auto a = allocate(s, LossKind::bad_debt, 1'500 * k_usd + 1);
  // 100 + 400 + 1,000 = 1,500 given; 1,500.000001 − 1,500 = 0.000001
  CHECK(a.layers.back() == std::pair{Layer::senior, Usd(1'000 * k_usd)});
  CHECK(a.unabsorbed == Usd(1));
}

// ---- allocate_loss: the insurance fund's limits (DESIGN-risk §3) ---------------------------------

TEST_CASE("insurance covers only its cover rate of the loss, rounded down, the rest moving on", "[cascade][insurance]") {
  State s = layers_state(1'000, 400, 1'000);
  s.config.insurance.cover_rate_bps = Bps{5'000};
  const auto a = allocate(s, LossKind::bad_debt, 301);
  // floor(301 µ × 5,000 / 10,000) = floor(150.5) = 150 µ; junior takes 301 − 150 = 151 µ
  CHECK(a.layers == Legs{{Layer::insurance, Usd(150)}, {Layer::junior, Usd(151)}, {Layer::senior, Usd(0)}});
  CHECK(a.unabsorbed == Usd(0));
}

TEST_CASE("insurance gives at most max_cover_per_event", "[cascade][insurance]") {
  State s = layers_state(100, 400, 1'000);
  s.config.insurance.max_cover_per_event = Usd(30 * k_usd);
  const auto a = allocate(s, LossKind::bad_debt, 350 * k_usd);
  // min(350, 100 balance, 30 cap) = 30; junior takes 350 − 30 = 320
  CHECK(a.layers == Legs{{Layer::insurance, Usd(30 * k_usd)}, {Layer::junior, Usd(320 * k_usd)}, {Layer::senior, Usd(0)}});
}

TEST_CASE("insurance never goes below its floor balance", "[cascade][insurance]") {
  State s = layers_state(100, 400, 1'000);
  s.config.insurance.floor_balance = Usd(80 * k_usd);
  const auto a = allocate(s, LossKind::external, 50 * k_usd, "");
  // the fund may give 100 − 80 = 20; junior takes 50 − 20 = 30
  CHECK(a.layers == Legs{{Layer::insurance, Usd(20 * k_usd)}, {Layer::junior, Usd(30 * k_usd)}, {Layer::senior, Usd(0)}});
  // a fund at or under its floor gives nothing: max(70 − 80, 0) = 0
  s.vault.insurance = Usd(70 * k_usd);
  const auto under = allocate(s, LossKind::external, 50 * k_usd, "");
  CHECK(under.layers.front() == std::pair{Layer::insurance, Usd(0)});
  CHECK(under.layers[1] == std::pair{Layer::junior, Usd(50 * k_usd)});
}

TEST_CASE("insurance gives at most its daily share per market, what is left of it on the same day", "[cascade][insurance]") {
  State s = layers_state(100, 400, 1'000);
  s.config.insurance.max_cover_per_market_per_day_bps = Bps{2'500};
  // a market's first draw of the day: floor(100 × 2,500 / 10,000) = 25; junior takes 40 − 25 = 15
  const auto first = allocate(s, LossKind::bad_debt, 40 * k_usd, "BTC", 7);
  CHECK(first.layers == Legs{{Layer::insurance, Usd(25 * k_usd)}, {Layer::junior, Usd(15 * k_usd)}, {Layer::senior, Usd(0)}});
  // BTC drew 20 of its cap of 25 on day 7: 25 − 20 = 5 left that day; junior takes 40 − 5 = 35
  s.vault.cover_today["BTC"] = Vault::DailyCover{7, Usd(25 * k_usd), Usd(20 * k_usd)};
  const auto again = allocate(s, LossKind::bad_debt, 40 * k_usd, "BTC", 7);
  CHECK(again.layers == Legs{{Layer::insurance, Usd(5 * k_usd)}, {Layer::junior, Usd(35 * k_usd)}, {Layer::senior, Usd(0)}});
  // day 8 starts afresh from the balance: floor(100 × 2,500 / 10,000) = 25
  const auto next_day = allocate(s, LossKind::bad_debt, 40 * k_usd, "BTC", 8);
  CHECK(next_day.layers.front() == std::pair{Layer::insurance, Usd(25 * k_usd)});
  // another market has its own cap: ETH's first draw on day 7 is 25 as well
  const auto eth = allocate(s, LossKind::bad_debt, 40 * k_usd, "ETH", 7);
  CHECK(eth.layers.front() == std::pair{Layer::insurance, Usd(25 * k_usd)});
  // market "" (an external loss) has no per-market cap: min(40, 100) = 40
  const auto external = allocate(s, LossKind::external, 40 * k_usd, "", 7);
  CHECK(external.layers.front() == std::pair{Layer::insurance, Usd(40 * k_usd)});
}

TEST_CASE("insurance gives the smallest of its limits", "[cascade][insurance]") {
  State s = layers_state(100, 400, 1'000);
  s.config.insurance.cover_rate_bps = Bps{8'000};
  s.config.insurance.max_cover_per_event = Usd(70 * k_usd);
  s.config.insurance.floor_balance = Usd(40 * k_usd);
  // loss 90: rate floor(90 × 0.8) = 72, per event 70, balance − floor = 100 − 40 = 60 → 60; junior 30
  const auto a = allocate(s, LossKind::bad_debt, 90 * k_usd);
  CHECK(a.layers == Legs{{Layer::insurance, Usd(60 * k_usd)}, {Layer::junior, Usd(30 * k_usd)}, {Layer::senior, Usd(0)}});
  // loss 50: rate 40, per event 70, floor room 60 → 40; junior 10
  const auto b = allocate(s, LossKind::bad_debt, 50 * k_usd);
  CHECK(b.layers == Legs{{Layer::insurance, Usd(40 * k_usd)}, {Layer::junior, Usd(10 * k_usd)}, {Layer::senior, Usd(0)}});
}

// ---- values_given / values: the virtual tranche NAVs (DESIGN-risk §4) ----------------------------

TEST_CASE("with no unrealized result the tranche values are their realized capital", "[cascade][values]") {
  const State s = layers_state(100, 400, 1'000);
  const auto v = values_given(s, 0);
  // senior 1,000, junior 400, nothing uncovered
  CHECK(v.senior == Usd(1'000 * k_usd));
  CHECK(v.junior == Usd(400 * k_usd));
  CHECK(v.uncovered == Usd(0));
}

TEST_CASE("traders behind: the unrealized gain pays the senior's unpaid target first, the rest to junior", "[cascade][values]") {
  State s = layers_state(100, 400, 1'000);
  s.vault.senior().unpaid_target = Usd(30 * k_usd);
  const auto v = values_given(s, 100 * k_usd);
  // to senior min(100, 30) = 30 → 1,030; to junior 100 − 30 = 70 → 470
  CHECK(v.senior == Usd(1'030 * k_usd));
  CHECK(v.junior == Usd(470 * k_usd));
  CHECK(v.uncovered == Usd(0));
  // a gain below the unpaid target goes wholly to the senior: min(20, 30) = 20 → 1,020; junior 400
  const auto small = values_given(s, 20 * k_usd);
  CHECK(small.senior == Usd(1'020 * k_usd));
  CHECK(small.junior == Usd(400 * k_usd));
}

TEST_CASE("traders behind with no junior shares: the whole unrealized gain goes to the senior", "[cascade][values]") {
  State s = layers_state(100, 0, 1'000);
  s.vault.senior().unpaid_target = Usd(30 * k_usd);
  const auto v = values_given(s, 100 * k_usd);
  // to senior 30 of the target, and the 70 junior would get: 1,000 + 100 = 1,100; junior stays 0
  CHECK(v.senior == Usd(1'100 * k_usd));
  CHECK(v.junior == Usd(0));
}

TEST_CASE("traders ahead: their unrealized profit lowers junior first, then senior", "[cascade][values]") {
  const State s = layers_state(100, 400, 1'000);
  const auto v = values_given(s, -450 * k_usd);
  // trader_pnl = [junior, senior]: junior 400 − 400 = 0; senior 1,000 − 50 = 950
  CHECK(v.junior == Usd(0));
  CHECK(v.senior == Usd(950 * k_usd));
  CHECK(v.uncovered == Usd(0));
}

TEST_CASE("traders ahead beyond every layer: the excess is reported as uncovered", "[cascade][values]") {
  const State s = layers_state(100, 400, 1'000);
  const auto v = values_given(s, -1'500 * k_usd);
  // junior gives 400, senior 1,000: 1,500 − 1,400 = 100 uncovered; both tranches at 0
  CHECK(v.junior == Usd(0));
  CHECK(v.senior == Usd(0));
  CHECK(v.uncovered == Usd(100 * k_usd));
}

TEST_CASE("an insurance layer in trader_pnl takes unrealized profit with no per-market cap", "[cascade][values]") {
  State s = layers_state(100, 400, 1'000);
  s.config.cascade.trader_pnl = {Layer::insurance, Layer::junior, Layer::senior};
  s.config.insurance.max_cover_per_market_per_day_bps = Bps{1};   // would allow floor(100 × 1 / 10,000) = 0.01
  const auto v = values_given(s, -150 * k_usd);
  // insurance gives min(150, 100) = 100 (market "": no daily cap); junior 400 − 50 = 350; senior 1,000
  CHECK(v.junior == Usd(350 * k_usd));
  CHECK(v.senior == Usd(1'000 * k_usd));
  CHECK(v.uncovered == Usd(0));
  CHECK(v.insurance == Usd(100 * k_usd));
}

TEST_CASE("values() runs the pool's unrealized result through the same rules", "[cascade][values]") {
  Config c = base_config();
  c.tranches.enabled = true;
  Pool b(c);
  b.price("BTC", k_btc);
  b.ok(LpDeposited{"jill", Usd(100'000 * k_usd), "junior"});
  b.ok(LpDeposited{"sam", Usd(400'000 * k_usd), "senior"});
  // open fee ceil(10,000 × 10 / 10,000) = 10: LP part 10 − floor(2) − floor(1) = 7, no senior target → junior
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  REQUIRE(b.s.vault.junior().capital.units() == 100'007 * k_usd);
  auto flat = tranche::values(b.s);
  REQUIRE(flat.has_value());
  // at the entry price nothing is unrealized: junior 100,007, senior 400,000
  CHECK(flat->junior == Usd(100'007 * k_usd));
  CHECK(flat->senior == Usd(400'000 * k_usd));
  b.price("BTC", Price::whole(55'000));
  auto up = tranche::values(b.s);
  REQUIRE(up.has_value());
  // long 10,000 from 50,000 to 55,000: profit 10,000 × 5,000 / 50,000 = 1,000 (under the reserve of
  // 10,000) → junior 100,007 − 1,000 = 99,007; senior 400,000
  CHECK(up->junior == Usd(99'007 * k_usd));
  CHECK(up->senior == Usd(400'000 * k_usd));
  b.price("BTC", Price::whole(47'500));
  auto down = tranche::values(b.s);
  REQUIRE(down.has_value());
  // at 47,500 the trader loses 10,000 × 2,500 / 50,000 = 500 (under his collateral of 1,990): no
  // senior target unpaid, so junior 100,007 + 500 = 100,507
  CHECK(down->junior == Usd(100'507 * k_usd));
  CHECK(down->senior == Usd(400'000 * k_usd));
}

// ---- pool_value / pool_nav: the one NAV of limits and reports (issue 20 item 1) -----------------

TEST_CASE("rules 3: unrealized profit the insurance fund takes in trader_pnl is not taken from the pool's NAV",
          "[cascade][nav]") {
  const Pool b = insurance_first_pool(3);
  // reserve ceil(1,000 × 100 / 10,000) = 10; profit 1,000 × (52,500 − 50,000) / 50,000 = 50, capped at
  // the reserve: U = −10. trader_pnl [insurance, senior]: the fund gives min(10, 100) = 10, the senior 0.
  // NAV = capital 1,000 + U −10 + the fund's 10 = 1,000, the senior's value (DESIGN-risk §3/§4: the
  // valuation runs the same list a realized profit runs; closing now pays the 10 from the fund).
  const auto pv = tranche::pool_value(b.s);
  REQUIRE(pv.has_value());
  CHECK(pv->tranches.insurance == Usd(10 * k_usd));
  CHECK(pv->tranches.senior == Usd(1'000 * k_usd));
  CHECK(pv->nav == Usd(1'000 * k_usd));
  CHECK(tranche::pool_nav(b.s).value() == Usd(1'000 * k_usd));
  // the borrow rate's utilization is on the same NAV: ceil(10 × 10,000 / 1,000) = 100 bps
  CHECK(b.s.vault.utilization_bps.value == 100);
}

TEST_CASE("rules 2 journals keep the NAV their limits were decided on: capital + U", "[cascade][nav]") {
  const Pool b = insurance_first_pool(2);
  // 1,000 − 10 = 990, the tranche value still 1,000 (deposits mint at it under every rules version)
  const auto pv = tranche::pool_value(b.s);
  REQUIRE(pv.has_value());
  CHECK(pv->nav == Usd(990 * k_usd));
  CHECK(pv->tranches.senior == Usd(1'000 * k_usd));
  CHECK(tranche::pool_nav(b.s).value() == Usd(990 * k_usd));
  // ceil(10 × 10,000 / 990) = ceil(101.01…) = 102 bps
  CHECK(b.s.vault.utilization_bps.value == 102);
}

TEST_CASE("rules 3: an open may reserve up to max_utilization_bps of the NAV valued through trader_pnl",
          "[cascade][nav][open]") {
  // At NAV 1,000 the reserves may reach 80% = 800: 10 reserved, 790 of room. A 79,000 long reserves
  // ceil(79,000 × 100 / 10,000) = 790 (collateral 4,000: 19.75x ≤ 20x): accepted, utilization
  // ceil(800 × 10,000 / 1,000) = 8,000 bps. At the old NAV 990 the limit was 792 and it was refused.
  Pool b = insurance_first_pool(3);
  b.open("uma", "BTC", Side::short_, 4'000 * k_usd, 79'000 * k_usd);
  CHECK(b.s.vault.reserved == Usd(800 * k_usd));
  CHECK(b.s.vault.utilization_bps.value == 8'000);
  // one micro-unit of reserve more is refused, the message naming the same NAV
  const Error e = b.refused(open_by_size("vic", "BTC", Side::short_, 1 * k_usd, 1), ErrorKind::rule);
  CHECK_THAT(e.message, Catch::Contains("NAV 1000.000000"));

  Pool old = insurance_first_pool(2);
  const Error e2 = old.refused(open_by_size("uma", "BTC", Side::short_, 4'000 * k_usd, 79'000 * k_usd), ErrorKind::rule);
  // 80% of 990 = 792, 10 reserved: 782 of room
  CHECK_THAT(e2.message, Catch::Contains("only 782.000000 of the pool is free to reserve (80.00% of NAV 990.000000"));
}
