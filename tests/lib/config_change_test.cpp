// tests/lib/config_change_test.cpp: what a new config does to open positions, and what config apply
// refuses (issue 12, item 1), with the margins computed by hand.
#include <catch2/catch.hpp>

#include "lib/config_change.hpp"
#include "tests/lib/pool_fixture.hpp"

namespace nexadex::test {
namespace {

// BTC at 50,000, 100,000 deposited, one long of size 5,000 on 1,000 of collateral.
// Open fee 5,000 × 10 bps = 5 → collateral 995 (LPs 3.5, insurance 1, treasury 0.5).
// At the entry price: equity = 995 + 0 − close fee 5,000 × 10 bps (5) − borrow 0 = 990;
// threshold = max(ceil(5,000 × 100 / 10^4) = 50, liquidation fee 5) = 50: healthy.
struct OnePosition {
  Pool pool;
  int64_t id = 0;
  OnePosition() {
    pool.price("BTC", k_btc);
    pool.deposit("alice", 100'000 * k_usd);
    id = pool.open("bob", "BTC", Side::long_, 1'000 * k_usd, 5'000 * k_usd);
  }
  ConfigEffects effects(const Config& next) {
    auto fx = config_effects(pool.s, next);
    REQUIRE(fx.has_value());
    return *fx;
  }
};

}  // namespace

TEST_CASE("a higher maintenance margin that puts a position below it is found, equality stays healthy",
          "[config_change]") {
  OnePosition p;
  Config next = base_config();
  // 5,000 × 1,980 bps = 990.000000 = equity: not liquidatable (equity < threshold is the rule)
  next.markets[0].maintenance_margin_bps = Bps{1'980};
  CHECK(p.effects(next).made_liquidatable.empty());
  // 5,000 × 1,981 bps = 990.500000 > 990: liquidatable
  next.markets[0].maintenance_margin_bps = Bps{1'981};
  const auto fx = p.effects(next);
  CHECK(fx.made_liquidatable == std::vector<int64_t>{p.id});
  CHECK(fx.open_positions == 1);
  const auto refusal = check_config_change(fx, Force::no);
  REQUIRE_FALSE(refusal.has_value());
  CHECK(refusal.error().kind == ErrorKind::rule);
  CHECK(refusal.error().message.find("make 1 open position liquidatable at the current prices (" +
                                     std::to_string(p.id) + ")") != std::string::npos);
  CHECK(check_config_change(fx, Force::yes).has_value());
}

TEST_CASE("a higher liquidation fee that passes a position's equity is found", "[config_change]") {
  OnePosition p;
  Config next = base_config();
  next.fees.liquidation_fee = Usd::whole(990);   // threshold 990 = equity: healthy
  CHECK(p.effects(next).made_liquidatable.empty());
  next.fees.liquidation_fee = Usd(990'000'001);  // one micro-unit above the equity
  CHECK(p.effects(next).made_liquidatable == std::vector<int64_t>{p.id});
}

TEST_CASE("a position already liquidatable is not counted as made liquidatable by the change", "[config_change]") {
  OnePosition p;
  // long from 50,000; at 40,500 the loss is 5,000 × 9,500 / 50,000 = 950: equity 990 − 950 = 40 < 50,
  // liquidatable under the config in force already
  p.pool.price("BTC", Price::whole(40'500));
  Config next = base_config();
  next.markets[0].maintenance_margin_bps = Bps{200};
  CHECK(p.effects(next).made_liquidatable.empty());
}

TEST_CASE("a lower max leverage below an open position's size / collateral is found, at it, not", "[config_change]") {
  OnePosition p;
  Config next = base_config();
  // leverage 5,000 / 995 = 5.0251…: a cap of 5.03 holds it (503 × 995 = 500,485 ≥ 500,000) ...
  next.markets[0].max_leverage = Leverage{503};
  CHECK(p.effects(next).above_max_leverage.empty());
  // ... 5.02 does not (502 × 995 = 499,490 < 500,000)
  next.markets[0].max_leverage = Leverage{502};
  const auto fx = p.effects(next);
  CHECK(fx.above_max_leverage == std::vector<int64_t>{p.id});
  CHECK_FALSE(check_config_change(fx, Force::no).has_value());
  CHECK(check_config_change(fx, Force::yes).has_value());
}

TEST_CASE("a lower utilization cap below the pool's utilization is found, at it, not", "[config_change]") {
  OnePosition p;
  // reserved 5,000 (profit cap 100%); NAV 100,000 + 3.5 (the LPs' part of the open fee) at the entry
  // price: utilization ceil(5,000 × 10^4 / 100,003.5) = ceil(499.98) = 500 bps
  Config next = base_config();
  next.pool.max_utilization_bps = Bps{500};
  auto fx = p.effects(next);
  CHECK(fx.utilization_bps == 500);
  CHECK_FALSE(fx.utilization_over);
  next.pool.max_utilization_bps = Bps{499};
  fx = p.effects(next);
  CHECK(fx.utilization_over);
  const auto refusal = check_config_change(fx, Force::no);
  REQUIRE_FALSE(refusal.has_value());
  CHECK(refusal.error().message.find("utilization of 500 bps above the new max_utilization_bps of 499") !=
        std::string::npos);
  // a higher cap never counts, whatever the utilization
  Pool busy;
  CHECK_FALSE(config_effects(busy.s, next).value().utilization_over);
}

TEST_CASE("dropping a market with open positions is refused even with --force, without any, it is allowed",
          "[config_change]") {
  OnePosition p;
  Config next = base_config();
  next.markets.erase(next.markets.begin());   // BTC
  auto fx = p.effects(next);
  REQUIRE(fx.dropped_markets.size() == 1);
  CHECK(fx.dropped_markets[0] == std::pair<std::string, int64_t>{"BTC", 1});
  for (const Force force : {Force::no, Force::yes}) {
    const auto refusal = check_config_change(fx, force);
    REQUIRE_FALSE(refusal.has_value());
    CHECK(refusal.error().kind == ErrorKind::rule);
    CHECK(refusal.error().message.find("drops BTC (1 open position)") != std::string::npos);
  }
  // ETH has no open position: dropping it is fine
  Config no_eth = base_config();
  no_eth.markets.pop_back();
  fx = p.effects(no_eth);
  CHECK(fx.dropped_markets.empty());
  CHECK(check_config_change(fx, Force::no).has_value());
}

TEST_CASE("a config without [tranches] while junior shares are outstanding is refused", "[config_change]") {
  Config tranched = base_config();
  tranched.tranches.enabled = true;
  Pool pool(tranched);
  pool.price("BTC", k_btc);
  pool.ok(LpDeposited{"jack", Usd::whole(1'000), "junior"});
  auto fx = config_effects(pool.s, base_config());
  REQUIRE(fx.has_value());
  CHECK(fx->junior_stranded == Shares::whole(1'000));
  CHECK_FALSE(check_config_change(*fx, Force::yes).has_value());
}

TEST_CASE("a config that changes nothing that matters is accepted without --force", "[config_change]") {
  OnePosition p;
  Config next = base_config();
  next.fees.open_fee_bps = Bps{20};   // new positions only
  const auto fx = p.effects(next);
  CHECK(fx.made_liquidatable.empty());
  CHECK(fx.above_max_leverage.empty());
  CHECK_FALSE(fx.utilization_over);
  CHECK(check_config_change(fx, Force::no).has_value());
}

}  // namespace nexadex::test
