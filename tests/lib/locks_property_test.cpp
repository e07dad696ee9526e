// tests/lib/locks_property_test.cpp: long random operation sequences on a tranched pool with [locks]
// (issue 16): deposits with random locks and income choices in both tranches, withdrawals, claims,
// trading (fee income shared by weight), liquidations, external losses (junior resets), and time jumps
// that unlock lots between events. After every operation: the postings balance; conservation holds with
// the claimable accounts; each tranche's supply is its lots' shares plus its pending shares; each
// kind's weight is its lots' weights; each LP's holding is its lots' shares; the claimable income
// credited and claimed never exceeds what was distributed, the difference being the unassigned
// rounding reserve; no lot stays locked past the event's time; a refusal changes nothing. At the end
// the same events journaled (lots table written and read back) and verified give no discrepancy.
// NEXADEX_SEED overrides the seed; a failure prints it with the step. NEXADEX_PROPERTY_OPS sets the
// number of operations (5,000 by default).
#include <algorithm>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "journal/config_toml.hpp"
#include "journal/journal.hpp"
#include "lib/audit.hpp"
#include "lib/locks.hpp"
#include "lib/tranche.hpp"
#include "lib/vault.hpp"
#include "tests/lib/property_journal.hpp"
#include "tests/lib/property_scale.hpp"

namespace {

using namespace nexadex;

const char* k_locks_config = R"([pool]
max_price_age = "30d"

[fees]
open_fee_bps = 50
close_fee_bps = 20

[tranches]
senior.target_apr_bps = 500
min_junior_ratio_bps = 1000

[cascade]
external = ["junior", "insurance", "senior"]

[locks]
tiers = [{ min = "7d", boost_bps = 11000 }, { min = "30d", boost_bps = 15000 }, { min = "90d", boost_bps = 20000 }]

[[markets]]
symbol = "BTC"

[[markets]]
symbol = "ETH"
max_profit_bps = 5000
)";

constexpr int64_t k_default_ops = 5'000;

// The lots' own invariants (see the file's comment); `distributed` is the claimable income posted, ever.
void check_lots(const State& s, const std::array<int64_t, 2>& distributed) {
  std::array<Shares, 2> lot_shares{};
  std::array<int128, 2> w_c{}, w_n{};
  std::array<int64_t, 2> credited{};
  std::map<LpKey, Shares> by_lp;
  for (const auto& [id, lot] : s.lots.all) {
    const auto t = static_cast<std::size_t>(lot.tranche);
    lot_shares[t] = Shares(lot_shares[t].units() + lot.shares.units());
    (lot.compound ? w_c : w_n)[t] += lot.weight();
    credited[t] += lot.claimable.units() + lot.claimed.units();
    by_lp[LpKey{lot.lp, lot.tranche}] = Shares(by_lp[LpKey{lot.lp, lot.tranche}].units() + lot.shares.units());
    REQUIRE(lot.claimable.units() >= 0);
    REQUIRE((lot.unlocked || lot.lock_until.seconds > s.head_at.seconds));
  }
  for (const TrancheId id : k_tranche_ids) {
    const auto t = static_cast<std::size_t>(id);
    const Tranche& tr = s.vault.tranche(id);
    INFO("tranche " << tranche_name(id));
    REQUIRE(tr.pending.units() >= 0);
    REQUIRE(tr.unassigned.units() >= 0);
    REQUIRE(lot_shares[t].units() + tr.pending.units() == tr.supply.units());
    REQUIRE(tr.compounding.weight == w_c[t]);
    REQUIRE(tr.claiming.weight == w_n[t]);
    // credited ≤ distributed; the rest is unassigned (owed to lots not yet credited, and the dust)
    REQUIRE(credited[t] + tr.unassigned.units() == distributed[t]);
  }
  for (const auto& [key, h] : s.lps) {
    const auto it = by_lp.find(key);
    REQUIRE(h.shares == (it == by_lp.end() ? Shares(0) : it->second));
  }
}

}  // namespace

TEST_CASE("5,000 random operations on a tranched pool with locks keep conservation, the lots' books and verify",
          "[locks][property]") {
  const uint64_t s = test::property_seed(20261206);
  const int64_t n = test::property_ops(k_default_ops);
  auto scaled = [&](int64_t count) { return count * n / k_default_ops; };
  std::mt19937_64 rng(s);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto config = journal::parse_config(k_locks_config, "property.toml");
  INFO((config ? std::string() : config.error().message));
  REQUIRE(config.has_value());
  State state;
  Timestamp now{1'767'225'600};
  std::vector<Event> accepted;
  auto genesis = Event{1, now, JournalCreated{k_locks_config, "test", *config}};
  REQUIRE(apply(state, genesis).has_value());
  accepted.push_back(genesis);
  std::map<std::string, int64_t> price{{"BTC", 65'000'00000000}, {"ETH", 3'000'00000000}};
  const std::vector<std::string> lps{"ann", "ben", "cal", "dee", "eve"};
  const char* tranches[] = {"senior", "junior", ""};
  const int64_t lock_days[] = {0, 0, 3, 7, 30, 90, 400};
  std::array<int64_t, 2> distributed{};
  int refused = 0, claims = 0, unlocks = 0, locked_refusals = 0, resets = 0;
  test::OpenIds open_ids;

  for (int64_t step = 1; step <= n; ++step) {
    // mostly minutes apart, now and then days: locks of 3 to 400 days end between events
    now.seconds += pick(0, 99) < 3 ? pick(1, 20) * 86'400 : pick(0, 900);
    EventBody body;
    const int64_t kind = pick(0, 99);
    if (kind < 22) {
      const std::string m = pick(0, 1) ? "BTC" : "ETH";
      const int64_t move = pick(-2000, 2000);
      int128 next = static_cast<int128>(price[m]) * (10'000 + move) / 10'000;
      if (next < 100'000'000) next = static_cast<int128>(price[m]) * (10'000 + (move < 0 ? -move : move)) / 10'000;
      price[m] = static_cast<int64_t>(std::max<int128>(1, next));
      body = PriceSet{m, Price(price[m])};
    } else if (kind < 40) {
      LpDeposited d{lps[pick(0, 4)], Usd(pick(1, 60'000) * 1'000'000 + pick(0, 999'999)), tranches[pick(0, 2)],
                    Duration{lock_days[pick(0, 6)] * 86'400 + pick(0, 1) * pick(0, 86'399)}, pick(0, 2) != 0};
      body = d;
    } else if (kind < 50) {
      LpWithdrew w{lps[pick(0, 4)], WithdrawBy::amount, Usd(pick(1, 30'000) * 1'000'000), Shares(0), tranches[pick(0, 2)]};
      const int64_t how = pick(0, 2);
      if (how == 1) w.by = WithdrawBy::shares, w.shares = Shares(pick(1, 20'000) * 1'000'000'000);
      if (how == 2) w.by = WithdrawBy::all;
      body = w;
    } else if (kind < 56) {
      const std::string lp = lps[pick(0, 4)];
      auto parts = locks::claimable(state, lp);
      REQUIRE(parts.has_value());
      // now and then a wrong amount, which is refused
      const int64_t amount = (*parts)[0].units() + (*parts)[1].units() + (pick(0, 9) == 0 ? 1 : 0);
      body = RewardsClaimed{lp, Usd(amount)};
    } else if (kind < 76) {
      body = test::random_open(pick, 1000);
    } else if (kind < 88) {
      body = test::random_close(state, open_ids, pick, step);
    } else if (kind < 95) {
      body = test::random_liquidation(state, pick, step);
    } else if (kind < 98) {
      body = LossApplied{Usd(pick(1, 30'000) * 1'000'000), "incident " + std::to_string(step)};
    } else {
      body = InsuranceDeposited{Usd(pick(1, 2'000) * 1'000'000), "operator"};
    }
    INFO("seed " << s << " (NEXADEX_SEED), step " << step << ", event " << kind_name(body));
    const Event ev{state.head_seq + 1, now, body};
    const State before = state;
    std::size_t locked_before = state.lots.locked.size();
    auto result = apply(state, ev);
    if (!result) {
      ++refused;
      INFO(result.error().message);
      REQUIRE(result.error().kind != ErrorKind::journal);
      REQUIRE(states_equal(state, before));
      REQUIRE(state.vault == before.vault);
      if (result.error().message.find("unlocks at") != std::string::npos) ++locked_refusals;
      continue;
    }
    if (state.lots.locked.size() < locked_before) ++unlocks;
    int64_t sum = 0;
    for (const auto& p : *result) {
      sum += p.amount.units();
      if (p.amount.units() > 0 && std::holds_alternative<PositionOpened>(body) + std::holds_alternative<PositionClosed>(body) +
                                          std::holds_alternative<PositionLiquidated>(body) > 0) {
        if (p.account == "lp:senior:claimable") distributed[0] += p.amount.units();
        if (p.account == "lp:junior:claimable") distributed[1] += p.amount.units();
      }
    }
    REQUIRE(sum == 0);
    if (std::holds_alternative<RewardsClaimed>(body)) ++claims;
    if (state.vault.junior().resets > before.vault.junior().resets) ++resets;
    if (std::holds_alternative<PositionOpened>(body)) open_ids.opened(ev.seq);
    const auto problems = vault::conservation_problems(state);
    INFO((problems.empty() ? std::string() : problems.front().second));
    REQUIRE(problems.empty());
    check_lots(state, distributed);
    accepted.push_back(ev);
  }
  INFO("seed " << s);
  WARN("locks property: seed " << s << ", " << n << " operations, " << accepted.size() << " events, "
                               << state.lots.all.size() << " lots, " << unlocks << " events with unlocks, " << claims
                               << " claims, " << locked_refusals << " withdrawals refused by a lock, " << resets
                               << " junior resets, " << refused << " refusals");
  CHECK(claims > scaled(50));
  CHECK(unlocks > scaled(20));
  CHECK(locked_refusals > scaled(10));
  CHECK(static_cast<int64_t>(accepted.size()) > scaled(2'500));

  test::journal_and_verify("locks", k_locks_config, *config, accepted, s);
}
