// lib/state.hpp: the pool's state as a pure function of its events, and apply().
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
#include <vector>

#include <absl/container/btree_set.h>

#include "lib/book.hpp"
#include "lib/config.hpp"
#include "lib/event.hpp"
#include "lib/money.hpp"

namespace nexadex {

struct MarketState {
  Price price{0};             // 0: never priced
  Timestamp price_at;
  int64_t price_seq = 0;      // the event that set it
  bool priced() const { return price_seq != 0; }
  bool operator==(const MarketState&) const = default;
};

enum class PositionStatus { open, closed, liquidated };

// An isolated leveraged position against the pool (SPEC §3). Amounts are micro-USD.
struct Position {
  int64_t id = 0;                   // the seq of its position_opened event
  std::string trader;
  std::string market;
  Side side = Side::long_;
  Usd size;                         // entry notional still open
  Usd collateral;                   // still backing it, after the open fee
  Price entry;
  Usd reserve;                      // the pool's maximum payout to it
  int128 borrow_index_open = 0;     // the pool's borrow index when opened or last settled (10^18)
  Usd borrow_carried;               // borrow fee owed from before the last partial close
  Timestamp opened_at;
  PositionStatus status = PositionStatus::open;
  int64_t ended_seq = 0;            // the close or liquidation that ended it
  PositionKeys keys;                // while open: its index keys (lib/book.hpp); all 0 once ended
  bool operator==(const Position&) const = default;
};

// The vault's tranches (SPEC §4). Without [tranches] only the senior holds capital.
enum class TrancheId { senior = 0, junior = 1 };
inline constexpr TrancheId k_tranche_ids[] = {TrancheId::senior, TrancheId::junior};
std::string_view tranche_name(TrancheId id);   // "senior", "junior"

// An LP's holding of one tranche, and what it paid in, took out and lost when a wiped junior was reset.
struct LpKey {
  std::string lp;
  TrancheId tranche = TrancheId::senior;
  auto operator<=>(const LpKey&) const = default;
};
struct LpHolding {
  Shares shares;
  Usd deposited;
  Usd withdrawn;
  Shares cancelled;                 // junior shares cancelled at a reset (DESIGN-risk §5)
  bool operator==(const LpHolding&) const = default;
};

// One tranche's books (DESIGN-risk §2, §4-§6). capital is its realized NAV (= account lp:<name>).
struct Tranche {
  Usd capital;
  Shares supply;
  Usd unpaid_target;                // senior: accrued target yield not yet paid
  int128 accrual_remainder = 0;     // senior: numerator remainder of the exact accrual (of 10^4 × 31,536,000)
  Usd gains;                        // realized gains credited, ever
  std::map<std::string, Usd> absorbed;   // realized losses absorbed, by kind (trader_pnl, bad_debt, external)
  int64_t resets = 0;               // times it was wiped and reset
  Timestamp since;                  // its first deposit since inception or the last reset (0: none yet)
  // Its realized share price at the close of each of the last 31 UTC days with an event: (day, price in
  // units of 10^-18 micro-USD per share unit); for the 7- and 30-day realized APY.
  std::vector<std::pair<int64_t, int128>> daily;
  bool operator==(const Tranche&) const = default;
};

// A realized loss as the cascade allocated it (report cascades; table losses).
struct LossLeg {
  std::string layer;                // insurance, junior, senior, unabsorbed
  Usd amount;
  bool operator==(const LossLeg&) const = default;
};
struct LossRecord {
  int64_t seq = 0;
  Timestamp at;
  std::string kind;                 // trader_pnl, bad_debt, external
  std::string market;               // "" for an external loss
  Usd total;
  std::vector<LossLeg> legs;        // in cascade order; only layers that took something, then unabsorbed
  Shares junior_cancelled;          // shares cancelled when this loss wiped the junior (0: no reset)
  bool operator==(const LossRecord&) const = default;
};

// One step of a position's life (report position): its open, each close (whole or partial) and its
// liquidation, with what it moved. Amounts are what was charged and collected, not what was owed.
enum class LegKind { opened, closed, liquidated };
std::string_view leg_kind_name(LegKind kind);   // "opened", "closed", "liquidated"
struct PositionLeg {
  int64_t id = 0;                   // the position
  int64_t seq = 0;                  // the event
  Timestamp at;
  LegKind kind = LegKind::opened;
  Usd size;                         // opened, closed or liquidated
  Price price;                      // entry, exit or liquidation price
  Usd collateral;                   // opened: after the open fee; closed: what the part returned; liquidated: taken
  int64_t pnl = 0;                  // closed: as paid (a profit floored and capped, a loss < 0); liquidated: the
                                    // loss the collateral paid (≤ 0); opened: 0
  Usd open_fee;
  Usd close_fee;                    // paid
  Usd borrow_fee;                   // paid
  Usd keeper_fee;                   // liquidated: paid to the keeper from the collateral
  Usd payout;                       // to the trader
  bool operator==(const PositionLeg&) const = default;
};

// Fees by kind, with where they went (report fees).
struct FeeTotals {
  Usd charged;                      // what was charged (collected or not)
  Usd forgone;                      // what the collateral could not pay (liquidations)
  Usd to_lps;
  Usd to_insurance;
  Usd to_treasury;
  bool operator==(const FeeTotals&) const = default;
};

// The vault's books (one tranche until Phase 2). Every figure is also an account balance in the
// postings (verify checks both agree): lp_capital = lp:senior, insurance, treasury.
struct Vault {
  std::array<Tranche, 2> tranches;  // by TrancheId
  Usd insurance;
  Usd treasury;
  Usd reserved;                     // Σ reserves of open positions
  Usd open_interest_long;
  Usd open_interest_short;
  int128 borrow_index = 0;          // cumulative borrow rate per unit of size, scale 10^18
  Timestamp index_at;               // when the index last grew
  Bps utilization_bps{0};           // Σ reserves / NAV, rounded up, as of the last event
  Usd unabsorbed;                   // losses no layer could take (reported loudly, never dropped)
  Usd acknowledged;                 // the part of `unabsorbed` an operator has acknowledged (≤ unabsorbed)
  // What reports still warn about: the unabsorbed losses nobody has acknowledged.
  Usd unacknowledged() const { return Usd(unabsorbed.units() - acknowledged.units()); }
  Usd insurance_paid;               // bad debt the fund covered
  std::map<std::string, FeeTotals> fees;   // "open", "close", "borrow", "liquidation"
  // Per market: the UTC day of the fund's last draw, that day's cap and what it used (DESIGN-risk §3).
  struct DailyCover {
    int64_t day = 0;
    Usd cap;
    Usd used;
    bool operator==(const DailyCover&) const = default;
  };
  std::map<std::string, DailyCover> cover_today;
  Tranche& tranche(TrancheId id) { return tranches[static_cast<std::size_t>(id)]; }
  const Tranche& tranche(TrancheId id) const { return tranches[static_cast<std::size_t>(id)]; }
  Tranche& senior() { return tranche(TrancheId::senior); }
  const Tranche& senior() const { return tranche(TrancheId::senior); }
  Tranche& junior() { return tranche(TrancheId::junior); }
  const Tranche& junior() const { return tranche(TrancheId::junior); }
  // The LPs' realized NAV, both tranches.
  Usd lp_capital() const { return Usd(senior().capital.units() + junior().capital.units()); }
  bool operator==(const Vault&) const = default;
};

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
  virtual Result<std::optional<int64_t>> load_account(const std::string& name) = 0;
  virtual Result<std::map<std::string, int64_t>> all_accounts() = 0;
  virtual Result<std::vector<LossRecord>> losses() = 0;
  // The legs of one position, or of every position (id 0), by (id, seq).
  virtual Result<std::vector<PositionLeg>> legs(int64_t id) = 0;
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

struct State {
  int64_t head_seq = 0;       // 0: no event yet
  Timestamp head_at;
  Config config;
  std::string config_text;
  std::string config_sha256;
  int64_t config_seq = 0;     // the event whose config holds now
  int64_t rules = 1;          // the rules version in force (lib/event.hpp), set with the config
  std::map<std::string, MarketState> markets;   // by symbol; every market ever priced or configured
  // micro-USD balance per posting account: all of them without a loader, else those read so far
  mutable std::map<std::string, int64_t> accounts;
  mutable bool accounts_complete = true;
  Vault vault;
  std::map<BookKey, Book> books;                // aggregates of every open position, by market and side
  // Positions by id, open and ended: all of them without a loader, else those read so far (reading
  // one does not change the state's value, hence mutable). Change them only through store_position.
  // Hashed, not ordered: a stress test looks up hundreds of thousands of ids (nodes, so pointers to
  // them stay valid). Iterate in id order through positions_by_id().
  mutable std::unordered_map<int64_t, Position> positions;
  mutable PositionIndex index;
  mutable bool positions_complete = true;       // false while a loader holds positions not read yet
  // Per (kind, book, bucket): the widest bound already asked of the loader. Its rows do not change
  // under the state (every row written since is the state's own copy), so a narrower query is known.
  mutable std::map<std::tuple<IndexKind, BookKey, int64_t>, int64_t> asked;
  TableLoader* loader = nullptr;
  std::map<LpKey, LpHolding> lps;               // by LP and tranche
  // Losses allocated: all of them without a loader, else those of this state's own events (the journal
  // keeps the rest in its losses table; report cascades reads them through TableLoader::losses).
  std::vector<LossRecord> losses;
  std::size_t losses_written = 0;               // how many of `losses` the journal has written
  // Positions' legs, as losses: all of them without a loader, else those of this state's own events.
  std::vector<PositionLeg> legs;
  std::size_t legs_written = 0;

  // Rows changed since the journal last wrote the state tables (not part of the state's value).
  std::set<std::string> dirty_markets;
  std::set<std::string> dirty_accounts;
  std::set<int64_t> dirty_positions;
  std::set<BookKey> dirty_books;
  std::set<LpKey> dirty_lps;
  bool dirty_config = false;
  bool dirty_vault = false;
  // Set on a throwaway copy that a preview applies many events to at one time (cascade --shock's
  // liquidations): apply() then keeps no account balances (no rule reads them), no list of the
  // positions changed (the copy is never written), only the latest loss record, leaves an ended
  // position's index entries (the readers skip positions no longer open), and leaves the
  // utilization to the caller, who updates it once at the end (it only sets the borrow rate, which
  // accrues with time, so within one second nothing reads it). The pool's books come out the same.
  bool what_if = false;

  // Age of a market's latest price at `now`; a never-priced market has no age.
  bool is_fresh(const MarketState& m, Timestamp now) const {
    return m.priced() && now.seconds - m.price_at.seconds <= config.pool.max_price_age.seconds;
  }
};

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
Result<int64_t*> account_balance(const State& state, const std::string& name);
Status load_all_accounts(const State& state);
// Every loss ever allocated, by seq (the loader's rows, then the state's own).
Result<std::vector<LossRecord>> all_losses(const State& state);
// The legs of one position (or of every position, id 0) by (id, seq): the loader's rows, then the state's own.
Result<std::vector<PositionLeg>> position_legs(const State& state, int64_t id);
// The books recomputed from the open positions (verify compares them with the kept ones).
Result<std::map<BookKey, Book>> recompute_books(const State& state);

// Applies one event: checks every rule first and changes nothing when one fails (ErrorKind::rule for
// a refusal such as time going backwards, ErrorKind::input for an unknown market), else updates `state`
// and returns the event's balanced postings.
Result<std::vector<Posting>> apply(State& state, const Event& event);

// The events the rules journal on their own after an event, in order (none almost always): a
// tranche_reset for each tranche the event left wiped (lib/tranche.hpp). Every writer appends them
// right after the event, in the same transaction, so one command or a batch of the same commands
// gives the same journal.
Result<std::vector<EventBody>> follow_up_events(const State& state);

// True when two states hold the same derived facts (verify compares replayed and stored state).
bool states_equal(const State& a, const State& b);

}  // namespace nexadex
