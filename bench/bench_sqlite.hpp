// bench/bench_sqlite.hpp: the SQLite C API calls of the raw ceilings, each exiting with the program's
// name and SQLite's message on failure (a benchmark has nothing to recover).
#pragma once

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace nexadex::bench {

[[noreturn]] inline void die(sqlite3* db, const char* what) {
  std::fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
               db ? sqlite3_errmsg(db) : "out of memory");
  std::exit(1);
}

inline void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) die(db, sql);
}

inline sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) die(db, sql);
  return st;
}

// Runs a statement that returns no row, then resets it for the next bindings.
inline void step(sqlite3* db, sqlite3_stmt* st, const char* what) {
  if (sqlite3_step(st) != SQLITE_DONE) die(db, what);
  sqlite3_reset(st);
}

}  // namespace nexadex::bench
