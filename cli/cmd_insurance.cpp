// cli/cmd_insurance.cpp: `insurance deposit AMOUNT [--from NAME] [--price P [--market M]]`: an
// insurance_deposited event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct InsuranceArgs {
  std::string amount;              // deposit AMOUNT
  std::string from = "operator";   // deposit --from NAME
  FirstPrice first;
  bool operator==(const InsuranceArgs&) const = default;
};

class Insurance final : public CommandWith<InsuranceArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd = app.add_subcommand("insurance", "The insurance fund");
    cmd->require_subcommand(1);
    auto* deposit = cmd->add_subcommand("deposit", "Pay USDC into the insurance fund");
    deposit->add_option("AMOUNT", m_args.amount, "USDC, greater than zero")->required();
    deposit->add_option("--from", m_args.from, "Who pays it in (default operator)")->type_name("NAME");
    add_first_price(*deposit, m_args.first);
    return cmd;
  }

  // `insurance deposit`, its only subcommand.
  Status run(Context& ctx, const Options& o, Cli&) override {
    const InsuranceArgs& a = m_args;
    NX_TRY(amount, parse_usd(a.amount, Sign::positive, "AMOUNT"));
    return vault_write(ctx, o, a.first, "insurance_deposit", nullptr,
                       [&](const State&) { return one_event(InsuranceDeposited{amount, a.from}); });
  }
};

}  // namespace

std::unique_ptr<Command> make_insurance_command() { return std::make_unique<Insurance>(); }

}  // namespace nexadex::cli
