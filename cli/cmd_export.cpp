// cli/cmd_export.cpp: `export --events|--ledger [FILE]`: the events as JSON lines, or a ledger journal.
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <set>

#include "cli/commands.hpp"

namespace nexadex::cli {
namespace {

// The postings as a ledger/hledger journal: one transaction per event that has postings, dated by
// its UTC day, with the seq as its code and the time and hash as `at:` and `hash:` tags; amounts in USD
// with the full 6 decimals. The commodity, every account (sorted) and both tags are declared first, so
// `ledger --strict`/`--pedantic` and `hledger check --strict` accept it; every transaction balances.
// Two passes over the postings (the account names, then the events with their legs): memory holds
// the accounts and one event, whatever the journal's length.
Status write_ledger(journal::Journal& j, std::ostream& out) {
  std::set<std::string> accounts;
  auto ok = j.scan_postings([&](const journal::StoredPosting& p) -> Status {
    accounts.insert(p.account);
    return {};
  });
  if (!ok) return ok;
  out << "; nexadex postings, one transaction per event (nexadex-export(1))\n"
         "commodity USD\n"
         "    format 1000.000000 USD\n";
  for (const auto& account : accounts) out << "account " << account << "\n";
  out << "tag at\n"
         "tag hash\n";
  return j.scan_with_postings(1, INT64_MAX, [&](const journal::StoredEvent& row,
                                                const std::vector<journal::StoredPosting>& legs) -> Status {
    if (legs.empty()) return {};
    auto ev = journal::decode(row);
    if (!ev) return journal_error("event " + std::to_string(row.seq) + " cannot be decoded; run 'nexadex verify'.");
    const std::string when = format_time(Timestamp{row.at});
    out << "\n" << when.substr(0, 10) << " (" << row.seq << ") " << row.kind << ": " << describe(ev->body) << "\n"
        << "    ; at: " << when << ", hash: " << row.hash << "\n";
    for (const auto& p : legs) {
      const std::string amount = format_decimal(p.amount, Usd::k_decimals);
      out << "    " << p.account << std::string(p.account.size() < 40 ? 40 - p.account.size() : 2, ' ')
          << std::string(amount.size() < 22 ? 22 - amount.size() : 1, ' ') << amount << " USD\n";
    }
    return {};
  });
}

struct ExportArgs {
  bool events = false;   // --events
  bool ledger = false;   // --ledger
  std::string file;      // FILE
  bool operator==(const ExportArgs&) const = default;
};

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
    std::ostream& out = to_stdout ? ctx.out() : file;
    auto ok = a.ledger ? write_ledger(j, out) : j.scan(1, INT64_MAX, [&](const journal::StoredEvent& row) -> Status {
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
    });
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
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli&) override { return export_journal(ctx, o, m_args); }
};

}  // namespace

std::unique_ptr<Command> make_export_command() { return std::make_unique<Export>(); }

}  // namespace nexadex::cli
