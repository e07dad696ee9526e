// tests/lib/state_test.cpp: the state's access functions (lib/state.hpp, lib/state.cpp,
// lib/positions.cpp): storing and finding positions, their books and indexes, account balances,
// the state comparison verify uses, and the books recomputed from the positions.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lib/state.hpp"
#include "pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

const BookKey k_btc_long{"BTC", Side::long_};

// A long BTC position entered at 50,000: size, collateral and reserve in whole USD.
Position btc_long(int64_t id, int64_t size, int64_t collateral, int64_t reserve) {
  Position p;
  p.id = id;
  p.trader = "tom";
  p.market = "BTC";
  p.side = Side::long_;
  p.size = Usd(size * k_usd);
  p.collateral = Usd(collateral * k_usd);
  p.entry = k_btc;
  p.reserve = Usd(reserve * k_usd);
  p.opened_at = Timestamp{k_t0};
  return p;
}

State empty_state() {
  State s;
  s.config = base_config();
  return s;
}

void store(State& s, const Position* before, Position after) {
  auto ok = store_position(s, before, std::move(after));
  if (!ok) FAIL("store_position: " << ok.error().message);
}

bool indexed(const State& s, const BookKey& book, int64_t id) {
  const auto it = s.store.index.books.find(book);
  if (it == s.store.index.books.end()) return false;
  for (const auto& [key, row] : it->second.below) {
    if (row == id) return true;
  }
  return false;
}

// A loader holding one position row and one account, counting what it was asked.
class FakeLoader : public TableLoader {
 public:
  explicit FakeLoader(Position row) : m_row(std::move(row)) {}
  int loads = 0;
  int account_loads = 0;

  Result<std::optional<Position>> load(int64_t id) override {
    ++loads;
    if (id == m_row.id) return std::optional<Position>(m_row);
    return std::optional<Position>();
  }
  Result<std::vector<int64_t>> query_ids(const IndexQuery&) override { return std::vector<int64_t>{m_row.id}; }
  Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) override {
    std::vector<Position> out;
    for (const int64_t id : ids) {
      if (id == m_row.id) out.push_back(m_row);
    }
    return out;
  }
  Result<std::vector<Position>> all() override { return std::vector<Position>{m_row}; }
  Result<std::optional<Usd>> load_account(const std::string& name) override {
    ++account_loads;
    if (name == "treasury") return std::optional<Usd>(Usd(42 * k_usd));
    return std::optional<Usd>();
  }
  Result<std::map<std::string, Usd>> all_accounts() override {
    return std::map<std::string, Usd>{{"treasury", Usd(42 * k_usd)}};
  }
  Result<std::vector<LossRecord>> losses() override { return std::vector<LossRecord>{}; }
  Result<std::vector<PositionLeg>> legs(int64_t) override { return std::vector<PositionLeg>{}; }
  Result<std::vector<Position>> positions_after(int64_t after, int64_t count) override {
    if (after < m_row.id && count > 0) return std::vector<Position>{m_row};
    return std::vector<Position>{};
  }
  Result<std::vector<PositionLeg>> legs_between(int64_t, int64_t) override { return std::vector<PositionLeg>{}; }
  Result<std::vector<Lot>> lots(const LotQuery&) override { return std::vector<Lot>{}; }

 private:
  Position m_row;
};

}  // namespace

// ---- store_position ------------------------------------------------------------------------------

TEST_CASE("storing a new open position adds it to its book, its indexes and the dirty sets", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  REQUIRE(s.positions.contains(5));
  const Position& p = s.positions.at(5);
  // bankrupt price: loss = collateral at 50,000 × (10,000 − 1,000) / 10,000 = 45,000;
  // capped price: profit = reserve at 50,000 × (10,000 + 10,000) / 10,000 = 100,000
  CHECK(p.keys.below == Price::whole(45'000).units());
  CHECK(p.keys.above == Price::whole(100'000).units());
  // quantity = size × 10^18 / entry = 10^10 µ × 10^18 / (5 × 10^12) = 2 × 10^15
  CHECK(p.keys.quantity == int128{2'000'000'000'000'000});
  REQUIRE(s.books.contains(k_btc_long));
  const Book& book = s.books.at(k_btc_long);
  CHECK(book.open == 1);
  CHECK(book.size == int128{10'000 * k_usd});
  CHECK(book.quantity == int128{2'000'000'000'000'000});
  const auto& sets = s.store.index.books.at(k_btc_long);
  CHECK(sets.below.contains({Price::whole(45'000).units(), 5}));
  CHECK(sets.above.contains({Price::whole(100'000).units(), 5}));
  CHECK(sets.dead.size() == 1);
  CHECK(s.store.dirty_positions == std::set<int64_t>{5});
  CHECK(s.store.dirty_books == std::set<BookKey>{k_btc_long});
}

TEST_CASE("two positions of one book add up in its aggregates", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  store(s, nullptr, btc_long(9, 4'000, 600, 4'000));
  const Book& book = s.books.at(k_btc_long);
  // open 1 + 1 = 2; size 10,000 + 4,000 = 14,000; quantity 2 × 10^15 + 8 × 10^14 = 2.8 × 10^15
  CHECK(book.open == 2);
  CHECK(book.size == int128{14'000 * k_usd});
  CHECK(book.quantity == int128{2'800'000'000'000'000});
  CHECK(s.store.index.books.at(k_btc_long).below.size() == 2);
}

TEST_CASE("storing a changed open position moves its book totals and index keys", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  const Position before = s.positions.at(5);
  store(s, &before, btc_long(5, 4'000, 600, 4'000));   // a partial close
  // book: size 4,000, quantity 4 × 10^9 µ × 10^18 / (5 × 10^12) = 8 × 10^14, still one position
  const Book& book = s.books.at(k_btc_long);
  CHECK(book.open == 1);
  CHECK(book.size == int128{4'000 * k_usd});
  CHECK(book.quantity == int128{800'000'000'000'000});
  // bankrupt price now 50,000 × (4,000 − 600) / 4,000 = 42,500; the old key 45,000 is gone
  const auto& below = s.store.index.books.at(k_btc_long).below;
  CHECK(below.size() == 1);
  CHECK(below.contains({Price::whole(42'500).units(), 5}));
  CHECK_FALSE(below.contains({Price::whole(45'000).units(), 5}));
}

TEST_CASE("storing an ended position drops its book and index entries and zeroes its keys", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  s.store.dirty_books.clear();
  s.store.dirty_positions.clear();
  const Position before = s.positions.at(5);
  Position closed = before;
  closed.status = PositionStatus::closed;
  closed.ended_seq = 8;
  store(s, &before, closed);
  // its book had one position: 1 − 1 = 0 open, so the book is gone, and marked dirty to be deleted
  CHECK_FALSE(s.books.contains(k_btc_long));
  CHECK(s.store.dirty_books == std::set<BookKey>{k_btc_long});
  CHECK_FALSE(indexed(s, k_btc_long, 5));
  // the ended position is still held, with no keys
  REQUIRE(s.positions.contains(5));
  CHECK(s.positions.at(5).status == PositionStatus::closed);
  CHECK(s.positions.at(5).keys == PositionKeys{});
  CHECK(s.store.dirty_positions == std::set<int64_t>{5});
}

TEST_CASE("storing an open position without size is refused and changes nothing", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  const State before = s;
  auto ok = store_position(s, nullptr, btc_long(6, 0, 100, 0));
  REQUIRE_FALSE(ok.has_value());
  CHECK(ok.error().kind == ErrorKind::input);
  CHECK_FALSE(s.positions.contains(6));
  CHECK(s.books == before.books);
  CHECK(s.store.dirty_positions == before.store.dirty_positions);
}

// ---- find_position and positions_by_id -----------------------------------------------------------

TEST_CASE("find_position gives the held position, or nullptr for an unknown id", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(5, 10'000, 1'000, 10'000));
  auto held = find_position(s, 5);
  REQUIRE(held.has_value());
  CHECK(*held == &s.positions.at(5));
  auto unknown = find_position(s, 6);
  REQUIRE(unknown.has_value());
  CHECK(*unknown == nullptr);
}

TEST_CASE("find_position reads a position it does not hold through the loader once, and indexes it", "[state]") {
  State s = empty_state();
  Position row = btc_long(7, 10'000, 1'000, 10'000);
  auto keys = position_keys(s.config, row);
  REQUIRE(keys.has_value());
  row.keys = *keys;
  FakeLoader loader(row);
  s.store.loader = &loader;
  s.store.positions_complete = false;
  auto found = find_position(s, 7);
  REQUIRE(found.has_value());
  REQUIRE(*found != nullptr);
  CHECK((*found)->size == Usd(10'000 * k_usd));
  CHECK(indexed(s, k_btc_long, 7));
  // the second look-up finds the state's copy: still one load
  auto again = find_position(s, 7);
  REQUIRE(again.has_value());
  CHECK(*again == *found);
  CHECK(loader.loads == 1);
  // an id the loader has not: nullptr, after asking it
  auto missing = find_position(s, 8);
  REQUIRE(missing.has_value());
  CHECK(*missing == nullptr);
  CHECK(loader.loads == 2);
}

TEST_CASE("find_position does not ask the loader once every position is held", "[state]") {
  State s = empty_state();
  FakeLoader loader(btc_long(7, 10'000, 1'000, 10'000));
  s.store.loader = &loader;
  s.store.positions_complete = true;
  auto found = find_position(s, 7);
  REQUIRE(found.has_value());
  CHECK(*found == nullptr);
  CHECK(loader.loads == 0);
}

TEST_CASE("positions_by_id lists the positions in ascending id order, open and ended", "[state]") {
  State s = empty_state();
  store(s, nullptr, btc_long(30, 1'000, 100, 1'000));
  store(s, nullptr, btc_long(4, 1'000, 100, 1'000));
  Position ended = btc_long(17, 1'000, 100, 1'000);
  ended.status = PositionStatus::liquidated;
  store(s, nullptr, ended);
  std::vector<int64_t> ids;
  for (const Position* p : positions_by_id(s)) ids.push_back(p->id);
  // stored 30, 4, 17 → 4, 17, 30
  CHECK(ids == std::vector<int64_t>{4, 17, 30});
}

// ---- account_balance ----------------------------------------------------------------------------

TEST_CASE("an account never posted to has balance 0", "[state]") {
  State s = empty_state();
  s.accounts["treasury"] = WideUsd(3 * k_usd);
  auto none = account_balance(s, "trader:nobody");
  REQUIRE(none.has_value());
  CHECK(**none == WideUsd(0));
  auto held = account_balance(s, "treasury");
  REQUIRE(held.has_value());
  CHECK(**held == WideUsd(3 * k_usd));
  // the pointer is the state's own balance: a posting adds to it
  **held = (**held + WideUsd(2 * k_usd)).value();
  CHECK(s.accounts.at("treasury") == WideUsd(5 * k_usd));
}

TEST_CASE("an account the state has not read yet is read through the loader", "[state]") {
  State s = empty_state();
  FakeLoader loader(btc_long(7, 1'000, 100, 1'000));
  s.store.loader = &loader;
  s.store.accounts_complete = false;
  auto treasury = account_balance(s, "treasury");
  REQUIRE(treasury.has_value());
  CHECK(**treasury == WideUsd(42 * k_usd));
  // the loader has no row for it: 0
  auto nobody = account_balance(s, "trader:nobody");
  REQUIRE(nobody.has_value());
  CHECK(**nobody == WideUsd(0));
  // read once: the second look-up is the state's copy
  REQUIRE(account_balance(s, "treasury").has_value());
  CHECK(loader.account_loads == 2);
}

// ---- states_equal --------------------------------------------------------------------------------

namespace {

Pool small_pool() {
  Pool b;
  b.price("BTC", k_btc);
  b.deposit("alice", 100'000 * k_usd);
  b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  return b;
}

}  // namespace

TEST_CASE("states_equal: a copy is equal, and a change of one field is not", "[state]") {
  const Pool b = small_pool();
  const int64_t id = b.s.head_seq;   // the position is the last event
  const State& a = b.s;
  CHECK(states_equal(a, State(a)));
  {
    State c = a;
    c.vault.treasury = Usd(c.vault.treasury.units() + 1);
    CHECK_FALSE(states_equal(a, c));
  }
  {
    State c = a;
    c.positions.at(id).collateral = Usd(c.positions.at(id).collateral.units() - 1);
    CHECK_FALSE(states_equal(a, c));
  }
  {
    State c = a;
    c.accounts["treasury"] = (c.accounts["treasury"] + WideUsd(1)).value();
    CHECK_FALSE(states_equal(a, c));
  }
  {
    // an account read at 0 (account_balance adds it) is the same fact as one never posted to; one
    // at 1 is not
    State c = a;
    REQUIRE(*account_balance(c, "depositor:nobody").value() == WideUsd(0));
    CHECK(states_equal(a, c));
    CHECK(states_equal(c, a));
    c.accounts["depositor:nobody"] = WideUsd(1);
    CHECK_FALSE(states_equal(a, c));
    CHECK_FALSE(states_equal(c, a));
  }
  {
    State c = a;
    c.lps.begin()->second.shares = Shares(c.lps.begin()->second.shares.units() + 1);
    CHECK_FALSE(states_equal(a, c));
  }
  {
    State c = a;
    c.markets.at("BTC").price = Price(c.markets.at("BTC").price.units() + 1);
    CHECK_FALSE(states_equal(a, c));
  }
  {
    State c = a;
    c.head_seq += 1;
    CHECK_FALSE(states_equal(a, c));
  }
  {
    State c = a;
    c.books.begin()->second.size += 1;
    CHECK_FALSE(states_equal(a, c));
  }
}

TEST_CASE("states_equal ignores what the journal has yet to write", "[state]") {
  const Pool b = small_pool();
  State c = b.s;
  // the dirty sets are not part of the state's value (state.hpp)
  c.store.dirty_markets.insert("ETH");
  c.store.dirty_positions.insert(999);
  c.store.dirty_vault = !c.store.dirty_vault;
  CHECK(states_equal(b.s, c));
}

// ---- recompute_books -----------------------------------------------------------------------------

TEST_CASE("the books recomputed from the open positions equal the books kept along opens and closes", "[state]") {
  Pool b;
  b.price("BTC", k_btc);
  b.price("ETH", k_eth);
  b.deposit("alice", 1'000'000 * k_usd);
  const int64_t l1 = b.open("tom", "BTC", Side::long_, 2'000 * k_usd, 10'000 * k_usd);
  b.open("ann", "BTC", Side::long_, 2'000 * k_usd, 8'000 * k_usd);
  const int64_t s1 = b.open("tom", "BTC", Side::short_, 1'500 * k_usd, 6'000 * k_usd);
  const int64_t e1 = b.open("eve", "ETH", Side::long_, 1'000 * k_usd, 4'000 * k_usd);
  b.price("BTC", Price::whole(51'000));
  b.ok(PositionClosed{l1, Usd(4'000 * k_usd)});   // partial: 6,000 of 10,000 stays open
  b.ok(PositionClosed{s1, Usd(0)});                // whole: the BTC short book empties
  b.ok(PositionClosed{e1, Usd(0)});                // whole: the ETH long book empties
  // left open: BTC long 6,000 (l1) + 8,000 (ann) = 14,000 in one book; no other book
  REQUIRE(b.s.books.size() == 1);
  CHECK(b.s.books.at(k_btc_long).open == 2);
  CHECK(b.s.books.at(k_btc_long).size == int128{14'000 * k_usd});
  auto books = recompute_books(b.s);
  REQUIRE(books.has_value());
  CHECK(*books == b.s.books);
  // and a kept book that drifted by one micro-unit no longer matches
  State drifted = b.s;
  drifted.books.at(k_btc_long).size += 1;
  CHECK_FALSE(*books == drifted.books);
}
