// cli/app.cpp: the CLI11 tree: the program, its global options, and each command of the table
// (cli/command_table.cpp) adding its own; --help texts are the short form of man/.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace nexadex::cli {

CLI::Option* one_of(Cli& cli, CLI::Option* opt, std::vector<std::string> values) {
  opt->check(CLI::IsMember(values));
  cli.hints[opt] = ValueHint{ValueKind::one_of, std::move(values)};
  return opt;
}

CLI::Option* file(Cli& cli, CLI::Option* opt) {
  cli.hints[opt] = ValueHint{ValueKind::file, {}};
  return opt;
}

namespace {

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
  auto app = std::make_unique<CLI::App>(
      "nexadex: the books of a pool-to-peer perpetual-futures liquidity pool, kept in a tamper-evident journal.",
      "nexadex");
  app->set_version_flag("--version", "nexadex " NEXADEX_VERSION);
  app->require_subcommand(1);
  app->fallthrough();
  add_globals(*app, *cli);

  for (auto& command : make_commands()) {
    CLI::App* sub = command->add(*app, *cli);
    cli->commands.push_back({sub, std::move(command)});
  }

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

void Cli::reset_options() {
  opts = Options{};
  for (auto& c : commands) c.command->reset();
}

Command* Cli::command(const std::string& name) const {
  for (const auto& c : commands) {
    if (c.app->get_name() == name) return c.command.get();
  }
  return nullptr;
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
