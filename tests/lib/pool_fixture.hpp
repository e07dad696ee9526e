// tests/lib/pool_fixture.hpp: the pool under test shared by the vault and book tests: SPEC's default
// config with markets BTC (10x, maintenance 100 bps, profit cap 100%) and ETH (5x, 150 bps, 50%), and a
// State built by applying real events from a journal_created genesis. Every accepted event's postings
// must balance and the account balances agree with the vault's figures; every refusal must leave the
// state exactly as it was.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/state.hpp"
#include "lib/vault.hpp"

namespace nexadex::test {

inline constexpr int64_t k_t0 = 1'767'225'600;  // 2026-01-01T00:00:00Z
inline constexpr int64_t k_day = 86'400;
inline constexpr int64_t k_usd = 1'000'000;     // micro-USD per USD

inline const Price k_btc = Price::whole(50'000);
inline const Price k_eth = Price::whole(3'000);

inline Config base_config() {
  Config c;
  c.markets = {MarketConfig{"BTC", Leverage{1000}, Bps{100}, Bps{10'000}},
               MarketConfig{"ETH", Leverage{500}, Bps{150}, Bps{5'000}}};
  return c;
}

inline int64_t sum(const std::vector<Posting>& postings) {
  int64_t total = 0;
  for (const auto& p : postings) total += p.amount.units();
  return total;
}

// What the postings of one event put on `account` (0 when absent).
inline int64_t posted(const std::vector<Posting>& postings, const std::string& account) {
  int64_t total = 0;
  for (const auto& p : postings) {
    if (p.account == account) total += p.amount.units();
  }
  return total;
}

inline int64_t balance(const State& s, const std::string& account) {
  const auto it = s.accounts.find(account);
  return it == s.accounts.end() ? 0 : static_cast<int64_t>(it->second.units());
}

inline bool unchanged(const State& before, const State& after) {
  return states_equal(before, after) && before.vault == after.vault && before.positions == after.positions &&
         before.lps == after.lps && before.markets == after.markets && before.accounts == after.accounts;
}

// A journal under test: events are applied at `now` with the next seq.
struct Pool {
  State s;
  Timestamp now{k_t0};

  explicit Pool(const Config& config = base_config()) {
    ok(JournalCreated{"# vault_test config", "vault-test-sha256", config});
  }

  Event event(EventBody body) const { return Event{s.head_seq + 1, now, std::move(body)}; }

  // An accepted event: its postings balance, the books still sum to zero and the account balances
  // are the vault's figures (state.hpp: "every figure is also an account balance").
  std::vector<Posting> ok(EventBody body) {
    const std::string kind(kind_name(body));
    auto r = apply(s, event(std::move(body)));
    if (!r) FAIL(kind << " was refused: " << r.error().message);
    INFO(kind);
    CHECK(sum(*r) == 0);
    int64_t all = 0;
    for (const auto& [account, units] : s.accounts) all += static_cast<int64_t>(units.units());
    CHECK(all == 0);
    CHECK(balance(s, "lp:senior") == s.vault.senior().capital.units());
    CHECK(balance(s, "lp:junior") == s.vault.junior().capital.units());
    CHECK(balance(s, "insurance") == s.vault.insurance.units());
    CHECK(balance(s, "treasury") == s.vault.treasury.units());
    CHECK(balance(s, "unabsorbed") == -s.vault.unabsorbed.units());
    for (const auto& [id, p] : s.positions) {
      if (p.status == PositionStatus::open) CHECK(balance(s, "position:" + std::to_string(id)) == p.collateral.units());
    }
    return *r;
  }

  // A refused event: the given kind, and nothing changed.
  Error refused(EventBody body, ErrorKind kind) {
    const State before = s;
    auto r = apply(s, event(std::move(body)));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == kind);
    CHECK(unchanged(before, s));
    return r.error();
  }

  void price(const std::string& market, Price p) { ok(PriceSet{market, p}); }
  void deposit(const std::string& lp, int64_t micro) { ok(LpDeposited{lp, Usd(micro), ""}); }
  // Opens a position by --size (or --leverage when lev_hundredths > 0); returns its id (the seq).
  int64_t open(const std::string& trader, const std::string& market, Side side, int64_t collateral, int64_t size,
               int64_t lev_hundredths = 0) {
    ok(PositionOpened{trader, market, side, Usd(collateral), Usd(size), Leverage{lev_hundredths}, {}, {}});
    return s.head_seq;
  }
  const Position& pos(int64_t id) const { return s.positions.at(id); }
  void at(int64_t seconds_after_t0) { now = Timestamp{k_t0 + seconds_after_t0}; }
};

inline PositionOpened open_by_size(const std::string& trader, const std::string& market, Side side, int64_t collateral,
                            int64_t size) {
  return PositionOpened{trader, market, side, Usd(collateral), Usd(size), Leverage{0}, {}, {}};
}

// Issue 20's pool: trader_pnl = [insurance, senior], no open fee, BTC 20x with profits capped at 1%.
// The fund takes 100, lp1 deposits 1,000; tom opens a 1,000 long on 100 at 50,000; BTC goes to 52,500.
inline Pool insurance_first_pool(int64_t rules) {
  Config c = base_config();
  c.fees.open_fee_bps = Bps{0};
  c.markets[0].max_leverage = Leverage{2'000};
  c.markets[0].max_profit_bps = Bps{100};
  c.cascade.trader_pnl = {Layer::insurance, Layer::senior};
  Pool b(c);
  b.s.rules = rules;
  b.price("BTC", k_btc);
  b.ok(InsuranceDeposited{Usd(100 * k_usd), "operator"});
  b.deposit("lp1", 1'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 100 * k_usd, 1'000 * k_usd);
  b.price("BTC", Price::whole(52'500));
  return b;
}


// Issue 20's tranched pool: no open fee, no senior target, no junior minimum. jill puts 1,000 in the
// junior, sam 4,000 in the senior; tom opens a 2,000 BTC long on 1,000 at 50,000 (reserve 2,000, so
// ceil(2,000 × 10,000 / 8,000) = 2,500 backs it); BTC falls to 45,000: tom is 2,000 × 5,000 / 50,000
// = 200 behind, which the waterfall credits to the junior (value 1,200 on capital 1,000).
inline Pool tranched_free_pool() {
  Config c = base_config();
  c.fees.open_fee_bps = Bps{0};
  c.tranches.enabled = true;
  Pool b(c);
  b.price("BTC", k_btc);
  b.ok(LpDeposited{"jill", Usd(1'000 * k_usd), "junior"});
  b.ok(LpDeposited{"sam", Usd(4'000 * k_usd), "senior"});
  b.open("tom", "BTC", Side::long_, 1'000 * k_usd, 2'000 * k_usd);
  b.price("BTC", Price::whole(45'000));
  return b;
}

}  // namespace nexadex::test
