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
  bool operator==(const Tranche&) const = default;
};

}  // namespace nexadex
