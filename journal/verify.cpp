// journal/verify.cpp: `verify`'s named checks, in the spirit of `hledger check`.
#include <SQLiteCpp/SQLiteCpp.h>

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "journal/checkpoint.hpp"
#include "journal/codec.hpp"
#include "journal/config_toml.hpp"
#include "journal/journal.hpp"
#include "journal/schema.hpp"
#include "journal/session.hpp"
#include "journal/sha256.hpp"
#include "journal/sqlite_error.hpp"
#include "lib/asset_books.hpp"
#include "lib/locks.hpp"
#include "lib/vault.hpp"

namespace nexadex::journal {
namespace {

std::string market_text(const MarketState& m) {
  if (!m.priced()) return "never priced";
  return to_string(m.price) + " at " + format_time(m.price_at) + " (seq " + std::to_string(m.price_seq) + ")";
}

// The seq of the last replayed event that wrote each derived row: a difference in a row is reported
// at the event that wrote it, so that it sorts after the cause that made it differ.
struct LastWrites {
  int64_t config = 0;
  int64_t vault = 0;
  int64_t assets = 0;
  std::map<std::string, int64_t> markets;
  absl::flat_hash_map<int64_t, int64_t> positions;
  std::map<LpKey, int64_t> lps;
  std::map<int64_t, int64_t> lots;
  std::map<BookKey, int64_t> books;
  absl::flat_hash_map<std::string, int64_t> accounts;

  // Takes the rows `state`'s last event changed (its dirty sets, which the replay does not need).
  void take(State& state, int64_t seq) {
    if (state.store.dirty_config) config = seq;
    if (state.store.dirty_vault) vault = seq;
    if (state.store.dirty_assets) assets = seq;
    for (const auto& k : state.store.dirty_markets) markets[k] = seq;
    for (const int64_t id : state.store.dirty_positions) positions[id] = seq;
    for (const auto& k : state.store.dirty_lps) lps[k] = seq;
    for (const int64_t id : state.store.dirty_lots) lots[id] = seq;
    for (const auto& k : state.store.dirty_books) books[k] = seq;
    for (const auto& k : state.store.dirty_accounts) accounts[k] = seq;
    state.store.clear_marks();
  }
  template <class Map, class Key>
  static int64_t of(const Map& m, const Key& k) {
    const auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
};

// Each account's postings so far: account → (balance, seq of the last). Hashed (Abseil's open
// addressing: no node to allocate and free as a position's account comes and goes): a posting looks
// one up among hundreds of thousands; what lists them sorts.
using Posted = absl::flat_hash_map<std::string, std::pair<int128, int64_t>>;

// The replay's loader in a full verify: the ended positions verify has checked against their rows and
// dropped from memory, read back from the table in the rare case an event names one again (a close of
// a closed position, which the replay refuses with the same words). Nothing else: every open
// position, account and lot of the replay is in memory (EmptyLoader's answers).
class EvictedLoader final : public EmptyLoader {
 public:
  explicit EvictedLoader(SqlTableLoader& table) : m_table(table) {}
  void evict(int64_t id) {
    const auto i = static_cast<std::size_t>(id);
    if (i >= m_evicted.size()) m_evicted.resize(i + 1 + i / 2);
    m_evicted[i] = true;
  }
  bool evicted(int64_t id) const {
    return id >= 0 && static_cast<std::size_t>(id) < m_evicted.size() && m_evicted[static_cast<std::size_t>(id)];
  }

  Result<std::optional<Position>> load(int64_t id) override {
    if (!evicted(id)) return std::nullopt;
    return m_table.load(id);
  }
  Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) override {
    std::vector<int64_t> some;
    for (const int64_t id : ids) {
      if (evicted(id)) some.push_back(id);
    }
    if (some.empty()) return std::vector<Position>{};
    return m_table.load_many(some);
  }

 private:
  SqlTableLoader& m_table;
  std::vector<bool> m_evicted;   // by id
};

// One book's entries of one of the replay's position indexes (lib's PositionIndex), in the order of the
// positions table's index of that kind: (bucket, key, id), the bucket 0 but for the liquidation keys.
class IndexWalk {
 public:
  explicit IndexWalk(IndexKind kind) : m_kind(kind) {}
  void start(const PositionIndex::Sets& sets) {
    m_sets = &sets;
    if (m_kind == IndexKind::liq) {
      m_bucket = sets.liq.begin();
      enter();
    } else {
      const auto& keys = m_kind == IndexKind::below ? sets.below : m_kind == IndexKind::above ? sets.above : sets.dead;
      m_it = keys.begin();
      m_end = keys.end();
    }
  }
  // The next entry; false past the last.
  bool next(std::array<int64_t, 3>& out) {
    if (m_sets == nullptr) return false;
    if (m_kind == IndexKind::liq) {
      if (m_bucket == m_sets->liq.end()) return false;
      out = {m_bucket->first, m_it->first, m_it->second};
      if (++m_it == m_end) {
        ++m_bucket;
        enter();
      }
      return true;
    }
    if (m_it == m_end) return false;
    out = {0, m_it->first, m_it->second};
    ++m_it;
    return true;
  }
  bool any(const PositionIndex::Sets& sets) const {
    return m_kind == IndexKind::liq     ? !sets.liq.empty()
           : m_kind == IndexKind::below ? !sets.below.empty()
           : m_kind == IndexKind::above ? !sets.above.empty()
                                        : !sets.dead.empty();
  }

 private:
  void enter() {
    while (m_bucket != m_sets->liq.end() && m_bucket->second.empty()) ++m_bucket;
    if (m_bucket != m_sets->liq.end()) {
      m_it = m_bucket->second.begin();
      m_end = m_bucket->second.end();
    }
  }
  IndexKind m_kind;
  const PositionIndex::Sets* m_sets = nullptr;
  std::map<int64_t, PositionIndex::Keys>::const_iterator m_bucket;
  PositionIndex::Keys::const_iterator m_it, m_end;
};

// Whether every entry of the positions table's four indexes of open positions, each read in its own
// order, is the replay's (its open positions' keys, lib/book.hpp), and no entry is missing. With the
// table's rows equal to the replay's (compare_states), that is what PRAGMA integrity_check checks of
// these indexes, at a sequential read of each instead of a search of the four for every row.
bool position_indexes_match(SQLite::Database& db, const State& state) {
  static constexpr std::pair<IndexKind, const char*> k_scans[] = {
      {IndexKind::below, "SELECT market, side, 0, key_below, id FROM positions INDEXED BY positions_below "
                         "WHERE status = 'open' ORDER BY market, side, key_below, id"},
      {IndexKind::above, "SELECT market, side, 0, key_above, id FROM positions INDEXED BY positions_above "
                         "WHERE status = 'open' ORDER BY market, side, key_above, id"},
      {IndexKind::liq, "SELECT market, side, liq_bucket, key_liq, id FROM positions INDEXED BY positions_liq "
                       "WHERE status = 'open' ORDER BY market, side, liq_bucket, key_liq, id"},
      {IndexKind::dead, "SELECT market, side, 0, key_dead, id FROM positions INDEXED BY positions_dead "
                        "WHERE status = 'open' ORDER BY market, side, key_dead, id"},
  };
  const auto& books = state.store.index.books;
  for (const auto& [kind, sql] : k_scans) {
    RawStatement q(db.getHandle(), sql);   // the C API: a SQLiteCpp Column per cell costs more than the cell
    sqlite3_stmt* st = q.get();
    const auto text = [st](int c) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
      return t == nullptr ? std::string_view{} : std::string_view(t, static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
    };
    IndexWalk walk(kind);
    std::optional<BookKey> book;
    std::size_t books_met = 0;
    std::array<int64_t, 3> want{};
    while (q.step()) {
      const std::string_view market = text(0);
      const std::string_view side = text(1);
      if (side != "long" && side != "short") return false;
      const Side s = side == "long" ? Side::long_ : Side::short_;
      if (!book || book->market != market || book->side != s) {
        if (book && walk.next(want)) return false;   // the replay holds more of the book before
        book = BookKey{std::string(market), s};
        const auto it = books.find(*book);
        if (it == books.end()) return false;
        walk.start(it->second);
        ++books_met;
      }
      if (!walk.next(want)) return false;
      if (want != std::array<int64_t, 3>{sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4)}) {
        return false;
      }
    }
    if (book && walk.next(want)) return false;
    const auto held = std::count_if(books.begin(), books.end(), [&](const auto& b) { return walk.any(b.second); });
    if (static_cast<std::size_t>(held) != books_met) return false;
  }
  return true;
}

// What verify checked event by event: how many position legs and losses rows the events gave (each
// compared with its row at its event).
struct Streamed {
  int64_t legs = 0;
  int64_t losses = 0;            // rows: each loss's total and its layers
  bool legs_differ = false;     // a finding was made at the event
  bool losses_differ = false;
};

// Every difference between the replayed and the stored derived state, each at the latest seq that
// wrote the row on either side (the replay's last writer, or the seq the stored row names).
// `posted_at`: the seq of the last stored posting on each account, the stored side's evidence of which
// event wrote the rows that come with postings (an LP's holding with its depositor account, a
// position with its own).
// The positions are those the replay holds (the open ones and the ended ones not dropped) and
// `extra_ids`, the stored rows of ids the replay neither holds nor dropped; legs and losses were
// compared event by event (`streamed`), so here only their numbers of rows; the accounts are compared
// by compare_accounts, a pass over the table.
void compare_states(const State& replayed, const State& stored, SqlTableLoader& table, const LastWrites& last,
                    const Posted& posted, const Streamed& streamed,
                    const std::vector<int64_t>& extra_ids, const std::array<int64_t, 2>& stored_rows,
                    std::vector<Discrepancy>& out) {
  const auto posted_at = [&](const std::string& account) {
    const auto it = posted.find(account);
    return it == posted.end() ? int64_t{0} : it->second.second;
  };
  if (replayed.config_seq != stored.config_seq || replayed.config_sha256 != stored.config_sha256 ||
      replayed.config_text != stored.config_text) {
    out.push_back({std::max(last.config, stored.config_seq), "state",
                   "the config table holds the config of seq " + std::to_string(stored.config_seq) + " (sha256 " +
                       stored.config_sha256 + ") but the events give seq " + std::to_string(replayed.config_seq) +
                       " (sha256 " + replayed.config_sha256 + ")"});
  }
  if (replayed.rules != stored.rules) {
    out.push_back({std::max(last.config, stored.config_seq), "state",
                   "the config table holds rules version " + std::to_string(stored.rules) + " but the events give " +
                       std::to_string(replayed.rules)});
  }
  if (config_to_json(replayed.config) != config_to_json(stored.config)) {
    out.push_back({last.config, "state", "the config table's effective config differs from the config the events give"});
  }
  std::map<std::string, std::pair<const MarketState*, const MarketState*>> markets;
  for (const auto& [k, v] : replayed.markets) markets[k].first = &v;
  for (const auto& [k, v] : stored.markets) markets[k].second = &v;
  for (const auto& [sym, pair] : markets) {
    const auto [r, s] = pair;
    if (r && s && *r == *s) continue;
    out.push_back({std::max({LastWrites::of(last.markets, sym), r ? r->price_seq : 0, s ? s->price_seq : 0}), "state",
                   "market " + sym + ": the markets table holds " + (s ? market_text(*s) : "no row") +
                       " but the events give " + (r ? market_text(*r) : "no market")});
  }
  if (!(replayed.vault == stored.vault)) {
    out.push_back({last.vault, "state", "the pool table's vault row differs from the vault the events give"});
  }
  if (replayed.assets.has_value() != stored.assets.has_value()) {
    out.push_back({last.assets, "state", "the assets table does not match the config's [[assets]]"});
  } else if (replayed.assets) {
    const auto& r = *replayed.assets;
    const auto& s = *stored.assets;
    for (std::size_t i = 0; i < r.configs.size() && i < s.configs.size(); ++i) {
      if (!(r.books[i] == s.books[i]) || !(r.prices[i] == s.prices[i])) {
        const auto row = [&](const assets::AssetPool& p) {
          const auto& c = p.configs[i];
          const auto& b = p.books[i];
          return "held " + assets::format_tokens(c, b.held) + ", owned " + assets::format_tokens(c, b.owned) +
                 ", reserved " + assets::format_tokens(c, b.reserved) + ", insurance " +
                 assets::format_tokens(c, b.insurance) + ", treasury " + assets::format_tokens(c, b.treasury) +
                 ", book " + to_string(b.book) + ", low " + to_string(p.prices[i].low);
        };
        out.push_back({last.assets, "state", "asset " + r.configs[i].symbol + ": the assets table holds " + row(s) +
                                                 "; the events give " + row(r)});
      }
    }
  }
  // The stored rows of the replay's positions and of the extra ids, read by id in runs and compared as
  // they are read (memory: a run, not a second copy of the book); a table that cannot be read is one
  // finding, not a difference in every row. The findings on positions follow those on books.
  std::vector<int64_t> wanted;
  wanted.reserve(replayed.positions.size() + extra_ids.size());
  for (const auto& [id, p] : replayed.positions) wanted.push_back(id);
  wanted.insert(wanted.end(), extra_ids.begin(), extra_ids.end());
  std::sort(wanted.begin(), wanted.end());
  std::vector<Discrepancy> position_findings;
  std::map<BookKey, int64_t> stored_book_seq;   // the latest open or end of a stored position of each book
  Status positions_read;
  constexpr std::size_t k_run = 4096;
  for (std::size_t from = 0; from < wanted.size() && positions_read; from += k_run) {
    const std::vector<int64_t> run(wanted.begin() + static_cast<std::ptrdiff_t>(from),
                                   wanted.begin() + static_cast<std::ptrdiff_t>(std::min(wanted.size(), from + k_run)));
    auto rows = table.load_many(run);
    if (!rows) {
      positions_read = std::unexpected(rows.error());
      break;
    }
    std::size_t k = 0;   // rows come by id, a subset of run's
    for (const int64_t id : run) {
      const Position* s = k < rows->size() && (*rows)[k].id == id ? &(*rows)[k++] : nullptr;
      if (s) {
        auto& seq = stored_book_seq[BookKey{s->market, s->side}];
        seq = std::max({seq, s->id, s->ended_seq});
      }
      const auto r = replayed.positions.find(id);
      if (r != replayed.positions.end() && s && r->second == *s) continue;
      int64_t seq = LastWrites::of(last.positions, id);
      if (s) seq = std::max({seq, s->ended_seq, s->id});
      seq = std::max(seq, posted_at(vault::position_account(id)));
      position_findings.push_back({seq, "state", "position " + std::to_string(id) + ": the positions table " +
                                                     (!s ? "has no row" : "differs from the events") +
                                                     (r == replayed.positions.end() ? " (no event opened it)" : "")});
    }
  }
  if (!positions_read) {
    out.push_back({0, "state", "the positions table cannot be read: " + positions_read.error().message});
    position_findings.clear();
    stored_book_seq.clear();
  }
  std::set<BookKey> book_keys;
  for (const auto& [k, v] : replayed.books) book_keys.insert(k);
  for (const auto& [k, v] : stored.books) book_keys.insert(k);
  for (const auto& key : book_keys) {
    const auto r = replayed.books.find(key), s = stored.books.find(key);
    if (r != replayed.books.end() && s != stored.books.end() && r->second == s->second) continue;
    const int64_t seq = std::max(LastWrites::of(last.books, key), LastWrites::of(stored_book_seq, key));
    out.push_back({seq, "state",
                   "book " + key.market + " " + std::string(side_name(key.side)) + ": the books table " +
                       (s == stored.books.end() ? "has no row" : r == replayed.books.end() ? "has a row no event made"
                                                                                          : "differs from the events")});
  }
  out.insert(out.end(), std::make_move_iterator(position_findings.begin()),
             std::make_move_iterator(position_findings.end()));
  std::set<LpKey> lp_keys;
  for (const auto& [k, v] : replayed.lps) lp_keys.insert(k);
  for (const auto& [k, v] : stored.lps) lp_keys.insert(k);
  for (const auto& key : lp_keys) {
    const auto r = replayed.lps.find(key), s = stored.lps.find(key);
    if (r != replayed.lps.end() && s != stored.lps.end() && r->second == s->second) continue;
    out.push_back({std::max(LastWrites::of(last.lps, key), posted_at(vault::depositor_account(key.lp))), "state", "LP " + key.lp + " (" + std::string(tranche_name(key.tranche)) +
                                   "): the lps table differs from the events"});
  }
  if (auto read = locks::read_all_lots(stored); !read) {
    out.push_back({0, "state", "the lots table cannot be read: " + read.error().message});
  }
  std::set<int64_t> lot_ids;
  for (const auto& [id, lot] : replayed.lots.all) lot_ids.insert(id);
  for (const auto& [id, lot] : stored.lots.all) lot_ids.insert(id);
  for (const int64_t id : lot_ids) {
    const auto r = replayed.lots.all.find(id), s = stored.lots.all.find(id);
    if (r != replayed.lots.all.end() && s != stored.lots.all.end() && r->second == s->second) continue;
    const std::string lp = r != replayed.lots.all.end() ? r->second.lp : s->second.lp;
    out.push_back({std::max(LastWrites::of(last.lots, id), posted_at(vault::depositor_account(lp))), "state",
                   "lot " + std::to_string(id) + " (" + lp + "): the lots table " +
                       (s == stored.lots.all.end() ? "has no row" : "differs from the events") +
                       (r == replayed.lots.all.end() ? " (no event made it)" : "")});
  }
  // rows no event wrote (each event's own were compared at it)
  if (!streamed.legs_differ && stored_rows[0] != streamed.legs) {
    out.push_back({0, "state", "the position_legs table holds " + std::to_string(stored_rows[0]) +
                                   " rows but the events give " + std::to_string(streamed.legs) + " steps"});
  }
  if (!streamed.losses_differ && stored_rows[1] != streamed.losses) {
    out.push_back({0, "state", "the losses table holds " + std::to_string(stored_rows[1]) +
                                   " rows but the losses the events allocate make " + std::to_string(streamed.losses)});
  }
}

// The accounts table in one pass, by name: each row against the replay (state) and against the sum of
// its postings (accounts); then the replay's and the postings' accounts not at zero that have no row.
// Memory: the replay's accounts (those not at zero) and the postings' sums (those not at zero).
void compare_accounts(SQLite::Database& db, const std::string& path, const State& replayed, const LastWrites& last,
                      const Posted& posted, bool postings_read,
                      std::vector<Discrepancy>& out) {
  // the seq a finding on an account is listed at: the last event that changed it (for an account back
  // at zero, which verify no longer holds, its last posting, looked up for the finding only)
  const auto seq_of = [&](const std::string& account) {
    const auto it = posted.find(account);
    int64_t seq = std::max(LastWrites::of(last.accounts, account), it == posted.end() ? int64_t{0} : it->second.second);
    if (seq == 0) {
      try {
        SQLite::Statement q(db, "SELECT coalesce(max(seq), 0) FROM postings WHERE account = ?");
        q.bind(1, account);
        if (q.executeStep()) seq = q.getColumn(0).getInt64();
      } catch (const SQLite::Exception&) {
        // the postings' findings say why
      }
    }
    return seq;
  };
  // Each row is compared as it is read and counted by what it matched. Accounts are unique in the
  // table, so when every replayed balance other than zero (and every posted sum) matched a row, none
  // lacks one and no name needs keeping; otherwise a second pass keeps the names to find which.
  std::size_t rows_replayed = 0, rows_posted = 0;
  const auto read_rows = [&](std::unordered_set<std::string>* with_row) {
    RawStatement q(db.getHandle(), "SELECT account, balance FROM accounts ORDER BY account");
    while (q.step()) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
      const std::string name =
          text == nullptr ? std::string() : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 0)));
      const auto r = replayed.accounts.find(name);
      const WideUsd want = r == replayed.accounts.end() ? WideUsd() : r->second;
      const auto p = posted.find(name);
      const WideUsd sum(p == posted.end() ? 0 : p->second.first);
      if (with_row != nullptr) {
        if (want != WideUsd() || sum != WideUsd()) with_row->insert(name);
        continue;
      }
      const WideUsd balance(static_cast<int64_t>(sqlite3_column_int64(q.get(), 1)));
      if (want != balance) {
        out.push_back({seq_of(name), "state",
                       "account " + name + ": the accounts table holds " + to_string(balance) + " but the events give " +
                           to_string(want)});
      }
      if (postings_read && sum != balance) {
        out.push_back({p == posted.end() ? seq_of(name) : p->second.second, "accounts",
                       "account " + name + " holds " + to_string(balance) + " but its postings sum to " + to_string(sum)});
      }
      rows_replayed += want != WideUsd() ? 1 : 0;
      rows_posted += sum != WideUsd() ? 1 : 0;
    }
  };
  const auto nonzero = [](const auto& accounts, const auto& value) {
    return static_cast<std::size_t>(
        std::count_if(accounts.begin(), accounts.end(), [&](const auto& a) { return value(a.second) != WideUsd(); }));
  };
  std::unordered_set<std::string> with_row;
  try {
    read_rows(nullptr);
    const bool all_replayed = rows_replayed == nonzero(replayed.accounts, [](const WideUsd& b) { return b; });
    const bool all_posted = !postings_read || rows_posted == nonzero(posted, [](const auto& pair) {
                              return WideUsd(pair.first);
                            });
    if (all_replayed && all_posted) return;
    read_rows(&with_row);
  } catch (const SQLite::Exception& e) {
    out.push_back({0, "state", "the accounts table cannot be read: " + sqlite_error(path, e).message});
    return;
  }
  std::vector<std::pair<std::string, WideUsd>> missing;
  for (const auto& [name, balance] : replayed.accounts) {
    if (balance != WideUsd() && !with_row.count(name)) missing.emplace_back(name, balance);
  }
  std::sort(missing.begin(), missing.end());
  for (const auto& [name, balance] : missing) {
    out.push_back({seq_of(name), "state",
                   "account " + name + ": the accounts table holds " + to_string(WideUsd()) + " but the events give " +
                       to_string(balance)});
  }
  if (!postings_read) return;
  std::map<std::string, std::pair<int128, int64_t>> unrecorded;   // by name, as findings are listed
  for (const auto& [name, pair] : posted) {
    if (pair.first != 0 && !with_row.count(name)) unrecorded.emplace(name, pair);
  }
  for (const auto& [name, pair] : unrecorded) {
    out.push_back({pair.second, "accounts", "account " + name + " is missing from the accounts table; its postings sum to " +
                                                to_string(WideUsd(pair.first))});
  }
}

}  // namespace

namespace {

// The order findings are listed in: the file's structure first (a damaged page is the cause of
// anything else), then by seq (the earliest cause first; at one seq the chain, then the payload, the
// replay, the postings, the state), then what concerns the journal as a whole.
int check_rank(const std::string& check) {
  static const char* const k_order[] = {"structure", "chain",  "payload",  "replay", "postings", "conservation",
                                        "checkpoint", "state", "accounts", "tables",   "head"};
  for (int i = 0; i < static_cast<int>(std::size(k_order)); ++i) {
    if (check == k_order[i]) return i;
  }
  return static_cast<int>(std::size(k_order));
}

void sort_findings(std::vector<Discrepancy>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Discrepancy& a, const Discrepancy& b) {
    const auto key = [](const Discrepancy& d) {
      const int group = d.check == "structure" ? 0 : d.seq > 0 ? 1 : 2;
      return std::tuple(group, d.seq, check_rank(d.check));
    };
    return key(a) < key(b);
  });
}

// Postings of a seq no replayed event explains (the feeder's before or after the events, the replay's
// of an event it could not apply).
Discrepancy orphan_postings(int64_t seq, std::size_t n) {
  return {seq, "postings", std::to_string(n) + " postings belong to no replayed event"};
}

std::string missing_text(int64_t from, int64_t to) {
  return from == to ? "event " + std::to_string(from) + " is missing"
                    : "events " + std::to_string(from) + " to " + std::to_string(to) + " are missing";
}

}  // namespace

namespace {

// One event as the feeder hands it to the replay: the row, its payload decoded, its postings.
struct FedEvent {
  StoredEvent row;
  bool skipped = false;   // its seq is below 1: not replayed
  bool gap = false;       // events are missing before it: the replay goes on at its seq
  Result<Event> event = std::unexpected(Error{});
  std::vector<StoredPosting> legs;   // the postings of its seq
  bool postings_read = true;         // false once the postings could not be read
  // Read ahead for the replay's checks of its rows: the losses rows of its seq; the position_legs row
  // at its seq of the position it names (an open's own, a close's or a liquidation's); the positions
  // row of the one it closes or liquidates. The replay reads any other itself.
  std::optional<Result<std::vector<LossRecord>>> losses;
  int64_t named = 0;   // the position it names, 0: none
  std::optional<Result<std::optional<PositionLeg>>> named_leg;
  std::optional<Result<std::optional<Position>>> named_row;
};

// What verify checks of each event without the replay: the chain (seqs, prev_hash, the recomputed
// hash), the payload decoded, the postings read in (seq, leg) order beside the events (each seq's sum,
// each account's balance; those of no event). Memory: one event's legs and the balance of each account
// not at zero, whatever the number of postings. Its findings are its own (`problems`), listed with the
// replay's at the end; it runs on a connection and thread of its own ahead of the replay, or inline.
class Feeder {
 public:
  // `table`: the history read ahead (FedEvent), on `db`'s connection; none when the tables are not
  // this schema's.
  Feeder(SQLite::Database& db, SqlTableLoader* table, const std::string& path, int64_t start, std::string prev_hash)
      : expected_seq(start), m_path(path), m_start(start), m_prev_hash(std::move(prev_hash)), m_table(table) {
    try {
      m_postings.emplace(db.getHandle(), k_postings_in_order);
      m_postings->bind(1, start == 1 ? int64_t{INT64_MIN} : start);
      m_postings->bind(2, int64_t{INT64_MAX});
    } catch (const SQLite::Exception& e) {
      postings_error = sqlite_error(path, e);
      m_read = false;
    }
    advance();
  }

  void feed(const StoredEvent& row, FedEvent& out) {
    out.row = row;
    if (row.seq < 1) {
      problems.push_back({1, "chain", "an event has seq " + std::to_string(row.seq) + "; seqs start at 1"});
      out.skipped = true;
      return;
    }
    if (row.seq != expected_seq) {
      problems.push_back({expected_seq, "chain",
                          missing_text(expected_seq, row.seq - 1) +
                              (expected_seq == 1 ? " (the first event is seq " + std::to_string(row.seq) + ")"
                                                 : " (seq " + std::to_string(row.seq) + " follows seq " +
                                                       std::to_string(expected_seq - 1) + ")")});
      // the replay goes on at the stored seqs, so that ids (the seqs of opens) stay those of the journal
      out.gap = true;
    } else if (row.prev_hash != m_prev_hash) {
      problems.push_back(
          {row.seq, "chain", "prev_hash " + row.prev_hash + " is not the previous event's hash " + m_prev_hash});
    }
    const std::string recomputed = chain_hash(row.prev_hash, row.seq, row.at, row.kind, row.payload);
    if (recomputed != row.hash) {
      problems.push_back({row.seq, "chain", "stored hash " + row.hash + " but the event hashes to " + recomputed +
                                                " (the event was changed after it was written)"});
    }
    m_prev_hash = row.hash;
    expected_seq = row.seq + 1;
    // the postings of seqs before this event's belong to no event; then this event's own legs
    while (m_next && m_next->seq < row.seq) {
      const int64_t seq = m_next->seq;
      take_seq(seq, m_scratch);
      problems.push_back(orphan_postings(seq, m_scratch.size()));
    }
    take_seq(row.seq, out.legs);
    out.postings_read = m_read;
    out.event = decode(row);
    if (m_table && out.event) read_ahead(out);
  }

  // After the last event: the postings of events cut from the end.
  void finish() {
    if (expected_seq == 1 && m_start == 1) {
      problems.push_back({1, "chain", "the journal has no events, not even its journal_created event"});
    }
    bool after_end = false;
    while (m_next) {
      const int64_t seq = m_next->seq;
      take_seq(seq, m_scratch);
      problems.push_back(orphan_postings(seq, m_scratch.size()));
      after_end = after_end || seq >= expected_seq;
    }
    if (expected_seq > 1 && after_end) {
      problems.push_back({expected_seq, "chain",
                          "the events end at seq " + std::to_string(expected_seq - 1) + " but postings go on to seq " +
                              std::to_string(m_last_posting_seq) + ": events after seq " +
                              std::to_string(expected_seq - 1) + " are missing"});
    }
  }

  std::vector<Discrepancy> problems;
  Posted posted;
  std::optional<Error> postings_error;
  int64_t expected_seq;   // the seq after the last event fed

 private:
  void advance() {
    m_next.reset();
    if (!m_read) return;
    try {
      if (m_postings->step()) {
        // the C API: a SQLiteCpp Column per cell costs more than the cell, on five million postings
        sqlite3_stmt* st = m_postings->get();
        const auto* account = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
        m_next = StoredPosting{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                               account == nullptr ? std::string()
                                                  : std::string(account, static_cast<std::size_t>(sqlite3_column_bytes(st, 2))),
                               sqlite3_column_int64(st, 3)};
        // SQLite walks the table's B-tree in its order for this query: a key not above the one before
        // is a B-tree out of order, what PRAGMA integrity_check finds of this table (its structure
        // check leaves it to this read)
        const std::pair key(m_next->seq, m_next->leg);
        if (m_key && !(key > *m_key) && !m_disorder) {
          m_disorder = true;
          problems.push_back({0, "structure", "the postings table's B-tree is out of key order (seq " +
                                                  std::to_string(key.first) + " leg " + std::to_string(key.second) +
                                                  " follows seq " + std::to_string(m_key->first) + " leg " +
                                                  std::to_string(m_key->second) + ")"});
        }
        m_key = key;
      }
    } catch (const SQLite::Exception& e) {
      postings_error = sqlite_error(m_path, e);
      m_read = false;
    }
  }
  // The legs of the next seq of the postings at or below `upto` into `legs` (none: empty): their sum
  // checked, their accounts' balances kept.
  void take_seq(int64_t upto, std::vector<StoredPosting>& legs) {
    legs.clear();
    if (!m_next || m_next->seq > upto) return;
    const int64_t seq = m_next->seq;
    int64_t sum = 0;
    while (m_next && m_next->seq == seq) {
      sum += m_next->amount;
      auto it = posted.try_emplace(m_next->account).first;
      auto& [balance, at] = it->second;
      balance += m_next->amount;
      at = seq;
      // an account back at zero (a position's, once it ends) is dropped: memory follows the live accounts
      if (balance == 0) posted.erase(it);
      legs.push_back(std::move(*m_next));
      advance();
    }
    m_last_posting_seq = seq;
    if (sum != 0) {
      problems.push_back({seq, "postings", "the postings of this event sum to " + to_string(Usd(sum)) + ", not zero"});
    }
  }
  void read_ahead(FedEvent& out) {
    const int64_t seq = out.row.seq;
    // a full verify reads the history tables in one scan each beside the events; from a checkpoint,
    // where the tail's events name rows anywhere in the tables, a search each
    const bool in_order = m_start == 1;
    out.losses = in_order ? m_table->losses_in_order(seq) : m_table->losses_at(seq);
    if (std::holds_alternative<PositionOpened>(out.event->body)) out.named = seq;
    bool ends = false;
    if (const auto* c = std::get_if<PositionClosed>(&out.event->body)) {
      out.named = c->id;
      ends = true;
    } else if (const auto* l = std::get_if<PositionLiquidated>(&out.event->body)) {
      out.named = l->id;
      ends = true;
    }
    if (out.named <= 0) return;
    // (an id after the event's own seq names no position yet: the replay refuses it, and a search finds no leg)
    out.named_leg = in_order && out.named <= seq ? m_table->leg_in_order(out.named, seq) : m_table->leg_at(out.named, seq);
    if (ends) out.named_row = m_table->load(out.named);
  }

  std::string m_path;
  int64_t m_start;
  std::string m_prev_hash;
  std::optional<RawStatement> m_postings;
  std::optional<StoredPosting> m_next;
  std::optional<std::pair<int64_t, int64_t>> m_key;   // the (seq, leg) read last
  bool m_disorder = false;                            // (named once)
  bool m_read = true;
  int64_t m_last_posting_seq = 0;
  std::vector<StoredPosting> m_scratch;
  SqlTableLoader* m_table;
};

// Batches of fed events from the feeder's thread to the replay, a bounded number ahead.
class FeedQueue {
 public:
  static constexpr std::size_t k_batch = 512;
  static constexpr std::size_t k_ahead = 8;

  // False when the replay has stopped taking them. The batches the replay is done with are freed
  // here, on the feeder's thread, which has time to spare (the replay is the longer of the two).
  bool push(std::vector<FedEvent>&& batch) {
    std::deque<std::vector<FedEvent>> spent;
    {
      std::unique_lock lock(m_mutex);
      m_space.wait(lock, [&] { return m_cancelled || m_batches.size() < k_ahead; });
      if (m_cancelled) return false;
      m_batches.push_back(std::move(batch));
      spent.swap(m_spent);
      m_ready.notify_one();
    }
    return true;
  }
  // False when the feeder is done and every batch was taken. `batch`, the one the replay is done with,
  // goes back to the feeder to be freed.
  bool pop(std::vector<FedEvent>& batch) {
    std::unique_lock lock(m_mutex);
    if (!batch.empty()) m_spent.push_back(std::move(batch));
    batch.clear();
    m_ready.wait(lock, [&] { return m_closed || !m_batches.empty(); });
    if (m_batches.empty()) return false;
    batch = std::move(m_batches.front());
    m_batches.pop_front();
    m_space.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_ready.notify_one();
  }
  void cancel() {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    m_space.notify_one();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_ready, m_space;
  std::deque<std::vector<FedEvent>> m_batches;
  std::deque<std::vector<FedEvent>> m_spent;
  bool m_closed = false, m_cancelled = false;
};

}  // namespace

Result<VerifyResult> Journal::verify(const Progress& progress, bool from_checkpoint, bool parallel) {
  VerifyResult result;
  std::vector<Discrepancy>& problems = result.problems;

  // SQLite's own check of every page, index and constraint: a full verify's reads every page of the
  // file, on its own connection and thread while the events are replayed (the other core); its
  // findings come first whatever the order they are found in. A file SQLite cannot even check is not
  // readable as a journal (ErrorKind::journal). From a checkpoint, only what the tail reads is read.
  std::future<Result<std::vector<std::string>>> checking;
  if (!from_checkpoint) {
    // with this schema's tables, all but the entries of the positions indexes, which the replay
    // stands for at the end (or SQLite checks them then)
    const auto scope = m->version == k_schema_version ? StructureScope::but_positions_indexes : StructureScope::whole;
    const auto check = [path = m->path, scope]() -> Result<std::vector<std::string>> {
      NX_TRY(other, Journal::open(path, Access::read));
      return other.integrity_check(scope);
    };
    checking = std::async(parallel ? std::launch::async : std::launch::deferred, check);
  }
  // The structure's findings, once the check is done; its error when it could not run.
  std::optional<std::vector<Discrepancy>> structure;
  const auto add_structure = [&](const std::vector<std::string>& checked) {
    for (const auto& text : checked) {
      // one row may hold several lines, under a "*** in database main ***" heading
      std::size_t from = 0;
      while (from <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', from), text.size());
        const std::string line = text.substr(from, nl - from);
        if (!line.empty() && !line.starts_with("***")) structure->push_back({0, "structure", "SQLite: " + line});
        from = nl + 1;
      }
    }
  };
  const auto checked_structure = [&]() -> Status {
    if (structure) return {};
    structure.emplace();
    if (!checking.valid()) return {};
    auto checked = checking.get();
    if (!checked) return std::unexpected(checked.error());
    add_structure(*checked);
    return {};
  };
  // Events that cannot be read leave nothing to verify: the file is not readable as a journal.
  const auto unreadable = [&](const Error& e) -> std::unexpected<Error> {
    if (auto ok = checked_structure(); !ok) return std::unexpected(ok.error());
    if (structure->empty()) return std::unexpected(e);
    return std::unexpected(Error{ErrorKind::journal, "the journal " + path() + " cannot be read as a journal: its "
                                 "events are on damaged pages (" + structure->front().message + "); restore it from a copy."});
  };
  // The findings, sorted, with the structure's; or the check's error.
  const auto finish = [&]() -> Result<VerifyResult> {
    NX_TRY_STATUS(checked_structure());
    problems.insert(problems.begin(), structure->begin(), structure->end());
    sort_findings(problems);
    return std::move(result);
  };
  auto total = event_count();
  if (!total) return unreadable(total.error());

  // The checkpoints (schema 8), without their images: each chained to the one before and hashed.
  // With from_checkpoint, the latest is where the check starts: only its own hash is checked.
  std::vector<CheckpointRow> checkpoints;
  try {
    checkpoints = m->checkpoint_rows();
  } catch (const SQLite::Exception& e) {
    problems.push_back({0, "checkpoint", "the checkpoints table cannot be read: " + sqlite_error(m->path, e).message});
  }
  std::optional<CheckpointRow> start_cp;
  if (from_checkpoint && !checkpoints.empty()) {
    start_cp = checkpoints.back();
    checkpoints.clear();
  }
  {
    std::string prev(k_genesis_prev_hash);
    for (const auto& cp : start_cp ? std::vector<CheckpointRow>{*start_cp} : checkpoints) {
      if (!start_cp && cp.prev_hash != prev) {
        problems.push_back({cp.seq, "checkpoint", "the checkpoint's prev_hash " + cp.prev_hash +
                                                      " is not the previous checkpoint's hash " + prev});
      }
      if (const std::string h = checkpoint_hash(cp); h != cp.hash) {
        problems.push_back({cp.seq, "checkpoint", "stored hash " + cp.hash + " but the checkpoint hashes to " + h +
                                                      " (it was changed after it was written)"});
      }
      prev = cp.hash;
    }
  }
  // A checkpoint's image, checked against its SHA-256; none (and a finding) when it cannot be used.
  const auto image_of = [&](const CheckpointRow& cp) -> std::optional<std::string> {
    std::string image;
    try {
      image = m->checkpoint_image(cp.seq);
    } catch (const SQLite::Exception& e) {
      problems.push_back({cp.seq, "checkpoint", "its image cannot be read: " + sqlite_error(m->path, e).message});
      return std::nullopt;
    }
    if (const std::string h = sha256_hex(image); h != cp.image_sha256) {
      problems.push_back({cp.seq, "checkpoint", "its image hashes to " + h + ", not to its image_sha256 " +
                                                    cp.image_sha256 + " (it was changed after it was written)"});
      return std::nullopt;
    }
    return image;
  };
  const auto name_of = [&](const CheckpointRow& cp) {
    return "the checkpoint at seq " + std::to_string(cp.seq) + " of " + m->path;
  };
  const auto event_matches = [&](const CheckpointRow& cp, const StoredEvent& row) {
    if (cp.event_hash == row.hash && cp.at == row.at) return true;
    problems.push_back({cp.seq, "checkpoint", "it names event hash " + cp.event_hash + " at " +
                                                  format_time(Timestamp{cp.at}) + " but the event is " + row.hash +
                                                  " at " + format_time(Timestamp{row.at})});
    return false;
  };
  const int64_t start = start_cp ? start_cp->seq + 1 : 1;
  result.from_seq = start;
  if (start_cp) *total = std::max<int64_t>(0, *total - start_cp->seq);   // the events after it

  State state;
  LastWrites last;
  std::string prev_hash(k_genesis_prev_hash);
  int64_t done = 0;
  if (start_cp) {
    // the state at the checkpoint, read from its image, and the chain from its event on
    bool usable = false;
    auto at_event = scan_rows(start_cp->seq, start_cp->seq, [&](const StoredEvent& row) -> Status {
      usable = event_matches(*start_cp, row);
      return {};
    });
    if (!at_event) return unreadable(at_event.error());
    if (!usable && problems.empty()) {
      problems.push_back({start_cp->seq, "checkpoint", "the event it names is missing"});
    }
    std::optional<std::string> image;
    if (usable) image = image_of(*start_cp);
    if (!image) {
      return finish();
    }
    auto reader = CheckpointReader::open(*image, *start_cp, m->positions, name_of(*start_cp));
    auto at_cp = reader ? (*reader)->state() : std::unexpected(reader.error());
    if (!at_cp) {
      problems.push_back({start_cp->seq, "checkpoint", at_cp.error().message});
      return finish();
    }
    m->readers.push_back(std::move(*reader));
    state = std::move(*at_cp);
    prev_hash = start_cp->event_hash;
    result.head = JournalHead{start_cp->seq, start_cp->event_hash, Timestamp{start_cp->at}};   // if none follows
    ++result.checkpoints;
  }
  // A full verify keeps in memory what the state holds now: each ended position is compared with its
  // row at the event that ends it and dropped (EvictedLoader), each event's legs and losses with
  // theirs, and the accounts back at zero are dropped.
  EvictedLoader evicted(m->positions);
  Streamed streamed;
  // (the tables of an older schema are not this one's: its state is the replay, kept whole)
  const bool tables_current = m->version == k_schema_version;
  const bool streaming = !start_cp && tables_current;
  // from a checkpoint the events after it are checked the same way, their rows kept in memory (the
  // checkpoint's loader would give a dropped one as it was then)
  const bool per_event = tables_current;
  if (streaming) {
    state.store.loader = &evicted;
    state.store.open_complete = true;   // it drops ended positions only
  }
  const FedEvent* fed_now = nullptr;   // the event being replayed, with what the feeder read ahead
  const auto check_history = [&](int64_t seq) {
    for (const auto& leg : state.legs) {
      if (streamed.legs_differ) break;
      auto stored_leg = fed_now->named_leg && leg.id == fed_now->named && leg.seq == fed_now->row.seq
                            ? *fed_now->named_leg
                            : m->positions.leg_at(leg.id, leg.seq);
      if (!stored_leg || !*stored_leg || !(**stored_leg == leg)) {
        streamed.legs_differ = true;
        problems.push_back({seq, "state", "position " + std::to_string(leg.id) + ": the position_legs table differs from "
                                          "the steps the events give (first at seq " + std::to_string(seq) + ")"});
      }
    }
    if (!streamed.losses_differ) {
      auto stored_losses = fed_now->losses ? *fed_now->losses : m->positions.losses_at(seq);
      if (!stored_losses || *stored_losses != state.losses) {
        streamed.losses_differ = true;
        problems.push_back({seq, "state", "the losses table differs from the losses the events allocate (first at seq " +
                                              std::to_string(seq) + ")"});
      }
    }
    streamed.legs += static_cast<int64_t>(state.legs.size());
    for (const auto& loss : state.losses) streamed.losses += 1 + static_cast<int64_t>(loss.legs.size());   // its rows
    state.legs.clear();
    state.losses.clear();
  };
  std::vector<int64_t> ended;
  std::vector<std::string> zeroed;
  const auto drop_checked = [&] {
    for (const int64_t id : ended) {
      const auto it = state.positions.find(id);
      if (it == state.positions.end()) continue;
      const std::string account = vault::position_account(id);
      const auto acct = state.accounts.find(account);
      if (acct != state.accounts.end() && acct->second != WideUsd()) continue;   // the audit names it
      auto row = fed_now->named_row && id == fed_now->named ? *fed_now->named_row : m->positions.load(id);
      if (!row || !*row || !(**row == it->second)) {
        if (!streaming) {
          problems.push_back({id == 0 ? 0 : std::max(it->second.ended_seq, id), "state",
                              "position " + std::to_string(id) + ": the positions table " +
                                  (row && *row ? "differs from the events" : "has no row")});
        }
        continue;   // a full verify compares it again at the end, and names it
      }
      if (!streaming) continue;
      state.positions.erase(it);
      last.positions.erase(id);
      evicted.evict(id);
    }
    for (const auto& name : streaming ? zeroed : std::vector<std::string>{}) {
      const auto it = state.accounts.find(name);
      if (it == state.accounts.end() || it->second != WideUsd()) continue;
      state.accounts.erase(it);
      last.accounts.erase(name);
    }
  };

  // The accounts not at zero along the replay, kept from each event's changes (a checkpoint holds
  // those; finding them among every account ever posted to would cost the whole map each time).
  LiveAccounts live;
  std::size_t next_cp = 0;
  const auto check_checkpoint = [&](const CheckpointRow& cp, const StoredEvent& row) {
    if (!event_matches(cp, row)) return;
    const auto image = image_of(cp);
    if (!image) return;
    auto reader = CheckpointReader::open(*image, cp, m->positions, name_of(cp));
    auto at_cp = reader ? (*reader)->state() : std::unexpected(reader.error());
    auto accounts = at_cp ? live_accounts(*at_cp) : std::unexpected(at_cp.error());
    if (!accounts) {
      problems.push_back({cp.seq, "checkpoint", accounts.error().message});
      return;
    }
    // the image's positions in one scan (it holds only open ones), not through its indexes book by
    // book; when its table cannot be read, a finding, and the rest compared through the indexes
    auto rows = (*reader)->image().all();
    if (!rows) problems.push_back({cp.seq, "checkpoint", "its positions cannot be read: " + rows.error().message});
    for (auto& message : live_differences(state, *at_cp, live, *accounts, rows ? static_cast<int64_t>(rows->size()) : -1,
                                          "the checkpoint", rows ? &*rows : nullptr)) {
      problems.push_back({cp.seq, "checkpoint", std::move(message)});
    }
    ++result.checkpoints;
  };
  // Every row, whatever its seq (a seq below 1 is itself a finding): the feeder reads and checks what
  // needs no replay, the replay takes each event from it.
  const auto replay_one = [&](FedEvent& fed) {
    if (fed.skipped) {
      ++done;
      return;
    }
    if (fed.gap) state.head_seq = fed.row.seq - 1;
    fed_now = &fed;
    const StoredEvent& row = fed.row;
    const auto& ev = fed.event;
    const std::vector<StoredPosting>& legs = fed.legs;
    bool replayed = false;
    if (!ev) {
      problems.push_back({row.seq, "payload", ev.error().message});
    } else {
      auto postings = apply(state, *ev);
      if (!postings) {
        problems.push_back({row.seq, "replay", "the event cannot be applied: " + postings.error().message});
      } else {
        replayed = true;
        ended.clear();
        zeroed.clear();
        if (per_event) {
          for (const int64_t id : state.store.dirty_positions) {
            const auto it = state.positions.find(id);
            if (it != state.positions.end() && it->second.status != PositionStatus::open) ended.push_back(id);
          }
          for (const auto& name : state.store.dirty_accounts) {
            const auto it = state.accounts.find(name);
            if (it != state.accounts.end() && it->second == WideUsd()) zeroed.push_back(name);
          }
        }
        if (!checkpoints.empty()) {
          for (const auto& name : state.store.dirty_accounts) {
            const auto it = state.accounts.find(name);
            if (it != state.accounts.end() && it->second != WideUsd()) live[name] = it->second;
            else live.erase(name);
          }
        }
        last.take(state, row.seq);
        if (per_event) {
          check_history(row.seq);
          drop_checked();
        }
        if (streaming) state.store.positions_complete = false;   // a dropped position is read back if named
        const std::size_t stored_n = legs.size();
        std::size_t leg = 0;   // the first leg that differs
        while (leg < stored_n && leg < postings->size() && legs[leg].account == (*postings)[leg].account &&
               legs[leg].amount == (*postings)[leg].amount.units()) {
          ++leg;
        }
        if ((leg < stored_n || leg < postings->size()) && fed.postings_read) {
          const auto side = [](const std::string& account, int64_t amount) {
            return account + " " + to_string(Usd(amount));
          };
          problems.push_back(
              {row.seq, "postings",
               "the stored postings (" + std::to_string(stored_n) + " legs) differ from those the event implies (" +
                   std::to_string(postings->size()) + " legs) from leg " + std::to_string(leg) + ": stored " +
                   (leg < stored_n ? side(legs[leg].account, legs[leg].amount) : "nothing") + ", implied " +
                   (leg < postings->size() ? side((*postings)[leg].account, (*postings)[leg].amount.units()) : "nothing")});
        }
      }
    }
    if (!replayed && !legs.empty()) problems.push_back(orphan_postings(row.seq, legs.size()));
    if (!replayed) {
      state.head_seq = row.seq;
      state.head_at = Timestamp{std::max(state.head_at.seconds, row.at)};
    }
    result.head = JournalHead{row.seq, row.hash, Timestamp{row.at}};
    for (; next_cp < checkpoints.size() && checkpoints[next_cp].seq <= row.seq; ++next_cp) {
      if (checkpoints[next_cp].seq == row.seq) check_checkpoint(checkpoints[next_cp], row);
      else problems.push_back({checkpoints[next_cp].seq, "checkpoint", "the event it names is missing"});
    }
    ++done;
    if (progress && done % 4096 == 0) progress(done, *total);
  };
  const int64_t scan_from = start == 1 ? INT64_MIN : start;
  // The feeder on a connection of its own when it reads the same snapshot as this one (the same last
  // event: every commit appends one), on the other core; otherwise inline.
  std::optional<Journal> other;
  const auto last_row = [](SQLite::Database& db) {
    try {
      SQLite::Statement q(db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
      return q.executeStep() ? std::to_string(q.getColumn(0).getInt64()) + " " + q.getColumn(1).getString()
                             : std::string("none");
    } catch (const SQLite::Exception&) {
      return std::string();   // (the feeder inline finds why)
    }
  };
  std::string here;   // the last event this connection sees, when another may run apart
  if (parallel) {
    auto opened = Journal::open(m->path, Access::read);
    here = last_row(m->db);
    if (opened && !here.empty() && here == last_row(opened->m->db)) other.emplace(std::move(*opened));
    if (other && !other->read_without_map()) other.reset();   // one pass: nothing of it kept resident
  }
  Journal::Impl& reader = other ? *other->m : *m;
  Feeder feeder(reader.db, per_event ? &reader.positions : nullptr, m->path, start, prev_hash);
  Status scanned;
  if (!other) {
    FedEvent fed;
    scanned = scan_rows(scan_from, INT64_MAX, [&](const StoredEvent& row) -> Status {
      fed = FedEvent{};
      feeder.feed(row, fed);
      replay_one(fed);
      return {};
    });
    if (scanned) feeder.finish();
  } else {
    FeedQueue queue;
    std::thread thread([&] {
      Status fed_all;
      try {
        std::vector<FedEvent> batch;
        fed_all = other->scan_rows(scan_from, INT64_MAX, [&](const StoredEvent& row) -> Status {
          feeder.feed(row, batch.emplace_back());
          if (batch.size() < FeedQueue::k_batch) return {};
          if (!queue.push(std::move(batch))) return stop_scan();
          batch = {};
          return {};
        });
        if (fed_all && (batch.empty() || queue.push(std::move(batch)))) feeder.finish();
      } catch (const std::exception& e) {
        fed_all = journal_error(std::string("verify's reader stopped: ") + e.what());
      }
      scanned = fed_all;
      queue.close();
    });
    // the thread is joined however this scope is left
    struct Joined {
      FeedQueue& queue;
      std::thread& thread;
      ~Joined() {
        queue.cancel();
        thread.join();
      }
    } joined{queue, thread};
    std::vector<FedEvent> batch;
    while (queue.pop(batch)) {
      for (auto& fed : batch) replay_one(fed);
    }
  }
  if (!scanned) return unreadable(scanned.error());
  problems.insert(problems.begin(), std::make_move_iterator(feeder.problems.begin()),
                  std::make_move_iterator(feeder.problems.end()));
  Posted posted = std::move(feeder.posted);
  const std::optional<Error>& postings_error = feeder.postings_error;
  const int64_t expected_seq = feeder.expected_seq;
  result.events = done;
  for (; next_cp < checkpoints.size(); ++next_cp) {
    problems.push_back({checkpoints[next_cp].seq, "checkpoint", "it is past the last event, seq " +
                                                                   std::to_string(expected_seq - 1)});
  }
  // Postings that cannot be read: the structure findings say why (a file SQLite finds sound whose
  // postings cannot be read is not readable as a journal); comparing each event with what could be
  // read would only add noise, so no finding of the postings is kept.
  if (postings_error) {
    NX_TRY_STATUS(checked_structure());
    if (structure->empty()) return std::unexpected(*postings_error);
    std::erase_if(problems, [](const Discrepancy& d) { return d.check == "postings"; });
    posted.clear();
  }

  if (start_cp) {
    // From a checkpoint: the live tables against the state replayed from it (the history tables, the
    // ended positions and every account's postings are what a full verify checks).
    auto stored = load_state();
    auto want = live_accounts(state);
    std::optional<LiveAccounts> got;
    int64_t open_rows = -1;
    if (stored) {
      try {
        got = m->stored_live_accounts();
        open_rows = m->db.execAndGet("SELECT count(*) FROM positions WHERE status = 'open'").getInt64();
      } catch (const SQLite::Exception& e) {
        problems.push_back({0, "state", "the accounts table cannot be read: " + sqlite_error(m->path, e).message});
      }
    }
    if (!stored || !want) {
      problems.push_back({0, "state", (!stored ? stored.error() : want.error()).message});
    } else if (got) {
      for (auto& message : live_differences(state, *stored, *want, *got, open_rows, "the tables")) {
        problems.push_back({0, "state", std::move(message)});
      }
    }
    if (progress) progress(done, *total);
    return finish();
  }
  // The accounts table is compared on the feeder's connection and a thread of its own (the other
  // core; the same snapshot) while this one checks conservation and compares the positions; its
  // findings are appended where a single pass made them. The replay is read-only from here: what
  // conservation would load on demand is loaded first (nothing, for the streaming replay's loader).
  std::vector<Discrepancy> accounted;
  const auto check_accounts = [&](SQLite::Database& db) {
    compare_accounts(db, m->path, state, last, posted, !postings_error.has_value(), accounted);
  };
  // The positions indexes' entries against the replay (used only when every other check passes, below).
  const auto indexes_match = [&](SQLite::Database& db) {
    try {
      return position_indexes_match(db, state);
    } catch (const SQLite::Exception&) {
      return false;
    }
  };
  std::optional<bool> indexes_shown;
  std::future<void> apart;
  // The conservation audit, on a thread of its own while this one compares the tables (the replay is
  // only read from here); its findings go where a single pass made them, before the tables'.
  std::future<std::vector<std::pair<int64_t, std::string>>> conserving;
  if (tables_current && other) {
    if (auto loaded = load_all_positions(state); loaded) (void)load_all_accounts(state);
    (void)locks::read_all_lots(state);
    apart = std::async(std::launch::async, [&] { check_accounts(other->m->db); });
    // then, on a connection of its own that sees the same journal, the positions indexes' entries
    conserving = std::async(std::launch::async, [&] {
      auto found = vault::conservation_problems(state);
      if (streaming && !here.empty()) {
        // (one pass: nothing of it kept resident)
        if (auto opened = Journal::open(m->path, Access::read);
            opened && opened->read_without_map() && last_row(opened->m->db) == here) {
          indexes_shown = indexes_match(opened->m->db);
        }
      }
      return found;
    });
  }
  const std::size_t conservation_at = problems.size();
  const auto take_conservation = [&] {
    auto found = conserving.valid() ? conserving.get() : vault::conservation_problems(state);
    std::vector<Discrepancy> rows;
    for (auto& [seq, message] : found) rows.push_back({seq, "conservation", std::move(message)});
    problems.insert(problems.begin() + static_cast<std::ptrdiff_t>(conservation_at), std::make_move_iterator(rows.begin()),
                    std::make_move_iterator(rows.end()));
  };
  // Derived tables against the replay. An older schema's are not read (every reader takes its state
  // from the replay, and the first write rebuilds them): its postings are checked against the replay's
  // balances instead.
  if (!tables_current) {
    take_conservation();
    std::set<std::string> names;
    for (const auto& [name, balance] : state.accounts) {
      if (balance != WideUsd()) names.insert(name);
    }
    for (const auto& [name, pair] : posted) names.insert(name);
    for (const auto& name : postings_error ? std::set<std::string>{} : names) {
      const auto r = state.accounts.find(name);
      const WideUsd balance = r == state.accounts.end() ? WideUsd() : r->second;
      const auto p = posted.find(name);
      const WideUsd sum(p == posted.end() ? 0 : p->second.first);
      if (sum != balance) {
        problems.push_back({p == posted.end() ? 0 : p->second.second, "accounts",
                            "account " + name + " holds " + to_string(balance) + " but its postings sum to " + to_string(sum)});
      }
    }
  } else {
    auto stored = load_state();
    if (!stored) {
      problems.push_back({0, "state", stored.error().message});
    } else {
      // the stored ids the replay neither holds nor dropped (rows no event made), and the numbers of
      // rows of the history tables, read without holding them
      std::vector<int64_t> extra_ids;
      std::array<int64_t, 2> stored_rows{0, 0};
      try {
        SQLite::Statement q(m->db, "SELECT id FROM positions ORDER BY id");
        while (q.executeStep()) {
          const int64_t id = q.getColumn(0).getInt64();
          if (!state.positions.contains(id) && !evicted.evicted(id)) extra_ids.push_back(id);
        }
        stored_rows[0] = m->db.execAndGet("SELECT count(*) FROM position_legs").getInt64();
        stored_rows[1] = m->db.execAndGet("SELECT count(*) FROM losses").getInt64();
      } catch (const SQLite::Exception& e) {
        problems.push_back({0, "state", "the positions cannot be read: " + sqlite_error(m->path, e).message});
      }
      compare_states(state, *stored, m->positions, last, posted, streamed, extra_ids, stored_rows, problems);
      if (!apart.valid()) check_accounts(m->db);
    }
    take_conservation();
    // The replay's positions are freed while the reader's thread may still compare the accounts
    // (which reads the accounts only; the index comparison is done by now).
    { [[maybe_unused]] const auto freed = std::move(state.positions); }
    if (apart.valid()) apart.get();
    // (the accounts are not compared when the stored state cannot be read)
    if (stored) problems.insert(problems.end(), std::make_move_iterator(accounted.begin()),
                                std::make_move_iterator(accounted.end()));
    // a single-USDC vault has no assets rows (schema 7 writes them for a multi-asset pool only)
    for (std::string_view table : state.assets ? std::vector<std::string_view>{} : std::vector<std::string_view>{"assets"}) {
      auto n = row_count(table);
      if (!n) {
        problems.push_back({0, "tables", "table " + std::string(table) + " cannot be read: " + n.error().message});
      } else if (*n != 0) {
        problems.push_back({0, "tables", "table " + std::string(table) + " holds " + std::to_string(*n) +
                                             " rows that no event of this journal produces"});
      }
    }
    // The positions indexes' entries: when every other check passed, the table's rows are the replay's,
    // and entries equal to the replay's are what SQLite's check would find; otherwise (or when they
    // differ) SQLite checks them, and its findings are the ones listed.
    NX_TRY_STATUS(checked_structure());
    const bool clean = problems.empty() && structure->empty();
    if (clean && !indexes_shown) indexes_shown = streaming && indexes_match(m->db);
    if (!clean || !*indexes_shown) {
      NX_TRY(checked, integrity_check(StructureScope::positions));
      add_structure(checked);
    }
  }
  if (progress) progress(done, *total);
  return finish();
}

}  // namespace nexadex::journal
