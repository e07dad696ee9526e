// journal/scan.cpp: reading the journal in seq order: events (with or without the gap check), postings,
// both merged, each row decoded, and the replay of events into a fresh state.
#include <algorithm>

#include "journal/codec.hpp"
#include "journal/session.hpp"
#include "lib/apply.hpp"

namespace nexadex::journal {

namespace {
// The error stop_scan() returns: no message a real error could carry.
constexpr std::string_view k_stop = "\x01stop the scan";
}  // namespace

std::unexpected<Error> stop_scan() { return std::unexpected(Error{ErrorKind::input, std::string(k_stop)}); }

Status Journal::scan(int64_t from, int64_t to, const std::function<Status(const StoredEvent&)>& fn) {
  int64_t expected = from;
  bool stopped = false;
  const auto in_order = [&](const StoredEvent& row) -> Status {
    if (row.seq != expected) {
      return journal_error("the journal " + m->path + " is damaged: " +
                           (expected == 1 ? "its first event is seq " + std::to_string(row.seq) + ", not 1"
                                          : "event " + std::to_string(expected) + " is missing (seq " +
                                                std::to_string(row.seq) + " follows seq " + std::to_string(expected - 1) +
                                                ")") +
                           "; run 'nexadex verify' and restore it from a copy.");
    }
    ++expected;
    auto r = fn(row);
    stopped = !r && r.error().message == k_stop;
    return r;
  };
  if (auto ok = scan_rows(from, to, in_order); !ok) {
    if (stopped) return {};   // the caller had what it wanted: nothing after was read or checked
    return ok;
  }
  if (expected == 1 && from <= 1 && to >= 1) {
    return journal_error("the journal " + m->path + " has no events, not even its journal_created event; it is damaged, "
                         "so restore it from a copy.");
  }
  if (to == INT64_MAX) {
    // The whole journal was asked for: events cut from its end show in the postings and tables.
    try {
      if (const int64_t written = m->last_written_seq(); written >= expected) {
        return journal_error("the journal " + m->path + " is damaged: its last event is seq " +
                             std::to_string(expected - 1) + " but its postings and tables were written by events up "
                             "to seq " + std::to_string(written) + "; run 'nexadex verify' and restore it from a copy.");
      }
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(m->path, e));
    }
  }
  return {};
}

Status Journal::scan_rows(int64_t from, int64_t to, const std::function<Status(const StoredEvent&)>& fn) {
  try {
    // the C API: a SQLiteCpp Column per cell costs more than the cell, on millions of events
    RawStatement q(m->db.getHandle(),
                   "SELECT seq, at, kind, payload, prev_hash, hash FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq");
    q.bind(1, from);
    q.bind(2, to);
    sqlite3_stmt* st = q.get();
    const auto text = [st](std::string& out, int c) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
      out.assign(t == nullptr ? "" : t, static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
    };
    StoredEvent row;
    while (q.step()) {
      row.seq = sqlite3_column_int64(st, 0);
      row.at = sqlite3_column_int64(st, 1);
      text(row.kind, 2);
      text(row.payload, 3);
      text(row.prev_hash, 4);
      text(row.hash, 5);
      NX_TRY_STATUS(fn(row));
    }
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan_postings(const std::function<Status(const StoredPosting&)>& fn) {
  return scan_postings(1, INT64_MAX, fn);
}

Result<int64_t> Journal::first_seq_at_or_after(Timestamp at, int64_t head) {
  NX_TRY(last_before, last_seq_at_or_before(Timestamp{at.seconds - 1}, head));
  return last_before + 1;
}

Result<int64_t> Journal::last_seq_at_or_before(Timestamp at, int64_t head) {
  try {
    SQLite::Statement q(m->db, "SELECT at FROM events WHERE seq = ?");
    // the largest seq in [0, head] whose time is at most `at` (seq 0: none), by bisection
    int64_t lo = 0, hi = head;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo + 1) / 2;
      q.reset();
      q.bind(1, mid);
      if (!q.executeStep()) {
        return journal_error("the journal " + m->path + " is damaged: event " + std::to_string(mid) +
                             " is missing; run 'nexadex verify' and restore it from a copy.");
      }
      if (q.getColumn(0).getInt64() <= at.seconds) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan_postings(int64_t from, int64_t to, const std::function<Status(const StoredPosting&)>& fn) {
  try {
    SQLite::Statement q(m->db, k_postings_in_order);
    q.bind(1, from);
    q.bind(2, to);
    while (q.executeStep()) NX_TRY_STATUS(fn(posting_row(q)));
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan_with_postings(int64_t from, int64_t to, const EventWithPostings& fn) {
  try {
    SQLite::Statement q(m->db, k_postings_in_order);
    q.bind(1, from);
    q.bind(2, to);
    bool more = q.executeStep();
    std::vector<StoredPosting> legs;
    return scan(from, to, [&](const StoredEvent& row) -> Status {
      legs.clear();
      // A posting whose seq has no event is never reached: scan() refuses the gap before calling us.
      for (; more && q.getColumn(0).getInt64() <= row.seq; more = q.executeStep()) {
        if (q.getColumn(0).getInt64() == row.seq) legs.push_back(posting_row(q));
      }
      return fn(row, legs);
    });
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<Event> decode(const StoredEvent& row) {
  NX_TRY(body, decode_payload(row.kind, row.payload));
  return Event{row.seq, Timestamp{row.at}, std::move(body)};
}

Result<std::pair<State, JournalHead>> Journal::replay(std::optional<int64_t> upto_seq, std::optional<Timestamp> upto_at,
                                                     const BeforeEach& before_each) {
  State state;
  JournalHead head{0, std::string(k_genesis_prev_hash), Timestamp{}};
  int64_t last = upto_seq.value_or(INT64_MAX);
  if (upto_at) {
    // Times never decrease along the chain, so "at or before" is a prefix of it: found by bisection.
    NX_TRY(head_seq, last_seq());
    NX_TRY(at_or_before, last_seq_at_or_before(*upto_at, std::min(last, head_seq)));
    last = at_or_before;
  }
  // A replay from the first event keeps in memory what the state holds at each point, as a writer's
  // state does: an ended position (final once ended) is dropped and read back from the table if asked
  // for, an account back at zero is dropped, and the legs and losses are the tables' up to the point
  // reached (a CheckpointLoader without an image). An older schema's tables are not this one's: its
  // replay keeps everything.
  CheckpointLoader* history = nullptr;
  const auto drop_ended = [&] {
    for (const int64_t id : state.store.dirty_positions) {
      const auto it = state.positions.find(id);
      if (it != state.positions.end() && it->second.status != PositionStatus::open) state.positions.erase(it);
    }
    for (const auto& name : state.store.dirty_accounts) {
      const auto it = state.accounts.find(name);
      if (it != state.accounts.end() && it->second == WideUsd()) state.accounts.erase(it);
    }
    state.legs.clear();
    state.losses.clear();
    state.store.legs_written = state.store.losses_written = 0;
    state.store.clear_marks();
    state.store.positions_complete = false;
  };
  const auto replay_one = [&](const StoredEvent& row) -> Status {
    if (history) history->set_seq(state.head_seq);
    auto ev = decode(row);
    if (!ev) {
      return journal_error("event " + std::to_string(row.seq) + " of " + m->path + " cannot be decoded (" +
                           ev.error().message + "); run 'nexadex verify'.");
    }
    if (before_each && state.head_seq > 0) {
      NX_TRY_STATUS(before_each(state, ev->at));
    }
    auto applied = apply(state, *ev);
    if (!applied) {
      return journal_error("event " + std::to_string(row.seq) + " of " + m->path + " cannot be replayed (" +
                           applied.error().message + "); run 'nexadex verify'.");
    }
    head = JournalHead{row.seq, row.hash, Timestamp{row.at}};
    if (history) drop_ended();
    return {};
  };
  // From the latest checkpoint at or before the end, if any: at most K events replayed (schema 8).
  // report history sees every state from the first event, so it replays them all.
  int64_t from = 1;
  if (!before_each && last > 0) {
    try {
      // one that does not check out (damaged since it was written: verify names it) is not used
      if (const auto cp = m->checkpoint_at_or_before(last)) {
        NX_TRY(at_cp, m->state_at_checkpoint(*cp));
        if (at_cp) {
          state = std::move(at_cp->first);
          head = std::move(at_cp->second);
          from = cp->seq + 1;
        }
      }
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(m->path, e));
    }
  }
  if (from == 1 && m->version == k_schema_version) {
    m->replay_loaders.push_back(std::make_unique<CheckpointLoader>(m->empty, m->positions, 0));
    history = m->replay_loaders.back().get();
    state.store.loader = history;
  }
  if (state.store.loader != nullptr) state.store.tables_hold_state = false;
  if (from <= last) NX_TRY_STATUS(scan(from, last, replay_one));
  if (history) history->set_seq(head.seq);
  state.store.clear_marks();
  return std::make_pair(std::move(state), std::move(head));
}

}  // namespace nexadex::journal
