// cli/cmd_vault.cpp: deposit, withdraw, open, close, liquidate and insurance deposit. Each turns its
// arguments into one event (liquidate: one per position) after an optional --price event.
#include <algorithm>

#include "cli/commands.hpp"
#include "cli/write.hpp"
#include "lib/vault.hpp"

namespace nexadex::cli {
namespace {

// Runs a vault write: --price first when given (on `market`, or the only market, or --market), then
// the events `make` returns, all in one transaction.
using MarketOf = std::function<Result<std::string>(const State&)>;

// What --market M means to a command: only the market of --price, or also a filter of its own.
enum class MarketOption { names_price, also_filters };

Status vault_write(Context& ctx, const Options& o, const std::string& command, const MarketOf& market_of,
                   const std::function<Result<std::vector<EventBody>>(const State&)>& make,
                   MarketOption market_option = MarketOption::names_price) {
  // --market names the market of --price (and, for liquidate --all, the market to liquidate)
  if (o.price_market && !o.first_price && market_option == MarketOption::names_price) {
    return input_error("--market " + *o.price_market + " only says which market --price is for; give --price P "
                       "as well, or leave --market out.");
  }
  std::optional<Price> price;
  if (o.first_price) {
    auto p = parse_price(*o.first_price, "--price");
    if (!p) return std::unexpected(p.error());
    price = *p;
  }
  return write_events(ctx, o, command, [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    if (price) {
      std::string market;
      if (o.price_market) {
        market = *o.price_market;
      } else if (market_of) {
        auto m = market_of(j.state());
        if (!m) return std::unexpected(m.error());
        market = *m;
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
    auto bodies = make(j.state());
    if (!bodies) return std::unexpected(bodies.error());
    for (auto& body : *bodies) {
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

Result<std::vector<EventBody>> one(EventBody body) { return std::vector<EventBody>{std::move(body)}; }

}  // namespace

Status cmd_deposit(Context& ctx, const Options& o) {
  auto amount = parse_usd(o.amount, Sign::positive, "AMOUNT");
  if (!amount) return std::unexpected(amount.error());
  return vault_write(ctx, o, "deposit", nullptr, [&](const State&) { return one(LpDeposited{o.lp, *amount, o.tranche}); });
}

Status cmd_withdraw(Context& ctx, const Options& o) {
  LpWithdrew e{o.lp, WithdrawBy::amount, Usd(0), Shares(0), o.tranche};
  if (o.all) {
    e.by = WithdrawBy::all;
  } else if (o.shares) {
    auto s = parse_shares(*o.shares, Sign::positive, "--shares");
    if (!s) return std::unexpected(s.error());
    e.by = WithdrawBy::shares;
    e.shares = *s;
  } else if (!o.amount.empty()) {
    auto a = parse_usd(o.amount, Sign::positive, "AMOUNT");
    if (!a) return std::unexpected(a.error());
    e.amount = *a;
  } else {
    return input_error("say how much: give AMOUNT, --shares N or --all.");
  }
  return vault_write(ctx, o, "withdraw", nullptr, [&](const State&) { return one(e); });
}

Status cmd_open(Context& ctx, const Options& o) {
  PositionOpened e;
  e.trader = o.trader;
  e.market = o.market;
  e.side = o.side == "short" ? Side::short_ : Side::long_;
  auto c = parse_usd(o.collateral, Sign::positive, "--collateral");
  if (!c) return std::unexpected(c.error());
  e.collateral = *c;
  if (o.leverage) {
    auto l = parse_decimal(*o.leverage, 2, Sign::positive, "--leverage");
    if (!l) return std::unexpected(l.error());
    e.leverage.hundredths = *l;
  } else if (o.size) {
    auto s = parse_usd(*o.size, Sign::positive, "--size");
    if (!s) return std::unexpected(s.error());
    e.size = *s;
  } else {
    return input_error("give the size: --leverage L or --size S.");
  }
  return vault_write(ctx, o, "open", [&](const State&) { return o.market; }, [&](const State&) { return one(e); });
}

Status cmd_close(Context& ctx, const Options& o) {
  auto id = position_id(o.position);
  if (!id) return std::unexpected(id.error());
  PositionClosed e{*id, Usd(0)};
  if (o.size) {
    auto s = parse_usd(*o.size, Sign::positive, "--size");
    if (!s) return std::unexpected(s.error());
    e.size = *s;
  }
  // --price applies to the position's market
  const MarketOf market_of = [&](const State& s) -> Result<std::string> {
    NX_TRY(p, find_position(s, e.id));
    // a position never opened: the close's own refusal, not a complaint about --price's market
    if (p == nullptr) return input_error("unknown position " + std::to_string(e.id) + "; 'report positions' lists them.");
    return p->market;
  };
  return vault_write(ctx, o, "close", market_of, [&](const State&) { return one(e); });
}

Status cmd_liquidate(Context& ctx, const Options& o) {
  std::vector<int64_t> ids;
  for (const auto& text : o.positions) {
    auto id = position_id(text);
    if (!id) return std::unexpected(id.error());
    if (std::find(ids.begin(), ids.end(), *id) != ids.end()) {
      return input_error("position " + std::to_string(*id) + " is given twice; name each position once.");
    }
    ids.push_back(*id);
  }
  if (ids.empty() && !o.all) return input_error("give position ids, or --all.");
  const MarketOf market_of = [&](const State& s) -> Result<std::string> {
    if (ids.empty()) return std::string();   // --all: the only market, or --market
    NX_TRY(p, find_position(s, ids.front()));
    if (p == nullptr) {
      return input_error("unknown position " + std::to_string(ids.front()) + "; 'report positions' lists them.");
    }
    return p->market;
  };
  return vault_write(ctx, o, "liquidate", market_of, [&](const State& s) -> Result<std::vector<EventBody>> {
    std::vector<int64_t> chosen = ids;
    if (o.all && o.price_market && s.config.market(*o.price_market) == nullptr) {
      return input_error("unknown market '" + *o.price_market + "'; the configured markets are " +
                         market_symbols(s.config) + ".");
    }
    if (o.all) {
      auto found = vault::liquidatable(s, o.price_market.value_or(""));
      if (!found) return std::unexpected(found.error());
      chosen = *found;
    }
    std::vector<EventBody> bodies;
    for (const int64_t id : chosen) bodies.push_back(PositionLiquidated{id, o.keeper});
    return bodies;
  }, o.all ? MarketOption::also_filters : MarketOption::names_price);
}

Status cmd_insurance_deposit(Context& ctx, const Options& o) {
  auto amount = parse_usd(o.amount, Sign::positive, "AMOUNT");
  if (!amount) return std::unexpected(amount.error());
  return vault_write(ctx, o, "insurance_deposit", nullptr, [&](const State&) { return one(InsuranceDeposited{*amount, o.from}); });
}

}  // namespace nexadex::cli
