// lib/position.hpp: a leveraged position, its index keys and the legs of its life (data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/event.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

// The keys an open position is indexed by: pure functions of the position and the config. Each is an
// int64 saturated at the ends of its range, and each is searched with an inclusive bound clamped to
// the same range, so a saturated key can only add a candidate, never lose one.
struct PositionKeys {
  int128 quantity = 0;
  // Its value is clamped (at collateral or reserve) when the price is ≤ `below` or ≥ `above`: for a
  // long `below` is the bankrupt price and `above` the capped one, for a short the other way round.
  int64_t below = 0;
  int64_t above = 0;
  // Liquidation: `bucket` groups entry prices within 1/128 of each other; `liq` is a candidate when
  // liq ≥ the bucket's bound at the price and borrow index (liquidation_bound); `dead` is a candidate
  // when the borrow index exceeds it (its fees alone make it liquidatable, whatever the price).
  int64_t bucket = 0;
  int64_t liq = 0;
  int64_t dead = 0;
  bool operator==(const PositionKeys&) const = default;
};

enum class PositionStatus { open, closed, liquidated };

// An isolated leveraged position against the pool (SPEC §3). Amounts are micro-USD.
struct Position {
  int64_t id = 0;                   // the seq of its position_opened event
  std::string trader;
  std::string market;
  Side side = Side::long_;
  Usd size;                         // entry notional still open
  Usd collateral;                   // still backing it, after the open fee (USD: frozen at open for tokens)
  // Rules 4 (A5): "" for collateral in the settlement asset, else the pool asset it was posted in, of
  // which the position still holds `collateral_tokens` units (after the open fee and partial closes)
  std::string collateral_asset;
  int64_t collateral_tokens = 0;
  Price entry;
  // The pool's cover of its profit, in token units of `reserve_asset`: micro-USD when that is "" (the
  // settlement asset, or the single-USDC vault), else units of the pool asset its long reserves (rules 4,
  // nexadex-assets(7) A2), whose value at the asset's low price caps its profit (A3).
  Usd reserve;
  std::string reserve_asset;
  BorrowIndex borrow_index_open;    // the pool's borrow index when opened or last settled (10^18)
  Usd borrow_carried;               // borrow fee owed from before the last partial close
  Timestamp opened_at;
  PositionStatus status = PositionStatus::open;
  int64_t ended_seq = 0;            // the close or liquidation that ended it
  PositionKeys keys;                // while open: its index keys (lib/book.hpp); all 0 once ended
  bool operator==(const Position&) const = default;
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
  Usd pnl;                          // closed: as paid (a profit floored and capped, a loss < 0); liquidated: the
                                    // loss the collateral paid (≤ 0); opened: 0
  Usd open_fee;
  Usd close_fee;                    // paid
  Usd borrow_fee;                   // paid
  Usd keeper_fee;                   // liquidated: paid to the keeper from the collateral
  Usd payout;                       // to the trader
  bool operator==(const PositionLeg&) const = default;
};

}  // namespace nexadex
