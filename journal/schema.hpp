// journal/schema.hpp: the journal's SQLite schema, version 10 (nexadex-journal(5) documents each table).
#pragma once

#include <cstdint>
#include <string_view>

namespace nexadex::journal {

// PRAGMA application_id: the ASCII bytes "NXDX".
inline constexpr int32_t k_application_id = 0x4E584458;
// PRAGMA user_version: bumped, with a migration and its test, on any schema change.
inline constexpr int32_t k_schema_version = 10;
// The oldest schema this nexadex reads; a writer upgrades it in place (migrate.cpp).
inline constexpr int32_t k_oldest_schema_version = 1;

// Schema 2: the positions with their index keys (lib/book.hpp), and the books' aggregates. Shared by
// init and by the upgrade of a schema-1 journal, whose positions table it replaces. Schema 9 adds each
// position's reserve_asset ('' for the settlement asset; rules 4, nexadex-assets(7) A2) and each
// asset's borrow_index and utilization_bps (A4). Schema 10 adds each position's collateral_asset and
// collateral_tokens (A5: '' and 0 for collateral in the settlement asset) and each asset's collateral_usd (A6).
inline constexpr std::string_view k_positions_sql = R"sql(
CREATE TABLE positions (
  id                 INTEGER PRIMARY KEY,
  trader             TEXT    NOT NULL,
  market             TEXT    NOT NULL,
  side               TEXT    NOT NULL CHECK (side IN ('long', 'short')),
  size               INTEGER NOT NULL,
  collateral         INTEGER NOT NULL,
  entry_price        INTEGER NOT NULL,
  reserve            INTEGER NOT NULL,
  borrow_index_open  TEXT    NOT NULL,
  borrow_carried     INTEGER NOT NULL,
  opened_at          INTEGER NOT NULL,
  liquidation_price  INTEGER NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('open', 'closed', 'liquidated')),
  ended_seq          INTEGER,
  quantity           TEXT    NOT NULL,
  key_below          INTEGER NOT NULL,
  key_above          INTEGER NOT NULL,
  liq_bucket         INTEGER NOT NULL,
  key_liq            INTEGER NOT NULL,
  key_dead           INTEGER NOT NULL,
  reserve_asset      TEXT    NOT NULL DEFAULT '',
  collateral_asset   TEXT    NOT NULL DEFAULT '',
  collateral_tokens  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX positions_below ON positions (market, side, key_below) WHERE status = 'open';
CREATE INDEX positions_above ON positions (market, side, key_above) WHERE status = 'open';
CREATE INDEX positions_liq ON positions (market, side, liq_bucket, key_liq) WHERE status = 'open';
CREATE INDEX positions_dead ON positions (market, side, key_dead) WHERE status = 'open';

CREATE TABLE books (
  market      TEXT    NOT NULL,
  side        TEXT    NOT NULL CHECK (side IN ('long', 'short')),
  open        INTEGER NOT NULL,
  size        TEXT    NOT NULL,
  quantity    TEXT    NOT NULL,
  buckets     TEXT    NOT NULL,
  fine_hi     TEXT    NOT NULL,
  fine_lo     TEXT    NOT NULL,
  entry_sum   TEXT    NOT NULL,
  entry_sq    TEXT    NOT NULL,
  PRIMARY KEY (market, side)
) WITHOUT ROWID;
)sql";

// The record of schema 3: the events and their postings, never changed once written.
inline constexpr std::string_view k_record_sql = R"sql(
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  payload    TEXT    NOT NULL,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'nexadex journal events are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'nexadex journal events are append-only: DELETE is not allowed'); END;
-- INSERT OR REPLACE deletes without firing DELETE triggers (recursive_triggers is off by default).
CREATE TRIGGER events_no_replace BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'nexadex journal events are append-only: REPLACE is not allowed'); END;

CREATE TABLE postings (
  seq      INTEGER NOT NULL,
  leg      INTEGER NOT NULL,
  account  TEXT    NOT NULL,
  amount   INTEGER NOT NULL,
  PRIMARY KEY (seq, leg)
) WITHOUT ROWID;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'nexadex journal postings are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'nexadex journal postings are append-only: DELETE is not allowed'); END;
CREATE TRIGGER postings_no_replace BEFORE INSERT ON postings
WHEN EXISTS (SELECT 1 FROM postings WHERE seq = NEW.seq AND leg = NEW.leg)
BEGIN SELECT RAISE(ABORT, 'nexadex journal postings are append-only: REPLACE is not allowed'); END;
)sql";

// The derived tables of schema 5 (with k_positions_sql; schema 4 added position_legs, schema 5 made
// lps.cancelled a 128-bit decimal text): written in the same transaction as the
// events that change them and rebuildable from them (an upgrade drops and rebuilds them all). Their
// columns are documented in nexadex-journal(5) and `verify` compares each with the replayed state.
inline constexpr std::string_view k_derived_sql = R"sql(
CREATE TABLE config (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seq        INTEGER NOT NULL,
  sha256     TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  effective  TEXT    NOT NULL,
  rules      INTEGER NOT NULL
);

CREATE TABLE markets (
  symbol     TEXT PRIMARY KEY,
  price      INTEGER NOT NULL,
  price_at   INTEGER NOT NULL,
  price_seq  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
  account  TEXT PRIMARY KEY,
  balance  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE pool (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE lps (
  lp         TEXT    NOT NULL,
  tranche    TEXT    NOT NULL CHECK (tranche IN ('senior', 'junior')),
  shares     INTEGER NOT NULL,
  deposited  INTEGER NOT NULL,
  withdrawn  INTEGER NOT NULL,
  cancelled  TEXT    NOT NULL,
  PRIMARY KEY (lp, tranche)
) WITHOUT ROWID;

CREATE TABLE lots (
  id                 INTEGER PRIMARY KEY,
  lp                 TEXT    NOT NULL,
  tranche            TEXT    NOT NULL CHECK (tranche IN ('senior', 'junior')),
  created            INTEGER NOT NULL,
  deposited          INTEGER NOT NULL,
  shares             INTEGER NOT NULL,
  lock_until         INTEGER NOT NULL,
  unlocked           INTEGER NOT NULL CHECK (unlocked IN (0, 1)),
  boost_bps          INTEGER NOT NULL,
  compound           INTEGER NOT NULL CHECK (compound IN (0, 1)),
  reward_checkpoint  TEXT    NOT NULL,
  points             TEXT    NOT NULL,
  points_at          INTEGER NOT NULL,
  compounded         INTEGER NOT NULL,
  claimable          INTEGER NOT NULL,
  claimed            INTEGER NOT NULL,
  withdrawn          INTEGER NOT NULL,
  paid               INTEGER NOT NULL
);
CREATE INDEX lots_by_lp ON lots (lp, tranche);
CREATE INDEX lots_by_unlock ON lots (lock_until) WHERE unlocked = 0;

CREATE TABLE losses (
  seq     INTEGER NOT NULL,
  leg     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  kind    TEXT    NOT NULL CHECK (kind IN ('trader_pnl', 'bad_debt', 'external', 'inventory')),
  market  TEXT    NOT NULL,
  layer   TEXT    NOT NULL CHECK (layer IN ('total', 'insurance', 'junior', 'senior', 'unabsorbed')),
  amount  INTEGER NOT NULL,
  junior_cancelled  INTEGER NOT NULL,
  PRIMARY KEY (seq, leg)
) WITHOUT ROWID;

CREATE TABLE position_legs (
  id           INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('opened', 'closed', 'liquidated')),
  size         INTEGER NOT NULL,
  price        INTEGER NOT NULL,
  collateral   INTEGER NOT NULL,
  pnl          INTEGER NOT NULL,
  open_fee     INTEGER NOT NULL,
  close_fee    INTEGER NOT NULL,
  borrow_fee   INTEGER NOT NULL,
  keeper_fee   INTEGER NOT NULL,
  payout       INTEGER NOT NULL,
  PRIMARY KEY (id, seq)
) WITHOUT ROWID;

CREATE TABLE assets (
  symbol      TEXT PRIMARY KEY,
  position    INTEGER NOT NULL,
  held        INTEGER NOT NULL,
  owned       INTEGER NOT NULL,
  reserved    INTEGER NOT NULL,
  collateral  INTEGER NOT NULL,
  insurance   INTEGER NOT NULL,
  treasury    INTEGER NOT NULL,
  book        INTEGER NOT NULL,
  mid         INTEGER NOT NULL,
  low         INTEGER NOT NULL,
  high        INTEGER NOT NULL,
  borrow_index     TEXT    NOT NULL DEFAULT '0',
  utilization_bps  INTEGER NOT NULL DEFAULT 0,
  collateral_usd   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";

// Schema 8: verified checkpoints of the derived state (journal/checkpoint.cpp, nexadex-journal(5)).
// Each row holds, for the state after event `seq`, a SQLite database image of the derived tables'
// live rows (config, markets, pool, assets, LPs, lots, books, the open positions and the accounts
// not at zero), chained: hash = SHA-256 of prev_hash "\n" seq "\n" at "\n" event_hash "\n"
// image_sha256. Derived like the state tables: an upgrade drops them, and a journal without them is
// read by replay from its first event.
inline constexpr std::string_view k_checkpoints_sql = R"sql(
CREATE TABLE checkpoints (
  seq           INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  event_hash    TEXT    NOT NULL,
  prev_hash     TEXT    NOT NULL,
  image_sha256  TEXT    NOT NULL,
  hash          TEXT    NOT NULL,
  image         BLOB    NOT NULL
);
)sql";

// Every derived table, for an upgrade (which drops and rebuilds them). Older schemas had a `tranches`
// table, never written; schema 3 keeps the tranches' books in the pool table's vault row.
inline constexpr const char* k_derived_tables[] = {"config", "markets",   "accounts", "pool",          "lps",
                                                   "tranches", "lots",    "losses",   "position_legs", "assets",
                                                   "positions", "books",    "checkpoints"};

}  // namespace nexadex::journal
