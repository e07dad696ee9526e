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

}  // namespace

Status cmd_export(Context& ctx, const Options& o) {
  if (!o.export_events && !o.export_ledger) return input_error("say what to export: --events or --ledger.");
  const bool to_stdout = o.export_file.empty() || o.export_file == "-";
  // A file is written beside its name and renamed into place once complete: an export that fails
  // (a missing journal, a full disk) never leaves a truncated file or destroys an older one.
  const std::string tmp = o.export_file + ".partial";
  std::ofstream file;
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    if (!to_stdout) {
      file.open(tmp, std::ios::binary | std::ios::trunc);
      if (!file) return input_error("cannot write " + o.export_file + ": " + std::strerror(errno) + "; check the path.");
    }
    std::ostream& out = to_stdout ? ctx.out() : file;
    auto ok = o.export_ledger ? write_ledger(j, out) : j.scan(1, INT64_MAX, [&](const journal::StoredEvent& row) -> Status {
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
      if (ok && std::rename(tmp.c_str(), o.export_file.c_str()) != 0) {
        ok = input_error("cannot write " + o.export_file + ": " + std::strerror(errno) + "; check the path.");
      }
      if (!ok) std::remove(tmp.c_str());
    }
    return ok;
  });
}

}  // namespace nexadex::cli
