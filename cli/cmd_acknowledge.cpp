// cli/cmd_acknowledge.cpp: `acknowledge --reason TEXT [--amount A]`: a loss_acknowledged event for the
// unabsorbed losses outstanding (SPEC §4); reports stop warning of them.
#include "cli/commands.hpp"
#include "cli/write.hpp"

namespace nexadex::cli {
namespace {

struct AcknowledgeArgs {
  std::optional<std::string> reason;   // --reason TEXT
  std::optional<std::string> amount;   // --amount A
  bool operator==(const AcknowledgeArgs&) const = default;
};

class Acknowledge final : public CommandWith<AcknowledgeArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd =
        app.add_subcommand("acknowledge", "Acknowledge the unabsorbed losses outstanding; reports stop warning");
    cmd->add_option("--reason", m_args.reason, "What the operator is doing about them, journaled")
        ->required()
        ->type_name("TEXT");
    cmd->add_option("--amount", m_args.amount, "Refuse unless exactly this much is outstanding")->type_name("A");
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const AcknowledgeArgs& a = m_args;
    std::optional<Usd> confirmed;
    if (a.amount) {
      NX_TRY(amount, parse_usd(*a.amount, Sign::positive, "--amount"));
      confirmed = amount;
    }
    return write_events(ctx, o, "acknowledge", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
      Usd amount;
      if (confirmed) {
        amount = *confirmed;
      } else {
        NX_TRY(outstanding, j.state().vault.unacknowledged());
        amount = outstanding;
      }
      return appended.add(j, LossAcknowledged{amount, a.reason.value_or("")}, at);
    });
  }
};

}  // namespace

std::unique_ptr<Command> make_acknowledge_command() { return std::make_unique<Acknowledge>(); }

}  // namespace nexadex::cli
