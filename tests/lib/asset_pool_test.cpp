// tests/lib/asset_pool_test.cpp: a multi-asset pool's events through apply() (nexadex-assets(7)): the
// page's worked example to the micro-unit with its postings, the refusals (each leaves the state as it
// was), and a property test of long random sequences of deposits and withdrawals in every asset, prices,
// opens, closes and liquidations: per-asset conservation, the books' invariants, every commodity
// balanced in every event, and verify on the journal of the accepted events.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "journal/config_toml.hpp"
#include "lib/asset_books.hpp"
#include "lib/cascade.hpp"
#include "lib/exposure.hpp"
#include "lib/vault.hpp"
#include "expect_ok.hpp"
#include "property_journal.hpp"
#include "property_scale.hpp"
#include "multi_pool.hpp"

namespace nexadex {
namespace {

using test::MultiPool;
using test::k_example;
using test::leg;
using test::balanced;

constexpr int64_t k_t0 = 1'767'225'600;  // 2026-01-01T00:00:00Z

LpAssetDeposited deposit(const std::string& lp, const std::string& amount, const std::string& asset) {
  return LpAssetDeposited{lp, asset, amount, "", Duration{0}, true};
}
LpAssetWithdrew redeem(const std::string& lp, int64_t share_units, const std::string& asset) {
  return LpAssetWithdrew{lp, asset, WithdrawBy::shares, Usd(0), Shares(share_units), ""};
}

}  // namespace

TEST_CASE("nexadex-assets(7)'s worked example through apply, to the micro-unit", "[assets][events]") {
  MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  // 2. alice's 100,000 USDC, the first deposit: no fee, 100,000 shares (10^9 units a share)
  auto legs = p.ok(deposit("alice", "100000", "USDC"));
  CHECK(leg(legs, "lp:senior") == 100'000'000'000);
  CHECK(p.s.lps.at(LpKey{"alice", TrancheId::senior}).shares == Shares(100'000'000'000'000));
  CHECK(p.book("USDC").owned == 100'000'000'000);
  // 3. bob's 1 BTC: F = 130,000 sat (13 bps), F_ins 26,000, F_tre 13,000; D = 59,862.078000,
  //    I = 54.545400 to alice first, then floor(59,862,078,000 × (10^14 + 1000) / (100,054,545,400 + 1))
  //    = 59,829,443,790,566 share units for bob.
  legs = p.ok(deposit("bob", "1", "BTC"));
  CHECK(leg(legs, "depositor:bob:BTC") == -100'000'000);
  CHECK(leg(legs, "pool:BTC") == 99'961'000);
  CHECK(leg(legs, "insurance:BTC") == 26'000);
  CHECK(leg(legs, "treasury:BTC") == 13'000);
  CHECK(leg(legs, "inventory:BTC") == -59'916'623'400);     // −B_BTC: D + I + ε, ε = 0
  CHECK(leg(legs, "lp:senior") == 59'916'623'400);
  CHECK(p.s.lps.at(LpKey{"bob", TrancheId::senior}).shares == Shares(59'829'443'790'566));
  CHECK(p.book("BTC").book == Usd(59'916'623'400));
  CHECK(p.s.vault.fees.at("deposit").to_lps == Usd(54'545'400));
  // 4. BTC to 66,000: B_BTC 65,908.285740, the inventory gain 5,991.662340 in the price event
  legs = p.ok(PriceSet{"BTC", Price::whole(66'000)});
  CHECK(leg(legs, "inventory:BTC") == -5'991'662'340);
  CHECK(leg(legs, "lp:senior") == 5'991'662'340);
  CHECK(p.s.vault.senior().capital == Usd(165'908'285'740));
  // 5. alice redeems 50,000 shares in USDC: V_out 51,901.665239, F = 25,950,833 (5 bps), paid 51,875.714406
  legs = p.ok(redeem("alice", 50'000'000'000'000, "USDC"));
  CHECK(leg(legs, "depositor:alice") == 51'875'714'406);
  CHECK(leg(legs, "insurance") == 5'190'166);
  CHECK(leg(legs, "treasury") == 2'595'083);
  CHECK(p.book("USDC").owned == 48'116'500'345);
  // 6. bob redeems 10,000 shares in BTC at 66,066: G = 15,714,568 sat, F = 34,573 (22 bps), P = 15,679,995;
  //    R = 20.743764 to the LPs who remain; NAV 103,679.500166 = B_USDC + B_BTC
  legs = p.ok(redeem("bob", 10'000'000'000'000, "BTC"));
  CHECK(leg(legs, "depositor:bob:BTC") == 15'679'995);
  CHECK(leg(legs, "pool:BTC") == -(15'714'568 - 24'202));
  CHECK(leg(legs, "inventory:BTC") == 65'908'285'740 - 55'562'999'821);
  CHECK(p.s.vault.senior().capital == Usd(103'679'500'166));
  CHECK(p.book("BTC").owned == 84'270'634);
  CHECK(p.book("BTC").held == 84'320'005);
  CHECK(p.book("BTC").insurance == 32'914);
  CHECK(p.book("BTC").treasury == 16'457);
  CHECK(p.book("USDC").held == 48'124'285'594);
  CHECK(wide_add(WideUsd(p.book("USDC").book), p.book("BTC").book) == WideUsd(Usd(103'679'500'166)));
  // the LPs' values: floor(shares × (NAV + 1) / (supply + 1000))
  auto values = tranche::values(p.s);
  REQUIRE(values.has_value());
  CHECK(test::ok(vault::amount_paid(Shares(50'000'000'000'000), p.s.vault.senior().supply, values->senior)) ==
        Usd(51'928'317'052));
  CHECK(test::ok(vault::amount_paid(Shares(49'829'443'790'566), p.s.vault.senior().supply, values->senior)) ==
        Usd(51'751'183'113));
  CHECK(assets::check_books(*p.s.assets).has_value());
}

TEST_CASE("a multi-asset pool's refusals change nothing", "[assets][events]") {
  MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(deposit("alice", "100000", "USDC"));
  // unknown asset, too many decimals: bad input
  CHECK(p.refused(deposit("bob", "1", "ETH"), ErrorKind::input).message.find("unknown asset 'ETH'") !=
        std::string::npos);
  CHECK(p.refused(deposit("bob", "0.000000001", "BTC"), ErrorKind::input).message.find("at most 8 decimals") !=
        std::string::npos);
  // a plain lp_deposited is not a multi-asset pool's event
  p.refused(LpDeposited{"bob", Usd(1'000'000), ""}, ErrorKind::input);
  // the band: 3 BTC (180,000 of 280,000 = 6428) is inside; 4 BTC (240,000 / 340,000 = 7058) is above max 7000
  const auto band = p.refused(deposit("bob", "4", "BTC"), ErrorKind::rule);
  INFO(band.message);
  CHECK(band.message.find("70.58%") != std::string::npos);
  // a stale BTC price: a deposit of BTC (and of anything, once the pool holds BTC) is refused
  p.now = Timestamp{k_t0 + 600};
  p.refused(deposit("bob", "1", "BTC"), ErrorKind::rule);
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(deposit("bob", "1", "BTC"));
  p.now = Timestamp{k_t0 + 1200};
  p.refused(deposit("carl", "10", "USDC"), ErrorKind::rule);
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  // reserved tokens: tom's long reserves 40,000 of the pool's USDC; a USDC withdrawal that would leave
  // less than that is refused, though the free capital (NAV 159,916 less the backing) would allow it
  p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(10'000'000'000), Usd(40'000'000'000), Leverage{0}, {}, {}});
  const auto e = p.refused(LpAssetWithdrew{"alice", "USDC", WithdrawBy::amount, Usd(70'000'000'000), Shares(0), ""},
                           ErrorKind::rule);
  INFO(e.message);
  CHECK(e.message.find("reserved") != std::string::npos);
  // an open may not reserve more than the pool owns of the settlement asset
  const auto o = p.refused(PositionOpened{"ann", "BTC", Side::short_, Usd(20'000'000'000), Usd(70'000'000'000),
                                          Leverage{0}, {}, {}},
                           ErrorKind::rule);
  INFO(o.message);
  CHECK(o.message.find("settlement asset") != std::string::npos);
}

TEST_CASE("an external loss is lost in the settlement asset, never its reserved tokens", "[assets][events]") {
  MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(deposit("alice", "100000", "USDC"));
  p.ok(deposit("bob", "1", "BTC"));
  p.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(9'500'000'000), Usd(90'000'000'000), Leverage{0}, {}, {}});
  // about 100,063 USDC owned (alice's 100,000 and the LPs' parts of the fees), 90,000 reserved by tom's
  // long: a loss of more than the difference would leave less than the reserves
  const int64_t owned = p.book("USDC").owned;
  const int64_t reserved = p.book("USDC").reserved;
  REQUIRE(reserved == 90'000'000'000);
  const auto e = p.refused(LossApplied{Usd(owned - reserved + 1), "oracle incident"}, ErrorKind::rule);
  CHECK(e.message.find("reserved for open positions") != std::string::npos);
  p.ok(LossApplied{Usd(owned - reserved), "oracle incident"});
  // (the insurance fund, first in cascade.external, took its 18 USDC of the loss out of its own tokens)
  CHECK(p.book("USDC").owned == reserved + 18'000'000);
}

TEST_CASE("a crash of a held asset is an inventory loss through cascade.inventory, junior first",
          "[assets][events]") {
  std::string text = std::string(k_example) + "\n[tranches]\n\n[cascade]\ninventory = [\"junior\", \"senior\"]\n";
  MultiPool p(text.c_str());
  p.ok(PriceSet{"BTC", Price::whole(50'000)});
  p.ok(LpAssetDeposited{"sam", "USDC", "80000", "senior", Duration{0}, true});
  p.ok(LpAssetDeposited{"jill", "USDC", "20000", "junior", Duration{0}, true});
  p.ok(deposit("bob", "1", "BTC"));
  const Usd book = p.book("BTC").book;
  const Usd junior = p.s.vault.junior().capital;
  const Usd senior = p.s.vault.senior().capital;
  // BTC −20%: the low price falls from 49,950 to 39,960 (c = 10 bps): the book loses 20% of itself,
  // about 9,986, less than the junior's 19,918 (its 20,000 less the USDC fee its deposit paid: 60 bps
  // on a pool all USDC, above its 70% max)
  auto legs = p.ok(PriceSet{"BTC", Price::whole(40'000)});
  const Usd loss = test::ok(book - p.book("BTC").book);
  CHECK(leg(legs, "inventory:BTC") == loss.units());
  REQUIRE(p.s.losses.back().kind == "inventory");
  CHECK(p.s.losses.back().total == loss);
  // the junior (20,000 + its part of the fee income) takes the whole loss before the senior
  INFO("junior " << to_string(junior) << " senior " << to_string(senior) << " loss " << to_string(loss) << " now "
                 << to_string(p.s.vault.junior().capital) << " / " << to_string(p.s.vault.senior().capital));
  CHECK(p.s.vault.junior().capital == test::ok(junior - loss));
  CHECK(p.s.vault.senior().capital == senior);
}

TEST_CASE("a config that widens an asset's confidence band books the fall of its low price",
          "[assets][events]") {
  MultiPool p;
  p.ok(PriceSet{"BTC", Price::whole(60'000)});
  p.ok(deposit("alice", "100000", "USDC"));
  p.ok(deposit("bob", "1", "BTC"));
  const Usd before = p.book("BTC").book;   // 0.99961 BTC at 59,940
  std::string wide = k_example;
  wide.replace(wide.find("price_confidence_bps = 10"), 25, "price_confidence_bps = 50");
  auto config = journal::parse_config(wide, "wide.toml");
  REQUIRE(config.has_value());
  // low 60,000 × 9950 / 10^4 = 59,700: B = floor(99,961,000 × 5,970,000,000,000 / 10^10) = 59,676.717000
  auto legs = p.ok(ConfigApplied{wide, "wide", *config});
  CHECK(p.book("BTC").book == Usd(59'676'717'000));
  CHECK(leg(legs, "inventory:BTC") == before.units() - 59'676'717'000);
  CHECK(p.s.losses.back().kind == "inventory");
  // a config without the BTC asset, or without [[assets]], is refused
  const std::string no_btc =
      "[[markets]]\nsymbol = \"BTC\"\n\n[[assets]]\nsymbol = \"USDC\"\nstable = true\ntarget_weight_bps = 10000\n";
  auto removed = journal::parse_config(no_btc, "no-btc.toml");
  REQUIRE(removed.has_value());
  p.refused(ConfigApplied{no_btc, "no-btc", *removed}, ErrorKind::rule);
}

TEST_CASE("random operations on a multi-asset pool keep every asset's books, conservation, the exposure cap "
          "and verify",
          "[assets][property]") {
  // under rules 3 (every reserve in the settlement asset) and rules 4 (asset-backed: BTC's longs reserve
  // BTC, ETH's SOL, their profits paid in those tokens, a third of the longs posting those tokens as
  // collateral, the insurance fund paying in its tokens too; no command writes rules 4 yet, the journal
  // of the accepted events does)
  const int64_t rules = GENERATE(as<int64_t>{}, 3, 4);
  constexpr int64_t k_default_ops = 3'000;
  const uint64_t seed = test::property_seed(20261207);
  const int64_t n = test::property_ops(k_default_ops);
  std::mt19937_64 rng(seed);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const std::string text = R"toml(
[pool]
max_price_age = "1h"

[fees]
open_fee_bps = 10
close_fee_bps = 10
liquidation_fee = "5"
borrow_base_apr_bps = 100
borrow_slope_apr_bps = 2000

[insurance]
target_min = "500"

[tranches]
[tranches.senior]
target_apr_bps = 500

[cascade]
inventory = ["insurance", "junior", "senior"]

[[markets]]
symbol = "BTC"
max_leverage = 10
max_net_exposure_bps = 3000
[[markets]]
symbol = "ETH"
max_leverage = 10
max_profit_bps = 5000

[[assets]]
symbol = "USDC"
decimals = 6
stable = true
target_weight_bps = 4000
max_weight_bps = 9000
add_fee_bps = 5
remove_fee_bps = 5
fee_curve = "optimal"
fee_optimal_bps = 5
fee_max_bps = 60
[[assets]]
symbol = "BTC"
decimals = 8
price = "BTC"
target_weight_bps = 3000
max_weight_bps = 8000
add_fee_bps = 30
remove_fee_bps = 30
fee_curve = "linear"
price_confidence_bps = 25
[[assets]]
symbol = "SOL"
decimals = 9
price = "ETH"
target_weight_bps = 2000
max_weight_bps = 8000
add_fee_bps = 20
remove_fee_bps = 40
price_confidence_bps = 50
[[assets]]
symbol = "USDT"
decimals = 6
stable = true
price = "ETH"
target_weight_bps = 1000
max_weight_bps = 8000
add_fee_bps = 1
)toml";
  auto config = journal::parse_config(text, "property.toml");
  INFO((config ? std::string() : config.error().message));
  REQUIRE(config.has_value());
  State state;
  Timestamp now{k_t0};
  std::vector<Event> accepted;
  const Event genesis{1, now, JournalCreated{text, "test", *config, rules}};
  REQUIRE(apply(state, genesis).has_value());
  accepted.push_back(genesis);
  std::map<std::string, int64_t> price{{"BTC", 65'000'00000000}, {"ETH", 3'000'00000000}};
  const std::vector<std::string> lps{"ann", "ben", "cal", "dee"};
  const std::vector<std::string> symbols{"USDC", "BTC", "SOL", "USDT"};
  const char* tranches[] = {"senior", "junior", ""};
  int refused = 0, deposits = 0, withdrawals = 0, inventory_losses = 0, capped = 0, paid_in_tokens = 0,
      in_tokens = 0, fund_paid_tokens = 0;
  test::OpenIds open_ids;
  for (int64_t step = 1; step <= n; ++step) {
    now.seconds += pick(0, 120);
    EventBody body;
    const int64_t kind = pick(0, 99);
    if (kind < 25) {
      const std::string m = pick(0, 1) ? "BTC" : "ETH";
      const int64_t move = pick(-1500, 1500);
      const int128 next = static_cast<int128>(price[m]) * (10'000 + move) / 10'000;
      price[m] = static_cast<int64_t>(std::max<int128>(100'000'000, next));
      body = PriceSet{m, Price(price[m])};
    } else if (kind < 50) {
      const std::string& a = symbols[static_cast<std::size_t>(pick(0, 3))];
      const int decimals = a == "BTC" ? 8 : a == "SOL" ? 9 : 6;
      // up to about 40,000 USD of the asset
      const int64_t whole = a == "BTC" ? pick(0, 1) : a == "SOL" ? pick(0, 300) : pick(0, 40'000);
      const int64_t frac = pick(0, 999'999);
      std::string amount = std::to_string(whole) + "." + std::string(static_cast<std::size_t>(decimals - 6), '0') +
                           std::string(6 - std::to_string(frac).size(), '0') + std::to_string(frac);
      body = LpAssetDeposited{lps[static_cast<std::size_t>(pick(0, 3))], a, amount, tranches[pick(0, 2)], Duration{0},
                              true};
    } else if (kind < 65) {
      LpAssetWithdrew w{lps[static_cast<std::size_t>(pick(0, 3))], symbols[static_cast<std::size_t>(pick(0, 3))],
                        WithdrawBy::amount, Usd(pick(1, 20'000) * 1'000'000), Shares(0), tranches[pick(0, 2)]};
      const int64_t how = pick(0, 2);
      if (how == 1) w.by = WithdrawBy::shares, w.shares = Shares(pick(1, 20'000) * 1'000'000'000);
      if (how == 2) w.by = WithdrawBy::all;
      body = w;
    } else if (kind < 82) {
      PositionOpened o = test::random_open(pick, 300);
      if (rules >= 4 && o.side == Side::long_ && pick(0, 2) == 0) {
        // A5: the collateral posted in the market's asset (BTC's longs BTC, ETH's SOL), about the same USD
        const bool btc = o.market == "BTC";
        const int decimals = btc ? 8 : 9;
        const int128 units = static_cast<int128>(o.collateral.units()) * pow10(decimals + 2) / price[o.market];
        o.collateral_asset = btc ? "BTC" : "SOL";
        o.collateral_tokens = format_decimal(static_cast<int64_t>(std::max<int128>(units, 1)), decimals);
        o.collateral = Usd();
      }
      body = o;
    } else if (kind < 94) {
      body = test::random_close(state, open_ids, pick, step);
    } else {
      body = test::random_liquidation(state, pick, step);
    }
    INFO("rules " << rules << ", seed " << seed << " (NEXADEX_SEED), step " << step << ", event " << kind_name(body));
    const Event ev{state.head_seq + 1, now, body};
    const State before = state;
    auto result = apply(state, ev);
    if (!result) {
      ++refused;
      INFO(result.error().message);
      REQUIRE(result.error().kind != ErrorKind::journal);
      REQUIRE(states_equal(state, before));
      capped += result.error().message.find("net BTC exposure") != std::string::npos;
      continue;
    }
    // BTC's cap (3000 bps): an accepted open either left the net exposure no further from zero or
    // within 30% of the NAV before it
    if (const auto* o = std::get_if<PositionOpened>(&body); o && o->market == "BTC") {
      const MarketConfig& btc = *state.config.market("BTC");
      auto nav = tranche::pool_nav(before);
      REQUIRE(nav.has_value());
      auto was = exposure::of_market(before, btc, *nav);
      auto now_is = exposure::of_market(state, btc, *nav);
      REQUIRE(was.has_value());
      REQUIRE(now_is.has_value());
      const auto size = [](int128 v) { return v < 0 ? -v : v; };
      const int128 usd = now_is->net_usd ? size(now_is->net_usd->units()) : 0;
      CHECK((size(now_is->net) <= size(was->net) ||
             usd * 10'000 <= int128{3'000} * std::max<int64_t>(nav->units(), 0)));
    }
    REQUIRE(balanced(*result));
    auto books = assets::check_books(*state.assets);
    INFO((books ? std::string() : books.error().message));
    REQUIRE(books.has_value());
    const auto problems = vault::conservation_problems(state);
    INFO((problems.empty() ? std::string() : problems.front().second));
    REQUIRE(problems.empty());
    deposits += std::holds_alternative<LpAssetDeposited>(body);
    withdrawals += std::holds_alternative<LpAssetWithdrew>(body);
    inventory_losses += !state.losses.empty() && state.losses.back().seq == ev.seq &&
                        state.losses.back().kind == "inventory";
    if (std::holds_alternative<PositionOpened>(body)) open_ids.opened(ev.seq);
    if (const auto* o = std::get_if<PositionOpened>(&body); o && !o->collateral_asset.empty()) ++in_tokens;
    for (const Posting& p : *result) {
      paid_in_tokens += p.account.starts_with("trader:") && !assets::token_commodity(p.account).empty();
      fund_paid_tokens += p.account.starts_with("insurance:") && p.amount.is_negative();
    }
    accepted.push_back(ev);
  }
  WARN("assets property: rules " << rules << ", seed " << seed << ", " << n << " operations, " << accepted.size()
                                << " events, " << in_tokens << " opens on collateral in tokens, " << paid_in_tokens
                                << " payouts in tokens, " << fund_paid_tokens << " insurance payments in tokens, " << deposits
                                << " deposits, " << withdrawals << " withdrawals, " << inventory_losses
                                << " inventory losses, " << refused << " refusals (" << capped
                                << " by BTC's exposure cap)");
  CHECK(deposits > n / 20);
  CHECK(withdrawals > n / 60);
  CHECK(inventory_losses > n / 60);
  CHECK(capped > 0);
  if (rules >= 4) {
    CHECK(paid_in_tokens > n / 200);
    CHECK(in_tokens > n / 200);
    CHECK(fund_paid_tokens > n / 200);
  } else {
    CHECK(paid_in_tokens == 0);
    CHECK(fund_paid_tokens == 0);   // rules 3: the fund pays in USD only
  }
  test::journal_and_verify("assets", text, *config, accepted, seed);
}

}  // namespace nexadex
