// cli/cmd_config.cpp: `config show` (TOML, JSON or CSV) and `config apply FILE`.
#include "cli/commands.hpp"
#include "journal/config_toml.hpp"
#include "journal/sha256.hpp"

namespace nexadex::cli {
namespace {

// Flattens JSON into key,value rows: fees.split.lp_bps, markets[0].symbol, ...
void flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    out.emplace_back(prefix, j.is_string() ? j.get<std::string>() : j.dump());
  }
}

Status show(Context& ctx, const Options& o, const Config& config, const std::string& sha, int64_t seq) {
  auto format = ctx.format(o);
  if (!format) return std::unexpected(format.error());
  if (*format == Format::table) {
    ctx.out() << journal::config_to_toml(config);
    return {};
  }
  const nlohmann::json body = journal::config_to_json(config);
  if (*format == Format::json) {
    nlohmann::ordered_json j;
    j["schema_version"] = k_json_schema_version;
    j["report"] = "config";
    j["config_sha256"] = sha;
    j["config_seq"] = seq == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(seq);
    j["config"] = body;
    ctx.out() << j.dump(2) << '\n';
    return {};
  }
  std::vector<std::pair<std::string, std::string>> rows;
  flatten(body, "", rows);
  Section s{"config", "Config", SectionShape::list,
            {{"key", "KEY", CellType::text}, {"value", "VALUE", CellType::text}}, {}};
  for (auto& [k, v] : rows) s.rows.push_back({Cell::of_text(k), Cell::of_text(v)});
  render(Report{"config", {std::move(s)}}, *format, ctx.out());
  return {};
}

}  // namespace

Status cmd_config_show(Context& ctx, const Options& o) {
  if (!o.config_show_file.empty()) {
    auto text = read_input(o.config_show_file, "config file");
    if (!text) return std::unexpected(text.error());
    auto config = journal::parse_config(*text, o.config_show_file);
    if (!config) return std::unexpected(config.error());
    return show(ctx, o, *config, journal::sha256_hex(*text), 0);
  }
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    auto state = j.load_state();
    if (!state) return std::unexpected(state.error());
    return show(ctx, o, state->config, state->config_sha256, state->config_seq);
  });
}

Status cmd_config_apply(Context& ctx, const Options& o) {
  auto text = read_input(o.config_file, "config file");
  if (!text) return std::unexpected(text.error());
  auto config = journal::parse_config(*text, o.config_file);
  if (!config) return std::unexpected(config.error());
  Appended appended(!ctx.in_batch() && !o.quiet);
  auto ok = ctx.write(o, [&](journal::Journal& j, Timestamp at) -> Status {
    return appended.add(j, ConfigApplied{*text, journal::sha256_hex(*text), std::move(*config)}, at);
  });
  if (!ok) return ok;
  print_appended(ctx, o, appended);
  return {};
}

}  // namespace nexadex::cli
