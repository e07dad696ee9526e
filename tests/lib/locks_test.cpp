// tests/lib/locks_test.cpp: liquidity locks (issue 16; SPEC §5, DESIGN-risk §7-§9): boosted weight,
// the reward-per-weight accumulators, compounding at the moment's price, claims, unlocks at their
// exact time, points. Every number is worked by hand in the comments.
#include <catch2/catch.hpp>

#include "lib/audit.hpp"
#include "lib/locks.hpp"
#include "lib/report.hpp"
#include "expect_ok.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

const Section& section(const Report& r, const std::string& name) {
  for (const auto& s : r.sections) {
    if (s.name == name) return s;
  }
  FAIL("no section " << name << " in report " << r.name);
  throw;
}

const Cell& cell(const Section& s, std::size_t row, const std::string& key) {
  REQUIRE(row < s.rows.size());
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key == key) return s.rows[row][i];
  }
  FAIL("no column " << key << " in section " << s.name);
  throw;
}

// Fees all to the LPs, a 10% open fee so that a 100,000 position pays 10,000, no close or borrow fee,
// prices fresh for 40 days, the SPEC's example tiers.
Config locks_config() {
  Config c = base_config();
  c.fees.open_fee_bps = Bps{1'000};
  c.fees.close_fee_bps = Bps{0};
  c.fees.borrow_base_apr_bps = Bps{0};
  c.fees.borrow_slope_apr_bps = Bps{0};
  c.fees.split = FeeSplit{Bps{10'000}, Bps{0}, Bps{0}};
  c.pool.max_utilization_bps = Bps{10'000};
  c.pool.max_price_age = Duration{40 * k_day};
  c.locks.enabled = true;
  c.locks.tiers = {LockTier{Duration{30 * k_day}, Bps{11'000}}, LockTier{Duration{90 * k_day}, Bps{12'500}},
                   LockTier{Duration{180 * k_day}, Bps{15'000}}, LockTier{Duration{365 * k_day}, Bps{20'000}}};
  return c;
}

LpDeposited lot(const std::string& lp, int64_t usd, int64_t lock_days, bool compound) {
  return LpDeposited{lp, Usd(usd * k_usd), "", Duration{lock_days * k_day}, compound};
}

// The books balance and the claimable accounts hold the unassigned income plus every lot's.
void conserved(const State& s) {
  const auto problems = vault::conservation_problems(s);
  for (const auto& [seq, text] : problems) INFO(text);
  CHECK(problems.empty());
  int64_t claimable = s.vault.senior().unassigned.units();
  for (const auto& [id, l] : s.lots.all) claimable += l.tranche == TrancheId::senior ? l.claimable.units() : 0;
  CHECK(balance(s, "lp:senior:claimable") == claimable);
}

// A 100,000 BTC long paying a 10,000 open fee (collateral 30,000).
void fee_of_10k(Pool& b, const std::string& trader) {
  b.open(trader, "BTC", Side::long_, 30'000 * k_usd, 100'000 * k_usd);
}

const Lot& lot_of(const State& s, int64_t id) { return s.lots.all.at(id); }

}  // namespace

TEST_CASE("boost is zero-sum: lot A ×2.0 and lot B ×1.0 with equal shares share 10,000 as 6,666.666666 and "
          "3,333.333333, the micro-unit of dust in the rounding reserve",
          "[locks]") {
  Pool b(locks_config());
  b.price("BTC", k_btc);
  b.ok(lot("alice", 100'000, 365, false));   // lot 1: 100,000 shares (first deposit), 365d → ×2.0
  b.ok(lot("bob", 100'000, 0, false));       // lot 2: floor(10^11 × (10^14 + 10^3) / (10^11 + 1)) = 10^14 units
  REQUIRE(lot_of(b.s, 1).shares == Shares::whole(100'000));
  REQUIRE(lot_of(b.s, 2).shares == Shares::whole(100'000));
  CHECK(lot_of(b.s, 1).lock_boost == Bps{20'000});
  CHECK(lot_of(b.s, 1).lock_until == Timestamp{k_t0 + 365 * k_day});
  // weights: A floor(10^14 × 20,000 / 10^4) = 2 × 10^14, B 10^14 (share units)
  CHECK(b.s.vault.senior().claiming.weight == int128{300'000'000'000'000});
  b.at(k_day);
  const auto postings = b.ok(PositionOpened{"tom", "BTC", Side::long_, Usd(30'000 * k_usd), Usd(100'000 * k_usd), {}, {}, {}});
  // every lot claims: I_n = floor(10^10 × 3×10^14 / 3×10^14) = all 10,000 to lp:senior:claimable
  CHECK(posted(postings, "lp:senior:claimable") == 10'000 * k_usd);
  CHECK(posted(postings, "lp:senior") == 0);
  // R_n = floor(10^10 × 10^18 / (3 × 10^14)) = 33,333,333,333,333; carry 10^28 − R × 3×10^14 = 10^14
  CHECK(b.s.vault.senior().claiming.reward == int128{33'333'333'333'333});
  CHECK(b.s.vault.senior().claiming.carry == int128{100'000'000'000'000});
  // A: floor(2×10^14 × R / 10^18) = 6,666,666,666; B: floor(10^14 × R / 10^18) = 3,333,333,333
  CHECK(ok(locks::due(b.s, lot_of(b.s, 1))) == 6'666'666'666);
  CHECK(ok(locks::due(b.s, lot_of(b.s, 2))) == 3'333'333'333);
  conserved(b.s);
  b.at(2 * k_day);
  const auto paid_a = b.ok(RewardsClaimed{"alice", Usd(6'666'666'666)});
  CHECK(posted(paid_a, "depositor:alice") == 6'666'666'666);
  CHECK(posted(paid_a, "lp:senior:claimable") == -6'666'666'666);
  b.ok(RewardsClaimed{"bob", Usd(3'333'333'333)});
  // credited 9,999.999999 ≤ distributed 10,000: the micro-unit left is the rounding reserve
  CHECK(b.s.vault.senior().unassigned == Usd(1));
  CHECK(balance(b.s, "lp:senior:claimable") == 1);
  CHECK(lot_of(b.s, 1).claimed == Usd(6'666'666'666));
  conserved(b.s);
  // the share price did not move: fee income went out by weight, not into capital
  CHECK(b.s.vault.senior().capital == Usd(200'000 * k_usd));
  // nothing more to claim: refused, nothing changed
  b.refused(RewardsClaimed{"bob", Usd(1)}, ErrorKind::rule);
  b.refused(RewardsClaimed{"zed", Usd(1)}, ErrorKind::input);
}

TEST_CASE("compounding mints the income as shares at the moment's price, credited to the lots by weight",
          "[locks]") {
  Pool b(locks_config());
  b.price("BTC", k_btc);
  b.ok(lot("alice", 100'000, 365, true));   // ×2.0, weight 2×10^14
  b.ok(lot("bob", 100'000, 0, true));       // ×1.0, weight 10^14
  b.at(k_day);
  fee_of_10k(b, "tom");
  // value before the open 200,000 for 200,000 shares: s = floor(10^10 × (2×10^14 + 10^3) / (2×10^11 + 1))
  // = 10^10 × 10^3 = 10^13 units = 10,000 shares, pending; capital 210,000
  const Tranche& t = b.s.vault.senior();
  CHECK(t.pending == Shares::whole(10'000));
  CHECK(t.supply == Shares::whole(210'000));
  CHECK(t.capital == Usd(210'000 * k_usd));
  // R_c = floor(10^13 × 10^18 / (3×10^14)) = 33,333,333,333,333,333
  CHECK(t.compounding.reward == int128{33'333'333'333'333'333});
  // A: floor(2×10^14 × R_c / 10^18) = 6,666,666,666,666 units = 6,666.666666666 shares; B 3,333.333333333
  CHECK(ok(locks::due(b.s, lot_of(b.s, 1))) == 6'666'666'666'666);
  CHECK(ok(locks::due(b.s, lot_of(b.s, 2))) == 3'333'333'333'333);
  // the price is still 1: 210,000 for 210,000 shares; alice's report shows 106,666.666666666 shares
  const Report lps = ok(lps_report(b.s, b.now));
  CHECK(cell(section(lps, "lps"), 0, "shares").number == 106'666'666'666'666);
  CHECK(cell(section(lps, "lps"), 0, "value").number == 106'666'666'666);
  // bob withdraws everything (unlocked): his lot is credited first, then burned:
  // 103,333.333333333 shares × (210,000 × 10^6 + 1) / (210,000 × 10^9 + 10^3), floored = 103,333.333333
  b.at(2 * k_day);
  b.ok(LpWithdrew{"bob", WithdrawBy::all, {}, {}, ""});
  CHECK(lot_of(b.s, 2).shares.is_zero());
  CHECK(lot_of(b.s, 2).compounded == Shares(3'333'333'333'333));
  CHECK(lot_of(b.s, 2).paid == Usd(103'333'333'333));
  // one share unit of dust stays pending (10^13 − 6,666,666,666,666 − 3,333,333,333,333 = 1) once
  // alice is credited too; until then her 6,666.666666666 are pending
  CHECK(b.s.vault.senior().pending == Shares(6'666'666'666'667));
  conserved(b.s);
}

TEST_CASE("an unlock between two fees: the first is shared with the boost, the second without", "[locks]") {
  Pool b(locks_config());
  b.price("BTC", k_btc);
  b.ok(lot("alice", 100'000, 30, false));   // ×1.1 until day 30: weight 1.1×10^14
  b.ok(lot("bob", 100'000, 0, false));      // weight 10^14
  b.at(k_day);
  const int64_t id = b.open("tom", "BTC", Side::long_, 30'000 * k_usd, 100'000 * k_usd);
  // R1 = floor(10^28 / 2.1×10^14) = 47,619,047,619,047, carry 10^28 − R1 × 2.1×10^14 = 1.3×10^14
  CHECK(b.s.vault.senior().claiming.reward == int128{47'619'047'619'047});
  CHECK(b.s.vault.senior().claiming.carry == int128{130'000'000'000'000});
  b.ok(PositionClosed{id, Usd(0)});   // no close fee, no PnL at the same price
  // alice's lot unlocks at day 30 exactly; a withdrawal a second before is refused, naming the time
  b.at(30 * k_day - 1);
  b.price("BTC", k_btc);
  const Error e = b.refused(LpWithdrew{"alice", WithdrawBy::amount, Usd(k_usd), {}, ""}, ErrorKind::rule);
  CHECK(e.message.find("lot 1 (100000.000000000 shares) unlocks at 2026-01-31T00:00:00Z") != std::string::npos);
  b.refused(LpWithdrew{"alice", WithdrawBy::all, {}, {}, ""}, ErrorKind::rule);
  b.at(31 * k_day);
  b.price("BTC", k_btc);   // processed first: alice credited at day 30 with ×1.1, then weighted ×1.0
  CHECK(lot_of(b.s, 1).unlocked);
  CHECK(lot_of(b.s, 1).claimable == Usd(5'238'095'238));   // floor(1.1×10^14 × R1 / 10^18)
  CHECK(b.s.vault.senior().claiming.weight == int128{200'000'000'000'000});
  b.open("tom", "BTC", Side::long_, 30'000 * k_usd, 100'000 * k_usd);
  // R2 − R1 = floor((10^28 + 1.3×10^14) / 2×10^14) = 5×10^13: 5,000 each
  // alice 5,238.095238 + 5,000 = 10,238.095238; bob floor(10^14 × (R1 + 5×10^13) / 10^18) = 9,761.904761
  const auto parts = ok(locks::claimable(b.s, "alice"));
  CHECK(parts[0] == Usd(10'238'095'238));
  CHECK(ok(locks::claimable(b.s, "bob"))[0] == Usd(9'761'904'761));
  // points: alice 1.1×10^14 × 30 days + 10^14 × 1 day (at its credit at day 30 and the report at 31)
  const int128 pa = ok(locks::points_at(lot_of(b.s, 1), b.now));
  CHECK(pa == int128{110'000'000'000'000} * 30 * k_day + int128{100'000'000'000'000} * k_day);
  // distributed 20,000 = 10,238.095238 + 9,761.904761 + 0.000001 of dust
  b.ok(RewardsClaimed{"alice", parts[0]});
  b.ok(RewardsClaimed{"bob", Usd(9'761'904'761)});
  CHECK(b.s.vault.senior().unassigned == Usd(1));
  conserved(b.s);
}

TEST_CASE("a withdrawal at the unlock second succeeds and takes unlocked lots oldest first", "[locks]") {
  Pool b(locks_config());
  b.price("BTC", k_btc);
  b.ok(lot("alice", 1'000, 0, true));    // lot 1, unlocked
  b.ok(lot("alice", 1'000, 90, true));   // lot 2, ×1.25 until day 90
  b.ok(lot("alice", 1'000, 0, true));    // lot 3, unlocked
  // 1,500 asks for more than the 2,000 unlocked? no: lot 1 then 500 of lot 3
  b.ok(LpWithdrew{"alice", WithdrawBy::amount, Usd(1'500 * k_usd), {}, ""});
  CHECK(lot_of(b.s, 1).shares.is_zero());
  CHECK(lot_of(b.s, 2).shares == Shares::whole(1'000));
  CHECK(lot_of(b.s, 3).shares == Shares::whole(500));
  // 600 more is refused: only 500 unlocked, lot 2 unlocks at day 90
  b.refused(LpWithdrew{"alice", WithdrawBy::amount, Usd(600 * k_usd), {}, ""}, ErrorKind::rule);
  b.at(90 * k_day);
  b.price("BTC", k_btc);
  b.ok(LpWithdrew{"alice", WithdrawBy::all, {}, {}, ""});
  CHECK(b.s.lps.at(LpKey{"alice", TrancheId::senior}).shares.is_zero());
  b.refused(LpWithdrew{"alice", WithdrawBy::all, {}, {}, ""}, ErrorKind::input);
  conserved(b.s);
}

TEST_CASE("without [locks] a lock or --no-compound is refused, and a config dropping [locks] is refused once "
          "there are lots",
          "[locks]") {
  Pool plain;
  plain.price("BTC", k_btc);
  plain.refused(lot("alice", 1'000, 30, true), ErrorKind::input);
  plain.refused(lot("alice", 1'000, 0, false), ErrorKind::input);
  plain.deposit("alice", 1'000 * k_usd);
  CHECK(plain.s.lots.all.empty());
  // adopting [locks]: alice's holding becomes an unlocked compounding lot
  plain.ok(ConfigApplied{"# with locks", "sha-locks", locks_config()});
  REQUIRE(plain.s.lots.all.size() == 1);
  CHECK(lot_of(plain.s, 1).shares == Shares::whole(1'000));
  CHECK(lot_of(plain.s, 1).unlocked);
  CHECK(plain.s.vault.senior().compounding.weight == int128{1'000'000'000'000});
  plain.refused(ConfigApplied{"# without", "sha-plain", base_config()}, ErrorKind::rule);
  // a lock beyond ten years is refused
  plain.refused(lot("bob", 1'000, 3'651, true), ErrorKind::input);
}
