// lib/lp.hpp: the tranches' ids and an LP's holding of one tranche (data).
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "lib/money.hpp"

namespace nexadex {

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
  WideShares cancelled;             // junior shares cancelled at resets, summed (DESIGN-risk §5)
  bool operator==(const LpHolding&) const = default;
};

}  // namespace nexadex
