// journal/checkpoint.cpp: verified checkpoints of the derived state (checkpoint.hpp): written by the
// writer in an event's transaction, read back for point-in-time reports, compared by verify.
#include "journal/checkpoint.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "journal/codec.hpp"
#include "journal/config_toml.hpp"
#include "journal/session.hpp"
#include "journal/sha256.hpp"
#include "journal/sqlite_error.hpp"
#include "lib/asset_books.hpp"
#include "lib/locks.hpp"

namespace nexadex::journal {

std::string checkpoint_hash(const CheckpointRow& row) {
  Sha256 h;
  h.update(row.prev_hash);
  h.update("\n");
  h.update(std::to_string(row.seq));
  h.update("\n");
  h.update(std::to_string(row.at));
  h.update("\n");
  h.update(row.event_hash);
  h.update("\n");
  h.update(row.image_sha256);
  return h.hex();
}

std::vector<std::string> image_schema_sql(const char* schema) {
  // k_derived_sql and k_positions_sql hold CREATE TABLE and CREATE INDEX statements only: each
  // gets the schema's name before its table or index name (an index lives with its table).
  std::vector<std::string> out;
  for (const std::string_view sql : {k_derived_sql, k_positions_sql}) {
    std::size_t start = 0;
    while (start < sql.size()) {
      std::size_t end = sql.find(";\n", start);
      if (end == std::string_view::npos) end = sql.size();
      std::string statement(sql.substr(start, end - start));
      start = end + 2;
      for (const std::string_view create : {"CREATE TABLE ", "CREATE INDEX "}) {
        if (const auto at = statement.find(create); at != std::string::npos) {
          statement.insert(at + create.size(), std::string(schema) + ".");
        }
      }
      if (statement.find("CREATE") != std::string::npos) out.push_back(std::move(statement));
    }
  }
  return out;
}

std::vector<std::string> image_copy_sql(const char* schema) {
  const std::string s = std::string(schema) + ".";
  std::vector<std::string> out;
  for (const char* table : {"config", "markets", "accounts", "pool", "lps", "lots", "losses", "position_legs", "assets",
                            "positions", "books"}) {
    out.push_back("DELETE FROM " + s + table);
  }
  for (const char* table : {"config", "markets", "pool", "lps", "lots", "assets", "books"}) {
    out.push_back("INSERT INTO " + s + table + " SELECT * FROM main." + table);
  }
  // the open positions through an index of open rows (the table also holds every ended position),
  // then their accounts, then the accounts that are not a position's (a range of the key either side)
  out.push_back("INSERT INTO " + s + "positions SELECT * FROM main.positions INDEXED BY positions_dead WHERE status = 'open'");
  out.push_back("INSERT INTO " + s + "accounts SELECT a.account, a.balance FROM " + s +
                "positions p JOIN main.accounts a ON a.account = 'position:' || p.id WHERE a.balance <> 0");
  // (rules 4: and the accounts of their collateral in tokens, position:ID:A)
  out.push_back("INSERT INTO " + s + "accounts SELECT a.account, a.balance FROM " + s +
                "positions p JOIN main.accounts a ON a.account = 'position:' || p.id || ':' || p.collateral_asset "
                "WHERE p.collateral_asset <> '' AND a.balance <> 0");
  out.push_back("INSERT INTO " + s + "accounts SELECT account, balance FROM main.accounts "
                "WHERE (account < 'position:' OR account >= 'position;') AND balance <> 0");
  return out;
}

// ---- CheckpointLoader ----

Result<std::optional<Position>> CheckpointLoader::load(int64_t id) {
  NX_TRY(open, m_image.load(id));
  if (open && open->status == PositionStatus::open) return open;
  NX_TRY(row, m_journal.load(id));
  if (row && ended_by_then(*row)) return row;
  return std::nullopt;
}

Result<std::vector<Position>> CheckpointLoader::load_many(const std::vector<int64_t>& ids) {
  NX_TRY(out, m_image.load_many(ids));
  std::erase_if(out, [](const Position& p) { return p.status != PositionStatus::open; });
  std::set<int64_t> found;
  for (const auto& p : out) found.insert(p.id);
  std::vector<int64_t> rest;
  for (const int64_t id : ids) {
    if (!found.count(id)) rest.push_back(id);
  }
  if (!rest.empty()) {
    NX_TRY(rows, m_journal.load_many(rest));
    for (auto& p : rows) {
      if (ended_by_then(p)) out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const Position& a, const Position& b) { return a.id < b.id; });
  }
  return out;
}

Result<std::vector<Position>> CheckpointLoader::all() {
  NX_TRY(out, m_image.all());
  std::erase_if(out, [](const Position& p) { return p.status != PositionStatus::open; });
  std::set<int64_t> open;
  for (const auto& p : out) open.insert(p.id);
  NX_TRY(rows, m_journal.all());
  for (auto& p : rows) {
    if (ended_by_then(p) && !open.count(p.id)) out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Position& a, const Position& b) { return a.id < b.id; });
  return out;
}

Result<std::vector<Position>> CheckpointLoader::positions_after(int64_t after, int64_t count) {
  NX_TRY(out, m_image.positions_after(after, count));
  std::erase_if(out, [](const Position& p) { return p.status != PositionStatus::open; });
  std::set<int64_t> open;
  for (const auto& p : out) open.insert(p.id);
  // the journal's rows ended by then, from the same id on, until `count` of them (a row with a
  // later id than the checkpoint's seq was opened after it), and no further than the image's chunk
  // when that is full (what lies beyond is the next call's)
  const int64_t bound = static_cast<int64_t>(out.size()) >= count ? out.back().id : m_seq;
  int64_t cursor = after;
  int64_t ended = 0;
  while (ended < count && cursor < bound) {
    NX_TRY(chunk, m_journal.positions_after(cursor, count));
    if (chunk.empty()) break;
    cursor = chunk.back().id;
    const bool last = static_cast<int64_t>(chunk.size()) < count;
    for (auto& p : chunk) {
      if (ended_by_then(p) && !open.count(p.id) && p.id <= bound) {
        out.push_back(std::move(p));
        ++ended;
      }
    }
    if (last) break;
  }
  std::sort(out.begin(), out.end(), [](const Position& a, const Position& b) { return a.id < b.id; });
  if (static_cast<int64_t>(out.size()) > count) out.resize(static_cast<std::size_t>(count));
  return out;
}

Result<std::vector<LossRecord>> CheckpointLoader::losses() {
  NX_TRY(out, m_journal.losses());
  std::erase_if(out, [&](const LossRecord& r) { return r.seq > m_seq; });
  return out;
}

std::vector<PositionLeg> CheckpointLoader::legs_by_then(std::vector<PositionLeg> legs) const {
  std::erase_if(legs, [&](const PositionLeg& l) { return l.seq > m_seq; });
  return legs;
}

Result<std::vector<PositionLeg>> CheckpointLoader::legs(int64_t id) {
  NX_TRY(out, m_journal.legs(id));
  return legs_by_then(std::move(out));
}

Result<std::vector<PositionLeg>> CheckpointLoader::legs_between(int64_t from, int64_t to) {
  NX_TRY(out, m_journal.legs_between(from, to));
  return legs_by_then(std::move(out));
}

// ---- CheckpointReader ----

CheckpointReader::CheckpointReader(const CheckpointRow& row, TableLoader& journal, std::string name)
    : m_row(row),
      m_name(std::move(name)),
      m_db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX),
      m_image(m_db, m_name),
      m_loader(m_image, journal, row.seq) {}

Result<std::unique_ptr<CheckpointReader>> CheckpointReader::open(const std::string& image, const CheckpointRow& row,
                                                                 TableLoader& journal, std::string name) {
  try {
    std::unique_ptr<CheckpointReader> r(new CheckpointReader(row, journal, std::move(name)));
    auto* bytes = static_cast<unsigned char*>(sqlite3_malloc64(std::max<std::size_t>(image.size(), 1)));
    if (bytes == nullptr) return journal_error("no memory to read " + r->m_name + ".");
    std::memcpy(bytes, image.data(), image.size());
    const auto n = static_cast<sqlite3_int64>(image.size());
    // SQLite frees the bytes, even when it refuses them
    const int rc = sqlite3_deserialize(r->m_db.getHandle(), "main", bytes, n, n,
                                       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
      return journal_error(r->m_name + " is not a database image SQLite can read; run 'nexadex verify'.");
    }
    // tables only, as this schema makes them: no view or trigger (whose queries could run for ever)
    const std::string names =
        r->m_db.execAndGet("SELECT coalesce(group_concat(type || ' ' || name, ','), '') FROM "
                           "(SELECT type, name FROM sqlite_schema WHERE type NOT IN ('table', 'index') ORDER BY name)")
            .getString();
    if (!names.empty()) {
      return journal_error(r->m_name + " holds what no checkpoint holds (" + names + "); run 'nexadex verify'.");
    }
    return r;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error("the checkpoint at seq " + std::to_string(row.seq), e));
  }
}

Result<State> CheckpointReader::state() {
  try {
    NX_TRY(s, read_state_tables(m_db, m_name, m_loader));
    s.head_seq = m_row.seq;
    s.head_at = Timestamp{m_row.at};
    return s;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_name, e));
  }
}

// ---- the writer's and the readers' side (Journal::Impl) ----

Status Journal::Impl::attach_image() {
  if (image_attached) return {};
  db.exec(std::string("ATTACH DATABASE ':memory:' AS ") + k_image_schema);
  for (const auto& sql : image_schema_sql(k_image_schema)) db.exec(sql);
  image_attached = true;
  return {};
}

Status Journal::Impl::maybe_checkpoint() {
  if (!in_write || version < 8) return {};
  if (last_checkpoint < 0) {
    SQLite::Statement q(db, "SELECT seq, hash FROM checkpoints WHERE seq <= ? ORDER BY seq DESC LIMIT 1");
    q.bind(1, head.seq);
    last_checkpoint = 0;
    last_checkpoint_hash = std::string(k_genesis_prev_hash);
    if (q.executeStep()) {
      last_checkpoint = q.getColumn(0).getInt64();
      last_checkpoint_hash = q.getColumn(1).getString();
    }
  }
  const int64_t since = head.seq - last_checkpoint;
  if (since < checkpoint_every) return {};
  int64_t open = 0;
  for (const auto& [key, book] : state.books) open += book.open;
  if (since < open) return {};

  NX_TRY_STATUS(write_state_rows());
  NX_TRY_STATUS(attach_image());
  for (const auto& sql : image_copy_sql(k_image_schema)) db.exec(sql);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db.getHandle(), k_image_schema, &size, 0);
  if (bytes == nullptr) return journal_error("no memory to write a checkpoint of " + path + "; nothing was written.");
  const std::string image(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  CheckpointRow row{head.seq, head.at.seconds, head.hash, last_checkpoint_hash, sha256_hex(image), ""};
  row.hash = checkpoint_hash(row);
  SQLite::Statement q(db, "INSERT INTO checkpoints (seq, at, event_hash, prev_hash, image_sha256, hash, image) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, row.seq);
  q.bind(2, row.at);
  q.bind(3, row.event_hash);
  q.bind(4, row.prev_hash);
  q.bind(5, row.image_sha256);
  q.bind(6, row.hash);
  q.bind(7, image.data(), static_cast<int>(image.size()));
  q.exec();
  last_checkpoint = row.seq;
  last_checkpoint_hash = row.hash;
  return {};
}

namespace {
constexpr const char* k_checkpoint_columns = "seq, at, event_hash, prev_hash, image_sha256, hash";
CheckpointRow checkpoint_row(SQLite::Statement& q) {
  return CheckpointRow{q.getColumn(0).getInt64(),  q.getColumn(1).getInt64(),  q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()};
}
}  // namespace

std::optional<CheckpointRow> Journal::Impl::checkpoint_at_or_before(int64_t seq) {
  if (version < 8) return std::nullopt;
  SQLite::Statement q(db, std::string("SELECT ") + k_checkpoint_columns +
                              " FROM checkpoints WHERE seq <= ? ORDER BY seq DESC LIMIT 1");
  q.bind(1, seq);
  if (!q.executeStep()) return std::nullopt;
  return checkpoint_row(q);
}

std::vector<CheckpointRow> Journal::Impl::checkpoint_rows() {
  std::vector<CheckpointRow> out;
  if (version < 8) return out;
  SQLite::Statement q(db, std::string("SELECT ") + k_checkpoint_columns + " FROM checkpoints ORDER BY seq");
  while (q.executeStep()) out.push_back(checkpoint_row(q));
  return out;
}

std::string Journal::Impl::checkpoint_image(int64_t seq) {
  SQLite::Statement q(db, "SELECT image FROM checkpoints WHERE seq = ?");
  q.bind(1, seq);
  if (!q.executeStep()) return {};
  const SQLite::Column c = q.getColumn(0);
  return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

Result<std::optional<std::pair<State, JournalHead>>> Journal::Impl::state_at_checkpoint(const CheckpointRow& row) {
  // what a report checks before using it: its hash, its event's hash and time, its image's SHA-256
  if (checkpoint_hash(row) != row.hash) return std::nullopt;
  SQLite::Statement q(db, "SELECT at, hash FROM events WHERE seq = ?");
  q.bind(1, row.seq);
  if (!q.executeStep() || q.getColumn(0).getInt64() != row.at || q.getColumn(1).getString() != row.event_hash) {
    return std::nullopt;
  }
  const std::string image = checkpoint_image(row.seq);
  if (sha256_hex(image) != row.image_sha256) return std::nullopt;
  const std::string name = path + " (its checkpoint at seq " + std::to_string(row.seq) + ")";
  NX_TRY(reader, CheckpointReader::open(image, row, positions, name));
  NX_TRY(s, reader->state());
  readers.push_back(std::move(reader));
  return std::make_pair(std::move(s), JournalHead{row.seq, row.event_hash, Timestamp{row.at}});
}

LiveAccounts Journal::Impl::stored_live_accounts() {
  LiveAccounts out;
  SQLite::Statement q(db, "SELECT account, balance FROM accounts WHERE balance <> 0");
  while (q.executeStep()) out.emplace(q.getColumn(0).getString(), WideUsd(q.getColumn(1).getInt64()));
  return out;
}

// ---- comparing live states ----

Result<LiveAccounts> live_accounts(const State& state) {
  NX_TRY_STATUS(load_all_accounts(state));
  LiveAccounts out;
  for (const auto& [name, balance] : state.accounts) {
    if (balance != WideUsd()) out.emplace(name, balance);
  }
  return out;
}

std::vector<std::string> live_differences(const State& want, const State& got, const LiveAccounts& want_accounts,
                                          const LiveAccounts& got_accounts, int64_t got_rows, const std::string& where,
                                          const std::vector<Position>* got_positions, std::size_t limit) {
  std::vector<std::string> out;
  std::size_t more = 0;
  const auto add = [&](std::string s) {
    if (out.size() < limit) out.push_back(std::move(s));
    else ++more;
  };
  if (want.config_seq != got.config_seq || want.config_sha256 != got.config_sha256 || want.rules != got.rules) {
    add("the config: that of seq " + std::to_string(got.config_seq) + " (rules " + std::to_string(got.rules) + ") in " +
        where + ", that of seq " + std::to_string(want.config_seq) + " (rules " + std::to_string(want.rules) +
        ") from the events");
  } else if (want.config_text != got.config_text || config_to_json(want.config) != config_to_json(got.config)) {
    add("the config: its text or its effective settings differ in " + where + " from those of seq " +
        std::to_string(want.config_seq));
  }
  // every keyed part: the keys of either side, each that differs named
  const auto keyed = [&](const auto& a, const auto& b, const auto& name) {
    std::set<typename std::decay_t<decltype(a)>::key_type> keys;
    for (const auto& [k, v] : a) keys.insert(k);
    for (const auto& [k, v] : b) keys.insert(k);
    for (const auto& k : keys) {
      const auto x = a.find(k), y = b.find(k);
      if (x != a.end() && y != b.end() && x->second == y->second) continue;
      add(name(k) + (y == b.end()   ? ": missing from " + where
                     : x == a.end() ? ": in " + where + " but made by no event"
                                    : ": differs in " + where + " from what the events give"));
    }
  };
  keyed(want.markets, got.markets, [](const std::string& k) { return "market " + k; });
  if (!(want.vault == got.vault)) add("the vault: differs in " + where + " from what the events give");
  if (want.assets.has_value() != got.assets.has_value()) {
    add("the assets: " + where + " does not hold one per asset of the config");
  } else if (want.assets) {
    for (std::size_t i = 0; i < want.assets->configs.size() && i < got.assets->configs.size(); ++i) {
      if (!(want.assets->books[i] == got.assets->books[i]) || !(want.assets->prices[i] == got.assets->prices[i])) {
        add("asset " + want.assets->configs[i].symbol + ": differs in " + where + " from what the events give");
      }
    }
  }
  keyed(want.books, got.books, [](const BookKey& k) { return "book " + k.market + " " + std::string(side_name(k.side)); });
  keyed(want.lps, got.lps, [](const LpKey& k) { return "LP " + k.lp + " (" + std::string(tranche_name(k.tranche)) + ")"; });
  // the open positions, book by book through the indexes (never the ended ones); `got`'s from the rows
  // given when there are (grouped by book, still by id), which spares the index queries of each book
  std::set<BookKey> books;
  for (const auto& [k, v] : want.books) books.insert(k);
  for (const auto& [k, v] : got.books) books.insert(k);
  std::map<BookKey, std::vector<const Position*>> given;
  if (got_positions) {
    for (const Position& p : *got_positions) {
      if (p.status == PositionStatus::open) given[BookKey{p.market, p.side}].push_back(&p);
    }
  }
  const auto got_book = [&](const BookKey& key) -> Result<std::vector<const Position*>> {
    if (!got_positions) return book_positions(got, key);
    const auto it = given.find(key);
    return it == given.end() ? std::vector<const Position*>{} : it->second;
  };
  int64_t walked = 0;   // the open positions of `got` found through its books
  for (const auto& key : books) {
    auto a = book_positions(want, key), b = got_book(key);
    if (!a || !b) {
      add("the open positions of book " + key.market + " cannot be read: " + (a ? b : a).error().message);
      continue;
    }
    walked += static_cast<int64_t>(b->size());
    // both by id (book_positions sorts them): one walk, no copies
    std::size_t i = 0, k = 0;
    while (i < a->size() || k < b->size()) {
      const Position* x = i < a->size() ? (*a)[i] : nullptr;
      const Position* y = k < b->size() ? (*b)[k] : nullptr;
      const int64_t id = !y || (x && x->id < y->id) ? x->id : y->id;
      const bool in_a = x && x->id == id, in_b = y && y->id == id;
      if (!in_b) add("open position " + std::to_string(id) + ": missing from " + where);
      else if (!in_a) add("open position " + std::to_string(id) + ": in " + where + " but made by no event");
      else if (!(*x == *y)) add("open position " + std::to_string(id) + ": differs in " + where + " from what the events give");
      i += in_a;
      k += in_b;
    }
  }
  if (got_rows >= 0 && got_rows != walked) {
    add("the positions: " + std::to_string(got_rows) + " rows in " + where + " where its books find " +
        std::to_string(walked) + " open positions (a row outside every book, or not open)");
  }
  if (auto a = locks::read_all_lots(want), b = locks::read_all_lots(got); !a || !b) {
    add("the lots cannot be read: " + (a ? b : a).error().message);
  } else {
    keyed(want.lots.all, got.lots.all, [](int64_t id) { return "lot " + std::to_string(id); });
  }
  std::set<std::string> names;
  for (const auto& [k, v] : want_accounts) names.insert(k);
  for (const auto& [k, v] : got_accounts) names.insert(k);
  for (const auto& name : names) {
    const auto x = want_accounts.find(name), y = got_accounts.find(name);
    const WideUsd a = x == want_accounts.end() ? WideUsd() : x->second;
    const WideUsd b = y == got_accounts.end() ? WideUsd() : y->second;
    if (a != b) add("account " + name + ": " + to_string(b) + " in " + where + ", " + to_string(a) + " from the events");
  }
  if (more > 0) out.push_back("and " + std::to_string(more) + " more differences");
  return out;
}

}  // namespace nexadex::journal
