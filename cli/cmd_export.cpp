// cli/cmd_export.cpp: `export --events [FILE]`: every event as one JSON line.
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"

namespace nexadex::cli {

Status cmd_export(Context& ctx, const Options& o) {
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
    auto ok = j.scan(1, INT64_MAX, [&](const journal::StoredEvent& row) -> Status {
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
