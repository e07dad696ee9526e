// bench/raw_scan.cpp: the raw SQLite reference for figure (g), cascade --shock: read every open
// position's row once, as a stress test that revalues position by position must at least do.
//
// Opens the journal read-only with the SQLite C API (memory-mapped, as nexadex's readers are), reads
// the columns a revaluation needs (size, collateral, entry price, reserve, market, side) of every
// open position in rowid order, and sums sizes so the reads cannot be optimized away. No arithmetic of
// the pool's rules: that part of nexadex's work a raw scan does not do. Prints  open N size_sum S.
#include <sqlite3.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: raw_scan JOURNAL\n");
    return 1;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_scan: %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "out of memory");
    return 1;
  }
  sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", nullptr, nullptr, nullptr);
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT size, collateral, entry_price, reserve, market, side FROM positions "
                         "WHERE status = 'open'",
                         -1, &q, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_scan: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  long long open = 0, size_sum = 0, bytes = 0;
  int rc = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    size_sum += sqlite3_column_int64(q, 0) + sqlite3_column_int64(q, 1) + sqlite3_column_int64(q, 2) +
                sqlite3_column_int64(q, 3);
    bytes += sqlite3_column_bytes(q, 4) + sqlite3_column_bytes(q, 5);
    ++open;
  }
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "raw_scan: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  std::printf("open %lld size_sum %lld bytes %lld\n", open, size_sum, bytes);
  return 0;
}
