// bench/raw_append.cpp: the raw SQLite ceiling for appending: COUNT chained price_set rows, one transaction.
//
// What nexadex's append path must do at the least, and nothing more: open the journal file with the
// SQLite C API, synchronous=FULL, BEGIN IMMEDIATE, read the head row, then for each row build the
// same payload bytes, the same SHA-256 chain hash (Nettle, lowercase hex) and insert it with one
// prepared statement, then COMMIT. With COUNT 1 it is the per-process floor of `nexadex price set`.
// No derived tables are written, so the result is a chain that `nexadex verify` would not accept
// (its markets row is stale): use it on a copy. --persist-wal keeps the -wal file when the
// connection closes (SQLITE_FCNTL_PERSIST_WAL, journal_size_limit 0), so that the next process
// does not create it again and sync the directory.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench/bench_common.hpp"
#include "bench/bench_sqlite.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  const bool persist_wal = argc == 5 && std::string_view(argv[4]) == "--persist-wal";
  if (argc != 4 && !persist_wal) {
    std::fprintf(stderr, "usage: raw_append JOURNAL COUNT FIRST_AT [--persist-wal]\n"
                         "  appends COUNT price_set rows at FIRST_AT, FIRST_AT+1, ...; prints the new head\n");
    return 1;
  }
  const int64_t count = arg_int("raw_append", "COUNT", argv[2]);
  const int64_t first_at = arg_int("raw_append", "FIRST_AT", argv[3]);

  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) die(db, argv[1]);
  sqlite3_busy_timeout(db, 10'000);
  exec(db, "PRAGMA synchronous = FULL");
  if (persist_wal) {
    int on = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
    exec(db, "PRAGMA journal_size_limit = 0");
  }
  exec(db, "BEGIN IMMEDIATE");

  sqlite3_stmt* head = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", -1, &head, nullptr) != SQLITE_OK)
    die(db, "prepare head");
  if (sqlite3_step(head) != SQLITE_ROW) die(db, "the journal has no head row");
  int64_t seq = sqlite3_column_int64(head, 0);
  char prev[64];
  if (sqlite3_column_bytes(head, 1) != 64) die(db, "the head hash is not 64 hex digits");
  std::memcpy(prev, sqlite3_column_text(head, 1), 64);
  sqlite3_finalize(head);

  sqlite3_stmt* ins = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO events (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
                         -1, &ins, nullptr) != SQLITE_OK)
    die(db, "prepare insert");
  static constexpr std::string_view k_kind = "price_set";
  std::string payload;
  char hash[64];
  for (int64_t k = 0; k < count; ++k) {
    const int64_t at = first_at + k;
    ++seq;
    price_payload(at, payload);
    chain_hash(std::string_view(prev, 64), seq, at, k_kind, payload, hash);
    sqlite3_bind_int64(ins, 1, seq);
    sqlite3_bind_int64(ins, 2, at);
    sqlite3_bind_text(ins, 3, k_kind.data(), static_cast<int>(k_kind.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, prev, 64, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, hash, 64, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) die(db, "insert");
    sqlite3_reset(ins);
    std::memcpy(prev, hash, 64);
  }
  sqlite3_finalize(ins);
  exec(db, "COMMIT");
  if (sqlite3_close(db) != SQLITE_OK) die(db, "close");
  std::printf("head %lld %.64s\n", static_cast<long long>(seq), prev);
  return 0;
}
