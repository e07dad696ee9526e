// lib/state.hpp: the pool's state (its data, the storage it is read through) and the access functions the
// rules use; apply() is in lib/apply.hpp.
#pragma once

#include <cstdint>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_map.h>

#include "lib/asset.hpp"
#include "lib/book.hpp"
#include "lib/loss.hpp"
#include "lib/lot.hpp"
#include "lib/lp.hpp"
#include "lib/market.hpp"
#include "lib/position.hpp"
#include "lib/tranche_books.hpp"
#include "lib/vault_books.hpp"
#include "lib/config.hpp"
#include "lib/event.hpp"
#include "lib/money.hpp"

namespace nexadex {

// Where positions and account balances are read when not all of them are in memory: the journal's
// tables, searched through the same keys (lib/book.hpp). Each answer is the row as stored; the
// state's own copies, changed since, take precedence.
enum class IndexKind { below, above, liq, dead };
struct IndexQuery {
  IndexKind kind = IndexKind::below;
  BookKey book;
  int64_t bucket = 0;   // IndexKind::liq only
  int64_t bound = 0;    // below, liq: key ≥ bound; above, dead: key ≤ bound
};
class TableLoader {
 public:
  virtual ~TableLoader() = default;
  virtual Result<std::optional<Position>> load(int64_t id) = 0;
  virtual Result<std::vector<int64_t>> query_ids(const IndexQuery& q) = 0;   // the ids of the rows in range
  virtual Result<std::vector<Position>> load_many(const std::vector<int64_t>& ids) = 0;   // ids ascending
  virtual Result<std::vector<Position>> all() = 0;
  virtual Result<std::optional<Usd>> load_account(const std::string& name) = 0;
  virtual Result<std::map<std::string, Usd>> all_accounts() = 0;
  virtual Result<std::vector<LossRecord>> losses() = 0;
  // The legs of one position, or of every position (id 0), by (id, seq).
  virtual Result<std::vector<PositionLeg>> legs(int64_t id) = 0;
  // For reports that stream the positions a chunk at a time: the positions with id > `after`, by id,
  // at most `count`; the legs of the positions with from ≤ id ≤ to, by (id, seq).
  virtual Result<std::vector<Position>> positions_after(int64_t after, int64_t count) = 0;
  virtual Result<std::vector<PositionLeg>> legs_between(int64_t from, int64_t to) = 0;
  // Lots (lib/lot.hpp): of one LP (`lp` given), or still locked and ending by `locked_until`, or all.
  struct LotQuery {
    std::string lp;
    std::optional<int64_t> locked_until;
  };
  virtual Result<std::vector<Lot>> lots(const LotQuery& q) = 0;
};

// The in-memory indexes of the positions the state holds, by book: (key, id) pairs. B-trees: a
// stress test adopts and drops hundreds of thousands of entries, and a node per entry (std::set)
// spent more time in malloc and cache misses than in the rules.
struct PositionIndex {
  using Keys = absl::btree_set<std::pair<int64_t, int64_t>>;
  struct Sets {
    Keys below, above, dead;
    std::map<int64_t, Keys> liq;   // by bucket
  };
  std::map<BookKey, Sets> books;
};

// The storage machinery behind a State, out of its domain face: where rows not in memory are read
// (the one interface, TableLoader), what has been read, the indexes kept over what is in memory, and
// what changed since the journal last wrote its tables. None of it is part of the state's value
// (states_equal ignores it). Rules never touch it: they read positions, accounts, losses and legs
// through the access functions below (lib/positions.cpp), and journal/ writes the dirty rows.
struct StateStore {
  TableLoader* loader = nullptr;
  bool positions_complete = true;   // false while the loader holds positions not read yet
  // true when every open position is in memory though the loader may hold ended ones not read (a full
  // verify's replay, which drops the ended positions it checked): index queries, which look for open
  // positions only, need not ask the loader
  bool open_complete = false;
  bool accounts_complete = true;    // false while the loader holds accounts not read yet
  // false for a state replayed to a past point through a loader (journal/scan.cpp): its rows are not
  // all in the loader's tables as it holds them, so a report cannot stream them from there
  bool tables_hold_state = true;
  PositionIndex index;              // the positions in memory, by book
  // Per (kind, book, bucket): the widest bound already asked of the loader. Its rows do not change
  // under the state (every row written since is the state's own copy), so a narrower query is known.
  std::map<std::tuple<IndexKind, BookKey, int64_t>, int64_t> asked;
  std::size_t losses_written = 0;   // how many of State::losses the journal has written
  std::size_t legs_written = 0;     // how many of State::legs
  // Rows changed since the journal last wrote the state tables.
  std::set<std::string> dirty_markets;
  std::unordered_set<std::string> dirty_accounts;   // hashed: a posting marks one; written sorted
  std::set<int64_t> dirty_positions;
  std::set<BookKey> dirty_books;
  std::set<LpKey> dirty_lps;
  std::set<int64_t> dirty_lots;
  bool dirty_config = false;
  bool dirty_vault = false;
  bool dirty_assets = false;       // the assets rows (a multi-asset pool)
  // Forgets every mark (a replay, which writes no row, or once its marks were read).
  void clear_marks() {
    dirty_markets.clear();
    dirty_accounts.clear();
    dirty_positions.clear();
    dirty_books.clear();
    dirty_lps.clear();
    dirty_lots.clear();
    dirty_config = dirty_vault = dirty_assets = false;
  }
};

struct State {
  int64_t head_seq = 0;       // 0: no event yet
  Timestamp head_at;
  Config config;
  std::string config_text;
  std::string config_sha256;
  int64_t config_seq = 0;     // the event whose config holds now
  int64_t rules = 1;          // the rules version in force (lib/event.hpp), set with the config
  std::map<std::string, MarketState> markets;   // by symbol; every market ever priced or configured
  // micro-USD balance per posting account: all of them without a loader, else those read so far; on
  // 128 bits so that booking postings cannot overflow (the journal stores int64, checked when written).
  // Hashed, not ordered: every posting looks one up among (on a trading day) tens of thousands of
  // position accounts; the readers that list them sort, the others only sum. Abseil's open addressing
  // (no node per account; iteration order differs from run to run, which no reader depends on): a
  // balance's address holds until an account is added (post() takes that into account).
  mutable absl::flat_hash_map<std::string, WideUsd> accounts;
  Vault vault;
  // A multi-asset pool's books (nexadex-assets(7)): set while the config has [[assets]], else none.
  std::optional<assets::AssetPool> assets;
  std::map<BookKey, Book> books;                // aggregates of every open position, by market and side
  // Positions by id, open and ended: all of them without a loader, else those read so far (reading
  // one does not change the state's value, hence mutable). Change them only through store_position.
  // Hashed, not ordered: a stress test looks up hundreds of thousands of ids (nodes, so pointers to
  // them stay valid). Iterate in id order through positions_by_id().
  mutable std::unordered_map<int64_t, Position> positions;
  std::map<LpKey, LpHolding> lps;               // by LP and tranche
  // With [locks]: every deposit's lot (lib/lot.hpp); with a loader, those read so far (reading one does
  // not change the state's value, hence mutable).
  mutable Lots lots;
  // Losses allocated: all of them without a loader, else those of this state's own events (the journal
  // keeps the rest in its losses table; report cascades reads them through TableLoader::losses).
  std::vector<LossRecord> losses;
  // Positions' legs, as losses: all of them without a loader, else those of this state's own events.
  std::vector<PositionLeg> legs;
  // Set on a throwaway copy that a preview applies many events to at one time (cascade --shock's
  // liquidations): apply() then keeps no account balances (no rule reads them), no list of the
  // positions changed (the copy is never written), only the latest loss record, leaves an ended
  // position's index entries (the readers skip positions no longer open), and leaves the
  // utilization to the caller, who updates it once at the end (it only sets the borrow rate, which
  // accrues with time, so within one second nothing reads it). The pool's books come out the same.
  bool what_if = false;
  // With [locks], while apply() runs a trading event: the tranches' values (senior, junior) before it,
  // the moment's price at which compounding income is minted (lib/locks.cpp). Not part of the value.
  std::optional<std::array<Usd, 2>> moment_values;
  // Set by apply() when the NAV after the event could not be computed (its valuation overflows: a
  // price far out of range of the open positions' entries). Replays accept such an event as they
  // always did; a writer refuses a price that does it (cli/write.cpp). Not part of the value.
  bool unvalued = false;
  // Reading through the loader fills the caches of a const State, hence mutable.
  mutable StateStore store;

  // Age of a market's latest price at `now`; a never-priced market has no age.
  bool is_fresh(const MarketState& m, Timestamp now) const {
    return m.priced() && now.seconds - m.price_at.seconds <= config.pool.max_price_age.seconds;
  }
};

// Rules 4 on a multi-asset pool (nexadex-assets(7) A1): the asset a new position of `market` and `side`
// reserves: for a long, the first non-stable asset priced by the market (it is asset-backed); else ""
// (the settlement asset, in micro-USD), as under every earlier rules version and on a single-USDC vault.
std::string reserve_asset_for(const State& state, const std::string& market, Side side);
std::string reserve_asset_for(int64_t rules, const Config& config, const std::string& market, Side side);
// The borrow index that positions reserving `asset` owe from (A4): the vault's for "" (the settlement
// asset), else the asset's own.
BorrowIndex borrow_index_of(const State& state, const std::string& asset);

// The positions the state holds (all of them after load_all_positions), by id.
std::vector<const Position*> positions_by_id(const State& state);
// The position with this id (open or ended), read through the loader if need be; nullptr if none.
Result<Position*> find_position(const State& state, int64_t id);
// Records a new (before == nullptr) or changed position: its keys, its book, the indexes.
Status store_position(State& state, const Position* before, Position after);
// Open positions of a book whose value at `price` may be clamped (a superset; clamp_correction is
// exact), and those that may be liquidatable at `price` and the current borrow index.
Result<std::vector<const Position*>> clamp_candidates(const State& state, const BookKey& book, Price price);
Result<std::vector<const Position*>> liquidation_candidates(const State& state, const BookKey& book, Price price);
// Every open position of a book (the exact valuation's rare case reads them all).
Result<std::vector<const Position*>> book_positions(const State& state, const BookKey& book);
// Reads every position (reports that list them all; verify).
Status load_all_positions(const State& state);
// An account's balance (0 for an account never posted to), and every account (reports, verify).
Result<WideUsd*> account_balance(const State& state, const std::string& name);
Status load_all_accounts(const State& state);
// Every loss ever allocated, by seq (the loader's rows, then the state's own).
Result<std::vector<LossRecord>> all_losses(const State& state);
// The legs of one position (or of every position, id 0) by (id, seq): the loader's rows, then the state's own.
Result<std::vector<PositionLeg>> position_legs(const State& state, int64_t id);
// The books recomputed from the open positions (verify compares them with the kept ones).
Result<std::map<BookKey, Book>> recompute_books(const State& state);

// True when two states hold the same derived facts: head, config, markets, account balances (an
// account at 0 the same as one never read), vault, books, the positions each has read and LP holdings.
// Tests compare states with it; verify compares replayed and stored state row by row (journal/verify.cpp).
bool states_equal(const State& a, const State& b);

}  // namespace nexadex
