// journal/table_loader.hpp: SqlTableLoader, lib's TableLoader over the journal's derived tables
// (positions through their index keys, accounts, losses, position legs, lots), read on demand (internal to
// journal/).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::journal {

// A prepared statement of the C API. The positions loader reads through it because a SQLiteCpp
// Column per cell costs more than the cell when a stress test reads a quarter of a million rows.
// Errors throw SQLite::Exception, as SQLiteCpp's own calls do.
class RawStatement {
 public:
  RawStatement(sqlite3* db, const std::string& sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &m_st, nullptr) != SQLITE_OK) {
      throw SQLite::Exception(db);
    }
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(m_st); }
  void bind(int i, int64_t v) { check(sqlite3_bind_int64(m_st, i, v)); }
  void bind(int i, std::string_view v) {
    check(sqlite3_bind_text(m_st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  bool step() {
    const int rc = sqlite3_step(m_st);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_st);
    throw SQLite::Exception(m_db, rc);
  }
  void reset() { sqlite3_reset(m_st); }
  sqlite3_stmt* get() const { return m_st; }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw SQLite::Exception(m_db, rc);
  }
  sqlite3* m_db;
  sqlite3_stmt* m_st = nullptr;
};

// The positions table answering the state's index queries (lib/state.hpp) with the same keys.
// Errors: SQLite's, as sqlite_error() words them; a damaged row (ErrorKind::journal).
class SqlTableLoader final : public TableLoader {
 public:
  SqlTableLoader(SQLite::Database& db, const std::string& path) : m_db(db), m_path(path) {}

  Result<std::optional<Position>> load(int64_t id) override;
  Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) override;
  Result<std::vector<int64_t>> query_ids(const IndexQuery& iq) override;
  Result<std::vector<Position>> all() override;
  Result<std::optional<Usd>> load_account(const std::string& name) override;
  Result<std::map<std::string, Usd>> all_accounts() override;
  Result<std::vector<LossRecord>> losses() override;
  Result<std::vector<PositionLeg>> legs(int64_t id) override;
  Result<std::vector<Position>> positions_after(int64_t after, int64_t count) override;
  Result<std::vector<PositionLeg>> legs_between(int64_t from, int64_t to) override;
  Result<std::vector<Lot>> lots(const LotQuery& q) override;
  // For verify, which checks them event by event: the losses of one event, one leg of a position.
  Result<std::vector<LossRecord>> losses_at(int64_t seq);
  Result<std::optional<PositionLeg>> leg_at(int64_t id, int64_t seq);
  // The same answers from one scan of each table in key order, for verify's pass beside the events:
  // asked in ascending seq (the events' order), a leg only of a position opened at or before its
  // seq. A row no event asks for is passed over (verify compares the numbers of rows). A leg read
  // before its event (a close's, read with its open's) waits in memory: at most the legs still to come
  // of the positions opened so far. Once the scan fails, every later answer is its error.
  Result<std::vector<LossRecord>> losses_in_order(int64_t seq);
  Result<std::optional<PositionLeg>> leg_in_order(int64_t id, int64_t seq);

  // Finalizes the prepared statements (at the end of a write transaction).
  void reset();

 private:
  RawStatement& select(std::optional<RawStatement>& slot, const char* where, const char* and_then = "",
                       bool ids = false);
  RawStatement& indexed(const IndexQuery& iq);
  Status append_rows(RawStatement& q, std::vector<Position>& out);
  Result<std::vector<Position>> rows(RawStatement& q);
  // The legs WHERE `where` (with ? bound to `bind`, in order), by (id, seq).
  Result<std::vector<PositionLeg>> leg_rows(const std::string& where, const std::vector<int64_t>& bind);
  // The losses WHERE `where` (with ? bound to `bind`), by (seq, leg).
  Result<std::vector<LossRecord>> loss_rows(const std::string& where, const std::vector<int64_t>& bind);

  SQLite::Database& m_db;
  const std::string& m_path;
  std::optional<RawStatement> m_by_id;
  std::optional<RawStatement> m_by_range;
  // losses_in_order's and leg_in_order's scans: the statement, whether it stands on a row, the
  // legs read ahead by (id, seq), and the error that stopped the scan
  struct Scan {
    std::optional<RawStatement> q;
    bool on_row = false;
    std::optional<Error> failed;
  };
  Scan m_loss_scan, m_leg_scan;
  std::map<std::pair<int64_t, int64_t>, PositionLeg> m_legs_waiting;
  std::optional<SQLite::Statement> m_account;
  std::array<std::optional<RawStatement>, 4> m_indexed;   // by IndexKind
  // The statements of leg_rows and loss_rows, by SQL text, prepared once (verify asks per event);
  // hashed, as the texts share long prefixes.
  std::unordered_map<std::string, std::unique_ptr<RawStatement>> m_cached;
  RawStatement& cached(const std::string& sql, const std::vector<int64_t>& bind);
};

}  // namespace nexadex::journal
