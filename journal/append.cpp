// journal/append.cpp: appending to the hash chain: an event applied, hashed onto the head and stored
// with its postings; and the head read back, with the checks that the chain's end is whole.
#include "journal/codec.hpp"
#include "journal/session.hpp"
#include "lib/apply.hpp"

namespace nexadex::journal {

int64_t Journal::Impl::last_written_seq() {
  return db.execAndGet(
      "SELECT max((SELECT coalesce(max(seq), 0) FROM postings), (SELECT coalesce(max(price_seq), 0) FROM markets), "
      "(SELECT coalesce(max(seq), 0) FROM config))").getInt64();
}

// The last event, after a check that costs a few B-tree probes: the events start at seq 1 and no
// posting or state row names a later seq (events deleted from the end behind the triggers' back).
Status Journal::Impl::load_head() {
  SQLite::Statement q(db, "SELECT seq, at, hash FROM events ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) {
    return journal_error("the journal " + path + " has no events, not even its journal_created event; it is "
                         "damaged, so restore it from a copy.");
  }
  head = JournalHead{q.getColumn(0).getInt64(), q.getColumn(2).getString(), Timestamp{q.getColumn(1).getInt64()}};
  const int64_t first = db.execAndGet("SELECT min(seq) FROM events").getInt64();
  if (first != 1) {
    return journal_error("the journal " + path + " is damaged: its first event is seq " + std::to_string(first) +
                         ", not 1; run 'nexadex verify' and restore it from a copy.");
  }
  const int64_t written = last_written_seq();
  if (written > head.seq) {
    return journal_error("the journal " + path + " is damaged: its last event is seq " + std::to_string(head.seq) +
                         " but its postings and tables were written by events up to seq " + std::to_string(written) +
                         "; run 'nexadex verify' and restore it from a copy.");
  }
  return {};
}

Result<int64_t> Journal::Impl::append(EventBody body, Timestamp at, Outcome* outcome) {
  Event ev{state.head_seq + 1, at, std::move(body)};
  NX_TRY(postings, apply(state, ev, outcome));
  const std::string payload = encode_payload(ev.body);
  const std::string_view kind = kind_name(ev.body);
  std::string hash = chain_hash(head.hash, ev.seq, at.seconds, kind, payload);
  if (!insert_event) {
    insert_event.emplace(db, "INSERT INTO events (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)");
  }
  auto& q = *insert_event;
  q.bind(1, static_cast<int64_t>(ev.seq));
  q.bind(2, static_cast<int64_t>(at.seconds));
  q.bindNoCopy(3, kind.data());  // TEXT (the pointer-and-size overload would bind a BLOB); kind names are literals
  q.bindNoCopy(4, payload);
  q.bindNoCopy(5, head.hash);
  q.bindNoCopy(6, hash);
  q.exec();
  q.reset();
  if (!postings.empty()) {
    if (!insert_posting) {
      insert_posting.emplace(db, "INSERT INTO postings (seq, leg, account, amount) VALUES (?, ?, ?, ?)");
    }
    auto& p = *insert_posting;
    int64_t leg = 0;
    for (const auto& posting : postings) {
      p.bind(1, static_cast<int64_t>(ev.seq));
      p.bind(2, leg++);
      p.bind(3, posting.account);
      p.bind(4, static_cast<int64_t>(posting.amount.units()));
      p.exec();
      p.reset();
    }
  }
  head = JournalHead{ev.seq, std::move(hash), at};
  NX_TRY_STATUS(maybe_checkpoint());
  return ev.seq;
}

Result<int64_t> Journal::append(EventBody body, Timestamp at, Outcome* outcome) {
  try {
    return m->append(std::move(body), at, outcome);
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

JournalHead Journal::head() const { return m->head; }

}  // namespace nexadex::journal
