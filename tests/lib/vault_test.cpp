// tests/lib/vault_test.cpp: the vault's rules (SPEC §3, §10; DESIGN-risk §2, §3, §9) with hand-computed
// numbers. Every case builds its State by applying real events from a journal_created genesis; every
// accepted event's postings must balance, the account balances must agree with the vault's figures,
// and every refusal must leave the state exactly as it was.
//
// Units: USD amounts are micro-USD (1 USD = 1'000'000), prices have 8 decimals (50,000 = 5'000'000'000'000),
// shares have 9 decimals (1 share = 1'000'000'000 units). Unless a case says otherwise the config is
// SPEC's defaults: open and close fee 10 bps, liquidation fee 5 USD, borrow 100 bps + 2000 bps × utilization,
// fee split LP 70 / insurance 20 / treasury 10, max utilization 80%, max price age 300 s, no insurance target;
// markets BTC (10x, maintenance 100 bps, profit cap 100%) and ETH (5x, maintenance 150 bps, profit cap 50%).
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/cascade.hpp"
#include "lib/state.hpp"
#include "lib/vault.hpp"
#include "tests/lib/pool_fixture.hpp"

using namespace nexadex;
using Catch::Matchers::Contains;

using namespace nexadex::test;


// ---------------------------------------------------------------------------------------------
// PnL (SPEC §3): long size × (price − entry) / entry, short size × (entry − price) / entry; a profit the
// pool pays rounds down, a loss it is owed rounds up (DESIGN-risk §9).
//
// Each case: ann deposits 100,000; tom opens size 10,000 with collateral 2,000 at BTC 50,000
// (open fee 10 → collateral 1,990; fee split LP 7, insurance 2, treasury 1) and closes it at once
// (no borrow fee) at a price 123.45678901 away from the entry:
//   |pnl| = 10,000,000,000 × 12,345,678,901 / 5,000,000,000,000 = 24,691,357.802 micro-USD
//   profit floor 24,691,357; loss ceil 24,691,358; close fee = 10,000 × 10 bps = 10.
//   profit: payout 1,990 + 24.691357 − 10 = 2,004.691357; LPs 100,000 + 7 + 7 − 24.691357 = 99,989.308643
//   loss:   payout 1,990 − 24.691358 − 10 = 1,955.308642; LPs 100,000 + 7 + 7 + 24.691358 = 100,038.691358

namespace {

const Price k_btc_up{5'012'345'678'901};    // 50,123.45678901
const Price k_btc_down{4'987'654'321'099};  // 49,876.54321099

void round_trip(Side side, Price close_price, int64_t payout, int64_t lp_capital) {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", side, 2'000 * k_usd, 10'000 * k_usd);
  CHECK(b.pos(id).collateral.units() == 1'990 * k_usd);
  b.price("BTC", close_price);
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(postings, "trader:tom") == payout);
  CHECK(posted(postings, "position:" + std::to_string(id)) == -1'990 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == lp_capital);
  CHECK(b.s.vault.insurance.units() == 4 * k_usd);
  CHECK(b.s.vault.treasury.units() == 2 * k_usd);
  CHECK(b.s.vault.fees.at("close").charged.units() == 10 * k_usd);
  CHECK(b.pos(id).status == PositionStatus::closed);
  CHECK(b.pos(id).ended_seq == b.s.head_seq);
  CHECK(b.s.vault.reserved.units() == 0);
  CHECK(b.s.vault.open_interest_long.units() == 0);
  CHECK(b.s.vault.open_interest_short.units() == 0);
}

}  // namespace

TEST_CASE("long PnL is size × (price − entry) / entry, a profit rounds down", "[vault][pnl]") {
  CHECK(vault::pnl_floor(Side::long_, Usd(10'000 * k_usd), k_btc, k_btc_up).value() == Usd(24'691'357));
  round_trip(Side::long_, k_btc_up, 2'004'691'357, 99'989'308'643);
}

TEST_CASE("long PnL: a loss rounds up", "[vault][pnl]") {
  CHECK(vault::pnl_floor(Side::long_, Usd(10'000 * k_usd), k_btc, k_btc_down).value() == Usd(-24'691'358));
  round_trip(Side::long_, k_btc_down, 1'955'308'642, 100'038'691'358);
}

TEST_CASE("short PnL is size × (entry − price) / entry, a profit rounds down", "[vault][pnl]") {
  CHECK(vault::pnl_floor(Side::short_, Usd(10'000 * k_usd), k_btc, k_btc_down).value() == Usd(24'691'357));
  round_trip(Side::short_, k_btc_down, 2'004'691'357, 99'989'308'643);
}

TEST_CASE("short PnL: a loss rounds up", "[vault][pnl]") {
  CHECK(vault::pnl_floor(Side::short_, Usd(10'000 * k_usd), k_btc, k_btc_up).value() == Usd(-24'691'358));
  round_trip(Side::short_, k_btc_up, 1'955'308'642, 100'038'691'358);
}

TEST_CASE("profit paid is capped at the position's reserve", "[vault][pnl][reserve]") {
  // ETH caps profit at 50%: size 1,000 → reserve ceil(1,000 × 5,000 / 10,000) = 500.
  // collateral 500 − open fee 1 = 499; ETH 3,000 → 4,800 (+60%): pnl 600, paid min(600, 500) = 500.
  // payout 499 + 500 − close fee 1 = 998; LPs 100,000 + 0.7 + 0.7 − 500 = 99,501.4
  Pool b;
  b.price("ETH", k_eth);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "ETH", Side::long_, 500 * k_usd, 1'000 * k_usd);
  CHECK(b.pos(id).reserve.units() == 500 * k_usd);
  b.price("ETH", Price::whole(4'800));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(postings, "trader:tom") == 998 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == 99'501'400'000);
}

// ---------------------------------------------------------------------------------------------
// Sizing (SPEC §3, §10).

TEST_CASE("sizing by --leverage opens the largest size with S ≤ L × (C − open_fee(S)): 10x at the cap", "[vault][open]") {
  // C = 1,000, L = 10, fee 10 bps:
  //   start = floor(1,000,000,000 × 10 × 10,000 / (10,000 + 10 × 10)) = floor(10^14 / 10,100) = 9,900,990,099
  //   fee(9,900,990,099) = ceil(9,900,990.099) = 9,900,991 → 10 × (1,000,000,000 − 9,900,991) = 9,900,990,090
  //   the start fails; stepping down, the fee stays 9,900,991 until S = 9,900,990,090, which holds with
  //   equality: size 9,900.990090, fee 9.900991, collateral 990.099009, leverage exactly 10.00x.
  CHECK(vault::size_for_leverage(Usd(1'000 * k_usd), Leverage{1000}, Bps{10}).value() == Usd(9'900'990'090));
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 0, 1000);
  const Position& p = b.pos(id);
  CHECK(p.size.units() == 9'900'990'090);
  CHECK(p.collateral.units() == 990'099'009);
  CHECK(p.reserve.units() == 9'900'990'090);  // ceil(size × 10,000 / 10,000)
  CHECK(p.entry == k_btc);
  CHECK(b.s.vault.fees.at("open").charged.units() == 9'900'991);
  CHECK(p.size.units() * 100 == 1000 * p.collateral.units());  // S = 10 × (C − fee)
  // one micro-unit more breaks the inequality: 9,900,990,091 > 10 × (1,000,000,000 − 9,900,991)
  b.refused(open_by_size("tom", "BTC", Side::long_, 1'000 * k_usd, 9'900'990'091), ErrorKind::rule);
}

TEST_CASE("sizing by --leverage with two decimals steps down past the fee's rounding", "[vault][open]") {
  // C = 1,000, L = 2.50: start = floor(1,000,000,000 × 250 × 10,000 / (1,000,000 + 250 × 10))
  //   = floor(2.5 × 10^15 / 1,002,500) = 2,493,765,586; fee ceil(2,493,765.586) = 2,493,766;
  //   2.5 × (1,000,000,000 − 2,493,766) = 2,493,765,585 < start → one step down: S = 2,493,765,585
  //   (same fee), equality. Collateral after the fee 997.506234.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::short_, 1'000 * k_usd, 0, 250);
  CHECK(b.pos(id).size.units() == 2'493'765'585);
  CHECK(b.pos(id).collateral.units() == 997'506'234);
  CHECK(b.s.vault.fees.at("open").charged.units() == 2'493'766);
  CHECK(b.s.vault.open_interest_short.units() == 2'493'765'585);
}

TEST_CASE("sizing by --size above max leverage after the open fee is refused (rule)", "[vault][open]") {
  // collateral 1,000, size 9,900.990091: fee ceil(9,900,990.091) = 9,900,991, collateral 990.099009,
  // leverage 9,900.990091 / 990.099009 = 10.0000000010…x > 10x → refused, shown rounded up as 10.01x.
  // Size 9,900.990090 (exactly 10.00x) is accepted.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const Error e = b.refused(open_by_size("tom", "BTC", Side::long_, 1'000 * k_usd, 9'900'990'091), ErrorKind::rule);
  CHECK_THAT(e.message, Contains("10.01x"));
  CHECK_THAT(e.message, Contains("maximum of 10.00x"));
  // collateral 1,000, size 10,000: fee 10, 10,000 / 990 = 10.10x → refused
  b.refused(open_by_size("tom", "BTC", Side::long_, 1'000 * k_usd, 10'000 * k_usd), ErrorKind::rule);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 9'900'990'090);
  CHECK(b.pos(id).collateral.units() == 990'099'009);
}

TEST_CASE("an open that would be liquidatable at its entry price is refused (rule), equality is allowed",
          "[vault][open]") {
  // Size 5: open fee ceil(5,000,000 × 10 / 10^4) = 5,000 (0.005), close fee likewise 0.005; maintenance
  // max(ceil(5 × 100 / 10^4) = 0.05, liquidation fee 5) = 5. At entry the PnL and borrow fee are 0, so
  // equity = collateral − 0.005 (open fee) − 0.005 (close fee).
  //   collateral 5.010000: equity 5.000000, not below 5 → opened;
  //   collateral 5.009999: equity 4.999999 < 5 → refused, else its keeper fee would exceed its
  //   collateral and the shortfall be bad debt of the pool.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const Error e = b.refused(open_by_size("tom", "BTC", Side::long_, 5'009'999, 5 * k_usd), ErrorKind::rule);
  CHECK_THAT(e.message, Contains("equity 4.999999"));
  CHECK_THAT(e.message, Contains("maintenance margin 5.000000"));
  const int64_t id = b.open("tom", "BTC", Side::long_, 5'010'000, 5 * k_usd);
  CHECK(b.pos(id).collateral.units() == 5'005'000);
}

TEST_CASE("open fee is 10 bps of size, taken from the collateral, split 70/20/10 with floor dust to LPs",
          "[vault][open][fees]") {
  // size 12,345.678901: fee ceil(12,345,678,901 × 10 / 10,000) = ceil(12,345,678.901) = 12,345,679
  //   insurance floor(12,345,679 × 20%) = floor(2,469,135.8) = 2,469,135
  //   treasury  floor(12,345,679 × 10%) = floor(1,234,567.9) = 1,234,567
  //   LPs       12,345,679 − 2,469,135 − 1,234,567 = 8,641,977 (70% would be 8,641,975.3: the dust is theirs)
  // collateral 2,000 − 12.345679 = 1,987.654321
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 12'345'678'901);
  const auto& fee = b.s.vault.fees.at("open");
  CHECK(fee.charged.units() == 12'345'679);
  CHECK(fee.to_insurance.units() == 2'469'135);
  CHECK(fee.to_treasury.units() == 1'234'567);
  CHECK(fee.to_lps.units() == 8'641'977);
  CHECK(b.pos(id).collateral.units() == 1'987'654'321);
  CHECK(b.s.vault.lp_capital()->units() == 100'000 * k_usd + 8'641'977);
  CHECK(b.s.vault.insurance.units() == 2'469'135);
  CHECK(b.s.vault.treasury.units() == 1'234'567);
  CHECK(balance(b.s, "trader:tom") == -2'000 * k_usd);
  CHECK(balance(b.s, "position:" + std::to_string(id)) == 1'987'654'321);
}

// ---------------------------------------------------------------------------------------------
// Insurance target (DESIGN-risk §2): the fund takes min(insurance_part, max(0, target − balance)).

TEST_CASE("insurance takes its fee share only up to the target, the excess goes to the LPs",
          "[vault][insurance][fees]") {
  // target_min 3, target_bps_of_oi 0: target 3. Three opens of size 10,000, each fee 10
  // (insurance part 2, treasury 1):
  //   1st: balance 0, room 3 → fund 2, LPs 7; 2nd: balance 2, room 1 → fund 1, LPs 10 − 1 − 1 = 8;
  //   3rd: room 0 → fund 0, LPs 9. Totals: charged 30, insurance 3, treasury 3, LPs 24.
  Config c = base_config();
  c.insurance.target_min = Usd::whole(3);
  Pool b(c);
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  auto p1 = b.ok(open_by_size("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd));
  CHECK(posted(p1, "insurance") == 2 * k_usd);
  CHECK(posted(p1, "lp:senior") == 7 * k_usd);
  auto p2 = b.ok(open_by_size("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd));
  CHECK(posted(p2, "insurance") == 1 * k_usd);
  CHECK(posted(p2, "lp:senior") == 8 * k_usd);
  auto p3 = b.ok(open_by_size("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd));
  CHECK(posted(p3, "insurance") == 0);
  CHECK(posted(p3, "lp:senior") == 9 * k_usd);
  const auto& fee = b.s.vault.fees.at("open");
  CHECK(fee.charged.units() == 30 * k_usd);
  CHECK(fee.to_insurance.units() == 3 * k_usd);
  CHECK(fee.to_treasury.units() == 3 * k_usd);
  CHECK(fee.to_lps.units() == 24 * k_usd);
  CHECK(b.s.vault.insurance.units() == 3 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == 100'024 * k_usd);
}

TEST_CASE("insurance target is max(target_min, open interest × target_bps_of_oi / 10^4), rounded down",
          "[vault][insurance]") {
  // OI 12,345.678901 long + 1,000 short = 13,345.678901; × 20 bps = 26,691,357.802 → 26.691357
  //   vs target_min 25 → 26.691357; with target_min 30 → 30.
  Config c = base_config();
  c.insurance.target_min = Usd::whole(25);
  c.insurance.target_bps_of_oi = Bps{20};
  Pool b(c);
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  CHECK(vault::insurance_target(b.s) == Usd::whole(25));  // no open interest yet
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 12'345'678'901);
  b.open("uma", "BTC", Side::short_, 1'000 * k_usd, 1'000 * k_usd);
  CHECK(vault::insurance_target(b.s) == Usd(26'691'357));
  c.insurance.target_min = Usd::whole(30);
  b.ok(ConfigApplied{"# vault_test config 2", "vault-test-sha256-2", c});
  CHECK(vault::insurance_target(b.s) == Usd::whole(30));
}

TEST_CASE("no insurance target when both target keys are 0: the fund always takes its share",
          "[vault][insurance]") {
  // a fund of 1,000,000 still takes 20% of the fee 10 = 2
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  b.ok(InsuranceDeposited{Usd::whole(1'000'000), "operator"});
  CHECK_FALSE(vault::insurance_target(b.s).has_value());
  auto p = b.ok(open_by_size("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd));
  CHECK(posted(p, "insurance") == 2 * k_usd);
  CHECK(posted(p, "lp:senior") == 7 * k_usd);
  CHECK(b.s.vault.insurance.units() == 1'000'002 * k_usd);
  CHECK(balance(b.s, "funder:operator") == -1'000'000 * k_usd);
}

// ---------------------------------------------------------------------------------------------
// Reserves and utilization (SPEC §3, §10).

TEST_CASE("reserve is ceil(size × max_profit_bps / 10000)", "[vault][reserve]") {
  // ETH (5,000 bps): size 10,000.000001 → ceil(10,000,000,001 × 5,000 / 10,000) = ceil(5,000,000,000.5)
  //   = 5,000,000,001. Collateral 2,100 − fee ceil(10,000,000.0001) = 10,000,001 → 2,089.999999.
  Pool b;
  b.price("ETH", k_eth);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "ETH", Side::short_, 2'100 * k_usd, 10'000'000'001);
  CHECK(b.pos(id).reserve.units() == 5'000'000'001);
  CHECK(b.pos(id).collateral.units() == 2'089'999'999);
  CHECK(b.s.vault.reserved.units() == 5'000'000'001);
  // utilization = ceil(5,000,000,001 × 10,000 / (100,000,000,000 + 7,000,001)) = ceil(499.96…) = 500 bps
  CHECK(b.s.vault.utilization_bps.value == 500);
}

TEST_CASE("an open that would bring utilization past max_utilization_bps is refused, equality is allowed",
          "[vault][reserve][open]") {
  // open fee 0 so that the NAV is 10,000 before and after the open. Cap 80% × 10,000 = 8,000 of reserves:
  //   size 8,000.000001 → reserve 8,000.000001 > 8,000 → refused; size 8,000 → reserve 8,000 = cap → allowed,
  //   utilization 8,000 bps; then any further reserve (1 micro-unit) is refused.
  Config c = base_config();
  c.fees.open_fee_bps = Bps{0};
  Pool b(c);
  b.price("BTC", k_btc);
  b.deposit("ann", 10'000 * k_usd);
  const Error e = b.refused(open_by_size("tom", "BTC", Side::long_, 1'000 * k_usd, 8'000'000'001), ErrorKind::rule);
  CHECK_THAT(e.message, Contains("8000.000000 of the pool is free to reserve"));
  b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 8'000 * k_usd);
  CHECK(b.s.vault.reserved.units() == 8'000 * k_usd);
  CHECK(b.s.vault.utilization_bps.value == 8'000);
  const Error e2 = b.refused(open_by_size("uma", "BTC", Side::short_, 1 * k_usd, 1), ErrorKind::rule);
  CHECK_THAT(e2.message, Contains("only 0.000000 of the pool is free"));
}

TEST_CASE("a withdrawal of capital backing reserves is refused, naming the free amount", "[vault][withdraw]") {
  // ann 10,000; tom opens size 4,000 (fee 4: LPs 2.8) → NAV 10,002.8, reserves 4,000.
  // free = 10,002.8 − ceil(4,000 × 10,000 / 8,000) = 10,002.8 − 5,000 = 5,002.8
  //   withdraw 5,002.800001 → refused; 5,002.8 → allowed, burning
  //   ceil(5,002,800,000 × (10^13 + 1,000) / (10,002,800,000 + 1)) = 5,001,399,608,110 units;
  //   afterwards NAV 5,000 and utilization 4,000 / 5,000 = 80%.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 10'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 4'000 * k_usd);
  const auto f = tranche::free_capital(b.s, TrancheId::senior);
  REQUIRE(f.has_value());
  CHECK(f->free() == Usd(5'002'800'000));
  CHECK(f->backing == Usd(5'000 * k_usd));
  const Error e = b.refused(LpWithdrew{"ann", WithdrawBy::amount, Usd(5'002'800'001), Shares(0), ""}, ErrorKind::rule);
  CHECK_THAT(e.message, Contains("5002.800000 is free"));
  CHECK_THAT(e.message, Contains("withdraw at most 5002.800000"));
  b.refused(LpWithdrew{"ann", WithdrawBy::all, Usd(0), Shares(0), ""}, ErrorKind::rule);
  const auto postings = b.ok(LpWithdrew{"ann", WithdrawBy::amount, Usd(5'002'800'000), Shares(0), ""});
  CHECK(posted(postings, "depositor:ann") == 5'002'800'000);
  CHECK(b.s.lps.at(LpKey{"ann"}).shares.units() == 10'000'000'000'000 - 5'001'399'608'110);
  CHECK(b.s.vault.lp_capital()->units() == 5'000 * k_usd);
  CHECK(b.s.vault.utilization_bps.value == 8'000);
}

TEST_CASE("a tranche's free capital is the pool's, at most its realized capital, and the refusal names what binds",
          "[vault][withdraw][tranche]") {
  // tranched_free_pool: NAV 1,000 + 4,000 + 200 unrealized = 5,200; 2,500 backs the reserve, so the
  // pool has 5,200 − 2,500 = 2,700 free. The junior holds 1,000 of realized capital (its value 1,200
  // counts tom's unrealized loss): free min(2,700, 1,000, 1,200) = 1,000. The senior: min(2,700,
  // 4,000, 4,000) = 2,700.
  Pool b = tranched_free_pool();
  const auto junior = tranche::free_capital(b.s, TrancheId::junior);
  REQUIRE(junior.has_value());
  CHECK(junior->nav == Usd(5'200 * k_usd));
  CHECK(junior->backing == Usd(2'500 * k_usd));
  CHECK(junior->value == Usd(1'200 * k_usd));
  CHECK(junior->free() == Usd(1'000 * k_usd));
  CHECK_FALSE(junior->by_reserves());
  const auto senior = tranche::free_capital(b.s, TrancheId::senior);
  REQUIRE(senior.has_value());
  CHECK(senior->free() == Usd(2'700 * k_usd));
  CHECK(senior->by_reserves());
  // jill's 1,000 × 10^9 shares are worth floor(10^12 × 1,200,000,001 / (10^12 + 1,000)) = 1,199,998,800:
  // 1,100 is within her holding but beyond the junior's capital. The message names that capital, not
  // NAV − free (5,200 − 1,000 = 4,200, the senior's NAV and the junior's gain, backs no position).
  const Error e = b.refused(LpWithdrew{"jill", WithdrawBy::amount, Usd(1'100 * k_usd), Shares(0), "junior"},
                            ErrorKind::rule);
  CHECK_THAT(e.message, Contains("1000.000000 is free: the junior tranche's realized capital (its NAV 1200.000000"));
  CHECK_THAT(e.message, !Contains("4200.000000"));
  b.refused(LpWithdrew{"jill", WithdrawBy::amount, Usd(1'000 * k_usd + 1), Shares(0), "junior"}, ErrorKind::rule);
  // the senior: one micro-unit over 2,700 is refused with the backing of the reserve, 2,500
  const Error e2 = b.refused(LpWithdrew{"sam", WithdrawBy::amount, Usd(2'700 * k_usd + 1), Shares(0), "senior"},
                             ErrorKind::rule);
  CHECK_THAT(e2.message, Contains("2700.000000 is free (2500.000000 backs open positions); withdraw at most 2700.000000"));
  // exactly the free capital of each tranche is paid, one after the other: the junior's 1,000 leaves the
  // pool 2,700 − 1,000 = 1,700 free, all of it the senior's
  b.ok(LpWithdrew{"jill", WithdrawBy::amount, Usd(1'000 * k_usd), Shares(0), "junior"});
  const auto left = tranche::free_capital(b.s, TrancheId::senior);
  REQUIRE(left.has_value());
  CHECK(left->free() == Usd(1'700 * k_usd));
  b.refused(LpWithdrew{"sam", WithdrawBy::amount, Usd(1'700 * k_usd + 1), Shares(0), "senior"}, ErrorKind::rule);
  b.ok(LpWithdrew{"sam", WithdrawBy::amount, Usd(1'700 * k_usd), Shares(0), "senior"});
}

// ---------------------------------------------------------------------------------------------
// Borrow fee (SPEC §3, §10).

TEST_CASE("borrow fee over 30 days at 50% utilization: index += floor(rate × Δt × 10^18 / (10^4 × 31,536,000))",
          "[vault][borrow]") {
  // ann deposits 9,996.5; tom opens size 5,000 (fee 5: LPs 3.5, insurance 1, treasury 0.5), collateral
  // 1,000 → 995, reserve 5,000. NAV = 9,996.5 + 3.5 = 10,000 exactly → utilization 5,000 / 10,000 = 5,000 bps.
  // rate = 100 + 2,000 × 50% = 1,100 bps. Δt = 30 days = 2,592,000 s:
  //   Δindex = floor(1,100 × 2,592,000 × 10^18 / (10,000 × 31,536,000)) = 9,041,095,890,410,958
  //   fee = ceil(5,000,000,000 × 9,041,095,890,410,958 / 10^18) = ceil(45,205,479.452…) = 45,205,480
  //   (5,000 × 11% × 30/365 = 45.2054794…). Split: insurance 9,041,096, treasury 4,520,548, LPs 31,643,836.
  // payout 995 − close fee 5 − 45.205480 = 944.794520.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 9'996'500'000);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 5'000 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == 10'000 * k_usd);
  CHECK(b.s.vault.utilization_bps.value == 5'000);
  CHECK(b.pos(id).borrow_index_open == BorrowIndex(0));
  b.at(30 * k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(9'041'095'890'410'958));
  CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(45'205'480));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(postings, "trader:tom") == 944'794'520);
  const auto& borrow = b.s.vault.fees.at("borrow");
  CHECK(borrow.charged.units() == 45'205'480);
  CHECK(borrow.to_insurance.units() == 9'041'096);
  CHECK(borrow.to_treasury.units() == 4'520'548);
  CHECK(borrow.to_lps.units() == 31'643'836);
  // LPs: 10,000 + close fee 3.5 + borrow 31.643836 = 10,035.143836
  CHECK(b.s.vault.lp_capital()->units() == 10'035'143'836);
}

TEST_CASE("borrow index grows per event at the utilization since the previous event", "[vault][borrow]") {
  // As above, with a price event on day 10:
  //   day 0-10 at 5,000 bps: rate 1,100, Δindex1 = floor(1,100 × 864,000 × 10^18 / 315,360,000,000)
  //     = 3,013,698,630,136,986; the position then owes ceil(5,000 × that) = 15,068,494, which NAV does
  //     not count until it is paid (DESIGN-risk §4): NAV stays 10,000 (LP capital 9,996.5 + the LPs'
  //     3.5 of the open fee, the price unchanged) → utilization 5,000 × 10,000 / 10,000 = 5,000 bps
  //   day 10-30 at 5,000 bps: rate 1,100 again,
  //     Δindex2 = floor(1,100 × 1,728,000 × 10^18 / 315,360,000,000) = 6,027,397,260,273,972
  //   index 9,041,095,890,410,958; fee ceil(5,000,000,000 × index / 10^18) = ceil(45,205,479.45) = 45,205,480
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 9'996'500'000);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 5'000 * k_usd);
  b.at(10 * k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(3'013'698'630'136'986));
  CHECK(b.s.vault.utilization_bps.value == 5'000);
  b.at(30 * k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(9'041'095'890'410'958));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(b.s.vault.fees.at("borrow").charged.units() == 45'205'480);
  CHECK(posted(postings, "trader:tom") == 995 * k_usd - 5 * k_usd - 45'205'480);
}

TEST_CASE("borrow index grows at the base rate while nothing is reserved", "[vault][borrow]") {
  // utilization 0: rate 100 bps; one day: floor(100 × 86,400 × 10^18 / 315,360,000,000) = 27,397,260,273,972
  // A position opened then starts from that index and owes nothing for the past.
  Pool b;
  b.at(k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(27'397'260'273'972));
  b.deposit("ann", 10'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 5'000 * k_usd);
  CHECK(b.pos(id).borrow_index_open == BorrowIndex(27'397'260'273'972));
  CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(0));
}

namespace {

// The pool of issue 20 item 2: no open or close fee, no base rate, slope 500 bps; ann deposits 100,000
// and tom opens size 1,010 with collateral 1,010 (profit cap 100% → reserve 1,010), so the utilization
// is ceil(1,010 × 10,000 / 100,000) = 101 bps exactly; a year (365 days) later tom closes.
Pool slope_only_pool(int64_t rules) {
  Config c = base_config();
  c.fees.open_fee_bps = Bps{0};
  c.fees.close_fee_bps = Bps{0};
  c.fees.borrow_base_apr_bps = Bps{0};
  c.fees.borrow_slope_apr_bps = Bps{500};
  Pool b(c);
  b.s.rules = rules;
  return b;
}

}  // namespace

TEST_CASE("borrow rate with a slope is exact: 500 bps × 101 bps = 5.05 bps a year, not 6 (rules 3)",
          "[vault][borrow]") {
  // SPEC §10: rate = base + slope × utilization = 0 + 500 × 101 / 10,000 = 5.05 bps a year, kept exact:
  //   Δindex = floor((0 × 10,000 + 500 × 101) × Δt × 10^18 / (10,000 × 10,000 × 31,536,000)), Δt = 31,536,000
  //          = 50,500 × 10^18 / 10^8 = 505,000,000,000,000 (no remainder: the floor changes nothing here)
  //   fee = ceil(1,010,000,000 × 505,000,000,000,000 / 10^18) = 510,050 → 0.510050
  //   (1,010 × 5.05 / 10,000 = 0.51005 USDC); payout 1,010 − 0.510050 = 1,009.489950.
  // Rules 2 rounded the slope part up to whole bps, ceil(5.05) = 6, and charged 0.606000 (about 19% more).
  Pool b = slope_only_pool(3);
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'010 * k_usd, 1'010 * k_usd);
  CHECK(b.pos(id).reserve == Usd(1'010 * k_usd));
  CHECK(b.s.vault.utilization_bps.value == 101);
  b.at(365 * k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(505'000'000'000'000));
  CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(510'050));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(b.s.vault.fees.at("borrow").charged == Usd(510'050));
  CHECK(posted(postings, "trader:tom") == 1'009'489'950);
}

TEST_CASE("borrow rate with a slope: the index keeps the fraction of a bps, the fee alone rounds up (rules 3)",
          "[vault][borrow]") {
  // As above over one day (86,400 s): Δindex = floor(50,500 × 86,400 × 10^18 / (10^8 × 31,536,000))
  //   = floor(1,383,561,643,835.616…) = 1,383,561,643,835 (floor: the index grows by whole 10^-18 units);
  //   fee = ceil(1,010,000,000 × 1,383,561,643,835 / 10^18) = ceil(1,397.397…) = 1,398 (ceil: against the trader).
  // Rules 2: Δindex = floor(6 × 86,400 × 10^18 / (10^4 × 31,536,000)) = 1,643,835,616,438, fee ceil(1,660.27…) = 1,661.
  Pool b = slope_only_pool(3);
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'010 * k_usd, 1'010 * k_usd);
  b.at(k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(1'383'561'643'835));
  CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(1'398));
}

TEST_CASE("borrow rate under rules 2 stays rounded up to whole bps: 6 bps, 0.606000 on 1,010 a year",
          "[vault][borrow][rules]") {
  // A journal written under rules 2 replays as it was written (nexadex-journal(5), RULES):
  //   rate = 0 + ceil(500 × 101 / 10,000) = ceil(5.05) = 6 bps
  //   Δindex = floor(6 × 31,536,000 × 10^18 / (10,000 × 31,536,000)) = 600,000,000,000,000
  //   fee = ceil(1,010,000,000 × 6 × 10^14 / 10^18) = 606,000 → 0.606000; payout 1,009.394000.
  Pool b = slope_only_pool(2);
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'010 * k_usd, 1'010 * k_usd);
  CHECK(b.s.vault.utilization_bps.value == 101);
  b.at(365 * k_day);
  b.price("BTC", k_btc);
  CHECK(b.s.vault.borrow_index == BorrowIndex(600'000'000'000'000));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(b.s.vault.fees.at("borrow").charged == Usd(606'000));
  CHECK(posted(postings, "trader:tom") == 1'009'394'000);
}

// ---------------------------------------------------------------------------------------------
// Close (SPEC §3, §10).

TEST_CASE("partial close pro-rates collateral (floor), borrow fee (ceil) and reserve (floor), keeps the entry",
          "[vault][close]") {
  // ann 100,000; tom opens ETH long size 3,000.000001 with collateral 1,000 at 3,000:
  //   fee ceil(3,000,000,001 × 10 / 10,000) = 3,000,001 (insurance 600,000, treasury 300,000, LPs 2,100,001)
  //   collateral 996,999,999; reserve ceil(3,000,000,001 / 2) = 1,500,000,001
  //   LPs 100,002.100001 → utilization ceil(1,500,000,001 × 10,000 / 100,002,100,001) = 150 bps
  // day 10, ETH 3,100: rate 100 + ceil(2,000 × 150 / 10,000) = 130 bps;
  //   Δindex = floor(130 × 864,000 × 10^18 / 315,360,000,000) = 356,164,383,561,643
  //   borrow due = ceil(3,000,000,001 × 356,164,383,561,643 / 10^18) = 1,068,494
  // close 1,000 of it:
  //   collateral part floor(996,999,999 × 1,000,000,000 / 3,000,000,001) = 332,333,332
  //   borrow part     ceil(1,068,494 × 1,000,000,000 / 3,000,000,001) = 356,165
  //   reserve part    floor(1,500,000,001 × 1,000,000,000 / 3,000,000,001) = 500,000,000
  //   pnl floor(1,000,000,000 × 100 / 3,000) = 33,333,333 (≤ 500,000,000); close fee 1,000,000
  //   payout 332,333,332 + 33,333,333 − 1,000,000 − 356,165 = 364,310,500
  // remainder: size 2,000,000,001, collateral 664,666,667, reserve 1,000,000,001, carried 712,329,
  //   entry 3,000, its index reset to the current one.
  // close fee split 200,000 / 100,000 / 700,000; borrow 356,165 → 71,233 / 35,616 / 249,316.
  Pool b;
  b.price("ETH", k_eth);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "ETH", Side::long_, 1'000 * k_usd, 3'000'000'001);
  CHECK(b.pos(id).collateral.units() == 996'999'999);
  CHECK(b.pos(id).reserve.units() == 1'500'000'001);
  CHECK(b.s.vault.utilization_bps.value == 150);
  b.at(10 * k_day);
  b.price("ETH", Price::whole(3'100));
  CHECK(b.s.vault.borrow_index == BorrowIndex(356'164'383'561'643));
  CHECK(vault::borrow_due(b.pos(id), b.s.vault.borrow_index).value() == Usd(1'068'494));
  const int64_t lp_before = b.s.vault.lp_capital()->units();
  const auto postings = b.ok(PositionClosed{id, Usd(1'000 * k_usd)});
  CHECK(posted(postings, "trader:tom") == 364'310'500);
  CHECK(posted(postings, "position:" + std::to_string(id)) == -332'333'332);
  const Position& p = b.pos(id);
  CHECK(p.status == PositionStatus::open);
  CHECK(p.size.units() == 2'000'000'001);
  CHECK(p.collateral.units() == 664'666'667);
  CHECK(p.reserve.units() == 1'000'000'001);
  CHECK(p.borrow_carried.units() == 712'329);
  CHECK(p.entry == k_eth);
  CHECK(p.borrow_index_open == b.s.vault.borrow_index);
  CHECK(b.s.vault.reserved.units() == 1'000'000'001);
  CHECK(b.s.vault.open_interest_long.units() == 2'000'000'001);
  CHECK(b.s.vault.fees.at("borrow").charged.units() == 356'165);
  CHECK(b.s.vault.fees.at("borrow").to_lps.units() == 249'316);
  CHECK(b.s.vault.lp_capital()->units() == lp_before + 700'000 + 249'316 - 33'333'333);

  // The remainder closed at once owes exactly what it carried (no index growth):
  //   pnl floor(2,000,000,001 × 100 / 3,000) = 66,666,666; close fee ceil(2,000,000.0001) = 2,000,001
  //   payout 664,666,667 + 66,666,666 − 2,000,001 − 712,329 = 728,621,003
  const auto rest = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(rest, "trader:tom") == 728'621'003);
  CHECK(b.pos(id).status == PositionStatus::closed);
  CHECK(b.s.vault.fees.at("borrow").charged.units() == 356'165 + 712'329);
  CHECK(b.s.vault.reserved.units() == 0);
  CHECK(b.s.vault.open_interest_long.units() == 0);
  CHECK(balance(b.s, "position:" + std::to_string(id)) == 0);
}

TEST_CASE("a close whose loss and fees exceed the collateral is refused (rule), exactly equal pays 0",
          "[vault][close]") {
  // size 10,000, collateral 2,000 → 1,990; close fee 10. At 40,099.99999999 the loss is
  //   ceil(10,000,000,000 × 990,000,000,001 / 5,000,000,000,000) = 1,980,000,001: cost 1,990.000001 > 1,990.
  // At 40,100 the loss is 1,980: 1,990 − 1,980 − 10 = 0 → accepted, the trader gets 0.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.price("BTC", Price(4'009'999'999'999));
  const Error e = b.refused(PositionClosed{id, Usd(0)}, ErrorKind::rule);
  CHECK_THAT(e.message, Contains("1990.000001"));
  CHECK_THAT(e.message, Contains("liquidate it instead"));
  b.price("BTC", Price::whole(40'100));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(postings, "trader:tom") == 0);
  // LPs 100,000 + 7 + 7 + 1,980 = 101,994
  CHECK(b.s.vault.lp_capital()->units() == 101'994 * k_usd);
}

// ---------------------------------------------------------------------------------------------
// Liquidation (SPEC §3, DESIGN-risk §3).

TEST_CASE("liquidating a healthy position is refused (rule) with the margin numbers", "[vault][liquidate]") {
  // size 10,000, collateral 1,990; threshold max(ceil(10,000 × 1%), 5) = 100.
  // At 40,600 the loss is 1,880: equity 1,990 − 1,880 − close fee 10 = 100, not below 100 → healthy.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.price("BTC", Price::whole(40'600));
  auto m = vault::margin(b.s, b.pos(id), Price::whole(40'600)).value();
  CHECK(m.equity == Usd(100 * k_usd));
  CHECK(m.threshold == Usd(100 * k_usd));
  CHECK_FALSE(m.liquidatable());
  const Error e = b.refused(PositionLiquidated{id, "kim"}, ErrorKind::rule);
  CHECK_THAT(e.message, Contains("equity 100.000000"));
  CHECK_THAT(e.message, Contains("maintenance margin 100.000000"));
}

TEST_CASE("liquidation: the collateral pays the loss, the keeper, the close fee, and the rest goes to the pool",
          "[vault][liquidate]") {
  // At 40,599.99999999 the loss is ceil(940,000,000,001 / 500) = 1,880,000,001 → equity 99.999999 < 100.
  //   C 1,990: claim 1,880.000001, keeper 5, close fee 10 (LPs 7, insurance 2, treasury 1),
  //   remainder 1,990 − 1,880.000001 − 5 − 10 = 94.999999 → the pool gets 1,880.000001 + 94.999999 = 1,975.
  //   LPs 100,000 + 7 (open) + 7 + 1,975 = 101,989.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.price("BTC", Price(4'059'999'999'999));
  const auto postings = b.ok(PositionLiquidated{id, "kim"});
  CHECK(posted(postings, "position:" + std::to_string(id)) == -1'990 * k_usd);
  CHECK(posted(postings, "keeper:kim") == 5 * k_usd);
  CHECK(posted(postings, "lp:senior") == 1'982 * k_usd);
  CHECK(posted(postings, "insurance") == 2 * k_usd);
  CHECK(posted(postings, "treasury") == 1 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == 101'989 * k_usd);
  CHECK(b.s.vault.fees.at("close").charged.units() == 10 * k_usd);
  CHECK(b.s.vault.fees.at("close").forgone.units() == 0);
  CHECK(b.s.vault.fees.at("liquidation").charged.units() == 5 * k_usd);
  CHECK(b.s.vault.insurance_paid.units() == 0);
  CHECK(b.pos(id).status == PositionStatus::liquidated);
  CHECK(b.pos(id).ended_seq == b.s.head_seq);
  CHECK(b.s.vault.reserved.units() == 0);
  CHECK(b.s.vault.open_interest_long.units() == 0);
  b.refused(PositionLiquidated{id, "kim"}, ErrorKind::rule);  // already liquidated
  b.refused(PositionClosed{id, Usd(0)}, ErrorKind::rule);
}

namespace {

// DESIGN-risk §3 set-up: keeper fee `keeper`; insurance deposit 100; ann 100,000; tom opens BTC long size
// 5,000 with collateral 1,005 (fee 5: LPs 3.5, insurance 1, treasury 0.5) → C = 1,000; fund 101.
// Threshold max(ceil(5,000 × 1%), keeper) = max(50, keeper).
int64_t design_position(Pool& b) {
  b.price("BTC", k_btc);
  b.ok(InsuranceDeposited{Usd::whole(100), "operator"});
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'005 * k_usd, 5'000 * k_usd);
  REQUIRE(b.pos(id).collateral.units() == 1'000 * k_usd);
  REQUIRE(b.s.vault.insurance.units() == 101 * k_usd);
  REQUIRE(b.s.vault.lp_capital()->units() == 100'003'500'000);
  return id;
}

Config keeper_config(int64_t keeper_fee) {
  Config c = base_config();
  c.fees.liquidation_fee = Usd(keeper_fee);
  return c;
}

}  // namespace

TEST_CASE("DESIGN-risk §3 example: C 1,000, loss 1,200, keeper 50 → shortfall 50 paid by insurance",
          "[vault][liquidate][insurance]") {
  // BTC 50,000 → 38,000: loss 5,000 × 24% = 1,200. P = min(1,200, 1,000) = 1,000; keeper from collateral
  // min(50, 1,000 − 1,000) = 0 → shortfall 50, covered by the fund (101 → 51); close fee 5 forgone.
  // LPs + 1,000 (their claim); nothing charged to them.
  Pool b(keeper_config(50 * k_usd));
  const int64_t id = design_position(b);
  b.price("BTC", Price::whole(38'000));
  const auto postings = b.ok(PositionLiquidated{id, "kim"});
  CHECK(posted(postings, "position:" + std::to_string(id)) == -1'000 * k_usd);
  CHECK(posted(postings, "keeper:kim") == 50 * k_usd);
  CHECK(posted(postings, "insurance") == -50 * k_usd);
  CHECK(posted(postings, "lp:senior") == 1'000 * k_usd);
  CHECK(b.s.vault.insurance.units() == 51 * k_usd);
  CHECK(b.s.vault.insurance_paid.units() == 50 * k_usd);
  CHECK(b.s.vault.lp_capital()->units() == 101'003'500'000);
  CHECK(b.s.vault.fees.at("close").charged.units() == 5 * k_usd);
  CHECK(b.s.vault.fees.at("close").forgone.units() == 5 * k_usd);
  CHECK(b.s.vault.unabsorbed.units() == 0);
}

TEST_CASE("DESIGN-risk §3 example: C 1,000, loss 970, keeper 50 → 30 from collateral, shortfall 20",
          "[vault][liquidate][insurance]") {
  // BTC 50,000 → 40,300: loss 5,000 × 19.4% = 970. P = 970; keeper min(50, 30) = 30 from collateral,
  // shortfall 20 from the fund (101 → 81); close fee 5 forgone; LPs + 970.
  Pool b(keeper_config(50 * k_usd));
  const int64_t id = design_position(b);
  b.price("BTC", Price::whole(40'300));
  const auto postings = b.ok(PositionLiquidated{id, "kim"});
  CHECK(posted(postings, "keeper:kim") == 50 * k_usd);
  CHECK(posted(postings, "insurance") == -20 * k_usd);
  CHECK(posted(postings, "lp:senior") == 970 * k_usd);
  CHECK(b.s.vault.insurance.units() == 81 * k_usd);
  CHECK(b.s.vault.insurance_paid.units() == 20 * k_usd);
  CHECK(b.s.vault.fees.at("close").forgone.units() == 5 * k_usd);
}

TEST_CASE("gap past bankruptcy: insurance covers within its limits, the rest is charged to the LPs",
          "[vault][liquidate][insurance]") {
  // keeper 50.000001, loss 1,200 ≥ C → shortfall 50,000,001; fund 101.
  //   the fund gives min(loss, floor(loss × rate / 10^4), max_cover_per_event, balance − floor_balance);
  //   LPs get 1,000 − (50.000001 − cover).
  Config c = keeper_config(50'000'001);
  int64_t cover = 0;
  SECTION("cover_rate_bps 3333: floor(50,000,001 × 3,333 / 10,000) = floor(16,665,000.33) = 16,665,000") {
    c.insurance.cover_rate_bps = Bps{3'333};
    cover = 16'665'000;
  }
  SECTION("max_cover_per_event 25") {
    c.insurance.max_cover_per_event = Usd::whole(25);
    cover = 25 * k_usd;
  }
  SECTION("floor_balance 90: 101 − 90 = 11") {
    c.insurance.floor_balance = Usd::whole(90);
    cover = 11 * k_usd;
  }
  SECTION("all three: min(16.665, 25, 11) = 11") {
    c.insurance.cover_rate_bps = Bps{3'333};
    c.insurance.max_cover_per_event = Usd::whole(25);
    c.insurance.floor_balance = Usd::whole(90);
    cover = 11 * k_usd;
  }
  Pool b(c);
  const int64_t id = design_position(b);
  b.price("BTC", Price::whole(38'000));
  const auto postings = b.ok(PositionLiquidated{id, "kim"});
  CHECK(posted(postings, "keeper:kim") == 50'000'001);
  CHECK(posted(postings, "insurance") == -cover);
  CHECK(posted(postings, "lp:senior") == 1'000 * k_usd - (50'000'001 - cover));
  CHECK(b.s.vault.insurance.units() == 101 * k_usd - cover);
  CHECK(b.s.vault.insurance_paid.units() == cover);
  CHECK(b.s.vault.lp_capital()->units() == 100'003'500'000 + 1'000 * k_usd - (50'000'001 - cover));
  CHECK(b.s.vault.unabsorbed.units() == 0);
}

TEST_CASE("insurance per-market daily cap: the second draw of a day gets what is left of the cap",
          "[vault][liquidate][insurance]") {
  // Code contradicts DESIGN-risk §3 ("max_cover_per_market_per_day − used_today(market)"): liquidate()
  // resets cover_today to {day, cap 0, used 0} on the day's first draw, so a second draw that day sees a
  // cap of 0 − used and gets nothing.
  // keeper 50, cap 5,000 bps of the fund before the day's first draw. Fund 100 + 1 + 1 (two open fees)
  // = 102 → cap floor(102 × 50%) = 51. Two positions as in DESIGN-risk's loss-970 example (shortfall 20
  // each) liquidated the same day: 1st covered 20 (used 20), 2nd covered min(20, 51 − 20) = 20.
  // Fund 102 − 40 = 62; LPs get 970 − 0 each time.
  Config c = keeper_config(50 * k_usd);
  c.insurance.max_cover_per_market_per_day_bps = Bps{5'000};
  Pool b(c);
  b.price("BTC", k_btc);
  b.ok(InsuranceDeposited{Usd::whole(100), "operator"});
  b.deposit("ann", 100'000 * k_usd);
  const int64_t a = b.open("tom", "BTC", Side::long_, 1'005 * k_usd, 5'000 * k_usd);
  const int64_t z = b.open("uma", "BTC", Side::long_, 1'005 * k_usd, 5'000 * k_usd);
  REQUIRE(b.s.vault.insurance.units() == 102 * k_usd);
  b.price("BTC", Price::whole(40'300));
  const auto first = b.ok(PositionLiquidated{a, "kim"});
  CHECK(posted(first, "insurance") == -20 * k_usd);
  const auto second = b.ok(PositionLiquidated{z, "kim"});
  CHECK(posted(second, "insurance") == -20 * k_usd);
  CHECK(posted(second, "lp:senior") == 970 * k_usd);
  CHECK(b.s.vault.insurance.units() == 62 * k_usd);
  CHECK(b.s.vault.cover_today.at("BTC").used.units() == 40 * k_usd);
}

TEST_CASE("a bad debt no layer can absorb is recorded in vault.unabsorbed with a posting to `unabsorbed`",
          "[vault][liquidate][unabsorbed]") {
  // ann 2,000; tom opens size 1,000 with collateral 1,001 (fee 1: LPs 0.7, insurance 0.2, treasury 0.1)
  // → C 1,000; LPs 2,000.7. Then a new config raises the keeper fee to 5,000 (an open that is
  // liquidatable at once is refused, so the fee comes after). Equity 1,000 − close fee 1 = 999 <
  // max(10, 5,000): liquidatable at the entry price. Claim 0; keeper 1,000 from collateral, shortfall
  // 4,000; the fund gives its 0.2; the LPs lose all 2,000.7; unabsorbed 4,000 − 0.2 − 2,000.7 = 1,999.1.
  // Close fee 1 forgone.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 2'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 1'001 * k_usd, 1'000 * k_usd);
  REQUIRE(b.s.vault.lp_capital()->units() == 2'000'700'000);
  b.ok(ConfigApplied{"# keeper fee 5,000", "vault-test-keeper", keeper_config(5'000 * k_usd)});
  const auto postings = b.ok(PositionLiquidated{id, "kim"});
  CHECK(posted(postings, "position:" + std::to_string(id)) == -1'000 * k_usd);
  CHECK(posted(postings, "keeper:kim") == 5'000 * k_usd);
  CHECK(posted(postings, "insurance") == -200'000);
  CHECK(posted(postings, "lp:senior") == -2'000'700'000);
  CHECK(posted(postings, "unabsorbed") == -1'999'100'000);
  CHECK(b.s.vault.unabsorbed.units() == 1'999'100'000);
  CHECK(b.s.vault.lp_capital()->units() == 0);
  CHECK(b.s.vault.insurance.units() == 0);
  CHECK(b.s.vault.fees.at("close").forgone.units() == 1 * k_usd);
  // the vault is now worth 0 with shares outstanding: deposits are refused (DESIGN-risk §4)
  b.refused(LpDeposited{"bob", Usd::whole(100), ""}, ErrorKind::rule);
}

TEST_CASE("a trader profit beyond the LPs' capital is recorded as unabsorbed (trader_pnl)",
          "[vault][close][unabsorbed]") {
  // ann 10,000; tom opens BTC short size 1,000 with collateral 2,001 (fee 1 → C 2,000; reserve 1,000);
  // LPs 10,000.7. BTC 50,000 → 150,000: tom's unrealized loss 2,000 counts as an asset (≤ C):
  //   NAV 12,000.7, free = 12,000.7 − 1,250 = 10,750.7, capped at the cash 10,000.7 → ann may take 10,000.
  // BTC → 25,000: tom's profit 1,000 × 50% = 500 ≤ reserve; close: payout 2,000 + 500 − 1 = 2,499.
  //   LPs 0.7 + close fee 0.7 = 1.4 − 500 < 0 → LPs 0, unabsorbed 498.6.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 10'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::short_, 2'001 * k_usd, 1'000 * k_usd);
  b.price("BTC", Price::whole(150'000));
  CHECK(vault::nav_floor(b.s).value() == Usd(12'000'700'000));
  b.ok(LpWithdrew{"ann", WithdrawBy::amount, Usd::whole(10'000), Shares(0), ""});
  // burned ceil(10^10 × (10^13 + 1,000) / 12,000,700,001) = 8,332,847,250,716
  CHECK(b.s.lps.at(LpKey{"ann"}).shares.units() == 10'000'000'000'000 - 8'332'847'250'716);
  CHECK(b.s.vault.lp_capital()->units() == 700'000);
  b.price("BTC", Price::whole(25'000));
  const auto postings = b.ok(PositionClosed{id, Usd(0)});
  CHECK(posted(postings, "trader:tom") == 2'499 * k_usd);
  CHECK(posted(postings, "unabsorbed") == -498'600'000);
  CHECK(b.s.vault.unabsorbed.units() == 498'600'000);
  CHECK(b.s.vault.lp_capital()->units() == 0);
}

// ---------------------------------------------------------------------------------------------
// LP shares (SPEC §3, DESIGN-risk §9): minted floor(amount × (supply + V) / (NAV + 1)), V = 1,000 units.

TEST_CASE("first deposit mints 1 share per USDC (10^9 units), and the next at the same NAV too",
          "[vault][deposit]") {
  // 1 USDC: floor(1,000,000 × (0 + 1,000) / (0 + 1)) = 10^9 units.
  // then 2 USDC: floor(2,000,000 × (10^9 + 1,000) / (1,000,000 + 1)) = 2,000,000 × 1,000 = 2 × 10^9.
  Pool b;
  const auto postings = b.ok(LpDeposited{"ann", Usd::whole(1), ""});
  CHECK(posted(postings, "lp:senior") == 1 * k_usd);
  CHECK(posted(postings, "depositor:ann") == -1 * k_usd);
  CHECK(b.s.lps.at(LpKey{"ann"}).shares == Shares(1'000'000'000));
  CHECK(b.s.vault.senior().supply == Shares(1'000'000'000));
  CHECK(b.s.vault.lp_capital() == Usd::whole(1));
  b.deposit("bob", 2 * k_usd);
  CHECK(b.s.lps.at(LpKey{"bob"}).shares == Shares(2'000'000'000));
  CHECK(b.s.lps.at(LpKey{"bob"}).deposited == Usd::whole(2));
  CHECK(b.s.vault.senior().supply == Shares(3'000'000'000));
}

TEST_CASE("share inflation: with V = 1,000 a tiny supply cannot cheaply make a victim's deposit mint 0",
          "[vault][deposit]") {
  // mal deposits 1 micro-USDC: floor(1 × 1,000 / 1) = 1,000 units — the smallest supply there is.
  // A donation needs a gain; with NAV 1 micro no position fits (any reserve ≥ 1 > 80% × 1): refused.
  // Victim's 1,000 USDC at NAV 1: floor(10^9 × (1,000 + 1,000) / (1 + 1)) = 10^12 units = 1,000 shares.
  // To make that deposit mint 0 the NAV must reach 10^9 × 2,000 = 2 × 10^12 (2,000,000 USDC): one micro
  // less still mints 1 unit; and the attacker's 1,000 units then redeem only
  // floor(1,000 × (2 × 10^12 + 1) / 2,000) = 10^12 — half the donation stays with the virtual shares,
  // 1,000 times what the victim could lose.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("mal", 1);
  CHECK(b.s.lps.at(LpKey{"mal"}).shares == Shares(1'000));
  b.refused(open_by_size("mal", "BTC", Side::long_, 1 * k_usd, 1), ErrorKind::rule);
  b.deposit("vic", 1'000 * k_usd);
  CHECK(b.s.lps.at(LpKey{"vic"}).shares == Shares(1'000'000'000'000));
  const Shares s(1'000);
  CHECK(vault::shares_minted(Usd::whole(1'000), s, Usd(2'000'000'000'000 - 1)).value() == Shares(1));
  CHECK(vault::shares_minted(Usd::whole(1'000), s, Usd(2'000'000'000'000)).value() == Shares(0));
  CHECK(vault::amount_paid(s, s, Usd(2'000'000'000'000)).value() == Usd(1'000'000'000'000));
}

TEST_CASE("withdraw by amount burns shares rounded up, by shares pays rounded down, --all pays the holding",
          "[vault][withdraw]") {
  // ann 10,000 (10^13 units), bob 5,000 (5 × 10^12); tom opens and closes size 10,000 at the same price:
  //   LPs + 7 + 7 → NAV 15,014, supply 1.5 × 10^13.
  // ann withdraws 1,000: burns ceil(10^9 × (1.5 × 10^13 + 1,000) / 15,014,000,001) = 999,067,536,966
  //   (exactly 999,067,536,965.4989…).
  // bob redeems 10^12 units: NAV 14,014, supply 14,000,932,463,034:
  //   floor(10^12 × 14,014,000,001 / 14,000,932,464,034) = 1,000,933,333 (exactly …333.33…).
  // bob --all (4 × 10^12 units): NAV 13,013.066667 → floor(4 × 10^12 × 13,013,066,668 / 13,000,932,464,034)
  //   = 4,003,733,333.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 10'000 * k_usd);
  b.deposit("bob", 5'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.ok(PositionClosed{id, Usd(0)});
  REQUIRE(b.s.vault.lp_capital()->units() == 15'014 * k_usd);
  REQUIRE(b.s.vault.senior().supply.units() == 15'000'000'000'000);

  auto w1 = b.ok(LpWithdrew{"ann", WithdrawBy::amount, Usd::whole(1'000), Shares(0), ""});
  CHECK(posted(w1, "depositor:ann") == 1'000 * k_usd);
  CHECK(b.s.lps.at(LpKey{"ann"}).shares.units() == 10'000'000'000'000 - 999'067'536'966);
  CHECK(b.s.vault.senior().supply.units() == 15'000'000'000'000 - 999'067'536'966);

  auto w2 = b.ok(LpWithdrew{"bob", WithdrawBy::shares, Usd(0), Shares(1'000'000'000'000), ""});
  CHECK(posted(w2, "depositor:bob") == 1'000'933'333);
  CHECK(b.s.lps.at(LpKey{"bob"}).shares.units() == 4'000'000'000'000);

  auto w3 = b.ok(LpWithdrew{"bob", WithdrawBy::all, Usd(0), Shares(0), ""});
  CHECK(posted(w3, "depositor:bob") == 4'003'733'333);
  CHECK(b.s.lps.at(LpKey{"bob"}).shares.units() == 0);
  CHECK(b.s.lps.at(LpKey{"bob"}).withdrawn.units() == 1'000'933'333 + 4'003'733'333);
  CHECK(b.s.vault.senior().supply.units() == 9'000'932'463'034);
  CHECK(b.s.vault.lp_capital()->units() == 15'014 * k_usd - 1'000 * k_usd - 1'000'933'333 - 4'003'733'333);
  // asking for more than one holds is refused
  b.refused(LpWithdrew{"ann", WithdrawBy::shares, Usd(0), Shares(9'000'932'463'035), ""}, ErrorKind::rule);
  b.refused(LpWithdrew{"bob", WithdrawBy::all, Usd(0), Shares(0), ""}, ErrorKind::input);  // holds nothing now
}

// ---------------------------------------------------------------------------------------------
// Prices (SPEC §3, §10): fresh when age ≤ max_price_age (300 s).

TEST_CASE("stale price: deposit and withdraw refused when a market with open positions is stale",
          "[vault][price]") {
  Pool b;
  b.price("BTC", k_btc);
  b.price("ETH", k_eth);
  b.deposit("ann", 100'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.at(300);  // age 300 = max: fresh
  b.deposit("bob", 1'000 * k_usd);
  b.ok(LpWithdrew{"bob", WithdrawBy::amount, Usd::whole(1), Shares(0), ""});
  b.at(301);  // age 301: stale
  const Error e = b.refused(LpDeposited{"bob", Usd::whole(1'000), ""}, ErrorKind::rule);
  CHECK_THAT(e.message, Contains("BTC price"));
  b.refused(LpWithdrew{"bob", WithdrawBy::amount, Usd::whole(1), Shares(0), ""}, ErrorKind::rule);
  // ETH is stale too but has no open position: a fresh BTC price is enough
  b.price("BTC", k_btc);
  b.deposit("bob", 1'000 * k_usd);
  b.ok(LpWithdrew{"bob", WithdrawBy::all, Usd(0), Shares(0), ""});
}

TEST_CASE("stale price: deposit and withdraw are allowed with no open position", "[vault][price]") {
  Pool b;
  b.price("BTC", k_btc);
  b.at(k_day);
  b.deposit("ann", 1'000 * k_usd);
  b.ok(LpWithdrew{"ann", WithdrawBy::amount, Usd::whole(1), Shares(0), ""});
}

TEST_CASE("stale price: open and close are refused, a market never priced too", "[vault][price]") {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  const Error never = b.refused(open_by_size("tom", "ETH", Side::long_, 500 * k_usd, 1'000 * k_usd), ErrorKind::rule);
  CHECK_THAT(never.message, Contains("never been priced"));
  b.at(301);
  const Error e = b.refused(open_by_size("tom", "BTC", Side::long_, 2'000 * k_usd, 1'000 * k_usd), ErrorKind::rule);
  CHECK_THAT(e.message, Contains("BTC price is"));
  b.refused(PositionClosed{id, Usd(0)}, ErrorKind::rule);
  b.refused(PositionClosed{id, Usd(1'000 * k_usd)}, ErrorKind::rule);
  b.refused(PositionLiquidated{id, "kim"}, ErrorKind::rule);
  b.price("BTC", k_btc);
  b.ok(PositionClosed{id, Usd(0)});
}

// ---------------------------------------------------------------------------------------------
// Refusals change nothing (state.hpp: apply "changes nothing when one fails").

TEST_CASE("a refused vault event leaves the state unchanged, borrow index included", "[vault][refusal]") {
  // 10 days later the index would grow before the event is checked; the refusal must put it back.
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("ann", 100'000 * k_usd);
  const int64_t id = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.refused(PositionClosed{id, Usd(10'000 * k_usd + 1)}, ErrorKind::input);                    // too large
  b.at(10 * k_day);
  const State before = b.s;
  b.refused(PositionClosed{id, Usd(0)}, ErrorKind::rule);                                      // stale
  b.refused(LpDeposited{"bob", Usd::whole(1), ""}, ErrorKind::rule);                               // stale
  b.refused(PositionClosed{id + 100, Usd(0)}, ErrorKind::input);                               // unknown id
  b.refused(LpWithdrew{"zed", WithdrawBy::all, Usd(0), Shares(0), ""}, ErrorKind::input);          // unknown LP
  b.refused(PriceSet{"DOGE", Price::whole(1)}, ErrorKind::input);                              // unknown market
  b.refused(InsuranceDeposited{Usd(0), "operator"}, ErrorKind::input);                         // zero
  CHECK(b.s.vault.borrow_index == before.vault.borrow_index);
  CHECK(b.s.vault.index_at == before.vault.index_at);
  CHECK(unchanged(before, b.s));
  b.now = Timestamp{k_t0 - 1};
  b.refused(PriceSet{"BTC", k_btc}, ErrorKind::rule);  // time runs backwards
}

TEST_CASE("a refused config_applied leaves the state unchanged, borrow index included",
          "[vault][refusal]") {
  // Code contradicts state.hpp's contract: apply() runs vault::accrue before validating a
  // config_applied and returns the validation error without restoring the index, so a refused event
  // 10 days later has grown vault.borrow_index by floor(100 × 864,000 × 10^18 / 315,360,000,000)
  // = 273,972,602,739,726 and moved index_at.
  Pool b;
  b.price("BTC", k_btc);
  b.at(10 * k_day);
  Config bad = base_config();
  bad.fees.split.lp_bps = Bps{6'000};  // 6,000 + 2,000 + 1,000 ≠ 10,000
  const State before = b.s;
  b.refused(ConfigApplied{"# bad", "bad-sha", bad}, ErrorKind::input);
  CHECK(b.s.vault.borrow_index == before.vault.borrow_index);
  CHECK(b.s.vault.index_at == before.vault.index_at);
}

TEST_CASE("the share price per unit and per share are one floor of (NAV + 1) / (supply + V)", "[vault][shares]") {
  using vault::k_virtual_shares;
  constexpr int128 k_e18 = 1'000'000'000'000'000'000;
  for (const int64_t nav : {int64_t{-5}, int64_t{0}, int64_t{1}, int64_t{999'999}, int64_t{100'007'000'000},
                            std::numeric_limits<int64_t>::max() - 1}) {
    for (const int64_t supply : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1'000'000'000}, int64_t{7'777'777'777'777}}) {
      const int128 num = static_cast<int128>(std::max<int64_t>(nav, 0)) + 1;
      const int128 den = static_cast<int128>(supply) + k_virtual_shares;
      CHECK(vault::share_price_floor(Usd(nav), Shares(supply)).units() == num * k_e18 / den);
      const auto per_share = vault::share_price_usd_floor(Usd(nav), Shares(supply));
      const int128 expected = num * Shares::k_scale / den;
      if (expected > std::numeric_limits<int64_t>::max()) {
        CHECK(!per_share);
      } else {
        REQUIRE(per_share);
        CHECK(per_share->units() == expected);
      }
    }
  }
}

TEST_CASE("leverage_exceeds compares size / collateral with the cap, at it not", "[vault][leverage]") {
  // 5,000 on 995 is 5.0251…x: 5.03 holds it, 5.02 does not
  CHECK(!*vault::leverage_exceeds(Usd::whole(5'000), Usd::whole(995), Leverage{503}));
  CHECK(*vault::leverage_exceeds(Usd::whole(5'000), Usd::whole(995), Leverage{502}));
  CHECK(!*vault::leverage_exceeds(Usd::whole(1'000), Usd::whole(100), Leverage{1'000}));
  CHECK(vault::leverage_ceil(Usd::whole(5'000), Usd::whole(995))->hundredths == 503);
}
