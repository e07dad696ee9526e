// tests/lib/trading_vectors_test.cpp: the solana-labs and Adrena unit-test vectors of the research
// page (../shared/research/adrena_perps.md §5) for the borrow rate and index (S5, S6, S16), and PnL,
// leverage and the liquidation price (S7, S15), reproduced with nexadex's own functions where the rules
// coincide; each difference is named beside the vector (nexadex-assets(7), TEST VECTORS).
//
// Units. solana-labs and Adrena count a rate per hour at 10^9 = 100%, and their index at the same
// scale; nexadex counts a rate a year in bps and its index at 10^18. A rate of r per hour at 10^9 is
// r × 8,760 × 10^4 / 10^9 = r × 0.0876 bps a year: slope 80,000 → 7,008, slope 120,000 → 10,512,
// max 100,000 → 8,760. An index I at 10^9 is I × 10^9 at 10^18. Their utilization locked / owned is
// nexadex's utilization in bps (locked 1 of 1,000 = 10 bps).
#include <catch2/catch.hpp>

#include <utility>
#include <limits>
#include <vector>

#include "lib/accrual.hpp"
#include "lib/asset_rules.hpp"
#include "lib/pricing.hpp"
#include "tests/lib/pool_fixture.hpp"

namespace nexadex {
namespace {

using test::k_usd;

constexpr int128 k_their_scale = 1'000'000'000;   // 10^9: their index unit in ours (10^18 / 10^9)

// The solana-labs custody fixture's curve: base 0, slope1 80,000, slope2 120,000, optimal 80%.
FeeConfig two_slope() {
  FeeConfig f;
  f.borrow_base_apr_bps = Bps{0};
  f.borrow_slope_apr_bps = Bps{7'008};
  f.borrow_kink_bps = Bps{8'000};
  f.borrow_slope2_apr_bps = Bps{10'512};
  return f;
}

// Adrena v1.3.7's linear curve: max_hourly_rate 100,000 × utilization.
FeeConfig adrena_linear() {
  FeeConfig f;
  f.borrow_base_apr_bps = Bps{0};
  f.borrow_slope_apr_bps = Bps{8'760};
  return f;
}

// The rate per hour at 10^9 at utilization u: the index's growth over 3,600 s, in their units; the
// growth must be a whole number of their units (the vectors are exact).
int128 hourly_rate(const FeeConfig& f, int64_t u_bps) {
  const auto growth = vault::borrow_index_growth(f, Bps{u_bps}, 3'600);
  REQUIRE(growth.has_value());
  CHECK(growth->units() % k_their_scale == 0);
  return growth->units() / k_their_scale;
}

// solana-labs' test sequence: update_borrow_rate at `times` with the utilization `u_bps[i]` set before
// each call; the index rolls forward at the previous interval's utilization (as nexadex's accrue does
// before each event), then the rate is recomputed. Returns the index after each call, at 10^9.
std::vector<int128> index_sequence(const FeeConfig& f, const std::vector<int64_t>& times,
                                   const std::vector<int64_t>& u_bps) {
  Config c = test::base_config();
  c.fees = f;
  test::Pool b(c);
  State& s = b.s;
  s.vault.borrow_index = BorrowIndex(0);
  s.vault.index_at = Timestamp{times.front()};
  std::vector<int128> out;
  for (std::size_t i = 0; i < times.size(); ++i) {
    REQUIRE(vault::accrue(s, Timestamp{times[i]}).has_value());
    s.vault.utilization_bps = Bps{u_bps[i]};   // the rate for the next interval
    CHECK(s.vault.borrow_index.units() % k_their_scale == 0);
    out.push_back(s.vault.borrow_index.units() / k_their_scale);
  }
  return out;
}

// S6's and S16's interest: what a position of 100,000 owes after an hour at utilization u (the index
// from 0), and the same with its snapshot at 70,000 of their units.
std::pair<Usd, Usd> hour_of_interest(const FeeConfig& f, int64_t u_bps) {
  const auto hour = vault::borrow_index_growth(f, Bps{u_bps}, 3'600);
  REQUIRE(hour.has_value());
  Position p;
  p.size = Usd(100'000 * k_usd);
  const Usd from_zero = vault::borrow_due(p, *hour).value();
  p.borrow_index_open = BorrowIndex(70'000 * k_their_scale);
  return {from_zero, vault::borrow_due(p, *hour).value()};
}

}  // namespace

TEST_CASE("S5 test_update_borrow_rate: the two-slope curve, every rate and both index sequences", "[vectors][borrow]") {
  const FeeConfig f = two_slope();
  // below the kink: rate = 7,008 × u / 8,000 bps a year; at u = 5,000: 4,380 bps a year = 0.5 bps an
  // hour = 5 × 10^-5 = 50,000 at 10^9. Above: 7,008 + 10,512 × (u − 8,000) / 2,000; at 9,000:
  // 7,008 + 5,256 = 12,264 bps a year = 1.4 bps an hour = 140,000.
  CHECK(hourly_rate(f, 5'000) == 50'000);     // locked 500 of 1,000
  CHECK(hourly_rate(f, 0) == 0);
  CHECK(hourly_rate(f, 8'000) == 80'000);     // at the kink: base + slope1
  CHECK(hourly_rate(f, 9'000) == 140'000);
  CHECK(hourly_rate(f, 10'000) == 200'000);   // base + slope1 + slope2
  CHECK(hourly_rate(f, 10) == 100);           // locked 1: 7,008 × 10 / 8,000 = 8.76 bps a year = 10^-7 an hour
  CHECK(hourly_rate(f, 9'990) == 199'400);    // 80,000 + 120,000 × 1,990 / 2,000

  // locked 500 from t = 3,600: index 25,000 at 5,400 (half an hour at 50,000), 50,000 at 7,200.
  CHECK(index_sequence(f, {3'600, 5'400, 7'200}, {5'000, 5'000, 5'000}) == std::vector<int128>{0, 25'000, 50'000});
  // locked 900: 70,000 after half an hour, 140,000 after one; locked drops to 500 at 10,800, after the
  // index took the hour 7,200 → 10,800 at 140,000 (280,000); then an hour at 50,000: 330,000.
  CHECK(index_sequence(f, {3'600, 5'400, 7'200, 10'800, 14'400}, {9'000, 9'000, 9'000, 5'000, 5'000}) ==
        std::vector<int128>{0, 70'000, 140'000, 280'000, 330'000});
}

TEST_CASE("S6 test_get_interest_amount_usd: 14 USD on 100,000 for an hour at 140,000, 7 from a snapshot of 70,000",
          "[vectors][borrow]") {
  // Interest = (index now − snapshot) × borrow size / 10^9: 140,000 × 100,000 / 10^9 = 14 USD; nexadex's
  // borrow_due = ceil(size × Δindex / 10^18) = ceil(100,000,000,000 × 1.4 × 10^14 / 10^18) = 14,000,000.
  // Their borrow size is the position's size here (max_payoff_mult 100%), as nexadex charges on size.
  CHECK(hour_of_interest(two_slope(), 9'000) == std::pair{Usd(14 * k_usd), Usd(7 * k_usd)});
  // Not reproduced: "a query at t = 7,199 after the update at 7,200 still gives 14" has no counterpart:
  // nexadex's index moves only forward, with the journal's events, and a report at an earlier time
  // replays the journal to that time.
}

TEST_CASE("S16 Adrena test_update_borrow_rate: the linear curve is nexadex's one line", "[vectors][borrow]") {
  const FeeConfig f = adrena_linear();
  // rate = 8,760 × u / 10,000 bps a year = 100,000 × u at 10^9 an hour: no kink, the rate of rules 3.
  CHECK(hourly_rate(f, 5'000) == 50'000);
  CHECK(hourly_rate(f, 0) == 0);
  CHECK(hourly_rate(f, 8'000) == 80'000);
  CHECK(hourly_rate(f, 9'000) == 90'000);
  CHECK(hourly_rate(f, 10'000) == 100'000);
  CHECK(hourly_rate(f, 10) == 100);
  CHECK(hourly_rate(f, 9'990) == 99'900);
  CHECK(index_sequence(f, {3'600, 5'400, 7'200}, {5'000, 5'000, 5'000}) == std::vector<int128>{0, 25'000, 50'000});
  // 45,000 and 90,000 at 90%; back to 500 at 10,800 after the hour at 90,000: 180,000; then 230,000.
  CHECK(index_sequence(f, {3'600, 5'400, 7'200, 10'800, 14'400}, {9'000, 9'000, 9'000, 5'000, 5'000}) ==
        std::vector<int128>{0, 45'000, 90'000, 180'000, 230'000});
  // Interest on 100,000 for an hour at 90%: 9 USD; from a snapshot of 70,000: 2 USD.
  CHECK(hour_of_interest(f, 9'000) == std::pair{Usd(9 * k_usd), Usd(2 * k_usd)});
}

TEST_CASE("the two-slope curve in a pool: a 60% utilization above a 50% kink charges the second slope",
          "[vectors][borrow]") {
  // No open or close fee; base 0, slope 1,000, kink 5,000, slope2 10,000. ann deposits 100,000; tom
  // opens 60,000 on 6,000 (10x): reserve 60,000, utilization 6,000 bps. The rate is
  //   1,000 + 10,000 × (6,000 − 5,000) / (10,000 − 5,000) = 3,000 bps a year (one line: 600);
  // a day later Δindex = floor(15,000,000 × 86,400 × 10^18 / (5,000 × 10^4 × 31,536,000))
  //   = floor(821,917,808,219,178.08…) = 821,917,808,219,178,
  // and tom owes ceil(60,000,000,000 × 821,917,808,219,178 / 10^18) = ceil(49,315,068.49…) = 49.315069.
  // Without the kink: floor(6,000,000 × 86,400 × 10^18 / (10^8 × 31,536,000)) = 164,383,561,643,835,
  // 9.863014.
  for (const bool kink : {true, false}) {
    Config c = test::base_config();
    c.fees.open_fee_bps = Bps{0};
    c.fees.close_fee_bps = Bps{0};
    c.fees.borrow_base_apr_bps = Bps{0};
    c.fees.borrow_slope_apr_bps = Bps{1'000};
    if (kink) {
      c.fees.borrow_kink_bps = Bps{5'000};
      c.fees.borrow_slope2_apr_bps = Bps{10'000};
    }
    test::Pool b(c);
    b.price("BTC", test::k_btc);
    b.deposit("ann", 100'000 * k_usd);
    const int64_t id = b.open("tom", "BTC", Side::long_, 6'000 * k_usd, 60'000 * k_usd);
    CHECK(b.s.vault.utilization_bps.value == 6'000);
    b.at(test::k_day);
    b.price("BTC", test::k_btc);
    INFO("kink " << kink);
    CHECK(b.s.vault.borrow_index == BorrowIndex(kink ? 821'917'808'219'178 : 164'383'561'643'835));
    CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(kink ? 49'315'069 : 9'863'014));
  }
}

namespace {

// The solana-labs position fixture: a long of 100,000 at `entry` on 25,000 of collateral; BTC 10x
// with a maintenance margin of 1,000 bps (size / 10: their max_leverage 10x), no close fee, no keeper
// fee, no interest (S7: exit fee 0, interest 0).
test::Pool s7_pool() {
  Config c = test::base_config();
  c.fees.close_fee_bps = Bps{0};
  c.fees.liquidation_fee = Usd(0);
  c.markets[0].maintenance_margin_bps = Bps{1'000};
  return test::Pool(c);
}

Position s7_long(int64_t entry_usd) {
  Position p;
  p.market = "BTC";
  p.side = Side::long_;
  p.size = Usd(100'000 * k_usd);
  p.collateral = Usd(25'000 * k_usd);
  p.entry = Price::whole(entry_usd);
  p.reserve = Usd(100'000 * k_usd);   // their cap: 4 tokens × 25,000
  return p;
}

}  // namespace

TEST_CASE("S7 test_get_pnl_usd: a long of 100,000 exiting at 24,750", "[vectors][pnl]") {
  // Their exit price is min(spot, EMA) × (1 − 1%) = 24,750 (S1); nexadex has one price, so 24,750 is given.
  const Price exit = Price::whole(24'750);
  // 100,000 × (24,750 − 25,000) / 25,000 = −1,000
  CHECK(vault::pnl_floor(Side::long_, Usd(100'000 * k_usd), Price::whole(25'000), exit).value() == Usd(-1'000 * k_usd));
  // 100,000 × 650 / 25,400 = 2,559.0551181…, a loss rounded up: 2,559.055119
  CHECK(vault::pnl_floor(Side::long_, Usd(100'000 * k_usd), Price::whole(25'400), exit).value() == Usd(-2'559'055'119));
  // 100,000 × 250 / 24,500 = 1,020.4081632…, a profit rounded down: 1,020.408163 (below the cap)
  CHECK(vault::pnl_floor(Side::long_, Usd(100'000 * k_usd), Price::whole(24'500), exit).value() == Usd(1'020'408'163));
}

TEST_CASE("S7 test_get_liquidation_price: 21,250 for a long at 25,000, every row", "[vectors][liquidation]") {
  // Liquidatable when collateral + PnL < size / 10 (theirs: leverage > 10x; nexadex: equity below the
  // maintenance margin of 1,000 bps). The room above it is 25,000 − 10,000 = 15,000, a fall of
  // 15,000 × entry / 100,000: 3,750 from 25,000 (21,250), 3,675 from 24,500 (20,825), 3,000 from
  // 20,000 (17,000), 3,900 from 26,000 (22,100), 5,250 from 35,000 (29,750).
  test::Pool b = s7_pool();
  for (const auto& [entry, liq] : std::vector<std::pair<int64_t, int64_t>>{
           {25'000, 21'250}, {24'500, 20'825}, {20'000, 17'000}, {26'000, 22'100}, {35'000, 29'750}}) {
    INFO("entry " << entry);
    CHECK(vault::liquidation_price(b.s, s7_long(entry)).value() == Price::whole(liq));
    // and the boundary is theirs too: at the price not liquidatable (equity = 10,000, not below it),
    // one micro-dollar lower liquidatable
    CHECK_FALSE(vault::margin(b.s, s7_long(entry), Price::whole(liq)).value().liquidatable());
    CHECK(vault::margin(b.s, s7_long(entry), Price(Price::whole(liq).units() - 1)).value().liquidatable());
  }
  // Not reproduced: their entry price 0 (liquidation price 0); nexadex has no position without a price.
}

TEST_CASE("a PnL beyond the books' range is clamped to 2^62 micro-USD, not an overflow", "[pnl]") {
  // 100,000 at 1 USD to 92,233,720,368 USD: a profit of 100,000 × 92,233,720,367 = 9.2 × 10^15 USD,
  // past int64's 9.2 × 10^12 USD; clamped to 2^62 micro-USD. The short's loss the same, negative.
  const Price entry = Price::whole(1);
  const Price far = Price::whole(92'233'720'368);
  const Usd size(100'000 * k_usd);
  const Usd bound(static_cast<int64_t>(1) << 62);
  CHECK(vault::pnl_floor(Side::long_, size, entry, far).value() == bound);
  CHECK(vault::pnl_floor(Side::short_, size, entry, far).value() == Usd(-bound.units()));
  // within the range, unchanged: 100,000 from 1 to 2 is 100,000
  CHECK(vault::pnl_floor(Side::long_, size, entry, Price::whole(2)).value() == size);
}

TEST_CASE("a liquidation price beyond the price range: a long's is 0, a short's the largest price", "[liquidation]") {
  // 25,000 of collateral on a size of 1 micro-dollar (S7's pool, maintenance margin 1,000 bps: the
  // threshold is 0.0000001, floored to 0): the room 25,000 asks for a move of 25,000 × 25,000 / 0.000001
  // = 6.25 × 10^14 USD, 6.25 × 10^22 price units, past int64. No price takes a long's room (0); a
  // short's is beyond every price there is (INT64_MAX units), so neither is an overflow.
  test::Pool b = s7_pool();
  Position p = s7_long(25'000);
  p.size = Usd(1);
  CHECK(vault::liquidation_price(b.s, p).value() == Price(0));
  p.side = Side::short_;
  CHECK(vault::liquidation_price(b.s, p).value() == Price(std::numeric_limits<int64_t>::max()));
  // within the range, unchanged: a short of 100,000 at 25,000 on 25,000 rises 3,750 to 28,750
  p.size = Usd(100'000 * k_usd);
  CHECK(vault::liquidation_price(b.s, p).value() == Price::whole(28'750));
}

TEST_CASE("S7 test_get_leverage: size over margin, rounded against the trader in hundredths", "[vectors][pnl]") {
  // Their leverage is floor(size × 10^4 / margin) bps; nexadex's leverage_ceil is ceil(size × 100 /
  // margin) hundredths (a leverage shown or checked rounds against the trader, SPEC §10). Margin =
  // 25,000 + PnL at 24,750:
  //   entry 25,000: 24,000           → 4.1666x: theirs 41,666 bps, ours ceil(416.66…) = 417
  //   entry 20,000: 25,000 + 23,750  → 2.0512x: 20,512, ceil(205.12…) = 206
  //   entry 15,000: 25,000 + 65,000  → 1.1111x: 11,111, ceil(111.11…) = 112
  //   entry 27,000: 25,000 − 8,333.333334 (a loss rounded up) = 16,666.666666 → 6.0000x: 60,000,
  //                 ceil(600.0000000240…) = 601: the micro-dollar of the loss's rounding tips it over
  //   entry 32,000: 25,000 − 22,656.25 = 2,343.75 → 42.6666x: 426,666, ceil(4,266.66…) = 4,267
  //   no PnL:       25,000           → 4.0000x: 40,000, 400
  // Their u64::MAX for a loss beyond the collateral (entry 40,000: a loss of 38,125) is a margin at or
  // below 0: liquidatable, and nexadex shows no leverage (leverage_ceil refuses a margin of 0).
  const Price exit = Price::whole(24'750);
  for (const auto& [entry, hundredths] : std::vector<std::pair<int64_t, int64_t>>{
           {25'000, 417}, {20'000, 206}, {15'000, 112}, {27'000, 601}, {32'000, 4'267}}) {
    INFO("entry " << entry);
    const Usd pnl = vault::pnl_floor(Side::long_, Usd(100'000 * k_usd), Price::whole(entry), exit).value();
    const Usd margin = (Usd(25'000 * k_usd) + pnl).value();
    CHECK(vault::leverage_ceil(Usd(100'000 * k_usd), margin).value().hundredths == hundredths);
  }
  CHECK(vault::leverage_ceil(Usd(100'000 * k_usd), Usd(25'000 * k_usd)).value().hundredths == 400);
  const Usd pnl = vault::pnl_floor(Side::long_, Usd(100'000 * k_usd), Price::whole(40'000), exit).value();
  CHECK(pnl == Usd(-38'125 * k_usd));
  test::Pool b = s7_pool();
  CHECK(vault::margin(b.s, s7_long(40'000), exit).value().liquidatable());
}

TEST_CASE("S7 test_get_close_amount: 24,000 USD paid on a loss of 1,000", "[vectors][pnl]") {
  // Their close pays collateral − loss = 25,000 − 1,000 = 24,000 USD, 0.948616600 token at their
  // max(25,000, 25,300). nexadex pays the same 24,000 USD (no fee, no interest: equity = payout).
  test::Pool b = s7_pool();
  const auto m = vault::margin(b.s, s7_long(25'000), Price::whole(24'750)).value();
  CHECK(m.equity == Usd(24'000 * k_usd));
  CHECK(m.close_fee == Usd(0));
  CHECK(m.borrow_fee == Usd(0));
  // The conversion rules 4 pays tokens with (nexadex-assets(7) A5: at the paid asset's high price,
  // floored), for a 9-decimal token at a high price of 25,300: floor(24,000,000,000 × 10^11 /
  // 2,530,000,000,000) = floor(948,616,600.79) = 948,616,600 units, their 0.948616600 token. (A close
  // paying its collateral in tokens, which this row is, waits for A5's collateral in tokens.)
  CHECK(assets::tokens_floor(Usd(24'000 * k_usd), Price::whole(25'300), 9).value() == 948'616'600);
}

TEST_CASE("S15 Adrena test_get_pnl_usd: the price term exact, the exit fee on another base", "[vectors][pnl]") {
  // Adrena's fixture: size 99,600 (4 × (25,000 − 100)), price 25,000, exit fee 100 = 4 tokens × 10 bps
  // × 25,000. Their loss at entry 25,400 is 99,600 × 400 / 25,400 = 1,568.503937… rounded up,
  // 1,568.503938, plus the fee 100 = 1,668.503938; their profit at 24,500 is 99,600 × 500 / 24,500 =
  // 2,032.653061… floored, less 100 = 1,932.653061; at 25,000 the fee alone, 100.
  const Price exit = Price::whole(25'000);
  const Usd size(99'600 * k_usd);
  CHECK(vault::pnl_floor(Side::long_, size, Price::whole(25'400), exit).value() == Usd(-1'568'503'938));
  CHECK(vault::pnl_floor(Side::long_, size, Price::whole(24'500), exit).value() == Usd(2'032'653'061));
  CHECK(vault::pnl_floor(Side::long_, size, Price::whole(25'000), exit).value() == Usd(0));
  // The fee differs: nexadex charges close_fee_bps on the position's size, ceil(99,600 × 10 / 10^4) =
  // 99.600000, where Adrena charges it on the 4 tokens locked at open (the size before its open-time
  // fee deduction), 100. So nexadex's totals are 1,668.103938, 1,933.053061 and 99.600000.
  CHECK(vault::open_fee(size, Bps{10}).value() == Usd(99'600'000));
  // Not reproduced: S15's leverage and liquidation prices. Adrena liquidates when size / (collateral +
  // PnL − liquidation fee) > 110x, a threshold of size / 110 + 500 (90.9 bps of size plus a 50 bps fee);
  // nexadex's threshold is max(size × maintenance_margin_bps, keeper fee) in whole bps, with the close
  // fee (not a liquidation fee) taken from the equity (SPEC §3), so no config gives the same prices.
}

}  // namespace nexadex
