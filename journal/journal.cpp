// journal/journal.cpp: opening, identifying, appending to and reading the SQLite journal.
#include "journal/journal.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

#include "journal/codec.hpp"
#include "journal/config_toml.hpp"
#include "journal/schema.hpp"
#include "journal/sqlite_error.hpp"
#include "journal/sha256.hpp"
#include "lib/vault.hpp"

namespace nexadex::journal {
namespace {

constexpr int k_busy_timeout_ms = 10'000;

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Identifies the file from its 100-byte SQLite header before SQLite opens it, so that a foreign or
// damaged file is refused without a single byte written (SQLite would create -wal/-shm files or
// change the journal mode otherwise).
Status identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return journal_error("no journal at " + path + "; create one with 'nexadex init --config FILE' or give "
                           "--journal PATH (or NEXADEX_JOURNAL) of an existing journal.");
    }
    return journal_error("cannot read the journal " + path + ": " + std::strerror(errno) + ".");
  }
  if (!S_ISREG(st.st_mode)) return journal_error(path + " is not a regular file, so it is not a nexadex journal.");
  std::ifstream in(path, std::ios::binary);
  if (!in) return journal_error("cannot read the journal " + path + ": " + std::strerror(errno) + ".");
  std::array<unsigned char, 100> h{};
  in.read(reinterpret_cast<char*>(h.data()), h.size());
  const auto got = in.gcount();
  static constexpr char k_magic[] = "SQLite format 3";
  if (got < 100 || std::memcmp(h.data(), k_magic, sizeof k_magic) != 0) {
    return journal_error(path + " is not a nexadex journal (it is not an SQLite database, or it is truncated); "
                         "check the --journal path.");
  }
  // A truncated file: SQLite would open it and leave -wal/-shm files beside it. Only without a -wal
  // file: every journal written since init keeps one (persist_wal), and while it holds frames the
  // main file may legitimately be shorter than its header says (a checkpoint under way, or cut short
  // by a crash and completed by SQLite's recovery).
  const uint32_t raw_page_size = (uint32_t{h[16]} << 8) | h[17];
  const uint64_t page_size = raw_page_size == 1 ? 65536 : raw_page_size;
  const uint64_t pages = be32(&h[28]);
  struct stat wal {};
  const bool has_wal = ::stat((path + "-wal").c_str(), &wal) == 0;
  if (!has_wal && be32(&h[24]) == be32(&h[92]) && static_cast<uint64_t>(st.st_size) < pages * page_size) {
    return journal_error(path + " is truncated (" + std::to_string(st.st_size) + " bytes, its header says " +
                         std::to_string(pages * page_size) + "); restore it from a copy.");
  }
  const uint32_t user_version = be32(&h[60]);
  const uint32_t app_id = be32(&h[68]);
  if (app_id != static_cast<uint32_t>(k_application_id)) {
    return journal_error(path + " is an SQLite database of another application (application_id " + hex32(app_id) +
                         "), not a nexadex journal; nothing was written to it.");
  }
  if (user_version > static_cast<uint32_t>(k_schema_version)) {
    return journal_error(path + " has journal schema " + std::to_string(user_version) + ", newer than the schema " +
                         std::to_string(k_schema_version) + " this nexadex reads; use a newer nexadex.");
  }
  if (user_version < 1) {
    return journal_error(path + " has no journal schema version (user_version 0); it is damaged or was not "
                         "made by 'nexadex init'.");
  }
  return {};
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// How a reader opens the journal without creating a file beside it that its owner could not write.
enum class ReadMode {
  shared,      // SQLite's own read-only WAL reader, with its locks (it may create -wal/-shm only where
               // this user may write the journal anyway)
  immutable,   // the main file as it is (SQLite's immutable mode): nothing is in a -wal file, and this
               // user cannot create -shm, so SQLite's WAL reader cannot start
};

Result<ReadMode> read_mode(const std::string& path) {
  const std::string wal = path + "-wal", shm = path + "-shm";
  // Both beside it (every journal written since init keeps them): SQLite reads through them, even
  // when it may not write them (it then keeps its shared memory on the heap).
  if (exists(wal) && exists(shm)) return ReadMode::shared;
  if (::access(path.c_str(), W_OK) == 0 && ::access(directory_of(path).c_str(), W_OK | X_OK) == 0) {
    return ReadMode::shared;
  }
  struct stat st {};
  if (::stat(wal.c_str(), &st) != 0 || st.st_size == 0) return ReadMode::immutable;
  return journal_error("the journal " + path + " has changes in " + wal + " that are not yet in the main file, and "
                       "SQLite cannot read them without creating " + shm + ", which this user may not; copy both "
                       "files to a writable directory, or ask the journal's owner to run any nexadex write on it.");
}

// A writer needs to write the file and, unless both are already there and writable, to create its
// -wal and -shm files beside it.
Status check_writable(const std::string& path) {
  const std::string dir = directory_of(path);
  if (::access(path.c_str(), W_OK) != 0) {
    return journal_error("the journal " + path + " is read-only for this user (" + std::strerror(errno) +
                         "); reports, verify and export work on it, but a write needs write permission on it.");
  }
  const std::string wal = path + "-wal", shm = path + "-shm";
  const bool sides_writable = ::access(wal.c_str(), W_OK) == 0 && ::access(shm.c_str(), W_OK) == 0;
  if (!sides_writable && ::access(dir.c_str(), W_OK | X_OK) != 0) {
    return journal_error("the journal " + path + " is read-only for this user: its directory " + dir +
                         " is not writable and a write creates " + wal + " and " + shm + " there; reports, verify "
                         "and export work on it.");
  }
  return {};
}

// file: URI of a path for sqlite3_open_v2 with SQLITE_OPEN_URI ('?', '#' and '%' escaped).
std::string file_uri(const std::string& path, const char* query) {
  std::string out = "file:";
  for (const char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "?" + query;
}


void set_int_pragma(SQLite::Database& db, const char* name, int64_t v) {
  db.exec(std::string("PRAGMA ") + name + " = " + std::to_string(v));
}

// Keeps the -wal file when the last connection closes (it is still checkpointed, so the main file
// alone is a complete journal): the next writer does not create it again and sync the directory.
void persist_wal(SQLite::Database& db) {
  int on = 1;
  sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &on);
  db.exec("PRAGMA journal_size_limit = 0");  // and leave it empty once checkpointed
}

using nlohmann::json;

json fee_json(const FeeTotals& f) {
  return {{"charged", f.charged.units()}, {"forgone", f.forgone.units()}, {"to_lps", f.to_lps.units()},
          {"to_insurance", f.to_insurance.units()}, {"to_treasury", f.to_treasury.units()}};
}

// The vault's scalars as one JSON row of the pool table (micro-units as integers, 128-bit as text).
std::string vault_to_json(const Vault& v) {
  json fees = json::object();
  for (const auto& [k, f] : v.fees) fees[k] = fee_json(f);
  json cover = json::object();
  for (const auto& [k, c] : v.cover_today) cover[k] = {{"day", c.day}, {"cap", c.cap.units()}, {"used", c.used.units()}};
  json tranches = json::array();
  for (const Tranche& t : v.tranches) {
    json absorbed = json::object();
    for (const auto& [k, a] : t.absorbed) absorbed[k] = a.units();
    json daily = json::array();
    for (const auto& [day, price] : t.daily) daily.push_back(json::array({day, format_int128(price)}));
    tranches.push_back({{"capital", t.capital.units()},
                        {"supply", t.supply.units()},
                        {"unpaid_target", t.unpaid_target.units()},
                        {"accrual_remainder", format_int128(t.accrual_remainder)},
                        {"gains", t.gains.units()},
                        {"absorbed", absorbed},
                        {"resets", t.resets},
                        {"since", t.since.seconds},
                        {"daily", daily}});
  }
  return json{{"tranches", tranches},
              {"insurance", v.insurance.units()},
              {"treasury", v.treasury.units()},
              {"reserved", v.reserved.units()},
              {"open_interest_long", v.open_interest_long.units()},
              {"open_interest_short", v.open_interest_short.units()},
              {"borrow_index", format_int128(v.borrow_index)},
              {"index_at", v.index_at.seconds},
              {"utilization_bps", v.utilization_bps.value},
              {"unabsorbed", v.unabsorbed.units()},
              {"acknowledged", v.acknowledged.units()},
              {"insurance_paid", v.insurance_paid.units()},
              {"fees", fees},
              {"cover_today", cover}}
      .dump();
}

Result<Vault> vault_from_json(const std::string& text) {
  try {
    const json j = json::parse(text);
    Vault v;
    auto usd = [&](const char* k) { return Usd(j.at(k).get<int64_t>()); };
    const json& ts = j.at("tranches");
    if (!ts.is_array() || ts.size() != 2) return journal_error("the vault row of the pool table is damaged (tranches).");
    for (std::size_t i = 0; i < 2; ++i) {
      const json& tj = ts.at(i);
      Tranche& t = v.tranches[i];
      t.capital = Usd(tj.at("capital").get<int64_t>());
      t.supply = Shares(tj.at("supply").get<int64_t>());
      t.unpaid_target = Usd(tj.at("unpaid_target").get<int64_t>());
      auto rem = parse_int128(tj.at("accrual_remainder").get<std::string>(), "accrual_remainder");
      if (!rem) return std::unexpected(rem.error());
      t.accrual_remainder = *rem;
      t.gains = Usd(tj.at("gains").get<int64_t>());
      for (const auto& [k, a] : tj.at("absorbed").items()) t.absorbed[k] = Usd(a.get<int64_t>());
      t.resets = tj.at("resets").get<int64_t>();
      t.since = Timestamp{tj.at("since").get<int64_t>()};
      for (const auto& d : tj.at("daily")) {
        auto price = parse_int128(d.at(1).get<std::string>(), "daily price");
        if (!price) return std::unexpected(price.error());
        t.daily.emplace_back(d.at(0).get<int64_t>(), *price);
      }
    }
    v.insurance = usd("insurance");
    v.treasury = usd("treasury");
    v.reserved = usd("reserved");
    v.open_interest_long = usd("open_interest_long");
    v.open_interest_short = usd("open_interest_short");
    auto idx = parse_int128(j.at("borrow_index").get<std::string>(), "borrow_index");
    if (!idx) return std::unexpected(idx.error());
    v.borrow_index = *idx;
    v.index_at = Timestamp{j.at("index_at").get<int64_t>()};
    v.utilization_bps = Bps{j.at("utilization_bps").get<int64_t>()};
    v.unabsorbed = usd("unabsorbed");
    // journals written before `acknowledge` existed have no such key: nothing was acknowledged
    v.acknowledged = Usd(j.value("acknowledged", int64_t{0}));
    v.insurance_paid = usd("insurance_paid");
    for (const auto& [k, f] : j.at("fees").items()) {
      v.fees[k] = FeeTotals{Usd(f.at("charged").get<int64_t>()), Usd(f.at("forgone").get<int64_t>()),
                            Usd(f.at("to_lps").get<int64_t>()), Usd(f.at("to_insurance").get<int64_t>()),
                            Usd(f.at("to_treasury").get<int64_t>())};
    }
    for (const auto& [k, c] : j.at("cover_today").items()) {
      v.cover_today[k] = Vault::DailyCover{c.at("day").get<int64_t>(), Usd(c.at("cap").get<int64_t>()),
                                           Usd(c.at("used").get<int64_t>())};
    }
    return v;
  } catch (const std::exception& e) {
    return journal_error(std::string("the vault row of the pool table is damaged (") + e.what() + ").");
  }
}

const char* status_name(PositionStatus s) {
  return s == PositionStatus::open ? "open" : s == PositionStatus::closed ? "closed" : "liquidated";
}

// The columns of a positions row that make a Position, in the order position_from_row reads them.
constexpr const char* k_position_columns =
    "id, trader, market, side, size, collateral, entry_price, reserve, borrow_index_open, borrow_carried, opened_at, "
    "status, ended_seq, quantity, key_below, key_above, liq_bucket, key_liq, key_dead";

// A prepared statement of the C API. The positions loader reads through it because a SQLiteCpp
// Column per cell costs more than the cell when a stress test reads a quarter of a million rows.
// Errors throw SQLite::Exception, as SQLiteCpp's own calls do.
class RawStatement {
 public:
  RawStatement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &st_, nullptr) != SQLITE_OK) {
      throw SQLite::Exception(db);
    }
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(st_); }
  void bind(int i, int64_t v) { check(sqlite3_bind_int64(st_, i, v)); }
  void bind(int i, std::string_view v) {
    check(sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(st_);
    throw SQLite::Exception(db_, rc);
  }
  void reset() { sqlite3_reset(st_); }
  sqlite3_stmt* get() const { return st_; }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

Result<Position> position_from_row(sqlite3_stmt* st, const std::string& path) {
  const auto i64 = [st](int c) { return static_cast<int64_t>(sqlite3_column_int64(st, c)); };
  const auto text = [st](int c) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return t == nullptr ? std::string_view{} : std::string_view(t, static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
  };
  Position p;
  p.id = i64(0);
  p.trader = text(1);
  p.market = text(2);
  p.side = text(3) == "short" ? Side::short_ : Side::long_;
  p.size = Usd(i64(4));
  p.collateral = Usd(i64(5));
  p.entry = Price(i64(6));
  p.reserve = Usd(i64(7));
  auto idx = parse_int128(text(8), "borrow_index_open");
  auto qty = parse_int128(text(13), "quantity");
  if (!idx || !qty) return journal_error("position " + std::to_string(p.id) + " of " + path + " is damaged.");
  p.borrow_index_open = *idx;
  p.borrow_carried = Usd(i64(9));
  p.opened_at = Timestamp{i64(10)};
  const std::string_view status = text(11);
  p.status = status == "open" ? PositionStatus::open
             : status == "closed" ? PositionStatus::closed
                                  : PositionStatus::liquidated;
  p.ended_seq = sqlite3_column_type(st, 12) == SQLITE_NULL ? 0 : i64(12);
  p.keys = PositionKeys{*qty, i64(14), i64(15), i64(16), i64(17), i64(18)};
  return p;
}

std::string buckets_to_json(const Book& b) {
  json a = json::array();
  for (const auto& [bucket, n] : b.buckets) a.push_back({bucket, n});
  return a.dump();
}

// The positions table answering the state's index queries (lib/state.hpp) with the same keys.
class SqlPositions final : public TableLoader {
 public:
  SqlPositions(SQLite::Database& db, const std::string& path) : db_(db), path_(path) {}

  Result<std::optional<Position>> load(int64_t id) override {
    try {
      auto& q = select(by_id_, "id = ?");
      q.bind(1, id);
      NX_TRY(found, rows(q));
      if (found.empty()) return std::nullopt;
      return std::move(found.front());
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  // Rows by id, in ascending order: the seeks then walk the table's pages front to back.
  Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) override {
    try {
      auto& q = select(by_id_, "id = ?");
      std::vector<Position> out;
      out.reserve(ids.size());
      for (const int64_t id : ids) {
        q.bind(1, id);
        if (auto ok = append_rows(q, out); !ok) return std::unexpected(ok.error());
      }
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::vector<int64_t>> query_ids(const IndexQuery& iq) override {
    try {
      RawStatement& q = indexed(iq);
      std::vector<int64_t> out;
      while (q.step()) out.push_back(sqlite3_column_int64(q.get(), 0));
      q.reset();
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::vector<Position>> all() override {
    try {
      RawStatement q(db_.getHandle(), std::string("SELECT ") + k_position_columns + " FROM positions ORDER BY id");
      return rows(q);
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::optional<Usd>> load_account(const std::string& name) override {
    try {
      if (!account_) account_.emplace(db_, "SELECT balance FROM accounts WHERE account = ?");
      auto& q = *account_;
      q.bind(1, name);
      std::optional<Usd> out;
      if (q.executeStep()) out = Usd(q.getColumn(0).getInt64());
      q.reset();
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::map<std::string, Usd>> all_accounts() override {
    try {
      std::map<std::string, Usd> out;
      SQLite::Statement q(db_, "SELECT account, balance FROM accounts");
      while (q.executeStep()) out[q.getColumn(0).getString()] = Usd(q.getColumn(1).getInt64());
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::vector<LossRecord>> losses() override {
    try {
      std::vector<LossRecord> out;
      SQLite::Statement q(db_,
                          "SELECT seq, leg, at, kind, market, layer, amount, junior_cancelled FROM losses ORDER BY seq, leg");
      while (q.executeStep()) {
        if (q.getColumn(1).getInt64() == 0) {
          LossRecord r;
          r.seq = q.getColumn(0).getInt64();
          r.at = Timestamp{q.getColumn(2).getInt64()};
          r.kind = q.getColumn(3).getString();
          r.market = q.getColumn(4).getString();
          r.total = Usd(q.getColumn(6).getInt64());
          r.junior_cancelled = Shares(q.getColumn(7).getInt64());
          out.push_back(std::move(r));
        } else if (!out.empty() && out.back().seq == q.getColumn(0).getInt64()) {
          out.back().legs.push_back({q.getColumn(5).getString(), Usd(q.getColumn(6).getInt64())});
        } else {
          return journal_error("the losses table of " + path_ + " is damaged (a layer row without its total).");
        }
      }
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  Result<std::vector<PositionLeg>> legs(int64_t id) override {
    try {
      std::vector<PositionLeg> out;
      SQLite::Statement q(db_, std::string("SELECT id, seq, at, kind, size, price, collateral, pnl, open_fee, close_fee, "
                                           "borrow_fee, keeper_fee, payout FROM position_legs") +
                                   (id != 0 ? " WHERE id = ?" : "") + " ORDER BY id, seq");
      if (id != 0) q.bind(1, id);
      while (q.executeStep()) {
        const auto i64 = [&](int c) { return static_cast<int64_t>(q.getColumn(c).getInt64()); };
        const std::string kind = q.getColumn(3).getString();
        PositionLeg l;
        l.id = i64(0);
        l.seq = i64(1);
        l.at = Timestamp{i64(2)};
        l.kind = kind == "opened" ? LegKind::opened : kind == "closed" ? LegKind::closed : LegKind::liquidated;
        l.size = Usd(i64(4));
        l.price = Price(i64(5));
        l.collateral = Usd(i64(6));
        l.pnl = i64(7);
        l.open_fee = Usd(i64(8));
        l.close_fee = Usd(i64(9));
        l.borrow_fee = Usd(i64(10));
        l.keeper_fee = Usd(i64(11));
        l.payout = Usd(i64(12));
        out.push_back(l);
      }
      return out;
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(path_, e));
    }
  }

  void reset() {
    by_id_.reset(), account_.reset();
    for (auto& slot : indexed_) slot.reset();
  }

 private:
  // The prepared SELECT of positions rows (or of their ids only) WHERE `where` `and_then`, made on first use.
  RawStatement& select(std::optional<RawStatement>& slot, const char* where, const char* and_then = "",
                       bool ids = false) {
    if (!slot) {
      slot.emplace(db_.getHandle(),
                   std::string("SELECT ") + (ids ? "id" : k_position_columns) + " FROM positions WHERE " + where + and_then);
    }
    return *slot;
  }
  // The ids of an index range, its parameters bound: read from the index alone.
  RawStatement& indexed(const IndexQuery& iq) {
    constexpr const char* k_book = "status = 'open' AND market = ? AND side = ? AND ";
    const char* range = "";
    switch (iq.kind) {
      case IndexKind::below: range = "key_below >= ?"; break;
      case IndexKind::above: range = "key_above <= ?"; break;
      case IndexKind::dead: range = "key_dead <= ?"; break;
      case IndexKind::liq: range = "liq_bucket = ? AND key_liq >= ?"; break;
    }
    RawStatement& q = select(indexed_[static_cast<std::size_t>(iq.kind)], k_book, range, true);
    int i = 1;
    q.bind(i++, std::string_view(iq.book.market));
    q.bind(i++, side_name(iq.book.side));
    if (iq.kind == IndexKind::liq) q.bind(i++, static_cast<int64_t>(iq.bucket));
    q.bind(i++, static_cast<int64_t>(iq.bound));
    return q;
  }
  // Appends every row the bound statement gives, then resets it.
  Status append_rows(RawStatement& q, std::vector<Position>& out) {
    while (q.step()) {
      auto p = position_from_row(q.get(), path_);
      if (!p) {
        q.reset();
        return std::unexpected(p.error());
      }
      out.push_back(std::move(*p));
    }
    q.reset();
    return {};
  }
  Result<std::vector<Position>> rows(RawStatement& q) {
    std::vector<Position> out;
    if (auto ok = append_rows(q, out); !ok) return std::unexpected(ok.error());
    return out;
  }
  SQLite::Database& db_;
  const std::string& path_;
  std::optional<RawStatement> by_id_;
  std::optional<SQLite::Statement> account_;
  std::array<std::optional<RawStatement>, 4> indexed_;   // by IndexKind
};

// Process-wide SQLite settings, made once before the first connection: no memory statistics (they
// take a global mutex on every allocation, and nexadex never reads them).
struct SqliteSetup {
  SqliteSetup() {
    static const bool done = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
    (void)done;
  }
};

}  // namespace

Error sqlite_error(const std::string& path, const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return Error{ErrorKind::journal, "the journal " + path + " is locked by another writer and stayed locked for " +
                                         std::to_string(k_busy_timeout_ms / 1000) + " s; try again later."};
  }
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    return Error{ErrorKind::journal, "the journal " + path + " is damaged (SQLite: " + e.what() +
                                         "); restore it from a copy and run 'nexadex verify'."};
  }
  if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM) {
    return Error{ErrorKind::journal, "cannot write the journal " + path + " (SQLite: " + e.what() +
                                         "); check the file's permissions."};
  }
  return Error{ErrorKind::journal, "the journal " + path + " could not be read or written (SQLite: " + e.what() + ")."};
}

struct Journal::Impl {
  SqliteSetup setup;   // first: before `db` opens
  std::string path;
  SQLite::Database db;
  State state;
  JournalHead head;
  bool in_write = false;
  std::optional<SQLite::Statement> insert_event;
  std::optional<SQLite::Statement> insert_posting;
  SqlPositions positions{db, path};
  int64_t version = k_schema_version;

  // NOMUTEX: one thread uses a connection, so SQLite need not lock its mutex on every call (a stress
  // test makes millions of column calls).
  Impl(std::string p, int flags) : path(std::move(p)), db(path, flags | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms) {}
  // Opens `name` (a path, or a file: URI with `flags` holding SQLite::OPEN_URI); `p` names it in messages.
  Impl(std::string p, const std::string& name, int flags)
      : path(std::move(p)), db(name, flags | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms) {}

  // The latest seq that a posting or a state row names (a few B-tree probes).
  int64_t last_written_seq() {
    return db.execAndGet(
        "SELECT max((SELECT coalesce(max(seq), 0) FROM postings), (SELECT coalesce(max(price_seq), 0) FROM markets), "
        "(SELECT coalesce(max(seq), 0) FROM config))").getInt64();
  }

  // The last event, after a check that costs a few B-tree probes: the events start at seq 1 and no
  // posting or state row names a later seq (events deleted from the end behind the triggers' back).
  Status load_head() {
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

  Status load_state_tables() {
    State s;
    {
      SQLite::Statement q(db, "SELECT seq, sha256, text, effective, rules FROM config WHERE id = 1");
      if (!q.executeStep()) return journal_error("the journal " + path + " has no config row; it is damaged.");
      s.config_seq = q.getColumn(0).getInt64();
      s.config_sha256 = q.getColumn(1).getString();
      s.config_text = q.getColumn(2).getString();
      s.rules = q.getColumn(4).getInt64();
      // The parsed config is cached as JSON: parsing TOML is most of a single command's own work.
      auto c = config_from_json(q.getColumn(3).getString());
      if (!c) return journal_error("the config stored in " + path + " does not parse (" + c.error().message + ").");
      s.config = std::move(*c);
    }
    {
      SQLite::Statement q(db, "SELECT symbol, price, price_at, price_seq FROM markets");
      while (q.executeStep()) {
        s.markets[q.getColumn(0).getString()] = MarketState{Price(q.getColumn(1).getInt64()),
                                                            Timestamp{q.getColumn(2).getInt64()},
                                                            q.getColumn(3).getInt64()};
      }
    }
    s.accounts_complete = false;   // read one by one as events post to them (State::loader)
    {
      SQLite::Statement q(db, "SELECT value FROM pool WHERE key = 'vault'");
      if (q.executeStep()) {
        auto v = vault_from_json(q.getColumn(0).getString());
        if (!v) return std::unexpected(v.error());
        s.vault = std::move(*v);
      }
    }
    {
      SQLite::Statement q(db, "SELECT lp, tranche, shares, deposited, withdrawn, cancelled FROM lps");
      while (q.executeStep()) {
        const LpKey key{q.getColumn(0).getString(),
                        q.getColumn(1).getString() == "junior" ? TrancheId::junior : TrancheId::senior};
        s.lps[key] = LpHolding{Shares(q.getColumn(2).getInt64()), Usd(q.getColumn(3).getInt64()),
                               Usd(q.getColumn(4).getInt64()), Shares(q.getColumn(5).getInt64())};
      }
    }
    {
      SQLite::Statement q(db, "SELECT market, side, open, size, quantity, buckets, fine_hi, fine_lo, entry_sum, "
                              "entry_sq FROM books");
      while (q.executeStep()) {
        const BookKey key{q.getColumn(0).getString(), q.getColumn(1).getString() == "short" ? Side::short_ : Side::long_};
        Book b;
        b.open = q.getColumn(2).getInt64();
        auto size = parse_int128(q.getColumn(3).getString(), "size");
        auto qty = parse_int128(q.getColumn(4).getString(), "quantity");
        auto hi = parse_int128(q.getColumn(6).getString(), "fine_hi");
        auto lo = parse_int128(q.getColumn(7).getString(), "fine_lo");
        auto esum = parse_int128(q.getColumn(8).getString(), "entry_sum");
        auto esq = parse_int128(q.getColumn(9).getString(), "entry_sq");
        if (!size || !qty || !hi || !lo || !esum || !esq) {
          return journal_error("the books table of " + path + " is damaged.");
        }
        b.size = *size, b.quantity = *qty;
        b.fine_hi = *hi, b.fine_lo = *lo, b.entry_sum = *esum, b.entry_sq = *esq;
        try {
          for (const auto& pair : json::parse(q.getColumn(5).getString())) {
            b.buckets[pair.at(0).get<int64_t>()] = pair.at(1).get<int64_t>();
          }
        } catch (const std::exception&) {
          return journal_error("the books table of " + path + " is damaged.");
        }
        s.books[key] = std::move(b);
      }
    }
    // Positions are read when a command needs them (State::loader), never all at once here.
    s.loader = &positions;
    s.positions_complete = false;
    if (auto ok = load_head(); !ok) return ok;
    s.head_seq = head.seq;
    s.head_at = head.at;
    state = std::move(s);
    return {};
  }

  // Errors: an account balance beyond int64 (the accounts table is INTEGER; ErrorKind::journal),
  // found before any row is written.
  Status write_state_rows() {
    std::vector<std::pair<const std::string*, Usd>> balances;
    for (const auto& acct : state.dirty_accounts) {
      auto balance = narrow(state.accounts.at(acct), "account " + acct);
      if (!balance) {
        return journal_error("account " + acct + " would hold " + to_string(state.accounts.at(acct)) +
                             ", beyond the accounts table's 64 bits; the command was not written.");
      }
      balances.emplace_back(&acct, *balance);
    }
    if (state.dirty_config) {
      SQLite::Statement q(db, "INSERT OR REPLACE INTO config (id, seq, sha256, text, effective, rules) "
                              "VALUES (1, ?, ?, ?, ?, ?)");
      q.bind(1, static_cast<int64_t>(state.config_seq));
      q.bind(2, state.config_sha256);
      q.bind(3, state.config_text);
      q.bind(4, config_to_json(state.config).dump());
      q.bind(5, static_cast<int64_t>(state.rules));
      q.exec();
      state.dirty_config = false;
    }
    if (!state.dirty_markets.empty()) {
      SQLite::Statement q(db, "INSERT OR REPLACE INTO markets (symbol, price, price_at, price_seq) VALUES (?, ?, ?, ?)");
      for (const auto& sym : state.dirty_markets) {
        const auto& m = state.markets.at(sym);
        q.bind(1, sym);
        q.bind(2, static_cast<int64_t>(m.price.units()));
        q.bind(3, static_cast<int64_t>(m.price_at.seconds));
        q.bind(4, static_cast<int64_t>(m.price_seq));
        q.exec();
        q.reset();
      }
      state.dirty_markets.clear();
    }
    if (!state.dirty_accounts.empty()) {
      SQLite::Statement q(db, "INSERT OR REPLACE INTO accounts (account, balance) VALUES (?, ?)");
      for (const auto& [acct, balance] : balances) {
        q.bind(1, *acct);
        q.bind(2, static_cast<int64_t>(balance.units()));
        q.exec();
        q.reset();
      }
      state.dirty_accounts.clear();
    }
    if (state.dirty_vault) {
      SQLite::Statement q(db, "INSERT OR REPLACE INTO pool (key, value) VALUES ('vault', ?)");
      q.bind(1, vault_to_json(state.vault));
      q.exec();
      state.dirty_vault = false;
    }
    if (!state.dirty_lps.empty()) {
      SQLite::Statement q(db,
                          "INSERT OR REPLACE INTO lps (lp, tranche, shares, deposited, withdrawn, cancelled) "
                          "VALUES (?, ?, ?, ?, ?, ?)");
      for (const auto& key : state.dirty_lps) {
        const auto& h = state.lps.at(key);
        q.bind(1, key.lp);
        q.bind(2, std::string(tranche_name(key.tranche)));
        q.bind(3, static_cast<int64_t>(h.shares.units()));
        q.bind(4, static_cast<int64_t>(h.deposited.units()));
        q.bind(5, static_cast<int64_t>(h.withdrawn.units()));
        q.bind(6, static_cast<int64_t>(h.cancelled.units()));
        q.exec();
        q.reset();
      }
      state.dirty_lps.clear();
    }
    if (state.losses_written < state.losses.size()) {
      SQLite::Statement q(db,
                          "INSERT INTO losses (seq, leg, at, kind, market, layer, amount, junior_cancelled) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = state.losses_written; i < state.losses.size(); ++i) {
        const LossRecord& r = state.losses[i];
        // leg 0 is the loss itself (layer 'total'); then one row per layer that took a part
        for (std::size_t leg = 0; leg <= r.legs.size(); ++leg) {
          q.bind(1, static_cast<int64_t>(r.seq));
          q.bind(2, static_cast<int64_t>(leg));
          q.bind(3, static_cast<int64_t>(r.at.seconds));
          q.bind(4, r.kind);
          q.bind(5, r.market);
          q.bind(6, leg == 0 ? std::string("total") : r.legs[leg - 1].layer);
          q.bind(7, static_cast<int64_t>(leg == 0 ? r.total.units() : r.legs[leg - 1].amount.units()));
          q.bind(8, static_cast<int64_t>(leg == 0 ? r.junior_cancelled.units() : 0));
          q.exec();
          q.reset();
        }
      }
      state.losses_written = state.losses.size();
    }
    if (state.legs_written < state.legs.size()) {
      SQLite::Statement q(db,
                          "INSERT INTO position_legs (id, seq, at, kind, size, price, collateral, pnl, open_fee, close_fee, "
                          "borrow_fee, keeper_fee, payout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = state.legs_written; i < state.legs.size(); ++i) {
        const PositionLeg& l = state.legs[i];
        q.bind(1, static_cast<int64_t>(l.id));
        q.bind(2, static_cast<int64_t>(l.seq));
        q.bind(3, static_cast<int64_t>(l.at.seconds));
        q.bind(4, std::string(leg_kind_name(l.kind)));
        q.bind(5, static_cast<int64_t>(l.size.units()));
        q.bind(6, static_cast<int64_t>(l.price.units()));
        q.bind(7, static_cast<int64_t>(l.collateral.units()));
        q.bind(8, static_cast<int64_t>(l.pnl));
        q.bind(9, static_cast<int64_t>(l.open_fee.units()));
        q.bind(10, static_cast<int64_t>(l.close_fee.units()));
        q.bind(11, static_cast<int64_t>(l.borrow_fee.units()));
        q.bind(12, static_cast<int64_t>(l.keeper_fee.units()));
        q.bind(13, static_cast<int64_t>(l.payout.units()));
        q.exec();
        q.reset();
      }
      state.legs_written = state.legs.size();
    }
    if (!state.dirty_positions.empty()) {
      SQLite::Statement q(db,
                          "INSERT OR REPLACE INTO positions (id, trader, market, side, size, collateral, entry_price, "
                          "reserve, borrow_index_open, borrow_carried, opened_at, liquidation_price, status, ended_seq, "
                          "quantity, key_below, key_above, liq_bucket, key_liq, key_dead) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (const int64_t id : state.dirty_positions) {
        const Position& p = state.positions.at(id);
        auto liq = p.status == PositionStatus::open ? vault::liquidation_price(state, p) : Result<Price>(Price(0));
        q.bind(1, static_cast<int64_t>(p.id));
        q.bind(2, p.trader);
        q.bind(3, p.market);
        q.bind(4, std::string(side_name(p.side)));
        q.bind(5, static_cast<int64_t>(p.size.units()));
        q.bind(6, static_cast<int64_t>(p.collateral.units()));
        q.bind(7, static_cast<int64_t>(p.entry.units()));
        q.bind(8, static_cast<int64_t>(p.reserve.units()));
        q.bind(9, format_int128(p.borrow_index_open));
        q.bind(10, static_cast<int64_t>(p.borrow_carried.units()));
        q.bind(11, static_cast<int64_t>(p.opened_at.seconds));
        q.bind(12, static_cast<int64_t>(liq ? liq->units() : 0));
        q.bind(13, std::string(status_name(p.status)));
        if (p.ended_seq) q.bind(14, static_cast<int64_t>(p.ended_seq));
        else q.bind(14);
        q.bind(15, format_int128(p.keys.quantity));
        q.bind(16, static_cast<int64_t>(p.keys.below));
        q.bind(17, static_cast<int64_t>(p.keys.above));
        q.bind(18, static_cast<int64_t>(p.keys.bucket));
        q.bind(19, static_cast<int64_t>(p.keys.liq));
        q.bind(20, static_cast<int64_t>(p.keys.dead));
        q.exec();
        q.reset();
      }
      state.dirty_positions.clear();
    }
    if (!state.dirty_books.empty()) {
      SQLite::Statement put(db,
                            "INSERT OR REPLACE INTO books (market, side, open, size, quantity, buckets, fine_hi, "
                            "fine_lo, entry_sum, entry_sq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      SQLite::Statement drop(db, "DELETE FROM books WHERE market = ? AND side = ?");
      for (const BookKey& key : state.dirty_books) {
        const auto it = state.books.find(key);
        SQLite::Statement& q = it == state.books.end() ? drop : put;
        q.bind(1, key.market);
        q.bind(2, std::string(side_name(key.side)));
        if (it != state.books.end()) {
          const Book& b = it->second;
          q.bind(3, static_cast<int64_t>(b.open));
          q.bind(4, format_int128(b.size));
          q.bind(5, format_int128(b.quantity));
          q.bind(6, buckets_to_json(b));
          q.bind(7, format_int128(b.fine_hi));
          q.bind(8, format_int128(b.fine_lo));
          q.bind(9, format_int128(b.entry_sum));
          q.bind(10, format_int128(b.entry_sq));
        }
        q.exec();
        q.reset();
      }
      state.dirty_books.clear();
    }
    return {};
  }

  Result<int64_t> append(EventBody body, Timestamp at, Outcome* outcome) {
    Event ev{state.head_seq + 1, at, std::move(body)};
    auto postings = apply(state, ev, outcome);
    if (!postings) return std::unexpected(postings.error());
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
    if (!postings->empty()) {
      if (!insert_posting) {
        insert_posting.emplace(db, "INSERT INTO postings (seq, leg, account, amount) VALUES (?, ?, ?, ?)");
      }
      auto& p = *insert_posting;
      int64_t leg = 0;
      for (const auto& posting : *postings) {
        p.bind(1, static_cast<int64_t>(ev.seq));
        p.bind(2, leg++);
        p.bind(3, posting.account);
        p.bind(4, static_cast<int64_t>(posting.amount.units()));
        p.exec();
        p.reset();
      }
    }
    head = JournalHead{ev.seq, std::move(hash), at};
    return ev.seq;
  }
};

Journal::Journal(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() {
  if (m && m->in_write) rollback();
}

Result<JournalHead> Journal::create(const std::string& path, const std::string& config_text, const Config& config,
                                    Timestamp at) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 || errno != ENOENT) {
    return input_error(path + " already exists; init never overwrites a file, so give a new --journal path "
                       "or remove the old file yourself.");
  }
  // Build the journal beside its final name, then link it into place: a crash leaves no half journal.
  std::string tmp = path + ".init-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return journal_error("cannot create " + path + ": " + std::strerror(errno) + ".");
  // mkstemp makes the file 0600; a journal gets the permissions of any new file (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  auto remove_tmp = [&] {
    ::unlink(tmp.c_str());
    ::unlink((tmp + "-wal").c_str());
    ::unlink((tmp + "-shm").c_str());
  };
  JournalHead head;
  try {
    Impl impl(tmp, SQLite::OPEN_READWRITE);
    set_int_pragma(impl.db, "application_id", k_application_id);
    set_int_pragma(impl.db, "user_version", k_schema_version);
    impl.db.exec("PRAGMA journal_mode = WAL");
    persist_wal(impl.db);
    impl.db.exec("PRAGMA synchronous = FULL");
    impl.db.exec("BEGIN IMMEDIATE");
    impl.db.exec(std::string(k_record_sql));
    impl.db.exec(std::string(k_derived_sql));
    impl.db.exec(std::string(k_positions_sql));
    impl.head.hash = std::string(k_genesis_prev_hash);
    JournalCreated genesis{config_text, sha256_hex(config_text), config};
    auto seq = impl.append(std::move(genesis), at, nullptr);
    if (!seq) {
      impl.db.exec("ROLLBACK");
      remove_tmp();
      return std::unexpected(seq.error());
    }
    if (auto ok = impl.write_state_rows(); !ok) {
      impl.db.exec("ROLLBACK");
      remove_tmp();
      return std::unexpected(ok.error());
    }
    impl.db.exec("COMMIT");
    head = impl.head;
  } catch (const SQLite::Exception& e) {
    remove_tmp();
    return std::unexpected(sqlite_error(path, e));
  }
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    remove_tmp();
    if (err == EEXIST) return input_error(path + " already exists; init never overwrites a file.");
    return journal_error("cannot create " + path + ": " + std::strerror(err) + ".");
  }
  remove_tmp();
  return head;
}

Result<Journal> Journal::open(const std::string& path, Access access) {
  if (auto ok = identify(path); !ok) return std::unexpected(ok.error());
  ReadMode mode = ReadMode::shared;
  if (access == Access::write) {
    if (auto ok = check_writable(path); !ok) return std::unexpected(ok.error());
  } else {
    auto m = read_mode(path);
    if (!m) return std::unexpected(m.error());
    mode = *m;
  }
  try {
    auto impl = access == Access::write ? std::make_unique<Impl>(path, SQLite::OPEN_READWRITE)
                : mode == ReadMode::shared
                    ? std::make_unique<Impl>(path, SQLite::OPEN_READONLY)
                    : std::make_unique<Impl>(path, file_uri(path, "immutable=1"), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    // The header said so; SQLite confirms (this also reads page 1 through the WAL).
    const int64_t app_id = impl->db.execAndGet("PRAGMA application_id").getInt64();
    const int64_t version = impl->db.execAndGet("PRAGMA user_version").getInt64();
    if (app_id != k_application_id || version < k_oldest_schema_version || version > k_schema_version) {
      return journal_error(path + " is not a nexadex journal of schema " + std::to_string(k_oldest_schema_version) +
                           " to " + std::to_string(k_schema_version) + ".");
    }
    impl->version = version;
    if (access == Access::write) {
      impl->db.exec("PRAGMA synchronous = FULL");
      // A batch is one transaction: a page cache of 64 MiB keeps its pages from spilling to the WAL.
      impl->db.exec("PRAGMA cache_size = -65536");
      persist_wal(impl->db);
    } else {
      // One read transaction for the reader's whole life: the state and every row it reads later
      // (positions and accounts are read on demand) come from one snapshot, even while a writer
      // commits; and SQLite takes its shared lock once instead of at every statement. The file is
      // read through a memory map (up to 4 GiB): a stress test reads a large part of the positions
      // table, and on this kind of machine a pread per page costs more than the page's rows.
      impl->db.exec("PRAGMA mmap_size = 4294967296");
      impl->db.exec("BEGIN");
    }
    return Journal(std::move(impl));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(path, e));
  }
}

Status Journal::begin() {
  try {
    m->db.exec("BEGIN IMMEDIATE");
    m->in_write = true;
    if (m->version < k_schema_version) {
      if (auto ok = upgrade(); !ok) return ok;
    }
    return m->load_state_tables();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<int64_t> Journal::append(EventBody body, Timestamp at, Outcome* outcome) {
  try {
    return m->append(std::move(body), at, outcome);
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::flush() {
  try {
    return m->write_state_rows();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::commit() {
  try {
    if (auto ok = m->write_state_rows(); !ok) return ok;
    m->insert_event.reset();
    m->insert_posting.reset();
    m->positions.reset();
    m->db.exec("COMMIT");
    m->in_write = false;
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

void Journal::rollback() {
  m->insert_event.reset();
  m->insert_posting.reset();
  m->positions.reset();
  try {
    m->db.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
    // nothing was committed; SQLite rolls back an open transaction when the connection closes
  }
  m->in_write = false;
}

// An older schema → this one, inside the writer's transaction: every derived table is dropped and
// made again from a replay of the events (which, with the postings, stay untouched).
Status Journal::upgrade() {
  auto replayed = replay(std::nullopt, std::nullopt);
  if (!replayed) return std::unexpected(replayed.error());
  State& s = replayed->first;
  for (const char* table : k_derived_tables) m->db.exec(std::string("DROP TABLE IF EXISTS ") + table);
  m->db.exec(std::string(k_derived_sql));
  m->db.exec(std::string(k_positions_sql));
  s.dirty_config = true;
  s.dirty_vault = true;
  for (const auto& [sym, mk] : s.markets) s.dirty_markets.insert(sym);
  for (const auto& [name, b] : s.accounts) s.dirty_accounts.insert(name);
  for (const auto& [key, h] : s.lps) s.dirty_lps.insert(key);
  for (const auto& [id, p] : s.positions) s.dirty_positions.insert(id);
  for (const auto& [key, b] : s.books) s.dirty_books.insert(key);
  s.losses_written = 0;
  s.legs_written = 0;
  m->state = std::move(s);
  if (auto ok = m->write_state_rows(); !ok) return ok;
  set_int_pragma(m->db, "user_version", k_schema_version);
  m->version = k_schema_version;
  return {};
}

Result<State> Journal::load_state() {
  try {
    if (m->version < k_schema_version) {
      // A schema-1 journal read without a writer: its state is the replay of its events.
      auto replayed = replay(std::nullopt, std::nullopt);
      if (!replayed) return std::unexpected(replayed.error());
      m->state = std::move(replayed->first);
      m->head = replayed->second;
      return m->state;
    }
    if (auto ok = m->load_state_tables(); !ok) return std::unexpected(ok.error());
    return m->state;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

const State& Journal::state() const { return m->state; }
JournalHead Journal::head() const { return m->head; }
const std::string& Journal::path() const { return m->path; }

Result<int64_t> Journal::event_count() {
  try {
    return m->db.execAndGet("SELECT count(*) FROM events").getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<std::vector<std::string>> Journal::integrity_check() {
  std::vector<std::string> problems;
  try {
    SQLite::Statement q(m->db, "PRAGMA integrity_check(20)");
    while (q.executeStep()) {
      std::string line = q.getColumn(0).getString();
      if (line != "ok") problems.push_back(std::move(line));
    }
    return problems;
  } catch (const SQLite::Exception& e) {
    // SQLite lists the pages it found damaged, then may stop at one it cannot read at all.
    if (problems.empty()) return std::unexpected(sqlite_error(m->path, e));
    problems.push_back(std::string("the check stopped there (SQLite: ") + e.what() + ")");
    return problems;
  }
}

Result<int64_t> Journal::row_count(std::string_view table) {
  try {
    return m->db.execAndGet("SELECT count(*) FROM " + std::string(table)).getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan(int64_t from, int64_t to, const std::function<Status(const StoredEvent&)>& fn) {
  int64_t expected = from;
  auto ok = scan_rows(from, to, [&](const StoredEvent& row) -> Status {
    if (row.seq != expected) {
      return journal_error("the journal " + m->path + " is damaged: " +
                           (expected == 1 ? "its first event is seq " + std::to_string(row.seq) + ", not 1"
                                          : "event " + std::to_string(expected) + " is missing (seq " +
                                                std::to_string(row.seq) + " follows seq " + std::to_string(expected - 1) +
                                                ")") +
                           "; run 'nexadex verify' and restore it from a copy.");
    }
    ++expected;
    return fn(row);
  });
  if (!ok) return ok;
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
    SQLite::Statement q(m->db,
                        "SELECT seq, at, kind, payload, prev_hash, hash FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq");
    q.bind(1, from);
    q.bind(2, to);
    StoredEvent row;
    while (q.executeStep()) {
      row.seq = q.getColumn(0).getInt64();
      row.at = q.getColumn(1).getInt64();
      row.kind.assign(q.getColumn(2).getText(), static_cast<std::size_t>(q.getColumn(2).getBytes()));
      row.payload.assign(q.getColumn(3).getText(), static_cast<std::size_t>(q.getColumn(3).getBytes()));
      row.prev_hash.assign(q.getColumn(4).getText(), static_cast<std::size_t>(q.getColumn(4).getBytes()));
      row.hash.assign(q.getColumn(5).getText(), static_cast<std::size_t>(q.getColumn(5).getBytes()));
      if (auto ok = fn(row); !ok) return ok;
    }
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan_postings(const std::function<Status(const StoredPosting&)>& fn) {
  try {
    SQLite::Statement q(m->db, "SELECT seq, leg, account, amount FROM postings ORDER BY seq, leg");
    while (q.executeStep()) {
      StoredPosting p{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                      q.getColumn(3).getInt64()};
      if (auto ok = fn(p); !ok) return ok;
    }
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::scan_with_postings(int64_t from, int64_t to, const EventWithPostings& fn) {
  try {
    SQLite::Statement q(m->db, "SELECT seq, leg, account, amount FROM postings WHERE seq BETWEEN ? AND ? ORDER BY seq, leg");
    q.bind(1, from);
    q.bind(2, to);
    bool more = q.executeStep();
    std::vector<StoredPosting> legs;
    return scan(from, to, [&](const StoredEvent& row) -> Status {
      legs.clear();
      // A posting whose seq has no event is never reached: scan() refuses the gap before calling us.
      for (; more && q.getColumn(0).getInt64() <= row.seq; more = q.executeStep()) {
        if (q.getColumn(0).getInt64() == row.seq) {
          legs.push_back({row.seq, q.getColumn(1).getInt64(), q.getColumn(2).getString(), q.getColumn(3).getInt64()});
        }
      }
      return fn(row, legs);
    });
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<Event> decode(const StoredEvent& row) {
  auto body = decode_payload(row.kind, row.payload);
  if (!body) return std::unexpected(body.error());
  return Event{row.seq, Timestamp{row.at}, std::move(*body)};
}

Result<std::pair<State, JournalHead>> Journal::replay(std::optional<int64_t> upto_seq, std::optional<Timestamp> upto_at,
                                                     const BeforeEach& before_each) {
  State state;
  JournalHead head{0, std::string(k_genesis_prev_hash), Timestamp{}};
  int64_t last = upto_seq.value_or(INT64_MAX);
  if (upto_at) {
    // Times never decrease along the chain, so "at or before" is a prefix of it.
    try {
      SQLite::Statement q(m->db, "SELECT coalesce(max(seq), 0) FROM events WHERE at <= ?");
      q.bind(1, static_cast<int64_t>(upto_at->seconds));
      q.executeStep();
      last = std::min(last, q.getColumn(0).getInt64());
    } catch (const SQLite::Exception& e) {
      return std::unexpected(sqlite_error(m->path, e));
    }
  }
  auto ok = scan(1, last, [&](const StoredEvent& row) -> Status {
    auto ev = decode(row);
    if (!ev) {
      return journal_error("event " + std::to_string(row.seq) + " of " + m->path + " cannot be decoded (" +
                           ev.error().message + "); run 'nexadex verify'.");
    }
    if (before_each && state.head_seq > 0) {
      if (auto ok = before_each(state, ev->at); !ok) return ok;
    }
    auto applied = apply(state, *ev);
    if (!applied) {
      return journal_error("event " + std::to_string(row.seq) + " of " + m->path + " cannot be replayed (" +
                           applied.error().message + "); run 'nexadex verify'.");
    }
    head = JournalHead{row.seq, row.hash, Timestamp{row.at}};
    return {};
  });
  if (!ok) return std::unexpected(ok.error());
  state.dirty_markets.clear();
  state.dirty_accounts.clear();
  state.dirty_positions.clear();
  state.dirty_books.clear();
  state.dirty_lps.clear();
  state.dirty_config = false;
  state.dirty_vault = false;
  return std::make_pair(std::move(state), std::move(head));
}

}  // namespace nexadex::journal
