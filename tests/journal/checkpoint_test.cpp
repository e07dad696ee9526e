// tests/journal/checkpoint_test.cpp: the checkpoints of schema 8 (journal/checkpoint.hpp): the hash of
// a row, when the writer makes one (K events and as many events as open positions since the last),
// the state read back from one equal to the replay's, and verify's comparison of one changed by hand.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>

#include "journal/checkpoint.hpp"
#include "journal/config_toml.hpp"
#include "journal/journal.hpp"
#include "tests/journal/temp_dir.hpp"

using namespace nexadex;
using namespace nexadex::journal;
using Catch::Matchers::Contains;

namespace {

constexpr int64_t k_t0 = 1'767'225'600;   // 2026-01-01T00:00:00Z
constexpr int64_t k_usd = 1'000'000;

const std::string k_config_text = "[pool]\nmax_price_age = \"1h\"\n\n[[markets]]\nsymbol = \"BTC\"\n";

int64_t checkpoints(const std::string& path, const std::string& what = "count(*)") {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT coalesce(" + what + ", 0) FROM checkpoints").getInt64();
}

void append(Journal& j, EventBody body, int64_t at) {
  auto seq = j.append(std::move(body), Timestamp{at});
  if (!seq) FAIL("append: " << seq.error().message);
}

}  // namespace

TEST_CASE("A checkpoint's hash is the SHA-256 of its preimage", "[journal][checkpoint]") {
  // printf '%s\n%s\n%s\n%s\n%s' 000…0 16384 1767225600 aaa…a bbb…b | sha256sum
  const CheckpointRow row{16'384, k_t0, std::string(64, 'a'), std::string(64, '0'), std::string(64, 'b'), ""};
  CHECK(checkpoint_hash(row) == "263de264da5ceaf065b4d4abdc4ef0a72b1da3f07f76b956e683ed6cad988fd4");
}

TEST_CASE("The image schema is the derived tables under another name", "[journal][checkpoint]") {
  const auto sql = image_schema_sql("img");
  REQUIRE(sql.size() == 17);   // 11 tables of k_derived_sql and k_positions_sql; 2 indexes of lots, 4 of positions
  CHECK_THAT(sql.front(), Contains("CREATE TABLE img.config ("));
  CHECK_THAT(sql.back(), Contains("CREATE TABLE img.books ("));
  CHECK_THAT(sql[sql.size() - 2], Contains("CREATE INDEX img.positions_dead ON positions"));
}

TEST_CASE("The writer makes a checkpoint after K events and as many as there are open positions",
          "[journal][checkpoint]") {
  test::TempDir dir;
  const std::string path = dir.file("j.db");
  auto config = parse_config(k_config_text, "test.toml");
  REQUIRE(config.has_value());
  REQUIRE(Journal::create(path, k_config_text, *config, Timestamp{k_t0}).has_value());
  auto j = Journal::open(path, Access::write);
  REQUIRE(j.has_value());
  j->set_checkpoint_every(2);
  REQUIRE(j->begin().has_value());
  // seq 2: 2 events since none (seq 0): the first checkpoint, no position open
  append(*j, PriceSet{"BTC", Price::whole(50'000)}, k_t0 + 10);
  CHECK(j->head().seq == 2);
  append(*j, LpDeposited{"alice", Usd(100'000 * k_usd), ""}, k_t0 + 20);   // seq 3: 1 since
  // seq 4, 5, 6: three opens; at seq 4, 2 events since seq 2 and 1 open: a checkpoint
  for (int i = 0; i < 3; ++i) {
    append(*j, PositionOpened{"tom", "BTC", Side::long_, Usd(1'000 * k_usd), Usd(2'000 * k_usd), Leverage{0}, {}, {}},
           k_t0 + 30 + i);
  }
  // seq 7, 8: prices; since seq 4: at seq 6, 2 events but 3 open; at seq 7, 3 events ≥ 3 open
  append(*j, PriceSet{"BTC", Price::whole(50'100)}, k_t0 + 40);
  append(*j, PriceSet{"BTC", Price::whole(50'200)}, k_t0 + 41);
  REQUIRE(j->commit().has_value());
  CHECK(checkpoints(path) == 3);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT group_concat(seq, ',') FROM checkpoints").getString() == "2,4,7");
  // each names its event's hash and links to the one before
  CHECK(db.execAndGet("SELECT count(*) FROM checkpoints c JOIN events e USING (seq) WHERE c.event_hash = e.hash")
            .getInt64() == 3);
  CHECK(db.execAndGet("SELECT count(*) FROM checkpoints c JOIN checkpoints p ON c.prev_hash = p.hash").getInt64() == 2);

  SECTION("the state read from a checkpoint, replayed on, is the full replay's") {
    auto r = Journal::open(path, Access::read);
    REQUIRE(r.has_value());
    for (int64_t seq = 1; seq <= 8; ++seq) {
      auto from_checkpoint = r->replay(seq, std::nullopt);
      // report history's replay sees every state, so it starts at seq 1
      auto full = r->replay(seq, std::nullopt, [](const State&, Timestamp) -> Status { return {}; });
      REQUIRE(from_checkpoint.has_value());
      REQUIRE(full.has_value());
      CHECK(from_checkpoint->second.hash == full->second.hash);
      CHECK(from_checkpoint->first.vault == full->first.vault);
      REQUIRE(load_all_positions(from_checkpoint->first).has_value());
      REQUIRE(load_all_accounts(from_checkpoint->first).has_value());
      CHECK(states_equal(from_checkpoint->first, full->first));
    }
  }

  SECTION("verify compares each with the replay and names a changed account") {
    auto r = Journal::open(path, Access::read);
    REQUIRE(r.has_value());
    auto v = r->verify({});
    REQUIRE(v.has_value());
    CHECK(v->problems.empty());
    CHECK(v->checkpoints == 3);
    auto tail = r->verify({}, true);
    REQUIRE(tail.has_value());
    CHECK(tail->problems.empty());
    CHECK(tail->from_seq == 8);
    CHECK(tail->events == 1);
  }
}
