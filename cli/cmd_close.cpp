// cli/cmd_close.cpp: `close ID [--size S] [--price P]`: a position_closed event.
#include "cli/vault_write.hpp"

namespace nexadex::cli {
namespace {

struct CloseArgs {
  std::string position;              // ID
  std::optional<std::string> size;   // --size S
  FirstPrice first;                  // --price P (of the position's market; no --market)
  bool operator==(const CloseArgs&) const = default;
};

class Close final : public CommandWith<CloseArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd = app.add_subcommand("close", "Close a position, or part of it");
    cmd->add_option("ID", m_args.position, "The position's id (the seq of its open)")->required();
    cmd->add_option("--size", m_args.size, "Close only this much of its size")->type_name("S");
    cmd->add_option("--price", m_args.first.price, "Record this price of its market first, in the same transaction")
        ->type_name("P");
    return cmd;
  }

  Status run(Context& ctx, const Options& o, Cli&) override {
    const CloseArgs& a = m_args;
    NX_TRY(id, position_id(a.position));
    PositionClosed e{id, Usd(0)};
    if (a.size) {
      NX_TRY(s, parse_usd(*a.size, Sign::positive, "--size"));
      e.size = s;
    }
    // --price applies to the position's market
    const MarketOf market_of = [&](const State& s) -> Result<std::string> {
      NX_TRY(p, find_position(s, e.id));
      // a position never opened: the close's own refusal, not a complaint about --price's market
      if (p == nullptr) return input_error("unknown position " + std::to_string(e.id) + "; 'report positions' lists them.");
      return p->market;
    };
    return vault_write(ctx, o, a.first, "close", market_of, [&](const State&) { return one_event(e); });
  }
};

}  // namespace

std::unique_ptr<Command> make_close_command() { return std::make_unique<Close>(); }

}  // namespace nexadex::cli
