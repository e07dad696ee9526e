// journal/migrate.cpp: schema upgrades: an older journal brought to this schema (schema.hpp) inside
// the writer's transaction, its derived tables rebuilt from a replay of its events.
#include "journal/session.hpp"

namespace nexadex::journal {

// An older schema → this one, inside the writer's transaction: every derived table is dropped and
// made again from a replay of the events (which, with the postings, stay untouched).
Status Journal::upgrade() {
  NX_TRY(replayed, replay(std::nullopt, std::nullopt));
  State& s = replayed.first;
  for (const char* table : k_derived_tables) m->db.exec(std::string("DROP TABLE IF EXISTS ") + table);
  m->db.exec(std::string(k_derived_sql));
  m->db.exec(std::string(k_positions_sql));
  m->db.exec(std::string(k_checkpoints_sql));   // the next checkpoint is written after the next K events
  s.store.dirty_config = true;
  s.store.dirty_vault = true;
  s.store.dirty_assets = s.assets.has_value();
  for (const auto& [sym, mk] : s.markets) s.store.dirty_markets.insert(sym);
  for (const auto& [name, b] : s.accounts) s.store.dirty_accounts.insert(name);
  for (const auto& [key, h] : s.lps) s.store.dirty_lps.insert(key);
  for (const auto& [id, lot] : s.lots.all) s.store.dirty_lots.insert(id);
  for (const auto& [id, p] : s.positions) s.store.dirty_positions.insert(id);
  for (const auto& [key, b] : s.books) s.store.dirty_books.insert(key);
  s.store.losses_written = 0;
  s.store.legs_written = 0;
  m->state = std::move(s);
  NX_TRY_STATUS(m->write_state_rows());
  set_int_pragma(m->db, "user_version", k_schema_version);
  m->version = k_schema_version;
  return {};
}

}  // namespace nexadex::journal
