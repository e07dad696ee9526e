// tests/lib/tranche_test.cpp: the tranche rules (lib/tranche.hpp) with hand-computed numbers.
#include <catch2/catch.hpp>

#include "lib/tranche.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

Config tranche_config(int64_t target_apr_bps, int64_t min_junior_bps) {
  Config c = base_config();
  c.tranches.enabled = true;
  c.tranches.senior_target_apr_bps = Bps{target_apr_bps};
  c.tranches.min_junior_ratio_bps = Bps{min_junior_bps};
  return c;
}

void deposit_in(Pool& b, const std::string& lp, int64_t micro, const char* tranche) {
  b.ok(LpDeposited{lp, Usd(micro), tranche});
}

const Event& no_event() {
  static const Event ev{1'000, Timestamp{k_t0}, LossApplied{Usd(1), "test"}};
  return ev;
}

}  // namespace

TEST_CASE("the senior target accrued over many small steps equals one long accrual exactly", "[tranche]") {
  // 800,000 USD at 600 bps for 30 days: 800,000 × 0.06 × 30 / 365 = 3,945.205479452… → 3,945.205479
  Pool one(tranche_config(600, 0));
  one.price("BTC", k_btc);
  deposit_in(one, "sam", 800'000 * k_usd, "senior");
  one.at(30 * k_day);
  one.price("BTC", k_btc);
  CHECK(one.s.vault.senior().unpaid_target.units() == 3'945'205'479);
  // the same 30 days in 2,592 steps of 1,000 s and one of 0: every remainder carried, nothing lost
  Pool many(tranche_config(600, 0));
  many.price("BTC", k_btc);
  deposit_in(many, "sam", 800'000 * k_usd, "senior");
  for (int64_t t = 1'000; t <= 30 * k_day; t += 1'000) {
    many.at(t);
    many.price("BTC", k_btc);
  }
  many.at(30 * k_day);
  many.price("BTC", k_btc);
  CHECK(many.s.vault.senior().unpaid_target == one.s.vault.senior().unpaid_target);
  CHECK(many.s.vault.senior().accrual_remainder == one.s.vault.senior().accrual_remainder);
}

TEST_CASE("a gain smaller than the unpaid target goes to the senior, the rest of the target stays unpaid", "[tranche]") {
  Pool b(tranche_config(600, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "jill", 200'000 * k_usd, "junior");
  deposit_in(b, "sam", 800'000 * k_usd, "senior");
  b.at(30 * k_day);
  b.price("BTC", k_btc);
  REQUIRE(b.s.vault.senior().unpaid_target.units() == 3'945'205'479);
  // open fee of a 100,000 position at 10 bps: 100; LP part 70% = 70 < 3,945.205479
  b.open("tom", "BTC", Side::long_, 20'000 * k_usd, 100'000 * k_usd);
  CHECK(b.s.vault.senior().capital.units() == 800'070 * k_usd);
  CHECK(b.s.vault.junior().capital.units() == 200'000 * k_usd);
  CHECK(b.s.vault.senior().unpaid_target.units() == 3'945'205'479 - 70 * k_usd);
}

TEST_CASE("a gain with no junior shares goes wholly to the senior", "[tranche]") {
  Pool b(tranche_config(600, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "sam", 800'000 * k_usd, "senior");
  b.open("tom", "BTC", Side::long_, 20'000 * k_usd, 100'000 * k_usd);   // LP fee 70, target 0 so far
  CHECK(b.s.vault.senior().capital.units() == 800'070 * k_usd);
  CHECK(b.s.vault.junior().capital.units() == 0);
}

TEST_CASE("a loss larger than insurance, junior and senior leaves the rest unabsorbed", "[tranche]") {
  Pool b(tranche_config(0, 0));
  b.price("BTC", k_btc);
  b.ok(InsuranceDeposited{Usd(1'000 * k_usd), "dao"});
  deposit_in(b, "jill", 2'000 * k_usd, "junior");
  deposit_in(b, "sam", 3'000 * k_usd, "senior");
  // external: insurance 1,000, junior 2,000, senior 3,000, unabsorbed 10,000 − 6,000 = 4,000
  const auto postings = b.ok(LossApplied{Usd(10'000 * k_usd), "oracle incident"});
  CHECK(posted(postings, "insurance") == -1'000 * k_usd);
  CHECK(posted(postings, "lp:junior") == -2'000 * k_usd);
  CHECK(posted(postings, "lp:senior") == -3'000 * k_usd);
  CHECK(posted(postings, "unabsorbed") == -4'000 * k_usd);
  CHECK(b.s.vault.unabsorbed.units() == 4'000 * k_usd);
  REQUIRE(b.s.losses.size() == 1);
  CHECK(b.s.losses[0].legs.back().layer == "unabsorbed");
  // the junior was taken to 0 with shares outstanding: reset, its 2,000 shares cancelled
  CHECK(b.s.vault.junior().supply.units() == 0);
  CHECK(b.s.lps.at(LpKey{"jill", TrancheId::junior}).cancelled.units() == 2'000'000'000'000);
  CHECK(b.s.losses[0].junior_cancelled.units() == 2'000'000'000'000);
}

TEST_CASE("an acknowledgement takes exactly the unabsorbed losses outstanding and moves no money", "[tranche]") {
  Pool b(tranche_config(0, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "sam", 3'000 * k_usd, "senior");
  b.refused(LossAcknowledged{Usd(1), "nothing yet"}, ErrorKind::rule);
  // 5,000 − senior 3,000 = 2,000 unabsorbed
  b.ok(LossApplied{Usd(5'000 * k_usd), "incident"});
  CHECK(b.s.vault.unacknowledged()->units() == 2'000 * k_usd);
  b.refused(LossAcknowledged{Usd(2'000 * k_usd - 1), "one micro-unit short"}, ErrorKind::rule);
  b.refused(LossAcknowledged{Usd(2'000 * k_usd + 1), "one micro-unit over"}, ErrorKind::rule);
  b.refused(LossAcknowledged{Usd(2'000 * k_usd), ""}, ErrorKind::input);
  const auto postings = b.ok(LossAcknowledged{Usd(2'000 * k_usd), "covered by the treasury"});
  CHECK(postings.empty());
  CHECK(b.s.vault.unabsorbed.units() == 2'000 * k_usd);   // the loss stays in the books
  CHECK(b.s.vault.acknowledged.units() == 2'000 * k_usd);
  CHECK(b.s.vault.unacknowledged()->units() == 0);
  b.refused(LossAcknowledged{Usd(2'000 * k_usd), "twice"}, ErrorKind::rule);
  // every layer is empty now: a further 700 is all unabsorbed, and only it is outstanding
  b.ok(LossApplied{Usd(700 * k_usd), "second incident"});
  CHECK(b.s.vault.unacknowledged()->units() == 700 * k_usd);
  b.ok(LossAcknowledged{Usd(700 * k_usd), "also covered"});
  CHECK(b.s.vault.acknowledged.units() == 2'700 * k_usd);
}

TEST_CASE("a deposit into a nearly worthless tranche whose shares or supply would not fit is refused by rule", "[tranche]") {
  Pool b(tranche_config(0, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "sam", 800'000 * k_usd, "senior");
  // 800,000 − 799,999.999999: the senior keeps 1 micro-unit under 800,000 shares (8 × 10^14 units)
  b.ok(LossApplied{Usd(800'000 * k_usd - 1), "incident"});
  CHECK(b.s.vault.senior().capital.units() == 1);
  // shares = 17,250 × 10^6 × (8 × 10^14 + 1,000) / (1 + 1) ≈ 6.9 × 10^24 > 2^63: no overflow error
  // (exit 1) but a refusal that names the NAV (exit 2)
  const Error e = b.refused(LpDeposited{"cy", Usd(17'250 * k_usd), "senior"}, ErrorKind::rule);
  CHECK(e.message.find("NAV is 0.000001") != std::string::npos);
  // 0.023058 mints 23,058 × (8 × 10^14 + 1,000) / 2 = 9,223,200,000,011,529,000 units, which fits, but
  // the supply would be 8 × 10^14 more, 9,224,000,000,011,529,000 > 2^63 − 1: refused the same way
  b.refused(LpDeposited{"cy", Usd(23'058), "senior"}, ErrorKind::rule);
  // withdrawing 17,746 would burn 17,746 × 10^6 × (8 × 10^14 + 1,000) / 2 ≈ 7.1 × 10^24 units, past 64
  // bits and more than sam's 8 × 10^14: the refusal for asking more than the holding is worth
  const Error w = b.refused(LpWithdrew{"sam", WithdrawBy::amount, Usd(17'746 * k_usd), Shares(0), "senior"},
                            ErrorKind::rule);
  CHECK(w.message.find("withdraw at most that") != std::string::npos);
  // 1 micro-unit mints floor(1 × (8 × 10^14 + 1,000) / 2) ≈ 4 × 10^14 share units: that fits, and is accepted
  b.ok(LpDeposited{"cy", Usd(1), "senior"});
}

TEST_CASE("insurance covers within its per-event cap and its per-market daily cap", "[tranche]") {
  Config c = tranche_config(0, 0);
  c.insurance.max_cover_per_event = Usd(300 * k_usd);
  c.insurance.max_cover_per_market_per_day_bps = Bps{500};    // 5% of the balance at the day's first draw
  Pool b(c);
  b.price("BTC", k_btc);
  b.ok(InsuranceDeposited{Usd(10'000 * k_usd), "dao"});
  deposit_in(b, "jill", 5'000 * k_usd, "junior");
  deposit_in(b, "sam", 5'000 * k_usd, "senior");
  std::vector<Posting> postings;
  // bad debt of 1,000 in BTC: min(1,000, cap 300, day cap 5% × 10,000 = 500) = 300, junior 700
  auto r1 = tranche::absorb_loss(b.s, LossKind::bad_debt, Usd(1'000 * k_usd), "BTC", no_event(), postings);
  REQUIRE(r1.has_value());
  CHECK((*r1)->legs.at(0).layer == "insurance");
  CHECK((*r1)->legs.at(0).amount.units() == 300 * k_usd);
  CHECK((*r1)->legs.at(1).amount.units() == 700 * k_usd);
  // the same day: 500 − 300 = 200 left of the day's cap
  auto r2 = tranche::absorb_loss(b.s, LossKind::bad_debt, Usd(1'000 * k_usd), "BTC", no_event(), postings);
  REQUIRE(r2.has_value());
  CHECK((*r2)->legs.at(0).amount.units() == 200 * k_usd);
  // another market has its own cap: 5% of the balance now, 9,500 → 475, then the per-event 300
  auto r3 = tranche::absorb_loss(b.s, LossKind::bad_debt, Usd(1'000 * k_usd), "ETH", no_event(), postings);
  REQUIRE(r3.has_value());
  CHECK((*r3)->legs.at(0).amount.units() == 300 * k_usd);
  // an external loss has no market: no daily cap, the per-event cap holds
  auto r4 = tranche::absorb_loss(b.s, LossKind::external, Usd(1'000 * k_usd), "", no_event(), postings);
  REQUIRE(r4.has_value());
  CHECK((*r4)->legs.at(0).amount.units() == 300 * k_usd);
  CHECK(b.s.vault.insurance.units() == (10'000 - 300 - 200 - 300 - 300) * k_usd);
}

TEST_CASE("subordination allows a senior deposit at the exact minimum and refuses one micro-unit past", "[tranche]") {
  Pool b(tranche_config(0, 2000));
  b.price("BTC", k_btc);
  deposit_in(b, "jill", 200'000 * k_usd, "junior");
  // J / (J + S + amount) ≥ 20%: 200,000 / (200,000 + 800,000) = 20% exactly is allowed
  const Error e = b.refused(LpDeposited{"sam", Usd(800'000 * k_usd + 1), "senior"}, ErrorKind::rule);
  CHECK_THAT(e.message, Catch::Contains("from 100.00% to 19.99%") && Catch::Contains("minimum 20.00%"));
  deposit_in(b, "sam", 800'000 * k_usd, "senior");
  // a junior withdrawal of 1 micro-unit now breaks it: (200,000 − 0.000001) / 999,999.999999 < 20%
  b.refused(LpWithdrew{"jill", WithdrawBy::amount, Usd(1), Shares(0), "junior"}, ErrorKind::rule);
  // a senior withdrawal improves the ratio, a junior deposit too
  b.ok(LpWithdrew{"sam", WithdrawBy::amount, Usd(5 * k_usd), Shares(0), "senior"});
  deposit_in(b, "jill", 1 * k_usd, "junior");
  // senior capacity: J × (10^4 − 2,000) / 2,000 − S = 200,001 × 4 − 799,995 = 9 USD
  auto v = tranche::values(b.s);
  REQUIRE(v.has_value());
  CHECK(tranche::senior_capacity(b.s, *v) == Usd(9 * k_usd));
}

TEST_CASE("a junior reset by a loss, then the next junior deposit is a first deposit", "[tranche]") {
  Pool b(tranche_config(0, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "jill", 1'000 * k_usd, "junior");
  deposit_in(b, "sam", 9'000 * k_usd, "senior");
  // external, no insurance: the junior takes 1,000 (to 0: reset), the senior 500
  b.ok(LossApplied{Usd(1'500 * k_usd), "incident"});
  CHECK(b.s.vault.junior().capital.units() == 0);
  CHECK(b.s.vault.junior().supply.units() == 0);
  CHECK(b.s.vault.junior().resets == 1);
  CHECK(b.s.vault.senior().capital.units() == 8'500 * k_usd);
  b.refused(LpWithdrew{"jill", WithdrawBy::all, Usd(0), Shares(0), "junior"}, ErrorKind::input);
  // 1 share per USDC again: 500 USD → 500 × (0 + 1,000) / (0 + 1) = 500,000 units of 10^-9... × 10^3
  deposit_in(b, "kai", 500 * k_usd, "junior");
  CHECK(b.s.lps.at(LpKey{"kai", TrancheId::junior}).shares.units() == 500'000'000'000);
  CHECK(b.s.vault.junior().capital.units() == 500 * k_usd);
}

TEST_CASE("without tranches the junior refuses deposits and every loss falls on the senior", "[tranche]") {
  Pool b;
  b.price("BTC", k_btc);
  b.refused(LpDeposited{"jill", Usd(100 * k_usd), "junior"}, ErrorKind::input);
  b.refused(LpDeposited{"jill", Usd(100 * k_usd), "mezzanine"}, ErrorKind::input);
  b.deposit("sam", 1'000 * k_usd);
  const auto postings = b.ok(LossApplied{Usd(100 * k_usd), "incident"});
  CHECK(posted(postings, "lp:senior") == -100 * k_usd);
  CHECK(b.s.vault.senior().capital.units() == 900 * k_usd);
}

TEST_CASE("unrealized trader profit lowers the junior first, unrealized loss pays the senior's target first", "[tranche]") {
  Pool b(tranche_config(600, 0));
  b.price("BTC", k_btc);
  deposit_in(b, "jill", 200'000 * k_usd, "junior");
  deposit_in(b, "sam", 800'000 * k_usd, "senior");
  auto ahead = tranche::values_given(b.s, Usd(-250'000 * k_usd));   // traders ahead by 250,000
  REQUIRE(ahead.has_value());
  CHECK(ahead->junior == Usd(0));
  CHECK(ahead->senior == Usd(750'000 * k_usd));
  b.at(30 * k_day);
  b.price("BTC", k_btc);   // unpaid target 3,945.205479
  auto behind = tranche::values_given(b.s, Usd(10'000 * k_usd));    // traders behind by 10,000
  REQUIRE(behind.has_value());
  CHECK(behind->senior == Usd(800'000 * k_usd + 3'945'205'479));
  CHECK(behind->junior == Usd(200'000 * k_usd + 10'000 * k_usd - 3'945'205'479));
}
