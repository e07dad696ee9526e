// tests/lib/nav_test.cpp: the NAV exact to the micro-unit (rules 2, issue 13 item 3): the floor of the
// exact sum of the positions' clamped values, from the books' aggregates with their error bound, and
// exactly from the positions in the rare case the bound could change the floor.
#include <catch2/catch.hpp>

#include <cstdint>

#include "lib/vault.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

Pool rules(int64_t version) {
  Pool b;
  b.s.rules = version;
  return b;
}

// A position stored straight into a state (its keys, book and indexes), for valuations only.
void put(State& s, int64_t id, Side side, int64_t size, int64_t entry, int64_t collateral, int64_t reserve) {
  Position p;
  p.id = id;
  p.trader = "t";
  p.market = "BTC";
  p.side = side;
  p.size = Usd(size);
  p.entry = Price(entry);
  p.collateral = Usd(collateral);
  p.reserve = Usd(reserve);
  REQUIRE(store_position(s, nullptr, p).has_value());
}

int64_t unrealized_of(const State& s) {
  auto u = vault::unrealized_floor(s);
  REQUIRE(u.has_value());
  return u->units();
}

}  // namespace

TEST_CASE("a position at its own entry price adds exactly nothing to the NAV", "[nav]") {
  // long 9,900.99 on 1,000 at 65,000: the pool's value at 65,000 is size × (65,000 − 65,000) / 65,000 = 0
  for (const Side side : {Side::long_, Side::short_}) {
    Pool b = rules(2);
    b.price("BTC", Price::whole(65'000));
    b.deposit("alice", 100'000 * k_usd);
    b.open("bob", "BTC", side, 1'000 * k_usd, 0, 1'000);   // 10x by leverage
    CHECK(unrealized_of(b.s) == 0);
    auto nav = vault::nav_floor(b.s);
    REQUIRE(nav.has_value());
    CHECK(*nav == b.s.vault.lp_capital());
  }
  // Rules 1 (journals made before rules versions) keep what they did: the long's quantity is rounded
  // up, 9,900,990,099 × 10^18 / 6,500,000,000,000 = 1,523,229,246.0…, so the aggregate is a fraction
  // of a unit below 0 and floors to −1 micro-USD.
  Pool old = rules(1);
  old.price("BTC", Price::whole(65'000));
  old.deposit("alice", 100'000 * k_usd);
  old.open("bob", "BTC", Side::long_, 1'000 * k_usd, 0, 1'000);
  CHECK(unrealized_of(old.s) == -1);
}

TEST_CASE("a whole-micro-unit PnL is valued at exactly that amount", "[nav]") {
  // short 10,000 at 50,000; at 49,000 the trader is ahead by 10,000 × 1,000 / 50,000 = 200 exactly
  Pool b = rules(2);
  b.price("BTC", Price::whole(50'000));
  b.deposit("alice", 100'000 * k_usd);
  b.open("carl", "BTC", Side::short_, 2'000 * k_usd, 10'000 * k_usd);
  b.price("BTC", Price::whole(49'000));
  CHECK(unrealized_of(b.s) == -200 * k_usd);
  // one cent more: 10,000 × 999.99 / 50,000 = 199.998 exactly
  b.price("BTC", Price(4'900'001'000'000));
  CHECK(unrealized_of(b.s) == -199'998'000);
  // a long's whole-micro-unit loss: 10,000 at 50,000 down to 49,500: 10,000 × 500 / 50,000 = 100 to the pool
  Pool l = rules(2);
  l.price("BTC", Price::whole(50'000));
  l.deposit("alice", 100'000 * k_usd);
  l.open("dan", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  l.price("BTC", Price::whole(49'500));
  CHECK(unrealized_of(l.s) == 100 * k_usd);
  // at 49,999 → 48,999.02 the profit is 10,000 × 999.98 / 49,999 = 200 exactly too, but the short's
  // quantity 10^28 / 4,999,900,000,000 is no whole number: rules 2 still say −200, rules 1 (which
  // floors the rounded-down aggregate) 1 micro-unit more
  for (const int64_t version : {int64_t{2}, int64_t{1}}) {
    Pool p = rules(version);
    p.price("BTC", Price::whole(49'999));
    p.deposit("alice", 100'000 * k_usd);
    p.open("carl", "BTC", Side::short_, 2'000 * k_usd, 10'000 * k_usd);
    p.price("BTC", Price(4'899'902'000'000));
    CHECK(unrealized_of(p.s) == -200 * k_usd - (version == 1 ? 1 : 0));
  }
}

TEST_CASE("values whose fractions add up to a whole micro-unit are settled exactly from the positions", "[nav]") {
  // longs of 1 and 2 micro-USD at 3 USD, valued at 2 USD: 1 × (3 − 2) / 3 + 2 × (3 − 2) / 3 = 1/3 + 2/3
  // = 1 exactly. The books' aggregate is a hair below 1 (each quantity rounded up), within its bound
  // of the whole micro-unit, so the exact sum decides: 1, where the aggregate alone floors to 0.
  State s;
  s.rules = 2;
  s.config = base_config();
  s.markets["BTC"] = MarketState{Price(200'000'000), Timestamp{k_t0}, 2};
  put(s, 10, Side::long_, 1, 300'000'000, 1'000'000, 1'000'000);
  put(s, 11, Side::long_, 2, 300'000'000, 1'000'000, 1'000'000);
  CHECK(unrealized_of(s) == 1);
  // a third of a micro-unit more: 4/3, floored to 1; two thirds more: 5/3 → 1; a whole one more: 2
  put(s, 12, Side::long_, 1, 300'000'000, 1'000'000, 1'000'000);
  CHECK(unrealized_of(s) == 1);
  put(s, 13, Side::long_, 2, 300'000'000, 1'000'000, 1'000'000);
  CHECK(unrealized_of(s) == 2);
}

TEST_CASE("books whose positions share one entry are valued exactly from their totals alone", "[nav]") {
  // A long and a short book, each of 3 positions of 1,000 USD at 65,000, valued at 58,935: each is
  // worth 3,000 × 6,065 / 65,000 = 279.923076923… to one side and the opposite to the other, so the
  // books' fractions add up to a whole micro-unit exactly: 0 in all. Only the books are in the state
  // (no position to read), so the answer must come from the one-entry totals, exactly.
  State s;
  s.rules = 2;
  s.config = base_config();
  s.markets["BTC"] = MarketState{Price::whole(58'935), Timestamp{k_t0}, 2};
  for (int64_t i = 0; i < 6; ++i) {
    Position p;
    p.id = 30 + i;
    p.trader = "t";
    p.market = "BTC";
    p.side = i < 3 ? Side::long_ : Side::short_;
    p.size = Usd::whole(1'000);
    p.entry = Price::whole(65'000);
    p.collateral = Usd::whole(1'000);
    p.reserve = Usd::whole(1'000);
    auto keys = position_keys(s.config, p);
    REQUIRE(keys.has_value());
    p.keys = *keys;
    book_add(s.books[BookKey{"BTC", p.side}], p, +1);
  }
  REQUIRE(book_uniform_entry(s.books.at(BookKey{"BTC", Side::long_})) == Price::whole(65'000).units());
  CHECK(unrealized_of(s) == 0);
  // the long book alone: 279.923076923… → 279,923,076 micro-USD
  s.books.erase(BookKey{"BTC", Side::short_});
  CHECK(unrealized_of(s) == 279'923'076);
}

TEST_CASE("clamped positions count exactly their collateral or reserve", "[nav]") {
  // long 10,000 at 50,000 on 1,000 of collateral: at 40,000 the loss 2,000 is past the collateral, so
  // the pool's value is 1,000 exactly; a short of 10,000 at 50,000 with a reserve of 500: at 40,000 its
  // profit 2,000 is capped at 500, −500 to the pool. 1,000 − 500 = 500.
  State s;
  s.rules = 2;
  s.config = base_config();
  s.markets["BTC"] = MarketState{Price::whole(40'000), Timestamp{k_t0}, 2};
  put(s, 20, Side::long_, 10'000 * k_usd, Price::whole(50'000).units(), 1'000 * k_usd, 10'000 * k_usd);
  put(s, 21, Side::short_, 10'000 * k_usd, Price::whole(50'000).units(), 1'000 * k_usd, 500 * k_usd);
  CHECK(unrealized_of(s) == 500 * k_usd);
  // exactly at the bankrupt price 45,000 the long's value is its collateral either way:
  // 10,000 × 5,000 / 50,000 = 1,000; the short's profit 1,000 is capped at 500: 500 in all
  s.markets["BTC"].price = Price::whole(45'000);
  CHECK(unrealized_of(s) == 500 * k_usd);
}

TEST_CASE("1,000,000 positions at different entries: the aggregate's floor is the exact floor", "[nav][slow]") {
  // Longs and shorts of sizes 100 to 10,099 USD at entries 50,000.00000000 + 7,919 i units, valued at
  // 51,234.56789012. Exact: Σ floor(a_i / e_i) + floor(Σ (a_i mod e_i) / e_i) with a_i = size ×
  // (e − P) for a long and size × (P − e) for a short; the sum of the fractions is bounded in 2^-64
  // steps (each term floored, so the true sum is within n × 2^-64 above), which must not straddle an
  // integer for the test to decide.
  constexpr int64_t n = 1'000'000;
  const int64_t price = 5'123'456'789'012;
  State s;
  s.rules = 2;
  s.config = base_config();
  s.markets["BTC"] = MarketState{Price(price), Timestamp{k_t0}, 2};
  int128 whole = 0;
  unsigned __int128 fraction = 0;   // Σ floor(r × 2^64 / e)
  for (int64_t i = 0; i < n; ++i) {
    const Side side = i % 3 == 0 ? Side::short_ : Side::long_;
    const int64_t size = (100 + i % 10'000) * k_usd;
    const int64_t entry = 5'000'000'000'000 + 7'919 * i;
    Position p;
    p.id = i + 1;
    p.trader = "t";
    p.market = "BTC";
    p.side = side;
    p.size = Usd(size);
    p.entry = Price(entry);
    // collateral and reserve far beyond the move, so that none is clamped
    p.collateral = Usd(size);
    p.reserve = Usd(size);
    auto keys = position_keys(s.config, p);
    REQUIRE(keys.has_value());
    p.keys = *keys;
    book_add(s.books[BookKey{"BTC", side}], p, +1);
    const int128 a = static_cast<int128>(size) * (side == Side::long_ ? entry - price : price - entry);
    const int128 q = a / entry - (a % entry < 0 ? 1 : 0);
    const int128 r = a - q * entry;   // in [0, entry)
    whole += q;
    fraction += (static_cast<unsigned __int128>(r) << 64) / static_cast<unsigned __int128>(entry);
  }
  const unsigned __int128 unit = static_cast<unsigned __int128>(1) << 64;
  const int128 low = fraction / unit, high = (fraction + static_cast<unsigned __int128>(n)) / unit;
  REQUIRE(low == high);   // the fractions' sum is not within n × 2^-64 of an integer
  CHECK(unrealized_of(s) == static_cast<int64_t>(whole + low));
}
