// journal/session.hpp: Journal::Impl, the one SQLite connection behind a Journal and what a session
// keeps on it (internal to journal/: the files that implement Journal share it). Each member names
// the file that defines it.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/checkpoint.hpp"
#include "journal/journal.hpp"
#include "journal/schema.hpp"
#include "journal/sqlite_error.hpp"
#include "journal/table_loader.hpp"

namespace nexadex::journal {

// Process-wide SQLite settings, made once before the first connection: no memory statistics (they
// take a global mutex on every allocation, and nexadex never reads them).
struct SqliteSetup {
  SqliteSetup();
};

// The postings in (seq, leg) order, seq from ?1 to ?2, and one row of that query (scan.cpp, verify.cpp).
inline constexpr const char* k_postings_in_order =
    "SELECT seq, leg, account, amount FROM postings WHERE seq BETWEEN ? AND ? ORDER BY seq, leg";
inline StoredPosting posting_row(SQLite::Statement& q) {
  return StoredPosting{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                       q.getColumn(3).getInt64()};
}

// PRAGMA `name` = `v` (application_id, user_version).
void set_int_pragma(SQLite::Database& db, const char* name, int64_t v);

struct Journal::Impl {
  SqliteSetup setup;   // first: before `db` opens
  std::string path;
  SQLite::Database db;
  State state;
  JournalHead head;
  bool in_write = false;
  std::optional<SQLite::Statement> insert_event;
  std::optional<SQLite::Statement> insert_posting;
  SqlTableLoader positions{db, path};
  int64_t version = k_schema_version;
  // checkpoint.cpp: the checkpoints (checkpoint.hpp).
  bool image_attached = false;         // the in-memory image schema, attached at the first checkpoint
  int64_t last_checkpoint = -1;        // its seq (0: none yet); -1 until read in this transaction
  std::string last_checkpoint_hash;
  int64_t checkpoint_every = k_checkpoint_every;
  std::vector<std::unique_ptr<CheckpointReader>> readers;   // behind the states read from checkpoints
  EmptyLoader empty;                                         // and behind replays from the first event
  std::vector<std::unique_ptr<CheckpointLoader>> replay_loaders;

  // session.cpp: opens `p` with SQLite's `flags`, or `name` (a file: URI with `flags` holding
  // SQLite::OPEN_URI) with `p` naming it in messages.
  Impl(std::string p, int flags);
  Impl(std::string p, const std::string& name, int flags);

  // append.cpp: the chain's head, and appending to it.
  // The latest seq that a posting or a state row names (a few B-tree probes).
  int64_t last_written_seq();
  // Reads the last event into `head`. Errors (ErrorKind::journal): no events, the first is not seq 1,
  // or postings and state rows name a later seq than the last event.
  Status load_head();
  // Applies `body` at `at` to `state`, then stores the event, chained to `head`, with its postings.
  // Errors: the rule's refusal (nothing stored); SQLite's throw SQLite::Exception.
  Result<int64_t> append(EventBody body, Timestamp at, Outcome* outcome);

  // checkpoint.cpp: attaches the image schema (inside the write transaction: SQLite allows that, but
  // no DETACH there, so it stays attached while the connection lives); after an event is stored,
  // writes a checkpoint when one is due.
  Status attach_image();
  Status maybe_checkpoint();
  // The latest checkpoint at or before `seq` (none before schema 8), every checkpoint without its
  // image, one's image; and the state and head at one (its reader kept in `readers`), none when its
  // hash, its event's hash and time or its image's SHA-256 do not check out (verify also compares
  // the state it holds with the replay).
  std::optional<CheckpointRow> checkpoint_at_or_before(int64_t seq);
  std::vector<CheckpointRow> checkpoint_rows();
  std::string checkpoint_image(int64_t seq);
  Result<std::optional<std::pair<State, JournalHead>>> state_at_checkpoint(const CheckpointRow& row);
  // The accounts table's rows not at zero (one pass; memory for those only).
  LiveAccounts stored_live_accounts();

  // state_tables.cpp: the derived tables as a whole.
  // Reads config, markets, vault, LPs and books into `state` (positions and accounts stay in their
  // tables, read through `positions`), then the head.
  Status load_state_tables();
  // Writes the rows that `state` marks as changed and clears the marks.
  // Errors: an account balance beyond int64 (the accounts table is INTEGER; ErrorKind::input: the amounts given),
  // found before any row is written.
  Status write_state_rows();
};

}  // namespace nexadex::journal
