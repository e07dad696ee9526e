// bench/raw_verify.cpp: the raw SQLite ceiling for verify: scan the events table, recompute the SHA-256 chain.
//
// Reads every row in seq order with the SQLite C API, checks seq has no gap, prev_hash is the previous
// row's hash and hash is SHA-256 of the preimage (Nettle, lowercase hex). No payload decoding, replay
// or derived-table checks: that is the part of `nexadex verify` a raw scan cannot do for it.
// With --postings, also the work of verify's postings a raw scan can do: the postings table read in
// (seq, leg) order beside the events, each event's legs summed (a non-zero sum counts as bad) and
// every account's balance kept in a hash map (scripts/bench-audit.sh's ceiling).
// Prints  events N bad B head SEQ HASH [postings P accounts A]  and exits 1 when B > 0.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bench/bench_common.hpp"

using namespace nexadex::bench;

int main(int argc, char** argv) {
  const bool with_postings = argc == 3 && std::string_view(argv[2]) == "--postings";
  if (argc != 2 && !with_postings) {
    std::fprintf(stderr, "usage: raw_verify JOURNAL [--postings]\n");
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
  sqlite3_stmt* pq = nullptr;
  if (with_postings && sqlite3_prepare_v2(db, "SELECT seq, leg, account, amount FROM postings ORDER BY seq, leg", -1,
                                          &pq, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "raw_verify: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  std::unordered_map<std::string, __int128> balances;
  int64_t postings = 0;
  bool more = pq != nullptr && sqlite3_step(pq) == SQLITE_ROW;
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
    // this event's legs: summed, and each account's balance kept
    int64_t sum = 0;
    while (more && sqlite3_column_int64(pq, 0) <= seq) {
      const auto* a = reinterpret_cast<const char*>(sqlite3_column_text(pq, 2));
      const int64_t amount = sqlite3_column_int64(pq, 3);
      balances[std::string(a, static_cast<std::size_t>(sqlite3_column_bytes(pq, 2)))] += amount;
      sum += amount;
      ++postings;
      more = sqlite3_step(pq) == SQLITE_ROW;
    }
    if (sum != 0) ++bad;
    expected = seq + 1;
    ++events;
  }
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "raw_verify: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  sqlite3_finalize(q);
  sqlite3_finalize(pq);
  sqlite3_close(db);
  std::printf("events %lld bad %lld head %lld %.64s", static_cast<long long>(events), static_cast<long long>(bad),
              static_cast<long long>(expected - 1), prev);
  if (with_postings) {
    std::printf(" postings %lld accounts %zu", static_cast<long long>(postings), balances.size());
  }
  std::printf("\n");
  return bad == 0 ? 0 : 1;
}
