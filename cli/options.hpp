// cli/options.hpp: everything one command line can say, filled in by the CLI11 tree of make_cli().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexadex::cli {

struct Options {
  // global (before or after the subcommand, SPEC §10); absent and empty are different things
  std::optional<std::string> journal;
  std::optional<std::string> format;
  std::optional<std::string> at;
  bool quiet = false;

  std::string init_config;
  std::string config_file;          // config apply FILE
  bool dry_run = false;             // config apply --dry-run
  bool force = false;               // config apply --force
  std::string config_show_file;     // config show --config FILE
  std::string market;               // price set MARKET
  std::string price;                // price set ... PRICE
  std::string csv_file;             // price import CSV
  std::string report_what = "summary";
  std::string report_id;
  std::optional<std::string> as_of;
  std::optional<std::string> every;   // report history --every DURATION
  std::optional<std::string> svg;     // report history --svg FILE
  std::optional<std::string> seq;
  std::string expect_head;
  bool verbose = false;
  bool export_events = false;
  bool export_ledger = false;
  std::string export_file;
  std::string run_file;
  std::string shell;

  // vault commands
  std::string lp;                   // deposit/withdraw LP
  std::string amount;               // deposit/withdraw/insurance deposit AMOUNT
  std::optional<std::string> shares;  // withdraw --shares N
  bool all = false;                 // withdraw --all, liquidate --all
  std::string trader;               // open TRADER
  std::string side;                 // open ... long|short
  std::string collateral;           // --collateral C
  std::optional<std::string> leverage;  // --leverage L
  std::optional<std::string> size;  // --size S
  std::string position;             // close ID
  std::vector<std::string> positions;   // liquidate ID...
  std::string keeper = "keeper";    // liquidate --keeper NAME
  std::string from = "operator";    // insurance deposit --from NAME
  std::optional<std::string> first_price;   // --price P: record a price first
  std::optional<std::string> price_market;  // --market M: for --price, or liquidate --all
  std::string tranche;              // deposit/withdraw --tranche T
  // cascade
  std::optional<std::string> loss;  // --loss A
  std::optional<std::string> kind;  // --kind bad-debt|trader-pnl|external (absent: external)
  bool apply = false;               // --apply
  std::optional<std::string> reason;  // --reason TEXT
  std::vector<std::string> shocks;  // --shock M=±P% ...
  std::optional<std::string> ack_amount;  // acknowledge --amount A
};

// What the value of an option or positional can be, for shell completion (cli/cmd_completion.cpp).
enum class ValueKind { text, file, one_of };  // text: free (names, amounts, times), not completed
struct ValueHint {
  ValueKind kind = ValueKind::text;
  std::vector<std::string> choices;  // one_of: exactly the values CLI11's IsMember check accepts, in order
};

struct QuickIndex;  // cli/quick_parse.cpp

// The command line's parser. Built once; parse_command_line() may be called again for each line of a
// batch.
struct Cli {
  Cli();
  ~Cli();
  std::unique_ptr<CLI::App> app;
  Options opts;
  std::vector<std::string> path;          // the command the last parse selected, e.g. {"price", "set"}
  // Batch lines in plain forms skip CLI11's parser (cli/quick_parse.cpp); these track what it touched.
  std::vector<CLI::Option*> touched;
  bool app_dirty = false;                 // CLI11's own parser ran since the last clear()
  std::unique_ptr<QuickIndex> index;
  // The options and positionals whose values completion can offer (absent: free text), filled in by
  // make_cli() from the same lists as the CLI11 checks.
  std::map<const CLI::Option*, ValueHint> hints;
};

// Builds the whole CLI11 tree; every option is bound to `opts` (which therefore must not move).
std::unique_ptr<Cli> make_cli();

// The selected command path, e.g. {"price", "set"}; empty when no subcommand was given.
std::vector<std::string> selected_command(const CLI::App& app);

}  // namespace nexadex::cli
