// journal/journal.hpp: the append-only, hash-chained SQLite journal and its derived state tables.
//
// Implemented by concern (session.hpp holds what they share): identify.cpp (is a file a journal, of
// which schema), session.cpp (init, opening, transactions), table_loader.cpp and state_tables.cpp (the
// derived tables), append.cpp (the hash chain), migrate.cpp (schema upgrades), scan.cpp (reading in
// seq order, replay) and verify.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/event.hpp"
#include "lib/journal_head.hpp"
#include "lib/outcome.hpp"
#include "lib/state.hpp"

namespace nexadex::journal {

// One row of the events table, as stored.
struct StoredEvent {
  int64_t seq = 0;
  int64_t at = 0;
  std::string kind;
  std::string payload;
  std::string prev_hash;
  std::string hash;
};

struct StoredPosting {
  int64_t seq = 0;
  int64_t leg = 0;
  std::string account;
  int64_t amount = 0;
};

enum class Access { read, write };

// What a callback of Journal::scan returns to end the scan early, successfully.
std::unexpected<Error> stop_scan();

// One finding of `verify`: the check that failed (chain, payload, replay, postings, accounts, state,
// tables), the event it concerns (0 for the state as a whole) and what was found.
struct Discrepancy {
  int64_t seq = 0;
  std::string check;
  std::string message;
};

struct VerifyResult {
  JournalHead head;
  int64_t events = 0;        // events checked
  int64_t checkpoints = 0;   // checkpoints compared with the replay
  int64_t from_seq = 1;      // the first event checked: 1, or the one after the checkpoint verify started at
  std::vector<Discrepancy> problems;   // first bad seq first
};

// Called now and then during verify with (events checked, events in all).
using Progress = std::function<void(int64_t, int64_t)>;

class Journal {
 public:
  // `init`: creates a journal at `path` whose first event holds `config_text` (already validated by the
  // caller as `config`). Refuses an existing path (ErrorKind::input) and never touches it; the file
  // appears whole or not at all (built beside it, then linked into place). Its journal_created adopts
  // `rules`, by default the version `init` writes for the config (rules_to_write).
  static Result<JournalHead> create(const std::string& path, const std::string& config_text, const Config& config,
                                    Timestamp at, std::optional<int64_t> rules = std::nullopt);

  // Opens an existing journal. Missing, foreign (not SQLite, or another application's SQLite file),
  // newer-schema or damaged files are refused with ErrorKind::journal before SQLite writes anything.
  static Result<Journal> open(const std::string& path, Access access);

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  // Writers: begin() takes the write lock (BEGIN IMMEDIATE with a busy timeout) and loads the state
  // from the derived tables; append() applies one event and stores it with its postings; commit()
  // writes the changed state rows and commits; rollback() discards everything since begin().
  Status begin();
  // With `outcome`, also what the event did in money (lib/outcome.hpp).
  Result<int64_t> append(EventBody body, Timestamp at, Outcome* outcome = nullptr);
  Status commit();
  void rollback();
  // Writes the state rows changed so far without committing (reports inside a batch read them).
  Status flush();

  // Writers: events between checkpoints, at least (journal/checkpoint.hpp's k_checkpoint_every unless
  // set; NEXADEX_CHECKPOINT_EVERY). Readers ignore it.
  void set_checkpoint_every(int64_t events);

  // Readers: the state as the derived tables hold it (no replay), and the head.
  Result<State> load_state();
  const State& state() const;   // after begin() (writers)
  JournalHead head() const;     // after begin() or load_state()
  Result<int64_t> event_count();
  // The largest seq stored (0: none), from the primary key without a scan.
  Result<int64_t> last_seq();
  // For a reader that streams through the file once (report events, export): read pages through
  // SQLite's page cache instead of the memory map, so that what was read does not stay resident.
  Status read_without_map();

  // Streams stored events with from <= seq <= to in seq order; stops at the first error `fn` returns.
  // A missing event (a gap in the seqs from `from` on), or no event at all where seq 1 should be, is
  // ErrorKind::journal: the journal is damaged and every reader of events says so.
  // `fn` may return stop_scan() to end the scan there: scan() then returns success, reads nothing
  // more and checks nothing after (report events at its --limit).
  Status scan(int64_t from, int64_t to, const std::function<Status(const StoredEvent&)>& fn);
  // The same rows as stored, gaps and all (verify reports them itself).
  Status scan_rows(int64_t from, int64_t to, const std::function<Status(const StoredEvent&)>& fn);
  // Streams stored postings in (seq, leg) order (those of events from <= seq <= to).
  Status scan_postings(const std::function<Status(const StoredPosting&)>& fn);
  Status scan_postings(int64_t from, int64_t to, const std::function<Status(const StoredPosting&)>& fn);
  // The first event at or after `at` (head seq + 1 when none) and the last at or before it (0 when
  // none), among events 1 to `head`: a binary search on seq, as event times never go backwards.
  Result<int64_t> first_seq_at_or_after(Timestamp at, int64_t head);
  Result<int64_t> last_seq_at_or_before(Timestamp at, int64_t head);
  // Streams stored events as scan() does (a gap is ErrorKind::journal), each with its postings in leg
  // order (none for a price_set, say). Two ordered reads merged: memory holds one event's postings.
  using EventWithPostings = std::function<Status(const StoredEvent&, const std::vector<StoredPosting>&)>;
  Status scan_with_postings(int64_t from, int64_t to, const EventWithPostings& fn);
  // Replays events from seq 1 into a fresh state, up to and including `upto_seq` or the last event
  // at or before `upto_at` (or all). Also returns the head reached.
  // `before_each`, when given, sees the state before every event after the first, with that event's time
  // (report history samples the series through it).
  using BeforeEach = std::function<Status(const State&, Timestamp next_at)>;
  Result<std::pair<State, JournalHead>> replay(std::optional<int64_t> upto_seq, std::optional<Timestamp> upto_at,
                                               const BeforeEach& before_each = {});
  // Number of rows in a derived table that lib does not model yet (verify checks they are empty).
  Result<int64_t> row_count(std::string_view table);

  // SQLite's integrity check: the problems it lists (at most 20; empty when the file is sound), or
  // ErrorKind::journal when SQLite cannot check the file at all. `whole`: every page, index and
  // constraint (PRAGMA integrity_check). `but_positions_indexes`: the same but for the entries of the
  // positions table's indexes and the postings' key order (quick_check, then integrity_check of the
  // other tables with more to check), which a full verify checks in its own reads instead;
  // `positions`: that table and its indexes only.
  enum class StructureScope { whole, but_positions_indexes, positions };
  Result<std::vector<std::string>> integrity_check(StructureScope scope = StructureScope::whole);

  // `verify`: recomputes the hash chain, replays every event into a fresh state, checks each event's
  // postings balance and match the replay, compares the state at every checkpoint with the checkpoint
  // and the replayed state with the stored tables.
  // With `from_checkpoint`: starts at the latest checkpoint instead (its own hash, its image's and its
  // event's), checks the events after it the same way, then the live tables against the state
  // replayed from it; no checkpoint, and it checks everything.
  // With `parallel`: SQLite's check of the file's structure, and the reading of the events and postings
  // (the chain, the payloads, the sums; the rows the replay compares, read ahead), each on a
  // connection and thread of its own beside the replay, when they see the same snapshot as this
  // connection; the findings are the same either way.
  // An error is returned only when the journal cannot be read at all; findings are in the result.
  Result<VerifyResult> verify(const Progress& progress, bool from_checkpoint = false, bool parallel = true);

  const std::string& path() const;

 private:
  Status upgrade();
  struct Impl;
  explicit Journal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m;
};

// Decodes a stored row into an event (the payload must be canonical).
Result<Event> decode(const StoredEvent& row);

}  // namespace nexadex::journal
