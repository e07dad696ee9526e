// cli/cmd_claim.cpp: `claim LP [--amount A]`: a rewards_claimed event paying the LP the claimable
// income of its --no-compound lots (SPEC §5, DESIGN-risk §7).
#include "cli/commands.hpp"
#include "cli/write.hpp"
#include "lib/locks.hpp"

namespace nexadex::cli {
namespace {

struct ClaimArgs {
  std::string lp;                      // LP
  std::optional<std::string> amount;   // --amount A
  bool operator==(const ClaimArgs&) const = default;
};

class Claim final : public CommandWith<ClaimArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd = app.add_subcommand("claim", "Pay an LP the claimable income of its --no-compound lots");
    cmd->add_option("LP", m_args.lp, "The LP's name")->required();
    cmd->add_option("--amount", m_args.amount, "Refuse unless exactly this much is claimable")->type_name("A");
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const ClaimArgs& a = m_args;
    std::optional<Usd> confirmed;
    if (a.amount) {
      NX_TRY(amount, parse_usd(*a.amount, Sign::positive, "--amount"));
      confirmed = amount;
    }
    return write_events(ctx, o, "claim", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
      Usd amount;
      if (confirmed) {
        amount = *confirmed;
      } else {
        // what the event will find claimable: unlocks due by then credit at the same accumulators
        NX_TRY(parts, locks::claimable(j.state(), a.lp));
        NX_TRY(total, nexadex::add(parts[0], parts[1], "claimable income"));
        amount = total;
      }
      return appended.add(j, RewardsClaimed{a.lp, amount}, at);
    });
  }
};

}  // namespace

std::unique_ptr<Command> make_claim_command() { return std::make_unique<Claim>(); }

}  // namespace nexadex::cli
