// lib/asset_events.hpp: a multi-asset pool's events (transition layer; nexadex-assets(7)).
#pragma once

#include <string>
#include <vector>

#include "lib/outcomes.hpp"
#include "lib/state.hpp"

namespace nexadex::vault {

// The asset an event or --asset names, by symbol: an unknown or empty one is bad input, naming the
// pool's assets.
Result<std::size_t> asset_index(const assets::AssetPool& pool, const std::string& symbol);

// lp_asset_deposited: T tokens of the asset in; the fee split in tokens, the LPs' fee income I and the
// dust ε credited to the LPs already in, then shares minted for D at the tranche's NAV_high.
Result<std::vector<Posting>> asset_deposit(State& state, const Event& ev, const LpAssetDeposited& e, Outcome* out);
// lp_asset_withdrew: shares worth V_out at NAV_low burned, tokens worth it at the high price paid less
// the fee; I and the spread R to the LPs who remain.
Result<std::vector<Posting>> asset_withdraw(State& state, const Event& ev, const LpAssetWithdrew& e, Outcome* out);
// A price of `market`: the holdings it prices revalued at its low price, the inventory result a gain
// through the income waterfall or a loss through cascade.inventory, in the price_set event's postings.
Result<std::vector<Posting>> revalue(State& state, const Event& ev, const std::string& market, Price price);

// A config_applied on a multi-asset pool: each asset's book value B_A under the new config (a new
// price_confidence_bps moves its low price) against `before`'s, the change booked as a price's is.
Result<std::vector<Posting>> rebook(State& state, const Event& ev, const assets::AssetPool& before);

// A payment in the settlement asset (a claim) may not take tokens reserved for open positions
// (exit status 2). Nothing on a single-USDC vault.
Status check_settlement_payment(const State& state, Usd amount, const char* what);

// The settlement asset's books are the vault's USD books (nexadex-assets(7), THE SETTLEMENT ASSET):
// owned = Σ tranche capital + Σ claimable − unabsorbed − Σ_{A≠S} B_A, insurance and treasury the vault's,
// reserved the positions' reserves. Set after every event (O(1)); nothing on a what-if copy.
Status sync_settlement(State& state);
// The books with the settlement asset's set so (a copy; the state unchanged).
Result<assets::AssetPool> synced_pool(const State& state);
// An open may not reserve more than the pool owns of the settlement asset (exit status 2).
Status check_settlement_reserve(const State& state, Usd reserved_after);

}  // namespace nexadex::vault
