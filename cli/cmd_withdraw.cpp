// cli/cmd_withdraw.cpp: `withdraw LP AMOUNT|--shares N|--all [--tranche T] [--price P [--market M]]`:
// an lp_withdrew event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct WithdrawArgs {
  std::string lp;                      // LP
  std::string amount;                  // AMOUNT
  std::optional<std::string> shares;   // --shares N
  bool all = false;                    // --all
  std::string tranche;                 // --tranche T
  std::optional<std::string> asset;    // --asset A
  FirstPrice first;
  bool operator==(const WithdrawArgs&) const = default;
};

class Withdraw final : public CommandWith<WithdrawArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("withdraw", "Burn LP shares for USDC at the NAV per share");
    cmd->add_option("LP", m_args.lp, "The LP's name")->required();
    auto* amount = cmd->add_option("AMOUNT", m_args.amount, "USDC to receive");
    auto* shares = cmd->add_option("--shares", m_args.shares, "Redeem this many shares instead")->type_name("N");
    auto* all = cmd->add_flag("--all", m_args.all, "Redeem every share the LP holds");
    one_of(cli,
           cmd->add_option("--tranche", m_args.tranche, "senior or junior (default: the one tranche the LP holds)")
               ->type_name("T"),
           k_tranche_names);
    cmd->add_option("--asset", m_args.asset,
                    "On a multi-asset pool: the asset paid out (default the settlement asset); AMOUNT stays USD")
        ->type_name("A");
    amount->excludes(shares)->excludes(all);
    shares->excludes(all);
    add_first_price(*cmd, m_args.first);
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const WithdrawArgs& a = m_args;
    LpWithdrew e{a.lp, WithdrawBy::amount, Usd(0), Shares(0), a.tranche};
    if (a.all) {
      e.by = WithdrawBy::all;
    } else if (a.shares) {
      NX_TRY(s, parse_shares(*a.shares, Sign::positive, "--shares"));
      e.by = WithdrawBy::shares;
      e.shares = s;
    } else if (!a.amount.empty()) {
      NX_TRY(amount, parse_usd(a.amount, Sign::positive, "AMOUNT"));
      e.amount = amount;
    } else {
      return input_error("say how much: give AMOUNT, --shares N or --all.");
    }
    return vault_write(ctx, o, a.first, "withdraw", nullptr, [&](const State& state) -> Result<std::vector<EventBody>> {
      if (state.assets) {
        NX_TRY(asset, pool_asset(state, a.asset));
        return one_event(LpAssetWithdrew{e.lp, asset->symbol, e.by, e.amount, e.shares, e.tranche});
      }
      NX_TRY_STATUS(no_asset_option(a.asset));
      return one_event(e);
    });
  }
};

}  // namespace

std::unique_ptr<Command> make_withdraw_command() { return std::make_unique<Withdraw>(); }

}  // namespace nexadex::cli
