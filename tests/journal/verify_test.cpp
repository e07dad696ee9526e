// tests/journal/verify_test.cpp: `verify` (journal/verify.cpp) through Journal::verify on temporary
// journals changed "by some means other than SQLite"'s own API path (STYLE.md anomaly tests): each
// change is found, and the first finding names the seq and the check it concerns.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/journal/temp_dir.hpp"
#include "journal/config_toml.hpp"
#include "journal/journal.hpp"

using namespace nexadex;
using namespace nexadex::journal;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

constexpr int64_t k_t0 = 1'767'225'600;   // 2026-01-01T00:00:00Z
constexpr int64_t k_usd = 1'000'000;

const std::string k_config_text =
    "[pool]\nmax_price_age = \"1h\"\n\n[[markets]]\nsymbol = \"BTC\"\n\n[[markets]]\nsymbol = \"ETH\"\n";

using test::TempDir;

void append(Journal& j, EventBody body, int64_t at) {
  auto seq = j.append(std::move(body), Timestamp{at});
  if (!seq) FAIL("append: " << seq.error().message);
}

// Six events: 1 journal_created, 2 BTC 50,000, 3 alice deposits 100,000, 4 tom opens a 10,000 BTC
// long with 2,000 (open fee 10: LPs 7, insurance 2, treasury 1), 5 BTC 51,000, 6 ETH 3,000.
JournalHead make_journal(const std::string& path) {
  auto config = parse_config(k_config_text, "test.toml");
  if (!config) FAIL(config.error().message);
  auto created = Journal::create(path, k_config_text, *config, Timestamp{k_t0});
  if (!created) FAIL("create: " << created.error().message);
  auto j = Journal::open(path, Access::write);
  if (!j) FAIL("open: " << j.error().message);
  REQUIRE(j->begin().has_value());
  append(*j, PriceSet{"BTC", Price::whole(50'000)}, k_t0 + 10);
  append(*j, LpDeposited{"alice", Usd(100'000 * k_usd), ""}, k_t0 + 20);
  append(*j, PositionOpened{"tom", "BTC", Side::long_, Usd(2'000 * k_usd), Usd(10'000 * k_usd), Leverage{0}, {}, {}}, k_t0 + 30);
  append(*j, PriceSet{"BTC", Price::whole(51'000)}, k_t0 + 40);
  append(*j, PriceSet{"ETH", Price::whole(3'000)}, k_t0 + 50);
  REQUIRE(j->commit().has_value());
  return j->head();
}

// Runs SQL on the file with SQLite itself, as an editor of the file would.
void edit(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(sql);
}

int64_t query_int(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

std::string findings(const VerifyResult& v) {
  std::string out;
  for (const auto& d : v.problems) out += std::to_string(d.seq) + " " + d.check + ": " + d.message + "\n";
  return out;
}

// verify on its threads, which must find the same, in the same order and words, as on one.
VerifyResult verify(const std::string& path) {
  VerifyResult got[2];
  for (const bool parallel : {true, false}) {
    auto j = Journal::open(path, Access::read);
    if (!j) FAIL("open: " << j.error().message);
    auto v = j->verify({}, false, parallel);
    if (!v) FAIL("verify: " << v.error().message);
    got[parallel ? 0 : 1] = std::move(*v);
  }
  REQUIRE(findings(got[0]) == findings(got[1]));
  REQUIRE(got[0].events == got[1].events);
  REQUIRE(got[0].head.hash == got[1].head.hash);
  return got[0];
}

}  // namespace

TEST_CASE("verify finds nothing in a journal written through the API", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  const JournalHead head = make_journal(path);
  const VerifyResult v = verify(path);
  INFO(findings(v));
  CHECK(v.problems.empty());
  // six events, the head the writer committed
  CHECK(v.events == 6);
  CHECK(v.head.seq == 6);
  CHECK(v.head.hash == head.hash);
  CHECK(v.head.at == Timestamp{k_t0 + 50});
}

TEST_CASE("an event payload edited in the file is found first at its seq, as a broken chain", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  make_journal(path);
  // seq 2's price 50,000 becomes 50,001: its stored hash no longer matches its bytes
  edit(path, "DROP TRIGGER events_no_update;"
             "UPDATE events SET payload = replace(payload, '50000.00000000', '50001.00000000') WHERE seq = 2;");
  REQUIRE(query_int(path, "SELECT count(*) FROM events WHERE payload LIKE '%50001.00000000%'") == 1);
  const VerifyResult v = verify(path);
  INFO(findings(v));
  REQUIRE_FALSE(v.problems.empty());
  CHECK(v.problems.front().seq == 2);
  CHECK(v.problems.front().check == "chain");
  CHECK_THAT(v.problems.front().message, Contains("changed after it was written"));
  // only seq 2's hash is wrong: no chain finding at another seq
  for (const auto& d : v.problems) {
    if (d.check == "chain") CHECK(d.seq == 2);
  }
}

TEST_CASE("a deleted posting is found first at its event's seq", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  make_journal(path);
  // the open (seq 4) posts its legs; drop its first one
  REQUIRE(query_int(path, "SELECT count(*) FROM postings WHERE seq = 4") >= 2);
  edit(path, "DROP TRIGGER postings_no_delete; DELETE FROM postings WHERE seq = 4 AND leg = 0;");
  const VerifyResult v = verify(path);
  INFO(findings(v));
  REQUIRE_FALSE(v.problems.empty());
  CHECK(v.problems.front().seq == 4);
  CHECK(v.problems.front().check == "postings");
  // no finding names a seq before 4: seqs 1 to 3 are untouched (0 is the journal as a whole)
  for (const auto& d : v.problems) CHECK((d.seq == 0 || d.seq >= 4));
  // leg 0 was trader:tom's −2,000 collateral, its only posting: the accounts table's −2,000 has no
  // postings left behind it
  bool orphan = false;
  for (const auto& d : v.problems) {
    orphan = orphan || (d.check == "accounts" && d.message.find("account trader:tom holds -2000.000000") == 0);
  }
  CHECK(orphan);
}

TEST_CASE("an account balance changed in the accounts table is found at the event that last posted it", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  make_journal(path);
  // treasury holds floor(10 × 10%) = 1 USD from seq 4's open fee, posted by no other event
  REQUIRE(query_int(path, "SELECT balance FROM accounts WHERE account = 'treasury'") == 1 * k_usd);
  edit(path, "UPDATE accounts SET balance = balance + 1 WHERE account = 'treasury';");
  const VerifyResult v = verify(path);
  INFO(findings(v));
  REQUIRE_FALSE(v.problems.empty());
  const Discrepancy& first = v.problems.front();
  CHECK(first.seq == 4);
  CHECK(first.check == "state");
  CHECK_THAT(first.message, Contains("account treasury"));
  // 1.000001 stored against 1.000000 replayed
  CHECK_THAT(first.message, Contains("1.000001"));
  // and the stored balance disagrees with the postings' sum as well
  bool accounts_finding = false;
  for (const auto& d : v.problems) accounts_finding = accounts_finding || (d.check == "accounts" && d.seq == 4);
  CHECK(accounts_finding);
}

TEST_CASE("a derived state row changed in the file is found at the event that wrote it", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  make_journal(path);
  // BTC's row was last written by seq 5 (51,000)
  edit(path, "UPDATE markets SET price = 1 WHERE symbol = 'BTC';");
  const VerifyResult v = verify(path);
  INFO(findings(v));
  REQUIRE_FALSE(v.problems.empty());
  CHECK(v.problems.front().seq == 5);
  CHECK(v.problems.front().check == "state");
  CHECK_THAT(v.problems.front().message, Contains("market BTC"));
}

TEST_CASE("an edit verify finds leaves the events readable and the head unchanged", "[verify]") {
  TempDir dir;
  const std::string path = dir.file("j.db");
  const JournalHead head = make_journal(path);
  edit(path, "UPDATE markets SET price = 1 WHERE symbol = 'ETH';");
  const VerifyResult v = verify(path);
  INFO(findings(v));
  // ETH's row was written by seq 6; every event was still read and the head is the writer's
  REQUIRE(v.problems.size() >= 1);
  CHECK(v.problems.front().seq == 6);
  CHECK(v.events == 6);
  CHECK(v.head.hash == head.hash);
}

namespace {

// SQLite's variable-length integer at `p` (big-endian, 7 bits a byte, the ninth byte whole).
uint64_t read_varint(const std::vector<unsigned char>& b, std::size_t& p) {
  uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    const unsigned char c = b.at(p++);
    if (i == 8) return (v << 8) | c;
    v = (v << 7) | (c & 0x7f);
    if ((c & 0x80) == 0) return v;
  }
  return v;
}

}  // namespace

TEST_CASE("postings whose B-tree is out of key order are a structure finding", "[verify]") {
  // The postings table is a WITHOUT ROWID B-tree: its order is the key's, which quick_check does not
  // check and verify's read of every posting in key order does. Two cells' seqs are swapped in the
  // file's bytes (the first legs of the deposit at seq 3 and of the open at seq 4), every page still
  // well formed: the B-tree now holds (4, 0) before (3, 1).
  TempDir dir;
  const std::string path = dir.file("j.db");
  make_journal(path);
  edit(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  const int64_t root = query_int(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'postings'");
  const int64_t page_size = query_int(path, "PRAGMA page_size");
  std::vector<unsigned char> bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::size_t base = static_cast<std::size_t>((root - 1) * page_size);
  const std::size_t header = base + (root == 1 ? 100 : 0);
  REQUIRE(bytes.at(header) == 0x0a);   // a leaf page of an index B-tree: every posting on it
  const std::size_t cells = static_cast<std::size_t>(bytes.at(header + 3) << 8 | bytes.at(header + 4));
  // the offset of each cell's seq value (serial type 1: one byte) by (seq, leg)
  std::map<std::pair<int, int>, std::size_t> seq_at;
  for (std::size_t k = 0; k < cells; ++k) {
    std::size_t p = base + static_cast<std::size_t>(bytes.at(header + 8 + 2 * k) << 8 | bytes.at(header + 9 + 2 * k));
    (void)read_varint(bytes, p);   // the payload's size
    const std::size_t record = p;
    const uint64_t header_size = read_varint(bytes, p);
    const uint64_t seq_type = read_varint(bytes, p);
    const uint64_t leg_type = read_varint(bytes, p);
    REQUIRE(seq_type == 1);
    const std::size_t body = record + header_size;
    const int leg = leg_type == 8 ? 0 : leg_type == 9 ? 1 : bytes.at(body + 1);
    seq_at[{bytes.at(body), leg}] = body;
  }
  REQUIRE(seq_at.count({3, 0}) == 1);
  REQUIRE(seq_at.count({4, 0}) == 1);
  std::swap(bytes.at(seq_at[{3, 0}]), bytes.at(seq_at[{4, 0}]));
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  // the damage is SQLite's to find, not only ours: integrity_check names it, quick_check does not
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA quick_check").getString() == "ok");
    CHECK_THAT(db.execAndGet("PRAGMA integrity_check").getString(), Contains("row not in PRIMARY KEY order for postings"));
  }
  const VerifyResult v = verify(path);
  INFO(findings(v));
  REQUIRE_FALSE(v.problems.empty());
  CHECK(v.problems.front().check == "structure");
  CHECK_THAT(v.problems.front().message,
             Contains("the postings table's B-tree is out of key order (seq 3 leg 1 follows seq 4 leg 0)"));
}
