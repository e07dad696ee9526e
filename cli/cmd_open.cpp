// cli/cmd_open.cpp: `open TRADER MARKET long|short --collateral C [--collateral-asset A] --leverage L|--size S
// [--price P]`: a position_opened event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct OpenArgs {
  std::string trader;                    // TRADER
  std::string market;                    // MARKET
  std::string side;                      // long|short
  std::string collateral;                // --collateral C
  std::optional<std::string> collateral_asset;   // --collateral-asset A
  std::optional<std::string> leverage;   // --leverage L
  std::optional<std::string> size;       // --size S
  FirstPrice first;                      // --price P (of MARKET; no --market)
  bool operator==(const OpenArgs&) const = default;
};

class Open final : public CommandWith<OpenArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("open", "Open a leveraged position against the pool");
    cmd->add_option("TRADER", m_args.trader, "The trader's name")->required();
    cmd->add_option("MARKET", m_args.market, "Market symbol, e.g. BTC")->required();
    one_of(cli, cmd->add_option("SIDE", m_args.side, "long or short")->required(), {"long", "short"});
    cmd->add_option("--collateral", m_args.collateral, "USDC put up, the open fee taken from it (tokens of A with --collateral-asset)")
        ->required()
        ->type_name("C");
    cmd->add_option("--collateral-asset", m_args.collateral_asset,
                    "On a multi-asset pool under rules 4: post the collateral in this asset (a long may post its "
                    "market's asset), valued at its low price")
        ->type_name("A");
    auto* leverage =
        cmd->add_option("--leverage", m_args.leverage, "Open the largest size with at most this leverage after the fee")
            ->type_name("L");
    auto* size = cmd->add_option("--size", m_args.size, "Open exactly this size (USD notional)")->type_name("S");
    leverage->excludes(size);
    cmd->add_option("--price", m_args.first.price, "Record this price of MARKET first, in the same transaction")
        ->type_name("P");
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const OpenArgs& a = m_args;
    PositionOpened e;
    e.trader = a.trader;
    e.market = a.market;
    e.side = a.side == "short" ? Side::short_ : Side::long_;
    if (!a.collateral_asset) {
      NX_TRY(c, parse_usd(a.collateral, Sign::positive, "--collateral"));
      e.collateral = c;
    }
    if (a.leverage) {
      NX_TRY(l, parse_decimal(*a.leverage, 2, Sign::positive, "--leverage"));
      e.leverage.hundredths = l;
    } else if (a.size) {
      NX_TRY(s, parse_usd(*a.size, Sign::positive, "--size"));
      e.size = s;
    } else {
      return input_error("give the size: --leverage L or --size S.");
    }
    return vault_write(ctx, o, a.first, "open", [&](const State&) { return a.market; },
                       [&](const State& state) -> Result<std::vector<EventBody>> {
                         if (!a.collateral_asset) return one_event(e);
                         if (!state.assets) {
                           NX_TRY_STATUS(no_asset_option(a.collateral_asset, "--collateral-asset"));
                         }
                         NX_TRY(asset, pool_asset(state, a.collateral_asset));
                         PositionOpened ev = e;
                         if (asset == &state.assets->configs[state.assets->settlement]) {
                           // the settlement asset: USD collateral, as without the option
                           NX_TRY(c, parse_usd(a.collateral, Sign::positive, "--collateral"));
                           ev.collateral = c;
                           return one_event(ev);
                         }
                         // tokens, written with the asset's decimals
                         NX_TRY(units, parse_decimal(a.collateral, static_cast<int>(asset->decimals), Sign::positive,
                                                     "--collateral"));
                         ev.collateral_asset = asset->symbol;
                         ev.collateral_tokens = format_decimal(units, static_cast<int>(asset->decimals));
                         return one_event(ev);
                       });
  }
};

}  // namespace

std::unique_ptr<Command> make_open_command() { return std::make_unique<Open>(); }

}  // namespace nexadex::cli
