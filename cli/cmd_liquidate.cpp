// cli/cmd_liquidate.cpp: `liquidate ID...|--all [--keeper NAME] [--price P] [--market M]`: one
// position_liquidated event per position.
#include <algorithm>

#include "cli/vault_write.hpp"
#include "lib/vault.hpp"

namespace nexadex::cli {
namespace {

struct LiquidateArgs {
  std::vector<std::string> positions;   // ID...
  bool all = false;                     // --all
  std::string keeper = "keeper";        // --keeper NAME
  FirstPrice first;                     // --price P; --market M also filters --all
  bool operator==(const LiquidateArgs&) const = default;
};

class Liquidate final : public CommandWith<LiquidateArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd = app.add_subcommand("liquidate", "Liquidate positions below their maintenance margin");
    auto* ids = cmd->add_option("ID", m_args.positions, "Position ids");
    auto* all = cmd->add_flag("--all", m_args.all, "Every liquidatable position (of --market M if given)");
    ids->excludes(all);
    cmd->add_option("--keeper", m_args.keeper, "Who is paid the liquidation fee (default keeper)")->type_name("NAME");
    add_first_price(*cmd, m_args.first, "With --all: only this market; the market of --price");
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const LiquidateArgs& a = m_args;
    std::vector<int64_t> ids;
    for (const auto& text : a.positions) {
      NX_TRY(id, position_id(text));
      if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        return input_error("position " + std::to_string(id) + " is given twice; name each position once.");
      }
      ids.push_back(id);
    }
    if (ids.empty() && !a.all) return input_error("give position ids, or --all.");
    const MarketOf market_of = [&](const State& s) -> Result<std::string> {
      if (ids.empty()) return std::string();   // --all: the only market, or --market
      NX_TRY(p, find_position(s, ids.front()));
      if (p == nullptr) {
        return input_error("unknown position " + std::to_string(ids.front()) + "; 'report positions' lists them.");
      }
      return p->market;
    };
    const auto& market = a.first.market;
    return vault_write(ctx, o, a.first, "liquidate", market_of, [&](const State& s) -> Result<std::vector<EventBody>> {
      std::vector<int64_t> chosen = ids;
      if (a.all && market && s.config.market(*market) == nullptr) {
        return input_error("unknown market '" + *market + "'; the configured markets are " +
                           market_symbols(s.config) + ".");
      }
      if (a.all) {
        NX_TRY(found, vault::liquidatable(s, market.value_or("")));
        chosen = found;
      }
      std::vector<EventBody> bodies;
      for (const int64_t id : chosen) bodies.push_back(PositionLiquidated{id, a.keeper});
      return bodies;
    }, a.all ? MarketOption::also_filters : MarketOption::names_price);
  }
};

}  // namespace

std::unique_ptr<Command> make_liquidate_command() { return std::make_unique<Liquidate>(); }

}  // namespace nexadex::cli
