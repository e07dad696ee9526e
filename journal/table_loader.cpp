// journal/table_loader.cpp: SqlTableLoader, the derived tables read on demand: positions by id and by
// index range, account balances, losses and position legs.
#include "journal/table_loader.hpp"

#include <algorithm>

#include "journal/codec.hpp"
#include "journal/sqlite_error.hpp"

namespace nexadex::journal {
namespace {

// The columns of a positions row that make a Position, in the order position_from_row reads them.
constexpr const char* k_position_columns =
    "id, trader, market, side, size, collateral, entry_price, reserve, borrow_index_open, borrow_carried, opened_at, "
    "status, ended_seq, quantity, key_below, key_above, liq_bucket, key_liq, key_dead, reserve_asset, collateral_asset, collateral_tokens";

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
  p.borrow_index_open = BorrowIndex(*idx);
  p.borrow_carried = Usd(i64(9));
  p.opened_at = Timestamp{i64(10)};
  const std::string_view status = text(11);
  p.status = status == "open" ? PositionStatus::open
             : status == "closed" ? PositionStatus::closed
                                  : PositionStatus::liquidated;
  p.ended_seq = sqlite3_column_type(st, 12) == SQLITE_NULL ? 0 : i64(12);
  p.keys = PositionKeys{*qty, i64(14), i64(15), i64(16), i64(17), i64(18)};
  p.reserve_asset = text(19);
  p.collateral_asset = text(20);
  p.collateral_tokens = i64(21);
  return p;
}

}  // namespace

Result<std::optional<Position>> SqlTableLoader::load(int64_t id) {
  try {
    auto& q = select(m_by_id, "id = ?");
    q.bind(1, id);
    NX_TRY(found, rows(q));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

// Rows by id, in ascending order: the seeks then walk the table's pages front to back.
Result<std::vector<Position>> SqlTableLoader::load_many(const std::vector<int64_t>& ids) {
  try {
    std::vector<Position> out;
    out.reserve(ids.size());
    // Ids ascending and dense (at least half of their range, as verify's run of a book's open
    // positions): one range read, the rows not asked for skipped, instead of a search per id.
    if (ids.size() > 1 && std::is_sorted(ids.begin(), ids.end()) &&
        static_cast<uint64_t>(ids.back()) - static_cast<uint64_t>(ids.front()) < 2 * ids.size()) {
      auto& q = select(m_by_range, "id BETWEEN ? AND ?", " ORDER BY id");
      q.bind(1, ids.front());
      q.bind(2, ids.back());
      std::size_t next = 0;
      while (q.step()) {
        const int64_t id = sqlite3_column_int64(q.get(), 0);
        while (next < ids.size() && ids[next] < id) ++next;
        if (next == ids.size() || ids[next] != id) continue;
        auto p = position_from_row(q.get(), m_path);
        if (!p) {
          q.reset();
          return std::unexpected(p.error());
        }
        out.push_back(std::move(*p));
      }
      q.reset();
      return out;
    }
    auto& q = select(m_by_id, "id = ?");
    for (const int64_t id : ids) {
      q.bind(1, id);
      NX_TRY_STATUS(append_rows(q, out));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::vector<int64_t>> SqlTableLoader::query_ids(const IndexQuery& iq) {
  try {
    RawStatement& q = indexed(iq);
    std::vector<int64_t> out;
    while (q.step()) out.push_back(sqlite3_column_int64(q.get(), 0));
    q.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::vector<Position>> SqlTableLoader::all() {
  try {
    RawStatement q(m_db.getHandle(), std::string("SELECT ") + k_position_columns + " FROM positions ORDER BY id");
    return rows(q);
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::optional<Usd>> SqlTableLoader::load_account(const std::string& name) {
  try {
    if (!m_account) m_account.emplace(m_db, "SELECT balance FROM accounts WHERE account = ?");
    auto& q = *m_account;
    q.bind(1, name);
    std::optional<Usd> out;
    if (q.executeStep()) out = Usd(q.getColumn(0).getInt64());
    q.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::map<std::string, Usd>> SqlTableLoader::all_accounts() {
  try {
    std::map<std::string, Usd> out;
    SQLite::Statement q(m_db, "SELECT account, balance FROM accounts");
    while (q.executeStep()) out[q.getColumn(0).getString()] = Usd(q.getColumn(1).getInt64());
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::vector<LossRecord>> SqlTableLoader::losses() { return loss_rows("", {}); }

Result<std::vector<LossRecord>> SqlTableLoader::losses_at(int64_t seq) { return loss_rows(" WHERE seq = ?", {seq}); }

Result<std::optional<PositionLeg>> SqlTableLoader::leg_at(int64_t id, int64_t seq) {
  NX_TRY(rows, leg_rows(" WHERE id = ? AND seq = ?", {id, seq}));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

namespace {

PositionLeg leg_from_row(sqlite3_stmt* st) {
  const auto i64 = [st](int c) { return static_cast<int64_t>(sqlite3_column_int64(st, c)); };
  const auto* k = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
  const std::string_view kind = k == nullptr ? std::string_view{} : std::string_view(k);
  PositionLeg l;
  l.id = i64(0);
  l.seq = i64(1);
  l.at = Timestamp{i64(2)};
  l.kind = kind == "opened" ? LegKind::opened : kind == "closed" ? LegKind::closed : LegKind::liquidated;
  l.size = Usd(i64(4));
  l.price = Price(i64(5));
  l.collateral = Usd(i64(6));
  l.pnl = Usd(i64(7));
  l.open_fee = Usd(i64(8));
  l.close_fee = Usd(i64(9));
  l.borrow_fee = Usd(i64(10));
  l.keeper_fee = Usd(i64(11));
  l.payout = Usd(i64(12));
  return l;
}

std::string text_column(sqlite3_stmt* st, int c) {
  const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
  return t == nullptr ? std::string() : std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
}

// Adds a losses row (seq, leg, at, kind, market, layer, amount, junior_cancelled) to `out`: a loss's
// total (leg 0) starts a record, a layer joins the record of its seq before it; false for a layer
// without its total.
bool add_loss_row(sqlite3_stmt* st, std::vector<LossRecord>& out) {
  if (sqlite3_column_int64(st, 1) == 0) {
    LossRecord r;
    r.seq = sqlite3_column_int64(st, 0);
    r.at = Timestamp{sqlite3_column_int64(st, 2)};
    r.kind = text_column(st, 3);
    r.market = text_column(st, 4);
    r.total = Usd(sqlite3_column_int64(st, 6));
    r.junior_cancelled = Shares(sqlite3_column_int64(st, 7));
    out.push_back(std::move(r));
    return true;
  }
  if (out.empty() || out.back().seq != sqlite3_column_int64(st, 0)) return false;
  out.back().legs.push_back({text_column(st, 5), Usd(sqlite3_column_int64(st, 6))});
  return true;
}

std::string damaged_losses(const std::string& path) {
  return "the losses table of " + path + " is damaged (a layer row without its total).";
}

}  // namespace

Result<std::vector<LossRecord>> SqlTableLoader::losses_in_order(int64_t seq) {
  Scan& scan = m_loss_scan;
  if (scan.failed) return std::unexpected(*scan.failed);
  try {
    if (!scan.q) {
      scan.q.emplace(m_db.getHandle(), "SELECT seq, leg, at, kind, market, layer, amount, junior_cancelled FROM losses "
                                       "ORDER BY seq, leg");
      scan.on_row = scan.q->step();
    }
    sqlite3_stmt* st = scan.q->get();
    while (scan.on_row && sqlite3_column_int64(st, 0) < seq) scan.on_row = scan.q->step();
    std::vector<LossRecord> out;
    while (scan.on_row && sqlite3_column_int64(st, 0) == seq) {
      if (!add_loss_row(st, out)) return journal_error(damaged_losses(m_path));
      scan.on_row = scan.q->step();
    }
    return out;
  } catch (const SQLite::Exception& e) {
    scan.failed = sqlite_error(m_path, e);
    return std::unexpected(*scan.failed);
  }
}

Result<std::optional<PositionLeg>> SqlTableLoader::leg_in_order(int64_t id, int64_t seq) {
  Scan& scan = m_leg_scan;
  if (scan.failed) return std::unexpected(*scan.failed);
  try {
    if (!scan.q) {
      scan.q.emplace(m_db.getHandle(), "SELECT id, seq, at, kind, size, price, collateral, pnl, open_fee, close_fee, "
                                       "borrow_fee, keeper_fee, payout FROM position_legs ORDER BY id, seq");
      scan.on_row = scan.q->step();
    }
    sqlite3_stmt* st = scan.q->get();
    // every leg of the positions up to `id`: the one asked for, and those of later events, which wait
    while (scan.on_row && sqlite3_column_int64(st, 0) <= id) {
      const int64_t row_seq = sqlite3_column_int64(st, 1);
      if (row_seq >= seq) m_legs_waiting.emplace(std::pair(sqlite3_column_int64(st, 0), row_seq), leg_from_row(st));
      scan.on_row = scan.q->step();
    }
  } catch (const SQLite::Exception& e) {
    scan.failed = sqlite_error(m_path, e);
    return std::unexpected(*scan.failed);
  }
  const auto it = m_legs_waiting.find({id, seq});
  if (it == m_legs_waiting.end()) return std::nullopt;
  PositionLeg leg = it->second;
  m_legs_waiting.erase(it);
  return leg;
}

Result<std::vector<LossRecord>> SqlTableLoader::loss_rows(const std::string& where, const std::vector<int64_t>& bind) {
  try {
    std::vector<LossRecord> out;
    RawStatement& q = cached(
        "SELECT seq, leg, at, kind, market, layer, amount, junior_cancelled FROM losses" + where + " ORDER BY seq, leg", bind);
    while (q.step()) {
      if (!add_loss_row(q.get(), out)) {
        q.reset();
        return journal_error(damaged_losses(m_path));
      }
    }
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::vector<PositionLeg>> SqlTableLoader::leg_rows(const std::string& where, const std::vector<int64_t>& bind) {
  try {
    std::vector<PositionLeg> out;
    RawStatement& q = cached("SELECT id, seq, at, kind, size, price, collateral, pnl, open_fee, close_fee, "
                             "borrow_fee, keeper_fee, payout FROM position_legs" + where + " ORDER BY id, seq",
                             bind);
    while (q.step()) out.push_back(leg_from_row(q.get()));
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

Result<std::vector<PositionLeg>> SqlTableLoader::legs(int64_t id) {
  if (id == 0) return leg_rows("", {});
  return leg_rows(" WHERE id = ?", {id});
}

Result<std::vector<PositionLeg>> SqlTableLoader::legs_between(int64_t from, int64_t to) {
  return leg_rows(" WHERE id BETWEEN ? AND ?", {from, to});
}

Result<std::vector<Position>> SqlTableLoader::positions_after(int64_t after, int64_t count) {
  try {
    RawStatement q(m_db.getHandle(),
                   std::string("SELECT ") + k_position_columns + " FROM positions WHERE id > ? ORDER BY id LIMIT ?");
    sqlite3_bind_int64(q.get(), 1, after);
    sqlite3_bind_int64(q.get(), 2, count);
    return rows(q);
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

RawStatement& SqlTableLoader::cached(const std::string& sql, const std::vector<int64_t>& bind) {
  auto& slot = m_cached[sql];
  if (!slot) slot = std::make_unique<RawStatement>(m_db.getHandle(), sql);
  slot->reset();
  for (std::size_t i = 0; i < bind.size(); ++i) slot->bind(static_cast<int>(i + 1), bind[i]);
  return *slot;
}

void SqlTableLoader::reset() {
  m_by_id.reset(), m_by_range.reset(), m_account.reset();
  m_cached.clear();
  for (auto& slot : m_indexed) slot.reset();
}

// The prepared SELECT of positions rows (or of their ids only) WHERE `where` `and_then`, made on first use.
RawStatement& SqlTableLoader::select(std::optional<RawStatement>& slot, const char* where, const char* and_then,
                                     bool ids) {
  if (!slot) {
    slot.emplace(m_db.getHandle(),
                 std::string("SELECT ") + (ids ? "id" : k_position_columns) + " FROM positions WHERE " + where + and_then);
  }
  return *slot;
}

// The ids of an index range, its parameters bound: read from the index alone.
RawStatement& SqlTableLoader::indexed(const IndexQuery& iq) {
  constexpr const char* k_book = "status = 'open' AND market = ? AND side = ? AND ";
  const char* range = "";
  switch (iq.kind) {
    case IndexKind::below: range = "key_below >= ?"; break;
    case IndexKind::above: range = "key_above <= ?"; break;
    case IndexKind::dead: range = "key_dead <= ?"; break;
    case IndexKind::liq: range = "liq_bucket = ? AND key_liq >= ?"; break;
  }
  RawStatement& q = select(m_indexed[static_cast<std::size_t>(iq.kind)], k_book, range, true);
  int i = 1;
  q.bind(i++, std::string_view(iq.book.market));
  q.bind(i++, side_name(iq.book.side));
  if (iq.kind == IndexKind::liq) q.bind(i++, static_cast<int64_t>(iq.bucket));
  q.bind(i++, static_cast<int64_t>(iq.bound));
  return q;
}

// Appends every row the bound statement gives, then resets it.
Status SqlTableLoader::append_rows(RawStatement& q, std::vector<Position>& out) {
  while (q.step()) {
    auto p = position_from_row(q.get(), m_path);
    if (!p) {
      q.reset();
      return std::unexpected(p.error());
    }
    out.push_back(std::move(*p));
  }
  q.reset();
  return {};
}

Result<std::vector<Position>> SqlTableLoader::rows(RawStatement& q) {
  std::vector<Position> out;
  NX_TRY_STATUS(append_rows(q, out));
  return out;
}

Result<std::vector<Lot>> SqlTableLoader::lots(const LotQuery& lq) {
  try {
    std::string sql = "SELECT id, lp, tranche, created, deposited, shares, lock_until, unlocked, boost_bps, compound, "
                      "reward_checkpoint, points, points_at, compounded, claimable, claimed, withdrawn, paid FROM lots";
    // through the indexes lots_by_lp and lots_by_unlock: no scan of the lots a command does not touch
    if (!lq.lp.empty()) sql += " WHERE lp = ?";
    else if (lq.locked_until) sql += " WHERE unlocked = 0 AND lock_until <= ?";
    SQLite::Statement q(m_db, sql);
    if (!lq.lp.empty()) q.bind(1, lq.lp);
    else if (lq.locked_until) q.bind(1, static_cast<int64_t>(*lq.locked_until));
    std::vector<Lot> out;
    while (q.executeStep()) {
      Lot lot;
      lot.id = q.getColumn(0).getInt64();
      lot.lp = q.getColumn(1).getString();
      lot.tranche = q.getColumn(2).getString() == "junior" ? TrancheId::junior : TrancheId::senior;
      lot.created = Timestamp{q.getColumn(3).getInt64()};
      lot.deposited = Usd(q.getColumn(4).getInt64());
      lot.shares = Shares(q.getColumn(5).getInt64());
      lot.lock_until = Timestamp{q.getColumn(6).getInt64()};
      lot.unlocked = q.getColumn(7).getInt64() != 0;
      lot.lock_boost = Bps{q.getColumn(8).getInt64()};
      lot.compound = q.getColumn(9).getInt64() != 0;
      NX_TRY(checkpoint, parse_int128(q.getColumn(10).getString(), "a lot's reward checkpoint"));
      NX_TRY(points, parse_int128(q.getColumn(11).getString(), "a lot's points"));
      lot.checkpoint = checkpoint;
      lot.points = points;
      lot.points_at = Timestamp{q.getColumn(12).getInt64()};
      lot.compounded = Shares(q.getColumn(13).getInt64());
      lot.claimable = Usd(q.getColumn(14).getInt64());
      lot.claimed = Usd(q.getColumn(15).getInt64());
      lot.withdrawn = Shares(q.getColumn(16).getInt64());
      lot.paid = Usd(q.getColumn(17).getInt64());
      out.push_back(std::move(lot));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m_path, e));
  }
}

}  // namespace nexadex::journal
