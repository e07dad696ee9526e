// lib/event.hpp: the journal's event kinds, one struct per kind (past tense), and their postings.
//
// A released kind never changes: its name, its fields and their canonical encoding (nexadex-journal(5))
// are fixed. Kinds that later phases add are listed in nexadex-journal(5) with their planned fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lib/config.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

// The version of the pool's rules this nexadex applies to the events it writes. A journal_created or
// config_applied event records the version it adopts, and every event after it is applied under
// that version, so that a journal replays to the state, postings and head it was written with,
// whatever release reads it; `config apply` adopts the newest version. Payloads without the field
// (the first releases) are version 1.
//   1: the first release's rules;
//   2: the NAV is the floor of the exact sum of the positions' clamped values (issue 13).
//   3: the borrow rate is exact, base + slope × utilization / 10^4 bps, the index keeping the fraction
//      of a bps (issue 20 item 2; rules 1 and 2 rounded the slope's part up to whole bps).
//      Also: the pool's NAV (utilization, open limits, free capital) values unrealized profit through
//      cascade.trader_pnl as the tranches' values do (issue 20 item 1).
//   4: asset-backed trading on a multi-asset pool (nexadex-assets(7), LATER: ASSET-BACKED TRADING): a
//      long of a market pricing a pool asset reserves it in tokens, its profit capped at their value at
//      the low price and paid in them; utilization, borrow rate and index per asset. On a single-USDC
//      vault it is rules 3. This nexadex reads and applies it; init and config apply do not write it yet
//      (rules_to_write).
inline constexpr int64_t k_rules_version = 3;
inline constexpr int64_t k_rules_newest = 4;   // the newest version this nexadex reads and applies

// The version `init` (current 0) and `config apply` write for `config` on a journal at `current`: never
// older than the journal's (a config may not go back).
int64_t rules_to_write(const Config& config, int64_t current);

// seq 1 of every journal: the whole config text, so that a journal is self-contained (SPEC §7).
struct JournalCreated {
  std::string config_text;    // the raw bytes of the file given to `init --config`
  std::string config_sha256;  // SHA-256 of those bytes, lowercase hex (SPEC §10)
  Config config;              // parsed from config_text when the event is decoded; not encoded
  int64_t rules = k_rules_version;   // encoded as "rules" unless 1
};

// `config apply FILE`: the new config holds from this event on.
struct ConfigApplied {
  std::string config_text;
  std::string config_sha256;
  Config config;              // parsed from config_text; not encoded
  int64_t rules = k_rules_version;   // encoded as "rules" unless 1
};

// `price set`, `price import`, `--price P`: an oracle price for one market.
struct PriceSet {
  std::string market;
  Price price;                // > 0
};

enum class Side { long_, short_ };
std::string_view side_name(Side side);  // "long", "short"

// `deposit LP AMOUNT`: shares are minted at the conservative NAV per share (DESIGN-risk §9).
struct LpDeposited {
  std::string lp;
  Usd amount;                 // > 0
  std::string tranche;        // "senior", "junior", or "" (the senior); encoded only when given
  // With [locks] (DESIGN-risk §7): the lot's lock (encoded "lock" only when given) and whether its
  // income is compounded (encoded "compound":0 only when not).
  Duration lock{0};
  bool compound = true;
};

// `withdraw LP (AMOUNT | --shares N | --all)`: exactly one of the three.
enum class WithdrawBy { amount, shares, all };
struct LpWithdrew {
  std::string lp;
  WithdrawBy by = WithdrawBy::amount;
  Usd amount;                 // by amount
  Shares shares;              // by shares
  std::string tranche;        // "senior", "junior", or "" (the one tranche the LP holds); encoded only when given
};

// `open TRADER MARKET long|short --collateral C (--leverage L | --size S)`; the id is the event's seq.
struct PositionOpened {
  std::string trader;
  std::string market;
  Side side = Side::long_;
  Usd collateral;             // before the open fee (0 when posted in tokens)
  Usd size;                   // 0 when sized by leverage
  Leverage leverage;          // 0 when sized by --size
  // "": the collateral is `collateral`, in the settlement asset (USD); else a pool asset it is posted in
  // (rules 4, nexadex-assets(7) A5), `collateral_tokens` of it ("0.02000000", > 0, checked against the
  // asset's decimals when applied)
  std::string collateral_asset;
  std::string collateral_tokens;
};

// `close ID [--size S]`.
struct PositionClosed {
  int64_t id = 0;
  Usd size;                   // 0: the whole position
};

// `liquidate ID`: one event per position (`liquidate --all` journals one for each candidate).
struct PositionLiquidated {
  int64_t id = 0;
  std::string keeper;         // paid the liquidation fee
};

// `insurance deposit AMOUNT`.
struct InsuranceDeposited {
  Usd amount;                 // > 0
  std::string from;           // who paid it in ("operator" unless named)
};

// `cascade --loss AMOUNT --apply --reason TEXT`: an external loss (an oracle incident, say), run
// through cascade.external (DESIGN-risk §3).
struct LossApplied {
  Usd amount;                 // > 0
  std::string reason;         // 1 to 200 characters, no control characters
};

// `acknowledge --reason TEXT [--amount A]`: an operator has seen the unabsorbed losses outstanding
// and taken them in hand. It moves no money (the loss stays unabsorbed in the books); reports stop
// warning about what it acknowledged. `amount` is exactly what was outstanding then.
struct LossAcknowledged {
  Usd amount;                 // > 0, the unabsorbed losses not yet acknowledged
  std::string reason;         // 1 to 200 characters, no control characters
};

// Journaled by the command whose event left a tranche wiped: shares outstanding but nothing left for
// their holders (realized capital 0, virtual NAV 0, no unrealized trader profit beyond every layer).
// Every holding of the tranche is cancelled and the next deposit into it is a first deposit
// (DESIGN-risk §5 for a wiped junior; the same for a wiped senior, issue 12). No money moves.
struct TrancheReset {
  std::string tranche;        // "senior" or "junior"
  Shares shares;              // > 0: the supply cancelled, exactly the tranche's supply then
};

// `claim LP`: the LP takes the claimable income of its --no-compound lots, every tranche (DESIGN-risk
// §7). `amount` is exactly what was claimable at the event's time.
struct RewardsClaimed {
  std::string lp;
  Usd amount;                 // > 0
};

// On a multi-asset pool (nexadex-assets(7)) every deposit and withdrawal is one of these two kinds.
// `deposit LP AMOUNT [--asset A]`: AMOUNT tokens of A (default the settlement asset), the decimal text
// as the command wrote it (at most the asset's decimals, checked when applied against the config).
struct LpAssetDeposited {
  std::string lp;
  std::string asset;
  std::string amount;         // "1.00000000": tokens of the asset, > 0
  std::string tranche;        // as LpDeposited
  Duration lock{0};
  bool compound = true;
};

// `withdraw LP (AMOUNT | --shares N | --all) [--asset A]`: the shares' value at NAV_low, paid in A.
struct LpAssetWithdrew {
  std::string lp;
  std::string asset;
  WithdrawBy by = WithdrawBy::amount;
  Usd amount;                 // by amount: the USD value redeemed
  Shares shares;
  std::string tranche;
};

using EventBody = std::variant<JournalCreated, ConfigApplied, PriceSet, LpDeposited, LpWithdrew, PositionOpened,
                               PositionClosed, PositionLiquidated, InsuranceDeposited, LossApplied, LossAcknowledged,
                               TrancheReset, RewardsClaimed, LpAssetDeposited, LpAssetWithdrew>;

struct Event {
  int64_t seq = 0;            // 1, 2, 3, ... without gaps
  Timestamp at;               // never before the previous event's
  EventBody body;
};

// The kind's name as journaled ("journal_created", "config_applied", "price_set").
std::string_view kind_name(const EventBody& body);
// Every kind's name, in the order of EventBody's alternatives.
std::vector<std::string_view> kind_names();

// One leg of a balanced double-entry transaction: the legs of one event sum to zero. Amounts are in
// micro-USD; positive is a debit of the account (money held there), negative a credit.
struct Posting {
  std::string account;        // "lp:senior", "insurance", "treasury", "trader:alice", "position:42", ...
  Usd amount;
};

}  // namespace nexadex
