// cli/vault_write.cpp: --price first, then a vault write command's events, in one transaction.
#include "cli/vault_write.hpp"

#include "cli/write.hpp"
#include "lib/asset_events.hpp"

namespace nexadex::cli {

void add_first_price(CLI::App& cmd, FirstPrice& p, const char* market_help) {
  cmd.add_option("--price", p.price, "Record this price first, in the same transaction")->type_name("P");
  cmd.add_option("--market", p.market, market_help)->type_name("M");
}

Status vault_write(Context& ctx, const Options& o, const FirstPrice& first, const std::string& command,
                   const MarketOf& market_of, const MakeEvents& make, MarketOption market_option) {
  // --market names the market of --price (and, for liquidate --all, the market to liquidate)
  if (first.market && !first.price && market_option == MarketOption::names_price) {
    return input_error("--market " + *first.market + " only says which market --price is for; give --price P "
                       "as well, or leave --market out.");
  }
  std::optional<Price> price;
  if (first.price) {
    NX_TRY(p, parse_price(*first.price, "--price"));
    price = p;
  }
  return write_events(ctx, o, command, [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    if (price) {
      std::string market;
      if (first.market) {
        market = *first.market;
      } else if (market_of) {
        NX_TRY(m, market_of(j.state()));
        market = m;
      }
      if (market.empty()) {
        const auto& markets = j.state().config.markets;
        if (markets.size() != 1) {
          return input_error("--price needs --market M: the pool has " + std::to_string(markets.size()) + " markets.");
        }
        market = markets.front().symbol;
      }
      if (auto added = appended.add(j, PriceSet{market, *price}, at); !added) return added;
    }
    NX_TRY(bodies, make(j.state()));
    for (auto& body : bodies) {
      if (auto added = appended.add(j, std::move(body), at); !added) return added;
    }
    return {};
  });
}

Result<int64_t> position_id(const std::string& text) {
  auto id = parse_decimal(text, 0, Sign::positive, "ID");
  if (!id) return input_error("position id '" + text + "' is not an id; give the seq of its open, as 'report positions' lists.");
  return *id;
}

Result<const AssetConfig*> pool_asset(const State& state, const std::optional<std::string>& symbol) {
  const auto& pool = *state.assets;
  if (!symbol) return &pool.configs[pool.settlement];
  NX_TRY(i, vault::asset_index(pool, *symbol));
  return &pool.configs[i];
}

Status no_asset_option(const std::optional<std::string>& symbol, std::string_view option) {
  if (!symbol) return {};
  return input_error(std::string(option) + " needs a multi-asset pool, and this pool's config has no [[assets]] "
                     "(nexadex-assets(7)); drop " + std::string(option) + ".");
}

Result<std::vector<EventBody>> one_event(EventBody body) { return std::vector<EventBody>{std::move(body)}; }

}  // namespace nexadex::cli
