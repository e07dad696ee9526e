// lib/tranche_books.hpp: one tranche's books (data).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

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
  std::vector<std::pair<int64_t, SharePrice>> daily;
  // With [locks] (DESIGN-risk §7): fee income shared by weight through two accumulators, one per kind
  // of lot. All zero without [locks].
  struct ByWeight {
    int128 weight = 0;              // Σ weight of the lots of this kind (share units)
    int128 reward = 0;              // R, per unit of weight ×10^18: shares (compounding) or micro-USD
    int128 carry = 0;               // numerator remainder of the increments (of ×10^18), carried
    bool operator==(const ByWeight&) const = default;
  };
  ByWeight compounding;             // income minted as shares, held by `pending` until credited
  ByWeight claiming;                // income kept as USDC on lp:<tranche>:claimable until credited
  Shares pending;                   // minted for compounding lots, not yet credited (part of supply)
  Usd unassigned;                   // claimable income not yet credited to a lot (rounding dust included)
  Usd weighted_income;              // fee income shared by weight, ever
  bool operator==(const Tranche&) const = default;
};

}  // namespace nexadex
