// cli/app.cpp: the CLI11 tree of every command and option; --help texts are the short form of man/.
#include <CLI/CLI.hpp>

#include "cli/options.hpp"

namespace nexadex::cli {
namespace {

// Restricts `opt` to `values` (CLI11's IsMember) and records the same list for shell completion, so
// that completion offers exactly what the parser accepts. Returns `opt`.
CLI::Option* one_of(Cli& cli, CLI::Option* opt, std::vector<std::string> values) {
  opt->check(CLI::IsMember(values));
  cli.hints[opt] = ValueHint{ValueKind::one_of, std::move(values)};
  return opt;
}

// Marks `opt` as naming a file (to read or to write), for shell completion. Returns `opt`.
CLI::Option* file(Cli& cli, CLI::Option* opt) {
  cli.hints[opt] = ValueHint{ValueKind::file, {}};
  return opt;
}

void add_globals(CLI::App& app, Cli& cli) {
  Options& o = cli.opts;
  // Global options are accepted before or after the subcommand (fallthrough from subcommands).
  file(cli, app.add_option("--journal", o.journal, "Journal file (else NEXADEX_JOURNAL, else ./nexadex.db)")
                ->type_name("PATH"));
  one_of(cli,
         app.add_option("--format", o.format, "Output format: table, json or csv (else NEXADEX_FORMAT, else table)")
             ->type_name("FORMAT"),
         {"table", "json", "csv"});
  app.add_option("--at", o.at, "Time of the command (a write's event time, a report's now): 2026-01-01T00:00:00Z, "
                               "2026-01-01 or @SECONDS (else NEXADEX_NOW, else the clock)")
      ->type_name("TIME");
  app.add_flag("--quiet,-q", o.quiet, "Print nothing on success for write commands");
}

}  // namespace

std::unique_ptr<Cli> make_cli() {
  auto cli = std::make_unique<Cli>();
  Options& o = cli->opts;
  auto app = std::make_unique<CLI::App>(
      "nexadex: the books of a pool-to-peer perpetual-futures liquidity pool, kept in a tamper-evident journal.",
      "nexadex");
  app->set_version_flag("--version", "nexadex " NEXADEX_VERSION);
  app->require_subcommand(1);
  app->fallthrough();
  add_globals(*app, *cli);

  auto* init = app->add_subcommand("init", "Create a new journal from a TOML config");
  file(*cli, init->add_option("--config", o.init_config, "The TOML config file (nexadex.toml(5))")
                  ->required()
                  ->type_name("FILE"));

  auto* config = app->add_subcommand("config", "Show the config in force, or apply a new one");
  config->require_subcommand(1);
  auto* show = config->add_subcommand("show", "Print the effective config (defaults filled in) as TOML, JSON or CSV");
  file(*cli, show->add_option("--config", o.config_show_file,
                              "Show this file's effective config (- for standard input) instead of the journal's")
                 ->type_name("FILE"));
  auto* apply = config->add_subcommand("apply", "Journal a new config that holds from then on");
  file(*cli, apply->add_option("FILE", o.config_file, "The TOML config file, or - for standard input")->required());
  apply->add_flag("--dry-run", o.dry_run, "Print the changes key by key and their effect on open positions; write nothing");
  apply->add_flag("--force", o.force,
                  "Apply even if it makes open positions liquidatable, leaves them above a lower leverage cap or "
                  "the pool above a lower utilization cap");

  auto* price = app->add_subcommand("price", "Record and show oracle prices");
  price->require_subcommand(1);
  auto* set = price->add_subcommand("set", "Record one price");
  set->add_option("MARKET", o.market, "Market symbol, e.g. BTC")->required();
  set->add_option("PRICE", o.price, "Price in USD, up to 8 decimals, greater than zero")->required();
  auto* import = price->add_subcommand("import", "Record many prices from a CSV file of at,market,price rows");
  file(*cli, import->add_option("CSV", o.csv_file, "The CSV file, or - for standard input")->required());
  price->add_subcommand("show", "Show each market's latest price, its age and whether it is fresh");

  auto* report = app->add_subcommand("report", "Read-only reports of the journal's state");
  one_of(*cli,
         report->add_option("WHAT", o.report_what,
                            "summary (default), pool, tranches, lps, lp ID, positions, position ID, traders, "
                            "insurance, fees, cascades, events or history"),
         {"summary", "pool", "tranches", "lps", "lp", "positions", "position", "traders", "insurance", "fees",
          "cascades", "events", "history"});
  report->add_option("ID", o.report_id, "The LP of 'report lp' or the position id of 'report position'");
  report->add_flag("--all", o.all, "With positions: also the closed and liquidated ones");
  auto* as_of = report->add_option("--as-of", o.as_of, "Show the state as it was at TIME (that time included)")
                    ->type_name("TIME");
  auto* seq = report->add_option("--seq", o.seq, "Show the state as it was after event N")->type_name("N");
  as_of->excludes(seq);
  report->add_option("--every", o.every, "With history: one point per interval (the state after its last event)")
      ->type_name("DURATION");
  file(*cli,
       report->add_option("--svg", o.svg, "With history: write the series as an SVG chart to FILE (- for stdout)")
           ->type_name("FILE"));

  auto* verify = app->add_subcommand("verify", "Check the hash chain, replay every event and compare the state");
  verify->add_option("--expect-head", o.expect_head, "Also require this head hash (64 hex digits)")->type_name("HASH");
  verify->add_flag("--verbose,-v", o.verbose,
                   "Print the head seq and hash when all is well; list every finding, not only the first");

  auto* exp = app->add_subcommand("export", "Write the events as JSON lines, or the postings as a ledger journal");
  auto* events = exp->add_flag("--events", o.export_events, "Export the events as JSON lines");
  auto* ledger = exp->add_flag("--ledger", o.export_ledger, "Export the postings as a ledger/hledger journal");
  file(*cli, exp->add_option("FILE", o.export_file, "Output file; standard output when absent or -"));
  events->excludes(ledger);


  // --price P (and --market M) on every vault write command: a price recorded first, same transaction.
  auto add_price = [&o](CLI::App* cmd, const char* market_help) {
    cmd->add_option("--price", o.first_price, "Record this price first, in the same transaction")->type_name("P");
    cmd->add_option("--market", o.price_market, market_help)->type_name("M");
  };
  auto* deposit = app->add_subcommand("deposit", "Deposit USDC into the vault for LP shares at the NAV per share");
  deposit->add_option("LP", o.lp, "The LP's name")->required();
  deposit->add_option("AMOUNT", o.amount, "USDC, up to 6 decimals, greater than zero")->required();
  const std::vector<std::string> tranches{"senior", "junior"};
  one_of(*cli,
         deposit->add_option("--tranche", o.tranche,
                             "senior (default) or junior; junior needs [tranches] in the config")
             ->type_name("T"),
         tranches);
  add_price(deposit, "The market of --price (needed when there are several)");

  auto* withdraw = app->add_subcommand("withdraw", "Burn LP shares for USDC at the NAV per share");
  withdraw->add_option("LP", o.lp, "The LP's name")->required();
  auto* w_amount = withdraw->add_option("AMOUNT", o.amount, "USDC to receive");
  auto* w_shares = withdraw->add_option("--shares", o.shares, "Redeem this many shares instead")->type_name("N");
  auto* w_all = withdraw->add_flag("--all", o.all, "Redeem every share the LP holds");
  one_of(*cli,
         withdraw->add_option("--tranche", o.tranche, "senior or junior (default: the one tranche the LP holds)")
             ->type_name("T"),
         tranches);
  w_amount->excludes(w_shares)->excludes(w_all);
  w_shares->excludes(w_all);
  add_price(withdraw, "The market of --price (needed when there are several)");

  auto* open = app->add_subcommand("open", "Open a leveraged position against the pool");
  open->add_option("TRADER", o.trader, "The trader's name")->required();
  open->add_option("MARKET", o.market, "Market symbol, e.g. BTC")->required();
  one_of(*cli, open->add_option("SIDE", o.side, "long or short")->required(), {"long", "short"});
  open->add_option("--collateral", o.collateral, "USDC put up, the open fee taken from it")->required()->type_name("C");
  auto* lev = open->add_option("--leverage", o.leverage, "Open the largest size with at most this leverage after the fee")
                  ->type_name("L");
  auto* sz = open->add_option("--size", o.size, "Open exactly this size (USD notional)")->type_name("S");
  lev->excludes(sz);
  open->add_option("--price", o.first_price, "Record this price of MARKET first, in the same transaction")
      ->type_name("P");

  auto* close = app->add_subcommand("close", "Close a position, or part of it");
  close->add_option("ID", o.position, "The position's id (the seq of its open)")->required();
  close->add_option("--size", o.size, "Close only this much of its size")->type_name("S");
  close->add_option("--price", o.first_price, "Record this price of its market first, in the same transaction")
      ->type_name("P");

  auto* liquidate = app->add_subcommand("liquidate", "Liquidate positions below their maintenance margin");
  auto* ids = liquidate->add_option("ID", o.positions, "Position ids");
  auto* l_all = liquidate->add_flag("--all", o.all, "Every liquidatable position (of --market M if given)");
  ids->excludes(l_all);
  liquidate->add_option("--keeper", o.keeper, "Who is paid the liquidation fee (default keeper)")->type_name("NAME");
  add_price(liquidate, "With --all: only this market; the market of --price");

  auto* insurance = app->add_subcommand("insurance", "The insurance fund");
  insurance->require_subcommand(1);
  auto* ins_deposit = insurance->add_subcommand("deposit", "Pay USDC into the insurance fund");
  ins_deposit->add_option("AMOUNT", o.amount, "USDC, greater than zero")->required();
  ins_deposit->add_option("--from", o.from, "Who pays it in (default operator)")->type_name("NAME");
  add_price(ins_deposit, "The market of --price (needed when there are several)");

  auto* cascade = app->add_subcommand("cascade", "Show how a loss or a price shock would fall on each layer and LP");
  auto* c_loss = cascade->add_option("--loss", o.loss, "A loss of this many USDC")->type_name("A");
  one_of(*cli, cascade->add_option("--kind", o.kind, "bad-debt, trader-pnl or external (default)")->type_name("K"),
         {"bad-debt", "trader-pnl", "external"});
  auto* c_apply = cascade->add_flag("--apply", o.apply, "Journal the loss as an external loss (needs --reason)");
  cascade->add_option("--reason", o.reason, "Why the loss happened, journaled with --apply")->type_name("TEXT");
  auto* c_shock = cascade->add_option("--shock", o.shocks, "Revalue at shocked prices: M=-30% [M=+10% ...]")
                      ->type_name("M=P%")
                      ->expected(1, 64);
  c_loss->excludes(c_shock);
  c_apply->excludes(c_shock);

  auto* ack = app->add_subcommand("acknowledge", "Acknowledge the unabsorbed losses outstanding; reports stop warning");
  ack->add_option("--reason", o.reason, "What the operator is doing about them, journaled")->required()->type_name("TEXT");
  ack->add_option("--amount", o.ack_amount, "Refuse unless exactly this much is outstanding")->type_name("A");

  auto* run = app->add_subcommand("run", "Run a batch of commands, one per line, all in one transaction");
  file(*cli, run->add_option("FILE", o.run_file, "The batch file, or - for standard input")->required());

  auto* completion = app->add_subcommand("completion", "Print a shell completion script");
  one_of(*cli, completion->add_option("SHELL", o.shell, "bash, zsh or fish")->required(), {"bash", "zsh", "fish"});

  const std::string globals =
      "Global options, accepted here too: --journal PATH, --format table|json|csv, --at TIME, --quiet; "
      "see 'nexadex --help'.\n";
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    sub->fallthrough();
    sub->footer(globals);
    for (CLI::App* leaf : sub->get_subcommands([](CLI::App*) { return true; })) {
      leaf->fallthrough();
      leaf->footer(globals);
    }
  }
  cli->app = std::move(app);
  return cli;
}

std::vector<std::string> selected_command(const CLI::App& app) {
  std::vector<std::string> path;
  const CLI::App* at = &app;
  for (;;) {
    const auto subs = at->get_subcommands();
    if (subs.empty()) break;
    at = subs.front();
    path.push_back(at->get_name());
  }
  return path;
}

}  // namespace nexadex::cli
