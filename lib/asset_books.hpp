// lib/asset_books.hpp: the books of a multi-asset pool (valuation layer): each asset's balances in
// token units and its book value B_A at the low price, the running sums that keep a move O(1) in the
// number of assets, and the pool side of every move: a price (the inventory result), a deposit (fee,
// D, I, ε), a withdrawal (G, fee, P, I, R), an insurance payment in tokens (nexadex-assets(7), BOOKS,
// AUM, DEPOSIT, WITHDRAWAL, TRANCHES, LOCKS AND THE INVENTORY CASCADE). The USD side (tranche capital,
// shares, the waterfall) is the caller's: these functions say what moves in USD, never who gets it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/asset_rules.hpp"

namespace nexadex::assets {

// A pool of `configs` holding nothing. Errors (ErrorKind::input): no asset, or none stable and priced
// by no market (the settlement asset).
Result<AssetPool> make_pool(std::vector<AssetConfig> configs);

// The index of the asset `symbol`, or std::nullopt.
std::optional<std::size_t> find_asset(const AssetPool& pool, std::string_view symbol);

// "0.00130000 BTC": token units with the asset's decimals and symbol, for messages.
std::string format_tokens(const AssetConfig& asset, int64_t units);

// A price of `market`: every asset it prices is revalued; returns the inventory result Σ Δ_A, Δ_A =
// value(owned_A, new low) − B_A (a gain when positive, a loss when negative), O(assets).
Result<Usd> set_market_price(AssetPool& pool, std::string_view market, Price mid);

// Replaces asset i's balances (the settlement asset's, kept equal to the vault's USD books) and
// recomputes its values and the running sums.
Status set_books(AssetPool& pool, std::size_t i, const AssetBook& book);

// Posting accounts of token balances, in the asset's units: "pool:BTC", "insurance:BTC",
// "treasury:BTC", "depositor:bob:BTC", "trader:tom:BTC", "position:42:BTC", "keeper:kim:BTC" (`holder` is the part before the symbol).
std::string token_account(std::string_view holder, std::string_view symbol);
// "inventory:BTC": minus the book value B_A of the LPs' tokens of A, in micro-USD.
std::string inventory_account(std::string_view symbol);
// The symbol of the asset whose token units `account` holds, or "" for an account in micro-USD.
// (Names of LPs and traders have no ':', so "depositor:bob:BTC" and "trader:tom:BTC" are unambiguous.)
std::string_view token_commodity(std::string_view account);

// The insurance fund's tokens valued at their low prices, Σ value(insurance_A, p−_A).
Result<Usd> insurance_value(const AssetPool& pool);
// How many units of `asset` the fund may still take: none below its target (std::nullopt: no target),
// else ceil((target − value) × 10^(d+2) / p−) while below it, 0 at or above.
Result<std::optional<int64_t>> insurance_room(const AssetPool& pool, std::size_t asset, std::optional<Usd> target);

// A deposit of `units` of `asset` (nexadex-assets(7), DEPOSIT steps 1-4).
struct DepositQuote {
  std::size_t asset = 0;
  int64_t units = 0;          // T
  bool first = false;         // the pool held nothing: no fee, no band rule
  WeightMove weights;
  Bps rate;                   // f
  int64_t fee = 0;            // F = ceil(T × f / 10^4)
  TokenFeeParts parts;        // F_lp, F_ins, F_tre
  Usd value;                  // D = value(T − F, p−): what the deposit is worth, to mint against
  Usd fee_income;             // I = value(F_lp, p−): the LPs' fee income (fee channel)
  Usd dust;                   // ε = ΔB − D − I ∈ [0, 2]: a gain of the LPs already in (PnL channel)
  Usd spread_before;          // ΣH before the deposit: NAV_high = NAV_low + this (its tranche part)
  int64_t owned_after = 0;
  Usd book_after;
};
// Errors: units not positive or no D (ErrorKind::input); the asset without a price, the band rule
// (ErrorKind::rule); an overflow.
Result<DepositQuote> quote_deposit(const AssetPool& pool, std::size_t asset, int64_t units, const FeeSplit& split,
                                   std::optional<int64_t> insurance_room);
Status apply_deposit(AssetPool& pool, const DepositQuote& quote);

// A withdrawal of shares worth `redeemed` at NAV_low, paid in `asset` at its high price
// (nexadex-assets(7), WITHDRAWAL steps 2-6).
struct WithdrawalQuote {
  std::size_t asset = 0;
  Usd redeemed;               // V_out
  int64_t gross = 0;          // G = tokens(V_out, p+)
  WeightMove weights;
  Bps rate;
  int64_t fee = 0;            // F = ceil(G × f / 10^4)
  TokenFeeParts parts;
  int64_t paid = 0;           // P = G − F, to the LP
  Usd fee_income;             // I = value(F_lp, p−) (fee channel)
  Usd spread_gain;            // R = V_out − ΔB − I ≥ 0: the confidence spread and the dust (PnL channel)
  int64_t owned_after = 0;
  Usd book_after;
};
// Errors: nothing paid (ErrorKind::input); the asset without a price, more than the pool owns,
// the band rule, reserved tokens (ErrorKind::rule); an overflow.
Result<WithdrawalQuote> quote_withdrawal(const AssetPool& pool, std::size_t asset, Usd redeemed,
                                         const FeeSplit& split, std::optional<int64_t> insurance_room);
Status apply_withdrawal(AssetPool& pool, const WithdrawalQuote& quote);

// The insurance fund pays `amount` of a loss in tokens: of the settlement asset first, then of each
// asset in file order, t_A = min(insurance_A, ceil(left × 10^(d+2) / p−_A)), moved into owned_A and
// counted at value(t_A, p−_A). `counted` may exceed `amount` by under a micro-USD's worth of the last
// asset (dust to the LPs: `book_gain` = ΣΔB − covered ≥ 0 is an inventory gain).
struct InsurancePayment {
  std::vector<std::pair<std::size_t, int64_t>> tokens;  // (asset, units moved)
  Usd covered;                                          // min(amount, Σ counted)
  Usd book_gain;
};
Result<InsurancePayment> pay_from_insurance(AssetPool& pool, Usd amount);

// The invariants of BOOKS, recomputed from the balances (ErrorKind::discrepancy naming the asset):
// held = owned + collateral + insurance + treasury, 0 ≤ reserved ≤ owned, B_A = value(owned_A, p−_A),
// V_A and H_A as their definitions, and the running sums equal to the sums.
Status check_books(const AssetPool& pool);

}  // namespace nexadex::assets
