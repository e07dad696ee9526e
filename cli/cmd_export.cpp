// cli/cmd_export.cpp: `export --events|--ledger [FILE]`: the events as JSON lines, or a ledger journal.
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "lib/asset_books.hpp"

namespace nexadex::cli {
namespace {

// The events exported: seq `from` to `to` (INT64_MAX: to the end, checked for events cut from it).
struct Range {
  int64_t from = 1;
  int64_t to = INT64_MAX;
  int64_t head = 0;  // the journal's head seq
  Timestamp since;   // --since: the ledger's opening balances are dated by it when no event follows
};

// The postings as a ledger/hledger journal: one transaction per event that has postings, dated by
// its UTC day, with the seq as its code and the time and hash as `at:` and `hash:` tags; amounts in USD
// with the full 6 decimals. The commodity, every account (sorted) and both tags are declared first, so
// `ledger --strict`/`--pedantic` and `hledger check --strict` accept it; every transaction balances.
// Exported from an event after the first (--since), the journal opens with one transaction of every
// account's balance before it, so that balances come out as nexadex's. Two passes over the postings
// (the account names and the opening balances, then the events with their legs): memory holds the
// accounts and one event, whatever the journal's length.
// On a multi-asset pool (nexadex-assets(7), POSTINGS AND THE LEDGER EXPORT) each asset but the
// settlement asset (whose token is the USD of the books) is a commodity of its own: its token accounts
// are in it, with its decimals; every price_set of a market that prices one is followed by a P
// directive at the mid price, and a stable priced by no market has one at 1 USD on the first date.
struct Commodities {
  std::map<std::string, int, std::less<>> decimals;              // by symbol, the settlement asset not included
  std::map<std::string, std::vector<std::string>> priced_by;    // market → the assets it prices
  std::vector<std::string> one_dollar;                           // stables priced by no market
  explicit Commodities(const Config& c) {
    bool settlement = false;
    for (const AssetConfig& a : c.assets) {
      if (!settlement && a.stable && !a.priced_by_market()) {
        settlement = true;
        continue;
      }
      decimals[a.symbol] = static_cast<int>(a.decimals);
      if (a.priced_by_market()) priced_by[a.market].push_back(a.symbol);
      else one_dollar.push_back(a.symbol);
    }
  }
  // The commodity and decimals of an account's amounts.
  std::pair<std::string_view, int> of(std::string_view account) const {
    const std::string_view asset = assets::token_commodity(account);
    if (const auto it = decimals.find(asset); !asset.empty() && it != decimals.end()) return {it->first, it->second};
    return {"USD", Usd::k_decimals};
  }
};

Status write_ledger(journal::Journal& j, const Config& config, const Range& range, std::ostream& out,
                    ProgressLine& line, int64_t total) {
  const Commodities commodities(config);
  std::set<std::string> accounts;
  std::map<std::string, int128> opening;
  auto ok = j.scan_postings(1, range.to, [&](const journal::StoredPosting& p) -> Status {
    accounts.insert(p.account);
    if (p.seq < range.from) opening[p.account] += p.amount;
    return {};
  });
  if (!ok) return ok;
  out << "; nexadex postings, one transaction per event (nexadex-export(1))\n"
         "commodity USD\n"
         "    format 1000.000000 USD\n";
  for (const auto& [symbol, d] : commodities.decimals) {
    // (a commodity of 0 decimals keeps its decimal mark, which hledger needs to read the format)
    out << "commodity " << symbol << "\n    format 1000." << std::string(static_cast<std::size_t>(d), '0') << " "
        << symbol << "\n";
  }
  for (const auto& account : accounts) out << "account " << account << "\n";
  out << "tag at\n"
         "tag hash\n";
  const auto posting = [&](const std::string& account, int128 units) {
    const auto [commodity, decimals] = commodities.of(account);
    const std::string amount = format_decimal_wide(units, decimals);
    out << "    " << account << std::string(account.size() < 40 ? 40 - account.size() : 2, ' ')
        << std::string(amount.size() < 22 ? 22 - amount.size() : 1, ' ') << amount << " " << commodity << "\n";
  };
  bool first_date = true;
  const auto prices = [&](const journal::StoredEvent& row, const std::string& day) -> Status {
    if (first_date) {
      first_date = false;
      for (const auto& symbol : commodities.one_dollar) out << "\nP " << day << " " << symbol << " 1.00000000 USD\n";
    }
    if (commodities.priced_by.empty() || row.kind != "price_set") return {};
    auto ev = journal::decode(row);
    if (!ev) return journal_error("event " + std::to_string(row.seq) + " cannot be decoded; run 'nexadex verify'.");
    const auto& e = std::get<PriceSet>(ev->body);
    const auto it = commodities.priced_by.find(e.market);
    if (it == commodities.priced_by.end()) return {};
    out << "\n";
    for (const auto& symbol : it->second) out << "P " << day << " " << symbol << " " << to_string(e.price) << " USD\n";
    return {};
  };
  // --since on a multi-asset pool: each market's latest price before it, given with the opening
  // balances, so that they can be valued (hledger bal -V) without the events before
  std::map<std::string, Price> before;
  if (range.from > 1 && !commodities.priced_by.empty()) {
    NX_TRY_STATUS(j.scan(1, range.from - 1, [&](const journal::StoredEvent& row) -> Status {
      if (row.kind != "price_set") return {};
      auto ev = journal::decode(row);
      if (!ev) return journal_error("event " + std::to_string(row.seq) + " cannot be decoded; run 'nexadex verify'.");
      const auto& e = std::get<PriceSet>(ev->body);
      if (commodities.priced_by.count(e.market)) before[e.market] = e.price;
      return {};
    }));
  }
  bool opened = range.from <= 1;
  const auto open_at = [&](const std::string& when) {
    opened = true;
    if (!before.empty()) out << "\n";
    for (const auto& [market, price] : before) {
      for (const auto& symbol : commodities.priced_by.at(market)) {
        out << "P " << when.substr(0, 10) << " " << symbol << " " << to_string(price) << " USD\n";
      }
    }
    out << "\n" << when.substr(0, 10) << " opening balances: the postings of events 1 to " << range.from - 1 << "\n";
    for (const auto& [account, balance] : opening) {
      if (balance != 0) posting(account, balance);
    }
  };
  NX_TRY_STATUS(j.scan_with_postings(range.from, range.to, [&](const journal::StoredEvent& row,
                                                               const std::vector<journal::StoredPosting>& legs) -> Status {
    line.update(row.seq - range.from + 1, total);
    const std::string when = format_time(Timestamp{row.at});
    if (!opened) open_at(when);
    NX_TRY_STATUS(prices(row, when.substr(0, 10)));
    if (legs.empty()) return {};
    auto ev = journal::decode(row);
    if (!ev) return journal_error("event " + std::to_string(row.seq) + " cannot be decoded; run 'nexadex verify'.");
    out << "\n" << when.substr(0, 10) << " (" << row.seq << ") " << row.kind << ": " << describe(ev->body) << "\n"
        << "    ; at: " << when << ", hash: " << row.hash << "\n";
    for (const auto& p : legs) posting(p.account, p.amount);
    return {};
  }));
  if (!opened) open_at(format_time(range.since));   // no event at or after --since
  return {};
}

struct ExportArgs {
  bool events = false;   // --events
  bool ledger = false;   // --ledger
  std::string file;      // FILE
  std::optional<std::string> since;   // --since TIME
  std::optional<std::string> as_of;   // --as-of TIME
  std::optional<std::string> seq;     // --seq N
  bool operator==(const ExportArgs&) const = default;
};

// The events to export: from the first at or after --since, to --seq or the last at or before --as-of.
Result<Range> export_range(journal::Journal& j, const ExportArgs& a) {
  Range r;
  NX_TRY(head, j.last_seq());
  r.head = head;
  if (!a.since && !a.as_of && !a.seq) return r;
  int64_t to = head;
  if (a.seq) {
    auto n = parse_decimal(*a.seq, 0, Sign::positive, "--seq");
    if (!n) return input_error("--seq '" + *a.seq + "' is not an event seq; give a whole number from 1 to the head seq.");
    if (*n > head) {
      return input_error("--seq " + std::to_string(*n) + " is past the journal's head seq " + std::to_string(head) +
                         "; give at most " + std::to_string(head) + ".");
    }
    to = *n;
  }
  if (a.as_of) {
    NX_TRY(t, parse_time(*a.as_of, "--as-of"));
    NX_TRY(last, j.last_seq_at_or_before(t, to));
    if (last == 0) return input_error("--as-of " + format_time(t) + " is before the journal's first event; give a later time.");
    to = last;
  }
  if (a.seq || a.as_of) r.to = to;
  if (a.since) {
    NX_TRY(t, parse_time(*a.since, "--since"));
    NX_TRY(first, j.first_seq_at_or_after(t, to));
    r.from = first;
    r.since = t;
  }
  return r;
}

Status export_journal(Context& ctx, const Options& o, const ExportArgs& a) {
  if (!a.events && !a.ledger) return input_error("say what to export: --events or --ledger.");
  const bool to_stdout = a.file.empty() || a.file == "-";
  // A file is written beside its name and renamed into place once complete: an export that fails
  // (a missing journal, a full disk) never leaves a truncated file or destroys an older one.
  const std::string tmp = a.file + ".partial";
  std::ofstream file;
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    if (!to_stdout) {
      file.open(tmp, std::ios::binary | std::ios::trunc);
      if (!file) return input_error("cannot write " + a.file + ": " + std::strerror(errno) + "; check the path.");
    }
    NX_TRY(range, export_range(j, a));
    if (!ctx.in_batch()) NX_TRY_STATUS(j.read_without_map());
    std::ostream& out = to_stdout ? ctx.out() : file;
    ProgressLine line(ctx, o, "export", "events", 1024, to_stdout);
    const int64_t total = std::min(range.to, range.head) - range.from + 1;
    const auto events = [&](const journal::StoredEvent& row) -> Status {
      line.update(row.seq - range.from + 1, total);
      nlohmann::ordered_json line;
      line["seq"] = row.seq;
      line["at"] = format_time(Timestamp{row.at});
      line["at_seconds"] = row.at;
      line["kind"] = row.kind;
      // The canonical payload, re-serialised compactly with sorted keys, is byte for byte the stored one.
      auto payload = nlohmann::json::parse(row.payload, nullptr, false);
      if (payload.is_discarded()) {
        return journal_error("event " + std::to_string(row.seq) + " has a payload that is not JSON; run 'nexadex verify'.");
      }
      line["payload"] = std::move(payload);
      line["prev_hash"] = row.prev_hash;
      line["hash"] = row.hash;
      out << line.dump() << '\n';
      return {};
    };
    Status ok;
    if (a.ledger) {
      auto state = j.load_state();   // the config: the assets' commodities
      ok = state ? write_ledger(j, state->config, range, out, line, total) : Status(std::unexpected(state.error()));
    }
    else if (range.from <= range.to) ok = j.scan(range.from, range.to, events);
    line.clear();
    out.flush();
    if (ok && !out) ok = input_error("writing the export failed; check the disk space and the path.");
    if (!to_stdout) {
      file.close();
      if (ok && std::rename(tmp.c_str(), a.file.c_str()) != 0) {
        ok = input_error("cannot write " + a.file + ": " + std::strerror(errno) + "; check the path.");
      }
      if (!ok) std::remove(tmp.c_str());
    }
    return ok;
  });
}

class Export final : public CommandWith<ExportArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("export", "Write the events as JSON lines, or the postings as a ledger journal");
    auto* events = cmd->add_flag("--events", m_args.events, "Export the events as JSON lines");
    auto* ledger = cmd->add_flag("--ledger", m_args.ledger, "Export the postings as a ledger/hledger journal");
    file(cli, cmd->add_option("FILE", m_args.file, "Output file; standard output when absent or -"));
    events->excludes(ledger);
    cmd->add_option("--since", m_args.since, "Only the events at or after TIME (a ledger opens with the balances before)")
        ->type_name("TIME");
    auto* as_of = cmd->add_option("--as-of", m_args.as_of, "Only the events up to TIME (that time included)")
                      ->type_name("TIME");
    auto* seq = cmd->add_option("--seq", m_args.seq, "Only the events up to event N")->type_name("N");
    as_of->excludes(seq);
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli&) override { return export_journal(ctx, o, m_args); }
};

}  // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<Export>(); }

}  // namespace nexadex::cli
