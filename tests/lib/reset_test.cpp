// tests/lib/reset_test.cpp: a pool whose NAV reached 0 starts again (issue 12, item 5): a wiped tranche
// (shares outstanding, realized capital 0, virtual NAV 0, no trader profit beyond every layer) is
// reset by a tranche_reset event, and the next deposit is a first deposit.
#include <catch2/catch.hpp>

#include "lib/report.hpp"
#include "lib/tranche.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

std::vector<TrancheId> wiped(const State& s) {
  auto w = tranche::wiped(s);
  REQUIRE(w.has_value());
  return *w;
}

}  // namespace

TEST_CASE("an external loss that takes a single-tranche pool to 0 wipes it, the reset cancels every holding and "
          "the next deposit is a first deposit",
          "[tranche][reset]") {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("alice", 1'000 * k_usd);   // 1,000 shares (first deposit: 1 share per USDC)
  b.deposit("bob", 500 * k_usd);       // 500 shares at price 1
  CHECK(wiped(b.s).empty());
  // a loss of 2,000 through external = [insurance (0), junior (empty), senior (1,500)]: 500 unabsorbed
  b.ok(LossApplied{Usd::whole(2'000), "oracle incident"});
  CHECK(b.s.vault.senior().capital.is_zero());
  CHECK(b.s.vault.unabsorbed == Usd::whole(500));
  CHECK(b.s.vault.senior().supply == Shares::whole(1'500));
  // before the reset a deposit is refused: the price of a share is 0 / 1,500 (not defined)
  b.refused(LpDeposited{"carol", Usd::whole(100), ""}, ErrorKind::rule);
  REQUIRE(wiped(b.s) == std::vector<TrancheId>{TrancheId::senior});
  auto follow = follow_up_events(b.s);
  REQUIRE(follow.has_value());
  REQUIRE(follow->size() == 1);
  const auto& reset = std::get<TrancheReset>(follow->front());
  CHECK(reset.tranche == "senior");
  CHECK(reset.shares == Shares::whole(1'500));
  // a reset naming another supply, or an unknown tranche, is refused and changes nothing
  b.refused(TrancheReset{"senior", Shares::whole(1'499)}, ErrorKind::rule);
  b.refused(TrancheReset{"mezzanine", Shares::whole(1'500)}, ErrorKind::input);
  const auto postings = b.ok(reset);
  CHECK(postings.empty());   // no money moves
  CHECK(b.s.vault.senior().supply.is_zero());
  CHECK(b.s.vault.senior().resets == 1);
  CHECK(b.s.lps.at(LpKey{"alice", TrancheId::senior}).shares.is_zero());
  CHECK(b.s.lps.at(LpKey{"alice", TrancheId::senior}).cancelled == WideShares(Shares::whole(1'000)));
  CHECK(b.s.lps.at(LpKey{"bob", TrancheId::senior}).cancelled == WideShares(Shares::whole(500)));
  CHECK(wiped(b.s).empty());
  // twice is refused: the tranche has no shares left
  b.refused(TrancheReset{"senior", Shares(0)}, ErrorKind::rule);
  // first deposit again: floor(100,000,000 × (0 + 1,000) / (0 + 1)) = 100,000,000,000 units = 100 shares
  b.deposit("carol", 100 * k_usd);
  CHECK(b.s.lps.at(LpKey{"carol", TrancheId::senior}).shares == Shares::whole(100));
  CHECK(b.s.vault.senior().capital == Usd::whole(100));
  CHECK(b.s.vault.unabsorbed == Usd::whole(500));   // the old loss stays on the books
}

TEST_CASE("an LP's cancelled shares are summed on 128 bits: repeated wipe-outs past 64 bits refuse no loss",
          "[tranche][reset]") {
  // Found by the tranche property test's long mode (NEXADEX_PROPERTY_OPS=21026): a loss was refused
  // because the sum of an LP's cancelled shares left 64 bits. Each reset cancels at most one supply
  // (< 2^63 units), but the sum over resets has no such bound.
  Pool b;
  b.price("BTC", k_btc);
  // first deposit: 9,000,000,000 USDC -> 9,000,000,000 shares = 9 × 10^18 units (int64 max ≈ 9.22 × 10^18)
  const int64_t big = 9'000'000'000 * k_usd;
  for (int round = 1; round <= 3; ++round) {
    b.deposit("alice", big);
    // a loss of all of it wipes the senior (no junior, no insurance); the reset cancels alice's shares
    b.ok(LossApplied{Usd(big), "oracle incident"});
    auto follow = follow_up_events(b.s);
    REQUIRE(follow.has_value());
    REQUIRE(follow->size() == 1);
    b.ok(follow->front());
  }
  // 3 × 9 × 10^18 = 27 × 10^18 units, past int64's 9.22 × 10^18
  const auto& alice = b.s.lps.at(LpKey{"alice", TrancheId::senior});
  CHECK(alice.cancelled == WideShares(int128{27'000'000'000} * 1'000'000'000));
  CHECK(alice.shares.is_zero());
  CHECK(b.s.vault.senior().resets == 3);
  // and report lps shows it: 27,000,000,000 shares
  auto r = lps_report(b.s, Timestamp{});
  REQUIRE(r.has_value());
  bool shown = false;
  for (const auto& sec : r->sections) {
    for (std::size_t c = 0; c < sec.columns.size(); ++c) {
      if (sec.columns[c].key != "cancelled_shares") continue;
      for (const auto& row : sec.rows) {
        if (row[0].text == "alice") {
          CHECK(row[c].number == int128{27'000'000'000} * 1'000'000'000);
          shown = true;
        }
      }
    }
  }
  CHECK(shown);
}

TEST_CASE("capital 0 with traders behind is not wiped: the holders keep the unrealized gain, and deposits are priced "
          "by it",
          "[tranche][reset]") {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("alice", 100'000 * k_usd);
  // long 10,000 on 2,000 at 50,000: open fee 10 (LPs 7) → collateral 1,990
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  // at 45,000 tom loses 10,000 × 5,000 / 50,000 = 1,000 (within his collateral): U = +1,000
  b.price("BTC", Price::whole(45'000));
  // capital 100,007 taken to 0 by a loss of 200,000 (99,993 unabsorbed)
  b.ok(LossApplied{Usd::whole(200'000), "hack"});
  CHECK(b.s.vault.senior().capital.is_zero());
  CHECK(wiped(b.s).empty());
  // the senior's virtual NAV is tom's unrealized loss of 1,000: alice's shares are worth that
  const auto v = tranche::values(b.s);
  REQUIRE(v.has_value());
  CHECK(v->senior == Usd(1'000 * k_usd));
  b.refused(TrancheReset{"senior", b.s.vault.senior().supply}, ErrorKind::rule);
}

TEST_CASE("capital 0 while traders hold profit beyond every layer is not reset until that profit is gone",
          "[tranche][reset]") {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("alice", 100'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  // at 55,000 tom is ahead by 10,000 × 5,000 / 50,000 = 1,000: U = −1,000
  b.price("BTC", Price::whole(55'000));
  b.ok(LossApplied{Usd::whole(200'000), "hack"});
  CHECK(b.s.vault.senior().capital.is_zero());
  // a first deposit now would pay tom's 1,000 at once: no reset
  const auto v = tranche::values(b.s);
  REQUIRE(v.has_value());
  CHECK(v->uncovered == Usd(1'000 * k_usd));
  CHECK(wiped(b.s).empty());
  // back at the entry price the profit is gone: wiped
  b.price("BTC", k_btc);
  CHECK(wiped(b.s) == std::vector<TrancheId>{TrancheId::senior});
}
