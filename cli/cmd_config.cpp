// cli/cmd_config.cpp: `config show` (TOML, JSON or CSV) and `config apply [--dry-run] [--force] FILE`.
#include "cli/commands.hpp"
#include "cli/write.hpp"
#include "journal/config_toml.hpp"
#include "journal/sha256.hpp"
#include "lib/config_change.hpp"

namespace nexadex::cli {
namespace {

struct ConfigArgs {
  std::string show_file;    // show --config FILE
  std::string apply_file;   // apply FILE
  bool dry_run = false;     // apply --dry-run
  bool force = false;       // apply --force
  bool operator==(const ConfigArgs&) const = default;
};

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

// A config as key → value text for a comparison: markets keyed by symbol (markets.BTC.max_leverage),
// lists joined ("insurance, junior, senior").
void flatten_for_diff(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten_for_diff(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    std::string joined;
    for (const auto& v : j) joined += (joined.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
    out[prefix] = joined;
  } else {
    out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
  }
}

std::map<std::string, std::string> config_keys(const Config& config) {
  nlohmann::json j = journal::config_to_json(config);
  nlohmann::json markets = nlohmann::json::object();
  for (auto m : j.at("markets")) {
    const std::string symbol = m.at("symbol").get<std::string>();
    m.erase("symbol");
    markets[symbol] = std::move(m);
  }
  j["markets"] = std::move(markets);
  std::map<std::string, std::string> out;
  flatten_for_diff(j, "", out);
  return out;
}

// Every key whose value differs, in key order: old → new ("-" where a market is added or dropped).
Section changes_section(const Config& before, const Config& after, bool dry_run) {
  Section s{"changes", dry_run ? "Config changes (dry run: nothing was written)" : "Config changes", SectionShape::list,
            {{"key", CellType::text}, {"old", CellType::text}, {"new", CellType::text}}, {}};
  const auto old_keys = config_keys(before), new_keys = config_keys(after);
  std::map<std::string, std::pair<const std::string*, const std::string*>> keys;
  for (const auto& [k, v] : old_keys) keys[k].first = &v;
  for (const auto& [k, v] : new_keys) keys[k].second = &v;
  const auto cell = [](const std::string* v) { return v ? Cell::of_text(*v) : Cell::none(CellType::text); };
  for (const auto& [key, pair] : keys) {
    if (pair.first && pair.second && *pair.first == *pair.second) continue;
    s.rows.push_back({Cell::of_text(key), cell(pair.first), cell(pair.second)});
  }
  return s;
}

Status show(Context& ctx, const Options& o, const Config& config, const std::string& sha, int64_t seq) {
  NX_TRY(format, ctx.format(o));
  if (format == Format::table) {
    ctx.out() << journal::config_to_toml(config);
    return {};
  }
  const nlohmann::json body = journal::config_to_json(config);
  if (format == Format::json) {
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
            {{"key", CellType::text}, {"value", CellType::text}}, {}};
  for (auto& [k, v] : rows) s.rows.push_back({Cell::of_text(k), Cell::of_text(v)});
  render(Report{"config", {std::move(s)}}, format, ctx.out());
  return {};
}

Status config_show(Context& ctx, const Options& o, const ConfigArgs& a) {
  if (!a.show_file.empty()) {
    NX_TRY(text, read_input(a.show_file, "config file"));
    NX_TRY(config, journal::parse_config(text, a.show_file));
    return show(ctx, o, config, journal::sha256_hex(text), 0);
  }
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    NX_TRY(state, j.load_state());
    return show(ctx, o, state.config, state.config_sha256, state.config_seq);
  });
}

Status config_apply(Context& ctx, const Options& o, const ConfigArgs& a) {
  NX_TRY(format, ctx.format(o));
  NX_TRY(text, read_input(a.apply_file, "config file"));
  NX_TRY(config, journal::parse_config(text, a.apply_file));
  NX_TRY_STATUS(check_supported(config));   // refused as the apply itself would be, dry run or not
  const Force force = a.force ? Force::yes : Force::no;
  Report report{"config_apply", {}};
  // The changes and their effects, weighed against the state before the new config.
  auto weigh = [&](const State& state) -> Status {
    NX_TRY(effects, config_effects(state, config));
    report.sections.push_back(changes_section(state.config, config, a.dry_run));
    report.sections.push_back(config_effects_section(effects));
    return check_config_change(effects, force);
  };
  if (a.dry_run) {
    return ctx.read(o, [&](journal::Journal& j) -> Status {
      NX_TRY(state, j.load_state());
      auto verdict = weigh(state);
      // and what the event's own rules would refuse (the assets, the rules version, [locks], the keys)
      if (verdict) verdict = check_config_applicable(state, config, rules_to_write(config, state.rules));
      if (!report.sections.empty()) render(report, format, ctx.out());
      if (!verdict) {
        return std::unexpected(Error{verdict.error().kind, "applying it would be refused: " + verdict.error().message});
      }
      return {};
    });
  }
  const auto append = [&](journal::Journal& j, Timestamp at, Appended& appended) -> Status {
    if (auto verdict = weigh(j.state()); !verdict) {
      std::string message = verdict.error().message;
      const std::string force_hint = "; give --force to apply it anyway.";
      if (message.ends_with(force_hint)) {
        message.resize(message.size() - force_hint.size());
        message += "; see 'config apply --dry-run " + a.apply_file + "', and give --force to apply it anyway.";
      }
      return std::unexpected(Error{verdict.error().kind, message});
    }
    const int64_t rules = rules_to_write(config, j.state().rules);
    return appended.add(j, ConfigApplied{text, journal::sha256_hex(text), std::move(config), rules}, at);
  };
  return write_events(ctx, o, format, append, [&](const Appended& appended) -> Result<Report> {
    report.sections.push_back(applied_events_section(appended.applied));
    return report;
  });
}

class ConfigCommand final : public CommandWith<ConfigArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("config", "Show the config in force, or apply a new one");
    cmd->require_subcommand(1);
    auto* show = cmd->add_subcommand("show", "Print the effective config (defaults filled in) as TOML, JSON or CSV");
    file(cli, show->add_option("--config", m_args.show_file,
                               "Show this file's effective config (- for standard input) instead of the journal's")
                  ->type_name("FILE"));
    auto* apply = cmd->add_subcommand("apply", "Journal a new config that holds from then on");
    file(cli,
         apply->add_option("FILE", m_args.apply_file, "The TOML config file, or - for standard input")->required());
    apply->add_flag("--dry-run", m_args.dry_run,
                    "Print the changes key by key and their effect on open positions; write nothing");
    apply->add_flag("--force", m_args.force,
                    "Apply even if it makes open positions liquidatable, leaves them above a lower leverage cap or "
                    "the pool above a lower utilization cap");
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli& cli) override {
    if (cli.path.at(1) == "show") return config_show(ctx, o, m_args);
    return config_apply(ctx, o, m_args);
  }
};

}  // namespace

std::unique_ptr<Command> make_config_command() { return std::make_unique<ConfigCommand>(); }

}  // namespace nexadex::cli
