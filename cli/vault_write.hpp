// cli/vault_write.hpp: what the vault write commands share (deposit, withdraw, open, close, liquidate,
// insurance deposit): `--price P [--market M]`, a price recorded first in the same transaction as
// the command's events; the tranche names; a position id.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace nexadex::cli {

// --price P and --market M.
struct FirstPrice {
  std::optional<std::string> price;    // --price P: record a price first
  std::optional<std::string> market;   // --market M: for --price, or liquidate --all's market
  bool operator==(const FirstPrice&) const = default;
};

// Adds --price P ("Record this price first, ...") and --market M with the help `market_help`.
void add_first_price(CLI::App& cmd, FirstPrice& p,
                     const char* market_help = "The market of --price (needed when there are several)");

// The values of --tranche T.
inline const std::vector<std::string> k_tranche_names{"senior", "junior"};

// The market of --price when the command does not name it by --market: the position's, say; "" for
// the pool's only market.
using MarketOf = std::function<Result<std::string>(const State&)>;
// The events of the command, made from the state after the price (if any) was recorded.
using MakeEvents = std::function<Result<std::vector<EventBody>>(const State&)>;

// What --market M means to a command: only the market of --price, or also a filter of its own.
enum class MarketOption { names_price, also_filters };

// Runs a vault write through write_events (cli/write.hpp): --price first when given (on --market, or
// `market_of`'s market, or the only market), then the events `make` returns, all in one transaction;
// the outcome report is lib/outcome.hpp's named `command`.
Status vault_write(Context& ctx, const Options& o, const FirstPrice& first, const std::string& command,
                   const MarketOf& market_of, const MakeEvents& make,
                   MarketOption market_option = MarketOption::names_price);

// A position id as 'report positions' lists it (the seq of its open).
Result<int64_t> position_id(const std::string& text);

// --asset A on a multi-asset pool: the asset (default: the settlement asset), or an unknown asset (input).
Result<const AssetConfig*> pool_asset(const State& state, const std::optional<std::string>& symbol);
// --asset A (or `option`, such as --collateral-asset) on a single-USDC vault: refused (input) when given.
Status no_asset_option(const std::optional<std::string>& symbol, std::string_view option = "--asset");

// The one event of a command that makes one.
Result<std::vector<EventBody>> one_event(EventBody body);

}  // namespace nexadex::cli
