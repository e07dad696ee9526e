// cli/cmd_cascade.cpp: `cascade --loss A [--kind K] [--apply --reason TEXT]` and `cascade --shock M=±P%…`.
// A preview is lib/shock.hpp's, on a copy of the state; nothing is written (SPEC §4, DESIGN-risk §3).
#include <algorithm>

#include "cli/commands.hpp"
#include "cli/shock_spec.hpp"
#include "cli/write.hpp"

namespace nexadex::cli {
namespace {

struct CascadeArgs {
  std::optional<std::string> loss;     // --loss A
  std::optional<std::string> kind;     // --kind bad-debt|trader-pnl|external (absent: external)
  bool apply = false;                  // --apply
  std::optional<std::string> reason;   // --reason TEXT
  std::vector<std::string> shocks;     // --shock M=±P% ...
  bool operator==(const CascadeArgs&) const = default;
};

Result<LossKind> kind_of(const std::string& k) {
  if (k == "bad-debt") return LossKind::bad_debt;
  if (k == "trader-pnl") return LossKind::trader_pnl;
  if (k == "external") return LossKind::external;
  return input_error("--kind '" + k + "' is not bad-debt, trader-pnl or external.");
}

// Renders the preview `make` draws from the journal's state at `now` (never before its head).
Status preview(Context& ctx, const Options& o, Format format, Timestamp now,
               const std::function<Result<Report>(State, Timestamp)>& make) {
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    NX_TRY(state, j.load_state());
    const Timestamp at = std::max(now, state.head_at);
    NX_TRY(report, make(std::move(state), at));
    render(report, format, ctx.out());
    return {};
  });
}

Status preview_shock(Context& ctx, const Options& o, const CascadeArgs& a, Format format, Timestamp now) {
  return preview(ctx, o, format, now, [&](State state, Timestamp at) -> Result<Report> {
    NX_TRY(shocks, parse_shocks(state.config, a.shocks));
    return shock_preview(std::move(state), at, shocks);
  });
}

class Cascade final : public CommandWith<CascadeArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("cascade", "Show how a loss or a price shock would fall on each layer and LP");
    auto* loss = cmd->add_option("--loss", m_args.loss, "A loss of this many USDC")->type_name("A");
    one_of(cli, cmd->add_option("--kind", m_args.kind, "bad-debt, trader-pnl or external (default)")->type_name("K"),
           {"bad-debt", "trader-pnl", "external"});
    auto* apply = cmd->add_flag("--apply", m_args.apply, "Journal the loss as an external loss (needs --reason)");
    cmd->add_option("--reason", m_args.reason, "Why the loss happened, journaled with --apply")->type_name("TEXT");
    auto* shock = cmd->add_option("--shock", m_args.shocks, "Revalue at shocked prices: M=-30% [M=+10% ...]")
                      ->type_name("M=P%")
                      ->expected(1, 64);
    loss->excludes(shock);
    apply->excludes(shock);
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const CascadeArgs& a = m_args;
    NX_TRY(format, ctx.format(o));
    NX_TRY(now, ctx.time(o));
    if (!a.shocks.empty()) {
      if (a.reason) return input_error("--reason goes with --loss A --apply, not with --shock.");
      if (a.kind) return input_error("--kind goes with --loss A, not with --shock (a shock's losses are of every kind).");
      return preview_shock(ctx, o, a, format, now);
    }
    if (!a.loss) return input_error("say what to test: --loss AMOUNT, or --shock MARKET=-30%.");
    NX_TRY(amount, parse_usd(*a.loss, Sign::positive, "--loss"));
    NX_TRY(kind, kind_of(a.kind.value_or("external")));
    if (!a.apply && a.reason) {
      return input_error("--reason is journaled only with --apply; add --apply to journal the loss, or leave --reason out.");
    }
    if (!a.apply) {
      return preview(ctx, o, format, now,
                     [&](State state, Timestamp at) { return loss_preview(std::move(state), at, amount, kind); });
    }
    if (kind != LossKind::external) {
      return input_error("--apply journals only external losses; drop --kind " + *a.kind + " (bad debt and trader PnL "
                         "are journaled by the liquidations and closes that cause them).");
    }
    if (!a.reason || a.reason->empty()) return input_error("--apply needs --reason TEXT: say why the loss happened.");
    return write_events(ctx, o, "cascade", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
      return appended.add(j, LossApplied{amount, *a.reason}, at);
    });
  }
};

}  // namespace

std::unique_ptr<Command> make_cascade_command() { return std::make_unique<Cascade>(); }

}  // namespace nexadex::cli
