// cli/cmd_deposit.cpp: `deposit LP AMOUNT [--tranche T] [--price P [--market M]]`: an lp_deposited event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct DepositArgs {
  std::string lp;        // LP
  std::string amount;    // AMOUNT
  std::string tranche;   // --tranche T
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
    add_first_price(*cmd, m_args.first);
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const DepositArgs& a = m_args;
    NX_TRY(amount, parse_usd(a.amount, Sign::positive, "AMOUNT"));
    return vault_write(ctx, o, a.first, "deposit", nullptr,
                       [&](const State&) { return one_event(LpDeposited{a.lp, amount, a.tranche}); });
  }
};

}  // namespace

std::unique_ptr<Command> make_deposit_command() { return std::make_unique<Deposit>(); }

}  // namespace nexadex::cli
