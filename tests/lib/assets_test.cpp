// tests/lib/assets_test.cpp: the rules and books of a multi-asset pool (issue 17, nexadex-assets(7)):
// the solana-labs test vectors S2 (weights) and S4 (fee curves) of the research page reproduced
// exactly, the page's worked example to the micro-unit, and a property test of the books over long
// random sequences of deposits, withdrawals and price moves. Every number is worked in the comments.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "lib/asset_books.hpp"
#include "expect_ok.hpp"
#include "property_journal.hpp"

using namespace nexadex;
using namespace nexadex::assets;
using nexadex::test::ok;
using nexadex::test::ok_status;

namespace {

template <class T>
void refused(const Result<T>& r, ErrorKind kind, const std::string& words) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == kind);
  CHECK_THAT(r.error().message, Catch::Contains(words));
}

Price usd_price(int64_t dollars) { return Price(dollars * 100'000'000); }

AssetConfig usdc(Bps target = Bps{5'000}) {
  AssetConfig a;
  a.symbol = "USDC";
  a.decimals = 6;
  a.stable = true;
  a.target_weight_bps = target;
  return a;
}

// The solana-labs fixture: 9 decimals, target/min/max 50/10/90%, ratio_mult ×2, base 100 bps.
AssetConfig fixture_token(FeeCurve curve) {
  AssetConfig a;
  a.symbol = "TKN";
  a.decimals = 9;
  a.market = "TKN";
  a.target_weight_bps = Bps{5'000};
  a.min_weight_bps = Bps{1'000};
  a.max_weight_bps = Bps{9'000};
  a.add_fee_bps = a.remove_fee_bps = Bps{100};
  a.fee_curve = curve;
  a.fee_ratio_mult_bps = Bps{20'000};
  if (curve == FeeCurve::optimal) {  // S4's optimal rows: max 250, optimal 10, base 0
    a.add_fee_bps = a.remove_fee_bps = Bps{0};
  }
  return a;
}

const FeeSplit all_to_lps{Bps{10'000}, Bps{0}, Bps{0}};
constexpr int64_t k_token = 1'000'000'000;  // 9 decimals

// A pool of USDC worth `other_usd` and `tokens` of TKN at 25,000 USD: the S4 pools ($600,000 and
// $1,200,000 with 15 tokens = $375,000).
AssetPool s4_pool(FeeCurve curve, int64_t other_usd, int64_t tokens) {
  AssetPool pool = ok(make_pool({usdc(), fixture_token(curve)}));
  ok(set_market_price(pool, "TKN", usd_price(25'000)));
  ok_status(apply_deposit(pool, ok(quote_deposit(pool, 0, other_usd * 1'000'000, all_to_lps, std::nullopt))));
  ok_status(apply_deposit(pool, ok(quote_deposit(pool, 1, tokens * k_token, all_to_lps, std::nullopt))));
  return pool;
}

struct FeeRow {
  int64_t rate;
  int64_t fee;
  int64_t after;
};

FeeRow add(const AssetPool& pool, int64_t tokens) {
  const auto q = ok(quote_deposit(pool, 1, tokens * k_token, all_to_lps, std::nullopt));
  return {q.rate.value, q.fee, q.weights.after.value};
}

// A withdrawal paying `tokens` gross: V_out = tokens × 25,000 USD, so G = tokens exactly (no band).
FeeRow remove(const AssetPool& pool, int64_t tokens) {
  const auto q = ok(quote_withdrawal(pool, 1, Usd::whole(tokens * 25'000), all_to_lps, std::nullopt));
  REQUIRE(q.gross == tokens * k_token);
  return {q.rate.value, q.fee, q.weights.after.value};
}

}  // namespace

TEST_CASE("prices: low floors, high ceils, a stable's low is capped at 1 USD", "[assets]") {
  AssetConfig btc = fixture_token(FeeCurve::fixed);
  btc.price_confidence_bps = Bps{10};
  // 60,000 × 0.999 = 59,940; 60,000 × 1.001 = 60,060
  CHECK(ok(prices_of(btc, usd_price(60'000))) == AssetPrices{usd_price(60'000), usd_price(59'940), usd_price(60'060)});
  // 0.00000333 × 0.999 = 0.00000332667 → floor 332 units; × 1.001 = 333.333 → ceil 334 units
  CHECK(ok(prices_of(btc, Price(333))) == AssetPrices{Price(333), Price(332), Price(334)});
  AssetConfig usdt = usdc();
  usdt.symbol = "USDT";
  usdt.market = "USDT";
  usdt.price_confidence_bps = Bps{25};
  // 1.0100 × 0.9975 = 1.007475 → capped at 1.00000000; high 1.0100 × 1.0025 = 1.012525
  CHECK(ok(prices_of(usdt, Price(101'000'000))) == AssetPrices{Price(101'000'000), k_one_usd, Price(101'252'500)});
  // a stable without a market is worth 1 USD whatever the market says
  CHECK(ok(prices_of(usdc(), usd_price(7))) == AssetPrices{k_one_usd, k_one_usd, k_one_usd});
  // no price yet
  CHECK_FALSE(ok(prices_of(btc, Price())).known());
}

TEST_CASE("value and tokens: both floor, in the pool's favour, tokens_ceil for the fund", "[assets]") {
  // 1 BTC (8 decimals) at 65,000: 10^8 × 6.5×10^12 / 10^10 = 65,000,000,000 µUSD
  CHECK(ok(value_floor(100'000'000, usd_price(65'000), 8)) == Usd::whole(65'000));
  // 1 sat at 65,000 = 650 µUSD; 1 sat at 65,000.00000099 = 650.0000099 → 650
  CHECK(ok(value_floor(1, Price(6'500'000'000'099), 8)) == Usd(650));
  // 1 USD at 65,000: 10^6 × 10^10 / 6.5×10^12 = 1,538.46 sat → 1,538 (floor) or 1,539 (ceil)
  CHECK(ok(tokens_floor(Usd::whole(1), usd_price(65'000), 8)) == 1'538);
  CHECK(ok(tokens_ceil(Usd::whole(1), usd_price(65'000), 8)) == 1'539);
  // 0 decimals: 1 token at 3 USD = 3,000,000 µUSD; 5 USD buys floor(5/3) = 1 token
  CHECK(ok(value_floor(1, usd_price(3), 0)) == Usd::whole(3));
  CHECK(ok(tokens_floor(Usd::whole(5), usd_price(3), 0)) == 1);
  // the largest balance at the largest price needs 127 bits and stays exact; the result overflows int64
  refused(value_floor(std::numeric_limits<int64_t>::max(), Price::largest(), 9), ErrorKind::input, "overflow");
  refused(tokens_floor(Usd(1), Price(), 8), ErrorKind::input, "cannot be priced");
  refused(value_floor(-1, usd_price(1), 6), ErrorKind::input, "negative");
}

TEST_CASE("S2 test_get_new_ratio: weights after a move, floored", "[assets][vectors]") {
  // AUM 50,000,000 USD, the custody 1,000 tokens at 25,000 = 25,000,000 (5,000 bps)
  const Usd v = Usd::whole(25'000'000);
  const WideUsd total(Usd::whole(50'000'000));
  // +100 tokens: 27,500,000 / 52,500,000 = 0.523809… → 5238
  CHECK(ok(weight_move(v, Usd::whole(27'500'000), total)).after == Bps{5'238});
  // −100: 22,500,000 / 47,500,000 = 0.473684… → 4736
  CHECK(ok(weight_move(v, Usd::whole(22'500'000), total)).after == Bps{4'736});
  // −1,000: 0 / 25,000,000 → 0
  CHECK(ok(weight_move(v, Usd(), total)).after == Bps{0});
  // no change: 5000 before and after
  CHECK(ok(weight_move(v, v, total)).before == Bps{5'000});
  CHECK(ok(weight_move(v, v, total)).after == Bps{5'000});
  // 1,000 units into an empty pool: V' = ΣV' → 10,000
  CHECK(ok(weight_move(Usd(), Usd(25), WideUsd())).after == Bps{10'000});
  // the same through the books: a deposit of 100 tokens into that pool
  const AssetPool pool = s4_pool(FeeCurve::linear, 25'000'000, 1'000);
  CHECK(add(pool, 100).after == 5'238);
  CHECK(remove(pool, 100).after == 4'736);
}

TEST_CASE("S4 test_get_fee: the fixed, linear and optimal curves, every row", "[assets][vectors]") {
  SECTION("fixed: 100 bps of 20 tokens = 0.2 token") {
    const AssetPool pool = s4_pool(FeeCurve::fixed, 225'000, 15);
    const FeeRow r = add(pool, 20);
    CHECK(r.rate == 100);
    CHECK(r.fee == 200'000'000);
  }
  SECTION("linear, AUM 600,000 (w = 375,000 / 600,000 = 6250)") {
    const AssetPool pool = s4_pool(FeeCurve::linear, 225'000, 15);
    // add 5: w' = 500,000 / 725,000 = 6896 (away); k = 10^4 + floor(2×10^4 × 1896 / 4000) = 19,480;
    // f = floor(100 × 19,480 / 10^4) = 194; F = 5×10^9 × 194 / 10^4 = 97,000,000
    CHECK(add(pool, 5).after == 6'896);
    CHECK(add(pool, 5).rate == 194);
    CHECK(add(pool, 5).fee == 97'000'000);
    // remove 2: w' = 325,000 / 550,000 = 5909 (toward); k = 10^4 + floor(2×10^4 × 909 / 4000) = 14,545;
    // f = floor(100 × 10^4 / 14,545) = 68; F = 2×10^9 × 68 / 10^4 = 13,600,000
    CHECK(remove(pool, 2).after == 5'909);
    CHECK(remove(pool, 2).rate == 68);
    CHECK(remove(pool, 2).fee == 13'600'000);
    // remove 6: w' = 225,000 / 450,000 = 5000, on target: k = 10^4, f = 100; F = 60,000,000
    CHECK(remove(pool, 6).after == 5'000);
    CHECK(remove(pool, 6).fee == 60'000'000);
  }
  SECTION("linear, AUM 1,200,000 (w = 3125)") {
    const AssetPool pool = s4_pool(FeeCurve::linear, 825'000, 15);
    // add 5: w' = 500,000 / 1,325,000 = 3773 (toward); k = 10^4 + floor(2×10^4 × 1227 / 4000) = 16,135;
    // f = floor(10^6 / 16,135) = 61; F = 30,500,000
    CHECK(add(pool, 5).after == 3'773);
    CHECK(add(pool, 5).rate == 61);
    CHECK(add(pool, 5).fee == 30'500'000);
    // remove 5: w' = 250,000 / 1,075,000 = 2325 (away); k = 10^4 + floor(2×10^4 × 2675 / 4000) = 23,375;
    // f = floor(100 × 23,375 / 10^4) = 233; F = 116,500,000
    CHECK(remove(pool, 5).after == 2'325);
    CHECK(remove(pool, 5).rate == 233);
    CHECK(remove(pool, 5).fee == 116'500'000);
    // add 18: w' = 825,000 / 1,650,000 = 5000: f = 100, F = 180,000,000
    CHECK(add(pool, 18).fee == 180'000'000);
  }
  SECTION("optimal (o = 10, M = 250, b = 0), AUM 1,200,000") {
    const AssetPool pool = s4_pool(FeeCurve::optimal, 825'000, 15);
    // add 18 → 5000: line = 10 + 0; F = 18×10^9 × 10 / 10^4 = 18,000,000
    CHECK(add(pool, 18).rate == 10);
    CHECK(add(pool, 18).fee == 18'000'000);
    // add 180: w' = 4,875,000 / 5,700,000 = 8552; line = 10 + floor(240 × 3552 / 4000) = 10 + 213 = 223;
    // F = 180×10^9 × 223 / 10^4 = 4,014,000,000
    CHECK(add(pool, 180).after == 8'552);
    CHECK(add(pool, 180).rate == 223);
    CHECK(add(pool, 180).fee == 4'014'000'000);
    // remove 1: w' = 350,000 / 1,175,000 = 2978; line = 10 + floor(240 × 2022 / 4000) = 10 + 121 = 131
    CHECK(remove(pool, 1).after == 2'978);
    CHECK(remove(pool, 1).rate == 131);
    CHECK(remove(pool, 1).fee == 13'100'000);
    // remove 10: w' = 125,000 / 950,000 = 1315; line = 10 + floor(240 × 3685 / 4000) = 10 + 221 = 231
    CHECK(remove(pool, 10).after == 1'315);
    CHECK(remove(pool, 10).rate == 231);
    CHECK(remove(pool, 10).fee == 231'000'000);
    // remove 15 → 0 < min 1000 and < w 3125: the band rule (TokenRatioOutOfRange)
    refused(quote_withdrawal(pool, 1, Usd::whole(15 * 25'000), all_to_lps, std::nullopt), ErrorKind::rule,
            "TKN's weight from 31.25% to 0.00%, below its minimum of 10.00%");
    // add 1,800: w' = 45,375,000 / 46,200,000 = 9821 > max 9000 and > 3125
    refused(quote_deposit(pool, 1, 1'800 * k_token, all_to_lps, std::nullopt), ErrorKind::rule,
            "from 31.25% to 98.21%, above its maximum of 90.00%");
  }
}

TEST_CASE("the band rule allows a move that ends no further out than it started", "[assets]") {
  AssetConfig a = fixture_token(FeeCurve::fixed);  // band 10% to 90%
  // outside above, a deposit further out: refused; a withdrawal that stays above but comes closer: allowed
  CHECK_FALSE(check_band(a, {Bps{9'500}, Bps{9'600}}, "a deposit").has_value());
  CHECK(check_band(a, {Bps{9'500}, Bps{9'200}}, "a withdrawal").has_value());
  CHECK(check_band(a, {Bps{9'500}, Bps{9'500}}, "a deposit").has_value());  // no further out
  // outside below: a deposit that rises but stays below min is allowed (Adrena audit #212)
  CHECK(check_band(a, {Bps{200}, Bps{700}}, "a deposit").has_value());
  CHECK_FALSE(check_band(a, {Bps{1'000}, Bps{999}}, "a withdrawal").has_value());
  CHECK(check_band(a, {Bps{1'000}, Bps{1'000}}, "a withdrawal").has_value());  // min itself is inside
}

TEST_CASE("the optimal curve charges 0, not a revert, below zero, and the linear curve with a one-sided band",
          "[assets]") {
  AssetConfig a = fixture_token(FeeCurve::optimal);  // b = 0, o = 10, M = 250
  // a deposit of an underweight asset ending at 1000 (min): line = 10 − ceil(240 × 4000 / 4000) = −230 → 0
  CHECK(ok(fee_rate(a, Direction::deposit, {Bps{500}, Bps{1'000}})) == Bps{0});
  // with b = 30 the same move costs max(0, 30 − 230) = 0; ending at 4,900: 30 + 10 − ceil(240 × 100 / 4000) = 34
  a.add_fee_bps = Bps{30};
  CHECK(ok(fee_rate(a, Direction::deposit, {Bps{500}, Bps{4'900}})) == Bps{34});
  // target = max: the term above target has no denominator and counts 0
  AssetConfig l = fixture_token(FeeCurve::linear);
  l.max_weight_bps = Bps{5'000};
  // w' = 6000 > target = max, away: k = 10^4 + 0 → f = b = 100
  CHECK(ok(fee_rate(l, Direction::deposit, {Bps{5'000}, Bps{6'000}})) == Bps{100});
}

TEST_CASE("the fee split in tokens: insurance and treasury floor, the dust and any excess to the LPs",
          "[assets]") {
  const FeeSplit split{Bps{7'000}, Bps{2'000}, Bps{1'000}};
  // 130,000 sat: 26,000 / 13,000 / 91,000
  CHECK(ok(split_token_fee(130'000, split, std::nullopt)) == TokenFeeParts{91'000, 26'000, 13'000});
  // 34,573: floor(6,914.6) = 6,914, floor(3,457.3) = 3,457, the LP part 24,202 takes both dusts
  CHECK(ok(split_token_fee(34'573, split, std::nullopt)) == TokenFeeParts{24'202, 6'914, 3'457});
  // a fund 1,000 units below its target takes only those; the rest of its part joins the LPs'
  CHECK(ok(split_token_fee(130'000, split, 1'000)) == TokenFeeParts{116'000, 1'000, 13'000});
}

TEST_CASE("nexadex-assets(7)'s worked example to the micro-unit", "[assets][example]") {
  AssetConfig u = usdc();
  u.min_weight_bps = Bps{3'000};
  u.max_weight_bps = Bps{7'000};
  u.add_fee_bps = u.remove_fee_bps = Bps{10};
  u.fee_curve = FeeCurve::linear;
  u.fee_ratio_mult_bps = Bps{20'000};
  AssetConfig btc = u;
  btc.symbol = "BTC";
  btc.decimals = 8;
  btc.stable = false;
  btc.market = "BTC";
  btc.add_fee_bps = btc.remove_fee_bps = Bps{30};
  btc.price_confidence_bps = Bps{10};
  const FeeSplit split;  // 7000 / 2000 / 1000
  AssetPool pool = ok(make_pool({u, btc}));
  // One tranche, no position: its capital (NAV) and supply beside the books.
  int64_t nav = 0;
  int64_t supply = 0;
  const auto mint = [&](int64_t d, int64_t nav_high) {
    return static_cast<int64_t>(floor_div(int128(d) * (supply + 1'000), int128(nav_high) + 1));
  };
  const auto redeem = [&](int64_t shares) {
    return static_cast<int64_t>(floor_div(int128(shares) * (nav + 1), int128(supply) + 1'000));
  };

  // 1. price set BTC 60000: p− 59,940, p+ 60,060; nothing held, no inventory result
  CHECK(ok(set_market_price(pool, "BTC", usd_price(60'000))) == Usd());
  CHECK(pool.prices[1] == AssetPrices{usd_price(60'000), usd_price(59'940), usd_price(60'060)});

  // 2. deposit alice 100000 --asset USDC: the first deposit, no fee, no band; 1 share per USD
  const auto d2 = ok(quote_deposit(pool, 0, 100'000'000'000, split, std::nullopt));
  CHECK(d2.first);
  CHECK(d2.fee == 0);
  CHECK(d2.value == Usd(100'000'000'000));
  ok_status(apply_deposit(pool, d2));
  supply = mint(d2.value.units(), 0);
  nav = d2.value.units();
  CHECK(supply == 100'000'000'000'000);

  // 3. deposit bob 1 --asset BTC
  const auto d3 = ok(quote_deposit(pool, 1, 100'000'000, split, std::nullopt));
  CHECK(d3.weights.before == Bps{0});
  CHECK(d3.weights.after == Bps{3'750});  // 60,000 / 160,000
  CHECK(d3.rate == Bps{13});              // k = 22,500; floor(30 × 10^4 / 22,500) = 13
  CHECK(d3.fee == 130'000);
  CHECK(d3.parts == TokenFeeParts{91'000, 26'000, 13'000});
  CHECK(d3.value == Usd(59'862'078'000));     // value(99,870,000, 59,940)
  CHECK(d3.fee_income == Usd(54'545'400));    // value(91,000, 59,940)
  CHECK(d3.dust == Usd(0));
  CHECK(d3.book_after == Usd(59'916'623'400));
  CHECK(d3.spread_before == Usd(0));          // USDC only: no confidence spread before
  nav += d3.fee_income.units() + d3.dust.units();  // to alice, before the mint
  const int64_t bob = mint(d3.value.units(), nav + d3.spread_before.units());
  CHECK(bob == 59'829'443'790'566);
  supply += bob;
  nav += d3.value.units();
  ok_status(apply_deposit(pool, d3));
  CHECK(pool.books[1] == AssetBook{100'000'000, 99'961'000, 0, 0, 26'000, 13'000, Usd(59'916'623'400), BorrowIndex(), Bps{0}, Usd()});
  CHECK(pool.total_book == WideUsd(Usd(nav)));  // 159,916.623400

  // 4. price set BTC 66000: B_BTC 59,916.623400 → 65,908.285740, an inventory gain of 5,991.662340
  const Usd gain = ok(set_market_price(pool, "BTC", usd_price(66'000)));
  CHECK(gain == Usd(5'991'662'340));
  nav += gain.units();
  CHECK(nav == 165'908'285'740);
  // the holdings' confidence spread now: value(99,961,000, 66,066) − value(…, 65,934) = 131.948520
  CHECK(pool.total_spread == WideUsd(Usd(131'948'520)));

  // 5. withdraw alice --shares 50000 --asset USDC
  const int64_t v5 = redeem(50'000'000'000'000);
  CHECK(v5 == 51'901'665'239);
  const auto w5 = ok(quote_withdrawal(pool, 0, Usd(v5), split, std::nullopt));
  CHECK(w5.gross == 51'901'665'239);
  CHECK(w5.weights.before == Bps{6'025});
  CHECK(w5.weights.after == Bps{4'216});
  CHECK(w5.rate == Bps{5});                  // k = 17,840; floor(10 × 10^4 / 17,840) = 5
  CHECK(w5.fee == 25'950'833);
  CHECK(w5.parts == TokenFeeParts{18'165'584, 5'190'166, 2'595'083});
  CHECK(w5.paid == 51'875'714'406);
  CHECK(w5.owned_after == 48'116'500'345);
  CHECK(w5.fee_income == Usd(18'165'584));
  CHECK(w5.spread_gain == Usd(0));
  ok_status(apply_withdrawal(pool, w5));
  supply -= 50'000'000'000'000;
  nav += -v5 + w5.fee_income.units() + w5.spread_gain.units();
  CHECK(nav == 114'024'786'085);

  // 6. withdraw bob --shares 10000 --asset BTC: paid at 66,066, booked at 65,934
  const int64_t v6 = redeem(10'000'000'000'000);
  CHECK(v6 == 10'381'987'029);
  const auto w6 = ok(quote_withdrawal(pool, 1, Usd(v6), split, std::nullopt));
  CHECK(w6.gross == 15'714'568);
  CHECK(w6.weights.before == Bps{5'782});
  CHECK(w6.weights.after == Bps{5'360});
  CHECK(w6.rate == Bps{22});
  CHECK(w6.fee == 34'573);
  CHECK(w6.parts == TokenFeeParts{24'202, 6'914, 3'457});
  CHECK(w6.paid == 15'679'995);
  CHECK(w6.owned_after == 84'270'634);
  CHECK(w6.book_after == Usd(55'562'999'821));
  CHECK(w6.fee_income == Usd(15'957'346));
  CHECK(w6.spread_gain == Usd(20'743'764));
  ok_status(apply_withdrawal(pool, w6));
  supply -= 10'000'000'000'000;
  nav += -v6 + w6.fee_income.units() + w6.spread_gain.units();
  CHECK(nav == 103'679'500'166);

  // Balances at the end: held = owned + insurance + treasury per asset; ΣB = NAV
  CHECK(pool.books[0] == AssetBook{48'124'285'594, 48'116'500'345, 0, 0, 5'190'166, 2'595'083, Usd(48'116'500'345), BorrowIndex(), Bps{0}, Usd()});
  CHECK(pool.books[1] == AssetBook{84'320'005, 84'270'634, 0, 0, 32'914, 16'457, Usd(55'562'999'821), BorrowIndex(), Bps{0}, Usd()});
  CHECK(pool.total_book == WideUsd(Usd(nav)));
  ok_status(check_books(pool));
  CHECK(redeem(50'000'000'000'000) == 51'928'317'052);   // alice
  CHECK(redeem(supply - 50'000'000'000'000) == 51'751'183'113);  // bob: the two leave 1 µUSD

  // 7. cascade --shock BTC=-30%: in a copy, 66,000 → 46,200; holdings 55,562.999821 → 38,894.099875
  AssetPool shocked = pool;
  CHECK(ok(set_market_price(shocked, "BTC", usd_price(46'200))) == Usd(-16'668'899'946));
  CHECK(pool.books[1].book == Usd(55'562'999'821));
}

TEST_CASE("refusals: no price, nothing minted or paid, more than owned, reserved tokens", "[assets]") {
  AssetConfig btc = fixture_token(FeeCurve::fixed);
  btc.symbol = "BTC";
  btc.market = "BTC";
  btc.decimals = 8;
  AssetPool pool = ok(make_pool({usdc(), btc}));
  refused(quote_deposit(pool, 1, 100'000'000, all_to_lps, std::nullopt), ErrorKind::rule,
          "BTC has no price yet; record one for market BTC");
  refused(quote_deposit(pool, 0, 0, all_to_lps, std::nullopt), ErrorKind::input, "positive amount of USDC");
  ok(set_market_price(pool, "BTC", usd_price(60'000)));
  // 1 sat at 59,999.4 with the fee's ceil: a 100 bps fee of 1 unit is 1 unit, nothing left to value
  ok_status(apply_deposit(pool, ok(quote_deposit(pool, 0, 1'000'000'000, all_to_lps, std::nullopt))));
  refused(quote_deposit(pool, 1, 1, all_to_lps, std::nullopt), ErrorKind::input, "worth nothing after its fee");
  // 0.0001 USD buys less than a sat at 60,000
  refused(quote_withdrawal(pool, 1, Usd(100), all_to_lps, std::nullopt), ErrorKind::input,
          "pays less than one token unit of BTC");
  refused(quote_withdrawal(pool, 1, Usd::whole(1), all_to_lps, std::nullopt), ErrorKind::rule,
          "but the pool owns only 0.00000000 BTC");
  // reserved tokens: 900 of the 1,000 USDC reserved; a withdrawal of 200 (USDC has no withdrawal fee)
  // would leave 800, one of 100 leaves 900 exactly
  pool.books[0].reserved = 900'000'000;
  refused(quote_withdrawal(pool, 0, Usd::whole(200), all_to_lps, std::nullopt), ErrorKind::rule,
          "would leave the pool 800.000000 USDC, below the 900.000000 USDC reserved");
  CHECK(quote_withdrawal(pool, 0, Usd::whole(100), all_to_lps, std::nullopt).has_value());
  // a pool without a settlement asset
  refused(make_pool({btc}), ErrorKind::input, "settlement asset");
}

TEST_CASE("the insurance fund pays in the settlement asset first, then in file order, the ceil's dust to "
          "the LPs", "[assets]") {
  AssetConfig btc = fixture_token(FeeCurve::fixed);
  btc.symbol = "BTC";
  btc.market = "BTC";
  btc.decimals = 8;
  AssetPool pool = ok(make_pool({btc, usdc()}));  // the settlement asset second in the file
  ok(set_market_price(pool, "BTC", usd_price(65'000)));
  pool.books[0].insurance = pool.books[0].held = 1'000'000;  // 0.01 BTC = 650 USD
  pool.books[1].insurance = pool.books[1].held = 100'000'000;  // 100 USDC
  CHECK(ok(insurance_value(pool)) == Usd::whole(750));
  // a loss of 300 USD: 100 USDC, then ceil(200 × 10^10 / 6.5×10^12 × 10^6 …) = ceil(307,692.3) = 307,693
  // sat, counted at floor(307,693 × 650 / 1000) = 200.000450 USD: 0.000450 of dust to the LPs
  const auto paid = ok(pay_from_insurance(pool, Usd::whole(300)));
  CHECK(paid.covered == Usd::whole(300));
  REQUIRE(paid.tokens.size() == 2);
  CHECK(paid.tokens[0] == std::pair<std::size_t, int64_t>{1, 100'000'000});
  CHECK(paid.tokens[1] == std::pair<std::size_t, int64_t>{0, 307'693});
  CHECK(paid.book_gain == Usd(450));
  CHECK(pool.books[0].owned == 307'693);
  CHECK(pool.books[0].insurance == 692'307);
  ok_status(check_books(pool));
  // more than the fund holds: it covers what it has (450.000000 left at 65,000: 692,307 sat = 449.999550)
  const auto rest = ok(pay_from_insurance(pool, Usd::whole(1'000)));
  CHECK(rest.covered == Usd(449'999'550));
  CHECK(pool.books[0].insurance == 0);
  ok_status(check_books(pool));
}

TEST_CASE("property: per-asset books over random deposits, withdrawals and prices", "[assets][property]") {
  const uint64_t seed = test::property_seed(17);
  const int64_t steps = test::property_ops(20'000);
  INFO("seed " << seed << " (NEXADEX_SEED to repeat)");
  std::mt19937_64 rng(seed);
  const auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };

  std::vector<AssetConfig> configs{usdc(Bps{4'000})};
  const std::vector<std::pair<std::string, int>> tokens{{"BTC", 8}, {"ETH", 9}, {"SOL", 9}, {"ZRO", 0}};
  for (const auto& [sym, dec] : tokens) {
    AssetConfig a;
    a.symbol = sym;
    a.decimals = dec;
    a.market = sym;
    a.target_weight_bps = Bps{1'500};
    a.min_weight_bps = Bps{500};
    a.max_weight_bps = Bps{4'000};
    a.add_fee_bps = Bps{pick(0, 50)};
    a.remove_fee_bps = Bps{pick(0, 50)};
    a.fee_curve = static_cast<FeeCurve>(pick(0, 2));
    a.fee_ratio_mult_bps = Bps{20'000};
    a.price_confidence_bps = Bps{pick(0, 100)};
    configs.push_back(a);
  }
  AssetPool pool = ok(make_pool(configs));
  const std::vector<int64_t> start{0, 6'000'000'000'000, 300'000'000'000, 15'000'000'000, 300'000'000};
  std::vector<int64_t> price = start;
  for (std::size_t i = 1; i < configs.size(); ++i) ok(set_market_price(pool, configs[i].symbol, Price(price[i])));
  const FeeSplit split;
  std::vector<int64_t> holdings(8, 0);
  int64_t nav = 0, supply = 0, refusals = 0;
  const auto nav_high = [&](Usd spread) { return nav + spread.units(); };

  for (int64_t step = 0; step < steps; ++step) {
    INFO("step " << step);
    const std::size_t a = static_cast<std::size_t>(pick(0, static_cast<int64_t>(configs.size()) - 1));
    const int op = static_cast<int>(pick(0, 9));
    if (op <= 3) {  // a deposit of up to about 100,000 USD
      const int64_t units = a == 0 ? pick(1, 100'000'000'000)
                                   : std::max<int64_t>(1, ok(tokens_floor(Usd(pick(1, 100'000'000'000)),
                                                                          pool.prices[a].mid, configs[a].decimals)));
      const auto q = quote_deposit(pool, a, units, split, std::nullopt);
      if (!q) {
        ++refusals;
        continue;
      }
      CHECK(q->dust.units() <= 2);
      nav += q->fee_income.units() + q->dust.units();
      const int64_t minted = static_cast<int64_t>(
          floor_div(int128(q->value.units()) * (supply + 1'000), int128(nav_high(q->spread_before)) + 1));
      if (minted == 0) {
        ++refusals;
        nav -= q->fee_income.units() + q->dust.units();
        continue;
      }
      ok_status(apply_deposit(pool, *q));
      nav += q->value.units();
      supply += minted;
      holdings[static_cast<std::size_t>(pick(0, 7))] += minted;
      // No free lunch: the same shares redeemed at once in the same asset pay at most what was paid in.
      const int64_t back =
          static_cast<int64_t>(floor_div(int128(minted) * (nav + 1), int128(supply) + 1'000));
      if (const auto r = quote_withdrawal(pool, a, Usd(back), split, std::nullopt)) CHECK(r->paid <= units);
    } else if (op <= 6) {  // a withdrawal of part of a holder's shares
      const std::size_t h = static_cast<std::size_t>(pick(0, 7));
      if (holdings[h] == 0) continue;
      const int64_t shares = pick(1, holdings[h]);
      const int64_t v = static_cast<int64_t>(floor_div(int128(shares) * (nav + 1), int128(supply) + 1'000));
      const auto q = quote_withdrawal(pool, a, Usd(v), split, std::nullopt);
      if (!q) {
        ++refusals;
        continue;
      }
      CHECK_FALSE(q->spread_gain.is_negative());
      ok_status(apply_withdrawal(pool, *q));
      nav += -v + q->fee_income.units() + q->spread_gain.units();
      supply -= shares;
      holdings[h] -= shares;
    } else if (a > 0) {  // a price move of up to ±20%
      // kept within ×/÷ 1,000 of the start, so that 100,000 USD of a 9-decimal token fits in 64 bits
      const int64_t p = std::clamp<int64_t>(price[a] + price[a] * pick(-2'000, 2'000) / 10'000, start[a] / 1'000,
                                            start[a] * 1'000);
      price[a] = p;
      nav += ok(set_market_price(pool, configs[a].symbol, Price(p))).units();
    }
    ok_status(check_books(pool));
    REQUIRE(pool.total_book == WideUsd(Usd(nav)));  // the USD invariant: the LPs' claims = ΣB
    int64_t held = 0;
    for (const auto s : holdings) held += s;
    REQUIRE(held == supply);
    for (const auto& b : pool.books) REQUIRE(b.held >= 0);
  }
  CHECK(refusals < steps / 2);
}

TEST_CASE("a fee rate is at most the whole move, whatever the curve asks", "[assets]") {
  AssetConfig a;
  a.symbol = "X";
  a.target_weight_bps = Bps{5000};
  a.min_weight_bps = Bps{4000};
  a.max_weight_bps = Bps{6000};
  a.add_fee_bps = Bps{1000};
  a.fee_curve = FeeCurve::linear;
  a.fee_ratio_mult_bps = Bps{100'000};
  // w' = 6000 at the band's edge, away from the target: k = 10000 + 100000 = 110000, 1000 × 11 = 11000
  // bps asked, 10000 charged
  CHECK(ok(fee_rate(a, Direction::deposit, WeightMove{Bps{5500}, Bps{6000}})) == Bps{10'000});
  a.fee_curve = FeeCurve::optimal;
  a.fee_optimal_bps = Bps{5000};
  a.fee_max_bps = Bps{10'000};
  // the line at the edge is M = 10000, plus b = 1000: 11000 asked, 10000 charged
  CHECK(ok(fee_rate(a, Direction::deposit, WeightMove{Bps{5500}, Bps{6000}})) == Bps{10'000});
}
