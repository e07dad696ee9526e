// cli/cmd_export.cpp: `export --events [FILE]`: every event as one JSON line.
#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/commands.hpp"

namespace nexadex::cli {

Status cmd_export(Context& ctx, const Options& o) {
  std::ofstream file;
  const bool to_stdout = o.export_file.empty() || o.export_file == "-";
  if (!to_stdout) {
    file.open(o.export_file, std::ios::binary | std::ios::trunc);
    if (!file) return input_error("cannot write " + o.export_file + ": " + std::strerror(errno) + "; check the path.");
  }
  std::ostream& out = to_stdout ? ctx.out() : file;
  auto ok = ctx.read(o, [&](journal::Journal& j) -> Status {
    return j.scan(1, INT64_MAX, [&](const journal::StoredEvent& row) -> Status {
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
  });
  if (!ok) return ok;
  out.flush();
  if (!out) return input_error("writing the export failed; check the disk space and the path.");
  return {};
}

}  // namespace nexadex::cli
