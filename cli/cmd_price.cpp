// cli/cmd_price.cpp: `price set MARKET PRICE`, `price import CSV` and `price show`.
#include <algorithm>

#include "cli/commands.hpp"
#include "cli/price_csv.hpp"
#include "cli/write.hpp"

namespace nexadex::cli {
namespace {

struct PriceArgs {
  std::string market;     // set MARKET
  std::string price;      // set ... PRICE
  std::string csv_file;   // import CSV
  bool operator==(const PriceArgs&) const = default;
};

Status set(Context& ctx, const Options& o, const PriceArgs& a) {
  NX_TRY(price, parse_price(a.price, "price"));
  return write_events(ctx, o, "price_set", [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    return appended.add(j, PriceSet{a.market, price}, at);
  });
}

Status import(Context& ctx, const Options& o, const PriceArgs& a) {
  if (o.at) return input_error("--at does not apply: each row of the file carries its own time; remove --at.");
  NX_TRY(text, read_input(a.csv_file, "price file"));
  const std::string name = a.csv_file == "-" ? "standard input" : a.csv_file;
  int64_t imported = 0;
  return write_events(ctx, o, "price_import", [&](journal::Journal& j, Timestamp, Appended& appended) -> Status {
    const auto add = [&](const PriceRow& row) -> Status {
      NX_TRY_STATUS(appended.add(j, PriceSet{row.market, row.price}, row.at));
      ++imported;
      return {};
    };
    NX_TRY_STATUS(for_each_price_row(text, name, add));
    if (imported == 0) return input_error(name + " holds no prices; give rows of at,market,price.");
    return {};
  });
}

Status show(Context& ctx, const Options& o) {
  NX_TRY(format, ctx.format(o));
  NX_TRY(now, ctx.time(o));
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    NX_TRY(state, j.load_state());
    render(price_report(state, std::max(now, state.head_at)), format, ctx.out());
    return {};
  });
}

class PriceCommand final : public CommandWith<PriceArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("price", "Record and show oracle prices");
    cmd->require_subcommand(1);
    auto* set = cmd->add_subcommand("set", "Record one price");
    set->add_option("MARKET", m_args.market, "Market symbol, e.g. BTC")->required();
    set->add_option("PRICE", m_args.price, "Price in USD, up to 8 decimals, greater than zero")->required();
    auto* import = cmd->add_subcommand("import", "Record many prices from a CSV file of at,market,price rows");
    file(cli, import->add_option("CSV", m_args.csv_file, "The CSV file, or - for standard input")->required());
    cmd->add_subcommand("show", "Show each market's latest price, its age and whether it is fresh");
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli& cli) override {
    const std::string& sub = cli.path.at(1);
    if (sub == "set") return set(ctx, o, m_args);
    if (sub == "import") return import(ctx, o, m_args);
    return show(ctx, o);
  }
};

}  // namespace

std::unique_ptr<Command> make_price_command() { return std::make_unique<PriceCommand>(); }

}  // namespace nexadex::cli
