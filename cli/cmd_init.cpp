// cli/cmd_init.cpp: `nexadex init --config FILE`: a new journal whose first event holds the config.
#include "cli/commands.hpp"
#include "journal/config_toml.hpp"

namespace nexadex::cli {
namespace {

struct InitArgs {
  std::string config;   // --config FILE
  bool operator==(const InitArgs&) const = default;
};

Status init(Context& ctx, const Options& o, const InitArgs& a) {
  NX_TRY(text, read_input(a.config, "config file"));
  NX_TRY(config, journal::parse_config(text, a.config));
  NX_TRY(at, ctx.time(o));
  NX_TRY(format, ctx.format(o));
  NX_TRY(where, ctx.journal_path(o));
  const std::string& path = where;
  NX_TRY(head, journal::Journal::create(path, text, config, at));
  if (o.quiet) return {};
  Section s{"journal", "Created journal " + path, SectionShape::record,
            {{"path", CellType::text},
             {"head_seq", CellType::integer},
             {"head_hash", CellType::hash},
             {"created_at", CellType::time},
             {"markets", CellType::integer}},
            {}};
  s.rows.push_back({Cell::of_text(path), Cell::of_int(head.seq), Cell::of_hash(head.hash), Cell::of_time(head.at),
                    Cell::of_int(static_cast<int64_t>(config.markets.size()))});
  render(Report{"init", {std::move(s)}}, format, ctx.out());
  return {};
}

class Init final : public CommandWith<InitArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("init", "Create a new journal from a TOML config");
    file(cli, cmd->add_option("--config", m_args.config, "The TOML config file (nexadex.toml(5))")
                  ->required()
                  ->type_name("FILE"));
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli&) override { return init(ctx, o, m_args); }
};

}  // namespace

std::unique_ptr<Command> make_init_command() { return std::make_unique<Init>(); }

}  // namespace nexadex::cli
