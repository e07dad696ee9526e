// tests/lib/asset_backed_test.cpp: rules 4's asset-backed trading through apply() (nexadex-assets(7),
// LATER: ASSET-BACKED TRADING, A1 to A5 with the collateral in the settlement asset): a long reserves
// its market's asset in tokens, a short the settlement asset; the profit cap is the reserve's value at
// the low price; utilization, the borrow rate and its index are per asset; a long's profit is paid in
// the reserve's tokens at the high price. Every accepted event balances per commodity and keeps the
// pool's conservation (the open positions' reserves equal each asset's reserved tokens); every refusal
// changes nothing. Numbers are the page's examples, computed by hand in the comments.
#include <catch2/catch.hpp>

#include <string>

#include "journal/config_toml.hpp"
#include "lib/asset_books.hpp"
#include "lib/book.hpp"
#include "lib/exposure.hpp"
#include "lib/pricing.hpp"
#include "lib/report.hpp"
#include "lib/valuation.hpp"
#include "lib/vault.hpp"
#include "expect_ok.hpp"
#include "multi_pool.hpp"

namespace nexadex {
namespace {

using test::leg;
using test::MultiPool;

constexpr int64_t k_t0 = 1'767'225'600;   // 2026-01-01T00:00:00Z
constexpr int64_t k_day = 86'400;

// The page's pool: fees 10 bps, keeper 5, borrow 100 + 2000 × u bps a year, max utilization 8000; no
// deposit fee, so that the pool owns exactly 100,000 USDC and 1 BTC. ETH is a synthetic market (the pool
// holds no ETH).
std::string config_text(int max_profit_bps) {
  return R"toml(
[fees]
open_fee_bps = 10
close_fee_bps = 10
liquidation_fee = "5"

[[markets]]
symbol = "BTC"
max_leverage = 10
max_profit_bps = )toml" +
         std::to_string(max_profit_bps) + R"toml(

[[markets]]
symbol = "ETH"
max_leverage = 10

[[assets]]
symbol = "USDC"
decimals = 6
stable = true
target_weight_bps = 5000

[[assets]]
symbol = "BTC"
decimals = 8
price = "BTC"
target_weight_bps = 5000
price_confidence_bps = 10
)toml";
}

struct Backed {
  std::string text;
  MultiPool p;
  explicit Backed(int max_profit_bps = 10'000, int64_t rules = 4)
      : text(config_text(max_profit_bps)), p(text.c_str(), rules) {
    p.ok(PriceSet{"BTC", Price::whole(60'000)});
    p.ok(PriceSet{"ETH", Price::whole(3'000)});
    p.ok(LpAssetDeposited{"alice", "USDC", "100000", "", Duration{0}, true});
    p.ok(LpAssetDeposited{"bob", "BTC", "1", "", Duration{0}, true});
  }
  int64_t open(const char* trader, const char* market, Side side, int64_t size_usd, int64_t collateral_usd) {
    p.ok(PositionOpened{trader, market, side, Usd::whole(collateral_usd), Usd::whole(size_usd), Leverage{0}, {}, {}});
    return p.s.head_seq;
  }
  const Position& pos(int64_t id) { return p.s.positions.at(id); }
};

}  // namespace

TEST_CASE("rules 4: a long reserves its market's asset in tokens, a short the settlement asset (A1, A2)",
          "[assets][backed]") {
  Backed b;
  REQUIRE(b.p.book("BTC").owned == 100'000'000);
  // tom's long of 6,000 at 60,000 reserves 6,000 × 10000 / 10^4 × 10^10 / 6,000,000,000,000 = 10,000,000
  // units (0.1 BTC)
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  CHECK(b.pos(tom).reserve_asset == "BTC");
  CHECK(b.pos(tom).reserve == Usd(10'000'000));
  CHECK(b.p.book("BTC").reserved == 10'000'000);
  CHECK(b.p.s.vault.reserved == Usd(0));
  // sue's short of 3,000 reserves 3,000 USDC, as today
  const int64_t sue = b.open("sue", "BTC", Side::short_, 3'000, 600);
  CHECK(b.pos(sue).reserve_asset.empty());
  CHECK(b.pos(sue).reserve == Usd(3'000'000'000));
  CHECK(b.p.s.vault.reserved == Usd(3'000'000'000));
  // a long of a market the pool holds nothing of (synthetic, A1) reserves the settlement asset
  const int64_t ann = b.open("ann", "ETH", Side::long_, 3'000, 600);
  CHECK(b.pos(ann).reserve_asset.empty());
  CHECK(b.p.s.vault.reserved == Usd(6'000'000'000));
  // A4: u_BTC = ceil(10,000,000 × 10^4 / 100,000,000) = 1000 bps; u_USDC = ceil(6,000 × 10^4 / owned_USDC)
  // with owned_USDC = 100,000 + the LP parts of three open fees (70% of 6 + 3 + 3 = 8.4) → ceil(599.95) = 600
  CHECK(b.p.book("BTC").utilization_bps == Bps{1000});
  CHECK(b.p.book("USDC").owned == 100'008'400'000);
  CHECK(b.p.s.vault.utilization_bps == Bps{600});
  // what the pool reserves in USD: 6,000 + 0.1 BTC at the low price 59,940 = 11,994
  CHECK(test::ok(vault::reserves_usd(b.p.s)) == Usd(11'994'000'000));
}

TEST_CASE("rules 3 (a multi-asset journal of today) keeps every reserve in the settlement asset", "[assets][backed]") {
  Backed b(10'000, 3);
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  CHECK(b.pos(tom).reserve_asset.empty());
  CHECK(b.pos(tom).reserve == Usd(6'000'000'000));
  CHECK(b.p.book("BTC").reserved == 0);
  CHECK(b.p.s.vault.reserved == Usd(6'000'000'000));
}

TEST_CASE("rules 4: utilization, the borrow rate and its index per asset (A4)", "[assets][backed]") {
  Backed b;
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  const int64_t sue = b.open("sue", "BTC", Side::short_, 3'000, 600);
  CHECK(b.p.book("BTC").utilization_bps == Bps{1000});
  // owned_USDC = 100,000 + 70% of the fees 6 and 3 = 100,006.3: u = ceil(3,000 × 10^4 / 100,006.3) = 300
  CHECK(b.p.s.vault.utilization_bps == Bps{300});
  // A long of 45,000 more would reserve 0.75 BTC: 0.85 > floor(1 BTC × 8000 / 10^4) = 0.8
  const Error e = b.p.refused(PositionOpened{"ann", "BTC", Side::long_, Usd::whole(5'000), Usd::whole(45'000),
                                             Leverage{0}, {}, {}},
                              ErrorKind::rule);
  INFO(e.message);
  CHECK(e.message.find("reserve 0.75000000 BTC but only 0.70000000 BTC of the pool's BTC is free") !=
        std::string::npos);
  // a day later: BTC's index grows at 100 + 2000 × 1000 / 10^4 = 300 bps a year,
  // floor(300 × 86,400 × 10^18 / (10^4 × 31,536,000)) = 82,191,780,821,917; USDC's (the vault's) at 160 bps,
  // 43,835,616,438,356
  b.p.now = Timestamp{k_t0 + k_day};
  b.p.ok(PriceSet{"BTC", Price::whole(60'000)});
  CHECK(b.p.book("BTC").borrow_index == BorrowIndex(82'191'780'821'917));
  CHECK(b.p.s.vault.borrow_index == BorrowIndex(43'835'616'438'356));
  CHECK(b.p.book("USDC").borrow_index == BorrowIndex(0));   // the settlement asset's is the vault's
  // tom owes ceil(6,000,000,000 × 82,191,780,821,917 / 10^18) = 493,151; sue ceil(3,000,000,000 ×
  // 43,835,616,438,356 / 10^18) = 131,507
  CHECK(test::ok(vault::margin(b.p.s, b.pos(tom), Price::whole(60'000))).borrow_fee == Usd(493'151));
  CHECK(test::ok(vault::margin(b.p.s, b.pos(sue), Price::whole(60'000))).borrow_fee == Usd(131'507));
  // a refused event puts every index back
  b.p.now = Timestamp{k_t0 + 2 * k_day};
  b.p.refused(PositionOpened{"ann", "BTC", Side::long_, Usd::whole(5'000), Usd::whole(45'000), Leverage{0}, {}, {}},
              ErrorKind::rule);
}

TEST_CASE("rules 4: a long's profit is paid in its reserve's asset at the high price (A5)", "[assets][backed]") {
  Backed b;
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);   // 1,194 after the fee of 6
  b.p.now = Timestamp{k_t0 + k_day};
  b.p.ok(PriceSet{"BTC", Price::whole(66'000)});   // low 65,934, high 66,066
  // PnL 600, close fee 6, borrow fee 0.493151: the trader's amount 1,194 + 600 − 6 − 0.493151 = 1,787.506849,
  // of which the collateral less the fees, 1,187.506849, in USDC and the profit 600 in BTC at 66,066:
  // floor(600,000,000 × 10^10 / 6,606,600,000,000) = 908,182 units
  const auto legs = b.p.ok(PositionClosed{tom, Usd()});
  CHECK(leg(legs, "trader:tom") == 1'187'506'849);
  CHECK(leg(legs, "trader:tom:BTC") == 908'182);
  CHECK(leg(legs, "pool:BTC") == -908'182);
  // B_BTC: value(100,000,000, 65,934) = 65,934.000000 → value(99,091,818, 65,934) = 65,335.199280
  CHECK(leg(legs, "inventory:BTC") == 598'800'720);
  // the LPs lose the tokens' book value (598.800720, under the 600 paid: the confidence spread) and
  // gain the fees' LP part
  CHECK(b.p.book("BTC").owned == 99'091'818);
  CHECK(b.p.book("BTC").held == 99'091'818);
  CHECK(b.p.book("BTC").reserved == 0);
  CHECK(b.p.book("BTC").book == Usd(65'335'199'280));
  const auto& closed = b.p.s.legs.back();
  CHECK(closed.pnl == Usd(600'000'000));
  CHECK(closed.borrow_fee == Usd(493'151));
  CHECK(closed.payout == Usd(1'787'506'849));
}

TEST_CASE("rules 4: a partial close releases its part of the tokens and settles the index", "[assets][backed]") {
  Backed b;
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  b.p.now = Timestamp{k_t0 + k_day};
  b.p.ok(PriceSet{"BTC", Price::whole(66'000)});
  // a third: reserve floor(10,000,000 × 2,000 / 6,000) = 3,333,333 units leave; 6,666,667 stay
  b.p.ok(PositionClosed{tom, Usd::whole(2'000)});
  CHECK(b.pos(tom).reserve == Usd(6'666'667));
  CHECK(b.p.book("BTC").reserved == 6'666'667);
  CHECK(b.pos(tom).borrow_index_open == b.p.book("BTC").borrow_index);
  // a loss paid from the collateral pays nothing in tokens
  b.p.ok(PriceSet{"BTC", Price::whole(59'000)});
  const auto legs = b.p.ok(PositionClosed{tom, Usd()});
  CHECK(leg(legs, "trader:tom:BTC") == 0);
  CHECK(b.p.book("BTC").reserved == 0);
}

TEST_CASE("rules 4: the profit cap is the reserve's value at the low price (A3)", "[assets][backed]") {
  // max_profit_bps 5000: tom's long of 6,000 reserves 0.05 BTC; at 120,000 (low 119,880) its PnL of 6,000 is
  // capped at floor(5,000,000 × 11,988,000,000,000 / 10^10) = 5,994.000000
  Backed b(5'000);
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  const Position& p = b.pos(tom);
  CHECK(p.reserve == Usd(5'000'000));
  CHECK(test::ok(profit_cap(b.p.s.config, p, Price::whole(120'000))) == 5'994'000'000);
  // the cap binds from 119,880.12: at 119,880.11 the PnL 5,988.011000 is under the cap
  // floor(5,000,000 × floor(11,988,011,000,000 × 9990 / 10^4) / 10^10) = 5,988.011494; at 119,880.12 the PnL
  // 5,988.012000 is over the cap 5,988.011994. The `above` key is at or below the first such price.
  CHECK(p.keys.above <= 11'988'012'000'000);
  CHECK(p.keys.above > 11'900'000'000'000);
  const int128 cap_below = test::ok(profit_cap(b.p.s.config, p, Price(11'988'011'000'000)));
  const int128 cap_above = test::ok(profit_cap(b.p.s.config, p, Price(11'988'012'000'000)));
  CHECK(cap_below == 5'988'011'494);
  CHECK(cap_above == 5'988'011'994);
  CHECK(test::ok(clamp_correction(p, Price(11'988'011'000'000), cap_below)) == 0);
  CHECK(test::ok(clamp_correction(p, Price(11'988'012'000'000), cap_above)) != 0);
  // the NAV counts the capped profit: U = −5,994.000000 at 120,000
  b.p.ok(PriceSet{"BTC", Price::whole(120'000)});
  CHECK(test::ok(vault::unrealized_floor(b.p.s)) == Usd(-5'994'000'000));
  // its exposure is the reserve's at the low price, ceil(5,000,000 × 9990 / 10^4) = 4,995,000 units
  // (10^-18 token: × 10^10): the pool holds 1 BTC and owes the long 0.04995 BTC of every move
  const auto e = test::ok(exposure::all(b.p.s));
  REQUIRE(e.size() == 2);
  CHECK(e[0].longs == int128{4'995'000} * 10'000'000'000);
  // closed there: the profit 5,994 paid in BTC at 120,120, floor(5,994,000,000 × 10^10 / 12,012,000,000,000)
  // = 4,990,009 units, within the 5,000,000 reserved
  const auto legs = b.p.ok(PositionClosed{tom, Usd()});
  CHECK(leg(legs, "trader:tom:BTC") == 4'990'009);
  CHECK(b.p.s.legs.back().pnl == Usd(5'994'000'000));
}

TEST_CASE("rules 4: a liquidated long releases its tokens, the loss is the collateral's", "[assets][backed]") {
  Backed b;
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  b.p.ok(PriceSet{"BTC", Price::whole(48'000)});
  const auto ids = test::ok(vault::liquidatable(b.p.s, "BTC"));
  REQUIRE(ids == std::vector<int64_t>{tom});
  const auto legs = b.p.ok(PositionLiquidated{tom, "keeper"});
  CHECK(leg(legs, "trader:tom:BTC") == 0);
  CHECK(b.p.book("BTC").reserved == 0);
  CHECK(b.p.book("BTC").owned == 100'000'000);
}

TEST_CASE("rules 4: a long posts its market's asset as collateral, valued at the low price (A5, A6)",
          "[assets][backed]") {
  Backed b;
  // tom posts 0.02 BTC (2,000,000 units) on a long of 6,000 at 60,000 (low 59,940): worth
  // floor(2,000,000 × 5,994,000,000,000 / 10^10) = 1,198.800000; the open fee of 6 takes
  // ceil(6,000,000 × 10^10 / 5,994,000,000,000) = ceil(10,010.01) = 10,011 units, split in them as every fee
  // is: floor(20%) = 2,002 to the fund, floor(10%) = 1,001 to the treasury, 7,008 to owned_BTC; he keeps
  // 1,989,989 units, recorded at their value floor(1,989,989 × 599.4) = 1,192.799406
  const auto open = b.p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC",
                                          "0.02"});
  const int64_t tom = b.p.s.head_seq;
  const Position& p = b.pos(tom);
  CHECK(p.collateral_asset == "BTC");
  CHECK(p.collateral_tokens == 1'989'989);
  CHECK(p.collateral == Usd(1'192'799'406));
  CHECK(p.reserve == Usd(10'000'000));
  CHECK(leg(open, "trader:tom:BTC") == -2'000'000);
  CHECK(leg(open, "position:" + std::to_string(tom) + ":BTC") == 1'989'989);
  CHECK(leg(open, "pool:BTC") == 7'008);
  CHECK(leg(open, "insurance:BTC") == 2'002);
  CHECK(leg(open, "treasury:BTC") == 1'001);
  CHECK(leg(open, "insurance") == 0);
  // B_BTC: 100,000,000 × 599.4 = 59,940.000000 → floor(100,007,008 × 599.4) = 59,944.200595: ΔB = 4.200595, the
  // LPs' fee income at most the fee less the other parts' values, 6 − 1.199998 − 0.599999 = 4.200003, and a
  // gain of 0.000592
  CHECK(leg(open, "inventory:BTC") == -4'200'595);
  CHECK(b.p.s.vault.fees["open"].charged == Usd(6'000'000));
  CHECK(b.p.s.vault.fees["open"].to_lps == Usd(4'200'003));
  CHECK(b.p.s.vault.fees["open"].to_insurance == Usd(1'199'998));   // floor(2,002 × 599.4)
  const AssetBook& btc = b.p.book("BTC");
  CHECK(btc.held == 102'000'000);
  CHECK(btc.owned == 100'007'008);
  CHECK(btc.collateral == 1'989'989);
  CHECK(btc.insurance == 2'002);
  CHECK(btc.treasury == 1'001);
  CHECK(btc.collateral_usd == Usd(1'192'799'406));
  CHECK(btc.book == Usd(59'944'200'595));
  // A6: the NAV counts the tokens at the low price against the USD recorded for them: 0 at the open (the
  // position itself is at its entry)
  CHECK(test::ok(vault::collateral_pnl_floor(b.p.s)) == Usd(0));
  CHECK(test::ok(vault::unrealized_floor(b.p.s)) == Usd(0));
  // report position: its tokens, the USD recorded for them and their value at the low price
  const Report r = test::ok(position_report(b.p.s, tom));
  REQUIRE(r.sections.size() == 3);
  REQUIRE(r.sections[2].name == "collateral_tokens");
  REQUIRE(r.sections[2].rows.size() == 1);
  CHECK(r.sections[2].rows[0][0].text == "BTC");
  CHECK(r.sections[2].rows[0][1].text == "0.01989989");
  CHECK(r.sections[2].rows[0][2].number == 1'192'799'406);
  CHECK(r.sections[2].rows[0][3].number == 1'192'799'406);
  // the pool carries the collateral's price move: it holds 1.00007008 + 0.01989989 BTC and owes the long
  // its 0.1 BTC
  const auto e = test::ok(exposure::all(b.p.s));
  REQUIRE(e.size() == 2);
  CHECK(e[0].held == int128{101'996'997} * 10'000'000'000);

  // A day later at 66,000 (low 65,934, high 66,066): PnL 600, fees 6 + 0.493151 (I_BTC at u_BTC =
  // ceil(10^7 × 10^4 / 100,007,008) = 1000 bps, as without the fee's tokens)
  b.p.now = Timestamp{k_t0 + k_day};
  b.p.ok(PriceSet{"BTC", Price::whole(66'000)});
  // U = −600 + floor(1,989,989 × 659.34) − 1,192.799406 = −600 + 1,312.079347 − 1,192.799406 = −480.720059
  CHECK(test::ok(vault::unrealized_floor(b.p.s)) == Usd(-480'720'059));
  // the amount 1,192.799406 + 600 − 6 − 0.493151 = 1,786.306255 is paid in BTC at 66,066:
  // floor(1,786,306,255 × 10^10 / 6,606,600,000,000) = 2,703,820 units (his 1,989,989 and 713,831 of the reserve)
  const auto legs = b.p.ok(PositionClosed{tom, Usd()});
  CHECK(leg(legs, "trader:tom") == 0);
  CHECK(leg(legs, "trader:tom:BTC") == 2'703'820);
  CHECK(leg(legs, "position:" + std::to_string(tom) + ":BTC") == -1'989'989);
  // the fees in tokens at 65,934: ceil(6,000,000 × 10^10 / 6,593,400,000,000) = 9,101 (1,820 to the fund, 910
  // to the treasury, 6,371 the LPs') and ceil(493,151 × 10^10 / 6,593,400,000,000) = 748 (149, 74, 525)
  CHECK(leg(legs, "insurance:BTC") == 1'820 + 149);
  CHECK(leg(legs, "treasury:BTC") == 910 + 74);
  CHECK(leg(legs, "pool:BTC") == (1'989'989 - 2'953) - 2'703'820);
  // the rest of the tokens join owned_BTC: B from floor(100,007,008 × 659.34) = 65,938.620654 to
  // floor(101,994,044 × 659.34) = 67,248.752970 (ΔB 1,310.132316); the payment takes it to
  // floor(99,290,224 × 659.34) = 65,466.016292 (1,782.736678 out): inventory −1,310.132316 + 1,782.736678
  CHECK(leg(legs, "inventory:BTC") == 472'604'362);
  // the LPs: fee income 6 − floor(1,820 × 659.34) − floor(910 × 659.34) = 4.200003 (under value(6,371) =
  // 4.200655) and 0.493151 − 0.098241 − 0.048791 = 0.346119 (under value(525) = 0.346153), and the result
  // 1,310.132316 − 4.546122 − 1,782.736678 = −477.150484 (−600 of profit, +119.279941 of the collateral's rise,
  // the payment's spread and the fees' rounding)
  CHECK(b.p.s.vault.fees["close"].to_lps == Usd(4'200'003));
  CHECK(b.p.s.vault.fees["borrow"].to_lps == Usd(346'119));
  CHECK(b.p.s.legs.back().payout == Usd(1'786'306'255));
  CHECK(b.p.book("BTC").owned == 99'290'224);
  CHECK(b.p.book("BTC").held == 99'290'224 + 2'002 + 1'001 + 1'969 + 984);
  CHECK(b.p.book("BTC").collateral == 0);
  CHECK(b.p.book("BTC").collateral_usd == Usd(0));
  CHECK(b.p.book("BTC").reserved == 0);
  CHECK(test::ok(vault::collateral_pnl_floor(b.p.s)) == Usd(0));
}

TEST_CASE("rules 4: a partial close pays its part of the collateral tokens", "[assets][backed]") {
  Backed b;
  b.p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC", "0.02"});
  const int64_t tom = b.p.s.head_seq;
  // a third at the entry price: floor(1,989,989 / 3) = 663,329 tokens and floor(1,192.799406 / 3) = 397.599802
  // leave; the amount 397.599802 − the close fee 2 = 395.599802 is paid as
  // floor(395,599,802 × 10^10 / 6,006,000,000,000) = 658,674 units at the high price 60,060
  const auto legs = b.p.ok(PositionClosed{tom, Usd::whole(2'000)});
  CHECK(leg(legs, "trader:tom:BTC") == 658'674);
  CHECK(b.pos(tom).collateral_tokens == 1'989'989 - 663'329);
  CHECK(b.pos(tom).collateral == Usd(795'199'604));
  CHECK(b.p.book("BTC").collateral == 1'326'660);
  CHECK(b.p.book("BTC").collateral_usd == Usd(795'199'604));
}

TEST_CASE("rules 4: a liquidation takes the collateral's tokens into the pool at the low price (A7)",
          "[assets][backed]") {
  Backed b;
  b.p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC", "0.02"});
  const int64_t tom = b.p.s.head_seq;
  // liquidation price: room 1,192.799406 − 6 − 60 = 1,126.799406, × 60,000 / 6,000 = 11,267.99406 below 60,000:
  // 48,732.00594
  CHECK(test::ok(vault::liquidation_price(b.p.s, b.pos(tom))) == Price(4'873'200'594'000));
  b.p.ok(PriceSet{"BTC", Price::whole(48'000)});   // low 47,952
  const auto legs = b.p.ok(PositionLiquidated{tom, "keeper"});
  // the loss of 1,200 takes all of the 1,192.799406 (no fee is paid); the 1,989,989 units join owned_BTC: B from
  // floor(100,007,008 × 479.52) = 47,955.360476 to floor(101,996,997 × 479.52) = 48,909.600001, ΔB 954.239525
  // = value(1,989,989, 47,952): the LPs gain 1,192.799406 and lose the 238.559881 the tokens fell since the open
  // (A6), both already in the NAV. The keeper's 5 is paid by the pool in BTC at 48,048,
  // floor(5,000,000 × 10^10 / 4,804,800,000,000) = 10,406 units (4.989885 of book value), and is a shortfall
  // of the collateral: bad debt
  CHECK(leg(legs, "position:" + std::to_string(tom) + ":BTC") == -1'989'989);
  CHECK(leg(legs, "pool:BTC") == 1'989'989 - 10'406 + 2'002);
  CHECK(leg(legs, "keeper:keeper:BTC") == 10'406);
  CHECK(leg(legs, "keeper:keeper") == 0);
  CHECK(leg(legs, "inventory:BTC") == -954'239'525 + 4'989'885 - 959'999);
  // the bad debt of 5 falls on the insurance fund first: it holds no USD, but the open fee's 2,002 units of
  // BTC, worth floor(2,002 × 479.52) = 0.959999 at 47,952: it pays that in them (ceil(959,999 × 10^10 /
  // 4,795,200,000,000) = 2,002 units into owned_BTC, B rising by exactly 0.959999), the LPs the 4.040001 left
  CHECK(b.p.s.losses.back().kind == "bad_debt");
  CHECK(b.p.s.losses.back().total == Usd(5'000'000));
  REQUIRE(b.p.s.losses.back().legs.size() == 2);
  CHECK(b.p.s.losses.back().legs[0] == LossLeg{"insurance", Usd(959'999)});
  CHECK(b.p.s.losses.back().legs[1] == LossLeg{"senior", Usd(4'040'001)});
  CHECK(leg(legs, "insurance:BTC") == -2'002);
  CHECK(leg(legs, "insurance") == 0);
  CHECK(b.p.book("BTC").insurance == 0);
  CHECK(b.p.s.vault.insurance_paid == Usd(959'999));
  CHECK(b.p.book("BTC").owned == 101'986'591 + 2'002);
  CHECK(b.p.book("BTC").collateral == 0);
  CHECK(b.p.book("BTC").collateral_usd == Usd(0));
  CHECK(b.p.book("BTC").reserved == 0);
}

TEST_CASE("rules 4: the insurance fund pays a bad debt in its USD first, then in its tokens (A7)",
          "[assets][backed]") {
  for (const int64_t rules : {int64_t{3}, int64_t{4}}) {
    CAPTURE(rules);
    Backed b(10'000, rules);
    b.p.ok(InsuranceDeposited{Usd::whole(1), "funder"});
    // the fund's tokens: the insurance part of a BTC deposit's fee would do; here a token open's fee
    // (rules 4) gives it 2,002 units; under rules 3 the same long posts USD (1,200) and the fund gets 1.2 USD
    if (rules >= 4) {
      b.p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC", "0.02"});
    } else {
      b.p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd::whole(1'200), Usd::whole(6'000), Leverage{0}, {}, {}});
    }
    const int64_t tom = b.p.s.head_seq;
    b.p.ok(PriceSet{"BTC", Price::whole(48'000)});
    const auto legs = b.p.ok(PositionLiquidated{tom, "keeper"});
    const LossRecord& loss = b.p.s.losses.back();
    REQUIRE(loss.kind == "bad_debt");
    REQUIRE(loss.legs.size() == 2);
    if (rules >= 4) {
      // 5 of bad debt: the fund's 1 USD, then its 2,002 units at 47,952 (0.959999); the LPs 3.040001
      CHECK(loss.legs[0] == LossLeg{"insurance", Usd(1'959'999)});
      CHECK(loss.legs[1] == LossLeg{"senior", Usd(3'040'001)});
      CHECK(leg(legs, "insurance") == -1'000'000);
      CHECK(leg(legs, "insurance:BTC") == -2'002);
      CHECK(b.p.s.vault.insurance == Usd(0));
      CHECK(b.p.book("BTC").insurance == 0);
    } else {
      // rules 3: the USD fund only (1 + the open fee's 1.2, a loss of 1,200 taking all of the 1,194 so no close
      // fee is paid): it pays its 2.2, the LPs 2.8
      CHECK(loss.legs[0] == LossLeg{"insurance", Usd(2'200'000)});
      CHECK(loss.legs[1] == LossLeg{"senior", Usd(2'800'000)});
      CHECK(b.p.s.vault.insurance == Usd(0));
    }
  }
}

TEST_CASE("rules 4: collateral in tokens is refused where the rules do not allow it", "[assets][backed]") {
  const auto refused = [](Backed& b, PositionOpened e, const char* says) {
    const Error err = b.p.refused(std::move(e), ErrorKind::input);
    INFO(err.message);
    CHECK(err.message.find(says) != std::string::npos);
  };
  Backed b;
  refused(b, {"sue", "BTC", Side::short_, Usd(), Usd::whole(3'000), Leverage{0}, "BTC", "0.02"},
          "a short posts USDC as collateral, not BTC (leave out --collateral-asset).");
  refused(b, {"ann", "ETH", Side::long_, Usd(), Usd::whole(3'000), Leverage{0}, "BTC", "0.02"},
          "a long of ETH may post USDC as collateral, not BTC (leave out --collateral-asset).");
  refused(b, {"tom", "BTC", Side::long_, Usd(), Usd::whole(3'000), Leverage{0}, "USDC", "600"},
          "USDC is the settlement asset");
  refused(b, {"tom", "BTC", Side::long_, Usd(), Usd::whole(3'000), Leverage{0}, "SOL", "1"}, "SOL");
  refused(b, {"tom", "BTC", Side::long_, Usd(), Usd::whole(3'000), Leverage{0}, "BTC", "0.000000001"},
          "is not a positive number of BTC with at most 8 decimals");
  // 0.0001 BTC is worth 5.994 at the low price, under the open fee of 6 on a size of 6,000
  refused(b, {"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC", "0.0001"},
          "does not cover the open fee");
  // below a leverage of 1x what a close owes after a fall could exceed the tokens and the reserve (A5): a
  // size of 600 on 0.02 BTC (1,198.20 recorded after the fee) is refused (exit status 2)
  const Error lev = b.p.refused(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(600), Leverage{0}, "BTC",
                                               "0.02"},
                                ErrorKind::rule);
  INFO(lev.message);
  CHECK(lev.message.find("needs a size of at least its collateral") != std::string::npos);
  // rules 3 journals have no collateral in tokens
  Backed old(10'000, 3);
  refused(old, {"tom", "BTC", Side::long_, Usd(), Usd::whole(3'000), Leverage{0}, "BTC", "0.02"},
          "needs a multi-asset pool under rules version 4");
}

TEST_CASE("markets[].collateral: what a market's positions may post, checked against the pool's assets",
          "[assets][backed][config]") {
  const std::string base = config_text(10'000);
  const auto with = [&](const std::string& line) {
    std::string text = base;
    const std::string at = "symbol = \"BTC\"\nmax_leverage = 10\n";
    text.insert(text.find(at) + at.size(), line + "\n");
    return text;
  };
  const auto refused = [](const std::string& text, const char* says) {
    auto c = journal::parse_config(text, "multi.toml");
    REQUIRE_FALSE(c.has_value());
    INFO(c.error().message);
    CHECK(c.error().message.find(says) != std::string::npos);
  };
  REQUIRE(journal::parse_config(with("collateral = [\"USDC\", \"BTC\"]"), "multi.toml").has_value());
  REQUIRE(journal::parse_config(with("collateral = [\"USDC\"]"), "multi.toml").has_value());
  refused(with("collateral = [\"BTC\"]"), "markets.BTC.collateral must list the settlement asset USDC");
  refused(with("collateral = [\"USDC\", \"ETH\"]"), "names ETH, but a position of BTC may post only USDC or BTC");
  refused(with("collateral = []"), "the list is empty");
  refused(with("collateral = [\"USDC\", \"USDC\"]"), "names USDC twice");
  refused(with("collateral = \"USDC\""), "expected an array of asset symbols");
  refused("[[markets]]\nsymbol = \"BTC\"\ncollateral = [\"USDC\"]\n", "applies to a multi-asset pool only");
  // a market that allows only USDC refuses collateral in BTC; USD collateral is always allowed
  const std::string text = with("collateral = [\"USDC\"]");
  test::MultiPool p(text.c_str(), 4);
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(LpAssetDeposited{"alice", "USDC", "100000", "", Duration{0}, true});
  p.ok(LpAssetDeposited{"bob", "BTC", "1", "", Duration{0}, true});
  const Error e = p.refused(PositionOpened{"tom", "BTC", Side::long_, Usd(), Usd::whole(6'000), Leverage{0}, "BTC",
                                          "0.02"},
                            ErrorKind::input);
  INFO(e.message);
  CHECK(e.message.find("the BTC market's config does not allow collateral in BTC") != std::string::npos);
  p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd::whole(1'200), Usd::whole(6'000), Leverage{0}, {}, {}});
  // config show writes the key only when it is set
  auto parsed = journal::parse_config(text, "multi.toml");
  REQUIRE(parsed.has_value());
  CHECK(journal::config_to_toml(*parsed).find("collateral = [") != std::string::npos);
  auto plain = journal::parse_config(base, "multi.toml");
  REQUIRE(plain.has_value());
  CHECK(journal::config_to_toml(*plain).find("collateral") == std::string::npos);
}

TEST_CASE("rules 4: a config that would change what a market's open longs reserve is refused", "[assets][backed]") {
  // a rules 3 journal with an open BTC long may not adopt rules 4 (its long reserves USD, new ones BTC)
  Backed b(10'000, 3);
  const int64_t tom = b.open("tom", "BTC", Side::long_, 6'000, 1'200);
  auto config = journal::parse_config(b.text, "multi.toml");
  REQUIRE(config.has_value());
  const Error e = b.p.refused(ConfigApplied{b.text, "test", *config, 4}, ErrorKind::rule);
  INFO(e.message);
  CHECK(e.message.find("new longs of BTC reserve BTC while 1 of them reserve the settlement asset") !=
        std::string::npos);
  // with no open long the same change is accepted
  b.p.ok(PositionClosed{tom, Usd()});
  b.p.ok(ConfigApplied{b.text, "test", *config, 4});
  CHECK(b.p.s.rules == 4);
  const int64_t ann = b.open("ann", "BTC", Side::long_, 6'000, 1'200);
  CHECK(b.pos(ann).reserve_asset == "BTC");
}

}  // namespace nexadex
