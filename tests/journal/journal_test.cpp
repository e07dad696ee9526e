// tests/journal/journal_test.cpp: create, open, append, rollback, replay and verify of the SQLite journal.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/journal/temp_dir.hpp"
#include "journal/codec.hpp"
#include "journal/config_toml.hpp"
#include "journal/journal.hpp"
#include "journal/schema.hpp"
#include "journal/sha256.hpp"

using namespace nexadex;
using namespace nexadex::journal;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// 2026-01-01T00:00:00Z
constexpr int64_t k_t0 = 1'767'225'600;

const std::string k_config_text = "[pool]\nmax_price_age = \"1h\"\n\n[[markets]]\nsymbol = \"BTC\"\n\n[[markets]]\nsymbol = \"ETH\"\n";

using test::TempDir;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// An SQLite file made by the C API (not by nexadex), with the given header fields and one table.
void make_sqlite(const std::string& path, int64_t application_id, int64_t user_version) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string sql = "PRAGMA application_id = " + std::to_string(application_id) +
                          "; PRAGMA user_version = " + std::to_string(user_version) +
                          "; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42);";
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

Config config_of(const std::string& text) {
  auto c = parse_config(text, "test.toml");
  if (!c) FAIL(c.error().message);
  return *c;
}

JournalHead create_journal(const std::string& path) {
  auto head = Journal::create(path, k_config_text, config_of(k_config_text), Timestamp{k_t0});
  if (!head) FAIL("create: " << head.error().message);
  return *head;
}

Journal open_journal(const std::string& path, Access access) {
  auto j = Journal::open(path, access);
  if (!j) FAIL("open: " << j.error().message);
  return std::move(*j);
}

// 65,000 USD -> 6,500,000,000,000 price units (8 decimals)
Price usd_price(int64_t whole) { return Price::whole(whole); }

void append_ok(Journal& j, const std::string& market, int64_t price, int64_t at) {
  auto seq = j.append(PriceSet{market, usd_price(price)}, Timestamp{at});
  if (!seq) FAIL("append: " << seq.error().message);
}

std::vector<StoredEvent> all_events(Journal& j) {
  std::vector<StoredEvent> out;
  auto ok = j.scan(1, INT64_MAX, [&](const StoredEvent& e) -> Status {
    out.push_back(e);
    return {};
  });
  REQUIRE(ok.has_value());
  return out;
}

// A journal of four events: genesis at t0, BTC 60,000 at t0+10, BTC 61,000 at t0+20, ETH 3,000 at t0+30.
void make_history(const std::string& path) {
  create_journal(path);
  Journal j = open_journal(path, Access::write);
  REQUIRE(j.begin().has_value());
  append_ok(j, "BTC", 60'000, k_t0 + 10);
  append_ok(j, "BTC", 61'000, k_t0 + 20);
  append_ok(j, "ETH", 3'000, k_t0 + 30);
  REQUIRE(j.commit().has_value());
}

// open refuses `path` with ErrorKind::journal for both access modes, and leaves its bytes and its
// directory exactly as they were.
void open_refused(const TempDir& dir, const std::string& path, const std::string& fragment) {
  const std::string before = read_bytes(path);
  const std::set<std::string> names = dir.names();
  for (Access access : {Access::read, Access::write}) {
    auto j = Journal::open(path, access);
    REQUIRE_FALSE(j.has_value());
    CHECK(j.error().kind == ErrorKind::journal);
    CHECK_THAT(j.error().message, Contains(path));
    CHECK_THAT(j.error().message, Contains(fragment));
  }
  CHECK(read_bytes(path) == before);
  CHECK(dir.names() == names);  // no -wal, -shm or -journal beside it
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// create

TEST_CASE("create makes a journal whose first event holds the config", "[journal]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  const JournalHead head = create_journal(path);
  CHECK(head.seq == 1);
  CHECK(head.at.seconds == k_t0);
  // the genesis hash chains from 64 zeros
  const std::string payload = encode_payload(JournalCreated{k_config_text, sha256_hex(k_config_text), Config{}});
  CHECK(head.hash == chain_hash(k_genesis_prev_hash, 1, k_t0, "journal_created", payload));
  // only the journal is left in the directory (no temporary file, no -wal or -shm)
  CHECK(dir.names() == std::set<std::string>{"pool.db"});

  Journal j = open_journal(path, Access::read);
  auto state = j.load_state();
  REQUIRE(state.has_value());
  CHECK(state->head_seq == 1);
  CHECK(state->config_seq == 1);
  CHECK(state->config_text == k_config_text);
  CHECK(state->config_sha256 == sha256_hex(k_config_text));
  REQUIRE(state->config.markets.size() == 2);
  CHECK(state->config.pool.max_price_age.seconds == 3'600);
  // both configured markets exist, never priced
  REQUIRE(state->markets.count("BTC") == 1);
  CHECK_FALSE(state->markets.at("BTC").priced());
  auto events = all_events(j);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == "journal_created");
  CHECK(events[0].payload == payload);
  CHECK(events[0].prev_hash == k_genesis_prev_hash);
  CHECK(events[0].hash == head.hash);
}

TEST_CASE("create stamps the file with the application id and schema version", "[journal]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  const std::string bytes = read_bytes(path);
  REQUIRE(bytes.size() >= 100);
  CHECK(bytes.compare(0, 16, std::string("SQLite format 3\0", 16)) == 0);
  // header offset 68: application_id "NXDX"; offset 60: user_version 10 (big-endian)
  CHECK(bytes.substr(68, 4) == "NXDX");
  CHECK(bytes.substr(60, 4) == std::string("\0\0\0\12", 4));
}

TEST_CASE("create refuses an existing path and leaves it untouched", "[journal]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  SECTION("a plain file") {
    write_bytes(path, "precious data\n");
  }
  SECTION("an empty file") {
    write_bytes(path, "");
  }
  SECTION("an existing journal") {
    create_journal(path);
  }
  const std::string before = read_bytes(path);
  const std::set<std::string> names = dir.names();
  auto r = Journal::create(path, k_config_text, config_of(k_config_text), Timestamp{k_t0 + 99});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains(path));
  CHECK_THAT(r.error().message, Contains("already exists"));
  CHECK(read_bytes(path) == before);
  CHECK(dir.names() == names);
}

TEST_CASE("create refuses a directory path", "[journal]") {
  TempDir dir;
  fs::create_directory(dir.file("sub"));
  auto r = Journal::create(dir.file("sub"), k_config_text, config_of(k_config_text), Timestamp{k_t0});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK(dir.names() == std::set<std::string>{"sub"});
}

// ---------------------------------------------------------------------------------------------
// open: every file that is not a journal of this schema is refused before anything is written.

TEST_CASE("open refuses a missing file and creates none", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  for (Access access : {Access::read, Access::write}) {
    auto j = Journal::open(path, access);
    REQUIRE_FALSE(j.has_value());
    CHECK(j.error().kind == ErrorKind::journal);
    CHECK_THAT(j.error().message, Contains("no journal at " + path));
  }
  CHECK(dir.names().empty());
}

TEST_CASE("open refuses a file that is not SQLite", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("notes.db");
  SECTION("text longer than a header") {
    write_bytes(path, std::string(300, 'x') + "\n");
  }
  SECTION("a short file") {
    write_bytes(path, "SQLite format 3");
  }
  SECTION("an empty file") {
    write_bytes(path, "");
  }
  open_refused(dir, path, "not a nexadex journal");
}

TEST_CASE("open refuses a truncated journal", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  // the first 99 bytes of the header
  write_bytes(path, read_bytes(path).substr(0, 99));
  open_refused(dir, path, "truncated");
}

TEST_CASE("open refuses an SQLite file of another application", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  make_sqlite(path, 0x12345678, 1);
  open_refused(dir, path, "another application");
  // the refusal names the foreign id
  auto j = Journal::open(path, Access::read);
  REQUIRE_FALSE(j.has_value());
  CHECK_THAT(j.error().message, Contains("0x12345678"));
}

TEST_CASE("open refuses a plain SQLite file without an application id", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("plain.db");
  make_sqlite(path, 0, 0);
  open_refused(dir, path, "another application");
}

TEST_CASE("open refuses a journal of a newer schema", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("future.db");
  make_sqlite(path, k_application_id, k_schema_version + 1);
  open_refused(dir, path, "the schema " + std::to_string(k_schema_version) + " this nexadex reads");
  auto j = Journal::open(path, Access::write);
  REQUIRE_FALSE(j.has_value());
  CHECK_THAT(j.error().message, Contains("newer"));
}

TEST_CASE("open refuses a nexadex file without a schema version", "[journal][open]") {
  TempDir dir;
  const std::string path = dir.file("zero.db");
  make_sqlite(path, k_application_id, 0);
  open_refused(dir, path, "user_version 0");
}

// ---------------------------------------------------------------------------------------------
// Writing.

TEST_CASE("begin, append and commit persist the events and the state", "[journal][write]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  const JournalHead genesis = create_journal(path);
  {
    Journal j = open_journal(path, Access::write);
    REQUIRE(j.begin().has_value());
    CHECK(j.state().head_seq == 1);
    auto seq = j.append(PriceSet{"BTC", usd_price(65'000)}, Timestamp{k_t0 + 60});
    REQUIRE(seq.has_value());
    CHECK(*seq == 2);
    CHECK(j.head().seq == 2);
    CHECK(j.state().markets.at("BTC").price.units() == 6'500'000'000'000);
    REQUIRE(j.commit().has_value());
  }
  Journal j = open_journal(path, Access::read);
  auto state = j.load_state();
  REQUIRE(state.has_value());
  CHECK(state->head_seq == 2);
  CHECK(state->head_at.seconds == k_t0 + 60);
  const MarketState& btc = state->markets.at("BTC");
  // 65,000 x 10^8
  CHECK(btc.price.units() == 6'500'000'000'000);
  CHECK(btc.price_at.seconds == k_t0 + 60);
  CHECK(btc.price_seq == 2);
  CHECK_FALSE(state->markets.at("ETH").priced());
  auto count = j.event_count();
  REQUIRE(count.has_value());
  CHECK(*count == 2);
  auto events = all_events(j);
  REQUIRE(events.size() == 2);
  CHECK(events[1].seq == 2);
  CHECK(events[1].at == k_t0 + 60);
  CHECK(events[1].kind == "price_set");
  CHECK(events[1].payload == R"({"market":"BTC","price":"65000.00000000"})");
  CHECK(events[1].prev_hash == genesis.hash);
  CHECK(events[1].hash == chain_hash(genesis.hash, 2, k_t0 + 60, "price_set", events[1].payload));
  CHECK(j.head().hash == events[1].hash);
}

TEST_CASE("a second writer continues the chain where the first stopped", "[journal][write]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  for (int i = 0; i < 3; ++i) {
    Journal j = open_journal(path, Access::write);
    REQUIRE(j.begin().has_value());
    append_ok(j, "ETH", 3'000 + i, k_t0 + i);
    REQUIRE(j.commit().has_value());
  }
  Journal j = open_journal(path, Access::read);
  auto events = all_events(j);
  REQUIRE(events.size() == 4);
  for (std::size_t i = 1; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].seq == static_cast<int64_t>(i) + 1);
    CHECK(events[i].prev_hash == events[i - 1].hash);
  }
}

TEST_CASE("rollback leaves nothing behind", "[journal][write]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  const JournalHead genesis = create_journal(path);
  SECTION("an explicit rollback") {
    Journal j = open_journal(path, Access::write);
    REQUIRE(j.begin().has_value());
    append_ok(j, "BTC", 65'000, k_t0 + 1);
    append_ok(j, "ETH", 3'000, k_t0 + 2);
    REQUIRE(j.flush().has_value());  // even state rows already written
    j.rollback();
  }
  SECTION("a writer that ends without commit") {
    Journal j = open_journal(path, Access::write);
    REQUIRE(j.begin().has_value());
    append_ok(j, "BTC", 65'000, k_t0 + 1);
  }
  Journal j = open_journal(path, Access::read);
  auto count = j.event_count();
  REQUIRE(count.has_value());
  CHECK(*count == 1);
  auto state = j.load_state();
  REQUIRE(state.has_value());
  CHECK(state->head_seq == 1);
  CHECK(j.head().hash == genesis.hash);
  CHECK_FALSE(state->markets.at("BTC").priced());
  CHECK_FALSE(state->markets.at("ETH").priced());
  auto v = j.verify({});
  REQUIRE(v.has_value());
  CHECK(v->problems.empty());
}

TEST_CASE("a price for an unknown market is bad input and appends nothing", "[journal][write]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  Journal j = open_journal(path, Access::write);
  REQUIRE(j.begin().has_value());
  auto r = j.append(PriceSet{"DOGE", usd_price(1)}, Timestamp{k_t0 + 5});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::input);
  CHECK_THAT(r.error().message, Contains("DOGE"));
  // the writer goes on: the next event is still seq 2
  auto next = j.append(PriceSet{"BTC", usd_price(1)}, Timestamp{k_t0 + 5});
  REQUIRE(next.has_value());
  CHECK(*next == 2);
  REQUIRE(j.commit().has_value());
  auto count = j.event_count();
  REQUIRE(count.has_value());
  CHECK(*count == 2);
}

TEST_CASE("an event dated before the last one is refused by rule", "[journal][write]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  Journal j = open_journal(path, Access::write);
  REQUIRE(j.begin().has_value());
  append_ok(j, "BTC", 65'000, k_t0 + 100);
  // one second earlier than the head
  auto r = j.append(PriceSet{"BTC", usd_price(66'000)}, Timestamp{k_t0 + 99});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::rule);
  CHECK_THAT(r.error().message, Contains("2026-01-01T00:01:40Z"));  // t0 + 100 s
  // before the genesis event too
  auto r0 = j.append(PriceSet{"ETH", usd_price(1)}, Timestamp{k_t0 - 1});
  REQUIRE_FALSE(r0.has_value());
  CHECK(r0.error().kind == ErrorKind::rule);
  // the same second as the head is not backwards
  auto same = j.append(PriceSet{"BTC", usd_price(66'000)}, Timestamp{k_t0 + 100});
  REQUIRE(same.has_value());
  CHECK(*same == 3);
  // the refused events changed nothing: BTC is the last accepted price
  CHECK(j.state().markets.at("BTC").price.units() == 6'600'000'000'000);
  CHECK_FALSE(j.state().markets.at("ETH").priced());
  REQUIRE(j.commit().has_value());
}

// ---------------------------------------------------------------------------------------------
// Replay and verify.

TEST_CASE("replay up to a seq gives the state of that moment", "[journal][replay]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  make_history(path);
  Journal j = open_journal(path, Access::read);
  const auto events = all_events(j);
  REQUIRE(events.size() == 4);

  auto at1 = j.replay(1, std::nullopt);
  REQUIRE(at1.has_value());
  CHECK(at1->second.seq == 1);
  CHECK(at1->second.hash == events[0].hash);
  CHECK_FALSE(at1->first.markets.at("BTC").priced());

  // seq 2: BTC 60,000 = 6,000,000,000,000 units, ETH never priced
  auto at2 = j.replay(2, std::nullopt);
  REQUIRE(at2.has_value());
  CHECK(at2->first.head_seq == 2);
  CHECK(at2->second.seq == 2);
  CHECK(at2->second.hash == events[1].hash);
  CHECK(at2->first.markets.at("BTC").price.units() == 6'000'000'000'000);
  CHECK_FALSE(at2->first.markets.at("ETH").priced());

  // seq 3: BTC 61,000
  auto at3 = j.replay(3, std::nullopt);
  REQUIRE(at3.has_value());
  CHECK(at3->first.markets.at("BTC").price.units() == 6'100'000'000'000);
  CHECK(at3->first.markets.at("BTC").price_seq == 3);
  CHECK_FALSE(at3->first.markets.at("ETH").priced());

  // the whole journal equals the stored state
  auto all = j.replay(std::nullopt, std::nullopt);
  REQUIRE(all.has_value());
  CHECK(all->second.seq == 4);
  CHECK(all->first.markets.at("ETH").price.units() == 300'000'000'000);
  auto stored = j.load_state();
  REQUIRE(stored.has_value());
  CHECK(states_equal(all->first, *stored));
  // a seq past the head is the head
  auto past = j.replay(99, std::nullopt);
  REQUIRE(past.has_value());
  CHECK(past->second.seq == 4);
}

TEST_CASE("replay up to a time includes the event at that time", "[journal][replay]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  make_history(path);
  Journal j = open_journal(path, Access::read);

  // SPEC §10: --as-of includes the event at that time: t0 + 20 is seq 3
  auto at20 = j.replay(std::nullopt, Timestamp{k_t0 + 20});
  REQUIRE(at20.has_value());
  CHECK(at20->second.seq == 3);
  CHECK(at20->first.markets.at("BTC").price.units() == 6'100'000'000'000);
  // between events: t0 + 19 is still seq 2
  auto at19 = j.replay(std::nullopt, Timestamp{k_t0 + 19});
  REQUIRE(at19.has_value());
  CHECK(at19->second.seq == 2);
  CHECK(at19->first.markets.at("BTC").price.units() == 6'000'000'000'000);
  // the genesis second: only the config
  auto at0 = j.replay(std::nullopt, Timestamp{k_t0});
  REQUIRE(at0.has_value());
  CHECK(at0->second.seq == 1);
  CHECK_FALSE(at0->first.markets.at("BTC").priced());
  // before the journal began: nothing at all
  auto before = j.replay(std::nullopt, Timestamp{k_t0 - 1});
  REQUIRE(before.has_value());
  CHECK(before->second.seq == 0);
  CHECK(before->first.head_seq == 0);
  CHECK(before->first.markets.empty());
  // both limits: the earlier one wins
  auto both = j.replay(2, Timestamp{k_t0 + 30});
  REQUIRE(both.has_value());
  CHECK(both->second.seq == 2);
  auto both2 = j.replay(4, Timestamp{k_t0 + 15});
  REQUIRE(both2.has_value());
  CHECK(both2->second.seq == 2);
}

TEST_CASE("verify finds no problem in a good journal", "[journal][verify]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  make_history(path);
  const std::string before = read_bytes(path);
  Journal j = open_journal(path, Access::read);
  int64_t last_done = -1, last_total = -1;
  auto v = j.verify([&](int64_t done, int64_t total) {
    last_done = done;
    last_total = total;
  });
  REQUIRE(v.has_value());
  for (const auto& p : v->problems) UNSCOPED_INFO("seq " << p.seq << " " << p.check << ": " << p.message);
  CHECK(v->problems.empty());
  CHECK(v->events == 4);
  CHECK(v->head.seq == 4);
  CHECK(v->head.hash == all_events(j).back().hash);
  // progress ends at all events checked
  CHECK(last_done == 4);
  CHECK(last_total == 4);
  // verify only reads
  CHECK(read_bytes(path) == before);
}

// ---------------------------------------------------------------------------------------------
// Reading events with their postings.

TEST_CASE("scan_with_postings gives each event once, with exactly its postings in leg order", "[journal][scan]") {
  TempDir dir;
  const std::string path = dir.file("pool.db");
  create_journal(path);
  {
    Journal j = open_journal(path, Access::write);
    REQUIRE(j.begin().has_value());
    append_ok(j, "BTC", 60'000, k_t0 + 10);                                                    // seq 2: no postings
    REQUIRE(j.append(InsuranceDeposited{Usd::whole(500), "operator"}, Timestamp{k_t0 + 20}));  // seq 3
    REQUIRE(j.append(LpDeposited{"ann", Usd::whole(1'000), ""}, Timestamp{k_t0 + 30}));         // seq 4
    append_ok(j, "ETH", 3'000, k_t0 + 40);                                                     // seq 5: no postings
    REQUIRE(j.commit().has_value());
  }
  Journal j = open_journal(path, Access::read);
  std::vector<StoredPosting> all;
  REQUIRE(j.scan_postings([&](const StoredPosting& p) -> Status {
    all.push_back(p);
    return {};
  }));
  REQUIRE(all.size() == 4);

  std::vector<int64_t> seqs;
  std::vector<StoredPosting> merged;
  auto ok = j.scan_with_postings(1, INT64_MAX, [&](const StoredEvent& e, const std::vector<StoredPosting>& legs) -> Status {
    seqs.push_back(e.seq);
    for (const auto& p : legs) {
      CHECK(p.seq == e.seq);
      merged.push_back(p);
    }
    if (e.seq == 3) {
      REQUIRE(legs.size() == 2);
      // insurance +500, funder:operator -500 (micro-units)
      CHECK(legs[0].account == "insurance");
      CHECK(legs[0].amount == 500'000'000);
      CHECK(legs[1].account == "funder:operator");
      CHECK(legs[1].amount == -500'000'000);
    }
    if (e.seq == 2 || e.seq == 5) CHECK(legs.empty());
    return {};
  });
  REQUIRE(ok.has_value());
  CHECK(seqs == std::vector<int64_t>{1, 2, 3, 4, 5});
  REQUIRE(merged.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(merged[i].seq == all[i].seq);
    CHECK(merged[i].leg == all[i].leg);
    CHECK(merged[i].account == all[i].account);
    CHECK(merged[i].amount == all[i].amount);
  }

  // A range starts and ends where asked: seq 4 alone, with its two legs.
  seqs.clear();
  std::size_t legs4 = 0;
  ok = j.scan_with_postings(4, 4, [&](const StoredEvent& e, const std::vector<StoredPosting>& legs) -> Status {
    seqs.push_back(e.seq);
    legs4 = legs.size();
    return {};
  });
  REQUIRE(ok.has_value());
  CHECK(seqs == std::vector<int64_t>{4});
  CHECK(legs4 == 2);
}
