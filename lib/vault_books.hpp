// lib/vault_books.hpp: the vault's books: its tranches, funds, reserves, borrow index and fees (data).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "lib/lp.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"
#include "lib/tranche_books.hpp"

namespace nexadex {

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
  BorrowIndex borrow_index;         // cumulative borrow rate per unit of size, scale 10^18
  Timestamp index_at;               // when the index last grew
  Bps utilization_bps{0};           // Σ reserves / NAV, rounded up, as of the last event
  Usd unabsorbed;                   // losses no layer could take (reported loudly, never dropped)
  Usd acknowledged;                 // the part of `unabsorbed` an operator has acknowledged (≤ unabsorbed)
  // What reports still warn about: the unabsorbed losses nobody has acknowledged. Errors: overflow
  // (not while acknowledged ≤ unabsorbed, both ≥ 0).
  Result<Usd> unacknowledged() const { return sub(unabsorbed, acknowledged, "unacknowledged losses"); }
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
  // The LPs' realized NAV, both tranches. Errors: beyond int64 (overflow).
  Result<Usd> lp_capital() const { return add(senior().capital, junior().capital, "LP capital"); }
  bool operator==(const Vault&) const = default;
};

}  // namespace nexadex
