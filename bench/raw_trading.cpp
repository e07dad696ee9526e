// bench/raw_trading.cpp: the raw SQLite ceiling of a trading day: COUNT chained events, each with
// three posting rows and one state-row upsert, in one transaction.
//
// What appending a vault operation costs at the least, with nothing of nexadex: the SQLite C API and
// Nettle, synchronous=FULL, BEGIN IMMEDIATE, read the head row, then per event one chained events row
// (the chain rule of raw_append and bench_common.hpp), three rows of postings (trader, position,
// lp:senior) and one INSERT OR REPLACE of the trader's row in accounts (a table of 2,000 keys), all
// with prepared statements, then COMMIT. The payloads are position_opened payloads of the size nexadex
// writes for `open`, the longest kind of a trading day, with the numbers varying per event. The
// tables are the journal's own (with their triggers and primary keys), so use a copy of a fresh
// journal: the result chains (raw_verify accepts it) but is not a journal `nexadex verify` accepts.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench/bench_common.hpp"
#include "bench/bench_sqlite.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: raw_trading JOURNAL COUNT FIRST_AT\n"
                         "  appends COUNT events at FIRST_AT, FIRST_AT+1, ..., each with 3 postings and 1 upsert;\n"
                         "  prints the new head\n");
    return 1;
  }
  const int64_t count = arg_int("raw_trading", "COUNT", argv[2]);
  const int64_t first_at = arg_int("raw_trading", "FIRST_AT", argv[3]);

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) die(db, argv[1]);
  sqlite3_busy_timeout(db, 10'000);
  exec(db, "PRAGMA synchronous = FULL");
  exec(db, "BEGIN IMMEDIATE");

  sqlite3_stmt* head = prepare(db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  if (sqlite3_step(head) != SQLITE_ROW) die(db, "the journal has no head row");
  int64_t seq = sqlite3_column_int64(head, 0);
  char prev[64];
  if (sqlite3_column_bytes(head, 1) != 64) die(db, "the head hash is not 64 hex digits");
  std::memcpy(prev, sqlite3_column_text(head, 1), 64);
  sqlite3_finalize(head);

  sqlite3_stmt* ins = prepare(db, "INSERT INTO events (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_stmt* post = prepare(db, "INSERT INTO postings (seq, leg, account, amount) VALUES (?, ?, ?, ?)");
  sqlite3_stmt* upsert = prepare(db, "INSERT OR REPLACE INTO accounts (account, balance) VALUES (?, ?)");
  static constexpr std::string_view k_kind = "position_opened";
  std::string payload;
  char hash[64];
  char amount[32], trader[32], account[40], position[40];
  for (int64_t k = 0; k < count; ++k) {
    const int64_t at = first_at + k;
    ++seq;
    const int64_t collateral = 50'000'000 + (seq * 7'919) % 1'950'000'000;  // 50 to 2,000 USD, micro-USD
    const int64_t fee = collateral / 100;
    std::snprintf(trader, sizeof trader, "t%lld", static_cast<long long>((seq * 31) % 2'000));
    std::snprintf(account, sizeof account, "trader:%s", trader);
    std::snprintf(position, sizeof position, "position:%lld", static_cast<long long>(seq));
    std::snprintf(amount, sizeof amount, "%lld.%06lld", static_cast<long long>(collateral / 1'000'000),
                  static_cast<long long>(collateral % 1'000'000));
    payload.assign(R"({"collateral":")");
    payload += amount;
    payload += R"(","leverage":"10.00","market":"BTC","side":")";
    payload += seq % 2 ? "long" : "short";
    payload += R"(","trader":")";
    payload += trader;
    payload += R"("})";
    chain_hash(std::string_view(prev, 64), seq, at, k_kind, payload, hash);
    sqlite3_bind_int64(ins, 1, seq);
    sqlite3_bind_int64(ins, 2, at);
    sqlite3_bind_text(ins, 3, k_kind.data(), static_cast<int>(k_kind.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, prev, 64, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, hash, 64, SQLITE_STATIC);
    step(db, ins, "insert event");

    const struct {
      const char* account;
      int64_t amount;
    } legs[3] = {{account, -collateral}, {position, collateral - fee}, {"lp:senior", fee}};
    for (int leg = 0; leg < 3; ++leg) {
      sqlite3_bind_int64(post, 1, seq);
      sqlite3_bind_int(post, 2, leg);
      sqlite3_bind_text(post, 3, legs[leg].account, -1, SQLITE_STATIC);
      sqlite3_bind_int64(post, 4, legs[leg].amount);
      step(db, post, "insert posting");
    }
    sqlite3_bind_text(upsert, 1, account, -1, SQLITE_STATIC);
    sqlite3_bind_int64(upsert, 2, -collateral * seq);
    step(db, upsert, "upsert account");
    std::memcpy(prev, hash, 64);
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(post);
  sqlite3_finalize(upsert);
  exec(db, "COMMIT");
  if (sqlite3_close(db) != SQLITE_OK) die(db, "close");
  std::printf("head %lld %.64s\n", static_cast<long long>(seq), prev);
  return 0;
}
