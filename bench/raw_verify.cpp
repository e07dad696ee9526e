// bench/raw_verify.cpp: the raw SQLite ceiling for verify: scan the events table, recompute the SHA-256 chain.
//
// Reads every row in seq order with the SQLite C API, checks seq has no gap, prev_hash is the previous
// row's hash and hash is SHA-256 of the preimage (Nettle, lowercase hex). No payload decoding, replay
// or derived-table checks: that is the part of `nexadex verify` a raw scan cannot do for it.
// Prints  events N bad B head SEQ HASH  and exits 1 when B > 0.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <string_view>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: raw_verify JOURNAL\n");
    return 1;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_verify: %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "out of memory");
    return 1;
  }
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT seq, at, kind, payload, prev_hash, hash FROM events ORDER BY seq", -1, &q,
                         nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_verify: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  char prev[64];
  std::memset(prev, '0', sizeof prev);
  char hash[64];
  int64_t expected = 1, events = 0, bad = 0, rc = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const int64_t seq = sqlite3_column_int64(q, 0);
    const int64_t at = sqlite3_column_int64(q, 1);
    auto text = [&](int col) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, col));
      return std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(q, col)));
    };
    const std::string_view kind = text(2), payload = text(3), prev_hash = text(4), stored = text(5);
    chain_hash(prev_hash, seq, at, kind, payload, hash);
    if (seq != expected || prev_hash != std::string_view(prev, 64) || stored != std::string_view(hash, 64)) ++bad;
    if (stored.size() == 64) std::memcpy(prev, stored.data(), 64);
    expected = seq + 1;
    ++events;
  }
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "raw_verify: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  std::printf("events %lld bad %lld head %lld %.64s\n", static_cast<long long>(events), static_cast<long long>(bad),
              static_cast<long long>(expected - 1), prev);
  return bad == 0 ? 0 : 1;
}
