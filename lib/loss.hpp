// lib/loss.hpp: a realized loss as the cascade allocated it (data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

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

}  // namespace nexadex
