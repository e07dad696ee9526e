// lib/audit.hpp: SPEC §7 conservation, checked on a state (the top layer: verify and the tests).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lib/state.hpp"

namespace nexadex::vault {

// SPEC §7 conservation, checked on a state: the vault's books equal their accounts' balances, each
// position's account holds its collateral, and money in less money out equals what the pool holds.
// Returns (seq or 0, what differs) for each problem; empty when all is well.
std::vector<std::pair<int64_t, std::string>> conservation_problems(const State& state);

}  // namespace nexadex::vault
