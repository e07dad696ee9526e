// cli/cmd_deposit.cpp: `deposit LP AMOUNT [--tranche T] [--lock D] [--no-compound] [--price P [--market M]]`:
// an lp_deposited event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct DepositArgs {
  std::string lp;        // LP
  std::string amount;    // AMOUNT
  std::string tranche;   // --tranche T
  std::string lock;      // --lock D
  bool no_compound = false;   // --no-compound
  std::optional<std::string> asset;   // --asset A
  FirstPrice first;
  bool operator==(const DepositArgs&) const = default;
};

class Deposit final : public CommandWith<DepositArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("deposit", "Deposit USDC into the vault for LP shares at the NAV per share");
    cmd->add_option("LP", m_args.lp, "The LP's name")->required();
    cmd->add_option("AMOUNT", m_args.amount, "USDC, up to 6 decimals, greater than zero")->required();
    one_of(cli,
           cmd->add_option("--tranche", m_args.tranche,
                           "senior (default) or junior; junior needs [tranches] in the config")
               ->type_name("T"),
           k_tranche_names);
    cmd->add_option("--lock", m_args.lock,
                    "Lock the lot for D (30d, 12h, ...): not withdrawable until then; [locks] tiers give its boost")
        ->type_name("D");
    cmd->add_flag("--no-compound", m_args.no_compound,
                  "Keep the lot's income as claimable USDC (paid by claim) instead of compounding it into shares");
    cmd->add_option("--asset", m_args.asset,
                    "On a multi-asset pool: the asset deposited, AMOUNT in its tokens (default the settlement asset)")
        ->type_name("A");
    add_first_price(*cmd, m_args.first);
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const DepositArgs& a = m_args;
    Duration lock{0};
    if (!a.lock.empty()) {
      NX_TRY(d, parse_duration(a.lock, "--lock"));
      if (d.seconds <= 0) return input_error("--lock must be longer than zero (e.g. 90d).");
      lock = d;
    }
    return vault_write(ctx, o, a.first, "deposit", nullptr, [&](const State& state) -> Result<std::vector<EventBody>> {
      if (state.assets) {
        // a multi-asset pool: AMOUNT in tokens of the asset, written with its decimals
        NX_TRY(asset, pool_asset(state, a.asset));
        NX_TRY(units, parse_decimal(a.amount, static_cast<int>(asset->decimals), Sign::positive, "AMOUNT"));
        return one_event(LpAssetDeposited{a.lp, asset->symbol, format_decimal(units, static_cast<int>(asset->decimals)),
                                          a.tranche, lock, !a.no_compound});
      }
      NX_TRY_STATUS(no_asset_option(a.asset));
      NX_TRY(amount, parse_usd(a.amount, Sign::positive, "AMOUNT"));
      return one_event(LpDeposited{a.lp, amount, a.tranche, lock, !a.no_compound});
    });
  }
};

}  // namespace

std::unique_ptr<Command> make_deposit_command() { return std::make_unique<Deposit>(); }

}  // namespace nexadex::cli
