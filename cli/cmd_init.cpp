// cli/cmd_init.cpp: `nexadex init --config FILE`: a new journal whose first event holds the config.
#include "cli/commands.hpp"
#include "journal/config_toml.hpp"

namespace nexadex::cli {

Status cmd_init(Context& ctx, const Options& o) {
  auto text = read_input(o.init_config, "config file");
  if (!text) return std::unexpected(text.error());
  auto config = journal::parse_config(*text, o.init_config);
  if (!config) return std::unexpected(config.error());
  auto at = ctx.time(o);
  if (!at) return std::unexpected(at.error());
  auto format = ctx.format(o);
  if (!format) return std::unexpected(format.error());
  auto where = ctx.journal_path(o);
  if (!where) return std::unexpected(where.error());
  const std::string& path = *where;
  auto head = journal::Journal::create(path, *text, *config, *at);
  if (!head) return std::unexpected(head.error());
  if (o.quiet) return {};
  Section s{"journal", "Created journal " + path, SectionShape::record,
            {{"path", CellType::text},
             {"head_seq", CellType::integer},
             {"head_hash", CellType::hash},
             {"created_at", CellType::time},
             {"markets", CellType::integer}},
            {}};
  s.rows.push_back({Cell::of_text(path), Cell::of_int(head->seq), Cell::of_hash(head->hash), Cell::of_time(head->at),
                    Cell::of_int(static_cast<int64_t>(config->markets.size()))});
  render(Report{"init", {std::move(s)}}, *format, ctx.out());
  return {};
}

}  // namespace nexadex::cli
