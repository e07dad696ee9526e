// journal/checkpoint.hpp: verified checkpoints of the derived state (schema 8, nexadex-journal(5)
// CHECKPOINTS): what a row holds, how the state at a checkpoint is read back, and how two live states
// are compared (internal to journal/).
//
// A checkpoint is written in the transaction of the event that reaches it: after event `seq` when at
// least `every` events (k_checkpoint_every) and at least as many events as the state has open positions
// have passed since the last one, so that copying the live rows costs at most about two row copies per
// event however big the book grows. Its image is a SQLite database holding the derived tables' live
// rows: everything but the history tables (losses, position_legs) and the ended positions, which the
// journal's own tables give, filtered at the checkpoint's seq.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/table_loader.hpp"
#include "lib/state.hpp"

namespace nexadex::journal {

// Events between two checkpoints, at least. A report at --seq N replays at most this many events (or
// as many as the book had open positions at the checkpoint before N, when that is more). Chosen for
// "any --seq in 0.2 s" on a 10-million-event journal (scripts/bench-audit.sh): a replay from a
// checkpoint costs about 7 µs an event (the rows it touches read from the image), so 16,384 events
// took up to 0.22 s with the file's pages cold and 8,192 take about half; the price is one image
// per 8,192 events (1.7 MB at 5,000 open positions: about a quarter of the file).
inline constexpr int64_t k_checkpoint_every = 8'192;

// The schema name under which a writer builds the image (an in-memory database attached before the
// write transaction begins).
inline constexpr const char* k_image_schema = "checkpoint_image";

// A checkpoints row without its image.
struct CheckpointRow {
  int64_t seq = 0;
  int64_t at = 0;
  std::string event_hash;
  std::string prev_hash;
  std::string image_sha256;
  std::string hash;
};

// SHA-256 of  prev_hash "\n" seq "\n" at "\n" event_hash "\n" image_sha256.
std::string checkpoint_hash(const CheckpointRow& row);

// The statements that make the image schema's tables (the derived tables of k_derived_sql and
// k_positions_sql, under `schema`), and those that fill them from the main database's live rows.
std::vector<std::string> image_schema_sql(const char* schema);
std::vector<std::string> image_copy_sql(const char* schema);

// The positions, accounts and lots of the journal's tables, as they were after event `seq`: the
// open ones from the image, the ended positions (final once ended), their legs and the losses from
// the journal's tables, as far as `seq`.
class CheckpointLoader final : public TableLoader {
 public:
  CheckpointLoader(TableLoader& image, TableLoader& journal, int64_t seq) : m_image(image), m_journal(journal), m_seq(seq) {}
  // A replay that drops what ended moves the seq along with it (Journal::replay).
  void set_seq(int64_t seq) { m_seq = seq; }

  Result<std::optional<Position>> load(int64_t id) override;
  Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) override;
  Result<std::vector<int64_t>> query_ids(const IndexQuery& iq) override { return m_image.query_ids(iq); }
  Result<std::vector<Position>> all() override;
  Result<std::optional<Usd>> load_account(const std::string& name) override { return m_image.load_account(name); }
  Result<std::map<std::string, Usd>> all_accounts() override { return m_image.all_accounts(); }
  Result<std::vector<LossRecord>> losses() override;
  Result<std::vector<PositionLeg>> legs(int64_t id) override;
  Result<std::vector<Position>> positions_after(int64_t after, int64_t count) override;
  Result<std::vector<PositionLeg>> legs_between(int64_t from, int64_t to) override;
  Result<std::vector<Lot>> lots(const LotQuery& q) override { return m_image.lots(q); }

 private:
  bool ended_by_then(const Position& p) const { return p.status != PositionStatus::open && p.ended_seq <= m_seq; }
  std::vector<PositionLeg> legs_by_then(std::vector<PositionLeg> legs) const;

  TableLoader& m_image;
  TableLoader& m_journal;
  int64_t m_seq;
};

// No rows at all: the "image" of a replay from the first event, whose state holds every open position,
// account and lot itself.
class EmptyLoader : public TableLoader {
 public:
  Result<std::optional<Position>> load(int64_t) override { return std::nullopt; }
  Result<std::vector<Position>> load_many(const std::vector<int64_t>&) override { return std::vector<Position>{}; }
  Result<std::vector<int64_t>> query_ids(const IndexQuery&) override { return std::vector<int64_t>{}; }
  Result<std::vector<Position>> all() override { return std::vector<Position>{}; }
  Result<std::optional<Usd>> load_account(const std::string&) override { return std::nullopt; }
  Result<std::map<std::string, Usd>> all_accounts() override { return std::map<std::string, Usd>{}; }
  Result<std::vector<LossRecord>> losses() override { return std::vector<LossRecord>{}; }
  Result<std::vector<PositionLeg>> legs(int64_t) override { return std::vector<PositionLeg>{}; }
  Result<std::vector<Position>> positions_after(int64_t, int64_t) override { return std::vector<Position>{}; }
  Result<std::vector<PositionLeg>> legs_between(int64_t, int64_t) override { return std::vector<PositionLeg>{}; }
  Result<std::vector<Lot>> lots(const LotQuery&) override { return std::vector<Lot>{}; }
};

// One checkpoint's image opened in memory, and the state at its seq read from it (positions,
// accounts and lots on demand, through a CheckpointLoader over `journal`). Lives as long as a state
// read from it.
class CheckpointReader {
 public:
  // `image`: the image's bytes; `name`: how messages name it ("the checkpoint at seq N of PATH").
  static Result<std::unique_ptr<CheckpointReader>> open(const std::string& image, const CheckpointRow& row,
                                                        TableLoader& journal, std::string name);
  // The state after the checkpoint's event, its head set from the row.
  Result<State> state();
  // The image's own tables (verify compares them without the journal's history; its positions, all
  // open, in one scan by image().all()).
  TableLoader& image() { return m_image; }

 private:
  CheckpointReader(const CheckpointRow& row, TableLoader& journal, std::string name);
  CheckpointRow m_row;
  std::string m_name;
  SQLite::Database m_db;
  SqlTableLoader m_image;
  CheckpointLoader m_loader;
};

// Reads the derived tables of `db` into a state whose positions, accounts and lots are read on demand
// through `loader` (state_tables.cpp); `path` names the file in messages. The head is left at 0.
Result<State> read_state_tables(SQLite::Database& db, const std::string& path, TableLoader& loader);

// The accounts not at zero, by name.
using LiveAccounts = std::map<std::string, WideUsd>;
Result<LiveAccounts> live_accounts(const State& state);

// The differences between two states' live parts (config, markets, vault, assets, books, open
// positions, LPs, lots, the accounts given), each a sentence naming the row: `want` is what the events
// give, `got` what `where` holds ("the checkpoint at seq N", "the tables"). At most `limit` of them,
// then one saying how many more.
// `got_rows`: how many positions rows `got`'s tables hold that a live state must match: the open ones
// (an image holds nothing else, so for an image every row), so that a row outside every book is found.
// `got_positions`: when given, every positions row of `got` by id (an image's, read in one scan), used
// instead of `got`'s book indexes; only its open rows belong to a book.
std::vector<std::string> live_differences(const State& want, const State& got, const LiveAccounts& want_accounts,
                                          const LiveAccounts& got_accounts, int64_t got_rows, const std::string& where,
                                          const std::vector<Position>* got_positions = nullptr,
                                          std::size_t limit = 8);

}  // namespace nexadex::journal
