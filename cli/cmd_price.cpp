// cli/cmd_price.cpp: `price set MARKET PRICE`, `price import CSV` and `price show`.
#include <csv.h>

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/write.hpp"

namespace nexadex::cli {
namespace {

struct PriceArgs {
  std::string market;     // set MARKET
  std::string price;      // set ... PRICE
  std::string csv_file;   // import CSV
  bool operator==(const PriceArgs&) const = default;
};

// The fields of one CSV line, unquoted by libcsv.
Result<std::vector<std::string>> csv_fields(std::string_view line) {
  struct csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
    return input_error("cannot start the CSV parser.");
  }
  std::vector<std::string> fields;
  auto on_field = [](void* data, size_t len, void* out) {
    static_cast<std::vector<std::string>*>(out)->emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
  };
  const bool ok = csv_parse(&parser, line.data(), line.size(), on_field, nullptr, &fields) == line.size() &&
                  csv_fini(&parser, on_field, nullptr, &fields) == 0;
  csv_free(&parser);
  if (!ok) return input_error("it is not valid CSV (a quote is not closed); close the quote or remove it.");
  return fields;
}

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
    std::string_view rest = text;
    int64_t line_no = 0;
    std::optional<Timestamp> prev;
    int64_t prev_line = 0;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      auto where = [&](const Error& e) {
        return std::unexpected(Error{e.kind, name + " line " + std::to_string(line_no) + ": " + e.message});
      };
      auto fields = csv_fields(line);
      if (!fields) return where(fields.error());
      if (line_no == 1 && *fields == std::vector<std::string>{"at", "market", "price"}) continue;
      if (fields->size() != 3) {
        return where(Error{ErrorKind::input, "expected 3 fields at,market,price but found " +
                                                 std::to_string(fields->size()) + "; fix that line."});
      }
      auto at = parse_time((*fields)[0], "the time");
      if (!at) return where(at.error());
      auto price = parse_price((*fields)[2], "the price");
      if (!price) return where(price.error());
      if (prev && *at < *prev) {
        return where(Error{ErrorKind::rule, "the time " + format_time(*at) + " is before line " +
                                                std::to_string(prev_line) + "'s " + format_time(*prev) +
                                                "; sort the file by time."});
      }
      prev = *at;
      prev_line = line_no;
      if (auto added = appended.add(j, PriceSet{(*fields)[1], *price}, *at); !added) return where(added.error());
      ++imported;
    }
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
